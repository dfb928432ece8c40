"""Response-time metrics on hand-written conversations; expected values worked out by hand."""

import tomllib

import numpy as np
import pandas as pd
import pytest

from csqa.calendars import Calendar
from csqa.errors import SchemaError
from csqa.ingest import ColumnMapping, read_messages
from csqa.metrics import build_conversations, response_times
from csqa.sample import SAMPLE_MAPPING, generate_sample
from tests.conftest import make_messages


def waits(frame):
    return frame["response_s"].tolist()


def test_burst_waits_from_first_message_or_last():
    m = make_messages([
        ("c1", "10:00:00", "customer"), ("c1", "10:00:10", "customer"), ("c1", "10:00:30", "customer"),
        ("c1", "10:01:30", "agent"),
    ])
    assert waits(response_times(m)) == [90.0]
    assert waits(response_times(m, burst="last")) == [60.0]
    assert response_times(m)["customer_message_id"].tolist() == ["c1:0"]


def test_bot_reply_does_not_stop_the_clock_unless_asked():
    m = make_messages([
        ("c1", "10:00:00", "customer"), ("c1", "10:00:02", "bot"),
        ("c1", "10:00:40", "system", "event", {"event": "handoff"}),
        ("c1", "10:02:00", "agent", "message", {"sender_id": "ana"}),
    ])
    turns = response_times(m)
    assert waits(turns) == [120.0] and turns["responder_id"].tolist() == ["ana"]
    assert waits(response_times(m, include_bots=True)) == [2.0]
    # measured from the bot-to-human handoff instead of the first customer message
    assert waits(response_times(m, from_handoff=True)) == [80.0]


def test_from_handoff_ignores_customer_messages_the_bot_handled():
    m = make_messages([
        ("c1", "10:00:00", "customer"), ("c1", "10:00:02", "bot"), ("c1", "10:00:20", "customer"),
        ("c1", "10:01:00", "system", "event", {"event": "handoff"}), ("c1", "10:01:30", "customer"),
        ("c1", "10:03:00", "agent"),
    ])
    assert waits(response_times(m, from_handoff=True)) == [120.0]  # 10:01:00 -> 10:03:00
    assert waits(response_times(m)) == [180.0]


def test_internal_note_is_not_a_reply():
    m = make_messages([
        ("c1", "10:00:00", "customer"), ("c1", "10:00:30", "agent", "note"), ("c1", "10:05:00", "agent"),
    ])
    assert waits(response_times(m)) == [300.0]


def test_agent_started_conversation_measures_from_first_customer_message():
    m = make_messages([
        ("c1", "09:00:00", "agent"), ("c1", "09:30:00", "customer"), ("c1", "09:31:00", "agent"),
    ])
    conv = build_conversations(m)
    assert conv["first_response_s"].tolist() == [60.0]
    assert conv["started_at"].iloc[0] == pd.Timestamp("2026-03-02 09:00Z")


def test_every_turn_unanswered_tail_and_per_conversation_stats():
    m = make_messages([
        ("c1", "10:00:00", "customer"), ("c1", "10:01:00", "agent"),
        ("c1", "10:02:00", "customer"), ("c1", "10:05:00", "agent"),
        ("c1", "10:06:00", "customer"), ("c1", "10:16:00", "agent"),
        ("c1", "10:20:00", "customer"),  # "thanks, bye" after the last reply: never answered
    ])
    turns = response_times(m)
    assert turns["turn"].tolist() == [0, 1, 2, 3]
    assert waits(turns)[:3] == [60.0, 180.0, 600.0] and np.isnan(waits(turns)[3])
    assert turns["answered"].tolist() == [True, True, True, False]
    row = build_conversations(m).iloc[0]
    assert (row.n_turns, row.n_answered_turns, row.answered) == (4, 3, True)
    assert (row.first_response_s, row.median_response_s, row.max_response_s) == (60.0, 180.0, 600.0)


