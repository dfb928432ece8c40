"""Small array helpers shared by ingest, calendars and metrics.

Instants travel between vectorised steps as int64 nanoseconds since the epoch
(UTC), with :data:`NAT_NS` for a missing value.

>>> import pandas as pd
>>> utc_ns(pd.Series(pd.to_datetime(["1970-01-01 00:00:01", None], utc=True))).tolist() == [10**9, NAT_NS]
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

NAT_NS = np.iinfo("int64").min


def as_flags(mask: pd.Series) -> np.ndarray:
    """A boolean Series of any backend (missing = False) as a numpy bool array."""
    return mask.fillna(False).to_numpy(dtype=bool)


def repeated(values: pd.Series) -> np.ndarray:
    """Present values already seen earlier in ``values`` (one hash pass, no sort; much
    faster than ``Series.duplicated`` on Arrow strings). Arrow strings are first checked
    by a 64-bit hash each: when no two hashes are equal, nothing repeats.

    >>> repeated(pd.Series(["a", "b", "a", None, "b", None])).tolist()
    [False, False, True, False, True, False]
    """
    hashes = _string_hashes(values)
    if hashes is not None:
        present = np.sort(hashes[values.notna().to_numpy()])
        if not (present[1:] == present[:-1]).any():
            return np.zeros(len(values), dtype=bool)
    codes = pd.factorize(values)[0]  # numbered in order of first appearance
    seen = np.maximum.accumulate(np.r_[-1, codes[:-1]]) if len(codes) else codes
    return (codes >= 0) & (codes <= seen)


def sorted_distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted: ``np.unique`` by one sort (numpy >= 2.3's plain
    ``np.unique`` hashes first and is ~50x slower on millions of distinct int64).

    >>> sorted_distinct(np.array([3, 1, 3, 2])).tolist()
    [1, 2, 3]
    """
    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered


_MIX1, _MIX2, _GOLDEN = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB), np.uint64(0x9E3779B97F4A7C15)


def splitmix(x: np.ndarray) -> np.ndarray:
    """The SplitMix64 finaliser of uint64 values: a bijection that scatters every bit."""
    x = x ^ (x >> np.uint64(30))
    x = x * _MIX1
    x = x ^ (x >> np.uint64(27))
    x = x * _MIX2
    return x ^ (x >> np.uint64(31))


_BYTE_KEYS = splitmix(np.arange(1, 32 * 256 + 1, dtype=np.uint64) * _GOLDEN)  # per (position % 32, byte)


def _string_hashes(values: pd.Series, chunk: int = 1 << 20) -> np.ndarray | None:
    """A 64-bit hash of each value of an Arrow-backed string Series (None for other
    dtypes; values of missing entries are meaningless): the sum of a random key per
    (position mod 32, byte), mixed with the length; equal strings hash equal. Strings are
    read straight from the Arrow buffers, a block at a time."""
    if not (isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow"):
        return None
    import pyarrow as pa

    arr = pa.array(values.array)
    arr = (arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr).cast(pa.large_string())
    n = len(arr)
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset:arr.offset + n + 1] if n else np.zeros(1, np.int64)
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8) if n and arr.buffers()[2] is not None else np.zeros(0, np.uint8)
    if n and np.diff(offsets).max() >= 1 << 30:  # positions are int32 below
        return None
    out = np.empty(n, dtype=np.uint64)
    a = 0
    while a < n:  # at most ``chunk`` strings and about 64 MB of text at a time
        b = max(a + 1, min(a + chunk, int(np.searchsorted(offsets, offsets[a] + (1 << 26), "right")) - 1, n))
        lo, starts, lengths = offsets[a], offsets[a:b] - offsets[a], np.diff(offsets[a:b + 1])
        key = np.arange(int(offsets[b] - lo), dtype=np.int32)
        key -= np.repeat(starts.astype(np.int32), lengths)  # position within its string
        key &= 31
        key <<= 8
        key |= data[lo:offsets[b]]
        sums = np.zeros(b - a, dtype=np.uint64)
        filled = lengths > 0
        if filled.any():
            sums[filled] = np.add.reduceat(_BYTE_KEYS[key], starts[filled])
        out[a:b] = splitmix(sums ^ (lengths.astype(np.uint64) * _GOLDEN))
        a = b
    return out


def utc_ns(values) -> np.ndarray:
    """Datetimes (tz-aware, or naive meaning UTC) as int64 UTC nanoseconds.

    An int64 array is taken to be nanoseconds already and returned as it is.
    """
    if isinstance(values, np.ndarray) and values.dtype == np.int64:
        return values
    series = pd.Series(values)
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        series = series.dt.tz_convert("UTC").dt.tz_localize(None)
    return series.astype("datetime64[ns]").array.asi8


def group_starts(code: np.ndarray) -> np.ndarray:
    """For values sorted into runs of equal ``code``: the position where each one's run starts.

    >>> group_starts(np.array([0, 0, 1, 1, 1, 4])).tolist()
    [0, 0, 2, 2, 2, 5]
    """
    idx = np.arange(len(code))
    if not len(code):
        return idx
    first = np.r_[True, code[1:] != code[:-1]]
    return np.maximum.accumulate(np.where(first, idx, 0))


def rank_in_group(code: np.ndarray) -> np.ndarray:
    """0-based position of each value within its run of equal ``code``."""
    return np.arange(len(code)) - group_starts(code)
