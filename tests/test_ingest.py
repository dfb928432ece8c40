"""Generic ingest: mappings, timestamps, row accounting and every kind of bad input."""

import json

import pandas as pd
import pytest

from csqa.errors import CsqaError, IngestError, MappingError
from csqa.ingest import ColumnMapping, detect_format, load_mapping, read_messages
from csqa.schema import validate_messages

PERSIAN = "سلام، سفارش ۲۴۵-۱۲۷۸۴ من کی می\u200cرسد؟"  # with a ZWNJ
ARABIC = "طلبي رقم ٢٤٥-١٢٧٨٤ ما وصل، ليش؟"

MAPPING_TOML = """\
timezone = "Asia/Tehran"
[columns]
conversation_id = "ticket"
timestamp = "created"
sender_role = "who"
text = "body"
kind = "type"
event = "type"
[roles]
user = "customer"
admin = "agent"
[kinds]
comment = "message"
private = "note"
assign = "event"
"""


def write(path, text, encoding="utf-8"):
    path.write_text(text, encoding=encoding)
    return path


@pytest.fixture
def mapping_file(tmp_path):
    return write(tmp_path / "m.toml", MAPPING_TOML)


def csv_rows(*rows):
    return "ticket,created,who,body,type\n" + "\n".join(rows) + "\n"


def test_csv_with_mapping_keeps_text_byte_for_byte_and_converts_to_utc(tmp_path, mapping_file):
    src = write(tmp_path / "a.csv", csv_rows(
        f'T1,2026-03-01T10:00:00+03:30,User,"{PERSIAN}",comment',
        f'T1,2026-03-01 10:05:00,Admin,"{ARABIC}",comment',
        'T1,2026-03-01 10:06:00,Admin,"line one\nline ""two""  ",private',
        "T1,1772347020,,,assign",
        "T2,1772346600000,user,NA,comment",
    ))
    result = read_messages(src, mapping=mapping_file)
    m = result.messages
    validate_messages(m)
    assert result.summary() == "read 5 rows: loaded 5, rejected 0"
    assert m["text"].iloc[0] == PERSIAN and "\u200c" in m["text"].iloc[0]
    assert m["text"].iloc[1] == ARABIC
    assert m["text"].iloc[2] == 'line one\nline "two"  '
    assert m["text"].iloc[4] == "NA"  # the text 'NA' is text, not missing
    assert str(m["timestamp"].dt.tz) == "UTC"
    # 10:00 +03:30 -> 06:30 UTC; naive 10:05 in Tehran -> 06:35 UTC; Unix s and ms
    assert m["timestamp"].dt.strftime("%H:%M:%S").tolist() == [
        "06:30:00", "06:35:00", "06:36:00", "06:37:00", "06:30:00"]
    assert m["sender_role"].astype(str).tolist() == ["customer", "agent", "agent", "system", "customer"]
    assert m["kind"].astype(str).tolist() == ["message", "message", "note", "event", "message"]
    assert m["event"].isna().tolist() == [True, True, True, False, True]
    assert m["message_id"].tolist() == ["T1:0", "T1:1", "T1:2", "T1:3", "T2:0"]


def test_canonical_columns_need_no_mapping_and_round_trip_through_parquet(tmp_path):
    frame = pd.DataFrame({
        "conversation_id": ["c1", "c1"], "message_id": ["a", "b"],
        "timestamp": ["2026-01-05T08:00:00Z", "2026-01-05T08:01:00Z"],
        "sender_role": ["customer", "agent"], "text": [PERSIAN, "hi"],
    })
    frame.to_parquet(tmp_path / "c.parquet")
    frame.to_json(tmp_path / "c.jsonl", orient="records", lines=True, force_ascii=False)
    frame.to_json(tmp_path / "c.json", orient="records", force_ascii=False)
    outs = [read_messages(tmp_path / f"c.{ext}").messages for ext in ("parquet", "jsonl", "json")]
    for out in outs[1:]:
        pd.testing.assert_frame_equal(outs[0], out)
    assert outs[0]["text"].tolist() == [PERSIAN, "hi"]
    outs[0].to_parquet(tmp_path / "again.parquet")
    pd.testing.assert_frame_equal(read_messages(tmp_path / "again.parquet").messages, outs[0])


