"""Shared preparation for metric functions: one sort, integer codes, flat arrays.

Metrics work on :class:`Ordered`: the messages sorted by (conversation, seq),
with conversation codes, group boundaries and per-row numpy arrays, so each
metric is a handful of shifts, cumulative sums and ``bincount`` calls instead of
a Python loop over conversations.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from csqa.arrays import NAT_NS
from csqa.errors import SchemaError
from csqa.schema import KINDS, MESSAGE_COLUMNS, ROLES


@dataclass
class Ordered:
    """Messages in (conversation, seq) order, with helpers over conversation groups."""

    frame: pd.DataFrame       # sorted, RangeIndex
    code: np.ndarray          # conversation code per row (0..n_conv-1), non-decreasing
    conversations: pd.Index   # conversation_id of each code

    @property
    def n_conv(self) -> int:
        return len(self.conversations)

    @cached_property
    def ts(self) -> np.ndarray:
        """Timestamps as int64 nanoseconds since the epoch (UTC)."""
        return self.frame["timestamp"].array.asi8

    @cached_property
    def role(self) -> np.ndarray:
        return self.frame["sender_role"].cat.codes.to_numpy()

    @cached_property
    def kind(self) -> np.ndarray:
        return self.frame["kind"].cat.codes.to_numpy()

    def is_role(self, *roles: str) -> np.ndarray:
        return np.isin(self.role, [ROLES.index(r) for r in roles])

    def is_kind(self, kind: str) -> np.ndarray:
        return self.kind == KINDS.index(kind)

    def is_event(self, name: str) -> np.ndarray:
        return self.is_kind("event") & (self.frame["event"] == name).fillna(False).to_numpy()

    @cached_property
    def first_row(self) -> np.ndarray:
        """First row of each conversation."""
        return np.flatnonzero(np.r_[True, self.code[1:] != self.code[:-1]]) if len(self.code) else self.code

    @cached_property
    def last_row(self) -> np.ndarray:
        """Last row of each conversation."""
        return np.r_[self.first_row[1:] - 1, len(self.code) - 1] if len(self.code) else self.code

    @cached_property
    def group_start(self) -> np.ndarray:
        """Row position where each row's conversation starts."""
        return self.first_row[self.code]

    @cached_property
    def group_end(self) -> np.ndarray:
        """Row position where each row's conversation ends (inclusive)."""
        return self.last_row[self.code]

    def count(self, mask: np.ndarray) -> np.ndarray:
        """Rows per conversation where ``mask`` holds."""
        return np.bincount(self.code[mask], minlength=self.n_conv)

    def first_ts(self, mask: np.ndarray) -> np.ndarray:
        """Earliest timestamp (ns) per conversation among rows in ``mask``; NaT-int if none."""
        return _reduce_ts(self.code[mask], self.ts[mask], self.n_conv, np.minimum)

    def last_ts(self, mask: np.ndarray) -> np.ndarray:
        return _reduce_ts(self.code[mask], self.ts[mask], self.n_conv, np.maximum)

    def ffill_rows(self, column: str) -> np.ndarray:
        """Position of the last non-missing ``column`` value at or before each row
        within its conversation (-1 if none)."""
        pos = np.where(self.frame[column].notna().to_numpy(), np.arange(len(self.code)), -1)
        last = np.maximum.accumulate(pos) if len(pos) else pos
        return np.where(last >= self.group_start, last, -1)

    def bfill_rows(self, column: str) -> np.ndarray:
        """Position of the next non-missing value at or after each row (-1 if none)."""
        n = len(self.code)
        pos = np.where(self.frame[column].notna().to_numpy(), np.arange(n), n)
        nxt = np.minimum.accumulate(pos[::-1])[::-1] if n else pos
        return np.where(nxt <= self.group_end, nxt, -1)

    def last_before(self, mask: np.ndarray, *, inclusive: bool = False) -> np.ndarray:
        """Per row: position of the latest row of its conversation where ``mask`` holds,
        before it (or at it, ``inclusive``); -1 if none."""
        n = len(self.code)
        pos = np.where(mask, np.arange(n), -1)
        last = np.maximum.accumulate(pos) if n else pos
        if not inclusive and n:
            last = np.r_[-1, last[:-1]]
        return np.where(last >= self.group_start, last, -1)

    def next_after(self, mask: np.ndarray) -> np.ndarray:
        """Per row: position of the next row of its conversation where ``mask`` holds, after
        it; -1 if none."""
        n = len(self.code)
        pos = np.where(mask, np.arange(n), n)
        nxt = np.minimum.accumulate(pos[::-1])[::-1] if n else pos
        nxt = np.r_[nxt[1:], n] if n else nxt
        return np.where(nxt <= self.group_end, nxt, -1)

    def first_rows(self, column: str) -> np.ndarray:
        """Position of the first non-missing value per conversation (-1 if none)."""
        return self.bfill_rows(column)[self.first_row]

    def row_keys(self, rows: np.ndarray) -> dict:
        """The columns that locate rows in a result table: conversation_id, message_id, at."""
        return {"conversation_id": self.take("conversation_id", rows), "message_id": self.take("message_id", rows),
                "at": ns_to_timestamps(self.ts[rows])}

    def take(self, column: str, rows: np.ndarray):
        """Values of ``column`` at ``rows`` (-1 gives a missing value), dtype kept."""
        return self.frame[column].array.take(np.asarray(rows, dtype=np.intp), allow_fill=True)


