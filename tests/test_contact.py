"""Repeat contact and first-contact resolution, hand-computed."""

from __future__ import annotations

import pandas as pd
import pytest

from csqa.errors import SchemaError
from csqa.metrics import build_conversations, repeat_contacts
from tests.conftest import make_messages


def table(rows, **cols):
    """rows: (conversation_id, customer_id, started_at, ended_at)."""
    frame = pd.DataFrame(rows, columns=["conversation_id", "customer_id", "started_at", "ended_at"])
    frame["started_at"] = pd.to_datetime(frame["started_at"], utc=True)
    frame["ended_at"] = pd.to_datetime(frame["ended_at"], utc=True)
    for name, values in {"answered": True, "closed": True, "n_reopens": 0, **cols}.items():
        frame[name] = values
    return frame


def ids(series):
    return [None if pd.isna(v) else v for v in series]


def flags(result, column):
    return [None if pd.isna(v) else bool(v) for v in result[column]]


def test_window_from_end_overlap_boundary_and_other_customers():
    conv = table([
        ("a1", "u1", "2026-01-01 10:00", "2026-01-01 11:00"),
        ("a2", "u1", "2026-01-08 11:00", "2026-01-08 12:00"),   # exactly 7 days after a1 ended
        ("a3", "u1", "2026-01-08 11:30", "2026-01-08 13:00"),   # opened while a2 was open
        ("b1", "u2", "2026-01-01 10:00", "2026-01-01 11:00"),
        ("b2", "u2", "2026-01-08 11:01", "2026-01-08 12:00"),   # 7 days and 1 minute later
        ("c1", None, "2026-01-01 10:00", "2026-01-01 11:00"),   # unknown customer
        ("c2", None, "2026-01-01 10:30", "2026-01-01 11:00"),
    ])
    out = repeat_contacts(conv, end="2026-03-01")
    assert ids(out["next_conversation_id"])[:5] == ["a2", "a3", None, "b2", None]
    assert out["next_contact_s"].tolist()[:2] == [7 * 86400.0, -1800.0]
    assert flags(out, "repeat_contact") == [True, True, False, False, False, None, None]
    assert flags(out, "fcr") == [False, False, True, True, True, None, None]


def test_incomplete_window_is_unknown_unless_a_repeat_was_seen():
    conv = table([
        ("a1", "u1", "2026-01-01", "2026-01-01 01:00"),
        ("a2", "u1", "2026-01-02", "2026-01-02 01:00"),   # data ends 2026-01-05: a2's window is open
        ("b1", "u2", "2026-01-04", "2026-01-04 01:00"),
    ])
    out = repeat_contacts(conv, end="2026-01-05")
    assert flags(out, "repeat_contact") == [True, None, None]
    assert flags(out, "fcr") == [False, None, None]
    assert out["fcr"].mean() == 0.0   # a rate over the conversations that can be judged
    default_end = repeat_contacts(conv)   # data end = last ended_at (2026-01-04 01:00)
    assert flags(default_end, "repeat_contact") == [True, None, None]


def test_topic_reopen_unresolved_and_no_close_events():
    conv = table([
        ("a1", "u1", "2026-01-01", "2026-01-01 01:00"),
        ("a2", "u1", "2026-01-03", "2026-01-03 01:00"),
        ("a3", "u1", "2026-01-04", "2026-01-04 01:00"),
    ], topic=["refund", "login", "refund"], n_reopens=[0, 1, 0], closed=[True, True, False])
    by_topic = repeat_contacts(conv, topic="topic", end="2026-02-01")
    assert ids(by_topic["next_conversation_id"]) == ["a3", None, None]
    assert flags(by_topic, "fcr") == [False, False, False]   # repeat; reopened; not closed
    no_close = conv.assign(closed=False)   # a chat export without close events: answered counts
    assert flags(repeat_contacts(no_close, topic="topic", end="2026-02-01"), "fcr") == [False, False, True]


def test_errors():
    conv = table([("a1", "u1", "2026-01-01", "2026-01-01 01:00")])
    with pytest.raises(SchemaError, match="lacks columns \\['customer_id'\\]"):
        repeat_contacts(conv.drop(columns="customer_id"))
    with pytest.raises(ValueError, match="'within_days' parameter of repeat_contacts"):
        repeat_contacts(conv, within_days=0)
    with pytest.raises(SchemaError, match="lacks columns \\['tag'\\]"):
        repeat_contacts(conv, topic="tag")


def test_build_conversations_has_every_effort_column():
    m = make_messages([
        ("c1", "2026-03-02 10:00:00", "customer", "message", {"customer_id": "u1", "text": "my order is late"}),
        ("c1", "2026-03-02 10:05:00", "agent", "message", {"sender_id": "ana", "text": "on its way"}),
        ("c1", "2026-03-02 10:06:00", "agent", "event", {"event": "close"}),
        ("c2", "2026-03-05 09:00:00", "customer", "message", {"customer_id": "u1", "text": "still late"}),
        ("c2", "2026-03-05 09:05:00", "agent", "message", {"sender_id": "ana", "text": "sorry"}),
        ("c2", "2026-03-05 09:06:00", "agent", "event", {"event": "close"}),
        ("c3", "2026-03-20 09:00:00", "customer", "message", {"customer_id": "u2", "text": "hi"}),
    ])
    conv = build_conversations(m, within_days=7).set_index("conversation_id")
    for col in ("n_transfers", "transferred", "n_agents", "ping_pong", "n_repeats", "has_repeat",
                "reasked_info", "repeat_contact", "fcr"):
        assert col in conv.columns
    assert flags(conv, "repeat_contact") == [True, False, None]
    assert flags(conv, "fcr") == [False, True, False]   # c3 never answered or closed
    assert conv.loc["c1", "next_contact_s"] == 3 * 86400 - (60 + 6) * 60   # close 10:06 -> 09:00 three days on
    assert "fcr" not in build_conversations(m, effort=False).columns
    with pytest.raises(ValueError, match="'topic' parameter of build_conversations"):
        build_conversations(m, topic="nope")
