"""Benchmark runner: every stage of csqa on synthetic messages, timed, with peak memory.

    python benchmarks/run.py --messages 1000000            # all pandas stages
    python benchmarks/run.py --messages 10000000 --dask    # and csqa metrics --engine dask
    python benchmarks/run.py --messages 2000 --in-process  # the smoke version (tests)

The messages (benchmarks/synthetic.py) are generated once per size and kept as Parquet and
CSV under benchmarks/data/<n>/. Each stage then runs in a fresh Python process, so its
peak resident memory (``peak_rss_gb``, the data it loads included) is its own; stages that
work on loaded messages read the Parquet file first, untimed. Results go to
benchmarks/results/run_<n>.json and .md (``--out`` elsewhere). Not part of the test run.

Stages: ingest_csv, ingest_parquet (a file ``csqa ingest`` wrote, read back) and
ingest_parquet_foreign (the same rows written by pandas: the general reader) -- all
``read_messages``: mapping, validation, every row accounted for -- timing (build_conversations, timing columns only), transfers, repeats
(repeat explanation and re-asked information, transfers included), sentiment, language,
aggregates (weekly and per-channel KPIs of the conversations table), metrics (the whole
``csqa metrics`` command: reading, timing, sentiment, automation, surveys, effort, repeat
contacts, writing) and metrics_dask (the same with ``--engine dask``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import peak_rss_gb  # noqa: E402
from synthetic import synthetic_messages  # noqa: E402

from csqa.io import write_parquet  # noqa: E402

STAGES = ("ingest_csv", "ingest_parquet", "ingest_parquet_foreign", "timing", "transfers", "repeats", "sentiment", "language",
          "aggregates", "metrics")


def make_data(n: int, folder: Path) -> Path:
    """Synthetic messages as messages.parquet and messages.csv in ``folder``/<n> (kept)."""
    where = folder / str(n)
    if not (where / "messages.parquet").exists():
        where.mkdir(parents=True, exist_ok=True)
        messages = synthetic_messages(n, seed=1)
        messages.to_parquet(where / "foreign.parquet")  # as another tool would write it
        pa_csv.write_csv(pa.Table.from_pandas(messages, preserve_index=False), where / "messages.csv.tmp")
        os.replace(where / "messages.csv.tmp", where / "messages.csv")
        write_parquet(messages, where / "messages.parquet", messages=True)  # as csqa ingest writes it
    return where


def _loaded(data: Path) -> pd.DataFrame:
    return pd.read_parquet(data / "messages.parquet")


def _stage(name: str, data: Path) -> Callable[[], object]:
    """The work of one stage, ready to time (its inputs already loaded)."""
    from csqa.aggregate import kpis
    from csqa.cli import main as cli
    from csqa.ingest import read_messages
    from csqa.metrics import build_conversations
    from csqa.metrics.frame import prepare
    from csqa.metrics.repeats import RepeatRule, find_reasks, score_repeats
    from csqa.metrics.transfers import find_transfers
    from csqa.text.language import detect_language
    from csqa.text.sentiment import score_sentiment

    if name.startswith("ingest_"):
        path = data / {"ingest_csv": "messages.csv", "ingest_parquet": "messages.parquet",
                       "ingest_parquet_foreign": "foreign.parquet"}[name]
        return lambda: read_messages(path).n_loaded
    if name.startswith("metrics"):
        out = Path(tempfile.mkdtemp()) / "conversations.parquet"
        n = int(data.name)
        engine = ["--engine", "dask", "--partitions", str(max(2, n // 500_000))] if name == "metrics_dask" else []
        return lambda: cli(["metrics", str(data / "messages.parquet"), *engine, "-o", str(out)])
    messages = _loaded(data)
    if name == "timing":
        return lambda: len(build_conversations(messages, effort=False, sentiment=False, automation=False,
                                               surveys=False))
    if name == "transfers":
        return lambda: len(find_transfers(prepare(messages, fn="bench")))

    def repeats() -> int:
        o = prepare(messages, fn="bench")
        rows = find_transfers(o)["row"].to_numpy()
        return int(score_repeats(o, rows, rule=RepeatRule())["is_repeat"].sum()) + len(find_reasks(o, rows))

    texts = messages["text"].dropna().reset_index(drop=True)
    if name == "aggregates":
        table = build_conversations(messages, effort=False, sentiment=False, automation=False, surveys=False)
        return lambda: len(kpis(table, period="week")) + len(kpis(table, by="channel"))
    return {"repeats": repeats, "sentiment": lambda: len(score_sentiment(texts)),
            "language": lambda: len(detect_language(texts))}[name]


def run_stage(name: str, data: Path) -> dict:
    """Time one stage in this process: seconds and the process's peak memory."""
    work = _stage(name, data)
    start = time.perf_counter()
    result = work()
    return {"stage": name, "seconds": round(time.perf_counter() - start, 2), "result": int(result or 0),
            "peak_rss_gb": round(peak_rss_gb(), 2)}


def _in_child(name: str, data: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", name, "--data", str(data)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"stage {name} failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def markdown(result: dict) -> str:
    """The results as a Markdown table."""
    lines = [f"{result['messages']:,} synthetic messages, {result['conversations']:,} conversations; "
             f"{result['machine']}", "", "| stage | time (s) | messages/s | peak memory (GB) |", "|---|---|---|---|"]
    for row in result["stages"]:
        lines.append(f"| {row['stage']} | {row['seconds']:.2f} | {row['messages_per_s']:,} | {row['peak_rss_gb']:.2f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> dict | None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--stages", default=",".join(STAGES), help="comma-separated subset")
    parser.add_argument("--dask", action="store_true", help="also csqa metrics --engine dask")
    parser.add_argument("--in-process", action="store_true", help="all stages in this process (smoke test)")
    parser.add_argument("--data", type=Path, default=HERE / "data", help="where generated data is kept")
    parser.add_argument("--out", type=Path, default=HERE / "results")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(run_stage(args.child, args.data)))
        return None
    data = make_data(args.messages, args.data)
    stages = [s for s in args.stages.split(",") if s] + (["metrics_dask"] if args.dask else [])
    rows = []
    for name in stages:
        row = run_stage(name, data) if args.in_process else _in_child(name, data)
        row["messages_per_s"] = round(args.messages / max(row["seconds"], 1e-9))
        rows.append(row)
        print(json.dumps(row), flush=True)
    n_conv = pd.read_parquet(data / "messages.parquet", columns=["conversation_id"])["conversation_id"].nunique()
    result = {"messages": args.messages, "conversations": int(n_conv),
              "machine": f"{os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GB",
              "stages": rows}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"run_{args.messages}.json").write_text(json.dumps(result, indent=2))
    (args.out / f"run_{args.messages}.md").write_text(markdown(result))
    return result


if __name__ == "__main__":
    main()
