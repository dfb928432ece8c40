"""Service-level targets: breach flags and breach rates for several targets.

A target is a number of seconds, or a dict of targets per value of a column
(channel, queue...) with an optional ``"default"``. A row with no response
(unanswered) counts as breached by default -- the customer waited past any
target -- or is left out with ``unanswered="exclude"``.

>>> import pandas as pd
>>> conv = pd.DataFrame({"channel": ["chat", "chat", "email"],
...                      "first_response_s": [30.0, 90.0, None]})
>>> sla_breaches(conv, {"chat": 60, "email": 3600})["sla_breached"].tolist()
[False, True, True]
>>> breach_rates(conv, [60, 120])[["target_s", "n_breached", "breach_rate"]].to_dict("list")
{'target_s': [60.0, 120.0], 'n_breached': [2, 1], 'breach_rate': [0.6666666666666666, 0.3333333333333333]}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

_POLICIES = ("breach", "exclude")


def _targets_for(table: pd.DataFrame, targets: float | Mapping[str, float], by: str) -> np.ndarray:
    if isinstance(targets, Mapping):
        if by not in table.columns:
            raise ValueError(
                f"The 'by' column {by!r} of sla_breaches is not in the table; columns present: "
                f"{list(table.columns)}"
            )
        default = float(targets.get("default", np.nan))
        per = {k: float(v) for k, v in targets.items() if k != "default"}
        return table[by].astype(object).map(per).astype(float).fillna(default).to_numpy()
    return np.full(len(table), float(targets))


def _eligible(table: pd.DataFrame) -> np.ndarray:
    """Rows that had someone waiting (conversations with at least one customer turn)."""
    if "n_turns" in table.columns:
        return (table["n_turns"] > 0).to_numpy()
    return np.ones(len(table), dtype=bool)


def sla_breaches(
    table: pd.DataFrame,
    targets: float | Mapping[str, float],
    *,
    metric: str = "first_response_s",
    by: str = "channel",
    unanswered: str = "breach",
) -> pd.DataFrame:
    """Return a copy of ``table`` with ``sla_target_s`` and ``sla_breached`` columns.

    Works on the conversations table (``metric="first_response_s"``, or
    ``"max_response_s"`` for "any reply late") and on the turns table
    (``metric="response_s"``). ``sla_breached`` is missing where no target applies
    (or the row is unanswered and ``unanswered="exclude"``).
    """
    if unanswered not in _POLICIES:
        raise ValueError(
            f"The 'unanswered' parameter of sla_breaches must be one of {list(_POLICIES)}. "
            f"Got {unanswered!r} instead."
        )
    if metric not in table.columns:
        raise ValueError(
            f"The 'metric' parameter of sla_breaches names {metric!r}, which is not a column; "
            f"columns present: {list(table.columns)}"
        )
    target = _targets_for(table, targets, by)
    value = table[metric].to_numpy(dtype=float)
    waiting = _eligible(table)
    breached = pd.array(value > target, dtype="boolean")
    no_answer = np.isnan(value)
    breached[no_answer] = True if unanswered == "breach" else pd.NA
    breached[np.isnan(target) | ~waiting] = pd.NA
    out = table.copy()
    out["sla_target_s"] = target
    out["sla_breached"] = breached
    return out


def breach_rates(
    table: pd.DataFrame,
    targets: Sequence[float],
    *,
    metric: str = "first_response_s",
    by: str | Sequence[str] | None = None,
    unanswered: str = "breach",
) -> pd.DataFrame:
    """Breach rate at each of several targets -- the "why 48 h and not 12?" what-if.

    One row per target (and per group of ``by``): target_s, n, n_breached, breach_rate.
    """
    keys = [by] if isinstance(by, str) else list(by or [])
    frames = []
    for target in targets:
        flagged = sla_breaches(table, float(target), metric=metric, unanswered=unanswered)
        flagged = flagged[flagged["sla_breached"].notna()]
        b = flagged["sla_breached"].astype(bool)
        if keys:
            g = b.groupby([flagged[k] for k in keys], observed=True)
            part = pd.DataFrame({"n": g.size(), "n_breached": g.sum()}).reset_index()
        else:
            part = pd.DataFrame({"n": [len(b)], "n_breached": [int(b.sum())]})
        part.insert(len(keys), "target_s", float(target))
        frames.append(part)
    out = pd.concat(frames, ignore_index=True)
    out["n"] = out["n"].astype("int64")
    out["n_breached"] = out["n_breached"].astype("int64")
    out["breach_rate"] = out["n_breached"] / out["n"].where(out["n"] > 0)
    return out
