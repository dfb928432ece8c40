"""Words of many texts at once, as 64-bit hashes with the text each came from.

No Python object per word:
characters are folded the way lexicons should not care about -- NFKC, lower case,
Arabic ي ك ى ة to ی ک ی ه, hamza-carrying alefs and آ to ا, digits to ASCII, diacritics,
tatweel and ZWNJ removed («می‌خواهم», «میخواهم» and «مي‌خواهم» are one word) --
then cut into words (letters, digits, apostrophes inside a word) and emoji (one
each), numbered by clause (a new one after , . ; : ! ? # and line breaks), and each
word is hashed with a polynomial hash, all in one compiled pass over the UTF-8 bytes
(:func:`csqa.kernels.tokenize_utf8`). The same function hashes lexicon entries, so a
lookup is a hash-index lookup. :func:`reading_text` first takes out what is not
words (URLs, e-mail addresses, @handles).

>>> import pyarrow as pa
>>> t = tokenize(pa.array(["Not good!! 😡", None, "مي‌خواهم كتاب", "می‌خواهم کتاب"]))
>>> t.text.tolist(), t.position.tolist(), t.clause.tolist()
([0, 0, 0, 2, 2, 3, 3], [0, 1, 2, 0, 1, 0, 1], [0, 0, 1, 0, 0, 0, 0])
>>> bool((t.hash[3:5] == t.hash[5:7]).all()), bool((t.hash[:2] == hash_words(["not", "GOOD"])).all())
(True, True)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from csqa.kernels import APOSTROPHE, BREAK, EMOJI, END, QUESTION, WORD, pair_hash, tokenize_utf8
from csqa.parallel import map_arrow, n_threads
from csqa.text.normalize import DROP, EMAIL, HANDLE, URL, _table, unquoted_array

_EMOTICONS = {":)": "🙂", ":-)": "🙂", ":]": "🙂", ":d": "😀", ":-d": "😀", ";)": "😉", ";-)": "😉", ":(": "🙁",
              ":-(": "🙁", ":'(": "😢", "<3": "❤", ":p": "😛", ":/": "😕", ":-/": "😕", ":|": "😐", ":-|": "😐",
              "-_-": "😑", "-.-": "😑", "^_^": "😊", "^^": "😊", "=)": "🙂", "=(": "🙁"}


@dataclass(frozen=True)
class Tokens:
    """One row per word: its hash, the text it came from, its position and clause in that
    text; its folded code points are ``cp[start:end]``."""

    hash: np.ndarray  # uint64
    text: np.ndarray  # int64 index of the text
    position: np.ndarray  # int64, 0-based within the text
    clause: np.ndarray  # int64, 0-based within the text: a new clause after , . ; : ! ? ، ؛ ؟ or a line break
    question: np.ndarray  # bool: the word's sentence ends in ? or ؟ (a sentence ends at . ! ? ؟ ۔, a line break or an emoji)
    cp: np.ndarray  # folded code points of all words, concatenated (uint32)
    start: np.ndarray  # where each word starts in ``cp``
    end: np.ndarray


@lru_cache(maxsize=1)
def _fold_table() -> np.ndarray:
    table = _table(False).copy()
    table[0x200C] = DROP  # ZWNJ
    table[0x0622] = 0x0627  # «آ» read as «ا»: «اسیب دیده», «اخه», «آسف» are often typed without the madda
    return table


@lru_cache(maxsize=1)
def _class_table() -> np.ndarray:
    """Folded code point -> word character, emoji, apostrophe, clause break or other (0)."""
    table = np.zeros(0x110000, dtype=np.uint8)
    for c in range(0x10000):
        if unicodedata.category(chr(c))[0] in "LMN":
            table[c] = WORD
    emoji = [*range(0x1F300, 0x1FB00), *range(0x2600, 0x27C0), 0x2B50, 0x2B55, 0x231A, 0x231B, *range(0x23E9, 0x23FB)]
    table[emoji] = EMOJI
    table[ord("'")] = APOSTROPHE  # also ’ ‘ ʼ, folded to it
    table[[ord(c) for c in ",;:#\u060c\u061b"]] = BREAK  # a hashtag is a clause of its own
    table[[ord(c) for c in ".!\n\u06d4"]] = END
    table[[ord("?"), 0x061F]] = QUESTION
    return table


_FACES = "|".join(re.escape(face) for face in _EMOTICONS).replace("d", "[dD]").replace("p", "[pP]")
_REFERENCES = {"&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&apos;": "'", "&nbsp;": " ", "&amp;": "&"}
_NOT_WORDS = f"(?i:{'|'.join([URL, EMAIL, HANDLE])})"


def _decode_references(arr: pa.Array) -> pa.Array:
    for reference, character in _REFERENCES.items():
        arr = pc.replace_substring(arr, reference, character)
    return arr


def _emoticons_to_emoji(arr: pa.Array) -> pa.Array:
    arr = pc.utf8_lower(arr)
    for face, emoji in _EMOTICONS.items():
        arr = pc.replace_substring(arr, face, f" {emoji} ")
    return arr


_CAMEL_HASHTAG = r"#[A-Za-z]*[a-z][A-Z]"  # #DoBetter, #NoPlaceLikeHome


def _split_camel_case(arr: pa.Array) -> pa.Array:
    """Each camel-case hashtag as its words: #NoPlaceLikeHome -> #No Place Like Home."""
    while pc.any(pc.match_substring_regex(arr, _CAMEL_HASHTAG)).as_py():
        arr = pc.replace_substring_regex(arr, r"#([A-Za-z]*[a-z])([A-Z])", r"#\1 \2")
    return arr


