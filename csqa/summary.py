"""What a report shows first: the period, headline KPIs against the previous period,
the worst conversations and their transcripts.

>>> import pandas as pd
>>> now = pd.Timestamp("2026-11-19 10:00", tz="UTC")      # a Thursday
>>> report_window("last-week", now=now, timezone="UTC")
(Timestamp('2026-11-09 00:00:00+0000', tz='UTC'), Timestamp('2026-11-16 00:00:00+0000', tz='UTC'))
>>> report_window("last-7-days", now=now)[0]
Timestamp('2026-11-12 00:00:00+0000', tz='UTC')
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from csqa.aggregate import effort_rates
from csqa.i18n import format_dates, tr

PERIODS = ("all", "last-day", "last-week", "last-month", "last-N-days")
_DAYS = re.compile(r"last-(\d+)-days")
_NEGATIVE = -0.05


def _local(when, timezone: str) -> pd.Timestamp:
    stamp = pd.Timestamp(when)
    return stamp.tz_localize(timezone) if stamp.tzinfo is None else stamp.tz_convert(timezone)


def report_window(
    period: str = "all", *, since=None, until=None, now=None, timezone: str = "UTC", week_start: int = 0,
) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """``[start, end)`` of a report period, in UTC (``None`` = open).

    ``period``: ``all``, ``last-day`` (yesterday), ``last-week`` (the last whole
    week before ``now``, starting on ``week_start``: 0 = Monday, 5 = Saturday),
    ``last-month`` (the last whole calendar month) or ``last-N-days`` (the N whole
    days before today). Days are local days in ``timezone``. ``since``/``until``
    override either end. ``now`` defaults to the current time; pass a fixed one
    for runs that must give the same report whenever they run.
    """
    now = _local(pd.Timestamp.now(tz="UTC") if now is None else now, timezone)
    today = now.normalize()
    if period == "all":
        start = end = None
    elif period == "last-day":
        start, end = today - pd.Timedelta(days=1), today
    elif period == "last-week":
        end = today - pd.Timedelta(days=(today.day_of_week - week_start) % 7)
        start = end - pd.Timedelta(days=7)
    elif period == "last-month":
        end = today.replace(day=1)
        start = (end - pd.Timedelta(days=1)).replace(day=1)
    elif match := _DAYS.fullmatch(period):
        start, end = today - pd.Timedelta(days=int(match.group(1))), today
    else:
        raise ValueError(f"report period must be one of {list(PERIODS)} (N a number of days); got {period!r}")
    start = _local(since, timezone) if since is not None else start
    end = _local(until, timezone) if until is not None else end
    if start is not None and end is not None and start >= end:
        raise ValueError(f"the report period is empty: it starts at {start} and ends at {end}")
    utc = [None if t is None else t.tz_convert("UTC") for t in (start, end)]
    return utc[0], utc[1]


def week_period(week_start: int = 0) -> str:
    """The pandas period alias of weeks starting on ``week_start`` (0 = Monday ... 5 = Saturday).

    >>> week_period(0), week_period(5)
    ('W-SUN', 'W-FRI')
    """
    return "W-" + ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")[(week_start - 1) % 7]


def previous_window(start: pd.Timestamp | None, end: pd.Timestamp | None) -> tuple:
    """The window of the same length just before ``[start, end)`` (``(None, None)`` if open)."""
    if start is None or end is None:
        return None, None
    return start - (end - start), start


def in_window(table: pd.DataFrame, start, end, *, column: str = "started_at") -> pd.DataFrame:
    """Rows of ``table`` whose ``column`` falls in ``[start, end)`` (an open end keeps all)."""
    keep = pd.Series(True, index=table.index)
    if start is not None:
        keep &= table[column] >= start
    if end is not None:
        keep &= table[column] < end
    return table[keep]


def _rate(flags: pd.Series) -> tuple[float, int]:
    values = flags.astype("Float64").dropna()
    return (float(values.mean()) if len(values) else np.nan), len(values)


def _quantile(values: pd.Series, scale: float, q: float = 0.5) -> tuple[float, int]:
    v = values.dropna()
    return (float(v.quantile(q)) / scale if len(v) else np.nan), len(v)


def _measures(conversations: pd.DataFrame, sla_target_s: float) -> dict[str, tuple[float, int]]:
    c = conversations
    waited = c["n_turns"] > 0
    unanswered = (~c["answered"].astype(bool))[waited]
    breached = unanswered | (c["first_response_s"][waited] > sla_target_s)
    effort = effort_rates(c).iloc[0] if len(c) else None
    out = {
        "conversations": (float(len(c)), len(c)),
        "unanswered_rate": _rate(unanswered),
        "first_response_median": _quantile(c["first_response_s"], 60),
        "first_response_p90": _quantile(c["first_response_s"], 60, 0.9),
        "reply_time_median": _quantile(c["median_response_s"], 60),
        "resolution_median": _quantile(c["resolution_s"], 3600),
        "sla_breach_rate": _rate(breached),
        "transfer_rate": (effort["transfer_rate"] if effort is not None else np.nan, len(c)),
        "repeat_rate": (effort["repeat_rate"] if effort is not None else np.nan, len(c)),
        "fcr_rate": (effort["fcr_rate"] if effort is not None else np.nan,
                     int(effort["fcr_n"]) if effort is not None else 0),
    }
    if "csat_satisfied" in c.columns:
        group = c["nps_group"].astype(object).dropna()
        nps = 100 * ((group == "promoter").mean() - (group == "detractor").mean()) if len(group) else np.nan
        out["csat"] = _rate(c["csat_satisfied"])
        out["nps"] = (nps, len(group))
    if "sentiment_last" in c.columns:
        last = c["sentiment_last"].dropna()
        out["sentiment"] = (float(last.mean()) if len(last) else np.nan, len(last))
        out["negative_end"] = _rate(c["sentiment_last"].le(_NEGATIVE).where(c["sentiment_last"].notna()))
    return out


_PERCENT = {"unanswered_rate", "sla_breach_rate", "transfer_rate", "repeat_rate", "fcr_rate", "csat", "negative_end"}


def headline_kpis(
    current: pd.DataFrame, previous: pd.DataFrame | None = None, *, sla_target_s: float = 3600.0,
    language: str = "en",
) -> pd.DataFrame:
    """Headline KPIs of a period against the previous one, from two conversations tables.

    One row per KPI: ``key``, ``measure`` (its name in ``language``), ``current``,
    ``previous``, ``change`` (current - previous; percentage points for rates)
    and ``n`` (the conversations the current value is taken over). Times are in
    minutes (resolution in hours), rates in percent. The SLA rate counts an
    unanswered conversation as a breach; the sentiment rows need the sentiment
    columns of :func:`csqa.metrics.build_conversations`.

    >>> import pandas as pd
    >>> conv = pd.DataFrame({"n_turns": [1, 1, 1], "answered": [True, True, False],
    ...     "first_response_s": [60.0, 7200.0, None], "median_response_s": [60.0, 120.0, None],
    ...     "resolution_s": [3600.0, 7200.0, None], "transferred": [False, True, False],
    ...     "n_transfers": [0, 1, 0], "ping_pong": [False] * 3, "has_repeat": [False, True, False],
    ...     "reasked_info": [False] * 3, "repeat_contact": pd.array([False, None, False], dtype="boolean"),
    ...     "fcr": pd.array([True, None, False], dtype="boolean")})
    >>> k = headline_kpis(conv).set_index("key")
    >>> k.loc[["first_response_median", "sla_breach_rate", "repeat_rate", "fcr_rate"], "current"].round(2).tolist()
    [60.5, 66.67, 33.33, 50.0]
    """
    now = _measures(current, sla_target_s)
    before = _measures(previous, sla_target_s) if previous is not None else {}
    rows = []
    for key, (value, n) in now.items():
        scale = 100.0 if key in _PERCENT else 1.0
        old = before.get(key, (np.nan, 0))[0] * scale
        label_key = f"kpi_{key}"
        label = (tr(label_key, language, target=duration_text(sla_target_s)) if key == "sla_breach_rate"
                 else tr(label_key, language))
        rows.append({"key": key, "measure": label, "current": value * scale, "previous": old,
                     "change": value * scale - old, "n": n})
    return pd.DataFrame(rows)


def duration_text(seconds: float) -> str:
    """``3600`` -> ``'1 h'``, ``90`` -> ``'90 s'``: a target as people say it."""
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:g} {unit}"
    return f"{seconds:g} s"


def problem_scores(conversations: pd.DataFrame, *, slow_s: float | None = None, limit: int | None = None,
                   language: str = "en") -> pd.DataFrame:
    """Conversations worst first (the first ``limit``): ``problem_score`` and ``problems`` (their names).

    One point each for: unanswered (3 points), a first response slower than
    ``slow_s`` (default: the 90th percentile), every transfer, every repeat
    explanation, re-asked information, an unmet request for a human, an upsell
    to an unhappy customer, a tone mismatch, ending negative, a low CSAT.
    Problem names are in ``language``.
    """
    c = conversations
    slow_s = float(c["first_response_s"].quantile(0.9)) if slow_s is None else slow_s

    def flag(column: str) -> pd.Series:
        if column not in c.columns:
            return pd.Series(False, index=c.index)
        return c[column].astype("boolean").fillna(False).astype(bool)

    points = {
        "unanswered": 3 * ((~c["answered"].astype(bool)) & (c["n_turns"] > 0)),
        "slow": c["first_response_s"].gt(slow_s).astype(int),
        "transfers": c["n_transfers"],
        "repeats": c["n_repeats"],
        "reasked": flag("reasked_info"),
        "human_unmet": flag("human_requested") & ~flag("human_request_met"),
        "upsell": flag("upsell_to_unhappy"),
        "tone": flag("tone_mismatch"),
        "negative": (c["sentiment_last"].le(_NEGATIVE) if "sentiment_last" in c.columns
                           else pd.Series(False, index=c.index)),
        "low_csat": (c["csat_satisfied"].astype("boolean") == False).fillna(False).astype(bool)  # noqa: E712
        if "csat_satisfied" in c.columns else pd.Series(False, index=c.index),
    }
    frame = pd.DataFrame({k: v.astype(int) for k, v in points.items()}, index=c.index)
    score = frame.sum(axis=1).to_numpy()
    order = np.lexsort((-c["first_response_s"].fillna(np.inf).to_numpy(), -score))[:limit]
    names = np.array([tr(f"problem_{key}", language) for key in points])
    problems = [", ".join(names[row]) for row in frame.to_numpy()[order] > 0]
    return pd.DataFrame({"conversation_id": c["conversation_id"].to_numpy()[order],
                         "problem_score": score[order], "problems": problems})


def transcript(
    messages: pd.DataFrame, conversation_id: str, *, timezone: str = "UTC", max_chars: int = 600,
    language: str = "en", jalali: bool | None = None,
) -> pd.DataFrame:
    """One conversation as a table: time (local; Jalali dates for Persian), who, kind and text
    (long texts cut at ``max_chars``).

    Events (assignments, transfers, closes) show their event name; internal
    notes are marked. The original ``text`` column is never changed.
    """
    rows = messages[messages["conversation_id"] == conversation_id].sort_values(["timestamp", "seq"])
    text = rows["text"].astype(object).where(rows["text"].notna(), "")
    long = text.str.len() > max_chars
    text = text.where(~long, text.str.slice(0, max_chars) + " …")
    event = rows["event"].astype(object).fillna("")
    assignee = rows["assignee_id"].astype(object).fillna("")
    text = text.where(rows["kind"].astype(str) != "event", "[" + (event + " " + assignee).str.strip() + "]")
    who = rows["sender_role"].astype(str) + " " + rows["sender_id"].astype(object).fillna("").astype(str)
    local = rows["timestamp"].dt.tz_convert(timezone)
    return pd.DataFrame({
        "time": format_dates(local, language, jalali=jalali) + local.dt.strftime(" %H:%M"),
        "who": who.str.strip(), "kind": rows["kind"].astype(str), "text": text,
    }).reset_index(drop=True)


def ids_behind(conversations: pd.DataFrame, mask: pd.Series | Sequence[bool], *, limit: int = 20) -> str:
    """The first ``limit`` conversation ids where ``mask`` holds, and how many more, as one line."""
    ids = conversations.loc[np.asarray(mask, dtype=bool), "conversation_id"].astype(str).tolist()
    more = f" (+{len(ids) - limit})" if len(ids) > limit else ""
    return ", ".join(ids[:limit]) + more
