"""Repeat contact and first-contact resolution (DESIGN "Repeat contact").

A conversation has a **repeat contact** when the same customer opens another
conversation (optionally on the same ``topic``: equal values of a column such as
a tag or queue) before ``within_days`` have passed since this one ended -- or
while it was still going on. **FCR** (first-contact resolution) = resolved, never
reopened, and no repeat contact. "Resolved" means closed when the table has close
events at all, otherwise answered (chat exports often have no close events).

Both are missing (``pd.NA``) where they cannot be known: the customer is unknown,
or the window runs past the end of the data and no repeat was seen yet. Their
means are therefore rates over the conversations that can be judged.

>>> import pandas as pd
>>> conv = pd.DataFrame({
...     "conversation_id": ["a", "b", "c"], "customer_id": ["u1", "u1", "u2"],
...     "started_at": pd.to_datetime(["2026-01-01", "2026-01-03", "2026-01-01"], utc=True),
...     "ended_at": pd.to_datetime(["2026-01-01 01:00", "2026-01-03 01:00", "2026-01-01 01:00"], utc=True),
...     "answered": True, "closed": True, "n_reopens": 0})
>>> repeat_contacts(conv, end="2026-02-01")[["repeat_contact", "fcr"]].values.tolist()
[[True, False], [False, True], [False, True]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from csqa.arrays import NAT_NS, as_flags, utc_ns
from csqa.errors import SchemaError

_NEEDED = ("conversation_id", "customer_id", "started_at", "ended_at")


def repeat_contacts(
    conversations: pd.DataFrame,
    *,
    within_days: float = 7,
    topic: str | None = None,
    end=None,
) -> pd.DataFrame:
    """Per conversation (same order as ``conversations``): next_conversation_id (the
    customer's next conversation, on the same topic if ``topic`` names a column),
    next_contact_s (from this one's end to that one's start; negative if they
    overlap), repeat_contact and fcr (nullable booleans).

    ``end``: when the data ends (default: the latest ``ended_at``), for deciding
    whether the whole window was observed.
    """
    if not isinstance(within_days, int | float) or within_days <= 0:
        raise ValueError(f"The 'within_days' parameter of repeat_contacts must be a positive number. "
                         f"Got {within_days!r} instead.")
    needed = list(_NEEDED) + ([topic] if topic else [])
    missing = [c for c in needed if c not in conversations.columns]
    if missing:
        raise SchemaError(f"repeat_contacts: conversations lacks columns {missing}; columns present: "
                          f"{list(map(str, conversations.columns))}. Hint: build it with build_conversations().")
    start = utc_ns(conversations["started_at"])
    stop = utc_ns(conversations["ended_at"])
    stop = np.where(stop == NAT_NS, start, stop)
    if end is None:
        data_end = int(stop.max()) if len(stop) else 0
    else:
        end_ts = pd.Timestamp(end)
        data_end = (end_ts.tz_localize("UTC") if end_ts.tzinfo is None else end_ts.tz_convert("UTC")).value

    group = pd.factorize(conversations["customer_id"])[0].astype(np.int64)
    if topic:
        topic_code = pd.factorize(conversations[topic])[0]
        group = group * (int(topic_code.max()) + 2) + topic_code + 1
    known_customer = conversations["customer_id"].notna().to_numpy()
    order = np.lexsort((start, group))
    nxt = np.full(len(start), -1)
    same = np.r_[group[order][1:] == group[order][:-1], False]
    nxt[order] = np.where(same, np.r_[order[1:], -1], -1)

    window_ns = int(within_days * 86400 * 1e9)
    has_next = nxt >= 0
    gap_ns = np.where(has_next, start[np.maximum(nxt, 0)] - stop, 0)
    repeat = has_next & (gap_ns <= window_ns) & known_customer
    knowable = known_customer & (repeat | (stop + window_ns <= data_end))
    resolved = _resolved(conversations)
    reopened = _column(conversations, "n_reopens", 0).fillna(0).to_numpy() > 0
    fcr = resolved & ~reopened & ~repeat
    ids = conversations["conversation_id"].to_numpy(dtype=object)
    return pd.DataFrame({
        "next_conversation_id": pd.array(np.where(has_next & known_customer, ids[np.maximum(nxt, 0)], None),
                                         dtype=conversations["conversation_id"].dtype),
        "next_contact_s": np.where(has_next & known_customer, gap_ns / 1e9, np.nan),
        "repeat_contact": pd.array(np.where(knowable, repeat, None), dtype="boolean"),
        # a conversation with a repeat contact, or never resolved, is known not to be FCR
        "fcr": pd.array(np.where(knowable | ~fcr, fcr, None), dtype="boolean"),
    }, index=conversations.index)


def _column(frame: pd.DataFrame, name: str, default) -> pd.Series:
    return frame[name] if name in frame.columns else pd.Series(default, index=frame.index)


def _resolved(conversations: pd.DataFrame) -> np.ndarray:
    """Closed, when the table knows about closing at all; otherwise answered."""
    closed = as_flags(_column(conversations, "closed", False))
    return closed if closed.any() else as_flags(_column(conversations, "answered", True))
