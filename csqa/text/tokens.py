"""Words of many texts at once, as 64-bit hashes with the text each came from.

Everything happens on one flat array of code points (no Python object per word):
characters are folded the way lexicons should not care about -- NFKC, lower case,
Arabic ي ك ى ة to ی ک ی ه, hamza-carrying alefs to ا, digits to ASCII, diacritics,
tatweel and ZWNJ removed («می‌خواهم», «میخواهم» and «مي‌خواهم» are one word) --
then cut into words (letters, digits, apostrophes inside a word) and emoji (one
each), and each word is hashed with a polynomial hash over prefix sums. The same
function hashes lexicon entries, so a lookup is a hash-index lookup.

>>> import pyarrow as pa
>>> t = tokenize(pa.array(["Not good!! 😡", None, "مي‌خواهم كتاب", "می‌خواهم کتاب"]))
>>> t.text.tolist(), t.position.tolist()
([0, 0, 0, 2, 2, 3, 3], [0, 1, 2, 0, 1, 0, 1])
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

from csqa.arrays import rank_in_group
from csqa.text.codepoints import kept_lengths, to_codepoints
from csqa.text.normalize import DROP, _table

_P = np.uint64(0x100000001B3)
_P_INVERSE = np.uint64(pow(int(_P), -1, 2**64))
_PAIR = np.uint64(0x9E3779B97F4A7C15)
_OTHER, _WORD, _EMOJI, _APOSTROPHE = 0, 1, 2, 3
_EMOTICONS = {":)": "🙂", ":-)": "🙂", ":]": "🙂", ":d": "😀", ":-d": "😀", ";)": "😉", ";-)": "😉", ":(": "🙁",
              ":-(": "🙁", ":'(": "😢", "<3": "❤", ":p": "😛"}


@dataclass(frozen=True)
class Tokens:
    """One row per word: its hash, the text it came from and its position in that text;
    ``cp``/``start``/``end``/``prefix`` let :meth:`sub_hash` hash part of a word."""

    hash: np.ndarray  # uint64
    text: np.ndarray  # int64 index of the text
    position: np.ndarray  # int64, 0-based within the text
    cp: np.ndarray  # folded code points of all words, concatenated (uint64)
    start: np.ndarray  # where each word starts in ``cp``
    end: np.ndarray
    prefix: np.ndarray  # prefix sums of the polynomial hash

    def sub_hash(self, rows: np.ndarray, front: int, back: int) -> np.ndarray:
        """Hashes of words ``rows`` without their first ``front`` and last ``back`` characters
        (what :func:`tokenize` would give that shorter word)."""
        return _range_hash(self.prefix, self.start[rows] + front, self.end[rows] - back)

    def char(self, rows: np.ndarray, offset: int) -> np.ndarray:
        """Code point at ``offset`` in each word (negative: from the end; 0 past either end)."""
        at = (self.start[rows] if offset >= 0 else self.end[rows]) + offset
        inside = (at >= self.start[rows]) & (at < self.end[rows])
        if not len(self.cp):
            return np.zeros(len(rows), np.uint64)
        return np.where(inside, self.cp[np.clip(at, 0, len(self.cp) - 1)], np.uint64(0))


_POWERS: list[np.ndarray] = [np.ones(1, np.uint64), np.ones(1, np.uint64)]


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """P**i and P**-i (mod 2**64) for i < n, cached and grown by doubling."""
    powers, inverse = _POWERS
    if len(powers) < n:
        size = max(n, 2 * len(powers), 1 << 16)
        with np.errstate(over="ignore"):
            powers = np.cumprod(np.r_[np.uint64(1), np.full(size - 1, _P, dtype=np.uint64)], dtype=np.uint64)
            inverse = np.cumprod(np.r_[np.uint64(1), np.full(size - 1, _P_INVERSE, dtype=np.uint64)],
                                 dtype=np.uint64)
        _POWERS[:] = [powers, inverse]
    return powers, inverse


def _range_hash(prefix: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    _, inverse = _powers(len(prefix))
    with np.errstate(over="ignore"):
        h = (prefix[b] - prefix[a]) * inverse[a]
        return (h + (b - a).astype(np.uint64)) * _PAIR


@lru_cache(maxsize=1)
def _fold_table() -> np.ndarray:
    table = _table(False).copy()
    table[0x200C] = DROP  # ZWNJ
    return table


@lru_cache(maxsize=1)
def _class_table() -> np.ndarray:
    """Folded code point -> word character, emoji, apostrophe or other."""
    table = np.zeros(0x110000, dtype=np.uint8)
    for c in range(0x10000):
        if unicodedata.category(chr(c))[0] in "LMN":
            table[c] = _WORD
    emoji = [*range(0x1F300, 0x1FB00), *range(0x2600, 0x27C0), 0x2B50, 0x2B55]
    table[emoji] = _EMOJI
    table[[ord("'"), 0x2019]] = _APOSTROPHE
    return table


_FACES = "|".join(re.escape(face) for face in _EMOTICONS).replace("d", "[dD]").replace("p", "[pP]")


def _emoticons_to_emoji(arr: pa.Array) -> pa.Array:
    for face, emoji in _EMOTICONS.items():
        arr = pc.replace_substring(arr, face, f" {emoji} ")
    return arr


def tokenize(texts: pa.Array | pa.ChunkedArray) -> Tokens:
    """The words of each text (missing texts have none); see the module docstring."""
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    arr = texts.cast(pa.large_string())
    faces = pc.fill_null(pc.match_substring_regex(arr, _FACES), False).to_numpy(zero_copy_only=False)
    if faces.any():  # rewrite only the texts with emoticons
        where = np.arange(len(arr))
        where[faces] = len(arr) + np.arange(faces.sum())
        arr = pa.concat_arrays([arr, _emoticons_to_emoji(pc.utf8_lower(arr.filter(pa.array(faces))))]).take(where)
    cp, lengths = to_codepoints(arr)
    cp = _fold_table()[cp]
    kept = cp != DROP
    if not kept.all():
        cp, lengths = cp[kept], kept_lengths(kept, lengths)
    text_ends = np.cumsum(lengths)
    kind = _class_table()[cp]
    same_doc = np.ones(len(cp), bool)  # same text as the character before
    same_doc[(text_ends - lengths)[lengths > 0]] = False  # position 0 included
    word = kind == _WORD
    # an apostrophe is part of a word only between two word characters ("don't")
    apostrophe = kind == _APOSTROPHE
    word[1:-1] |= apostrophe[1:-1] & word[:-2] & word[2:] & same_doc[1:-1] & same_doc[2:]
    in_token = word | (kind == _EMOJI)
    continues = np.zeros(len(cp), bool)  # the character extends the word before it
    continues[1:] = word[1:] & word[:-1] & same_doc[1:]
    text = np.searchsorted(text_ends, np.flatnonzero(in_token & ~continues), side="right")
    cp, starts = cp[in_token], ~continues[in_token]
    first = np.flatnonzero(starts)
    ends = np.empty_like(first)
    ends[:-1], ends[-1:] = first[1:], len(cp)
    cp = cp.astype(np.uint64)
    powers, _ = _powers(len(cp) + 1)
    prefix = np.zeros(len(cp) + 1, np.uint64)
    with np.errstate(over="ignore"):
        np.cumsum(cp * powers[:len(cp)], dtype=np.uint64, out=prefix[1:])
    return Tokens(_range_hash(prefix, first, ends), text, rank_in_group(text), cp, first, ends, prefix)


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


def pair_hash(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Hash of two consecutive words."""
    with np.errstate(over="ignore"):
        return (first * _PAIR) ^ (second + np.uint64(0x632BE59BD9B4E019))