# a letter's closing formula on a line of its own after the first, maybe with a name after a comma: "Best
# regards,", "Best, Anna", «با تشکر», «با احترام», «مع خالص التحية». A formula alone is a whole message's words.
_CLOSINGS = "|".join([
    "best", "best regards", "kind regards", "kindest regards", "warm regards", "warmest regards", "regards",
    "best wishes", "all the best", "yours truly", "yours sincerely", "yours faithfully", "sincerely", "respectfully",
    "با تشکر", "با سپاس", "با سپاس فراوان", "با تشکر و احترام", "با تشکر فراوان", "با احترام", "با سلام و احترام",
    "ارادتمند", "ارادتمند شما", "مع خالص التحية", "مع خالص التحيات", "مع تحياتي", "تحياتي", "مع الشكر",
    "مع الشكر والتقدير", "مع فائق الاحترام", "وتقبلوا فائق الاحترام", "وتفضلوا بقبول فائق الاحترام"])
_CLOSING = rf"(?im)\n[ \t]*(?:{_CLOSINGS})[ \t]*(?:[,،.!][^\n]{{0,40}})?[ \t]*$"


def _letter_body(arr: pa.Array) -> pa.Array:
    return pc.replace_substring_regex(unquoted_array(arr), _CLOSING, "\n")


_DOTLESS_YA_HAMZA = "\u0649\u0621"  # «ىء», the Egyptian spelling of «ئ»


def _hamza_on_ya(arr: pa.Array) -> pa.Array:
    """«ىء» (dotless ya, then hamza) as «ئ»: the Egyptian spelling of «خاطئ», «هادئ», «شاطئ» is
    «خاطىء», «هادىء», «شاطىء»."""
    return pc.replace_substring(arr, _DOTLESS_YA_HAMZA, "\u0626")


def _digits(numbers: str) -> str:
    """A regex character class of the digits ``numbers`` in ASCII, Persian and Arabic-Indic forms."""
    return "[" + "".join(f"{d}{chr(0x06F0 + int(d))}{chr(0x0660 + int(d))}" for d in numbers) + "]"


_SLASH, _OF = r"\s*/\s*", r"\s+(?:out of|از|من)\s+"
_TEN, _FIVE = f"(?:1{_digits('0')}|{_digits('1')}{_digits('0')})", _digits("5")
_HALF = f"(?:[.\u066b]{_digits('5')})?"
_RATINGS = {  # rating -> the emoji read for it: top, good, poor, lowest (a middling one is not read); with
    # a slash only the top and the lowest ones, since 8/10 or 2/5 is as often a date
    "🌟": f"(?:{_digits('9')}[.\u066b]{_digits('5')}|{_TEN})(?:{_SLASH}|{_OF}){_TEN}|{_digits('9')}{_OF}{_TEN}"
          f"|(?:{_digits('5')}|{_digits('4')}[.\u066b]{_digits('5')})(?:{_SLASH}|{_OF}){_FIVE}"
          "|(?i:ten out of ten|five out of five)|ده از ده|عشرة من عشرة|عشره من عشره",
    "🙂": f"{_digits('678')}{_HALF}{_OF}{_TEN}|{_digits('4')}{_OF}{_FIVE}",
    "😕": f"{_digits('234')}{_HALF}{_OF}{_TEN}|{_digits('2')}{_HALF}{_OF}{_FIVE}",
    "👎": f"{_digits('01')}(?:{_SLASH}|{_OF})(?:{_TEN}|{_FIVE})|(?i:zero out of (?:ten|five))|صفر از ده|صفر من عشرة"
          "|صفر من عشره",
}
_RATING = "|".join(_RATINGS.values())
_EDGE = "[^./" + _digits("0123456789")[1:]  # beside a rating: no digit (in any script), slash or point (a
# full stop after it is one: "1/5. Arrived broken.")


