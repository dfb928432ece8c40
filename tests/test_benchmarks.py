"""The benchmark generator and runner, in miniature (the real runs are not part of the tests)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pandas as pd
import pytest

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


def _memory_cgroup_writable() -> bool:
    root = Path("/sys/fs/cgroup")
    controllers = root / "cgroup.controllers"
    if controllers.exists() and "memory" in controllers.read_text(encoding="ascii").split():
        return os.access(root, os.W_OK)
    return os.access(root / "memory", os.W_OK)


@pytest.mark.skipif(not _memory_cgroup_writable(), reason="no writable memory cgroup here")
def test_capped_kills_a_command_over_its_memory_cap(capsys):
    import capped

    allocate = [sys.executable, "-c", "import numpy as np; print(np.ones({n}).sum())"]
    over = [a.format(n=100_000_000) for a in allocate]    # 800 MB
    under = [a.format(n=10_000_000) for a in allocate]    # 80 MB
    assert capped.main(["--gb", "0.4", "--", *over]) == 1
    assert capped.main(["--gb", "0.4", "--", *under]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    assert [(r["killed"], r["exit"]) for r in lines] == [(True, -9), (False, 0)]
    assert lines[1]["group_peak_gb"] < 0.4
