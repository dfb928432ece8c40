"""Response-time metrics: customer turns, replies, first response, resolution.

Definitions (DESIGN "Metric definitions"): a *customer turn* is a run of
consecutive public customer messages; its wait starts at the first message of the
run (``burst="last"``: the last) and ends at the next public message by a human
agent. Bot messages, internal notes and events never stop the clock unless
``include_bots=True`` (then a bot message counts as a reply). With
``from_handoff=True`` a conversation that has a bot-to-human ``handoff`` event
starts waiting at the handoff: customer messages before it were the bot's.

Everything is computed on flat arrays after one sort (no per-conversation loop).

>>> import pandas as pd
>>> m = pd.DataFrame({
...     "conversation_id": ["c1"] * 4,
...     "timestamp": pd.to_datetime(["2026-01-01 10:00:00", "2026-01-01 10:00:20",
...                                  "2026-01-01 10:01:00", "2026-01-01 10:03:00"], utc=True),
...     "sender_role": ["customer", "customer", "agent", "customer"],
... })
>>> response_times(m)[["turn", "response_s", "answered"]].to_dict("list")
{'turn': [0, 1], 'response_s': [60.0, nan], 'answered': [True, False]}
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from csqa.arrays import NAT_NS, rank_in_group
from csqa.calendars import Calendar, CalendarSet, as_calendar_set
from csqa.metrics.frame import Ordered, ns_to_timestamps, prepare, seconds_between

_BURSTS = ("first", "last")


@dataclass
class Turns:
    """Customer turns as arrays (row positions refer to ``Ordered.frame``)."""

    start: np.ndarray      # row of the first customer message of the turn
    end: np.ndarray        # row of the last customer message of the turn
    reply: np.ndarray      # row of the reply, -1 if unanswered
    clock_start: np.ndarray  # row where the wait starts (start or end, by burst)
    code: np.ndarray       # conversation code
    number: np.ndarray     # 0-based turn number within the conversation

    @property
    def answered(self) -> np.ndarray:
        return self.reply >= 0


def _check_options(fn: str, burst: str) -> None:
    if burst not in _BURSTS:
        raise ValueError(
            f"The 'burst' parameter of {fn} must be one of {list(_BURSTS)}. Got {burst!r} instead."
        )


def find_turns(o: Ordered, *, include_bots: bool, burst: str, from_handoff: bool) -> Turns:
    """Locate every customer turn and the reply that ends it."""
    customer = o.is_role("customer") & o.is_kind("message")
    responders = ("agent", "bot") if include_bots else ("agent",)
    reply = o.is_role(*responders) & o.is_kind("message")
    if from_handoff:
        handoff = o.is_event("handoff")
        # first handoff per conversation; customer messages before it belonged to the bot
        first_handoff = np.full(o.n_conv, np.iinfo("int64").max)
        np.minimum.at(first_handoff, o.code[handoff], np.flatnonzero(handoff))
        cut = first_handoff[o.code]
        pos = np.arange(len(o.code))
        after_handoff = (customer & (pos > cut)) | (handoff & (pos == cut))
        has_handoff = cut != np.iinfo("int64").max  # without one, nothing changes
        customer = np.where(has_handoff, after_handoff, customer)
    relevant = np.flatnonzero(customer | reply)
    is_cust = customer[relevant]
    code = o.code[relevant]
    same_prev = np.r_[False, code[1:] == code[:-1]]
    same_next = np.r_[code[1:] == code[:-1], False]
    prev_cust = np.r_[False, is_cust[:-1]]
    next_cust = np.r_[is_cust[1:], False]
    starts = np.flatnonzero(is_cust & ~(same_prev & prev_cust))
    ends = np.flatnonzero(is_cust & ~(same_next & next_cust))
    answered = same_next[ends] & ~next_cust[ends]
    reply_rows = np.where(answered, relevant[np.minimum(ends + 1, len(relevant) - 1)], -1)
    start_rows, end_rows = relevant[starts], relevant[ends]
    turn_code = code[starts]
    number = rank_in_group(turn_code)
    clock = start_rows if burst == "first" else end_rows
    return Turns(start_rows, end_rows, reply_rows.astype("int64"), clock, turn_code, number)


def _turn_queue_rows(o: Ordered, turns: Turns) -> np.ndarray:
    """Row holding the queue that owned the conversation when the turn was answered
    (for an unanswered turn: when it started; before any assignment: the first one)."""
    at = np.where(turns.answered, turns.reply, turns.clock_start)
    before = o.ffill_rows("queue")[at]
    return np.where(before >= 0, before, o.bfill_rows("queue")[at])


def _turn_table(o: Ordered, turns: Turns, calendar: CalendarSet | None) -> pd.DataFrame:
    clock_ns = o.ts[turns.clock_start]
    reply_ns = np.where(turns.answered, o.ts[np.maximum(turns.reply, 0)], NAT_NS)
    out = pd.DataFrame({
        "conversation_id": o.conversations[turns.code],
        "turn": turns.number.astype("int64"),
        "customer_message_id": o.take("message_id", turns.clock_start),
        "customer_at": ns_to_timestamps(clock_ns),
        "responded_at": ns_to_timestamps(reply_ns),
        "response_s": seconds_between(clock_ns, reply_ns),
        "responder_id": o.take("sender_id", turns.reply),
        "answered": turns.answered,
        "channel": o.take("channel", o.first_rows("channel")[turns.code]),
        "queue": o.take("queue", _turn_queue_rows(o, turns)),
    })
    if calendar is not None:
        out["response_bh_s"] = calendar.business_seconds(clock_ns, reply_ns, out["queue"])
    return out


def response_times(
    messages: pd.DataFrame,
    *,
    include_bots: bool = False,
    burst: str = "first",
    from_handoff: bool = False,
    calendar: Calendar | CalendarSet | None = None,
) -> pd.DataFrame:
    """One row per customer turn: when the customer started waiting, who replied, when.

    Columns: conversation_id, turn (0-based), customer_message_id, customer_at,
    responded_at, response_s, responder_id, answered, channel, queue, and
    response_bh_s (business seconds) when ``calendar`` is given. An unanswered
    turn keeps its row with ``answered=False`` and missing response values.
    """
    return _timed(messages, "response_times", include_bots, burst, from_handoff, calendar)[3]


def _timed(messages, fn, include_bots, burst, from_handoff, calendar, o: Ordered | None = None):
    """Shared start of the timing functions: checks, one sort, turns and their table."""
    _check_options(fn, burst)
    o = o if o is not None else prepare(messages, fn=fn)
    turns = find_turns(o, include_bots=include_bots, burst=burst, from_handoff=from_handoff)
    cal = as_calendar_set(calendar) if calendar is not None else None
    return o, turns, cal, _turn_table(o, turns, cal)


def _per_conv_stats(values: np.ndarray, code: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Median and max of ``values`` per conversation code (NaN where none)."""
    ok = ~np.isnan(values)
    s = pd.Series(values[ok])
    grouped = s.groupby(code[ok])
    median = grouped.median().reindex(range(n)).to_numpy()
    maximum = grouped.max().reindex(range(n)).to_numpy()
    return median, maximum


