"""Agent scorecards: one row per human agent, every figure traceable to conversations.

Columns: conversations (the agent wrote in public), replies, first_response_median_s and
_p90_s (first turns the agent answered), response_median_s (every turn the agent
answered), transfers_out (transfers away from the agent), repeats_after (customer
re-explanations right after the agent's reply), sentiment_change (mean over the
agent's conversations), canned_share (of the agent's messages), readability (mean),
csat_mean, csat_satisfied_rate and csat_n (conversations whose last human reply was the
agent's).

>>> from csqa.sample import load_sample            # doctest: +SKIP
>>> agent_scorecards(load_sample()).head()         # doctest: +SKIP
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from csqa.metrics.automation import find_canned
from csqa.metrics.frame import Ordered, prepare
from csqa.metrics.readability import find_readability
from csqa.metrics.repeats import RepeatRule, score_repeats
from csqa.metrics.timing import _timed
from csqa.metrics.transfers import find_transfers


def _by_agent(values, agents) -> pd.core.groupby.SeriesGroupBy:
    return pd.Series(np.asarray(values, dtype=float)).groupby(pd.Series(np.asarray(agents, dtype=object)))


def scorecard_table(o: Ordered, conversations: pd.DataFrame, *, turn_table: pd.DataFrame, found: pd.DataFrame,
                    scored: pd.DataFrame, canned: pd.DataFrame) -> pd.DataFrame:
    """The scorecards from parts already computed on ``o`` (``conversations`` in code order)."""
    human = o.is_role("agent") & o.is_kind("message") & o.frame["sender_id"].notna().to_numpy()
    rows = np.flatnonzero(human)
    sender = o.frame["sender_id"].to_numpy(dtype=object)
    agents = pd.Series(sender[rows])
    pairs = pd.DataFrame({"agent": agents, "code": o.code[rows]}).drop_duplicates()
    out = pd.DataFrame({"conversations": pairs.groupby("agent").size(), "replies": agents.value_counts()})

    answered = turn_table[turn_table["answered"] & turn_table["responder_id"].notna()]
    first = answered[answered["turn"] == 0]
    g = first.groupby(first["responder_id"].astype(object))["response_s"]
    out["first_response_median_s"] = g.median()
    out["first_response_p90_s"] = g.quantile(0.9)
    out["response_median_s"] = answered.groupby(answered["responder_id"].astype(object))["response_s"].median()

    names = found.attrs["names"]
    moved = pd.Series(np.asarray(names.agent(found["from_agent"].to_numpy()), dtype=object)).dropna()
    out["transfers_out"] = moved.value_counts()

    last_reply = o.last_before(human)
    repeat_rows = scored["row"].to_numpy()[scored["is_repeat"].to_numpy(dtype=bool)]
    before = last_reply[repeat_rows]
    out["repeats_after"] = pd.Series(sender[before[before >= 0]]).value_counts()

    per_conv = conversations.reset_index(drop=True)
    if "sentiment_change" in per_conv:
        change = per_conv["sentiment_change"].to_numpy(float)[pairs["code"].to_numpy()]
        out["sentiment_change"] = _by_agent(change, pairs["agent"]).mean()
    mine = canned["row"].to_numpy()
    mine = mine[human[mine]]
    out["canned_share"] = pd.Series(sender[mine]).value_counts().reindex(out.index, fill_value=0) / out["replies"]
    read_rows, read = find_readability(o)
    out["readability"] = _by_agent(read["readability"], sender[read_rows]).mean()
    if "csat" in per_conv:
        credited = o.last_before(human, inclusive=True)[o.last_row]
        has = credited >= 0
        who = sender[credited[has]]
        out["csat_mean"] = _by_agent(per_conv["csat"].to_numpy(float)[has], who).mean()
        satisfied = per_conv["csat_satisfied"].astype("Float64").astype(float).to_numpy()[has]
        out["csat_satisfied_rate"] = _by_agent(satisfied, who).mean()
        out["csat_n"] = _by_agent(satisfied, who).count()
    counts = ["transfers_out", "repeats_after"] + (["csat_n"] if "csat_n" in out else [])
    out[counts] = out[counts].fillna(0).astype(np.int64)
    return out.rename_axis("agent_id").reset_index()


def agent_scorecards(messages: pd.DataFrame, *, conversations: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per human agent (see the module docstring). ``conversations``: the table from
    :func:`csqa.metrics.build_conversations` for these messages (built when not given)."""
    from csqa.metrics.conversations import build_conversations

    o = prepare(messages, fn="agent_scorecards")
    if conversations is None:
        conversations = build_conversations(messages)
    table = conversations.set_index("conversation_id").reindex(o.conversations).reset_index()
    _, _, _, turn_table = _timed(messages, "agent_scorecards", False, "first", False, None, o=o)
    found = find_transfers(o)
    scored = score_repeats(o, found["row"].to_numpy(), rule=RepeatRule())
    return scorecard_table(o, table, turn_table=turn_table, found=found, scored=scored, canned=find_canned(o))

