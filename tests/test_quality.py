"""Data quality: clock skew and other oddities are listed and flagged, never repaired."""

import numpy as np
import pandas as pd

from csqa.metrics import build_conversations, data_quality, quality_summary, response_times
from tests.conftest import make_messages


def _messages() -> pd.DataFrame:
    m = make_messages([
        ("c1", "10:00:00", "customer"), ("c1", "09:58:00", "agent"),    # the reply's clock is 2 min behind
        ("c1", "10:05:00", "customer"), ("c1", "10:06:00", "agent"),
        ("c2", "10:00:00", "customer"), ("c2", "10:01:00", "agent"),    # clean
        ("c3", "10:00:00", "system", "event", {"event": "assign"}), ("c3", "10:01:00", "agent", "note"),
        ("c4", "2030-01-01 00:00:00", "customer"),                      # in the future
        ("c5", "10:00:00", "customer"), ("c5", "10:00:30", "customer"),
    ])
    m.loc[m["conversation_id"] == "c5", "seq"] = 0                      # the export gave both seq 0
    m["message_id"] = [f"m{i}" for i in range(len(m))]
    return m


def test_data_quality_lists_every_finding_with_its_size():
    found = data_quality(_messages(), now="2026-03-03")
    got = found[["check", "conversation_id", "message_id", "seq", "delta_s"]].astype(object).values.tolist()
    assert got[:4] == [
        ["clock_skew", "c1", "m1", 1, -120.0], ["negative_response", "c1", "m1", 1, -120.0],
        ["future", "c4", "m8", 0, (pd.Timestamp("2030-01-01") - pd.Timestamp("2026-03-03")).total_seconds()],
        ["duplicate_seq", "c5", "m10", 0, 30.0]]
    assert got[4][:4] == ["no_messages", "c3", "m6", 0] and np.isnan(got[4][4])
    assert found.loc[0, "previous_timestamp"] == pd.Timestamp("2026-03-02 10:00", tz="UTC")
    assert quality_summary(found) == ("data quality: 1 clock_skew in 1 conversation; 1 negative_response in "
                                      "1 conversation; 1 future in 1 conversation; 1 duplicate_seq in 1 "
                                      "conversation; 1 no_messages in 1 conversation")


def test_negative_durations_are_kept_and_flagged_not_zeroed_or_dropped():
    m = _messages()
    turns = response_times(m)
    c1 = turns[turns["conversation_id"] == "c1"]
    assert c1["response_s"].tolist() == [-120.0, 60.0]
    conv = build_conversations(m).set_index("conversation_id")
    assert conv.loc["c1", "first_response_s"] == -120.0 and conv.loc["c1", "max_response_s"] == 60.0
    assert conv["clock_skew"].to_dict() == {"c1": True, "c2": False, "c3": False, "c4": False, "c5": False}


def test_a_clean_table_has_no_findings_and_keeps_the_columns():
    clean = _messages()
    clean = clean[clean["conversation_id"] == "c2"]
    found = data_quality(clean, now="2026-03-03")
    assert found.empty and list(found.columns) == ["check", "conversation_id", "message_id", "seq", "timestamp",
                                                   "previous_timestamp", "delta_s", "detail"]
    assert quality_summary(found) == "data quality: no problems found"
