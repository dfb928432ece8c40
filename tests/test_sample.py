"""The sample generator and the bundled sample."""

import gzip
import tomllib

import pandas as pd
import pytest

from csqa.ingest import ColumnMapping
from csqa.sample import SAMPLE_MAPPING, generate_sample, load_sample, sample_files
from csqa.schema import validate_messages
from tests.conftest import ROOT


def test_generator_is_deterministic():
    a = generate_sample(50, seed=3)
    b = generate_sample(50, seed=3)
    for x, y in zip(a, b, strict=True):
        pd.testing.assert_frame_equal(x, y)
    assert not generate_sample(50, seed=4)[0].equals(a[0])


def test_sample_plants_every_phenomenon():
    export, truth, repeats = generate_sample(2000, seed=7)
    assert len(truth) == 2000
    assert set(truth["language"]) == {"en", "ar", "fa"} and set(truth["channel"]) == {"chat", "email", "whatsapp"}
    for flag in ("unanswered", "outbound", "bot", "ping_pong", "reasked_info"):
        assert truth[flag].sum() > 10, flag
    assert (truth["n_transfers"] > 0).mean() > 0.15
    assert (truth["n_repeats"] > 0).mean() > 0.1 and len(repeats) == truth["n_repeats"].sum()
    assert truth["n_reopens"].sum() > 50 and truth["csat"].notna().sum() > 500
    assert export["author"][export["author_type"] == "Agent"].nunique() == 15
    assert set(export["type"]) == {"message", "private_note", "event"}
    texts = export["body"].dropna()
    assert texts.str.contains("[\u0600-\u06ff]").mean() > 0.4  # Arabic script (ar + fa)
    assert texts.str.contains("\u200c").any()  # Persian ZWNJ kept
    # every repeat points to an earlier customer message of the same conversation
    ids = export.set_index("msg_id")
    assert (ids.loc[repeats["repeat_of"], "ticket_id"].to_numpy() == repeats["conversation_id"]).all()


def test_committed_sample_matches_the_generator():
    committed = ROOT / "data" / "sample" / "messages.csv"
    if not committed.exists():
        pytest.skip("data/sample not present")
    export, _, _ = generate_sample(2000, seed=7)
    assert committed.read_text(encoding="utf-8") == export.to_csv(index=False)
    bundled, mapping = sample_files()
    with gzip.open(bundled, "rt", encoding="utf-8") as fh:
        assert fh.read() == export.to_csv(index=False)
    assert mapping.read_text(encoding="utf-8") == SAMPLE_MAPPING


def test_load_sample_reads_through_the_mapping():
    messages = load_sample()
    validate_messages(messages)
    assert messages["conversation_id"].nunique() == 2000
    assert set(messages["sender_role"].astype(str)) == {"customer", "agent", "bot", "system"}
    assert ColumnMapping(**tomllib.loads(SAMPLE_MAPPING)).columns["text"] == "body"
