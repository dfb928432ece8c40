"""Transfers: the conversation moving to another agent or queue (DESIGN "Transfer").

A transfer is a change of owner after an owner was already set. Where a
conversation has explicit ``assign``/``transfer`` events (with ``assignee_id``
and/or ``queue``), those are used; otherwise a transfer is inferred from a change
of the human agent replying in public (``source="auto"``, the default). The
first assignment is not a transfer, nor is a bot-to-human handoff or an
assignment to a bot. A move to another queue without a named agent clears the
agent, so the assignment inside the new queue that follows is not counted twice.

``returned`` (ping-pong) marks a transfer back to an agent or queue the
conversation had already been with.

>>> import pandas as pd
>>> m = pd.DataFrame({
...     "conversation_id": ["c1"] * 5,
...     "timestamp": pd.date_range("2026-01-01 10:00", periods=5, freq="min", tz="UTC"),
...     "sender_role": ["customer", "system", "agent", "system", "system"],
...     "kind": ["message", "event", "message", "event", "event"],
...     "event": [None, "assign", None, "transfer", "transfer"],
...     "sender_id": ["u1", None, "ana", None, None],
...     "assignee_id": [None, "ana", None, "bob", "ana"],
...     "queue": [None, "billing", None, "tech", "billing"],
... })
>>> transfers(m)[["from_agent", "to_agent", "to_queue", "returned"]].values.tolist()
[['ana', 'bob', 'tech', False], ['bob', 'ana', 'billing', True]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from csqa.arrays import group_starts, rank_in_group, sorted_distinct
from csqa.metrics.frame import Ordered, prepare
from csqa.schema import STRING_DTYPE

OWNERSHIP_EVENTS = ("assign", "transfer")
_SOURCES = ("auto", "events", "replies")
_UNASSIGNED = -2  # owner code of "in a queue, no agent"; -1 is "not known"


def _ffill_within(values: np.ndarray, group_start: np.ndarray) -> np.ndarray:
    """Carry the last value >= 0 forward within each group (-1 before the first)."""
    pos = np.where(values != -1, np.arange(len(values)), -1)
    last = np.maximum.accumulate(pos) if len(pos) else pos
    return np.where(last >= group_start, values[np.maximum(last, 0)], -1)


def _shift_within(values: np.ndarray, group_start: np.ndarray) -> np.ndarray:
    """The previous row's value within the group (-1 on each group's first row)."""
    prev = np.r_[-1, values[:-1]]
    return np.where(np.arange(len(values)) > group_start, prev, -1)


class _Names:
    """Agent and queue names as integer codes (-1 = missing) shared by all rows."""

    def __init__(self, o: Ordered):
        frame = o.frame
        agents = pd.concat([frame["assignee_id"], frame["sender_id"]], ignore_index=True)
        codes, self.agents = pd.factorize(agents)
        n = len(frame)
        self.assignee, self.sender = codes[:n], codes[n:]
        self.queue, self.queues = pd.factorize(frame["queue"])
        bots = np.unique(self.sender[o.is_role("bot") & (self.sender >= 0)])
        self.assignee = np.where(np.isin(self.assignee, bots), -1, self.assignee)

    def agent(self, codes: np.ndarray) -> pd.array:
        return _names(self.agents, codes)

    def queue_name(self, codes: np.ndarray) -> pd.array:
        return _names(self.queues, codes)


def _names(uniques: pd.Index, codes: np.ndarray):
    values = np.asarray(uniques, dtype=object)
    return pd.array(np.where(codes >= 0, values[np.maximum(codes, 0)] if len(values) else None, None),
                    dtype=STRING_DTYPE)


def _event_transfers(o: Ordered, names: _Names, rows: np.ndarray) -> dict:
    """Transfers among explicit ownership events (``rows``, in order)."""
    code = o.code[rows]
    start = group_starts(code)
    agent, queue = names.assignee[rows], names.queue[rows]
    prev_queue = _shift_within(_ffill_within(queue, start), start)
    moved_queue = (queue >= 0) & (queue != prev_queue)
    # a queue move without a named agent leaves the conversation unassigned
    owner = np.where(agent >= 0, agent, np.where(moved_queue, _UNASSIGNED, -1))
    prev_owner = _shift_within(_ffill_within(owner, start), start)
    agent_change = (agent >= 0) & (prev_owner >= 0) & (agent != prev_owner)
    queue_change = moved_queue & (prev_queue >= 0)
    hit = agent_change | queue_change
    to_queue = _ffill_within(queue, start)
    return {"row": rows[hit], "from_agent": np.where(prev_owner >= 0, prev_owner, -1)[hit],
            "to_agent": agent[hit], "from_queue": prev_queue[hit], "to_queue": to_queue[hit]}


def _reply_transfers(o: Ordered, names: _Names, rows: np.ndarray) -> dict:
    """Transfers inferred from a change of the human agent replying (``rows``)."""
    code = o.code[rows]
    start = group_starts(code)
    sender = names.sender[rows]
    prev = _shift_within(sender, start)
    hit = (sender >= 0) & (prev >= 0) & (sender != prev)
    queue_rows = o.ffill_rows("queue")[rows]
    queue = np.where(queue_rows >= 0, names.queue[np.maximum(queue_rows, 0)], -1)
    prev_queue = _shift_within(queue, start)
    return {"row": rows[hit], "from_agent": prev[hit], "to_agent": sender[hit],
            "from_queue": prev_queue[hit], "to_queue": queue[hit]}


def _returned(code: np.ndarray, frm: np.ndarray, to: np.ndarray) -> np.ndarray:
    """Per transfer (sorted by conversation): did it move (``to`` differs from ``from``) to
    a name that was the ``from`` of this or an earlier transfer?"""
    k = np.arange(len(code))
    earlier = pd.DataFrame({"code": code, "name": frm, "k": k}).groupby(["code", "name"])["k"].min()
    key = pd.MultiIndex.from_arrays([code, to])
    first_from = earlier.reindex(key).to_numpy()
    return (to >= 0) & (to != frm) & (first_from <= k)


def find_transfers(o: Ordered, *, source: str = "auto") -> pd.DataFrame:
    """Transfers of an ordered messages table, with integer codes and row positions."""
    if source not in _SOURCES:
        raise ValueError(f"The 'source' parameter of transfers must be one of {list(_SOURCES)}. "
                         f"Got {source!r} instead.")
    names = _Names(o)
    ownership = (o.is_event("assign") | o.is_event("transfer")) & (
        (names.assignee >= 0) | (names.queue >= 0))
    has_events = o.count(ownership)[o.code] > 0
    replies = o.is_role("agent") & o.is_kind("message")
    use_events = {"auto": has_events, "events": True, "replies": False}[source]
    parts = []
    for kind, rows, finder in (("event", ownership & use_events, _event_transfers),
                               ("inferred", replies & ~np.asarray(use_events), _reply_transfers)):
        found = finder(o, names, np.flatnonzero(rows))
        parts.append(pd.DataFrame({**found, "source": kind}))
    out = pd.concat(parts, ignore_index=True).sort_values("row", kind="stable", ignore_index=True)
    out["code"] = o.code[out["row"].to_numpy()]
    code = out["code"].to_numpy()
    out["returned"] = (_returned(code, out["from_agent"].to_numpy(), out["to_agent"].to_numpy())
                       | _returned(code, out["from_queue"].to_numpy(), out["to_queue"].to_numpy()))
    out.attrs["names"] = names
    return out


def transfer_table(o: Ordered, found: pd.DataFrame) -> pd.DataFrame:
    """The public transfers table from :func:`find_transfers` output."""
    names: _Names = found.attrs["names"]
    rows = found["row"].to_numpy()
    code = found["code"].to_numpy()
    return pd.DataFrame({
        **o.row_keys(rows),
        "number": (rank_in_group(code) + 1).astype("int64"),
        "from_agent": names.agent(found["from_agent"].to_numpy()),
        "to_agent": names.agent(found["to_agent"].to_numpy()),
        "from_queue": names.queue_name(found["from_queue"].to_numpy()),
        "to_queue": names.queue_name(found["to_queue"].to_numpy()),
        "source": pd.Categorical(found["source"], categories=["event", "inferred"]),
        "returned": found["returned"].to_numpy(dtype=bool),
    })


def transfers(messages: pd.DataFrame, *, source: str = "auto") -> pd.DataFrame:
    """One row per transfer: conversation_id, message_id (the event or the new
    agent's first reply), at, number (1-based in the conversation), from_agent,
    to_agent, from_queue, to_queue, source ("event" or "inferred") and returned
    (back to an agent or queue the conversation had already been with).

    ``source``: "auto" (events where a conversation has them, otherwise replies),
    "events" or "replies".
    """
    o = prepare(messages, fn="transfers")
    return transfer_table(o, find_transfers(o, source=source))


def transfer_columns(o: Ordered, found: pd.DataFrame) -> pd.DataFrame:
    """Per conversation (in code order): n_transfers, transferred, n_agents, n_queues, ping_pong."""
    names: _Names = found.attrs["names"]
    n = o.n_conv
    code = found["code"].to_numpy()
    n_transfers = np.bincount(code, minlength=n)
    replied = o.is_role("agent") & o.is_kind("message") & (names.sender >= 0)
    assigned = names.assignee >= 0
    agent_code = np.r_[o.code[replied], o.code[assigned]]
    agent_name = np.r_[names.sender[replied], names.assignee[assigned]]
    has_queue = names.queue >= 0
    return pd.DataFrame({
        "n_transfers": n_transfers,
        "transferred": n_transfers > 0,
        "n_agents": _distinct_per_group(agent_code, agent_name, n),
        "n_queues": _distinct_per_group(o.code[has_queue], names.queue[has_queue], n),
        "ping_pong": np.bincount(code[found["returned"].to_numpy(dtype=bool)], minlength=n) > 0,
    })


def _distinct_per_group(code: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Number of distinct ``values`` per group code 0..n-1."""
    if not len(code):
        return np.zeros(n, dtype="int64")
    key = sorted_distinct(code.astype("int64") * (int(values.max()) + 1) + values)
    return np.bincount(key // (int(values.max()) + 1), minlength=n)


def transfer_flow(transfer_rows: pd.DataFrame, *, by: str = "queue") -> pd.DataFrame:
    """Who transfers to whom: counts of ``from_<by>`` -> ``to_<by>`` ("queue" or "agent"),
    most frequent first, with each pair's share of all transfers.

    >>> t = pd.DataFrame({"from_queue": ["a", "a", "b"], "to_queue": ["b", "b", "a"]})
    >>> transfer_flow(t).values.tolist()
    [['a', 'b', 2, 0.6666666666666666], ['b', 'a', 1, 0.3333333333333333]]
    """
    if by not in ("queue", "agent"):
        raise ValueError(f"The 'by' parameter of transfer_flow must be 'queue' or 'agent'. Got {by!r} instead.")
    src, dst = f"from_{by}", f"to_{by}"
    pairs = transfer_rows[[src, dst]].astype(object).fillna("(none)")
    flow = pairs.value_counts(sort=False).rename("n_transfers").reset_index()
    flow = flow.sort_values(["n_transfers", src, dst], ascending=[False, True, True], ignore_index=True)
    flow["share"] = flow["n_transfers"] / max(len(transfer_rows), 1)
    return flow
