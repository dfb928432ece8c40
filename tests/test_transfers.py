"""Transfers: explicit events, inferred from replies, ping-pong, per-conversation columns, flow."""

from __future__ import annotations

import pandas as pd
import pytest

from csqa.metrics import build_conversations, transfer_flow, transfers
from tests.conftest import ROOT, make_messages


def ev(cid, when, name, assignee=None, queue=None, role="system"):
    return (cid, when, role, "event", {"event": name, "assignee_id": assignee, "queue": queue,
                                        "sender_id": "system"})


def msg(cid, when, role, sender):
    return (cid, when, role, "message", {"sender_id": sender, "text": "hello there"})


def effort(m):
    cols = ["n_transfers", "transferred", "n_agents", "n_queues", "ping_pong"]
    return build_conversations(m).set_index("conversation_id")[cols]


def test_explicit_events_first_assignment_and_same_owner_are_not_transfers():
    m = make_messages([
        msg("c1", "10:00:00", "customer", "u1"),
        ev("c1", "10:00:05", "assign", "ana", "billing"),      # first owner: not a transfer
        ev("c1", "10:00:06", "assign", "ana", "billing"),      # same owner again: not a transfer
        msg("c1", "10:01:00", "agent", "ana"),
        ev("c1", "10:02:00", "transfer", "bob", "billing"),     # agent change, same queue
        msg("c1", "10:03:00", "agent", "bob"),
        ev("c1", "10:04:00", "transfer", None, "tech"),         # queue move, nobody assigned
        ev("c1", "10:04:30", "assign", "cem", "tech"),          # assignment inside the new queue
        msg("c1", "10:05:00", "agent", "cem"),
    ])
    t = transfers(m)
    assert t[["from_agent", "to_agent", "from_queue", "to_queue"]].astype(object).where(
        t[["from_agent", "to_agent", "from_queue", "to_queue"]].notna(), None).values.tolist() == [
        ["ana", "bob", "billing", "billing"], ["bob", None, "billing", "tech"]]
    assert t["source"].tolist() == ["event", "event"] and t["number"].tolist() == [1, 2]
    assert t["at"].tolist() == [pd.Timestamp("2026-03-02 10:02:00", tz="UTC"),
                                pd.Timestamp("2026-03-02 10:04:00", tz="UTC")]
    row = effort(m).loc["c1"]
    assert (row.n_transfers, row.transferred, row.n_agents, row.n_queues, row.ping_pong) == (2, True, 3, 2, False)


def test_bot_assignment_and_handoff_are_not_transfers():
    m = make_messages([
        msg("c1", "10:00:00", "customer", "u1"),
        ev("c1", "10:00:01", "assign", "nova-bot", "front"),
        msg("c1", "10:00:02", "bot", "nova-bot"),
        ev("c1", "10:00:30", "handoff"),
        ev("c1", "10:00:31", "assign", "ana", "front"),
        msg("c1", "10:01:00", "agent", "ana"),
    ])
    assert len(transfers(m)) == 0
    assert effort(m).loc["c1"].tolist() == [0, False, 1, 1, False]


def test_inferred_from_replies_ignores_bots_and_notes():
    m = make_messages([
        msg("c2", "10:00:00", "customer", "u2"),
        msg("c2", "10:00:10", "bot", "nova-bot"),
        msg("c2", "10:01:00", "agent", "ana"),
        ("c2", "10:01:30", "agent", "note", {"sender_id": "sup", "text": "internal"}),
        msg("c2", "10:02:00", "agent", "ana"),
        msg("c2", "10:03:00", "agent", "bob"),
        msg("c2", "10:04:00", "customer", "u2"),
        msg("c2", "10:05:00", "agent", "ana"),   # back to ana: ping-pong
    ])
    t = transfers(m)
    assert t[["from_agent", "to_agent", "returned"]].values.tolist() == [["ana", "bob", False], ["bob", "ana", True]]
    assert (t["source"] == "inferred").all()
    assert t["message_id"].tolist() == ["c2:5", "c2:7"]
    assert effort(m).loc["c2"].tolist() == [2, True, 2, 0, True]


def test_source_option_and_per_conversation_choice():
    m = make_messages([
        ev("c1", "10:00:00", "assign", "ana", "q1"),
        msg("c1", "10:00:10", "customer", "u1"),
        msg("c1", "10:01:00", "agent", "ana"),
        msg("c1", "10:02:00", "agent", "bob"),   # a colleague replies without an event
        msg("c3", "10:00:00", "customer", "u3"),
        msg("c3", "10:01:00", "agent", "ana"),
        msg("c3", "10:02:00", "agent", "bob"),
    ])
    assert transfers(m)["conversation_id"].tolist() == ["c3"]            # c1 has events: used
    assert transfers(m, source="replies")["conversation_id"].tolist() == ["c1", "c3"]
    assert transfers(m, source="events")["conversation_id"].tolist() == []
    with pytest.raises(ValueError, match="'source' parameter of transfers"):
        transfers(m, source="magic")


def test_queue_ping_pong_and_flow():
    m = make_messages([
        msg("c4", "10:00:00", "customer", "u4"),
        ev("c4", "10:00:01", "assign", "ana", "billing"),
        ev("c4", "10:01:00", "transfer", "bob", "tech"),
        ev("c4", "10:02:00", "transfer", "cem", "billing"),   # back to billing, new agent
        msg("c5", "10:00:00", "customer", "u5"),
        ev("c5", "10:00:01", "assign", "dan", "tech"),
        ev("c5", "10:01:00", "transfer", "eva", "billing"),
    ])
    t = transfers(m)
    assert t["returned"].tolist() == [False, True, False]
    flow = transfer_flow(t)
    assert flow.values.tolist() == [["tech", "billing", 2, 2 / 3], ["billing", "tech", 1, 1 / 3]]
    assert transfer_flow(t, by="agent")["n_transfers"].sum() == 3
    with pytest.raises(ValueError, match="'by' parameter of transfer_flow"):
        transfer_flow(t, by="team")
    conv = effort(m)
    assert conv.loc["c4"].tolist() == [2, True, 3, 2, True]
    assert conv.loc["c5"].tolist() == [1, True, 2, 2, False]


def test_no_transfers_and_empty_input():
    from csqa.schema import empty_messages

    assert len(transfers(empty_messages())) == 0
    m = make_messages([msg("c1", "10:00:00", "customer", "u1")])
    assert effort(m).loc["c1"].tolist() == [0, False, 0, 0, False]


def test_sample_transfers_match_generator_truth():
    from csqa.sample import load_sample

    truth = pd.read_csv(ROOT / "data/sample/truth_conversations.csv").set_index("conversation_id")
    for source in ("auto", "replies"):
        conv = build_conversations(load_sample(), transfer_source=source).set_index("conversation_id")
        assert (conv["n_transfers"] == truth["n_transfers"]).all()
        assert (conv["ping_pong"] == truth["ping_pong"]).all()
