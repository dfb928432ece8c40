"""Fuzzing the readers: hostile input is loaded, rejected with a reason, or refused.

Every generated input goes through :func:`csqa.ingest.read_messages`. The outcome
is either a :class:`~csqa.errors.CsqaError` whose message names the file, or a
result where rows read = loaded + rejected (per file and in all), every loaded
row meets the messages contract and every rejected row has a file, a row number
and a reason. Any other exception, or no answer within ``LIMIT_S``, fails.
Where the generator knows how many records it wrote (no byte damage), rows read
must equal that number: nothing is lost silently.

Inputs: the generic reader (CSV, TSV, JSON, JSON Lines, Parquet) from random
records with wrong types, missing keys, huge and 1 MB fields, NUL bytes, mixed
time zones, duplicate ids, out-of-order and future timestamps; and every vendor
adapter from its fixture under ``tests/fixtures/formats`` with random structural
edits (deleted keys, values of the wrong type, duplicated records, shifted or
garbled times). Both then get random byte damage (truncation, invalid UTF-8, NUL).

Cases are derandomised (the same ones on every run, so CI is stable). Set
``CSQA_FUZZ_EXAMPLES`` for more per reader, ``CSQA_FUZZ_RANDOM=1`` to explore new
ones and ``CSQA_FUZZ_SHRINK=1`` to have a failing input shrunk to its smallest form. The count of cases tried is printed in the pytest summary.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import hypothesis.strategies as st
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings

from csqa.errors import CsqaError
from csqa.ingest import read_messages
from csqa.schema import validate_messages
from tests.quality import FUZZ

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
EXAMPLES = int(os.environ.get("CSQA_FUZZ_EXAMPLES", "600"))
LIMIT_S = 30
MAX_ERROR_CHARS = 4000

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, database=None,
    derandomize=os.environ.get("CSQA_FUZZ_RANDOM") != "1",
    # shrinking a failure can take many minutes; CI reports the failing input as found
    phases=tuple(Phase) if os.environ.get("CSQA_FUZZ_SHRINK") == "1" else (Phase.explicit, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)


class Hang(BaseException):
    """A reader gave no answer in time (a BaseException, so no reader can swallow it)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def fire(signum, frame):
        raise Hang(f"no result after {seconds} s")

    previous = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check_read(reader: str, files: dict[str, bytes], *, expected_rows: int | None = None, **options):
    """Write ``files`` to a fresh folder, read them, and check the invariant."""
    FUZZ[reader] = FUZZ.get(reader, 0) + 1
    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder) / name for name in files]
        for path, data in zip(paths, files.values(), strict=True):
            path.write_bytes(data)
        with time_limit(LIMIT_S):
            try:
                result = read_messages(paths, errors="collect", **options)
            except CsqaError as exc:
                message = str(exc)
                assert any(p.name in message for p in paths), f"the error names no file: {message[:500]}"
                assert len(message) <= MAX_ERROR_CHARS, f"error message of {len(message)} characters"
                return None
    files_table = result.files
    assert (files_table["read"] == files_table["loaded"] + files_table["rejected"]).all(), files_table
    assert result.n_read == result.n_loaded + result.n_rejected
    validate_messages(result.messages, source="fuzzed ingest")
    rejected = result.rejected
    assert rejected["reason"].astype(str).str.len().gt(0).all()
    assert rejected["row"].ge(1).all()
    assert rejected["file"].isin([str(p) for p in paths]).all()
    if expected_rows is not None:
        assert result.n_read == expected_rows, f"{result.summary()}; {expected_rows} records were written"
    return result


# --- byte damage, applied to any file ----------------------------------------------

DAMAGE_BYTES = st.sampled_from([b"\x00", b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xef\xbb\xbf", b"\r", b'"', b"\n\n",
                                b"\x00" * 64])


@st.composite
def damaged(draw, data: bytes) -> tuple[bytes, bool]:
    """``data`` unchanged, truncated, with bytes inserted or overwritten; and whether it changed."""
    how = draw(st.sampled_from(["none", "none", "truncate", "insert", "overwrite"]))
    if how == "none" or not data:
        return data, False
    at = draw(st.integers(0, len(data) - 1))
    if how == "truncate":
        return data[:at], True
    piece = draw(st.one_of(DAMAGE_BYTES, st.binary(min_size=1, max_size=8)))
    if how == "insert":
        return data[:at] + piece + data[at:], True
    return data[:at] + piece + data[at + len(piece):], True


# --- the generic reader --------------------------------------------------------------

ZONES = ["Z", "+00:00", "+03:30", "+04:30", "-05:00", "+14:00", ""]
ODD_TIMES = ["2026-02-30T10:00:00Z", "1405-08-26 10:00", "24:61", "now", "", " ", "NaT", "0", "-1",
             "2100-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-03-01T10:00:00+25:00"]


