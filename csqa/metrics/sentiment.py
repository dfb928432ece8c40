"""Sentiment over conversations (DESIGN "Sentiment"): the customer's mood at the start,
at the end and its change, and tone mismatch -- an agent or bot reply in a clearly
positive, canned tone right after a clearly negative customer message, unless the reply
apologises or acknowledges the problem ("Oh no, sorry to hear that! Happy to help 😊",
«متاسفیم! با کمال میل کمکتون می‌کنیم», «نأسف لسماع ذلك! يسعدنا مساعدتك»): that answers the
customer's tone.

Messages are scored with :func:`csqa.text.sentiment.score_sentiment` (or a
``sentiment`` column already in the table, e.g. from ``csqa score``). Only public
messages with text count (notes and events never do).

>>> import pandas as pd
>>> m = pd.DataFrame({
...     "conversation_id": ["c1"] * 4,
...     "timestamp": pd.date_range("2026-01-01 10:00", periods=4, freq="min", tz="UTC"),
...     "sender_role": ["customer", "agent", "customer", "agent"],
...     "text": ["This is terrible, my order is lost again!", "Great news! We are happy to help :)",
...              "ok thanks, that worked", "Glad to hear"],
... })
>>> tone_mismatches(m)[["message_id", "customer_message_id"]].values.tolist()
[['c1:1', 'c1:0']]
>>> conversation_sentiment(m)[["sentiment_first", "sentiment_last"]].round(2).values.tolist()
[[-0.82, 0.62]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from csqa.metrics.frame import Ordered, prepare
from csqa.text.lexicons import has_phrase, joined_words, lexicon_phrases
from csqa.text.normalize import normalize_text
from csqa.text.sentiment import score_sentiment

NEGATIVE, POSITIVE = -0.5, 0.5  # "clearly" negative / positive for tone mismatch
MAX_CHARS = 1000  # of a reply searched for an apology
SENTIMENT_COLUMNS = ("sentiment_first", "sentiment_last", "sentiment_min", "sentiment_change", "tone_mismatch")


def _check_thresholds(negative: float, positive: float) -> None:
    if not -1.0 <= negative < 0.0 < positive <= 1.0:
        raise ValueError(f"The 'negative' and 'positive' parameters of tone mismatch must satisfy "
                         f"-1 <= negative < 0 < positive <= 1. Got {negative!r} and {positive!r} instead.")


def message_scores(o: Ordered, *, scorer=None, replies: str = "all") -> tuple[np.ndarray, np.ndarray]:
    """(rows, sentiment) of the public messages with text, in table order; an existing
    ``sentiment`` column is used as it is unless a ``scorer`` is given.

    ``replies="after_negative"`` scores the customer's messages and only those other
    messages that directly follow a clearly negative one (the rest stay NaN): all that
    the conversation columns, tone mismatches and upsells read, for about half the work.
    """
    rows = np.flatnonzero(o.is_kind("message") & o.frame["text"].notna().to_numpy())
    if "sentiment" in o.frame.columns and scorer is None:
        values = pd.to_numeric(o.frame["sentiment"].iloc[rows], errors="coerce").to_numpy(dtype=float)
        return rows, values
    has_language = "language" in o.frame.columns

    def score(at: np.ndarray) -> np.ndarray:
        language = o.frame["language"].iloc[rows[at]].reset_index(drop=True) if has_language else None
        texts = o.frame["text"].iloc[rows[at]].reset_index(drop=True)
        return score_sentiment(texts, language=language, scorer=scorer)["sentiment"].to_numpy(dtype=float)

    if replies == "all":
        return rows, score(np.arange(len(rows)))
    customer = o.is_role("customer")[rows]
    scores = np.full(len(rows), np.nan)
    scores[customer] = score(np.flatnonzero(customer))
    code = o.code[rows]
    follows_negative = np.r_[False, (code[1:] == code[:-1]) & customer[:-1] & (scores[:-1] <= NEGATIVE)]
    after = np.flatnonzero(follows_negative & ~customer)
    scores[after] = score(after)
    return rows, scores


def _apologises(texts: pd.Series) -> np.ndarray:
    """Whether each reply apologises or acknowledges the problem ("Sorry to hear that!",
    «متاسفیم», «نعتذر»; automation lexicon, section ``apology``)."""
    matchable = joined_words(normalize_text(texts.str.slice(0, MAX_CHARS)))
    return has_phrase(matchable, lexicon_phrases("automation", "apology")).to_numpy()


def find_tone_mismatches(o: Ordered, rows: np.ndarray, scores: np.ndarray, *, negative: float = NEGATIVE,
                         positive: float = POSITIVE) -> pd.DataFrame:
    """Replies (row) right after a clearly negative customer message (customer_row)."""
    customer, reply = o.is_role("customer")[rows], o.is_role("agent", "bot")[rows]
    code = o.code[rows]
    follows = np.zeros(len(rows), bool)
    follows[1:] = (code[1:] == code[:-1]) & customer[:-1] & reply[1:]
    before = np.r_[0.0, scores[:-1]]
    at = np.flatnonzero(follows & (before <= negative) & (scores >= positive))
    at = at[~_apologises(o.frame["text"].iloc[rows[at]])]
    return pd.DataFrame({"row": rows[at], "customer_row": rows[at - 1], "customer_sentiment": before[at],
                         "reply_sentiment": scores[at]})


def sentiment_columns(o: Ordered, rows: np.ndarray, scores: np.ndarray, mismatches: pd.DataFrame) -> pd.DataFrame:
    """Per conversation (in code order): sentiment_first, sentiment_last, sentiment_min,
    sentiment_change (last - first) over customer messages, tone_mismatch."""
    keep = o.is_role("customer")[rows] & ~np.isnan(scores)
    code, values = o.code[rows[keep]], scores[keep]
    first = np.full(o.n_conv, np.nan)
    last = np.full(o.n_conv, np.nan)
    low = np.full(o.n_conv, np.inf)
    first[code[::-1]] = values[::-1]  # the earliest write wins when reversed
    last[code] = values
    np.minimum.at(low, code, values)
    low[np.isinf(low)] = np.nan
    mismatch = np.zeros(o.n_conv, bool)
    mismatch[o.code[mismatches["row"].to_numpy()]] = True
    return pd.DataFrame({"sentiment_first": first, "sentiment_last": last, "sentiment_min": low,
                         "sentiment_change": last - first, "tone_mismatch": mismatch})


def tone_mismatches(messages: pd.DataFrame, *, scorer=None, negative: float = NEGATIVE,
                    positive: float = POSITIVE) -> pd.DataFrame:
    """One row per reply in a clearly positive tone (sentiment >= ``positive``), without an
    apology, right after a clearly negative customer message (<= ``negative``):
    conversation_id, message_id, at, sender_role, customer_message_id, customer_sentiment,
    reply_sentiment."""
    _check_thresholds(negative, positive)
    o = prepare(messages, fn="tone_mismatches")
    rows, scores = message_scores(o, scorer=scorer)
    found = find_tone_mismatches(o, rows, scores, negative=negative, positive=positive)
    at = found["row"].to_numpy()
    return pd.DataFrame({
        **o.row_keys(at), "sender_role": o.take("sender_role", at),
        "customer_message_id": o.take("message_id", found["customer_row"].to_numpy()),
        "customer_sentiment": found["customer_sentiment"].to_numpy(),
        "reply_sentiment": found["reply_sentiment"].to_numpy(),
    })


def conversation_sentiment(messages: pd.DataFrame, *, scorer=None, negative: float = NEGATIVE,
                           positive: float = POSITIVE) -> pd.DataFrame:
    """conversation_id plus the columns of :func:`sentiment_columns` (missing where the
    customer wrote nothing)."""
    _check_thresholds(negative, positive)
    o = prepare(messages, fn="conversation_sentiment")
    rows, scores = message_scores(o, scorer=scorer)
    found = find_tone_mismatches(o, rows, scores, negative=negative, positive=positive)
    table = sentiment_columns(o, rows, scores, found)
    table.insert(0, "conversation_id", o.take("conversation_id", o.first_row))
    return table
