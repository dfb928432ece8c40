"""How hard agents' messages are to read, in English, Arabic and Persian.

The score is LIX (Björnsson's readability index, used across languages because it needs
no syllable counting) plus a penalty for bureaucratic language:

    readability = words / sentences + 100 * long_words / words + 15 * formal / sentences

- a *sentence* ends at ``. ! ? ؟ ۔`` or a line break (a text without one is one sentence);
- a *word* is a run of letters (a Persian ZWNJ stays inside the word); a *long word* has
  more than six letters;
- *formal* counts bureaucratic and passive markers from the lexicon ("please be advised",
  "has been forwarded", «به استحضار می‌رساند», «مقتضی است», «نحيطكم علما», «سيتم») and
  English passives (be + a word ending in -ed).

LIX reads roughly: below 30 very easy, 30-40 easy, 40-50 medium, 50-60 hard, above 60 very
hard; ``hard_to_read`` is ``readability >= 55``. Only public agent messages are scored
(``roles`` to change).

>>> import pandas as pd
>>> m = pd.DataFrame({
...     "conversation_id": ["c1", "c1"], "sender_role": ["agent", "agent"], "sender_id": ["a", "b"],
...     "timestamp": pd.to_datetime(["2026-01-01 10:00", "2026-01-01 10:01"], utc=True),
...     "text": ["Done! Your refund is on its way.",
...              "Please be advised that your aforementioned request has been forwarded to the relevant department."]})
>>> readability(m)[["n_words", "n_sentences", "n_long_words", "n_formal"]].values.tolist()
[[7, 2, 0, 0], [14, 1, 6, 4]]
>>> agent_readability(m)[["sender_id", "readability"]].round(1).values.tolist()
[['a', 3.5], ['b', 116.9]]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from csqa.metrics.frame import Ordered, prepare
from csqa.parallel import map_arrow
from csqa.schema import ROLES
from csqa.text.lexicons import as_arrow, count_phrases, joined_words, lexicon_phrases, phrase_pattern
from csqa.text.normalize import normalize_text

HARD = 55.0
LONG_WORD = 6  # letters; longer words are "long"
FORMAL_WEIGHT = 15.0
_WORD = r"\p{L}[\p{L}\p{M}\x{200c}]*"
_LONG_WORD = rf"\p{{L}}(?:[\p{{M}}\x{{200c}}]*\p{{L}}){{{LONG_WORD},}}[\p{{L}}\p{{M}}\x{{200c}}]*"
_SENTENCE_END = r"[.!?؟۔\n]+"
_PASSIVE = r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?\w+ed\b"


def _count(texts: pa.ChunkedArray, pattern: str) -> np.ndarray:
    found = map_arrow(lambda arr: pc.fill_null(pc.count_substring_regex(arr, pattern), 0), texts)
    return found.to_numpy().astype(np.int64)


def _formal(matchable: pd.Series) -> np.ndarray:
    """Lexicon markers, then English passives outside them (each marker counted once)."""
    pattern = phrase_pattern(lexicon_phrases("automation", "formal"))
    found = count_phrases(matchable, lexicon_phrases("automation", "formal"))
    rest = map_arrow(lambda arr: pc.replace_substring_regex(arr, pattern, " "), as_arrow(matchable))
    return found + _count(rest, _PASSIVE)


def score_readability(texts: pd.Series) -> pd.DataFrame:
    """Per text: n_words, n_sentences, n_long_words, n_formal, words_per_sentence,
    long_word_share, readability and hard_to_read (texts without words: missing score)."""
    norm = normalize_text(texts)
    arr = as_arrow(norm)
    words = _count(arr, _WORD)
    # a closing mark at the very end adds no sentence; a text without one is one sentence
    ends = _count(pc.utf8_rtrim(arr, characters=".!?؟۔\n "), _SENTENCE_END)
    sentences = np.where(words > 0, ends + 1, 0)
    long_words = _count(arr, _LONG_WORD)
    formal = _formal(joined_words(norm))
    with np.errstate(divide="ignore", invalid="ignore"):
        per_sentence = np.where(words > 0, words / sentences, np.nan)
        long_share = np.where(words > 0, long_words / words, np.nan)
        score = per_sentence + 100 * long_share + FORMAL_WEIGHT * formal / sentences
    return pd.DataFrame({"n_words": words, "n_sentences": sentences, "n_long_words": long_words, "n_formal": formal,
                         "words_per_sentence": per_sentence, "long_word_share": long_share,
                         "readability": score, "hard_to_read": score >= HARD}, index=texts.index)


def _check_roles(roles: Sequence[str]) -> list[str]:
    roles = [roles] if isinstance(roles, str) else list(roles)
    bad = [r for r in roles if r not in ROLES]
    if bad or not roles:
        raise ValueError(f"The 'roles' parameter of readability must list roles among {list(ROLES)}. "
                         f"Got {roles!r} instead.")
    return roles


def find_readability(o: Ordered, roles: Sequence[str] = ("agent",)) -> tuple[np.ndarray, pd.DataFrame]:
    rows = np.flatnonzero(o.is_role(*roles) & o.is_kind("message") & o.frame["text"].notna().to_numpy())
    return rows, score_readability(o.frame["text"].iloc[rows].reset_index(drop=True))


def readability(messages: pd.DataFrame, *, roles: Sequence[str] = ("agent",)) -> pd.DataFrame:
    """One row per public message of ``roles`` with text: conversation_id, message_id, at,
    sender_id and the columns of :func:`score_readability`."""
    roles = _check_roles(roles)
    o = prepare(messages, fn="readability")
    rows, scores = find_readability(o, roles)
    keys = pd.DataFrame({**o.row_keys(rows), "sender_id": o.take("sender_id", rows)})
    return pd.concat([keys, scores], axis=1)


def agent_readability(messages: pd.DataFrame, *, roles: Sequence[str] = ("agent",)) -> pd.DataFrame:
    """Per sender: messages, mean readability, words_per_sentence, long_word_share,
    formal markers per message and the share of messages that are hard to read."""
    scored = readability(messages, roles=roles)
    g = scored.groupby("sender_id", observed=True, sort=True)
    return pd.DataFrame({
        "messages": g.size(), "readability": g["readability"].mean(),
        "words_per_sentence": g["words_per_sentence"].mean(), "long_word_share": g["long_word_share"].mean(),
        "formal_per_message": g["n_formal"].mean(), "hard_share": g["hard_to_read"].mean(),
    }).reset_index()
