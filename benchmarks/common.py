"""Shared by the benchmarks: peak memory and where results go."""

from __future__ import annotations

import json
import resource
from pathlib import Path


def peak_rss_gb() -> float:
    """Peak resident memory of this process so far, in GiB (2**30 bytes; the results call it "gb")."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def write_result(name: str, result: dict) -> None:
    """Write ``benchmarks/results/<name>.json`` and print the result as one JSON line."""
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result))
