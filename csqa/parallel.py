"""Run a function over consecutive chunks on all cores, results in order.

Chunks keep temporary arrays small; the numpy, scipy and pyarrow kernels doing the
work release the GIL, so threads give most of the machine's cores without copying
data to other processes. ``CSQA_THREADS`` sets the number of threads (default: cores).

>>> map_chunks(lambda a, b: (a, b), 10, 4)
[(0, 4), (4, 8), (8, 10)]
>>> import pyarrow as pa, pyarrow.compute as pc
>>> map_arrow(pc.utf8_upper, pa.array(["a", None, "b"]), size=2).to_pylist()
['A', None, 'B']
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pyarrow as pa

T = TypeVar("T")


def n_threads() -> int:
    value = os.environ.get("CSQA_THREADS", "")
    return max(1, int(value)) if value.isdigit() else max(1, os.cpu_count() or 1)


def map_chunks(fn: Callable[[int, int], T], n: int, size: int, *, bounds=None) -> list[T]:
    """``[fn(start, stop) for each chunk]`` over ``range(n)`` in chunks of ``size`` (or the
    given ``bounds``: chunk edges from 0 to n), on several threads when there is enough work."""
    edges = list(bounds) if bounds is not None else [*range(0, n, size), n] if n else [0]
    spans = list(zip(edges[:-1], edges[1:], strict=True))
    if len(spans) < 2 or n_threads() == 1:
        return [fn(a, b) for a, b in spans]
    with ThreadPoolExecutor(n_threads()) as pool:
        return list(pool.map(lambda span: fn(*span), spans))


def map_arrow(fn: Callable[[pa.Array], pa.Array], arr: pa.Array | pa.ChunkedArray, *,
              size: int = 5_000) -> pa.ChunkedArray:
    """``fn`` applied to consecutive slices of ``arr`` on all cores, the results joined
    in order (``fn`` must return an array as long as its slice)."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    parts = map_chunks(lambda a, b: fn(arr[a:b]), len(arr), size)
    if not parts:
        return pa.chunked_array([], type=fn(arr[:0]).type)
    return pa.chunked_array([p for p in parts if len(p)] or parts[:1])