def test_unanswered_conversation_is_kept_and_censored():
    m = make_messages([
        ("c1", "10:00:00", "customer"), ("c1", "10:00:05", "bot"), ("c1", "10:20:00", "customer"),
        ("c2", "11:00:00", "customer"), ("c2", "11:00:30", "agent"),
    ])
    conv = build_conversations(m).set_index("conversation_id")
    assert not conv.loc["c1", "answered"]
    assert np.isnan(conv.loc["c1", "first_response_s"]) and np.isnan(conv.loc["c1", "resolution_s"])
    assert conv.loc["c2", "first_response_s"] == 30.0
    assert len(conv) == 2


def test_resolution_reopen_and_counts():
    m = make_messages([
        ("c1", "10:00:00", "customer"), ("c1", "10:00:01", "system", "event", {"event": "assign", "queue": "billing"}),
        ("c1", "10:01:00", "agent"),
        ("c1", "10:10:00", "agent", "event", {"event": "close"}),
        ("c1", "12:00:00", "customer"),
        ("c1", "12:00:01", "system", "event", {"event": "reopen"}),
        ("c1", "12:30:00", "agent"),
        ("c1", "13:00:00", "agent", "event", {"event": "close"}),
        ("c1", "13:05:00", "customer", "event", {"event": "rating", "text": "4"}),
    ])
    row = build_conversations(m).iloc[0]
    assert row.first_resolution_s == 600.0
    assert row.resolution_s == 3 * 3600.0
    assert (row.n_reopens, row.closed) == (1, True)
    assert (row.n_messages, row.n_customer_messages, row.n_agent_messages) == (4, 2, 2)
    assert row.queue == "billing"
    assert row.ended_at == pd.Timestamp("2026-03-02 13:05Z")
    # the rating event is not a customer message: it opens no turn
    assert row.n_turns == 2 and row.median_response_s == (60.0 + 1800.0) / 2


def test_reopened_and_not_closed_again_is_not_closed():
    m = make_messages([
        ("c1", "10:00:00", "customer"), ("c1", "10:01:00", "agent", "event", {"event": "close"}),
        ("c1", "11:00:00", "system", "event", {"event": "reopen"}),
    ])
    assert not build_conversations(m)["closed"].iloc[0]


def test_input_order_does_not_matter_and_input_is_not_mutated():
    m = make_messages([
        ("c2", "11:00:00", "customer"), ("c2", "11:00:30", "agent"),
        ("c1", "10:00:00", "customer"), ("c1", "10:01:00", "agent"),
    ])
    shuffled = m.sample(frac=1, random_state=3)
    before = shuffled.copy()
    a = build_conversations(m)
    b = build_conversations(shuffled)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(shuffled, before)
    assert a["conversation_id"].tolist() == ["c1", "c2"]


def test_business_hours_overnight_weekend_and_friday():
    # Tehran: open 09:00-17:00, Friday off. Customer writes Thu 16:30 local, reply Sat 09:30 local.
    cal = Calendar.weekly("09:00-17:00", weekend=("fri",), timezone="Asia/Tehran")
    m = make_messages([
        ("c1", "2026-03-05 13:00:00", "customer"),  # Thu 16:30 +03:30
        ("c1", "2026-03-07 06:00:00", "agent"),     # Sat 09:30
    ])
    turns = response_times(m, calendar=cal)
    assert turns["response_s"].iloc[0] == 41 * 3600.0
    assert turns["response_bh_s"].iloc[0] == 3600.0  # 30 min Thu + 30 min Sat
    conv = build_conversations(m, calendar=cal)
    assert conv["first_response_bh_s"].iloc[0] == 3600.0


