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
    faster than ``Series.duplicated`` on Arrow strings).

    >>> repeated(pd.Series(["a", "b", "a", None, "b", None])).tolist()
    [False, False, True, False, True, False]
    """
    codes = pd.factorize(values)[0]  # numbered in order of first appearance
    seen = np.maximum.accumulate(np.r_[-1, codes[:-1]]) if len(codes) else codes
    return (codes >= 0) & (codes <= seen)


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
