"""Benchmark: transfers + repeat explanation (+ re-asked information) at scale.

    python benchmarks/bench_effort.py --messages 10000000

Synthetic messages (benchmarks/synthetic.py) with almost all texts distinct, so
identical-text shortcuts do not flatter the result. Prints one JSON line with
the time of each step and the peak RSS (data included) and writes
benchmarks/results/effort_<n>.json. Not part of the test run.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import peak_rss_gb, write_result  # noqa: E402
from synthetic import synthetic_messages  # noqa: E402

from csqa.metrics.frame import prepare  # noqa: E402
from csqa.metrics.repeats import RepeatRule, find_reasks, score_repeats  # noqa: E402
from csqa.metrics.transfers import find_transfers, transfer_table  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1_000_000)
    args = parser.parse_args()
    t0 = time.perf_counter()
    messages = synthetic_messages(args.messages, seed=1)
    steps = {"generate_s": time.perf_counter() - t0}
    rss_data = peak_rss_gb()

    def step(name, fn):
        start = time.perf_counter()
        value = fn()
        steps[name] = time.perf_counter() - start
        return value

    total = time.perf_counter()
    o = step("prepare_s", lambda: prepare(messages, fn="bench"))
    found = step("transfers_s", lambda: find_transfers(o))
    table = step("transfer_table_s", lambda: transfer_table(o, found))
    rows = found["row"].to_numpy()
    scored = step("repeats_s", lambda: score_repeats(o, rows, rule=RepeatRule()))
    reasks = step("reasked_s", lambda: find_reasks(o, rows))
    total = time.perf_counter() - total
    result = {
        "messages": len(messages), "conversations": o.n_conv, "transfers": len(table),
        "customer_messages_scored": len(scored), "repeats": int(scored["is_repeat"].sum()),
        "reasks": len(reasks), **{k: round(v, 2) for k, v in steps.items()},
        "transfers+repeats+reasked_s": round(total, 2), "messages_per_s": round(len(messages) / total),
        "peak_rss_gb": round(peak_rss_gb(), 2), "rss_after_data_gb": round(rss_data, 2),
    }
    write_result(f"effort_{args.messages}", result)


if __name__ == "__main__":
    main()
