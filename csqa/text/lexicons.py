"""Phrase lexicons shipped as package data, matched on normalised text with pyarrow (RE2).

Phrases are plain text in ``csqa/text/lexicons/*.json``; they are normalised the
same way as messages (:func:`csqa.text.normalize_text`), escaped, and tried
longest first. English phrases must stand as whole words (the end is an ASCII word boundary,
``\b``); Arabic and Persian
ones may carry attached suffixes (سفارشتون, طلبك), so only their start must be
at a word edge.

>>> import pandas as pd
>>> texts = pd.Series(["well, as i said, no", "لطفا شماره سفارشتون", "i said so", None])
>>> find_phrases(texts, ["as i said", "شماره سفارش", "said so?"]).tolist()
['as i said', 'شماره سفارش', nan, nan]
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib import resources

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from csqa.parallel import map_arrow
from csqa.schema import STRING_DTYPE

_BEFORE = r"(?:^|[^\p{L}\p{N}])"
# zero-width, so a phrase right after another can use the space between them as its start
_AFTER = r"\b"


@cache
def load_lexicon(name: str) -> dict:
    """A lexicon from ``csqa/text/lexicons/<name>.json``."""
    text = resources.files("csqa.text").joinpath(f"lexicons/{name}.json").read_text("utf-8")
    return json.loads(text)


def normalized_phrases(phrases: Iterable[str]) -> list[str]:
    """Phrases normalised like message text, without duplicates, longest first."""
    from csqa.text.normalize import normalize_text

    norm = normalize_text(pd.Series(list(phrases), dtype=object)).dropna()
    return sorted(set(norm[norm != ""]), key=lambda p: (-len(p), p))


@lru_cache(maxsize=256)
def phrase_pattern(phrases: tuple[str, ...]) -> str:
    """An RE2 pattern matching any of ``phrases``; groups ``p0``, ``p1``… hold the phrase."""
    groups: dict[tuple[str, str], list[str]] = {}
    for phrase in normalized_phrases(phrases):
        before = _BEFORE if re.match(r"\w", phrase) else ""
        after = _AFTER if phrase.isascii() and re.search(r"\w$", phrase) else ""
        groups.setdefault((before, after), []).append(re.escape(phrase))
    if not groups:
        return r"(?P<p0>[^\s\S])"  # matches nothing
    return "|".join(f"{b}(?P<p{i}>{'|'.join(alts)}){a}" for i, ((b, a), alts) in enumerate(groups.items()))


def as_arrow(texts: pd.Series) -> pa.ChunkedArray:
    """The Series' strings as a (chunked) Arrow array, without copying when already Arrow."""
    values = texts.astype(STRING_DTYPE).array
    data = getattr(values, "_pa_array", None)
    if data is None:
        data = pa.chunked_array([pa.array(values, type=pa.large_string())])
    return data.cast(pa.large_string()) if data.type != pa.large_string() else data


def to_series(data: pa.Array | pa.ChunkedArray, like: pd.Series) -> pd.Series:
    """Arrow strings as a Series with the index and name of ``like``."""
    return pd.Series(pd.array(data, dtype=STRING_DTYPE), index=like.index, name=like.name)


def map_strings(fn, texts: pd.Series, *, size: int = 5_000) -> pd.Series:
    """``fn`` (Arrow strings -> Arrow strings) over ``texts`` in chunks on all cores."""
    return to_series(map_arrow(fn, as_arrow(texts), size=size), texts)


def on_matches(arr: pa.Array, pattern: str, fn, otherwise: pa.Array) -> pa.Array:
    """``fn`` (Arrow strings -> Arrow strings) applied only to the strings of ``arr`` that
    match the RE2 ``pattern``; ``otherwise`` (as long as ``arr``) everywhere else. Most
    texts match none of a lexicon's phrases, so the costly step runs on few.

    >>> arr = pa.array(["a cat", "a dog"], pa.large_string())
    >>> on_matches(arr, "cat", pc.utf8_upper, arr).to_pylist()
    ['A CAT', 'a dog']
    """
    hit = pc.fill_null(pc.match_substring_regex(arr, pattern), False)
    if not pc.any(hit).as_py():
        return otherwise
    return pc.replace_with_mask(otherwise, hit, fn(arr.filter(hit)))


def find_phrases(normalized: pd.Series, phrases: Iterable[str]) -> pd.Series:
    """The first phrase found in each (already normalised) text, missing where none is.

    Phrases are normalised here, so they can be written naturally (قبلاً, ي or ی).
    """
    pattern = phrase_pattern(tuple(phrases))

    def first_phrase(arr: pa.Array) -> pa.Array:
        found = pc.extract_regex(arr, pattern)
        phrase = pa.nulls(len(found), pa.large_string())
        for i in reversed(range(found.type.num_fields)):
            field = pc.struct_field(found, [i])
            phrase = pc.if_else(pc.fill_null(pc.not_equal(field, ""), False), field, phrase)
        return phrase

    return map_strings(lambda arr: on_matches(arr, pattern, first_phrase, pa.nulls(len(arr), pa.large_string())),
                       normalized)


def has_phrase(normalized: pd.Series, phrases: Iterable[str]) -> pd.Series:
    """Whether each (already normalised) text contains any of ``phrases`` (missing = False)."""
    pattern = phrase_pattern(tuple(phrases))
    hit = map_arrow(lambda arr: pc.fill_null(pc.match_substring_regex(arr, pattern), False), as_arrow(normalized))
    return pd.Series(hit.to_numpy(), index=normalized.index)


# Persian verb prefixes written with a space, a ZWNJ or nothing (می خوام, می‌خوام, میخوام)
_PREFIX_GAP = r"(^|[^\p{L}])(ن?می)[ \x{200c}](\p{L})"


def joined_words(normalized: pd.Series) -> pd.Series:
    """A matching form of normalised text in which Persian half-space variants agree: ZWNJ
    removed and the prefix می/نمی joined to its verb (the original text is untouched).

    >>> joined_words(pd.Series(["می خوام", "می\u200cخوام", "میخوام", "nothing else"])).tolist()
    ['میخوام', 'میخوام', 'میخوام', 'nothing else']
    """
    def join(arr: pa.Array) -> pa.Array:
        arr = pc.replace_substring_regex(arr, _PREFIX_GAP, r"\1\2\3")
        return pc.replace_substring(arr, "\u200c", "")

    return map_strings(join, normalized)


@cache
def lexicon_phrases(name: str, section: str) -> tuple[str, ...]:
    """Every language's phrases of ``section`` in lexicon ``name``, in the
    :func:`joined_words` form (match them against ``joined_words(normalize_text(...))``)."""
    phrases = tuple(p for values in load_lexicon(name)[section].values() for p in values)
    return tuple(joined_words(pd.Series(normalized_phrases(phrases), dtype=object)).dropna())


def count_phrases(normalized: pd.Series, phrases: Iterable[str]) -> np.ndarray:
    """How many times any of ``phrases`` occurs in each (already normalised) text."""
    pattern = phrase_pattern(tuple(phrases))
    counts = map_arrow(lambda arr: pc.fill_null(pc.count_substring_regex(arr, pattern), 0), as_arrow(normalized))
    return counts.to_numpy().astype(np.int64)