@st.composite
def timestamps(draw):
    kind = draw(st.sampled_from(["iso", "iso", "iso", "epoch", "odd", "text"]))
    if kind == "iso":
        moment = draw(st.datetimes(min_value=pd.Timestamp("2000-01-01").to_pydatetime(),
                                   max_value=pd.Timestamp("2101-01-01").to_pydatetime()))
        sep = draw(st.sampled_from(["T", " "]))
        return moment.isoformat(sep=sep, timespec=draw(st.sampled_from(["seconds", "microseconds"]))) + draw(
            st.sampled_from(ZONES))
    if kind == "epoch":
        return draw(st.one_of(st.integers(-2**63, 2**63 - 1), st.floats(allow_nan=True, allow_infinity=True)))
    if kind == "odd":
        return draw(st.sampled_from(ODD_TIMES))
    return draw(st.text(max_size=30))


HOSTILE_TEXT = ["<script>alert(1)</script>", "=HYPERLINK(\"http://x\",\"y\")", "شماره من ۰۹۱۲۳۴۵۶۷۸۹ است",
                "می‌خواهم", "a\x00b", "line\r\nbreak", "tab\there", "\u202eevil", "\ufeff", "🙂" * 50,
                "x" * 1_000_000]
WRONG_TYPES = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(),
                        st.lists(st.integers(), max_size=3),
                        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))
TEXT = st.one_of(st.text(max_size=40), st.sampled_from(HOSTILE_TEXT), WRONG_TYPES)
IDS = st.one_of(st.sampled_from(["c1", "c2", " c1 ", "C1", "", "ك۱", "1", "1.0"]), st.integers(0, 3), WRONG_TYPES)
ROLES = st.one_of(st.sampled_from(["customer", "agent", "bot", "system", "Customer", " AGENT ", "", "robot"]),
                  WRONG_TYPES)
KINDS = st.one_of(st.sampled_from(["message", "note", "event", "Event", "", "chat"]), WRONG_TYPES)
EVENTS = st.one_of(st.sampled_from(["assign", "transfer", "close", "reopen", "handoff", "rating", ""]), WRONG_TYPES)

RECORD = st.fixed_dictionaries(
    {"conversation_id": IDS, "timestamp": timestamps(), "sender_role": ROLES},
    optional={"message_id": IDS, "seq": st.one_of(st.integers(-5, 2**64), st.floats(), st.text(max_size=5)),
              "kind": KINDS, "event": EVENTS, "text": TEXT, "sender_id": IDS, "assignee_id": IDS,
              "queue": TEXT, "channel": TEXT, "customer_id": IDS, "unknown column": TEXT},
)


def _cell(value):
    """A value as a flat file shows it (lists and objects as JSON)."""
    return json.dumps(value) if isinstance(value, (list, dict)) else value


def serialise(records: list[dict], fmt: str) -> bytes:
    """Records in ``fmt``, the way an export tool would write them."""
    if fmt in ("csv", "tsv"):
        frame = pd.DataFrame([{k: _cell(v) for k, v in r.items()} for r in records])
        return frame.to_csv(index=False, sep="," if fmt == "csv" else "\t", lineterminator="\r\n").encode()
    if fmt == "jsonl":
        return "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode()
    if fmt == "json":
        return json.dumps({"messages": records}, ensure_ascii=False).encode()
    frame = pd.DataFrame([{k: _cell(v) for k, v in r.items()} for r in records])
    for col in frame.columns:  # a column of mixed Python types is stored as text, as exporters do
        kinds = set(frame[col].dropna().map(type))
        if len(kinds) > 1 or (kinds and kinds <= {int} and frame[col].dropna().abs().gt(2**63 - 1).any()):
            frame[col] = frame[col].map(lambda v: None if v is None else str(v))
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "jsonl", "parquet"])
def test_generic_reader_accounts_for_every_record(fmt):
    @FUZZ_SETTINGS
    @given(records=st.lists(RECORD, max_size=8), data=st.data())
    def run(records, data):
        raw = serialise(records, fmt)
        raw, hurt = data.draw(damaged(raw))
        suffix = data.draw(st.sampled_from([f".{fmt}", ".txt"]))  # a wrong suffix: found by content
        # A CSV needs a header; records without keys write no columns at all.
        known = not hurt and records and (fmt != "csv" and fmt != "tsv" or any(records))
        check_read(fmt, {f"export{suffix}": raw}, expected_rows=len(records) if known else None,
                   format=fmt if suffix == ".txt" and data.draw(st.booleans()) else None)

    run()


# --- vendor adapters, from their fixtures ----------------------------------------------