def _ratings_to_emoji(arr: pa.Array) -> pa.Array:
    """A rating out of 10 or 5 written in the text ("10/10", "1 out of 5", «۱۰ از ۱۰», «٥/٥») as
    an emoji the lexicon reads: 9-10 out of 10 (4.5-5 of 5) 🌟, 6-8 🙂, 2-4 😕, 0-1 👎; 5 of 10
    and 3 of 5 are not read, nor are 2/10 to 9/10 with a slash (dates as often), nor a date
    such as 10/10/2024."""
    for emoji, pattern in _RATINGS.items():
        arr = pc.replace_substring_regex(arr, f"(^|{_EDGE})(?:{pattern})($|{_EDGE}|[.]$|[.]{_EDGE})",
                                         rf"\1 {emoji} \2")
    return arr


_READING = (("&", _decode_references), (_NOT_WORDS, lambda arr: pc.replace_substring_regex(arr, _NOT_WORDS, " ")),
            ("\n", _letter_body),
            (_CAMEL_HASHTAG, _split_camel_case), (_FACES, _emoticons_to_emoji),
            (_DOTLESS_YA_HAMZA, _hamza_on_ya), (_RATING, _ratings_to_emoji))  # (texts it applies to, rewrite)


def reading_text(texts: pa.Array | pa.ChunkedArray) -> pa.Array:
    """The texts as the word readers (sentiment, language id) see them: URLs, e-mail
    addresses and @handles are not words (blanked), nor are an e-mail's quoted history
    and a letter's closing formula on a line of its own ("Best regards,"), HTML character references
    (``&lt;3``, ``&amp;``) are decoded, the words of camel-case hashtags are read
    apart (``#DoBetter``: "Do Better"), emoticons become emoji and so do ratings ("10/10": 🌟,
    "1/5": 👎). Each step rewrites only the texts it applies to.

    >>> [t and " ".join(t.split()) for t in reading_text(pa.array(["@Acme thanks &lt;3 https://t.co/x",
    ...                                                 "ok :)", "#DoBetter", "10/10 service", None])).to_pylist()]
    ['thanks ❤', 'ok 🙂', '#Do Better', '🌟 service', None]
    """
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    arr = texts.cast(pa.large_string())
    for pattern, rewrite in _READING:
        hit = pc.fill_null(pc.match_substring_regex(arr, pattern), False).to_numpy(zero_copy_only=False)
        if hit.all():  # every text (tweets that all start with a handle): no reordering needed
            arr = rewrite(arr)
        elif hit.any():
            where = np.arange(len(arr))
            where[hit] = len(arr) + np.arange(hit.sum())
            arr = pa.concat_arrays([arr, rewrite(arr.filter(pa.array(hit)))]).take(where)
    return arr


def read_whole(texts: pa.Array) -> pa.Array:
    """:func:`reading_text` of many texts in one piece per thread rather than in small chunks:
    each rewrite's regular expression is then compiled once per piece (compiling the handle
    and quoted-history patterns costs more than matching them on 10,000 tweets)."""
    return map_arrow(reading_text, texts, size=max(1, -(-len(texts) // n_threads()))).combine_chunks()


def tokenize(texts: pa.Array | pa.ChunkedArray) -> Tokens:
    """The words of each text as written (missing texts have none; see the module
    docstring); pass :func:`reading_text` of raw messages."""
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    return Tokens(*tokenize_utf8(texts.cast(pa.large_string()), _fold_table(), _class_table()))


def hash_words(words: list[str]) -> np.ndarray:
    """The hash :func:`tokenize` gives each word; a phrase of two words gets :func:`pair_hash`
    of its two words' hashes."""
    out = np.zeros(len(words), dtype=np.uint64)
    tokens = tokenize(pa.array(words, pa.large_string()))
    counts = np.bincount(tokens.text, minlength=len(words))
    if (counts == 0).any() or (counts > 2).any():
        bad = words[int(np.flatnonzero((counts == 0) | (counts > 2))[0])]
        raise ValueError(f"A lexicon entry must be one or two words. Got {bad!r} instead.")
    single = counts[tokens.text] == 1
    out[tokens.text[single]] = tokens.hash[single]
    pairs = np.flatnonzero(~single & (tokens.position == 0))
    out[tokens.text[pairs]] = pair_hash(tokens.hash[pairs], tokens.hash[pairs + 1])
    return out

