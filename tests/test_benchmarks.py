"""The benchmark generator and runner, in miniature (the real runs are not part of the tests)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

from csqa.schema import validate_messages

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import run  # noqa: E402
from synthetic import synthetic_messages  # noqa: E402


def test_synthetic_messages_are_canonical_with_the_promised_mix():
    m = synthetic_messages(20_000, seed=5)
    validate_messages(m)
    assert len(m) == 20_000 and m["conversation_id"].nunique() == 2_000
    share = m["sender_role"].value_counts(normalize=True)
    assert 0.40 < share["customer"] < 0.50 and 0.33 < share["agent"] < 0.42 and share["bot"] > 0.03
    assert set(m.loc[m["kind"] == "event", "event"]) == {"assign", "transfer", "close"}
    # texts mix the three languages, and nearly all differ
    text = m["text"].dropna()
    assert text.str.contains("[a-z]").mean() > 0.5 and text.str.contains("[\u0600-\u06ff]").mean() > 0.5
    assert text.nunique() > 0.99 * len(text)
    assert synthetic_messages(20_000, seed=5).equals(m)   # reproducible


def test_runner_smoke_times_every_stage(tmp_path):
    result = run.main(["--messages", "3000", "--in-process", "--dask", "--data", str(tmp_path / "data"),
                       "--out", str(tmp_path / "out")])
    stages = {row["stage"]: row for row in result["stages"]}
    assert list(stages) == [*run.STAGES, "metrics_dask"]
    assert stages["ingest_csv"]["result"] == stages["ingest_parquet"]["result"] == 3000
    assert stages["ingest_parquet_foreign"]["result"] == 3000
    assert stages["timing"]["result"] == result["conversations"] == 300
    assert stages["metrics"]["result"] == stages["metrics_dask"]["result"] == 0   # exit code of csqa metrics
    assert all(row["seconds"] >= 0 and row["peak_rss_gb"] > 0 and row["messages_per_s"] > 0 for row in stages.values())
    saved = json.loads((tmp_path / "out" / "run_3000.json").read_text())
    assert saved["stages"] == result["stages"]
    table = (tmp_path / "out" / "run_3000.md").read_text()
    assert "| stage | time (s) | messages/s | peak memory (GB) |" in table and "| metrics_dask |" in table
    # the generated data is kept and read back identically
    kept = pd.read_parquet(tmp_path / "data" / "3000" / "messages.parquet")
    pd.testing.assert_frame_equal(kept, synthetic_messages(3000, seed=1), check_dtype=False)
