"""The csqa command: round trip, exit codes, short errors without tracebacks."""

import subprocess
import sys

import pandas as pd
import pytest

from csqa.cli import main
from csqa.schema import validate_messages

PERSIAN = "سفارشم کی می\u200cرسه؟"
MAPPING = """\
timezone = "Asia/Tehran"
[columns]
conversation_id = "chat"
timestamp = "time"
sender_role = "from"
text = "message"
[roles]
visitor = "customer"
operator = "agent"
"""


@pytest.fixture
def export(tmp_path):
    csv = tmp_path / "chats.csv"
    csv.write_text(
        "chat,time,from,message\n"
        f'k1,2026-03-01 10:00:00,visitor,"{PERSIAN}"\n'
        'k1,2026-03-01 10:01:30,operator,"فردا می‌رسه"\n'
        "k1,not a time,visitor,hello\n", encoding="utf-8")
    mapping = tmp_path / "m.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    return csv, mapping


def test_ingest_round_trip_and_rejected_file(export, tmp_path, capsys):
    csv, mapping = export
    out = tmp_path / "messages.parquet"
    code = main(["ingest", str(csv), "--mapping", str(mapping), "--errors", "collect", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 0
    assert "read 3 rows: loaded 2, rejected 1" in err
    messages = validate_messages(pd.read_parquet(out))
    assert messages["text"].tolist() == [PERSIAN, "فردا می‌رسه"]
    assert str(messages["timestamp"].dt.tz) == "UTC"
    assert messages["timestamp"].iloc[0] == pd.Timestamp("2026-03-01 06:30Z")
    rejected = pd.read_parquet(tmp_path / "messages.rejected.parquet")
    assert rejected[["row", "field"]].values.tolist() == [[3, "timestamp"]]


def test_ingest_fails_on_rejected_rows_by_default_and_writes_nothing(export, tmp_path, capsys):
    csv, mapping = export
    out = tmp_path / "messages.parquet"
    assert main(["ingest", str(csv), "--mapping", str(mapping), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "row 3, field timestamp: unparseable timestamp 'not a time'" in err
    assert not out.exists() and (tmp_path / "messages.rejected.parquet").exists()


def test_metrics_command_writes_conversations_and_turns(export, tmp_path, capsys):
    csv, mapping = export
    msgs = tmp_path / "m.parquet"
    main(["ingest", str(csv), "--mapping", str(mapping), "--errors", "collect", "-o", str(msgs)])
    conv, turns = tmp_path / "c.parquet", tmp_path / "t.parquet"
    assert main(["metrics", str(msgs), "-o", str(conv), "--turns", str(turns)]) == 0
    assert pd.read_parquet(conv)["first_response_s"].tolist() == [90.0]
    assert pd.read_parquet(turns)["response_s"].tolist() == [90.0]


@pytest.mark.parametrize("args, message", [
    (["ingest", "{tmp}", "-o", "{tmp}/x.parquet"], "is a directory"),
    (["ingest", "{tmp}/missing.csv", "-o", "{tmp}/x.parquet"], "no such file"),
    (["ingest", "{tmp}/empty.csv", "-o", "{tmp}/x.parquet"], "the file is empty"),
    (["ingest", "{tmp}/latin.csv", "-o", "{tmp}/x.parquet"], "not valid UTF-8"),
    (["ingest", "{tmp}/cut.json", "-o", "{tmp}/x.parquet"], "invalid JSON"),
    (["ingest", "{tmp}/nocol.csv", "-o", "{tmp}/x.parquet"], "missing required column 'timestamp'"),
    (["ingest", "{tmp}/role.csv", "-o", "{tmp}/x.parquet"], "unmapped sender_role values: 'operator'"),
    (["metrics", "{tmp}/missing.parquet", "-o", "{tmp}/c.parquet"], "no such file"),
    (["metrics", "{tmp}/nocol.csv", "-o", "{tmp}/c.parquet", "--calendar", "{tmp}/none.toml"],
     "missing required column"),
])
def test_bad_input_exits_2_with_one_line_and_no_traceback(tmp_path, args, message):
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "latin.csv").write_bytes(b"conversation_id,timestamp,sender_role\nc\xe9,x,y\n")
    (tmp_path / "cut.json").write_text('[{"conversation_id": "c1", ')
    (tmp_path / "nocol.csv").write_text("conversation_id,sender_role\nc1,customer\n")
    (tmp_path / "role.csv").write_text("conversation_id,timestamp,sender_role\nc1,2026-01-01,operator\n")
    argv = [a.format(tmp=tmp_path) for a in args]
    proc = subprocess.run([sys.executable, "-m", "csqa.cli", *argv], capture_output=True, text=True)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("csqa: error: ") and message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_version():
    from csqa import __version__

    proc = subprocess.run([sys.executable, "-m", "csqa.cli", "--version"], capture_output=True, text=True)
    assert proc.stdout.strip() == f"csqa {__version__}"


def test_metrics_command_with_a_calendar(export, tmp_path):
    csv, mapping = export
    msgs = tmp_path / "m.parquet"
    main(["ingest", str(csv), "--mapping", str(mapping), "--errors", "collect", "-o", str(msgs)])
    cal = tmp_path / "cal.toml"
    # 2026-03-01 is a Sunday; the reply came 90 s later at 10:01:30 Tehran, open from 10:01
    cal.write_text('timezone = "Asia/Tehran"\nhours = "10:01-17:00"\nweekend = ["fri"]\n')
    conv = tmp_path / "c.parquet"
    assert main(["metrics", str(msgs), "-o", str(conv), "--calendar", str(cal)]) == 0
    row = pd.read_parquet(conv).iloc[0]
    assert (row.first_response_s, row.first_response_bh_s) == (90.0, 30.0)


def test_metrics_command_writes_effort_tables(tmp_path):
    from tests.labelled_effort import labelled_messages

    messages, labels = labelled_messages()
    msgs = tmp_path / "m.parquet"
    messages.to_parquet(msgs)
    out = {name: tmp_path / f"{name}.parquet" for name in ("c", "transfers", "repeats", "reasked")}
    assert main(["metrics", str(msgs), "-o", str(out["c"]), "--transfers", str(out["transfers"]),
                 "--repeats", str(out["repeats"]), "--reasked", str(out["reasked"]), "--within-days", "3"]) == 0
    conv = pd.read_parquet(out["c"])
    assert {"n_transfers", "has_repeat", "reasked_info", "repeat_contact", "fcr"} <= set(conv.columns)
    assert len(pd.read_parquet(out["transfers"])) == 5
    assert set(pd.read_parquet(out["repeats"])["message_id"]) == set(
        labels.loc[labels["is_repeat"].fillna(False).astype(bool), "message_id"])
    assert len(pd.read_parquet(out["reasked"])) == int(labels["reask"].fillna(False).astype(bool).sum())


def test_metrics_writes_every_table_as_parquet(tmp_path):
    from csqa.cli import TABLES
    from csqa.sample import sample_files

    export, mapping = sample_files()
    assert main(["ingest", str(export), "--mapping", str(mapping), "-o", str(tmp_path / "m.parquet")]) == 0
    assert main(["metrics", str(tmp_path / "m.parquet"), "-o", str(tmp_path / "c.parquet"),
                 "--tables", str(tmp_path / "tables"), "--timezone", "Asia/Tehran"]) == 0
    written = sorted(p.stem for p in (tmp_path / "tables").glob("*.parquet"))
    assert written == sorted(TABLES)
    conv = pd.read_parquet(tmp_path / "c.parquet")
    for column in ("n_canned", "human_requested", "bot_contained", "upsell_to_unhappy", "csat", "nps_score"):
        assert column in conv.columns
    staffing = pd.read_parquet(tmp_path / "tables" / "staffing.parquet")
    assert len(staffing) == 168 and staffing["agents_needed"].max() >= 1
    assert len(pd.read_parquet(tmp_path / "tables" / "agent_scorecards.parquet")) == 15