def test_parquet_with_damaged_pandas_notes_is_read_whole(tmp_path):
    """A Parquet file whose pandas metadata is not valid JSON (found by the fuzz test) keeps its rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = pd.DataFrame({"conversation_id": ["c1", "c1"], "timestamp": ["2026-01-05T08:00:00Z"] * 2,
                          "sender_role": ["customer", "agent"], "text": [PERSIAN, "hi"]})
    table = pa.Table.from_pandas(frame)
    notes = table.schema.metadata[b"pandas"]
    pq.write_table(table.replace_schema_metadata({b"pandas": notes[:40] + b"\r" + notes[40:]}), tmp_path / "d.parquet")
    result = read_messages(tmp_path / "d.parquet")
    assert result.messages["text"].tolist() == [PERSIAN, "hi"] and len(result.rejected) == 0


def test_unparseable_timestamps_and_empty_ids_are_rejected_with_row_and_reason(tmp_path, mapping_file):
    src = write(tmp_path / "a.csv", csv_rows(
        "T1,2026-03-01 10:00,user,hi,comment",
        "T1,yesterday-ish,admin,hello,comment",
        ",2026-03-01 10:02,user,who am I,comment",
        "T1,,admin,x,comment",
        "T1,2026-03-01 10:03,,x,comment",
    ))
    with pytest.raises(IngestError) as info:
        read_messages(src, mapping=mapping_file)
    assert "4 of 5 rows rejected" in str(info.value)
    result = read_messages(src, mapping=mapping_file, errors="collect")
    assert (result.n_read, result.n_loaded, result.n_rejected) == (5, 1, 4)
    rej = result.rejected.set_index("row")
    assert rej.loc[2, "reason"] == "unparseable timestamp 'yesterday-ish' (expected a date/time in the years 1678-2261)"
    assert rej.loc[3, "reason"] == "empty conversation_id"
    assert rej.loc[4, "reason"] == "missing timestamp"
    assert rej.loc[5, "reason"] == "empty sender_role"
    assert rej.loc[2, "field"] == "timestamp" and rej.loc[2, "file"] == str(src)
    assert json.loads(rej.loc[2, "record"])["created"] == "yesterday-ish"
    assert result.files[["read", "loaded", "rejected"]].values.tolist() == [[5, 1, 4]]


def test_a_row_with_several_problems_lists_them_all(tmp_path, mapping_file):
    src = write(tmp_path / "a.csv", csv_rows(",never,user,x,comment"))
    rej = read_messages(src, mapping=mapping_file, errors="collect").rejected
    assert rej["field"].tolist() == ["conversation_id, timestamp"]
    assert rej["reason"].tolist() == ["empty conversation_id; unparseable timestamp 'never' (expected a date/time in the years 1678-2261)"]


def test_unmapped_role_values_are_an_error_listing_them(tmp_path, mapping_file):
    src = write(tmp_path / "a.csv", csv_rows(
        "T1,2026-03-01 10:00,visitor,hi,comment", "T1,2026-03-01 10:01,operator,x,comment",
        "T1,2026-03-01 10:02,visitor,x,comment"))
    with pytest.raises(MappingError) as info:
        read_messages(src, mapping=mapping_file, errors="collect")
    text = str(info.value)
    assert "'operator' (first at" in text and "row 2" in text and "'visitor'" in text
    assert "[roles]" in text


def test_unmapped_kind_values_are_an_error(tmp_path, mapping_file):
    src = write(tmp_path / "a.csv", csv_rows("T1,2026-03-01 10:00,user,hi,tweet"))
    with pytest.raises(MappingError, match="unmapped kind values: 'tweet'"):
        read_messages(src, mapping=mapping_file)


def test_missing_required_column_names_file_and_columns_present(tmp_path, mapping_file):
    src = write(tmp_path / "a.csv", "ticket,who,body\nT1,user,hi\n")
    with pytest.raises(IngestError) as info:
        read_messages(src, mapping=mapping_file)
    text = str(info.value)
    assert str(src) in text and "'timestamp' (mapped from 'created')" in text
    assert "['body', 'ticket', 'who']" in text and "Hint:" in text


@pytest.mark.parametrize("content, message", [
    (b"", "the file is empty"),
    (b"\n\n", "no header row"),
])
def test_empty_files(tmp_path, content, message):
    src = tmp_path / "e.csv"
    src.write_bytes(content)
    with pytest.raises(IngestError, match=message):
        read_messages(src)


def test_header_only_file_reads_zero_rows(tmp_path):
    src = write(tmp_path / "h.csv", "conversation_id,timestamp,sender_role\n")
    result = read_messages(src)
    assert (result.n_read, result.n_loaded, result.n_rejected) == (0, 0, 0)
    validate_messages(result.messages)


def test_non_utf8_file_names_line_and_byte(tmp_path):
    src = tmp_path / "latin.csv"
    src.write_bytes("conversation_id,timestamp,sender_role,text\nc1,2026-01-01,customer,ok\n"
                    "c1,2026-01-01,customer,caf\xe9\n".encode("latin-1"))
    with pytest.raises(IngestError) as info:
        read_messages(src)
    assert "line 3" in str(info.value) and "not valid UTF-8" in str(info.value)
    assert "iconv" in str(info.value)


def test_truncated_json_is_a_clear_error(tmp_path):
    src = write(tmp_path / "t.json", '[{"conversation_id": "c1", "timestamp": "2026-01-01", "sender_ro')
    with pytest.raises(IngestError, match=r"invalid JSON at line 1.*looks truncated"):
        read_messages(src)


def test_json_lines_bad_lines_are_rejected_not_fatal(tmp_path):
    src = write(tmp_path / "x.jsonl", "\n".join([
        '{"conversation_id": "c1", "timestamp": "2026-01-01T10:00:00Z", "sender_role": "customer"}',
        '{"conversation_id": "c1", "timestamp": ',
        '[1, 2]',
        "",
        '{"conversation_id": 7, "timestamp": 1767261600, "sender_role": "agent", "text": ["a", 1]}',
    ]))
    result = read_messages(src, errors="collect")
    assert (result.n_read, result.n_loaded, result.n_rejected) == (4, 2, 2)
    assert result.rejected["row"].tolist() == [2, 3]
    assert result.rejected["reason"].str.startswith("invalid JSON").tolist() == [True, False]
    assert "expected a JSON object; found list" in result.rejected["reason"].iloc[1]
    assert result.messages["conversation_id"].tolist() == ["7", "c1"]
    assert result.messages["text"].iloc[0] == '["a", 1]'


def test_nested_json_columns_map_with_dotted_names(tmp_path):
    data = {"conversations": [
        {"id": "c9", "at": "2026-02-01T12:00:00+01:00", "author": {"type": "user", "id": 5}, "body": "x"},
    ]}
    src = write(tmp_path / "n.json", json.dumps(data))
    mapping = ColumnMapping(
        columns={"conversation_id": "id", "timestamp": "at", "sender_role": "author.type",
                 "sender_id": "author.id", "text": "body"},
        roles={"user": "customer"},
    )
    m = read_messages(src, mapping=mapping).messages
    assert m["sender_id"].tolist() == ["5"] and m["timestamp"].iloc[0] == pd.Timestamp("2026-02-01 11:00Z")


def test_directory_and_missing_file(tmp_path):
    with pytest.raises(IngestError, match="is a directory"):
        read_messages(tmp_path)
    with pytest.raises(IngestError, match="no such file"):
        read_messages(tmp_path / "nope.csv")


def test_duplicate_message_ids_are_rejected_with_first_location(tmp_path):
    src = write(tmp_path / "d.csv", "conversation_id,message_id,timestamp,sender_role\n"
                "c1,m1,2026-01-01T10:00:00Z,customer\nc1,m1,2026-01-01T10:01:00Z,agent\n")
    result = read_messages(src, errors="collect")
    assert (result.n_loaded, result.n_rejected) == (1, 1)
    assert result.rejected["reason"].iloc[0] == f"duplicate message_id 'm1' (first loaded from {src} row 1)"
    assert result.rejected["row"].iloc[0] == 2


def test_several_files_are_accounted_for_separately(tmp_path):
    a = write(tmp_path / "a.csv", "conversation_id,timestamp,sender_role\nc1,2026-01-01T10:00:00Z,customer\n")
    b = write(tmp_path / "b.csv", "conversation_id,timestamp,sender_role\nc2,bad,customer\nc2,2026-01-01T11:00:00Z,agent\n")
    result = read_messages([a, b], errors="collect")
    assert result.files[["read", "loaded", "rejected"]].values.tolist() == [[1, 1, 0], [2, 1, 1]]
    assert result.n_read == result.n_loaded + result.n_rejected == 3


def test_dayfirst_format_and_timezone_override(tmp_path):
    src = write(tmp_path / "d.csv", "conversation_id,timestamp,sender_role\nc1,03/04/2026 09:00,customer\n")
    m = read_messages(src, mapping=ColumnMapping(dayfirst=True), timezone="Asia/Riyadh").messages
    assert m["timestamp"].iloc[0] == pd.Timestamp("2026-04-03 06:00Z")
    fmt = ColumnMapping(timestamp_format="%d/%m/%Y %H:%M")
    assert read_messages(src, mapping=fmt).messages["timestamp"].iloc[0] == pd.Timestamp("2026-04-03 09:00Z")


def test_keep_columns_and_defaults(tmp_path):
    src = write(tmp_path / "k.csv", "conversation_id,timestamp,sender_role,priority\nc1,2026-01-01T10:00:00Z,customer,high\n")
    m = read_messages(src, mapping=ColumnMapping(keep_columns=("priority",), defaults={"channel": "email"})).messages
    assert m["priority"].tolist() == ["high"] and m["channel"].tolist() == ["email"]


@pytest.mark.parametrize("toml, message", [
    ('[columns]\nconversation = "id"\n', "unknown canonical columns \\['conversation'\\]"),
    ('[roles]\nuser = "client"\n', "maps to \\['client'\\]"),
    ('timezone = "Mars/Olympus"\n', "not an IANA time zone"),
    ('colums = {}\n', "unknown keys \\['colums'\\]"),
    ('[columns\n', "invalid TOML"),
])
def test_bad_mapping_files_name_the_file_and_key(tmp_path, toml, message):
    path = write(tmp_path / "bad.toml", toml)
    with pytest.raises(MappingError, match=message) as info:
        load_mapping(path)
    assert str(path) in str(info.value)


def test_errors_are_csqa_errors_and_parameters_are_checked(tmp_path):
    with pytest.raises(ValueError, match="The 'errors' parameter of read_messages must be"):
        read_messages(tmp_path / "x.csv", errors="ignore")
    assert issubclass(IngestError, CsqaError) and issubclass(MappingError, ValueError)


def test_detect_format_by_content(tmp_path):
    (tmp_path / "a").write_text('[{"a": 1}]')
    (tmp_path / "b").write_text('{"a": 1}\n{"a": 2}\n')
    (tmp_path / "c").write_text("a\tb\n1\t2\n")
    pd.DataFrame({"a": [1]}).to_parquet(tmp_path / "d")
    assert [detect_format(tmp_path / n) for n in "abcd"] == ["json", "jsonl", "tsv", "parquet"]


def test_large_csv_is_read_in_chunks_with_exact_row_numbers(tmp_path, monkeypatch):
    import csqa.ingest.readers as readers

    monkeypatch.setattr(readers, "CHUNK_ROWS", 3)
    monkeypatch.setattr(readers.read_csv_chunks, "__defaults__", (",", 3))
    lines = [f"c{i // 4},2026-01-01T10:{i:02d}:00Z,customer" for i in range(10)]
    lines[7] = "c1,broken,customer"
    src = write(tmp_path / "big.csv", "conversation_id,timestamp,sender_role\n" + "\n".join(lines) + "\n")
    result = read_messages(src, errors="collect")
    assert (result.n_read, result.n_loaded) == (10, 9)
    assert result.rejected["row"].tolist() == [8]
    assert result.messages.groupby("conversation_id")["seq"].max().tolist() == [3, 2, 1]


def test_parquet_written_by_csqa_is_read_back_fast_and_checked(tmp_path):
    """A messages file csqa wrote is read whole (no per-row mapping) when it still meets the
    contract; changed in a way the contract forbids, it goes through the general reader,
    which rejects by row: nothing is lost either way."""
    from csqa.ingest.generic import _read_canonical
    from csqa.io import write_parquet
    from csqa.sample import load_sample

    messages = load_sample()
    marked, plain = tmp_path / "marked.parquet", tmp_path / "plain.parquet"
    write_parquet(messages, marked, messages=True)
    write_parquet(messages, plain)
    assert _read_canonical(plain) is None
    fast = _read_canonical(marked)
    pd.testing.assert_frame_equal(fast, messages)
    pd.testing.assert_frame_equal(read_messages(marked).messages, read_messages(plain).messages)

    def variant(name, frame):
        path = tmp_path / f"{name}.parquet"
        write_parquet(frame, path, messages=True)
        return path

    backwards = variant("backwards", messages.iloc[::-1])
    duplicate = messages.copy()
    duplicate.loc[5, "message_id"] = duplicate.loc[4, "message_id"]
    duplicate = variant("duplicate", duplicate)
    robot = messages.astype({"sender_role": str})
    robot.loc[3, "sender_role"] = "robot"
    robot = variant("robot", robot)
    for path in (backwards, duplicate, robot):
        assert _read_canonical(path) is None
    pd.testing.assert_frame_equal(read_messages(backwards).messages, messages)
    result = read_messages(duplicate, errors="collect")
    assert (result.n_read, result.n_loaded, result.n_rejected) == (len(messages), len(messages) - 1, 1)
    assert "duplicate message_id" in result.rejected["reason"].iloc[0]
    with pytest.raises(MappingError, match="robot"):
        read_messages(robot)


def test_empty_parquet_with_unreadable_pandas_metadata_is_read_by_its_columns(tmp_path):
    """A Parquet file without rows whose pandas metadata is not UTF-8 (found by fuzzing):
    its columns are still read, so the answer is about the columns, never a crash."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = {name: pa.array([], pa.string()) for name in ("conversation_id", "timestamp", "sender_role", "text")}
    path = tmp_path / "empty.parquet"
    pq.write_table(pa.table(columns).replace_schema_metadata({"pandas": b"\x83 not json"}), path)
    result = read_messages(path, errors="collect")
    assert (result.n_read, result.n_loaded, result.n_rejected) == (0, 0, 0)
