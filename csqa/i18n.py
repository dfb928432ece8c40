"""Report language: translated headings, text direction and dates (Jalali for Persian).

Report prose lives in ``csqa/data/report_strings.json`` as one entry per key
with ``en``, ``ar`` and ``fa`` texts; :func:`tr` picks one and fills its
``{placeholders}``.

>>> tr("kpis", "fa")
'شاخص\u200cهای اصلی'
>>> direction("ar"), direction("en")
('rtl', 'ltr')
>>> import pandas as pd
>>> to_jalali(pd.Series(pd.to_datetime(["2026-03-21", "2025-03-20"]))).tolist()
[(1405, 1, 1), (1403, 12, 30)]
>>> format_date(pd.Timestamp("2026-11-22"), "fa")
'1405-09-01'
"""

from __future__ import annotations

import functools
import json
from importlib import resources

import numpy as np
import pandas as pd

LANGUAGES = ("en", "ar", "fa")
_RTL = {"ar", "fa"}


@functools.cache
def strings() -> dict[str, dict[str, str]]:
    """Every report string by key, then language."""
    text = resources.files("csqa").joinpath("data/report_strings.json").read_text(encoding="utf-8")
    return json.loads(text)


def check_language(language: str) -> str:
    """``language`` if csqa writes reports in it, else a ``ValueError`` naming the choices."""
    if language not in LANGUAGES:
        raise ValueError(f"report language must be one of {list(LANGUAGES)}; got {language!r}")
    return language


def tr(key: str, language: str = "en", **values: object) -> str:
    """The text of ``key`` in ``language`` with ``values`` filled in (English if untranslated)."""
    entry = strings()[key]
    template = entry.get(check_language(language)) or entry["en"]
    return template.format(**values) if values else template


def direction(language: str) -> str:
    """``"rtl"`` for Arabic and Persian, ``"ltr"`` for English."""
    return "rtl" if check_language(language) in _RTL else "ltr"


def weekday_names(language: str = "en") -> list[str]:
    """Monday..Sunday in ``language`` (the order of pandas' ``dayofweek``)."""
    return tr("weekdays", language).split(",")


def _jalali(dates) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    local = pd.DatetimeIndex(dates)
    missing = local.isna()  # computed as 2000-01-01, then masked by the callers
    gy, gm, gd = (np.where(missing, fill, part.fillna(fill)).astype(np.int64)
                  for part, fill in ((local.year, 2000), (local.month, 1), (local.day, 1)))
    cumulative = np.array([0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334])
    gy2 = np.where(gm > 2, gy + 1, gy)
    days = (355666 + 365 * gy + (gy2 + 3) // 4 - (gy2 + 99) // 100 + (gy2 + 399) // 400
            + gd + cumulative[gm - 1])
    jy = -1595 + 33 * (days // 12053)
    days %= 12053
    jy += 4 * (days // 1461)
    days %= 1461
    late = days > 365
    jy += np.where(late, (days - 1) // 365, 0)
    days = np.where(late, (days - 1) % 365, days)
    first_half = days < 186
    jm = np.where(first_half, 1 + days // 31, 7 + (days - 186) // 30)
    jd = np.where(first_half, 1 + days % 31, 1 + (days - 186) % 30)
    return jy, jm, jd


def to_jalali(dates: pd.Series) -> pd.Series:
    """Jalali (Solar Hijri) ``(year, month, day)`` of each date, vectorised.

    The arithmetic 2820-year-cycle rule of the common ``gregorian_to_jalali``
    routine; it matches the official calendar for 1178-1633 AP.
    """
    jy, jm, jd = _jalali(dates)
    out = pd.Series(list(zip(jy.tolist(), jm.tolist(), jd.tolist(), strict=True)), index=getattr(dates, "index", None))
    return out.where(~pd.DatetimeIndex(dates).isna(), None)


def format_dates(dates: pd.Series, language: str = "en", *, jalali: bool | None = None) -> pd.Series:
    """Dates as ``YYYY-MM-DD`` text; Jalali for Persian unless ``jalali=False``."""
    if jalali is None:
        jalali = check_language(language) == "fa"
    dates = pd.Series(dates)
    if not jalali:
        return dates.dt.strftime("%Y-%m-%d")
    jy, jm, jd = (pd.Series(part, index=dates.index).astype(str) for part in _jalali(dates))
    text = jy.str.zfill(4) + "-" + jm.str.zfill(2) + "-" + jd.str.zfill(2)
    return text.where(dates.notna())


def format_date(when: pd.Timestamp, language: str = "en", *, jalali: bool | None = None) -> str:
    """One date as text (see :func:`format_dates`)."""
    return format_dates(pd.Series([when]), language, jalali=jalali).iloc[0]
