"""Language of each message: ``en``, ``ar``, ``fa`` or ``other``, from the raw text
(URLs, e-mail addresses and @handles left out: a Latin handle says nothing about the
language of the message it is in).

Script first (Latin, Arabic, other letters; a third of the letters in the Arabic script
make it Arabic-script text, as Persian and Arabic messages carry English words), then, within the Arabic script, what
tells Persian from Arabic: letters only Persian has (پ چ ژ گ, Persian digits),
letters only Arabic uses (ة ى ؤ, Arabic-Indic digits), frequent words of each,
Persian verbs with «می»/«نمی» and words with Arabic's «ال» article (but not
Persian words such as «البته»); each counts the same. Persian typed with Arabic
ي/ك is still Persian (the letters ی/ک only decide a tie). Word lists are package data
(``csqa/text/lexicons/language.json``).

Short messages that say nothing either way («تمام», «مرسي», "👍") take the language
the rest of their group (conversation) was detected in when ``groups`` is given;
without a decision they are missing. Latin-script text is English unless it reads
as another Latin-script language (accented letters or that language's common
words and no English ones), or as Persian or Arabic written in Latin letters
(Finglish "kheili mamnoon", Arabizi "shukran", "7elw" with a digit for a letter):
more of those words than English ones.

>>> import pandas as pd
>>> detect_language(pd.Series(["ok thanks", "مرسی", "شكرا جزيلا", "سفارشم كي ميرسه؟", "Привет", "👍"])).tolist()
['en', 'fa', 'ar', 'fa', 'other', nan]
>>> detect_language(pd.Series(["تمام", "ممنون از پیگیری", "👍"]), groups=pd.Series([1, 1, 1])).tolist()
['fa', 'fa', 'fa']
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from csqa.kernels import HashIndex, category_counts
from csqa.parallel import map_chunks
from csqa.schema import STRING_DTYPE
from csqa.text.lexicons import as_arrow, load_lexicon
from csqa.text.tokens import Tokens, hash_words, read_whole, tokenize

LANGUAGE_CODES = ("en", "ar", "fa", "other")
_CHUNK = 20_000
# character classes counted per text
_CLASSES = ("letter", "arabic", "latin", "accented", "fa_only", "ar_only", "fa_yk", "ar_yk")


@lru_cache(maxsize=1)
def _class_table() -> np.ndarray:
    """Code point -> bit mask of the classes in :data:`_CLASSES` (Basic Multilingual Plane)."""
    table = np.zeros(0x10000, dtype=np.uint16)
    bit = {name: np.uint16(1 << i) for i, name in enumerate(_CLASSES)}
    for c in range(0x10000):
        if unicodedata.category(chr(c)).startswith("L"):
            table[c] |= bit["letter"]
    arabic = [*range(0x0620, 0x064B), *range(0x066E, 0x06D4), 0x06D5, *range(0x06FA, 0x0700),
              *range(0x0750, 0x0780), *range(0xFB50, 0xFE00), *range(0xFE70, 0xFEFD)]
    table[arabic] |= bit["arabic"]
    table[[*range(0x41, 0x5B), *range(0x61, 0x7B), *range(0xC0, 0x250)]] |= bit["latin"]
    table[[c for c in range(0xC0, 0x250) if c not in (0xD7, 0xF7)]] |= bit["accented"]
    # Persian letters, digits and the ZWNJ; Arabic taa marbuta, hamza on waw/under alef, Arabic-Indic
    # digits are used by some Persian writers too, as is alef maksura, so neither counts
    table[[ord(c) for c in "پچژگ"] + [*range(0x06F0, 0x06FA), 0x200C]] |= bit["fa_only"]
    table[[ord(c) for c in "ةؤإ"]] |= bit["ar_only"]
    table[[0x06CC, 0x06A9]] |= bit["fa_yk"]
    table[[ord("ي"), ord("ك")]] |= bit["ar_yk"]
    return table


@lru_cache(maxsize=1)
def _mask_ids() -> tuple[np.ndarray, np.ndarray]:
    """(code point -> id of its class mask, id -> 0/1 per class): the few distinct masks."""
    masks, ids = np.unique(_class_table(), return_inverse=True)
    members = ((masks[:, None] >> np.arange(len(_CLASSES))) & 1).astype(np.int64)
    beyond = np.full(0x110000 - len(ids), ids[0xFFFF])  # past the BMP: as U+FFFF
    return np.r_[ids, beyond].astype(np.uint8 if len(masks) <= 256 else np.int64), members


def _class_counts(arr: pa.Array) -> dict[str, np.ndarray]:
    """Per text, how many of its characters are in each class of :data:`_CLASSES`."""
    ids, members = _mask_ids()
    counts = category_counts(arr, ids, len(members)) @ members
    return {name: counts[:, i] for i, name in enumerate(_CLASSES)}


_WORD_LISTS = ("fa", "ar", "en", "latin_other", "fa_latin", "ar_latin")
# a word of Arabic written in Latin letters with a digit for a letter: 7elw, 3ayez, ma3a, 3ala
# (not a time or a size: 7pm, 5g, 3d; 2 and 8 are left out, English text speak has "me2", "l8r")
_ARABIZI = r"(?i)\b[a-z]*[3579][a-z]+\b"
_NOT_ARABIZI = r"(?i)\b[0-9]+(am|pm|st|nd|rd|th|h|hr|hrs|min|mins|k|m|g|gb|mb|kb|kg|km|x|s|d|p|fa)\b"


@lru_cache(maxsize=1)
def _word_lists() -> tuple[HashIndex, np.ndarray]:
    """(hash index of every listed word, per word: a bit per list of :data:`_WORD_LISTS`)."""
    lexicon = load_lexicon("language")
    hashes = np.concatenate([hash_words(lexicon[name]) for name in _WORD_LISTS])
    bits = np.concatenate([np.full(len(lexicon[name]), 1 << i) for i, name in enumerate(_WORD_LISTS)])
    unique, inverse = np.unique(hashes, return_inverse=True)
    per_word = np.zeros(len(unique), dtype=np.int64)
    np.bitwise_or.at(per_word, inverse, bits)
    return HashIndex(unique), per_word


def _word_counts(tokens: Tokens, n: int) -> dict[str, np.ndarray]:
    """Per text, how many of its words are on each word list (one lookup for all lists)."""
    index, per_word = _word_lists()
    at = index.find(tokens.hash)
    found = np.flatnonzero(at >= 0)
    text, bits = tokens.text[found], per_word[at[found]]
    return {name: np.bincount(text[(bits & (1 << i)) != 0], minlength=n) for i, name in enumerate(_WORD_LISTS)}


_ALEF, _LAM, _MEEM, _NOON, _YEH = (ord(c) for c in "المنی")


@lru_cache(maxsize=1)
def _not_article() -> np.ndarray:
    """Sorted hashes of Persian words that begin with «ال» (``fa_al`` in the word lists)."""
    return np.sort(hash_words(load_lexicon("language")["fa_al"]))


def _morphology_counts(tokens: Tokens, n: int, texts: np.ndarray) -> dict[str, np.ndarray]:
    """Per text (of those where ``texts`` is True), its words with the Arabic article «ال»
    (four letters or more, not a Persian word such as «البته») and its Persian verbs with
    «می» or «نمی» (five letters or more)."""
    words = np.flatnonzero(texts[tokens.text] & (tokens.end - tokens.start >= 4))  # the rules need 4 letters
    start, length = tokens.start[words], tokens.end[words] - tokens.start[words]
    first, second, third = tokens.cp[start], tokens.cp[start + 1], tokens.cp[start + 2]
    article = np.flatnonzero((first == _ALEF) & (second == _LAM))
    keys = _not_article()
    hashes = tokens.hash[words[article]]
    article = article[keys[np.minimum(np.searchsorted(keys, hashes), len(keys) - 1)] != hashes]
    verb = (length >= 5) & (((first == _MEEM) & (second == _YEH))
                            | ((first == _NOON) & (second == _MEEM) & (third == _YEH)))
    return {"article": np.bincount(tokens.text[words[article]], minlength=n),
            "verb": np.bincount(tokens.text[words[verb]], minlength=n)}


def _detect_array(read: pa.Array, tokens: Tokens | None = None) -> np.ndarray:
    """Language codes (object array, None = undecided) of one chunk of texts as
    :func:`~csqa.text.tokens.reading_text` gives them (``tokens``: their words, when
    already cut)."""
    n = _class_counts(read)
    other = n["letter"] - n["arabic"] - n["latin"]
    # a third of the letters in the Arabic script is enough: Persian and Arabic messages carry English
    # words («delivery عالی بود، merci», «الـ support كان helpful جدا»); an English one quoting a word does not
    script_arabic = (n["arabic"] > 0) & (2 * n["arabic"] >= n["latin"]) & (n["arabic"] >= other)
    script_latin = (n["latin"] > 0) & (n["latin"] > 2 * n["arabic"]) & (n["latin"] >= other)
    out = np.full(len(read), None, dtype=object)
    out[(other > 0) & ~script_arabic & ~script_latin] = "other"

    rows = np.flatnonzero(script_arabic)
    tokens = tokenize(read) if tokens is None else tokens
    words, forms = _word_counts(tokens, len(read)), _morphology_counts(tokens, len(read), script_arabic)
    fa = 2 * (n["fa_only"][rows] + words["fa"][rows] + forms["verb"][rows])
    ar = 2 * (n["ar_only"][rows] + words["ar"][rows] + forms["article"][rows])
    fa_hint = (n["fa_yk"][rows] > 0) & (n["ar_yk"][rows] == 0)
    ar_hint = (n["ar_yk"][rows] > 0) & (n["fa_yk"][rows] == 0)
    out[rows[(fa > ar) | ((fa == ar) & fa_hint)]] = "fa"
    out[rows[(ar > fa) | ((fa == ar) & ar_hint)]] = "ar"

    rows = np.flatnonzero(script_latin)
    en, latin_other = words["en"][rows], words["latin_other"][rows]
    fa_latin, ar_latin = words["fa_latin"][rows], words["ar_latin"][rows] + _arabizi_counts(read.take(rows))
    foreign = (latin_other > en) | ((en == 0) & (n["accented"][rows] > 0))
    out[rows] = np.where(foreign, "other", "en")
    finglish = (fa_latin > en) & (fa_latin > ar_latin) & (fa_latin >= latin_other)
    arabizi = (ar_latin > en) & (ar_latin > fa_latin) & (ar_latin >= latin_other)
    out[rows[finglish]] = "fa"
    out[rows[arabizi]] = "ar"
    return out


def _arabizi_counts(read: pa.Array) -> np.ndarray:
    """Per text, its Arabic words written in Latin letters with a digit for a letter."""
    out = np.zeros(len(read), dtype=np.int64)
    if not len(read):
        return out
    rows = np.flatnonzero(pc.fill_null(pc.match_substring_regex(read, "[3579][A-Za-z]"), False)
                          .to_numpy(zero_copy_only=False))
    if len(rows):  # the few texts with a digit before a letter
        some = read.take(rows)
        hits = pc.subtract(pc.count_substring_regex(some, _ARABIZI), pc.count_substring_regex(some, _NOT_ARABIZI))
        out[rows] = hits.to_numpy(zero_copy_only=False)
    return out


def detect_language(texts: pd.Series, *, groups: pd.Series | None = None) -> pd.Series:
    """Language code per text (same index); see the module docstring.

    ``groups``: a key per text (e.g. conversation_id); undecided texts take the most
    frequent language decided in their group (ties: en, ar, fa, other order).
    """
    if not isinstance(texts, pd.Series):
        raise TypeError(f"The 'texts' parameter of detect_language must be a pandas Series. "
                        f"Got {type(texts).__name__} instead.")
    raw = as_arrow(texts).combine_chunks()
    read = read_whole(raw)
    parts = map_chunks(lambda a, b: _detect_array(read[a:b]), len(raw), _CHUNK)
    codes = np.concatenate(parts) if parts else np.zeros(0, dtype=object)
    if groups is not None:
        codes = _fill_from_group(codes, groups.reindex(texts.index), texts.notna().to_numpy())
    return pd.Series(pd.array(codes, dtype=STRING_DTYPE), index=texts.index, name="language")


def _fill_from_group(codes: np.ndarray, groups: pd.Series, has_text: np.ndarray) -> np.ndarray:
    group_code, _ = pd.factorize(groups, use_na_sentinel=True)
    known = (group_code >= 0) & pd.notna(codes)
    lang = pd.Categorical(codes[known], categories=list(LANGUAGE_CODES)).codes
    tally = np.zeros((group_code.max() + 1 if len(group_code) else 0, len(LANGUAGE_CODES)), dtype=np.int64)
    np.add.at(tally, (group_code[known], lang), 1)
    undecided = pd.isna(codes) & (group_code >= 0) & has_text
    votes = tally[group_code[undecided]]
    filled = np.where(votes.max(axis=1) > 0, np.array(LANGUAGE_CODES, dtype=object)[votes.argmax(axis=1)], None)
    codes = codes.copy()
    codes[undecided] = filled
    return codes
