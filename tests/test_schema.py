import pandas as pd
import pytest

from csqa.errors import CsqaError, SchemaError
from csqa.schema import MESSAGE_COLUMNS, coerce_messages, empty_messages, validate_messages


def test_empty_messages_has_every_column_and_validates():
    frame = empty_messages()
    assert list(frame.columns) == list(MESSAGE_COLUMNS)
    assert validate_messages(frame) is frame


def test_validate_collects_every_problem_and_lists_columns_present():
    bad = pd.DataFrame({
        "conversation_id": ["c1", None],
        "timestamp": pd.to_datetime(["2026-01-01", "2026-01-02"]),  # naive: wrong
        "sender_role": ["customer", "robot"],
        "kind": ["message", "memo"],
    })
    with pytest.raises(SchemaError) as info:
        validate_messages(bad, columns="core")
    text = str(info.value)
    assert "4 problems" in text
    assert "column 'timestamp' has dtype datetime64" in text
    assert "'conversation_id' has 1 missing values" in text
    assert "unknown values ['robot']" in text
    assert "unknown values ['memo']" in text
    assert "Columns present: ['conversation_id', 'timestamp', 'sender_role', 'kind']" in text
    assert isinstance(info.value, (CsqaError, ValueError))


def test_validate_all_requires_every_column():
    frame = empty_messages().drop(columns=["text", "queue"])
    with pytest.raises(SchemaError, match="missing column 'queue'.*\n.*missing column 'text'"):
        validate_messages(frame)
    validate_messages(frame, columns="core")


def test_duplicate_message_ids_and_eventless_events_are_reported():
    frame = coerce_messages(pd.DataFrame({
        "conversation_id": ["c1", "c1"], "message_id": ["m1", "m1"],
        "timestamp": pd.to_datetime(["2026-01-01", "2026-01-02"], utc=True),
        "sender_role": ["customer", "system"], "kind": ["message", "message"],
    }).iloc[:1])
    dup = pd.concat([frame, frame], ignore_index=True)
    with pytest.raises(SchemaError, match="'message_id' is not unique"):
        validate_messages(dup)
    event = frame.assign(kind=pd.Categorical(["event"], categories=["message", "note", "event"]))
    with pytest.raises(SchemaError, match="kind='event' but no 'event' name"):
        validate_messages(event)


def test_coerce_synthesises_seq_and_ids_in_time_order_without_mutating():
    raw = pd.DataFrame({
        "conversation_id": ["c1", "c1", "c2"],
        "timestamp": pd.to_datetime(["2026-01-01 10:05", "2026-01-01 10:00", "2026-01-01 09:00"], utc=True),
        "sender_role": ["Agent", "customer", "customer"],
    })
    before = raw.copy()
    out = coerce_messages(raw)
    pd.testing.assert_frame_equal(raw, before)
    assert out["seq"].tolist() == [1, 0, 0]
    assert out["message_id"].tolist() == ["c1:1", "c1:0", "c2:0"]
    assert out["sender_role"].astype(str).tolist() == ["agent", "customer", "customer"]
    assert out["kind"].astype(str).tolist() == ["message"] * 3
