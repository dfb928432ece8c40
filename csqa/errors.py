"""Exceptions raised by csqa.

Every error csqa raises on bad input is a :class:`CsqaError`; the subclasses also
derive from the matching built-in (``ValueError``, ``ImportError``) so callers that
catch those keep working.

>>> from csqa.errors import SchemaError, CsqaError
>>> issubclass(SchemaError, (CsqaError, ValueError))
True
"""

from __future__ import annotations


class CsqaError(Exception):
    """Base class of every error csqa raises on purpose."""


class SchemaError(CsqaError, ValueError):
    """A table does not meet its contract (missing columns, wrong types, bad values)."""


class MappingError(CsqaError, ValueError):
    """A column mapping is invalid or does not fit the input (unknown role values...)."""


class IngestError(CsqaError, ValueError):
    """An input file cannot be read, or rows were rejected with ``errors="raise"``."""


class CalendarError(CsqaError, ValueError):
    """A business-hours calendar is invalid."""


class ReportError(CsqaError, RuntimeError):
    """A report template failed to execute or render."""


class MissingDependencyError(CsqaError, ImportError):
    """An optional dependency needed for this feature is not installed."""


MAX_PART = 600


def _clip(text: str) -> str:
    """Keep one part of a message readable: a 1 MB value is shown by its start."""
    return text if len(text) <= MAX_PART else f"{text[:MAX_PART]}... ({len(text):,} characters)"


def input_error(
    cls: type[CsqaError],
    source: str,
    problem: str,
    *,
    expected: str | None = None,
    found: str | None = None,
    hint: str | None = None,
) -> CsqaError:
    """Build an error whose message names the source, what was expected and found.

    >>> str(input_error(IngestError, "a.csv", "row 3, field 'timestamp'",
    ...                 expected="a date", found="'soon'"))
    "a.csv: row 3, field 'timestamp': expected a date; found 'soon'"
    """
    parts = [f"{source}: {_clip(problem)}"]
    if expected is not None:
        parts.append(f"expected {_clip(expected)}")
    if found is not None:
        parts.append(f"found {_clip(found)}")
    message = parts[0]
    tail = "; ".join(parts[1:])
    if tail:
        message = f"{message}: {tail}"
    if hint:
        message = f"{message}. Hint: {hint}"
    return cls(message)
