"""Business-hours calendars: weekly open hours in a time zone, weekends, holidays.

Business time between two instants counts only open hours. It is computed
vectorised: the calendar's open intervals over the data's span are built once
in UTC (each local day's boundaries localised, so daylight-saving changes are
exact), their cumulative length tabulated, and every duration is two
``searchsorted`` look-ups.

>>> import pandas as pd
>>> cal = Calendar.weekly("09:00-17:00", weekend=("fri",), timezone="Asia/Tehran")
>>> start = pd.Series(pd.to_datetime(["2026-03-04 16:00"]).tz_localize("Asia/Tehran"))
>>> end = pd.Series(pd.to_datetime(["2026-03-07 10:00"]).tz_localize("Asia/Tehran"))
>>> cal.business_seconds(start, end) / 3600   # Wed 1h + Thu 8h + (Fri closed) + Sat 1h
array([10.])

Calendars load from TOML (:func:`load_calendar`)::

    timezone = "Asia/Tehran"
    hours = "08:00-17:00"          # every working day; or a table per day
    weekend = ["fri"]
    holidays = ["2026-03-21"]
    country_holidays = "IR"        # needs the 'holidays' package (csqa[holidays])
    [days]
    thu = "08:00-13:00"
    [queue.orders]                 # a queue with its own calendar (inherits the rest)
    timezone = "Asia/Riyadh"
    weekend = ["fri", "sat"]
"""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from csqa.arrays import NAT_NS, utc_ns
from csqa.errors import CalendarError, MissingDependencyError
from csqa.io import read_toml

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _parse_hours(spec: str | Iterable[str], where: str) -> tuple[tuple[int, int], ...]:
    """'09:00-12:00,13:00-17:00' -> ((540, 720), (780, 1020)); '' or 'closed' -> ()."""
    parts = spec.split(",") if isinstance(spec, str) else list(spec)
    out = []
    for part in parts:
        part = part.strip()
        if part in ("", "closed"):
            continue
        try:
            a, b = part.split("-")
            start = _minutes(a)
            end = _minutes(b)
        except ValueError:
            raise CalendarError(
                f"{where}: hours {part!r} are not of the form 'HH:MM-HH:MM' (e.g. '09:00-17:00')"
            ) from None
        if not 0 <= start < end <= 1440:
            raise CalendarError(
                f"{where}: hours {part!r} must start before they end, within 00:00-24:00 "
                f"(split a night shift into two days)"
            )
        out.append((start, end))
    out.sort()
    for (_, e1), (s2, _) in itertools.pairwise(out):
        if s2 < e1:
            raise CalendarError(f"{where}: hours overlap in {spec!r}")
    return tuple(out)


def _minutes(text: str) -> int:
    h, m = text.strip().split(":")
    if not (h.isdigit() and m.isdigit() and len(m) == 2):
        raise ValueError(text)
    return int(h) * 60 + int(m)


