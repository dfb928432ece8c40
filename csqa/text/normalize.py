"""Normalised copies of message text for matching (DESIGN "Text across languages").

The original ``text`` is never changed; these functions return a new Series.
Normalisation, vectorised with pyarrow compute:

- Unicode NFKC (folds Arabic presentation forms and full-width characters;
  never NFKD, which would split آ and أ), then lower case;
- Arabic and Persian letter variants unified: ك/ک, ي/ى/ی, ة→ه, ۀ→ه, أ/إ/ٱ→ا
  (آ is kept); the target forms are Persian by default or Arabic with
  ``language="ar"``;
- Arabic-Indic and Persian digits to ASCII; Arabic comma, semicolon, question
  mark and decimal separators and typographic apostrophes (’ ‘ ʼ) to their ASCII twins;
- tatweel, Arabic diacritics and invisible direction marks removed; the
  zero-width non-joiner (ZWNJ, U+200C) of Persian is **kept**;
- runs of white space collapsed to one space, ends stripped;
- with ``placeholders=True``, URLs, e-mail addresses, @handles and numbers become
  ``<url>``, ``<email>``, ``<user>`` and ``<number>``, so that two messages that differ
  only in a link or an order number match.

>>> import pandas as pd
>>> normalize_text(pd.Series(["قبلاً گفتم: سفارش ۱۲۳ ـــ", "  As I SAID  ", None])).tolist()
['قبلا گفتم: سفارش 123', 'as i said', nan]
>>> normalize_text(pd.Series(["می\u200cخواهم كتاب"])).str.contains("\u200c").tolist()
[True]
>>> normalize_text(pd.Series(["كتاب يوسف"]), language="ar").tolist()
['كتاب يوسف']
>>> normalize_text(pd.Series(["سفارش ۱۲۳۴۵ کجاست؟ www.shop.ir/track", "@Acme mail a.b@x.com"]),
...                placeholders=True).tolist()
['سفارش <number> کجاست? <url>', '<user> mail <email>']
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from csqa.kernels import DROP, map_characters, rows_with
from csqa.parallel import map_chunks
from csqa.text.lexicons import as_arrow, map_strings, on_matches, to_series

ZWNJ = "\u200c"
_DIGITS = {**{chr(0x0660 + d): str(d) for d in range(10)}, **{chr(0x06F0 + d): str(d) for d in range(10)}}
_PUNCTUATION = {"\u060c": ",", "\u061b": ";", "\u061f": "?", "\u066b": ".", "\u066c": ",", "\u066a": "%",
                "\u2019": "'", "\u2018": "'", "\u02bc": "'"}  # typographic apostrophes: "don’t" is "don't"
_LETTERS = {"ة": "ه", "ۀ": "ه", "أ": "ا", "إ": "ا", "ٱ": "ا"}
_TO_PERSIAN = {"ك": "ک", "ي": "ی", "ى": "ی"}
_TO_ARABIC = {"ک": "ك", "ی": "ي", "ى": "ي"}
# tatweel, harakat and Quranic marks, superscript alef; bidi marks, ZWSP, ZWJ, BOM (not ZWNJ)
_REMOVE = [0x0640, *range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE), 0x200B, *range(0x200D, 0x2010),
           *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF]
_SPACES = [*range(0x09, 0x0E), 0x20, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F,
           0x205F, 0x3000]
LANGUAGES = ("en", "ar", "fa")
# on normalised (lower-case, ASCII-digit) text
URL = r"(?:https?://|www\.)\S*[^\s.,;:!?)\]}'\"]"
EMAIL = r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+"
HANDLE = r"@[\p{L}\p{N}_]+"  # Twitter, Telegram, Instagram handles; WhatsApp mentions of a name («@محمد»)
NUMBER = r"\b\d+(?:[.,:/-]\d+)*\b"
_PLACEHOLDERS = ((URL, "<url>"), (EMAIL, "<email>"), (HANDLE, "<user>"), (NUMBER, "<number>"))
CHUNK = 5_000  # strings per vectorised step
# an e-mail reply's quoted history, from its header line ("On Mon, 2 Jun 2025, Anna wrote:", Outlook's
# "-----Original Message-----" or "From: … Sent: …", Persian and Arabic Gmail's «در تاریخ … نوشت:», «في … كتب …:»)
# to the end, and quoted lines ("> …")
QUOTED = (r"(?ms)^[ \t]*(?:On [^\n]{4,200}wrote:|-{2,} ?Original Message ?-{2,}|From: [^\n]*\n[ \t]*Sent: |"
           r"در تاریخ [^\n]{4,200}نوشت:|في [^\n]{4,200}كتب[^\n]{0,100}:).*|(?m)^[ \t]*>[^\n]*")


@lru_cache(maxsize=2)
def _table(arabic: bool) -> np.ndarray:
    """Code point -> normalised code point (``DROP`` = remove), for every code point.

    Folds in NFKC and lower case for each Basic Multilingual Plane character whose
    NFKC form is one character; rows with characters whose NFKC form is longer or
    that compose with a neighbour go through full NFKC first (:data:`_NEEDS_NFKC`).
    """
    table = np.arange(0x110000, dtype=np.uint32)
    for c in range(0x80, 0x10000):
        folded = unicodedata.normalize("NFKC", chr(c)).lower()
        if len(folded) == 1:
            table[c] = ord(folded)
    table[0x41:0x5B] += 0x20  # ASCII A-Z
    mapping = {**_DIGITS, **_PUNCTUATION, **_LETTERS, **(_TO_ARABIC if arabic else _TO_PERSIAN)}
    for old, new in mapping.items():  # also the presentation forms NFKC folded into ``old``
        table[table == ord(old)] = ord(new)
    table[_REMOVE] = DROP
    table[_SPACES] = 0x20
    return table


@lru_cache(maxsize=1)
def _needs_nfkc() -> np.ndarray:
    """Per code point: True for the characters the per-character table cannot fold --
    those whose NFKC form is several characters (ligatures such as ﻻ) and combining
    marks that compose with the previous character."""
    needs = np.zeros(0x110000, dtype=bool)
    removed = set(_REMOVE) - {0x0653, 0x0654, 0x0655}  # madda and hamza compose: آ أ إ
    needs[[c for c in range(0x80, 0x10000) if c not in removed
           and (len(unicodedata.normalize("NFKC", chr(c))) > 1 or unicodedata.combining(chr(c)))]] = True
    return needs


@lru_cache(maxsize=1)
def _letter_table() -> np.ndarray:
    """Code point -> itself for letters, marks and ZWNJ; -> space for everything else."""
    table = np.full(0x110000, 0x20, dtype=np.uint32)
    letters = [c for c in range(0x10000) if unicodedata.category(chr(c))[0] in "LM"] + [0x200C]
    table[letters] = letters
    return table


def letters_array(arr: pa.Array) -> pa.Array:
    """:func:`letters_only` on an Arrow array."""
    return map_characters(arr, _letter_table())


def letters_only(normalized: pd.Series) -> pd.Series:
    """Words only: everything but letters (and ZWNJ) becomes one space.

    >>> letters_only(pd.Series(["order #123-45, ok?", "می‌خواهم!"])).tolist()
    ['order ok', 'می‌خواهم']
    """
    return map_strings(letters_array, normalized, size=CHUNK)


def _normalize_array(arr: pa.Array, arabic: np.ndarray, placeholders: bool) -> pa.Array:
    """``arabic``: per string, use Arabic letter forms (else Persian)."""
    composed = rows_with(arr, _needs_nfkc())
    if composed.any():  # rare: full NFKC first for the strings that need it
        arr = pc.if_else(pa.array(composed), pc.utf8_normalize(arr, "NFKC"), arr)
    arr = map_characters(arr, _table(False), other_table=_table(True), use_other=arabic)
    for pattern, placeholder in _PLACEHOLDERS if placeholders else ():
        arr = pc.replace_substring_regex(arr, pattern, placeholder)
    return arr


def normalize_text(texts: pd.Series, *, language: str | pd.Series | None = None,
                   placeholders: bool = False) -> pd.Series:
    """A normalised copy of ``texts`` for matching (same index; missing stays missing).

    ``language``: None (one form for all: Persian letters, which suits matching
    within a conversation), "en"/"ar"/"fa" for all rows, or a Series of codes per
    row (rows coded "ar" get Arabic ك/ي, all others Persian ک/ی). ``placeholders``:
    URLs, e-mail addresses, @handles and numbers as ``<url>``, ``<email>``, ``<user>``,
    ``<number>``.
    """
    if not isinstance(texts, pd.Series):
        raise TypeError(f"The 'texts' parameter of normalize_text must be a pandas Series. "
                        f"Got {type(texts).__name__} instead.")
    if isinstance(language, str) and language not in LANGUAGES:
        raise ValueError(f"The 'language' parameter of normalize_text must be one of "
                         f"{list(LANGUAGES)}, a Series or None. Got {language!r} instead.")
    arr = as_arrow(texts).combine_chunks()
    if isinstance(language, pd.Series):
        arabic = (language.reindex(texts.index) == "ar").fillna(False).to_numpy(dtype=bool)
    else:
        arabic = np.full(len(texts), language == "ar")
    # small chunks keep every temporary array small, which is several times faster
    parts = map_chunks(lambda a, b: _normalize_array(arr[a:b], arabic[a:b], placeholders), len(arr), CHUNK)
    return to_series(pa.chunked_array([p for p in parts if len(p)], type=pa.large_string()), texts)


def unquoted_array(arr: pa.Array) -> pa.Array:
    """Arrow strings without an e-mail reply's quoted history (:data:`QUOTED`)."""
    return pc.replace_substring_regex(arr, QUOTED, "\n")


def without_quoted(texts: pd.Series) -> pd.Series:
    """``texts`` without an e-mail reply's quoted history: from its header line ("On Mon,
    2 Jun 2025, Anna wrote:", "-----Original Message-----", «در تاریخ … نوشت:», «في … كتب
    …:») to the end, and lines starting with ">"; the customer's own words only.

    >>> without_quoted(pd.Series(["Still broken.\\nOn Mon, 2 Jun, Acme wrote:\\n> Glad to help!"])).str.strip().tolist()
    ['Still broken.']
    """
    return map_strings(lambda arr: on_matches(arr, QUOTED, unquoted_array, arr), texts)
