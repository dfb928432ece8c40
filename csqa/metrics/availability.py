"""When customers come, how long they wait at each hour, and how many agents that needs.

- :func:`volume_heatmap`: conversations by local weekday x hour (totals or mean per week);
- :func:`response_by_hour`: first response (median, p90, count, unanswered) by local hour;
- contacts outside business hours: the ``outside_hours`` column of the conversations table
  (with a calendar);
- :func:`staffing`: per weekday x hour, the agents the Erlang C model says are needed to
  answer ``service_level`` of contacts within ``target_s``, next to the agents actually active.

Erlang C (M/M/N: Poisson arrivals, exponential handle times, nobody abandons) with traffic
``A = arrivals per second x handle time`` Erlangs and ``N`` agents:

- probability of waiting ``C(N, A)``, computed through the Erlang B recursion
  (``B(0) = 1``, ``B(k) = A B(k-1) / (k + A B(k-1))``, ``C = N B / (N - A (1 - B))``);
- service level ``1 - C exp(-(N - A) t / AHT)``; average speed of answer ``C AHT / (N - A)``.

>>> round(erlang_c(10.0, 11), 4), round(service_level(10.0, 11, target_s=20, handle_time_s=180), 4)
(0.6821, 0.3896)
>>> int(agents_needed(200, 180, target_s=20, service_level=0.8))   # 100 contacts per 30 min
14
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from csqa.metrics.frame import Ordered, prepare

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MAX_AGENTS = 10_000


def _as_float(values) -> np.ndarray:
    return np.atleast_1d(np.asarray(values, dtype=float))


def _erlang_b(traffic: np.ndarray, agents: np.ndarray) -> np.ndarray:
    """Erlang B blocking probability for each (traffic, agents) pair, by recursion over k."""
    b = np.ones_like(traffic)
    for k in range(1, int(agents.max(initial=0)) + 1):
        step = traffic * b / (k + traffic * b)
        b = np.where(k <= agents, step, b)
    return b


def erlang_c(traffic, agents):
    """Probability that a contact has to wait (1 where ``agents <= traffic``: the queue grows)."""
    a, n = np.broadcast_arrays(_as_float(traffic), _as_float(agents))
    b = _erlang_b(a, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(n > a, n * b / (n - a * (1 - b)), 1.0)
    return c if np.ndim(traffic) or np.ndim(agents) else float(c[0])


def service_level(traffic, agents, *, target_s: float, handle_time_s: float):
    """Share of contacts answered within ``target_s`` (0 where ``agents <= traffic``)."""
    a, n = np.broadcast_arrays(_as_float(traffic), _as_float(agents))
    c = np.atleast_1d(erlang_c(a, n))
    sl = np.where(n > a, 1 - c * np.exp(-(n - a) * target_s / handle_time_s), 0.0)
    return sl if np.ndim(traffic) or np.ndim(agents) else float(sl[0])


def average_speed_of_answer(traffic, agents, *, handle_time_s: float):
    """Mean wait in seconds (infinite where ``agents <= traffic``)."""
    a, n = np.broadcast_arrays(_as_float(traffic), _as_float(agents))
    c = np.atleast_1d(erlang_c(a, n))
    with np.errstate(divide="ignore"):
        asa = np.where(n > a, c * handle_time_s / (n - a), np.inf)
    return asa if np.ndim(traffic) or np.ndim(agents) else float(asa[0])


def agents_needed(arrivals_per_hour, handle_time_s, *, target_s: float = 60.0, service_level: float = 0.8):
    """The fewest agents answering ``service_level`` of contacts within ``target_s``
    (0 where nobody comes)."""
    if not 0 < service_level < 1:
        raise ValueError(f"The 'service_level' parameter of agents_needed must be in (0, 1). "
                         f"Got {service_level!r} instead.")
    rate, aht = np.broadcast_arrays(_as_float(arrivals_per_hour), _as_float(handle_time_s))
    traffic = rate / 3600.0 * aht
    needed = np.zeros(len(traffic), dtype=np.int64)
    short = traffic > 0
    b = np.ones_like(traffic)  # Erlang B with k agents, one recursion step per k
    for k in range(1, MAX_AGENTS + 1):
        if not short.any():
            break
        b = traffic * b / (k + traffic * b)
        with np.errstate(divide="ignore", invalid="ignore"):
            c = np.where(k > traffic, k * b / (k - traffic * (1 - b)), 1.0)
            level = np.where(k > traffic, 1 - c * np.exp(-(k - traffic) * target_s / aht), 0.0)
        done = short & (level >= service_level)
        needed[done] = k
        short &= ~done
    return needed if np.ndim(arrivals_per_hour) or np.ndim(handle_time_s) else int(needed[0])


def _sl(traffic: np.ndarray, n: np.ndarray, target_s: float, aht: np.ndarray) -> np.ndarray:
    c = np.atleast_1d(erlang_c(traffic, n))
    return np.where(n > traffic, 1 - c * np.exp(-(n - traffic) * target_s / aht), 0.0)


def _local(times: pd.Series, timezone: str) -> pd.DataFrame:
    local = times.dt.tz_convert(timezone)
    return pd.DataFrame({"date": local.dt.tz_localize(None).dt.normalize(), "weekday": local.dt.day_of_week,
                         "hour": local.dt.hour})


def _weeks_per_slot(dates: pd.Series) -> pd.Series:
    """How many times each weekday occurs between the first and last date (inclusive)."""
    days = pd.date_range(dates.min(), dates.max(), freq="D") if len(dates) else pd.DatetimeIndex([])
    return pd.Series(days.day_of_week).value_counts().reindex(range(7), fill_value=0)


def volume_heatmap(conversations: pd.DataFrame, *, timezone: str = "UTC", time_column: str = "started_at",
                   per_week: bool = False) -> pd.DataFrame:
    """Conversations by local weekday (rows Mon..Sun) and hour (columns 0..23); with
    ``per_week`` the mean per week (each weekday divided by how often it occurs in the data)."""
    slots = _local(conversations[time_column], timezone)
    table = pd.crosstab(slots["weekday"], slots["hour"]).reindex(index=range(7), columns=range(24), fill_value=0)
    if per_week:
        table = table.div(_weeks_per_slot(slots["date"]).replace(0, np.nan), axis=0)
    table.index = pd.Index(WEEKDAYS, name="weekday")
    table.columns.name = "hour"
    return table


def response_by_hour(conversations: pd.DataFrame, *, timezone: str = "UTC", metric: str = "first_response_s",
                     time_column: str = "started_at") -> pd.DataFrame:
    """Per local hour of arrival: conversations, unanswered, and the median, p90 and mean of ``metric``."""
    hour = _local(conversations[time_column], timezone)["hour"].rename("hour")
    values = conversations[metric].astype(float)
    g = values.groupby(hour)
    out = pd.DataFrame({"conversations": g.size(), "unanswered": (~conversations["answered"].astype(bool)).groupby(hour).sum(),
                        f"{metric}_median": g.median(), f"{metric}_p90": g.quantile(0.9), f"{metric}_mean": g.mean()})
    return out.reindex(range(24)).fillna({"conversations": 0, "unanswered": 0}).astype(
        {"conversations": np.int64, "unanswered": np.int64}).rename_axis("hour").reset_index()


def _handle_times(o: Ordered) -> np.ndarray:
    """Per answered conversation: first customer message to the last human agent message,
    capped at one hour (a rough handle time when the export has none)."""
    human = o.is_role("agent") & o.is_kind("message")
    start = o.first_ts(o.is_role("customer") & o.is_kind("message"))
    end = o.last_ts(human)
    ok = (o.count(human) > 0) & (end > start) & (start != np.iinfo("int64").min)
    return np.minimum((end[ok] - start[ok]) / 1e9, 3600.0)


def staffing(messages: pd.DataFrame, *, timezone: str = "UTC", target_s: float = 60.0, service_level: float = 0.8,
             handle_time_s: float | None = None, concurrency: float = 1.0) -> pd.DataFrame:
    """Per local weekday x hour (168 rows): weeks (how often the slot occurs), arrivals_per_hour
    (new conversations, mean per occurrence), handle_time_s, traffic (Erlangs), agents_needed
    (Erlang C for ``service_level`` within ``target_s``), agents_active (human agents who
    wrote in public, mean per occurrence), gap (active - needed) and the service level the
    active agents would give.

    ``handle_time_s``: the mean handle time; by default the median over answered
    conversations of first customer message -> last agent message, capped at 1 h (pass your
    help desk's AHT when you have it). ``concurrency``: conversations one agent handles at
    once (chat agents often handle 2-3), dividing the agents needed.
    """
    if concurrency < 1:
        raise ValueError(f"The 'concurrency' parameter of staffing must be >= 1. Got {concurrency!r} instead.")
    o = prepare(messages, fn="staffing")
    if handle_time_s is None:
        handle = _handle_times(o)
        handle_time_s = float(np.median(handle)) if len(handle) else np.nan
    if not handle_time_s > 0:
        raise ValueError(f"The 'handle_time_s' parameter of staffing must be a positive number of seconds "
                         f"(or None to estimate it from answered conversations). Got {handle_time_s!r} instead.")
    customer = o.is_role("customer") & o.is_kind("message")
    arrival = o.first_ts(customer)
    arrival = pd.Series(arrival[arrival != np.iinfo("int64").min].view("datetime64[ns]")).dt.tz_localize("UTC")
    arrivals = _local(arrival, timezone)
    human = np.flatnonzero(o.is_role("agent") & o.is_kind("message"))
    active = _local(o.frame["timestamp"].iloc[human].reset_index(drop=True), timezone)
    active["agent"] = o.frame["sender_id"].iloc[human].to_numpy()
    dates = pd.concat([arrivals["date"], active["date"]])
    weeks = _weeks_per_slot(dates)
    index = pd.MultiIndex.from_product([range(7), range(24)], names=["weekday", "hour"])
    per_slot = weeks.reindex(index.get_level_values(0)).to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = arrivals.groupby(["weekday", "hour"]).size().reindex(index, fill_value=0).to_numpy() / per_slot
        staffed = (active.drop_duplicates(["date", "hour", "agent"]).groupby(["weekday", "hour"]).size()
                   .reindex(index, fill_value=0).to_numpy() / per_slot)
    rate, staffed = np.nan_to_num(rate), np.nan_to_num(staffed)
    traffic = rate / 3600.0 * handle_time_s
    servers = agents_needed(rate, handle_time_s, target_s=target_s, service_level=service_level)
    needed = np.ceil(servers / concurrency).astype(np.int64)
    reached = np.where(traffic > 0, _sl(traffic, staffed * concurrency, target_s, np.full(len(rate), handle_time_s)),
                       np.nan)
    return pd.DataFrame({
        "weekday": pd.Categorical.from_codes(index.get_level_values(0), WEEKDAYS, ordered=True),
        "hour": index.get_level_values(1), "weeks": per_slot.astype(np.int64), "arrivals_per_hour": rate,
        "handle_time_s": handle_time_s, "traffic": traffic, "agents_needed": needed, "agents_active": staffed,
        "gap": staffed - needed, "service_level_active": reached,
    })


__all__ = ["agents_needed", "average_speed_of_answer", "erlang_c", "response_by_hour", "service_level",
           "staffing", "volume_heatmap"]
