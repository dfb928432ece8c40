"""The Dask engine: partition by partition, the same conversations table as pandas."""

from __future__ import annotations

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from distributed import LocalCluster

from csqa.calendars import Calendar
from csqa.cli import main
from csqa.dask_engine import build_conversations_dask, read_messages_dask
from csqa.errors import SchemaError
from csqa.metrics import build_conversations
from csqa.sample import load_sample
from csqa.text.vectorize import CharNgramVectorizer
from tests.conftest import make_messages

TEMPLATE = "Thank you for contacting Acme support, we are looking into your order right now"


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return load_sample()


@pytest.fixture(scope="module")
def expected(sample) -> pd.DataFrame:
    return build_conversations(sample)


def test_local_cluster_equals_pandas_on_the_sample(sample, expected):
    """Templates, repeats, transfers and repeat contacts all depend on other partitions'
    data; on a two-process LocalCluster the table is identical to pandas."""
    assert expected[["n_canned", "n_repeats", "n_transfers"]].sum().min() > 300
    assert expected["repeat_contact"].sum() > 100
    shuffled = sample.sample(frac=1.0, random_state=7)  # conversations spread over input partitions
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        got = build_conversations_dask(dd.from_pandas(shuffled, npartitions=5, sort=False),
                                       scheduler=cluster.scheduler_address, npartitions=4)
    pd.testing.assert_frame_equal(got, build_conversations(shuffled))
    pd.testing.assert_frame_equal(got, expected)


def _edge_messages() -> pd.DataFrame:
    """30 conversations sharing a canned reply (so the template spans partitions), an
    unanswered one, a bot and a note, a transfer and a restatement after it, ties in seq."""
    rows = []
    for i in range(30):
        cid = f"t{i:02d}"
        rows += [(cid, f"10:{i:02d}:00", "customer", "message", {"text": f"my order {i} is late", "customer_id": f"u{i % 7}"}),
                 (cid, f"10:{i:02d}:30", "agent", "message", {"text": TEMPLATE, "sender_id": "ana"})]
    rows += [
        ("u1", "09:00:00", "customer", "message", {"text": "hello, is anyone there?", "customer_id": "lone"}),
        ("x1", "11:00:00", "customer", "message", {"text": "The refund for my cracked screen never came", "customer_id": "u1",
                                                      "queue": "general"}),
        ("x1", "11:00:05", "bot", "message", {"text": "Hi! How can I help you today?"}),
        ("x1", "11:00:30", "system", "event", {"event": "assign", "queue": "general", "assignee_id": "ana"}),
        ("x1", "11:01:00", "agent", "note", {"text": "vip customer", "sender_id": "ana"}),
        ("x1", "11:02:00", "system", "event", {"event": "transfer", "queue": "billing"}),
        ("x1", "11:03:00", "agent", "message", {"text": "Billing here, what is the problem?", "sender_id": "bo"}),
        ("x1", "11:04:00", "customer", "message", {"text": "As I said, my refund for the cracked screen never came"}),
    ]
    frame = make_messages(rows)
    frame.loc[frame["conversation_id"] == "x1", "seq"] = [0, 1, 2, 2, 3, 4, 4]  # ties resolved by input order
    return frame


def test_edge_cases_equal_pandas_and_templates_span_partitions():
    messages = _edge_messages()
    expected = build_conversations(messages)
    got = build_conversations_dask(dd.from_pandas(messages, npartitions=3, sort=False), npartitions=6)
    pd.testing.assert_frame_equal(got, expected)
    backwards = messages.iloc[::-1]   # ties in seq now resolve the other way, in both engines
    reversed_got = build_conversations_dask(dd.from_pandas(backwards, npartitions=4, sort=False), npartitions=5)
    pd.testing.assert_frame_equal(reversed_got, build_conversations(backwards))
    assert not reversed_got["n_turns"].equals(got["n_turns"])
    by_id = got.set_index("conversation_id")
    assert by_id.loc[[f"t{i:02d}" for i in range(30)], "n_canned"].eq(1).all()   # one template, 30 conversations
    assert by_id.loc["u1", "answered"] == False  # noqa: E712 - numpy bool
    assert by_id.loc["x1", ["n_transfers", "n_repeats"]].tolist() == [1, 1]
    assert by_id.loc["t01", "repeat_contact"] == True  # noqa: E712 - u1 wrote again in t08


# agent replies, one conversation each; the conversation ids sort in this order
NEAR_DUPLICATES = {
    # a chain of near-duplicates: Jaccard 0.79 (a0-a1), 0.79 (a1-a2), 0.73 (a2-a3), a0-a3 only 0.43,
    # linked through MinHash buckets {a0, a1}, {a1, a2}, {a2, a3}: one template in 4 conversations
    "a0": "Your parcel left our warehouse today and the courier will call you before delivery",
    "a1": "Your parcel left our warehouse today and the courier will phone you before the delivery",
    "a2": "Your parcel left our warehouse this morning and the courier will phone you before the delivery",
    "a3": "Your parcel left our depot this morning and a courier will phone you before the delivery",
    # the same text in two conversations and a variant at Jaccard 0.59: no template (reach 2)
    "b0": "Your refund was approved and should reach your card within five working days",
    "b1": "Your refund was approved and should reach your card within five working days",
    "b2": "Your refund was approved and will reach your bank card within seven working days",
    # equal once numbers are set aside, in three conversations: a template
    "e0": "Ticket 4411 is closed, write to us again whenever you need anything",
    "e1": "Ticket 9 is closed, write to us again whenever you need anything",
    "e2": "Ticket 72 is closed, write to us again whenever you need anything",
}


