"""Parse source timestamps into tz-aware UTC, vectorised.

Understood without configuration: ISO 8601 strings with or without an offset
(``Z``, ``+03:30``), other common date strings (format inferred), Unix times in
seconds, milliseconds, microseconds or nanoseconds (numbers or digit strings,
unit guessed per value from its magnitude), and datetime columns. Times without
an offset are read in ``timezone``. A value that cannot be parsed becomes ``NaT``.

>>> import pandas as pd
>>> s = pd.Series(["2026-03-01T10:00:00+03:30", "1772344800", "2026-03-01 10:00", "soon"])
>>> parse_timestamps(s, timezone="Asia/Tehran").dt.strftime("%H:%M").tolist()
['06:30', '06:00', '06:30', nan]
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from csqa.arrays import NAT_NS, as_flags, utc_ns

_OFFSET = r"\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)$"
_NUMBER = r"^[+-]?\d+(?:\.\d+)?$"
_FIRST, _LAST = pd.Timestamp("1678-01-02"), pd.Timestamp("2261-12-30")  # a day inside the ns range, for any offset
_NS_PER = {"s": 1e9, "ms": 1e6, "us": 1e3, "ns": 1.0}


def _from_numbers(values: np.ndarray, unit: str | None) -> pd.Series:
    """Unix times (float array) to UTC; the unit is guessed per value unless given."""
    if unit is not None:
        scale = np.full(values.shape, _NS_PER[unit])
    else:
        mag = np.abs(values)
        scale = np.select([mag < 1e11, mag < 1e14, mag < 1e17], [1e9, 1e6, 1e3], 1.0)
    with np.errstate(invalid="ignore"):
        ns = values * scale
        ok = np.isfinite(ns) & (np.abs(ns) < 9.2e18)
        # whole numbers are scaled in integers: float products lose the last digits
        whole = ok & (values == np.floor(values))
    out = np.full(values.shape, np.datetime64("NaT"), dtype="datetime64[ns]")
    out[ok] = np.round(ns[ok]).astype("int64").view("datetime64[ns]")
    exact = values[whole].astype("int64") * scale[whole].astype("int64")
    out[whole] = exact.view("datetime64[ns]")
    return pd.Series(out).dt.tz_localize("UTC")


def _localise(parsed: pd.Series, timezone: str) -> pd.Series:
    """Naive local times -> UTC; ambiguous DST times read as standard time,
    non-existent ones (spring-forward gap) shifted forward."""
    if parsed.dt.tz is not None:
        return parsed.dt.tz_convert("UTC")
    local = parsed.dt.tz_localize(
        timezone, ambiguous=np.zeros(len(parsed), dtype=bool), nonexistent="shift_forward"
    )
    return local.dt.tz_convert("UTC")


def _parse_strings(
    strings: pd.Series, *, fmt: str | None, dayfirst: bool, utc: bool, timezone: str
) -> np.ndarray:
    """Date strings as int64 UTC nanoseconds (NAT_NS where unreadable)."""
    if fmt is not None:
        return _utc_ns(pd.to_datetime(strings, format=fmt, errors="coerce", utc=utc), timezone)
    out = _utc_ns(pd.to_datetime(strings, format="ISO8601", errors="coerce", utc=utc), timezone)
    todo = out == NAT_NS
    if todo.any():  # infer one format from the first value, then each value on its own
        rest_strings = strings[todo]
        with warnings.catch_warnings():  # falling back value by value is intended
            warnings.simplefilter("ignore", UserWarning)
            rest = _utc_ns(pd.to_datetime(rest_strings, dayfirst=dayfirst, errors="coerce", utc=utc), timezone)
            still = rest == NAT_NS
            if still.any():
                rest[still] = _utc_ns(pd.to_datetime(rest_strings[still], format="mixed", dayfirst=dayfirst,
                                                     errors="coerce", utc=utc), timezone)
        out[todo] = rest
    return out


def parse_timestamps(
    values: pd.Series,
    *,
    timezone: str = "UTC",
    format: str | None = None,
    unit: str | None = None,
    dayfirst: bool = False,
) -> pd.Series:
    """Parse ``values`` to ``datetime64[ns, UTC]``; unparseable values become NaT.

    The result has the same index as ``values``.
    """
    index = values.index
    if isinstance(values.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(values):
        ns = _utc_ns(values.reset_index(drop=True), timezone)
        return pd.Series(ns.view("datetime64[ns]"), index=index).dt.tz_localize("UTC")
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        out = _from_numbers(values.to_numpy(dtype="float64", na_value=np.nan), unit)
        out.index = index
        return out.astype("datetime64[ns, UTC]")

    strings = values.astype("string").str.strip()
    present = as_flags(strings.notna() & (strings != ""))
    out = np.full(len(strings), NAT_NS, dtype="int64")
    numeric = present & _matches(strings, _NUMBER)
    if format is not None:  # an explicit format applies to every value
        numeric[:] = False
    if numeric.any():
        nums = pd.to_numeric(strings[numeric], errors="coerce").to_numpy(dtype="float64")
        out[numeric] = utc_ns(_from_numbers(nums, unit))  # in range: _from_numbers checks
    rest = present & ~numeric
    if rest.any():
        aware = rest & _matches(strings, _OFFSET)
        naive = rest & ~aware
        for mask, utc in ((aware, True), (naive, False)):
            if mask.any():
                out[mask] = _parse_strings(strings[mask], fmt=format, dayfirst=dayfirst, utc=utc,
                                           timezone=timezone)
    return pd.Series(out.view("datetime64[ns]"), index=index).dt.tz_localize("UTC")


def _matches(strings: pd.Series, pattern: str) -> np.ndarray:
    """Where the (stripped) strings match ``pattern`` (RE2, via Arrow: many times faster
    than pandas' fallback to Python's re for these patterns); missing: False."""
    arr = pa.array(strings.array, type=pa.large_string())
    return pc.fill_null(pc.match_substring_regex(arr, pattern), False).to_numpy(zero_copy_only=False)


def _utc_ns(parsed: pd.Series, timezone: str) -> np.ndarray:
    """Parsed datetimes (naive = local ``timezone``) as int64 UTC nanoseconds (NaT kept).

    Times outside the nanosecond range (years 1678-2261; a Jalali year such as 1405
    read as Gregorian) become NaT, to be rejected as unparseable.
    """
    if not pd.api.types.is_datetime64_any_dtype(parsed.dtype):  # several offsets, read without utc=True
        parsed = pd.to_datetime(parsed, errors="coerce", utc=True)
    naive = parsed.dt.tz_localize(None) if isinstance(parsed.dtype, pd.DatetimeTZDtype) else parsed
    outside = as_flags((naive < _FIRST) | (naive > _LAST))
    if outside.any():
        parsed = parsed.mask(outside)
    if not isinstance(parsed.dtype, pd.DatetimeTZDtype):
        parsed = _localise(parsed.astype("datetime64[ns]"), timezone)
    return utc_ns(parsed)
