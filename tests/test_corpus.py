"""The committed corpus of malformed files (tests/corpus): each has a known, clear outcome.

A file is refused with a CsqaError that names it and says what was expected, or it
is read with every row loaded or rejected with a reason. Add a file here whenever
the fuzz suite (tests/test_fuzz.py) or a user finds a new way to break a reader.
"""

from pathlib import Path

import pandas as pd
import pytest

from csqa.errors import CsqaError, IngestError, MappingError
from csqa.ingest import read_messages
from csqa.metrics import data_quality
from csqa.schema import validate_messages

CORPUS = Path(__file__).parent / "corpus"

REFUSED = {  # file: (error class, words the message must hold)
    "bom_only.csv": (IngestError, "no header row"),
    "corrupt.csv.gz": (IngestError, "cannot be read after data row 0: expected a complete file; found EOFError"),
    "damaged.parquet": (IngestError, "is damaged after data row 0"),
    "truncated.parquet": (IngestError, "is not a readable Parquet file"),
    "json_scalar.json": (IngestError, "top-level JSON value: expected an array of records; found int"),
    "latin1.csv": (IngestError, "line 3 (byte 115) is not valid UTF-8"),
    "ragged.csv": (IngestError, "malformed CSV after data row 0: expected the same number of fields"),
    "unknown_role.csv": (MappingError, "unmapped sender_role values: 'robot' (first at"),
    "zendesk_audits_truncated.json": (IngestError, "invalid JSON at line 27, column 19"),
}
READ = {  # file: (options, rows loaded, reasons of the rejected rows in order)
    "bare_cr_in_field.csv": ({}, 2, []),
    "duplicate_ids.jsonl": ({}, 2, ["duplicate message_id 'm1' (first loaded from"]),
    "intercom_parts_not_a_list.json": ({}, 2, [
        "conversation 1 / part 2: unexpected structure (AttributeError: 'NoneType' object has no attribute 'get')",
        "conversation 1 / part 3: unexpected structure (AttributeError: 'str' object has no attribute 'get')"]),
    "invalid_json_line.jsonl": ({}, 2, ["invalid JSON: Expecting ',' delimiter at column 86"]),
    "jalali_dates.csv": ({}, 1, ["unparseable timestamp '1405-08-26 10:00' (expected a date/time in the years "
                                 "1678-2261)"]),
    "mixed_time_zones.csv": ({"timezone": "Asia/Tehran"}, 4, []),
    "nul_bytes.csv": ({}, 2, []),
    "only_events.csv": ({}, 2, []),
    "reply_before_question.csv": ({}, 3, []),
    "whatsapp_garbled.txt": ({"agents": ["Shop"]}, 2, ["not a valid date and time: '99/99/99 25:61'"]),
    "wrong_types.jsonl": ({}, 0, ["expected a JSON object; found list", "missing seq",
                                  "empty conversation_id; missing seq",
                                  "unparseable timestamp 'true' (expected a date/time in the years 1678-2261); "
                                  "missing seq", "seq is not an integer: '1.5'", "missing seq"]),
    "zendesk_events_null.json": ({}, 1, []),
}


def test_every_corpus_file_has_an_expected_outcome():
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted({*REFUSED, *READ})


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_with_a_clear_error_naming_the_file(name):
    error, words = REFUSED[name]
    with pytest.raises(error) as caught:
        read_messages(CORPUS / name, errors="collect")
    assert isinstance(caught.value, CsqaError)
    assert name in str(caught.value) and words in str(caught.value)


@pytest.mark.parametrize("name", sorted(READ))
def test_read_with_every_row_accounted_for(name):
    options, loaded, reasons = READ[name]
    result = read_messages(CORPUS / name, errors="collect", **options)
    validate_messages(result.messages)
    assert result.n_loaded == loaded and result.n_read == loaded + len(reasons)
    assert len(result.rejected) == len(reasons)
    for got, want in zip(result.rejected["reason"], reasons, strict=True):
        assert got.startswith(want), got


def test_text_keeps_nul_and_carriage_return_and_times_keep_their_zones():
    assert read_messages(CORPUS / "nul_bytes.csv").messages["text"].tolist() == ["he\x00llo", "hi"]
    assert read_messages(CORPUS / "bare_cr_in_field.csv").messages["text"].tolist() == ["line one\rline two", "ok"]
    m = read_messages(CORPUS / "mixed_time_zones.csv", timezone="Asia/Tehran").messages
    assert m["timestamp"].dt.strftime("%H:%M").tolist() == ["06:03", "06:30", "06:31", "06:32"]
    assert m["text"].tolist()[1] == "سلام"


def test_a_reply_before_its_question_and_a_future_date_are_kept_and_reported():
    m = read_messages(CORPUS / "reply_before_question.csv").messages
    assert m["timestamp"].tolist() == [pd.Timestamp(t, tz="UTC") for t in
                                       ("2026-03-02 10:00", "2026-03-02 09:58", "2099-01-01")]
    found = data_quality(m, now="2026-11-22")
    assert found["check"].tolist() == ["clock_skew", "negative_response", "future"]
    assert found["delta_s"].tolist()[:2] == [-120.0, -120.0]


def test_a_one_megabyte_message_is_loaded_whole(tmp_path):
    text = "س" * 1_000_000
    path = tmp_path / "big.csv"
    path.write_text(f"conversation_id,timestamp,sender_role,text\nc1,2026-03-02T10:00:00Z,customer,{text}\n",
                    encoding="utf-8")
    assert read_messages(path).messages["text"].tolist() == [text]