def test_business_hours_across_dst_change():
    # New York falls back on Sun 2026-11-01. Open every day 00:00-24:00 except Sat:
    # Fri 23:00 EDT -> Mon 01:00 EST is 50 h of wall time; business time skips Sat (24 h)
    # and counts Sunday's 25 hours.
    cal = Calendar.weekly("00:00-24:00", weekend=("sat",), timezone="America/New_York")
    m = make_messages([
        ("c1", "2026-10-31 03:00:00", "customer"),  # Fri 23:00 EDT
        ("c1", "2026-11-02 06:00:00", "agent"),     # Mon 01:00 EST
    ])
    turns = response_times(m, calendar=cal)
    assert turns["response_s"].iloc[0] == 51 * 3600.0
    assert turns["response_bh_s"].iloc[0] == (1 + 25 + 1) * 3600.0


def test_calendar_per_queue():
    from csqa.calendars import CalendarSet

    tehran = Calendar.weekly("09:00-17:00", weekend=("fri",), timezone="Asia/Tehran")
    riyadh = Calendar.weekly("09:00-17:00", weekend=("fri", "sat"), timezone="Asia/Riyadh")
    m = make_messages([
        ("a", "2026-03-07 05:00:00", "customer", "message", {"queue": "fa"}),  # Sat 08:30 Tehran
        ("a", "2026-03-07 06:00:00", "agent"),
        ("b", "2026-03-07 05:00:00", "customer", "message", {"queue": "ar"}),  # Sat 08:00 Riyadh: weekend
        ("b", "2026-03-07 06:00:00", "agent"),
    ])
    cals = CalendarSet(tehran, {"ar": riyadh})
    conv = build_conversations(m, calendar=cals).set_index("conversation_id")
    assert conv.loc["a", "first_response_bh_s"] == 1800.0
    assert conv.loc["b", "first_response_bh_s"] == 0.0


def test_options_and_inputs_are_checked():
    m = make_messages([("c1", "10:00:00", "customer")])
    with pytest.raises(ValueError, match="The 'burst' parameter of response_times must be one of"):
        response_times(m, burst="middle")
    with pytest.raises(SchemaError, match="lacks required columns \\['timestamp'\\]"):
        build_conversations(m.drop(columns="timestamp"))
    with pytest.raises(TypeError, match="must be a pandas DataFrame"):
        build_conversations([1, 2])


def test_empty_messages_give_empty_tables():
    from csqa.schema import empty_messages

    assert len(build_conversations(empty_messages())) == 0
    assert len(response_times(empty_messages())) == 0


def test_sample_first_response_matches_generator_truth(tmp_path):
    export, truth, _ = generate_sample(300, seed=11)
    export.to_csv(tmp_path / "s.csv", index=False)
    mapping = ColumnMapping(**tomllib.loads(SAMPLE_MAPPING))
    conv = build_conversations(read_messages(tmp_path / "s.csv", mapping=mapping).messages)
    j = conv.merge(truth, on="conversation_id", suffixes=("", "_truth"))
    assert len(j) == 300
    assert (j["answered"] == ~j["unanswered"]).all()
    diff = (j["first_response_s"] - j["first_response_s_truth"]).abs()
    assert (diff.dropna() <= 1.0).all()  # the export rounds times to whole seconds
    assert (j["first_response_s"].isna() == j["first_response_s_truth"].isna()).all()
    assert (j["n_reopens"] == j["n_reopens_truth"]).all()


def test_from_handoff_leaves_conversations_without_a_handoff_alone():
    m = make_messages([
        ("c1", "10:00:00", "customer"), ("c1", "10:00:02", "bot"),
        ("c1", "10:00:40", "system", "event", {"event": "handoff"}), ("c1", "10:02:00", "agent"),
        ("c2", "11:00:00", "customer"), ("c2", "11:00:45", "agent"),  # straight to a human
    ])
    conv = build_conversations(m, from_handoff=True).set_index("conversation_id")
    assert conv["first_response_s"].to_dict() == {"c1": 80.0, "c2": 45.0}
    assert conv["answered"].tolist() == [True, True]