def backwards(o: Ordered) -> np.ndarray:
    """Rows timestamped earlier than the row before them in their conversation (in seq
    order): clocks of two systems disagree. Durations across them can be negative;
    they are kept as they are and flagged (see :func:`csqa.metrics.data_quality`)."""
    same = np.r_[False, o.code[1:] == o.code[:-1]]
    return same & (o.ts < np.r_[o.ts[:1], o.ts[:-1]])


def conversation_timing(o: Ordered, turns: Turns, cal: CalendarSet | None, turn_table: pd.DataFrame) -> pd.DataFrame:
    """The timing and count columns of the conversations table (see
    :func:`csqa.metrics.build_conversations`), one row per conversation code."""
    n = o.n_conv

    is_msg = o.is_kind("message")
    customer_msg = o.is_role("customer") & is_msg
    started = o.first_ts(is_msg)
    started = np.where(started == NAT_NS, o.first_ts(np.ones(len(o.code), bool)), started)
    ended = o.last_ts(np.ones(len(o.code), bool))
    first_customer = o.first_ts(customer_msg)
    close = o.is_event("close")
    reopen = o.is_event("reopen")
    first_close, last_close = o.first_ts(close), o.last_ts(close)
    last_reopen = o.last_ts(reopen)

    n_turns = np.bincount(turns.code, minlength=n)
    n_answered = np.bincount(turns.code[turns.answered], minlength=n)
    response = turn_table["response_s"].to_numpy()
    first_turn = turns.number == 0
    first_response = np.full(n, np.nan)
    first_response[turns.code[first_turn]] = response[first_turn]
    median, maximum = _per_conv_stats(response, turns.code, n)

    out = pd.DataFrame({
        "conversation_id": o.conversations.to_numpy(),
        "started_at": ns_to_timestamps(started),
        "ended_at": ns_to_timestamps(ended),
        "channel": o.take("channel", o.first_rows("channel")),
        "queue": o.take("queue", o.first_rows("queue")),
        "final_queue": o.take("queue", o.ffill_rows("queue")[o.last_row]),
        "customer_id": o.take("customer_id", o.first_rows("customer_id")),
        "n_messages": o.count(is_msg),
        "n_customer_messages": o.count(customer_msg),
        "n_agent_messages": o.count(o.is_role("agent") & is_msg),
        "n_bot_messages": o.count(o.is_role("bot") & is_msg),
        "n_notes": o.count(o.is_kind("note")),
        "n_turns": n_turns,
        "n_answered_turns": n_answered,
        "answered": n_answered > 0,
        "first_response_s": first_response,
        "median_response_s": median,
        "max_response_s": maximum,
        "resolution_s": seconds_between(first_customer, last_close),
        "first_resolution_s": seconds_between(first_customer, first_close),
        "n_reopens": o.count(reopen),
        "closed": (last_close != NAT_NS) & (last_close >= last_reopen),
        "clock_skew": o.count(backwards(o)) > 0,
    })
    out["conversation_id"] = out["conversation_id"].astype(o.frame["conversation_id"].dtype)
    if cal is not None:
        bh = turn_table["response_bh_s"].to_numpy()
        first_bh = np.full(n, np.nan)
        first_bh[turns.code[first_turn]] = bh[first_turn]
        median_bh, max_bh = _per_conv_stats(bh, turns.code, n)
        queue = out["queue"]
        out["first_response_bh_s"] = first_bh
        out["median_response_bh_s"] = median_bh
        out["max_response_bh_s"] = max_bh
        out["resolution_bh_s"] = cal.business_seconds(first_customer, last_close, queue)
        out["first_resolution_bh_s"] = cal.business_seconds(first_customer, first_close, queue)
        contact = np.where(first_customer == NAT_NS, started, first_customer)
        out["outside_hours"] = ~cal.is_open(contact, queue)
    return out