VENDOR_FIXTURES = {
    "chatwoot_messages.json": {},
    "freshdesk_activities.json": {},
    "helpscout_v2.json": {},
    "intercom_conversations.json": {},
    "telegram_personal_chat.json": {"agents": ["user999"]},
    "zammad_ticket_history.json": {},
    "zendesk_audits.json": {},
    "zendesk_chat.json": {},
    "zendesk_ticket_events.json": {},
    "whatsapp_ar_android.txt": {"agents": ["متجر النور"]},
    "whatsapp_fa_jalali.txt": {"agents": ["+982112345678"]},
    "twcs_tweets.csv": {},
}
FORMAT_OF = {"chatwoot": "chatwoot", "freshdesk": "freshdesk", "helpscout": "helpscout", "intercom": "intercom",
             "telegram": "telegram", "zammad": "zammad", "zendesk": "zendesk", "whatsapp": "whatsapp", "twcs": "twcs"}


def vendor_format(name: str) -> str:
    return "zendesk_chat" if name == "zendesk_chat.json" else FORMAT_OF[name.split("_")[0]]


def json_paths(value, prefix=()) -> list[tuple]:
    """Every place in a JSON document (keys and list positions)."""
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            out += json_paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out += json_paths(item, (*prefix, i))
    return out


def _parent(doc, path):
    for step in path[:-1]:
        doc = doc[step]
    return doc


JSON_VALUES = st.one_of(WRONG_TYPES, st.text(max_size=20), st.sampled_from(HOSTILE_TEXT), timestamps())


@st.composite
def edited_json(draw, doc):
    """``doc`` with 1-4 random structural edits."""
    doc = json.loads(json.dumps(doc))
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in json_paths(doc) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, key = _parent(doc, path), path[-1]
        op = draw(st.sampled_from(["delete", "replace", "replace", "duplicate", "shift"]))
        if op == "delete":
            del parent[key]
        elif op == "duplicate" and isinstance(parent, list):
            parent.insert(key, json.loads(json.dumps(parent[key])))
        elif op == "shift" and isinstance(parent[key], (int, float)) and not isinstance(parent[key], bool):
            parent[key] = parent[key] - draw(st.integers(-10**9, 10**9))
        else:
            parent[key] = draw(JSON_VALUES)
    return doc


@st.composite
def edited_lines(draw, text: str, csv_cells: bool):
    """Lines (or CSV cells) deleted, duplicated, swapped, replaced or cut."""
    if csv_cells:
        rows = list(csv.reader(io.StringIO(text)))
        for _ in range(draw(st.integers(1, 4))):
            r = draw(st.integers(0, len(rows) - 1))
            op = draw(st.sampled_from(["cell", "cell", "drop", "duplicate", "swap"]))
            if op == "cell" and rows[r]:
                c = draw(st.integers(0, len(rows[r]) - 1))
                rows[r][c] = str(draw(JSON_VALUES))
            elif op == "drop" and len(rows) > 1:
                del rows[r]
            elif op == "duplicate":
                rows.insert(r, list(rows[r]))
            elif op == "swap":
                s = draw(st.integers(0, len(rows) - 1))
                rows[r], rows[s] = rows[s], rows[r]
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(rows)
        return out.getvalue()
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["replace", "cut", "drop", "duplicate", "swap", "insert"]))
        if op == "replace":
            lines[i] = draw(st.one_of(st.text(max_size=60), st.sampled_from(HOSTILE_TEXT)))
        elif op == "cut":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        elif op == "drop" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines.insert(i, draw(st.text(max_size=60)))
    return "\n".join(lines)


@pytest.mark.parametrize("name", sorted(VENDOR_FIXTURES))
def test_vendor_adapter_accounts_for_every_record(name):
    raw_text = (FIXTURES / name).read_text(encoding="utf-8")
    options = VENDOR_FIXTURES[name]
    fmt = vendor_format(name)

    @FUZZ_SETTINGS
    @given(data=st.data())
    def run(data):
        if name.endswith(".json"):
            text = json.dumps(data.draw(edited_json(json.loads(raw_text))), ensure_ascii=False)
        else:
            text = data.draw(edited_lines(raw_text, csv_cells=name.endswith(".csv")))
        raw, _ = data.draw(damaged(text.encode()))
        forced = data.draw(st.booleans())
        check_read(fmt, {name: raw}, format=fmt if forced else None, **options)

    run()


def test_fixtures_read_cleanly_before_fuzzing():
    """The starting points are good files: every record loads."""
    for name, options in VENDOR_FIXTURES.items():
        result = check_read("fixtures", {name: (FIXTURES / name).read_bytes()}, **options)
        assert result is not None and result.n_rejected == 0 and result.n_loaded > 0, name
