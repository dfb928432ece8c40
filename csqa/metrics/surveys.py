"""Survey answers (CSAT, NPS, CES) joined to conversations, and what drives CSAT.

A survey answer is a ``rating`` event whose ``text`` holds the score. The survey is named
by a prefix (``"nps: 9"``, ``"ces=2"``, ``"csat 4"``) or, without one, is ``default``
(CSAT). Scores read:

- **CSAT**: 1-5 (4 and 5 are *satisfied*), ``good``/``bad`` (Zendesk; satisfied or not, no
  number), Freshdesk codes 100-103 / -101..-103 (satisfied when >= 101);
- **NPS**: 0-10; 9-10 promoters, 7-8 passives, 0-6 detractors; NPS = % promoters - % detractors;
- **CES**: 1-7 (higher = easier, as in CES 2.0).

Persian and Arabic digits are read. An answer that fits none of these is kept with a
``problem`` saying what was expected and what was found (never silently dropped).

>>> import pandas as pd
>>> m = pd.DataFrame({
...     "conversation_id": ["c1", "c1", "c2", "c3", "c3"],
...     "timestamp": pd.to_datetime(["2026-01-01 10:00", "2026-01-01 11:00", "2026-01-02 10:00",
...                                  "2026-01-03 10:00", "2026-01-03 10:05"], utc=True),
...     "sender_role": ["customer", "customer", "customer", "customer", "customer"],
...     "kind": ["message", "event", "event", "event", "event"],
...     "event": [None, "rating", "rating", "rating", "rating"],
...     "text": ["hi", "۴", "nps: 10", "bad", "csat: 9"]})
>>> survey_answers(m)[["conversation_id", "survey", "score", "satisfied", "problem"]].values.tolist()
[['c1', 'csat', 4.0, True, ''], ['c2', 'nps', 10.0, <NA>, ''], ['c3', 'csat', nan, False, ''], ['c3', 'csat', nan, <NA>, "expected a CSAT score 1-5, 'good' or 'bad'; found 'csat: 9'"]]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from csqa.metrics.frame import Ordered, prepare
from csqa.text.normalize import normalize_text

SURVEYS = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}
SURVEY_COLUMNS = ("csat", "csat_satisfied", "nps_score", "nps_group", "ces", "survey_answered",
                  "low_score_followed_up")
_WORDS = {"good": True, "good_with_comment": True, "satisfied": True, "bad": False, "bad_with_comment": False,
          "unsatisfied": False, "dissatisfied": False}
_EXPECTED = {"csat": "a CSAT score 1-5, 'good' or 'bad'", "nps": "an NPS score 0-10", "ces": "a CES score 1-7"}
_FIRST_RESPONSE_BINS = (60.0, 300.0, 3600.0, 86400.0)
_FIRST_RESPONSE_LEVELS = ("< 1 min", "1-5 min", "5-60 min", "1-24 h", "> 24 h", "unanswered")


def parse_scores(texts: pd.Series, *, default: str = "csat") -> pd.DataFrame:
    """survey, score, satisfied (CSAT only) and problem ('' when the answer was read) per text."""
    norm = normalize_text(texts.astype("string")).fillna("").str.strip()
    parts = norm.str.extract(r"^(?:(csat|nps|ces)\s*[:=]?\s*)?(.*)$")
    survey = parts[0].fillna(default).astype(object).to_numpy()
    value = parts[1].astype(str).str.strip()
    number = pd.to_numeric(value.where(value.str.fullmatch(r"-?\d+(?:\.\d+)?")), errors="coerce").to_numpy(float)
    word = value.map(_WORDS).to_numpy(dtype=object)
    low = pd.Series(survey).map({k: v[0] for k, v in SURVEYS.items()}).to_numpy(float)
    high = pd.Series(survey).map({k: v[1] for k, v in SURVEYS.items()}).to_numpy(float)
    in_range = (number >= low) & (number <= high)
    freshdesk = (survey == "csat") & np.isin(number, [100, 101, 102, 103, -101, -102, -103])
    is_csat = survey == "csat"
    ok = in_range | freshdesk | (is_csat & pd.notna(word))
    score = np.where(in_range, number, np.nan)
    satisfied = pd.array(np.full(len(texts), pd.NA), dtype="boolean")
    csat_ok = is_csat & ok
    satisfied[csat_ok] = np.where(freshdesk[csat_ok], number[csat_ok] >= 101,
                                  np.where(in_range[csat_ok], number[csat_ok] >= 4, word[csat_ok] == True))  # noqa: E712
    original = texts.astype(object).to_numpy()
    problem = np.full(len(texts), "", dtype=object)
    problem[~ok] = [f"expected {_EXPECTED[s]}; found {t!r}" for s, t in zip(survey[~ok], original[~ok], strict=True)]
    return pd.DataFrame({"survey": survey, "score": score, "satisfied": satisfied, "problem": problem},
                        index=texts.index)


def _check_default(default: str, fn: str) -> None:
    if default not in SURVEYS:
        raise ValueError(f"The 'default' parameter of {fn} must be one of {list(SURVEYS)}. Got {default!r} instead.")


def find_answers(o: Ordered, *, default: str = "csat") -> tuple[np.ndarray, pd.DataFrame]:
    rows = np.flatnonzero(o.is_event("rating"))
    return rows, parse_scores(o.frame["text"].iloc[rows].reset_index(drop=True), default=default)


def survey_answers(messages: pd.DataFrame, *, default: str = "csat") -> pd.DataFrame:
    """One row per rating event: conversation_id, message_id, at, survey, score, satisfied, problem."""
    _check_default(default, "survey_answers")
    o = prepare(messages, fn="survey_answers")
    rows, parsed = find_answers(o, default=default)
    return pd.concat([pd.DataFrame(o.row_keys(rows)), parsed], axis=1)


NPS_GROUP_DTYPE = pd.CategoricalDtype(["detractor", "passive", "promoter"])  # fixed, whatever the data holds


def nps_group(score: pd.Series) -> pd.Series:
    """promoter (9-10), passive (7-8) or detractor (0-6); missing stays missing."""
    group = np.select([score >= 9, score >= 7, score >= 0], ["promoter", "passive", "detractor"], default="")
    return pd.Series(group, index=score.index).replace("", pd.NA).astype(NPS_GROUP_DTYPE)


def survey_columns(o: Ordered, rows: np.ndarray, parsed: pd.DataFrame) -> pd.DataFrame:
    """Per conversation (code order), the last valid answer of each survey: csat,
    csat_satisfied, nps_score, nps_group, ces; survey_answered; low_score_followed_up (a human
    agent wrote after a dissatisfied CSAT or a detractor's NPS; missing without such an answer)."""
    code = o.code[rows]
    ok = (parsed["problem"] == "").to_numpy()
    table = pd.DataFrame(index=pd.RangeIndex(o.n_conv))
    for survey, column in (("csat", "csat"), ("nps", "nps_score"), ("ces", "ces")):
        pick = ok & (parsed["survey"] == survey).to_numpy()
        table[column] = pd.Series(parsed["score"].to_numpy()[pick], index=code[pick]).groupby(level=0).last()
    pick = ok & parsed["satisfied"].notna().to_numpy()
    satisfied = pd.Series(parsed["satisfied"].array[pick], index=code[pick]).groupby(level=0).last()
    table["csat_satisfied"] = satisfied.reindex(table.index).astype("boolean")
    table["nps_group"] = nps_group(table["nps_score"])
    table["survey_answered"] = np.bincount(code[ok], minlength=o.n_conv) > 0
    low = ok & ((parsed["satisfied"] == False).fillna(False).to_numpy()  # noqa: E712
                | ((parsed["survey"] == "nps") & (parsed["score"] <= 6)).to_numpy())
    human_after = o.next_after(o.is_role("agent") & o.is_kind("message"))[rows[low]] >= 0
    follow = pd.Series(human_after, index=code[low]).groupby(level=0).any()
    table["low_score_followed_up"] = follow.reindex(table.index).astype("boolean")
    return table[list(SURVEY_COLUMNS)]


def surveys(messages: pd.DataFrame, *, default: str = "csat") -> pd.DataFrame:
    """conversation_id plus the columns of :func:`survey_columns`."""
    _check_default(default, "surveys")
    o = prepare(messages, fn="surveys")
    table = survey_columns(o, *find_answers(o, default=default))
    table.insert(0, "conversation_id", o.take("conversation_id", o.first_row))
    return table


def survey_summary(conversations: pd.DataFrame, *, by: str | Sequence[str] | None = None, period: str | None = None,
                   timezone: str = "UTC", time_column: str = "started_at") -> pd.DataFrame:
    """Per group: conversations; csat_n, csat_coverage (share answered), csat_mean,
    csat_satisfied_rate (CSAT %); nps_n, nps (-100..100), promoters, detractors; ces_n, ces_mean;
    low_score_followed_up_rate."""
    from csqa.aggregate import _keys

    keys = _keys(conversations, by, period, timezone, time_column, "survey_summary")
    group = conversations["nps_group"].astype(object)
    frame = pd.DataFrame({
        "conversations": 1, "csat": conversations["csat"],
        "satisfied": conversations["csat_satisfied"].astype("Float64").astype(float),
        "nps": conversations["nps_score"], "promoter": (group == "promoter").astype(float).where(group.notna()),
        "detractor": (group == "detractor").astype(float).where(group.notna()), "ces": conversations["ces"],
        "followed": conversations["low_score_followed_up"].astype("Float64").astype(float),
    }, index=conversations.index)
    g = frame.groupby(keys, observed=True, dropna=False, sort=True)
    n = g["conversations"].sum()
    out = pd.DataFrame({
        "conversations": n, "csat_n": g["satisfied"].count(), "csat_coverage": g["satisfied"].count() / n,
        "csat_mean": g["csat"].mean(), "csat_satisfied_rate": g["satisfied"].mean(),
        "nps_n": g["nps"].count(), "nps": 100 * (g["promoter"].mean() - g["detractor"].mean()),
        "promoters": g["promoter"].sum(), "detractors": g["detractor"].sum(),
        "ces_n": g["ces"].count(), "ces_mean": g["ces"].mean(),
        "low_score_followed_up_rate": g["followed"].mean(),
    }).reset_index()
    return out.drop(columns="_all", errors="ignore")


def _levels(conversations: pd.DataFrame) -> dict[str, pd.Series]:
    """Each driver present in the table as a Series of level names (missing: not counted)."""
    c = conversations
    drivers: dict[str, pd.Series] = {}
    if "n_transfers" in c:
        drivers["transfers"] = pd.cut(c["n_transfers"], [-np.inf, 0, 1, np.inf], labels=["0", "1", "2+"])
    for column in ("has_repeat", "reasked_info", "context_blind", "human_requested", "upsell_to_unhappy",
                   "tone_mismatch", "repeat_contact"):
        if column in c:
            flag = c[column].astype("boolean")
            drivers[column] = flag.map({False: "no", True: "yes"}).astype(
                pd.CategoricalDtype(["no", "yes"], ordered=True))
    if "first_response_s" in c:
        bucket = np.digitize(c["first_response_s"].to_numpy(float), _FIRST_RESPONSE_BINS)
        bucket = np.where(np.isnan(c["first_response_s"].to_numpy(float)), len(_FIRST_RESPONSE_LEVELS) - 1, bucket)
        if "answered" in c:
            bucket = np.where(c["answered"].astype(bool).to_numpy() | ~np.isnan(c["first_response_s"].to_numpy(float)),
                              bucket, len(_FIRST_RESPONSE_LEVELS) - 1)
        drivers["first_response"] = pd.Categorical.from_codes(bucket, _FIRST_RESPONSE_LEVELS, ordered=True)
    if "sentiment_change" in c:
        drivers["sentiment_change"] = pd.cut(c["sentiment_change"], [-np.inf, -0.2, 0.2, np.inf],
                                             labels=["worse", "same", "better"])
    return {k: pd.Series(v, index=c.index) for k, v in drivers.items()}


def csat_drivers(conversations: pd.DataFrame, *, outcome: str = "csat", confidence: float = 0.95,
                 min_count: int = 1) -> pd.DataFrame:
    """How the survey outcome differs with each driver: transfers (0/1/2+), repeats,
    re-asked information, first response bucket, sentiment change, context-blind
    replies, requests for a human, upsells, tone mismatch, repeat contact -- whichever are columns.

    One row per driver and level: n, mean, ci_low, ci_high (t interval) and the
    difference from the driver's first level (the reference) with its Welch interval (diff,
    diff_low, diff_high; missing on the reference row). ``outcome``: "csat" (1-5), "csat_satisfied" (CSAT %, as 0/1), "nps_score", "ces".
    """
    if outcome not in ("csat", "csat_satisfied", "nps_score", "ces") or outcome not in conversations:
        raise ValueError(f"The 'outcome' parameter of csat_drivers must be a survey column of the conversations "
                         f"table (csat, csat_satisfied, nps_score, ces). Got {outcome!r}; columns: "
                         f"{list(conversations.columns)}.")
    if not 0 < confidence < 1:
        raise ValueError(f"The 'confidence' parameter of csat_drivers must be in (0, 1). Got {confidence!r} instead.")
    y = conversations[outcome].astype("Float64").astype(float)
    answered = y.notna()
    tables = []
    for driver, level in _levels(conversations).items():
        g = y[answered].groupby(level[answered], observed=False)
        t = pd.DataFrame({"n": g.count(), "mean": g.mean(), "std": g.std(ddof=1)})
        t = t[t["n"] >= min_count]
        if t.empty:
            continue
        se = t["std"] / np.sqrt(t["n"])
        half = stats.t.ppf(0.5 + confidence / 2, np.maximum(t["n"] - 1, 1)) * se
        ref = t.iloc[0]
        diff_se = np.sqrt(se**2 + (ref["std"] / np.sqrt(ref["n"])) ** 2)
        dof = diff_se**4 / ((se**4 / np.maximum(t["n"] - 1, 1)) + (ref["std"] / np.sqrt(ref["n"])) ** 4
                            / max(ref["n"] - 1, 1))
        diff_half = stats.t.ppf(0.5 + confidence / 2, np.maximum(dof.fillna(1), 1)) * diff_se
        diff = t["mean"] - ref["mean"]
        diff_half.iloc[0] = np.nan  # the reference level itself
        tables.append(pd.DataFrame({
            "driver": driver, "level": t.index.astype(str), "n": t["n"].astype(np.int64), "mean": t["mean"],
            "ci_low": t["mean"] - half, "ci_high": t["mean"] + half,
            "diff": diff, "diff_low": diff - diff_half, "diff_high": diff + diff_half}))
    columns = ["driver", "level", "n", "mean", "ci_low", "ci_high", "diff", "diff_low", "diff_high"]
    return pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=columns)