@pytest.mark.parametrize("npartitions", [1, 4, 10])
def test_templates_are_clustered_across_partitions(npartitions):
    """Near-duplicate replies in different partitions meet in their MinHash buckets, the
    clusters are joined up and their reach is summed over partitions, as pandas does."""
    rows = []
    for k, (cid, text) in enumerate(NEAR_DUPLICATES.items()):
        rows += [(cid, f"10:{k:02d}:00", "customer", "message", {"text": f"where is my order {k}?"}),
                 (cid, f"10:{k:02d}:30", "agent", "message", {"text": text, "sender_id": "ana"})]
    messages = make_messages(rows).iloc[::-1]
    expected = build_conversations(messages)
    got = build_conversations_dask(dd.from_pandas(messages, npartitions=3, sort=False), npartitions=npartitions)
    pd.testing.assert_frame_equal(got, expected)
    assert got.set_index("conversation_id")["n_canned"].to_dict() == {
        "a0": 1, "a1": 1, "a2": 1, "a3": 1, "b0": 0, "b1": 0, "b2": 0, "e0": 1, "e1": 1, "e2": 1}


def test_options_missing_seq_and_build_conversations_dispatch(sample):
    """Without seq the order is synthesised per conversation after the shuffle, as pandas does;
    options pass through; build_conversations hands a Dask DataFrame to the engine."""
    small = sample[sample["conversation_id"].isin(sample["conversation_id"].unique()[:300])]
    no_seq = small.drop(columns=["seq", "message_id"]).sample(frac=1.0, random_state=3)
    options = {"include_bots": True, "burst": "last", "within_days": 3,
               "calendar": Calendar.weekly("09:00-17:00", timezone="Asia/Tehran")}
    expected = build_conversations(no_seq, **options)
    got = build_conversations(dd.from_pandas(no_seq, npartitions=4, sort=False), **options)
    pd.testing.assert_frame_equal(got, expected)
    assert "first_response_bh_s" in got.columns
    timing_only = build_conversations_dask(small, npartitions=2, effort=False, automation=False)
    pd.testing.assert_frame_equal(timing_only, build_conversations(small, effort=False, automation=False))


def test_refusals():
    messages = _edge_messages()
    with pytest.raises(ValueError, match="custom 'vectorizer'"):
        build_conversations_dask(messages, vectorizer=CharNgramVectorizer(ngram_range=(2, 4)))
    with pytest.raises(TypeError, match="must be a Dask or pandas DataFrame"):
        build_conversations_dask(np.zeros(3))
    with pytest.raises(SchemaError, match="lacks column 'conversation_id'"):
        build_conversations_dask(messages.drop(columns="conversation_id"))
    with pytest.raises(SchemaError, match="nope.parquet: no such file"):
        read_messages_dask("nope.parquet")


def test_cli_parquet_folder_and_csv(tmp_path, sample, expected, capsys):
    folder = tmp_path / "messages"
    folder.mkdir()
    cut = sample["conversation_id"].isin(sample["conversation_id"].unique()[:700])
    sample[cut].to_parquet(folder / "a.parquet")
    sample[~cut].to_parquet(folder / "b.parquet")
    work = tmp_path / "work"
    assert main(["metrics", f"{folder}", "--engine", "dask", "--partitions", "3", "--workdir", str(work),
                 "-o", str(tmp_path / "c.parquet")]) == 0
    assert work.is_dir() and not any(work.iterdir())   # the shuffled copy is removed after the run
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "c.parquet"), expected)
    sample.to_csv(tmp_path / "m.csv", index=False)
    assert main(["metrics", str(tmp_path / "m.csv"), "--engine", "dask", "-o", str(tmp_path / "d.parquet")]) == 0
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "d.parquet"), expected)
    assert main(["metrics", str(tmp_path / "m.csv"), "--engine", "dask", "--tables", str(tmp_path), "-o", "x.parquet"]) == 2
    assert "--tables need the pandas engine" in capsys.readouterr().err


def test_cli_bad_csv_names_the_file(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("conversation_id,timestamp,sender_role,text\nc1,2026-01-01T10:00:00Z,customer,hi\n"
                   "c1,yesterday,agent,hello\n")
    assert main(["metrics", str(bad), "--engine", "dask", "-o", str(tmp_path / "out.parquet")]) == 2
    err = capsys.readouterr().err
    assert "bad.csv" in err and "'timestamp' expected ISO 8601 times" in err and "yesterday" in err
    assert not (tmp_path / "out.parquet").exists()
