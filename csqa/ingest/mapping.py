"""Column mappings: how a source file's columns and values become canonical.

A mapping is a frozen dataclass, written in Python or loaded from TOML:

.. code-block:: toml

    timezone = "Asia/Tehran"          # for timestamps without an offset
    dayfirst = true
    timestamp_format = "%d/%m/%Y %H:%M"   # optional; ISO 8601 and Unix times need none
    [columns]                         # canonical name = source column
    conversation_id = "ticket"
    timestamp = "created"
    sender_role = "author_type"
    [roles]                           # source value = canonical role
    user = "customer"
    admin = "agent"
    [kinds]                           # source value = message | note | event
    internal = "note"
    [defaults]                        # constant for a column the source lacks
    channel = "email"

>>> m = ColumnMapping(columns={"conversation_id": "ticket"}, roles={"User": "customer"})
>>> m.source_column("conversation_id"), m.source_column("text")
('ticket', 'text')
>>> m.role_lookup()["user"]
'customer'
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from csqa.errors import MappingError
from csqa.io import read_toml
from csqa.schema import KINDS, MESSAGE_COLUMNS, ROLES

_KEYS = {
    "columns", "roles", "kinds", "defaults", "timestamp_format", "timestamp_unit",
    "timezone", "dayfirst", "keep_columns",
}
_UNITS = (None, "s", "ms", "us", "ns")


def _frozen(d: Mapping[str, str] | None) -> Mapping[str, str]:
    return MappingProxyType(dict(d or {}))


@dataclass(frozen=True)
class ColumnMapping:
    """How to read one source layout into the canonical messages table.

    ``columns`` maps canonical names to source columns (a canonical column whose
    name is already in the file needs no entry); ``roles`` and ``kinds`` map source
    values (matched case-insensitively, surrounding spaces ignored) to canonical
    values; ``defaults`` fills a canonical column the source lacks with a constant.
    ``timezone`` localises timestamps that carry no offset; ``timestamp_unit``
    forces the unit of numeric timestamps (default: guessed per value from its
    magnitude, seconds or milliseconds...). ``keep_columns`` lists extra source
    columns to carry through.
    """

    columns: Mapping[str, str] = field(default_factory=dict)
    roles: Mapping[str, str] = field(default_factory=dict)
    kinds: Mapping[str, str] = field(default_factory=dict)
    defaults: Mapping[str, str] = field(default_factory=dict)
    timestamp_format: str | None = None
    timestamp_unit: str | None = None
    timezone: str = "UTC"
    dayfirst: bool = False
    keep_columns: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("columns", "roles", "kinds", "defaults"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))
        object.__setattr__(self, "keep_columns", tuple(self.keep_columns))
        problems = []
        unknown = sorted(set(self.columns) - set(MESSAGE_COLUMNS))
        if unknown:
            problems.append(
                f"[columns] names unknown canonical columns {unknown} "
                f"(expected some of {list(MESSAGE_COLUMNS)})"
            )
        unknown = sorted(set(self.defaults) - set(MESSAGE_COLUMNS))
        if unknown:
            problems.append(f"[defaults] names unknown canonical columns {unknown}")
        bad = sorted({v for v in self.roles.values() if v not in ROLES})
        if bad:
            problems.append(f"[roles] maps to {bad}; expected only {list(ROLES)}")
        bad = sorted({v for v in self.kinds.values() if v not in KINDS})
        if bad:
            problems.append(f"[kinds] maps to {bad}; expected only {list(KINDS)}")
        if self.timestamp_unit not in _UNITS:
            problems.append(
                f"timestamp_unit must be one of {list(_UNITS[1:])}; found {self.timestamp_unit!r}"
            )
        try:
            zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
            problems.append(f"timezone {self.timezone!r} is not an IANA time zone (e.g. 'Asia/Tehran')")
        if problems:
            raise MappingError("invalid column mapping: " + "; ".join(problems))

    def source_column(self, canonical: str) -> str:
        """The source column read for ``canonical`` (its own name when unmapped)."""
        return self.columns.get(canonical, canonical)

    def role_lookup(self) -> dict[str, str]:
        """Normalised source value -> canonical role (canonical names map to themselves)."""
        return _lookup(self.roles, ROLES)

    def kind_lookup(self) -> dict[str, str]:
        """Normalised source value -> canonical kind."""
        return _lookup(self.kinds, KINDS)


def _lookup(mapping: Mapping[str, str], canonical: tuple[str, ...]) -> dict[str, str]:
    table = {c: c for c in canonical}
    table.update({str(k).strip().casefold(): v for k, v in mapping.items()})
    return table


def load_mapping(path: str | Path) -> ColumnMapping:
    """Read a :class:`ColumnMapping` from a TOML file; errors name the file and key."""
    path = Path(path)
    raw = read_toml(path, MappingError, "mapping")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise MappingError(
            f"{path}: unknown keys {unknown}; expected some of {sorted(_KEYS)}"
        )
    for table in ("columns", "roles", "kinds", "defaults"):
        value = raw.get(table, {})
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise MappingError(f"{path}: [{table}] must be a table of strings; found {value!r}")
    try:
        return ColumnMapping(**raw)
    except MappingError as exc:
        raise MappingError(f"{path}: {exc}") from None
    except TypeError as exc:
        raise MappingError(f"{path}: {exc}") from None