def _reduce_ts(code: np.ndarray, ts: np.ndarray, n: int, op) -> np.ndarray:
    init = np.iinfo("int64").max if op is np.minimum else NAT_NS
    out = np.full(n, init, dtype="int64")
    op.at(out, code, ts)
    out[out == np.iinfo("int64").max] = NAT_NS
    return out


def ns_to_timestamps(ns: np.ndarray) -> pd.Series:
    """int64 ns (NAT for missing) -> tz-aware UTC Series."""
    return pd.Series(ns.view("datetime64[ns]")).dt.tz_localize("UTC")


def seconds_between(start_ns: np.ndarray, end_ns: np.ndarray) -> np.ndarray:
    """(end - start) in float seconds; NaN where either is missing."""
    ok = (start_ns != NAT_NS) & (end_ns != NAT_NS)
    return np.where(ok, (end_ns - start_ns) / 1e9, np.nan)


_NEEDED = ("conversation_id", "timestamp", "sender_role")


def _is_canonical(frame: pd.DataFrame) -> bool:
    """All canonical columns present, roles and kinds as the canonical categories."""
    if not set(MESSAGE_COLUMNS) <= set(frame.columns):
        return False
    for col, categories in (("sender_role", ROLES), ("kind", KINDS)):
        dtype = frame[col].dtype
        if not isinstance(dtype, pd.CategoricalDtype) or list(dtype.categories) != list(categories):
            return False
    return True


def prepare(messages: pd.DataFrame, *, fn: str) -> Ordered:
    """Check the columns a metric needs and order the rows (never mutates the input)."""
    if not isinstance(messages, pd.DataFrame):
        raise TypeError(
            f"The 'messages' parameter of {fn} must be a pandas DataFrame. "
            f"Got {type(messages).__name__} instead."
        )
    missing = [c for c in _NEEDED if c not in messages.columns]
    if missing:
        raise SchemaError(
            f"{fn}: messages lacks required columns {missing}; columns present: "
            f"{list(map(str, messages.columns))}. Hint: build the table with csqa.read_messages()."
        )
    frame = messages
    if not _is_canonical(frame):
        from csqa.schema import coerce_messages

        frame = coerce_messages(frame)
    if not isinstance(frame["timestamp"].dtype, pd.DatetimeTZDtype):
        raise SchemaError(f"{fn}: column 'timestamp' must be tz-aware UTC; found {frame['timestamp'].dtype}")
    if frame["timestamp"].isna().any():
        raise SchemaError(f"{fn}: column 'timestamp' has missing values")
    codes, uniques = pd.factorize(frame["conversation_id"], sort=True)
    if (codes < 0).any():
        raise SchemaError(f"{fn}: column 'conversation_id' has missing values")
    seq = frame["seq"].to_numpy()
    order = np.lexsort((seq, codes))
    if not (np.diff(order) == 1).all():
        frame = frame.iloc[order]
        codes = codes[order]
    frame = frame.reset_index(drop=True)
    if frame["timestamp"].dt.unit != "ns":
        frame = frame.assign(timestamp=frame["timestamp"].dt.as_unit("ns"))
    return Ordered(frame, codes, pd.Index(uniques, name="conversation_id"))
