"""Benchmark: response_times + build_conversations (timing columns, ``effort=False``) at scale,
and against groupby().apply(). The customer-effort columns have their own benchmark
(bench_effort.py).

    python benchmarks/bench_timing.py --messages 10000000
    python benchmarks/bench_timing.py --messages 200000 --baseline   # ratio vs a naive version

Prints a JSON line per run (seconds, messages/s, peak RSS) and writes
benchmarks/results/timing_<n>.json. Not part of the test run.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import peak_rss_gb, write_result  # noqa: E402
from synthetic import synthetic_messages  # noqa: E402

from csqa.metrics import build_conversations, response_times  # noqa: E402


def naive_first_response(messages: pd.DataFrame) -> pd.Series:
    """The straightforward way: a Python function per conversation via groupby().apply()."""

    def one(conv: pd.DataFrame) -> float:
        conv = conv.sort_values("seq")
        waiting_since = None
        for role, kind, ts in zip(conv["sender_role"], conv["kind"], conv["timestamp"], strict=True):
            if kind != "message":
                continue
            if role == "customer" and waiting_since is None:
                waiting_since = ts
            elif role == "agent" and waiting_since is not None:
                return (ts - waiting_since).total_seconds()
        return np.nan

    return messages.groupby("conversation_id", observed=True).apply(one, include_groups=False)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--baseline", action="store_true", help="also time the groupby().apply() version")
    args = parser.parse_args()
    t0 = time.perf_counter()
    messages = synthetic_messages(args.messages, seed=1)
    gen_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    turns = response_times(messages)
    conv = build_conversations(messages, effort=False)
    metrics_s = time.perf_counter() - t0
    result = {
        "messages": len(messages), "conversations": len(conv), "turns": len(turns),
        "generate_s": round(gen_s, 2), "response_times+build_conversations_s": round(metrics_s, 2),
        "messages_per_s": round(len(messages) / metrics_s), "peak_rss_gb": round(peak_rss_gb(), 2),
    }
    if args.baseline:
        t0 = time.perf_counter()
        fast = build_conversations(messages, effort=False)["first_response_s"].to_numpy()
        fast_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        slow = naive_first_response(messages).to_numpy()
        slow_s = time.perf_counter() - t0
        if not np.allclose(fast, slow, equal_nan=True):
            raise SystemExit("baseline disagrees with build_conversations")
        result.update({"build_conversations_s": round(fast_s, 2), "groupby_apply_s": round(slow_s, 2),
                       "speedup": round(slow_s / fast_s, 1)})
    write_result(f"timing_{args.messages}", result)


if __name__ == "__main__":
    main()
