"""KPI tables by period and by queue / agent / channel.

Every timing metric is summarised by its median, 90th percentile and mean
together, next to the number of conversations and how many were unanswered --
never a mean alone.

>>> import pandas as pd
>>> conv = pd.DataFrame({
...     "started_at": pd.to_datetime(["2026-03-02 10:00", "2026-03-02 23:30", "2026-03-03 09:00"], utc=True),
...     "channel": ["chat", "chat", "email"], "answered": [True, True, False], "n_turns": [1, 1, 1],
...     "first_response_s": [30.0, 90.0, None]})
>>> kpis(conv, by="channel", metrics=["first_response_s"])[
...     ["channel", "conversations", "unanswered", "first_response_s_median"]].to_dict("list")
{'channel': ['chat', 'email'], 'conversations': [2, 1], 'unanswered': [0, 1], 'first_response_s_median': [60.0, nan]}
>>> kpis(conv, period="day", timezone="Asia/Tehran", metrics=["first_response_s"])["period"].astype(str).tolist()
['2026-03-02', '2026-03-03']
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

DEFAULT_METRICS = (
    "first_response_s", "median_response_s", "max_response_s", "resolution_s",
)
_PERIODS = {"day": "D", "week": "W-SUN", "month": "M"}


def _period(times: pd.Series, period: str, timezone: str) -> pd.Series:
    freq = _PERIODS.get(period, period)
    local = times.dt.tz_convert(timezone).dt.tz_localize(None)
    try:
        return local.dt.to_period(freq).dt.start_time.rename("period")
    except ValueError:
        raise ValueError(
            f"The 'period' parameter of kpis must be 'day', 'week', 'month' or a pandas period "
            f"alias such as 'W-FRI' (weeks ending Friday). Got {period!r} instead."
        ) from None


def _keys(conversations, by, period, timezone, time_column, fn) -> list[pd.Series]:
    """Group keys: the local period of ``time_column`` and the ``by`` columns (one constant key
    when neither is given)."""
    keys: list[pd.Series] = []
    if period is not None:
        keys.append(_period(conversations[time_column], period, timezone))
    for col in [by] if isinstance(by, str) else list(by or []):
        if col not in conversations.columns:
            raise ValueError(
                f"The 'by' parameter of {fn} names {col!r}, which is not a column; columns "
                f"present: {list(conversations.columns)}"
            )
        keys.append(conversations[col].rename(col))
    return keys or [pd.Series(0, index=conversations.index, name="_all")]


def kpis(
    conversations: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    period: str | None = None,
    timezone: str = "UTC",
    metrics: Sequence[str] = DEFAULT_METRICS,
    time_column: str = "started_at",
) -> pd.DataFrame:
    """Summarise the conversations table per period and/or group.

    Columns: the keys (``period`` = local start of the day/week/month in
    ``timezone``, then ``by``), conversations, answered, unanswered, and for each
    metric ``{metric}_median``, ``_p90``, ``_mean`` and ``_n`` (conversations
    with a value). ``unanswered`` counts conversations in which a customer
    waited and no agent ever replied.
    """
    keys = _keys(conversations, by, period, timezone, time_column, "kpis")
    missing = [m for m in metrics if m not in conversations.columns]
    if missing:
        raise ValueError(
            f"The 'metrics' parameter of kpis names {missing}, which are not columns; columns "
            f"present: {list(conversations.columns)}"
        )
    answered = conversations["answered"].astype(bool)
    waited = conversations["n_turns"] > 0 if "n_turns" in conversations.columns else True
    frame = pd.DataFrame({
        "conversations": 1, "answered": answered.astype("int64"),
        "unanswered": (~answered & waited).astype("int64"),
    }, index=conversations.index)
    for m in metrics:
        frame[m] = conversations[m].astype(float)
    g = frame.groupby(keys, observed=True, dropna=False, sort=True)
    parts = [g[["conversations", "answered", "unanswered"]].sum()]
    for m in metrics:
        parts.append(pd.DataFrame({
            f"{m}_median": g[m].median(),
            f"{m}_p90": g[m].quantile(0.9),
            f"{m}_mean": g[m].mean(),
            f"{m}_n": g[m].count(),
        }))
    out = pd.concat(parts, axis=1).reset_index()
    return out.drop(columns="_all", errors="ignore")


def agent_kpis(turns: pd.DataFrame, *, metric: str = "response_s") -> pd.DataFrame:
    """Per responding agent: replies, and median / p90 / mean of the waits they ended.

    >>> import pandas as pd
    >>> turns = pd.DataFrame({"responder_id": ["a", "a", "b", None],
    ...                       "response_s": [10.0, 30.0, 5.0, None]})
    >>> agent_kpis(turns)[["responder_id", "replies", "response_s_median"]].to_dict("list")
    {'responder_id': ['a', 'b'], 'replies': [2, 1], 'response_s_median': [20.0, 5.0]}
    """
    answered = turns[turns["responder_id"].notna()]
    g = answered.groupby("responder_id", observed=True)[metric]
    return pd.DataFrame({
        "replies": g.size(),
        f"{metric}_median": g.median(),
        f"{metric}_p90": g.quantile(0.9),
        f"{metric}_mean": g.mean(),
    }).reset_index().astype({"replies": np.int64})


def effort_rates(
    conversations: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    period: str | None = None,
    timezone: str = "UTC",
    time_column: str = "started_at",
) -> pd.DataFrame:
    """Customer-effort rates per period and/or group, each with the count it is taken over.

    Columns: the keys, conversations, transferred, and rates (shares of
    conversations): transfer_rate,
    multi_transfer_rate (2+ transfers), ping_pong_rate, repeat_rate,
    repeat_rate_transferred / _not_transferred (with ``n_not_transferred``),
    reasked_rate, repeat_contact_rate and fcr_rate (over the conversations whose
    repeat-contact window could be observed: ``repeat_contact_n``, ``fcr_n``).

    >>> conv = pd.DataFrame({"transferred": [True, False, False, True], "n_transfers": [2, 0, 0, 1],
    ...     "ping_pong": [True, False, False, False], "has_repeat": [True, True, False, False],
    ...     "reasked_info": [False, False, False, True],
    ...     "repeat_contact": pd.array([True, None, False, False], dtype="boolean"),
    ...     "fcr": pd.array([False, None, True, False], dtype="boolean")})
    >>> r = effort_rates(conv).iloc[0]
    >>> r[["transfer_rate", "repeat_rate_transferred", "repeat_rate_not_transferred", "fcr_rate", "fcr_n"]].tolist()
    [0.5, 0.5, 0.5, 0.3333333333333333, 3.0]
    """
    keys = _keys(conversations, by, period, timezone, time_column, "effort_rates")
    transferred = conversations["transferred"].astype(bool)
    repeat = conversations["has_repeat"].astype(bool)
    frame = pd.DataFrame({
        "conversations": 1,
        "transferred": transferred.astype("int64"),
        "n_not_transferred": (~transferred).astype("int64"),
        "multi": (conversations["n_transfers"] >= 2).astype(float),
        "ping_pong": conversations["ping_pong"].astype(float),
        "repeat": repeat.astype(float),
        "repeat_t": repeat.where(transferred).astype(float),
        "repeat_nt": repeat.where(~transferred).astype(float),
        "reasked": conversations["reasked_info"].astype(float),
        "contact": conversations["repeat_contact"].astype("Float64").astype(float),
        "fcr": conversations["fcr"].astype("Float64").astype(float),
    }, index=conversations.index)
    g = frame.groupby(keys, observed=True, dropna=False, sort=True)
    out = pd.DataFrame({
        "conversations": g["conversations"].sum(),
        "transferred": g["transferred"].sum(),
        "transfer_rate": g["transferred"].mean(),
        "multi_transfer_rate": g["multi"].mean(),
        "ping_pong_rate": g["ping_pong"].mean(),
        "repeat_rate": g["repeat"].mean(),
        "repeat_rate_transferred": g["repeat_t"].mean(),
        "repeat_rate_not_transferred": g["repeat_nt"].mean(),
        "n_not_transferred": g["n_not_transferred"].sum(),
        "reasked_rate": g["reasked"].mean(),
        "repeat_contact_rate": g["contact"].mean(),
        "repeat_contact_n": g["contact"].count(),
        "fcr_rate": g["fcr"].mean(),
        "fcr_n": g["fcr"].count(),
    }).reset_index()
    return out.drop(columns="_all", errors="ignore")