@dataclass(frozen=True)
class Calendar:
    """Open hours per weekday (0=Monday) in minutes from local midnight."""

    timezone: str = "UTC"
    hours: Mapping[int, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    holidays: frozenset[dt.date] = frozenset()
    country_holidays: str | None = None
    subdivision: str | None = None

    def __post_init__(self) -> None:
        try:
            zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
            raise CalendarError(
                f"calendar timezone {self.timezone!r} is not an IANA time zone (e.g. 'Asia/Tehran')"
            ) from None
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        if not any(self.hours.get(d) for d in range(7)):
            raise CalendarError("calendar has no open hours on any day")

    @classmethod
    def weekly(
        cls,
        hours: str = "09:00-17:00",
        *,
        weekend: Iterable[str] = ("sat", "sun"),
        days: Mapping[str, str] | None = None,
        timezone: str = "UTC",
        holidays: Iterable[str | dt.date] = (),
        country_holidays: str | None = None,
        subdivision: str | None = None,
    ) -> Calendar:
        """The same ``hours`` every day except ``weekend``; ``days`` overrides single days."""
        weekend = [_day(d, "weekend") for d in weekend]
        table = {d: (() if d in weekend else _parse_hours(hours, "hours")) for d in range(7)}
        for name, spec in (days or {}).items():
            table[_day(name, "days")] = _parse_hours(spec, f"days.{name}")
        try:
            hol = frozenset(
                h if isinstance(h, dt.date) else dt.date.fromisoformat(str(h)) for h in holidays
            )
        except ValueError as exc:
            raise CalendarError(f"holidays: {exc} (expected dates like '2026-03-21')") from None
        return cls(timezone, table, hol, country_holidays, subdivision)

    def _holiday_dates(self, years: range) -> set[dt.date]:
        dates = set(self.holidays)
        if self.country_holidays:
            try:
                import holidays as holidays_pkg
            except ImportError:
                raise MissingDependencyError(
                    "country_holidays needs the 'holidays' package: pip install 'csqa[holidays]'"
                ) from None
            try:
                found = holidays_pkg.country_holidays(
                    self.country_holidays, subdiv=self.subdivision, years=list(years)
                )
            except NotImplementedError:
                raise CalendarError(
                    f"country_holidays {self.country_holidays!r} is not a country the 'holidays' "
                    f"package knows (use ISO codes such as 'IR', 'SA', 'AE', 'EG', 'US')"
                ) from None
            dates |= set(found)
        return dates

    def open_intervals(self, first: pd.Timestamp, last: pd.Timestamp) -> tuple[np.ndarray, np.ndarray]:
        """Open intervals covering ``[first, last]`` as UTC nanosecond (start, end) arrays."""
        tz = self.timezone
        lo = first.tz_convert(tz).date() - dt.timedelta(days=1)
        hi = last.tz_convert(tz).date() + dt.timedelta(days=1)
        days = pd.date_range(lo, hi, freq="D")
        holidays = self._holiday_dates(range(lo.year, hi.year + 1))
        if holidays:
            days = days[~days.normalize().isin(pd.DatetimeIndex(sorted(holidays)))]
        weekday = days.day_of_week
        starts, ends = [], []
        for day, spans in self.hours.items():
            chosen = days[weekday == day]
            for a, b in spans:
                starts.append(chosen + pd.Timedelta(minutes=a))
                ends.append(chosen + pd.Timedelta(minutes=b))
        if not starts:
            return np.array([], "int64"), np.array([], "int64")
        s = _to_utc_ns(pd.DatetimeIndex(np.concatenate([x.to_numpy() for x in starts])), tz)
        e = _to_utc_ns(pd.DatetimeIndex(np.concatenate([x.to_numpy() for x in ends])), tz)
        order = np.argsort(s, kind="stable")
        return s[order], e[order]

    def business_seconds(self, start, end) -> np.ndarray:
        """Open seconds between each ``start`` and ``end`` (NaN where either is missing;
        negative when ``end`` precedes ``start``). Datetimes or int64 UTC nanoseconds."""
        start_ns, end_ns = utc_ns(start), utc_ns(end)
        ok = (start_ns != NAT_NS) & (end_ns != NAT_NS)
        out = np.full(len(start_ns), np.nan)
        if not ok.any():
            return out
        lo = min(start_ns[ok].min(), end_ns[ok].min())
        hi = max(start_ns[ok].max(), end_ns[ok].max())
        s, e = self.open_intervals(pd.Timestamp(lo, tz="UTC"), pd.Timestamp(hi, tz="UTC"))
        cum = np.concatenate([[0], np.cumsum(e - s)])
        out[ok] = (_open_before(end_ns[ok], s, e, cum) - _open_before(start_ns[ok], s, e, cum)) / 1e9
        return out

    def is_open(self, when: pd.Series) -> np.ndarray:
        """Whether each instant falls within open hours."""
        ns = utc_ns(when)
        ok = ns != NAT_NS
        out = np.zeros(len(ns), dtype=bool)
        if ok.any():
            s, e = self.open_intervals(pd.Timestamp(ns[ok].min(), tz="UTC"),
                                       pd.Timestamp(ns[ok].max(), tz="UTC"))
            i = np.searchsorted(s, ns[ok], side="right") - 1
            out[ok] = (i >= 0) & (ns[ok] < e[np.maximum(i, 0)])
        return out


def _to_utc_ns(local: pd.DatetimeIndex, tz: str) -> np.ndarray:
    aware = local.tz_localize(tz, ambiguous=np.zeros(len(local), bool), nonexistent="shift_forward")
    return aware.tz_convert("UTC").as_unit("ns").asi8


def _open_before(t: np.ndarray, s: np.ndarray, e: np.ndarray, cum: np.ndarray) -> np.ndarray:
    """Open nanoseconds from the first interval's start up to each instant ``t``."""
    i = np.searchsorted(s, t, side="right") - 1
    j = np.maximum(i, 0)
    inside = np.clip(t - s[j], 0, e[j] - s[j]) if len(s) else np.zeros_like(t)
    return np.where(i >= 0, cum[j] + inside, 0).astype("float64")


def _day(name: str, where: str) -> int:
    key = str(name).strip().lower()[:3]
    if key not in DAY_NAMES:
        raise CalendarError(f"{where}: {name!r} is not a weekday (expected one of {list(DAY_NAMES)})")
    return DAY_NAMES.index(key)


@dataclass(frozen=True)
class CalendarSet:
    """A default calendar plus calendars for particular queues."""

    default: Calendar
    queues: Mapping[str, Calendar] = field(default_factory=dict)

    def for_queue(self, queue: str | None) -> Calendar:
        return self.queues.get(queue, self.default) if queue is not None else self.default

    def business_seconds(self, start, end, queue=None) -> np.ndarray:
        """Business seconds per row, each row measured on its queue's calendar."""
        if queue is None or not self.queues:
            return self.default.business_seconds(start, end)
        start_v, end_v = utc_ns(start), utc_ns(end)
        out = np.full(len(start_v), np.nan)
        q = pd.Series(queue).astype(object).to_numpy()
        special = np.zeros(len(q), dtype=bool)
        for name, cal in self.queues.items():
            mask = q == name
            special |= mask
            if mask.any():
                out[mask] = cal.business_seconds(start_v[mask], end_v[mask])
        if (~special).any():
            out[~special] = self.default.business_seconds(start_v[~special], end_v[~special])
        return out


    def is_open(self, when, queue=None) -> np.ndarray:
        """Whether each instant falls within the open hours of its queue's calendar."""
        ns = utc_ns(when)
        if queue is None or not self.queues:
            return self.default.is_open(ns)
        q = pd.Series(queue).astype(object).to_numpy()
        out = self.default.is_open(ns)
        for name, cal in self.queues.items():
            mask = q == name
            if mask.any():
                out[mask] = cal.is_open(ns[mask])
        return out


def as_calendar_set(calendar: Calendar | CalendarSet | Mapping[str, Calendar]) -> CalendarSet:
    """Accept a Calendar, a CalendarSet, or a dict of queue -> Calendar with a 'default'."""
    if isinstance(calendar, CalendarSet):
        return calendar
    if isinstance(calendar, Calendar):
        return CalendarSet(calendar)
    if isinstance(calendar, Mapping) and isinstance(calendar.get("default"), Calendar):
        return CalendarSet(calendar["default"], {k: v for k, v in calendar.items() if k != "default"})
    raise TypeError(
        "The 'calendar' parameter must be a Calendar, a CalendarSet or a dict of queue -> Calendar "
        f"with a 'default' entry. Got {type(calendar).__name__} instead."
    )


_CAL_KEYS = {"timezone", "hours", "weekend", "days", "holidays", "country_holidays", "subdivision"}


def _from_table(table: Mapping, where: str) -> Calendar:
    unknown = sorted(set(table) - _CAL_KEYS)
    if unknown:
        raise CalendarError(f"{where}: unknown keys {unknown}; expected some of {sorted(_CAL_KEYS)}")
    hours = table.get("hours", "09:00-17:00")
    days = dict(table.get("days", {}))
    if isinstance(hours, Mapping):  # a table per day
        days = {**hours, **days}
        hours = ""
        weekend = table.get("weekend", [d for d in DAY_NAMES if d not in days])
    else:
        weekend = table.get("weekend", ["sat", "sun"])
    try:
        return Calendar.weekly(
            hours, weekend=weekend, days=days, timezone=table.get("timezone", "UTC"),
            holidays=table.get("holidays", ()), country_holidays=table.get("country_holidays"),
            subdivision=table.get("subdivision"),
        )
    except CalendarError as exc:
        raise CalendarError(f"{where}: {exc}") from None


def load_calendar(path: str | Path) -> CalendarSet:
    """Read a calendar (and per-queue calendars under ``[queue.NAME]``) from TOML."""
    path = Path(path)
    raw = read_toml(path, CalendarError, "calendar")
    queues = raw.pop("queue", {})
    default = _from_table(raw, str(path))
    by_queue = {
        name: _from_table({**raw, **table}, f"{path} [queue.{name}]") for name, table in queues.items()
    }
    return CalendarSet(default, by_queue)
