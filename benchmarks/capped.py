"""Run a command with its memory capped by a Linux control group, and report how it ended.

    python benchmarks/capped.py --gb 4.5 -- python benchmarks/run.py --child metrics_dask \\
        --data benchmarks/data/10000000

Shows that a job fits in less memory than the data need in memory: the command is killed by
the kernel (exit -9) if it goes over the cap. Needs a writable memory cgroup (v2
``/sys/fs/cgroup`` with the memory controller, or v1 ``/sys/fs/cgroup/memory``), as root in
a container. The group's peak usage counts page cache the kernel could have reclaimed.
Not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")


def _group(limit: int) -> tuple[Path, str]:
    """A new memory cgroup limited to ``limit`` bytes, and the name of its peak-usage file."""
    name = f"csqa-capped-{os.getpid()}"
    controllers = ROOT / "cgroup.controllers"
    if controllers.exists() and "memory" in controllers.read_text(encoding="ascii").split():
        group = ROOT / name
        group.mkdir()
        (group / "memory.max").write_text(str(limit))
        (group / "memory.swap.max").write_text("0")
        return group, "memory.peak"
    group = ROOT / "memory" / name
    group.mkdir()
    (group / "memory.limit_in_bytes").write_text(str(limit))
    return group, "memory.max_usage_in_bytes"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gb", type=float, required=True, help="memory cap in GB (10^9 bytes)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the command")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")
    group, peak_file = _group(int(args.gb * 1e9))
    try:
        start = time.perf_counter()
        procs = str(group / "cgroup.procs")

        def enter() -> None:  # in the child, before exec: join the group
            with open(procs, "w", encoding="ascii") as f:
                f.write(str(os.getpid()))

        code = subprocess.run(command, preexec_fn=enter, check=False).returncode
        peak = int((group / peak_file).read_text(encoding="ascii"))
        print(json.dumps({"cap_gb": args.gb, "exit": code, "killed": code == -9,
                          "seconds": round(time.perf_counter() - start, 1),
                          "group_peak_gb": round(peak / 1e9, 2)}))
        return 0 if code == 0 else 1
    finally:
        group.rmdir()


if __name__ == "__main__":
    sys.exit(main())
