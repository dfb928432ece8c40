"""The canonical ``messages`` table: its columns, dtypes and validation.

One row per message or event. ``validate_messages`` checks a frame against the
contract, collects every problem and raises a single :class:`SchemaError`.

>>> import pandas as pd
>>> df = empty_messages()
>>> list(df.columns)[:3]
['conversation_id', 'message_id', 'seq']
>>> validate_messages(df) is df
True
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from csqa.arrays import repeated
from csqa.errors import SchemaError

ROLES: tuple[str, ...] = ("customer", "agent", "bot", "system")
KINDS: tuple[str, ...] = ("message", "note", "event")
EVENTS: tuple[str, ...] = ("assign", "transfer", "status", "close", "reopen", "handoff", "rating")

#: canonical column -> dtype family, in canonical order
MESSAGE_COLUMNS: dict[str, str] = {
    "conversation_id": "string",
    "message_id": "string",
    "seq": "integer",
    "timestamp": "datetime_utc",
    "sender_role": "role",
    "sender_id": "string",
    "kind": "kind",
    "event": "string",
    "assignee_id": "string",
    "queue": "string",
    "channel": "string",
    "text": "string",
    "customer_id": "string",
}
REQUIRED_COLUMNS: tuple[str, ...] = ("conversation_id", "timestamp", "sender_role")
STRING_COLUMNS: tuple[str, ...] = tuple(c for c, f in MESSAGE_COLUMNS.items() if f == "string")

ROLE_DTYPE = pd.CategoricalDtype(list(ROLES))
KIND_DTYPE = pd.CategoricalDtype(list(KINDS))
STRING_DTYPE = pd.StringDtype("pyarrow", na_value=np.nan)
TIMESTAMP_DTYPE = pd.DatetimeTZDtype("ns", "UTC")

_DTYPES = {
    "string": STRING_DTYPE,
    "integer": np.dtype("int64"),
    "datetime_utc": TIMESTAMP_DTYPE,
    "role": ROLE_DTYPE,
    "kind": KIND_DTYPE,
}


def empty_messages() -> pd.DataFrame:
    """Return a canonical messages table with no rows (all columns, canonical dtypes)."""
    return pd.DataFrame({c: pd.Series(dtype=_DTYPES[f]) for c, f in MESSAGE_COLUMNS.items()})


def _family_ok(series: pd.Series, family: str) -> bool:
    dtype = series.dtype
    if family == "string":
        return pd.api.types.is_string_dtype(dtype) or (
            isinstance(dtype, pd.CategoricalDtype)
            and pd.api.types.is_string_dtype(dtype.categories.dtype)
        )
    if family == "integer":
        return pd.api.types.is_integer_dtype(dtype)
    if family == "datetime_utc":
        return isinstance(dtype, pd.DatetimeTZDtype) and str(dtype.tz) == "UTC"
    # categorical families: category of the allowed values, or strings
    return isinstance(dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(dtype)


_EXPECTED_WORDS = {
    "string": "a string column",
    "integer": "an integer column",
    "datetime_utc": "datetime64[ns, UTC] (tz-aware, UTC)",
    "role": f"a category of {list(ROLES)}",
    "kind": f"a category of {list(KINDS)}",
}


def _bad_values(series: pd.Series, allowed: Iterable[str]) -> list[str]:
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype) and set(map(str, dtype.categories)) <= set(allowed):
        return []  # every value is one of the categories
    values = pd.unique(series.dropna().astype(str))
    return sorted(set(values) - set(allowed))


def validate_messages(
    messages: pd.DataFrame, *, columns: str = "all", source: str = "messages"
) -> pd.DataFrame:
    """Check ``messages`` against the canonical contract; return it unchanged.

    ``columns="all"`` requires every canonical column, ``"core"`` only
    conversation_id, timestamp and sender_role (other canonical columns are still
    checked when present). Every problem is collected; one :class:`SchemaError`
    lists them all together with the columns actually present.

    >>> import pandas as pd
    >>> bad = pd.DataFrame({"conversation_id": ["c1"], "sender_role": ["robot"]})
    >>> validate_messages(bad, columns="core")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    csqa.errors.SchemaError: messages does not meet the messages contract (2 problems):
      - missing column 'timestamp' (expected datetime64[ns, UTC] (tz-aware, UTC))
      - column 'sender_role': unknown values ['robot'] (expected one of [...])
    ...
    """
    if columns not in ("all", "core"):
        raise ValueError(
            f"The 'columns' parameter of validate_messages must be 'all' or 'core'. "
            f"Got {columns!r} instead."
        )
    if not isinstance(messages, pd.DataFrame):
        raise SchemaError(
            f"{source}: expected a pandas DataFrame; found {type(messages).__name__}"
        )
    problems: list[str] = []
    needed = MESSAGE_COLUMNS if columns == "all" else REQUIRED_COLUMNS
    for col in needed:
        if col not in messages.columns:
            problems.append(
                f"missing column {col!r} (expected {_EXPECTED_WORDS[MESSAGE_COLUMNS[col]]})"
            )
    for col, family in MESSAGE_COLUMNS.items():
        if col not in messages.columns:
            continue
        series = messages[col]
        if not _family_ok(series, family):
            problems.append(
                f"column {col!r} has dtype {series.dtype} (expected {_EXPECTED_WORDS[family]})"
            )
            continue
        if col in REQUIRED_COLUMNS and series.isna().any():
            rows = np.flatnonzero(series.isna().to_numpy())
            problems.append(
                f"column {col!r} has {len(rows)} missing values (first at positions "
                f"{rows[:5].tolist()})"
            )
        if family == "role":
            bad = _bad_values(series, ROLES)
            if bad:
                problems.append(
                    f"column 'sender_role': unknown values {bad} (expected one of {list(ROLES)})"
                )
        if family == "kind":
            bad = _bad_values(series, KINDS)
            if bad:
                problems.append(f"column 'kind': unknown values {bad} (expected one of {list(KINDS)})")
    if "message_id" in messages.columns and _family_ok(messages["message_id"], "string"):
        dup = repeated(messages["message_id"])
        if dup.any():
            examples = messages["message_id"][dup].unique()[:5].tolist()
            problems.append(f"column 'message_id' is not unique (e.g. {examples})")
    if {"kind", "event"} <= set(messages.columns) and _family_ok(messages["kind"], "kind"):
        missing_event = (messages["kind"] == "event") & messages["event"].isna()
        if missing_event.any():
            problems.append(
                f"{int(missing_event.sum())} rows have kind='event' but no 'event' name "
                f"(expected one of {list(EVENTS)} or another event name)"
            )
    if problems:
        head = f"{source} does not meet the messages contract ({len(problems)} problem"
        head += "s):" if len(problems) > 1 else "):"
        lines = [head, *(f"  - {p}" for p in problems)]
        lines.append(f"Columns present: {list(map(str, messages.columns))}")
        lines.append(
            "Hint: read exports with csqa.read_messages(...) (it builds this table), "
            "or see the 'messages' table in the README."
        )
        raise SchemaError("\n".join(lines))
    return messages


def coerce_messages(messages: pd.DataFrame) -> pd.DataFrame:
    """Return a copy with every canonical column present and in its canonical dtype.

    Missing optional columns are added empty; ``message_id`` and ``seq`` are
    synthesised (``{conversation_id}:{seq}``, order by timestamp) when absent.
    Extra columns are kept after the canonical ones. Validates the result.
    """
    out = messages.copy()
    for col in ("sender_role", "kind"):
        if col in out.columns and not isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype(STRING_DTYPE).str.strip().str.lower()
    validate_messages(out, columns="core")
    n = len(out)
    for col, family in MESSAGE_COLUMNS.items():
        if col in out.columns:
            if family == "string":
                out[col] = out[col].astype(STRING_DTYPE)
            elif family in ("role", "kind"):
                out[col] = out[col].astype(str).astype(_DTYPES[family])
            continue
        if col == "seq":
            order = out.assign(_pos=np.arange(n)).sort_values(
                ["conversation_id", "timestamp", "_pos"], kind="stable"
            )
            seq = order.groupby("conversation_id", sort=False).cumcount()
            out[col] = seq.reindex(out.index).astype("int64")
        elif col == "message_id":
            continue  # after seq exists
        elif col == "kind":
            has_event = out["event"].notna() if "event" in out.columns else False
            out[col] = pd.Series(
                np.where(has_event, "event", "message"), index=out.index
            ).astype(KIND_DTYPE)
        else:
            out[col] = pd.Series(pd.NA, index=out.index, dtype=_DTYPES[family])
    if "message_id" not in messages.columns:
        out["message_id"] = (out["conversation_id"] + ":" + out["seq"].astype(str)).astype(
            STRING_DTYPE
        )
    extra = [c for c in out.columns if c not in MESSAGE_COLUMNS]
    out = out[list(MESSAGE_COLUMNS) + extra]
    return validate_messages(out)
