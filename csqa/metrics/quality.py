"""Data quality of a messages table: problems listed, never repaired.

:func:`data_quality` returns one row per finding, so an analyst sees what is odd in
an export before trusting its metrics. Nothing is zeroed, dropped or reordered:
a reply timestamped before its question keeps its negative response time in
:func:`~csqa.metrics.response_times` and the conversation has ``clock_skew`` in
:func:`~csqa.metrics.build_conversations`.

Checks (column ``check``):

- ``clock_skew``: a message timestamped earlier than the message before it in its
  conversation (seq order); ``delta_s`` is the (negative) step. Clocks of two
  systems disagree, or the export's order is not the time order.
- ``negative_response``: a customer turn answered by a reply timestamped before the
  turn's wait started; ``delta_s`` is the response time.
- ``future``: a timestamp later than ``now`` (plus ``tolerance``).
- ``duplicate_seq``: two messages of a conversation share a ``seq``; their order
  is then the order of the rows.
- ``no_messages``: a conversation with events or notes but no message.

>>> import pandas as pd
>>> m = pd.DataFrame({"conversation_id": ["c1"] * 3, "seq": [0, 1, 2],
...     "timestamp": pd.to_datetime(["2026-03-02 10:00", "2026-03-02 09:58", "2026-03-02 10:05"], utc=True),
...     "sender_role": ["customer", "agent", "customer"]})
>>> data_quality(m, now="2026-03-03")[["check", "seq", "delta_s"]].to_dict("list")
{'check': ['clock_skew', 'negative_response'], 'seq': [1, 1], 'delta_s': [-120.0, -120.0]}
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from csqa.metrics.frame import ns_to_timestamps, prepare
from csqa.metrics.timing import _timed, backwards

CHECKS = ("clock_skew", "negative_response", "future", "duplicate_seq", "no_messages")
COLUMNS = ("check", "conversation_id", "message_id", "seq", "timestamp", "previous_timestamp", "delta_s", "detail")


def data_quality(messages: pd.DataFrame, *, now: str | pd.Timestamp | None = None,
                 tolerance: str | pd.Timedelta = "5min") -> pd.DataFrame:
    """One row per finding (see the module docstring), ordered by check, conversation, seq.

    ``now``: the time after which a timestamp is in the future (default: the
    current time; pass a fixed time for reproducible output).
    """
    now_ts = pd.Timestamp.now(tz="UTC") if now is None else pd.Timestamp(now)
    if now_ts.tzinfo is None:
        now_ts = now_ts.tz_localize("UTC")
    limit = (now_ts + pd.Timedelta(tolerance)).value
    o = prepare(messages, fn="data_quality")
    ts, n = o.ts, len(o.code)
    previous = np.r_[ts[:1], ts[:-1]] if n else ts
    seq = o.frame["seq"].to_numpy() if "seq" in o.frame.columns else np.arange(n)
    same = np.r_[False, o.code[1:] == o.code[:-1]] if n else np.zeros(0, bool)
    duplicate = same & (seq == np.r_[seq[:1], seq[:-1]])
    parts = []

    def found(check: str, rows: np.ndarray, before: np.ndarray, detail: np.ndarray | str) -> None:
        if len(rows):
            parts.append(pd.DataFrame({
                "check": check, "conversation_id": o.conversations.to_numpy()[o.code[rows]],
                "message_id": o.take("message_id", rows) if "message_id" in o.frame.columns else None,
                "seq": seq[rows], "timestamp": ns_to_timestamps(ts[rows]),
                "previous_timestamp": ns_to_timestamps(before),
                "delta_s": np.where(before == np.iinfo("int64").min, np.nan, (ts[rows] - before) / 1e9),
                "detail": detail,
            }))

    skew = np.flatnonzero(backwards(o))
    found("clock_skew", skew, previous[skew], "timestamped before the message it follows")
    _, turns, _, table = _timed(messages, "data_quality", False, "first", False, None, o=o)
    negative = np.flatnonzero(table["response_s"].to_numpy() < 0)
    found("negative_response", turns.reply[negative], ts[turns.clock_start[negative]],
          "reply timestamped before the customer's message")
    future = np.flatnonzero(ts > limit)
    found("future", future, np.full(len(future), now_ts.value), f"after {now_ts.isoformat()}")
    dup = np.flatnonzero(duplicate)
    found("duplicate_seq", dup, previous[dup], "same seq as the message before it")
    silent = np.flatnonzero(o.count(o.is_kind("message")) == 0)
    found("no_messages", o.first_row[silent], np.full(len(silent), np.iinfo("int64").min),
          "only events or notes")
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=d) for c, d in zip(COLUMNS, (
            object, object, object, "int64", "datetime64[ns, UTC]", "datetime64[ns, UTC]", "float64", object),
            strict=True)})
    out = pd.concat(parts, ignore_index=True)
    order = np.lexsort((out["seq"].to_numpy(), out["conversation_id"].astype(str).to_numpy(),
                        out["check"].map(CHECKS.index).to_numpy()))
    return out.iloc[order].reset_index(drop=True)[list(COLUMNS)]


def quality_summary(findings: pd.DataFrame) -> str:
    """One line for logs: ``data quality: 3 clock_skew in 2 conversations; ...`` (or ``no problems``).

    >>> quality_summary(pd.DataFrame({"check": ["future"], "conversation_id": ["c1"]}))
    'data quality: 1 future in 1 conversation'
    """
    if findings.empty:
        return "data quality: no problems found"
    parts = []
    for check, group in findings.groupby("check", sort=False):
        k = group["conversation_id"].nunique()
        parts.append(f"{len(group)} {check} in {k} conversation{'s' if k != 1 else ''}")
    return "data quality: " + "; ".join(parts)
