"""Generic ingest: CSV / JSON / JSON Lines / Parquet + a column mapping -> messages.

Every row read is accounted for: it is loaded into the canonical messages table,
or rejected with its file, row number, field and reason. ``rows read = loaded +
rejected`` always holds.

>>> from csqa.ingest import read_messages                  # doctest: +SKIP
>>> result = read_messages("export.csv", mapping="export.toml", errors="collect")  # doctest: +SKIP
>>> result.summary()                                                               # doctest: +SKIP
'read 1200 rows: loaded 1198, rejected 2'
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from csqa.arrays import as_flags, group_starts, repeated, utc_ns
from csqa.errors import IngestError, MappingError, SchemaError, input_error
from csqa.ingest.mapping import ColumnMapping, load_mapping
from csqa.ingest.readers import (
    FORMATS,
    RawChunk,
    check_file,
    detect_format,
    read_raw,
    rejected_frame,
    scalar_str,
)
from csqa.ingest.sources import SOURCES, sniff, source_module
from csqa.ingest.timestamps import parse_timestamps
from csqa.schema import (
    KIND_DTYPE,
    KINDS,
    MESSAGE_COLUMNS,
    REQUIRED_COLUMNS,
    ROLE_DTYPE,
    ROLES,
    STRING_COLUMNS,
    STRING_DTYPE,
    validate_messages,
)

REJECTED_COLUMNS = ("file", "row", "field", "reason", "record")
_ID_COLUMNS = ("conversation_id", "message_id", "sender_id", "assignee_id", "customer_id")


@dataclass
class IngestResult:
    """The outcome of an ingest: loaded messages, rejected rows, per-file counts."""

    messages: pd.DataFrame
    rejected: pd.DataFrame
    files: pd.DataFrame  # file, format, read, loaded, rejected

    @property
    def n_read(self) -> int:
        return int(self.files["read"].sum())

    @property
    def n_loaded(self) -> int:
        return len(self.messages)

    @property
    def n_rejected(self) -> int:
        return len(self.rejected)

    def summary(self) -> str:
        """One line: ``read N rows: loaded L, rejected R``."""
        return f"read {self.n_read} rows: loaded {self.n_loaded}, rejected {self.n_rejected}"


def as_strings(series: pd.Series, *, strip: bool = False) -> pd.Series:
    """Any source column as canonical strings; empty strings become missing.

    >>> as_strings(pd.Series([1, None, 3])).tolist()
    ['1', nan, '3']
    """
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        out = series.map({True: "true", False: "false"})
    elif pd.api.types.is_integer_dtype(dtype):
        out = series.astype("Int64").astype(str).where(series.notna())
    elif pd.api.types.is_float_dtype(dtype):
        values = series.dropna()
        if len(values) and (values == np.floor(values)).all() and values.abs().max() < 2**53:
            out = series.astype("Int64").astype(str).where(series.notna())
        else:
            out = series.astype(str).where(series.notna())
    elif pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
        out = series
    elif pd.api.types.is_datetime64_any_dtype(dtype):
        out = series.astype(str).where(series.notna())
    else:
        out = series.map(scalar_str, na_action="ignore")
    out = out.astype(STRING_DTYPE)
    if strip:
        out = out.str.strip()
    return out.replace("", None)


def _records(frame: pd.DataFrame) -> list[str]:
    """Rows as JSON text (for the rejected table), in frame order."""
    if frame.empty:
        return []
    text = frame.to_json(orient="records", lines=True, force_ascii=False, date_format="iso")
    return text.rstrip("\n").split("\n")


def _resolve_columns(frame: pd.DataFrame, mapping: ColumnMapping, file: str) -> dict[str, str]:
    """canonical -> source column, for the canonical columns the source provides."""
    present = set(map(str, frame.columns))
    resolved, missing = {}, []
    for canon in MESSAGE_COLUMNS:
        src = mapping.source_column(canon)
        if src in present:
            resolved[canon] = src
        elif canon in mapping.columns:
            missing.append(f"{canon!r} (mapped from {src!r})")
        elif canon in REQUIRED_COLUMNS and canon not in mapping.defaults:
            missing.append(repr(canon))
    missing_keep = [c for c in mapping.keep_columns if c not in present]
    if missing and not mapping.columns and not missing_keep and not present & set(REQUIRED_COLUMNS):
        raise input_error(
            IngestError, file, "not a recognised export",
            expected=f"one of the supported formats {list(SOURCES)}, or a table with the "
                     f"columns {list(REQUIRED_COLUMNS)}",
            found=f"columns {sorted(present)[:20]}",
            hint="force a format with --format NAME (format=...), or describe the columns in a "
                 "mapping file (--mapping M.toml; see the README)",
        )
    if missing or missing_keep:
        what = ", ".join(missing + [f"{c!r} (keep_columns)" for c in missing_keep])
        raise input_error(
            IngestError, file, f"missing required column {what}",
            expected=f"columns {list(REQUIRED_COLUMNS)} or a mapping naming their sources",
            found=f"columns {sorted(present)}",
            hint="map them under [columns] in a mapping file (--mapping M.toml)",
        )
    return resolved


@dataclass
class _Mapped:
    messages: pd.DataFrame
    rejected: pd.DataFrame
    unknown_roles: pd.Series  # value -> first row
    unknown_kinds: pd.Series


def _plain_integers(text: pd.Series) -> pd.Series | None:
    """``text`` as int64 when every value is a present integer that fits (Arrow's cast, much
    faster than ``pd.to_numeric``); None otherwise, for the checks that say what is wrong.

    >>> _plain_integers(pd.Series(["1", "-20"])).tolist(), _plain_integers(pd.Series(["1", "x"]))
    ([1, -20], None)
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(text.array, type=pa.large_string())
    if arr.null_count:
        return None
    try:
        return pd.Series(pc.cast(arr, pa.int64()).to_numpy(), index=text.index)
    except pa.ArrowInvalid:
        return None


def _looked_up(values: pd.Series, table: dict[str, str]) -> tuple[pd.Series, pd.Series]:
    """(values as stripped strings, their canonical name from ``table`` by casefolded
    value, or missing), working on the distinct values only.

    >>> [s.tolist() for s in _looked_up(pd.Series([" Agent", "x", None]), {"agent": "agent"})]
    [['Agent', 'x', nan], ['agent', nan, nan]]
    """
    codes, uniques = pd.factorize(values)
    raw = as_strings(pd.Series(uniques), strip=True)
    canonical = raw.str.casefold().map(table).astype(STRING_DTYPE)
    return (pd.Series(raw.array.take(codes, allow_fill=True), index=values.index),
            pd.Series(canonical.array.take(codes, allow_fill=True), index=values.index))


def _unknown(values: pd.Series, mask: pd.Series, rows: np.ndarray) -> pd.Series:
    if not mask.any():
        return pd.Series(dtype="int64")
    return pd.Series(rows[mask.to_numpy()], index=values[mask].to_numpy()).groupby(level=0).min()


def _map_chunk(chunk: RawChunk, mapping: ColumnMapping, cols: dict[str, str]) -> _Mapped:
    frame, rows = chunk.frame, chunk.rows
    out: dict[str, pd.Series] = {}
    for canon in STRING_COLUMNS:
        if canon in cols:
            out[canon] = as_strings(frame[cols[canon]], strip=canon in _ID_COLUMNS)
        else:
            out[canon] = pd.Series(np.nan, index=frame.index, dtype=STRING_DTYPE)
        if canon in mapping.defaults:
            out[canon] = out[canon].fillna(mapping.defaults[canon])
    checks: list[tuple[pd.Series, str, pd.Series | str]] = []

    # kind: mapped values, else 'event' where an event name is given
    if "kind" in cols:
        raw_kind, kind = _looked_up(frame[cols["kind"]], mapping.kind_lookup())
        unknown_kinds = _unknown(raw_kind, raw_kind.notna() & kind.isna(), rows)
        kind = kind.where(raw_kind.notna(), "message")
    else:
        kind = pd.Series(np.where(out["event"].notna(), "event", "message"), index=frame.index)
        unknown_kinds = _unknown(kind, pd.Series(False, index=frame.index), rows)
    if "kind" in mapping.defaults and "kind" not in cols:
        kind = pd.Series(mapping.defaults["kind"], index=frame.index)
    is_event = kind == "event"
    out["event"] = out["event"].where(is_event)  # an event name only on event rows

    # sender_role: mapped values; empty on an event row means the system
    if "sender_role" in cols:
        raw_role, role = _looked_up(frame[cols["sender_role"]], mapping.role_lookup())
    else:
        raw_role, role = _looked_up(pd.Series(mapping.defaults.get("sender_role"), index=frame.index,
                                              dtype=STRING_DTYPE), mapping.role_lookup())
    unknown_roles = _unknown(raw_role, raw_role.notna() & role.isna(), rows)
    role = role.mask(raw_role.isna() & is_event, "system")
    checks.append((raw_role.isna() & ~is_event, "sender_role", "empty sender_role"))

    checks.append((out["conversation_id"].isna(), "conversation_id", "empty conversation_id"))
    checks.append((is_event & out["event"].isna(), "event", "kind is 'event' but the event name is empty"))

    if "timestamp" in cols:
        raw_ts = frame[cols["timestamp"]]
        ts = parse_timestamps(
            raw_ts, timezone=mapping.timezone, format=mapping.timestamp_format,
            unit=mapping.timestamp_unit, dayfirst=mapping.dayfirst,
        )
        # typed datetimes need no text, except to show the bad ones
        ts_missing = raw_ts.isna() if pd.api.types.is_datetime64_any_dtype(raw_ts.dtype) else as_strings(raw_ts).isna()
    else:
        raw_ts = pd.Series(mapping.defaults.get("timestamp"), index=frame.index, dtype=STRING_DTYPE)
        ts = parse_timestamps(raw_ts, timezone=mapping.timezone)
        ts_missing = raw_ts.isna()
    checks.append((ts_missing, "timestamp", "missing timestamp"))
    expected = f"format {mapping.timestamp_format!r}" if mapping.timestamp_format else "a date/time in the years 1678-2261"
    bad_ts = ts.isna() & ~ts_missing
    if bad_ts.any():
        checks.append(
            (bad_ts, "timestamp",
             "unparseable timestamp " + as_strings(raw_ts[bad_ts]).map(repr) + f" (expected {expected})")
        )

    if "seq" in cols and frame[cols["seq"]].dtype.kind == "i":  # numpy integers: nothing to check
        seq = frame[cols["seq"]].astype("int64")
    elif "seq" in cols and (seq := _plain_integers(seq_text := as_strings(frame[cols["seq"]], strip=True))) is not None:
        pass  # every value a plain integer: nothing to reject
    elif "seq" in cols:
        seq = pd.to_numeric(seq_text, errors="coerce")
        bad_seq = seq.notna() & ((seq != np.floor(seq)) | (seq.abs() >= 2**63))
        seq = seq.mask(bad_seq)
        bad_seq = seq.isna()
        shown = seq_text[bad_seq]
        checks.append((bad_seq, "seq", pd.Series(np.where(
            shown.isna(), "missing seq", "seq is not an integer: " + shown.fillna("").map(repr)), index=shown.index)))
    else:
        seq = pd.Series(np.nan, index=frame.index)

    # unknown role/kind values are a mapping error (raised later); not rows to reject
    known = ~(raw_role.notna() & role.isna()) & ~(kind.isna())
    checks = [(as_flags(mask), name, text) for mask, name, text in checks]
    reject = np.zeros(len(frame), dtype=bool)
    for mask, _, _ in checks:
        reject |= mask
    reject &= as_flags(known)

    rejected = _NO_ROWS
    if reject.any():
        sel = reject
        field = pd.Series("", index=frame.index[sel], dtype=object)
        reason = pd.Series("", index=frame.index[sel], dtype=object)
        for mask, name, text in checks:
            m = mask[sel]
            if not m.any():
                continue
            # a reason Series holds only the rows its check flags
            txt = text.reindex(field.index[m]).to_numpy() if isinstance(text, pd.Series) else text
            field[m] = np.where(field[m] == "", name, field[m] + ", " + name)
            reason[m] = np.where(reason[m] == "", txt, reason[m] + "; " + txt)
        rejected = rejected_frame(rows[sel], field.to_numpy(), reason.to_numpy(), _records(frame[sel]))

    keep = as_flags(known) & ~reject
    data = {**out, "timestamp": ts, "sender_role": role, "kind": kind, "seq": seq,
            "_row": pd.Series(rows, index=frame.index)}
    for extra in mapping.keep_columns:
        data[extra] = as_strings(frame[extra])
    messages = pd.DataFrame(data)
    if not keep.all():
        messages = messages[keep]
    return _Mapped(messages, rejected, unknown_roles, unknown_kinds)


_NO_ROWS = rejected_frame([], [], [], [])


def _unknown_values_error(kind: str, unknown: dict[str, tuple[str, int]], mapping_table: str,
                          allowed: Iterable[str]) -> MappingError:
    listed = ", ".join(f"{v!r} (first at {f} row {r})" for v, (f, r) in list(unknown.items())[:20])
    return MappingError(
        f"unmapped {kind} values: {listed}; expected values mapped to one of {list(allowed)}. "
        f"Hint: add them under [{mapping_table}] in the mapping file, e.g. "
        f"{next(iter(unknown))!r} = \"{next(iter(allowed))}\""
    )


def _finish(parts: list[pd.DataFrame], source_has: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Concatenate mapped chunks; reject duplicate message ids; build seq and ids."""
    msgs = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    rejected = _NO_ROWS.assign(file=pd.Series(dtype=object))
    if msgs.empty:
        return msgs, rejected
    if "message_id" in source_has:
        ids = msgs["message_id"]
        dup = repeated(ids)
        if dup.any():
            first = msgs.loc[ids.notna() & ~dup].drop_duplicates("message_id").set_index("message_id")
            where = first["_file"].astype(str) + " row " + first["_row"].astype(str)
            dups = msgs.loc[dup]
            rejected = rejected_frame(
                dups["_row"].to_numpy(), "message_id",
                ("duplicate message_id " + dups["message_id"].map(repr)
                 + " (first loaded from " + dups["message_id"].map(where) + ")").to_numpy(),
                _records(dups.drop(columns=["_file", "_row", "_order"]).astype(str)),
            ).assign(file=dups["_file"].to_numpy())
            msgs = msgs.loc[~dup]
    codes = pd.factorize(msgs["conversation_id"], sort=True)[0]
    order_in_file = msgs["_order"].to_numpy()
    if "seq" in source_has:
        order = np.lexsort((order_in_file, msgs["seq"].to_numpy(dtype="int64"), codes))
        msgs = msgs.iloc[order].reset_index(drop=True)
        msgs["seq"] = msgs["seq"].astype("int64")
    else:  # order by time within each conversation, ties in file order; seq numbers that order
        order = np.lexsort((order_in_file, utc_ns(msgs["timestamp"]), codes))
        msgs = msgs.iloc[order].reset_index(drop=True)
        msgs["seq"] = np.arange(len(msgs)) - group_starts(codes[order])
    ids = msgs["message_id"]
    missing_id = ids.isna().to_numpy()
    if missing_id.any():  # conversation:position, and the file order where a source id has that
        position = (np.arange(len(msgs)) - group_starts(codes[order]))[missing_id]
        synth = msgs.loc[missing_id, "conversation_id"] + ":" + pd.Series(position, dtype=STRING_DTYPE).to_numpy()
        if not missing_id.all():
            taken = synth.isin(ids.dropna())
            if taken.any():
                synth = synth.where(~taken, synth + ":" + msgs.loc[missing_id, "_order"].astype(STRING_DTYPE))
        msgs["message_id"] = ids.fillna(synth)
    return msgs, rejected


def read_messages(
    paths: str | Path | Iterable[str | Path],
    *,
    mapping: ColumnMapping | str | Path | None = None,
    format: str | None = None,
    timezone: str | None = None,
    errors: str = "raise",
    agents: Iterable[str] = (),
    session_gap: str | pd.Timedelta = "24h",
    dayfirst: bool | None = None,
) -> IngestResult:
    """Read export files into the canonical messages table, accounting for every row.

    ``mapping`` is a :class:`ColumnMapping`, a TOML file, or None for files whose
    columns already carry canonical names. ``timezone`` overrides the mapping's
    zone for timestamps without an offset. ``errors="raise"`` raises
    :class:`IngestError` listing every rejected row; ``"collect"`` returns them in
    ``result.rejected``.

    >>> result = read_messages("chats.csv", mapping="chats.toml")  # doctest: +SKIP
    >>> result.messages.columns[:3].tolist()                        # doctest: +SKIP
    ['conversation_id', 'message_id', 'seq']
    """
    if errors not in ("raise", "collect"):
        raise ValueError(
            f"The 'errors' parameter of read_messages must be 'raise' or 'collect'. "
            f"Got {errors!r} instead."
        )
    if format is not None and format not in FORMATS and format not in SOURCES:
        raise ValueError(
            f"The 'format' parameter of read_messages must be one of "
            f"{list(FORMATS) + list(SOURCES)} or None. Got {format!r} instead."
        )
    guess = mapping is None
    if mapping is None:
        mapping = ColumnMapping()
    elif not isinstance(mapping, ColumnMapping):
        mapping = load_mapping(mapping)
    if timezone is not None:
        mapping = dataclasses.replace(mapping, timezone=timezone)
    path_list = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]
    if not path_list:
        raise IngestError("no input files given")

    parts, rejected_parts, file_rows = [], [], []
    unknown_roles: dict[str, tuple[str, int]] = {}
    unknown_kinds: dict[str, tuple[str, int]] = {}
    source_has: set[str] = set()
    order = 0
    for path in path_list:
        check_file(path)
    formats = [format or (sniff(p) if guess else None) or detect_format(p) for p in path_list]
    vendor_chunks = _read_sources(path_list, formats, agents=tuple(agents), session_gap=session_gap,
                                  dayfirst=dayfirst)
    if guess and len(path_list) == 1 and formats == ["parquet"]:
        messages = _read_canonical(path_list[0])
        if messages is not None:
            files = pd.DataFrame({"file": [str(path_list[0])], "format": ["parquet"], "read": [len(messages)],
                                  "loaded": [len(messages)], "rejected": [0]})
            return IngestResult(messages, pd.DataFrame({c: pd.Series(dtype=object) for c in REJECTED_COLUMNS})
                                .astype({"row": "int64"}), files)
    for path, fmt in zip(path_list, formats, strict=True):
        n_read = n_rej = 0
        cols = None
        file_mapping = mapping
        chunks = read_raw(path, fmt) if fmt in FORMATS else iter([vendor_chunks[path]])
        if fmt in SOURCES:
            file_mapping = ColumnMapping(timezone=mapping.timezone)
        for chunk in chunks:
            if cols is None:
                cols = _resolve_columns(chunk.frame, file_mapping, str(path))
                source_has |= set(cols)
            mapped = _map_chunk(chunk, file_mapping, cols) if len(chunk.frame) else None
            for rej in (chunk.rejected, mapped.rejected if mapped else _NO_ROWS):
                if len(rej):
                    rejected_parts.append(rej.assign(file=str(path)))
                    n_rej += len(rej)
            n_read += len(chunk.frame) + len(chunk.rejected)
            if mapped is None:
                continue
            for value, row in mapped.unknown_roles.items():
                unknown_roles.setdefault(value, (str(path), int(row)))
            for value, row in mapped.unknown_kinds.items():
                unknown_kinds.setdefault(value, (str(path), int(row)))
            m = mapped.messages
            m["_file"] = str(path)
            m["_order"] = np.arange(order, order + len(m))
            order += len(m)
            parts.append(m)
        file_rows.append((str(path), fmt, n_read, n_rej))
    if unknown_roles:
        raise _unknown_values_error("sender_role", unknown_roles, "roles",
                                    ("customer", "agent", "bot", "system"))
    if unknown_kinds:
        raise _unknown_values_error("kind", unknown_kinds, "kinds", ("message", "note", "event"))

    msgs, dup_rejected = _finish(parts, source_has)
    if len(dup_rejected):
        rejected_parts.append(dup_rejected)
    rejected = (
        pd.concat(rejected_parts, ignore_index=True)[list(REJECTED_COLUMNS)]
        if rejected_parts else pd.DataFrame({c: pd.Series(dtype=object) for c in REJECTED_COLUMNS})
    )
    rejected["row"] = rejected["row"].astype("int64")
    per_file = rejected.groupby("file").size()
    files = pd.DataFrame(file_rows, columns=["file", "format", "read", "rejected"])
    files["rejected"] = files["file"].map(per_file).fillna(0).astype("int64")
    files["loaded"] = files["read"] - files["rejected"]
    files = files[["file", "format", "read", "loaded", "rejected"]]

    messages = _canonical(msgs, mapping.keep_columns)
    result = IngestResult(messages, rejected, files)
    if result.n_read != result.n_loaded + result.n_rejected:  # pragma: no cover - invariant
        raise IngestError(f"row accounting failed: {result.summary()}")
    if errors == "raise" and result.n_rejected:
        raise IngestError(rejection_report(result))
    return result


def _read_canonical(path: Path) -> pd.DataFrame | None:
    """The messages of a Parquet file ``csqa ingest`` wrote (marked in its metadata), read
    whole, if they still meet the contract and are in (conversation_id, seq) order with
    every message_id; otherwise None, and the file goes through the general reader."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from csqa.io import MESSAGES_MARK

    try:
        schema = pq.read_schema(path)
        if MESSAGES_MARK not in (schema.metadata or {}) or not set(MESSAGE_COLUMNS) <= set(schema.names):
            return None
        table = pq.read_table(path, columns=list(MESSAGE_COLUMNS))
        table.validate(full=True)
    except (pa.ArrowException, OSError, UnicodeDecodeError):
        return None  # the general reader says what is wrong
    conv, seq, ts = table["conversation_id"], table["seq"], table["timestamp"]
    if not (pa.types.is_integer(seq.type) and pa.types.is_timestamp(ts.type) and ts.type.tz in ("UTC", "+00:00")):
        return None
    for column, allowed in (("sender_role", ROLES), ("kind", KINDS)):
        values = pc.unique(table[column].cast(pa.string()) if pa.types.is_dictionary(table[column].type)
                           else table[column])
        if values.null_count or not set(values.to_pylist()) <= set(allowed):
            return None
    if len(table) > 1 and conv.null_count == 0:
        a, b = conv.slice(0, len(table) - 1), conv.slice(1)
        in_order = pc.or_(pc.greater(b, a),
                          pc.and_(pc.equal(b, a), pc.greater_equal(seq.slice(1), seq.slice(0, len(table) - 1))))
        if not pc.all(in_order).as_py():
            return None
    frame = table.to_pandas().astype({"sender_role": ROLE_DTYPE, "kind": KIND_DTYPE, "seq": "int64",
                                      **dict.fromkeys(STRING_COLUMNS, STRING_DTYPE)})
    frame["timestamp"] = frame["timestamp"].dt.as_unit("ns")
    if frame["message_id"].isna().any():
        return None
    try:
        return validate_messages(frame, source=str(path))
    except SchemaError:  # missing values, duplicate ids...: the general reader rejects them by row
        return None


def _read_sources(paths: list[Path], formats: list[str], **options) -> dict[Path, RawChunk]:
    """Vendor files, read together per format (a users file serves the tickets file)."""
    out: dict[Path, RawChunk] = {}
    for name in dict.fromkeys(f for f in formats if f in SOURCES):
        files = [p for p, f in zip(paths, formats, strict=True) if f == name]
        out.update(zip(files, source_module(name).read(files, **options), strict=True))
    return out


def _canonical(msgs: pd.DataFrame, keep: tuple[str, ...]) -> pd.DataFrame:
    from csqa.schema import empty_messages

    if msgs.empty:
        base = empty_messages()
        for extra in keep:
            base[extra] = pd.Series(dtype=STRING_DTYPE)
        return base
    dtypes = {**dict.fromkeys(STRING_COLUMNS, STRING_DTYPE), "sender_role": ROLE_DTYPE, "kind": KIND_DTYPE,
              "timestamp": "datetime64[ns, UTC]"}
    out = pd.DataFrame({col: msgs[col].astype(dtypes[col]) if col in dtypes else msgs[col]
                        for col in (*MESSAGE_COLUMNS, *keep)}, index=msgs.index)
    return validate_messages(out, source="ingested messages")


def rejection_report(result: IngestResult, *, limit: int = 20) -> str:
    """A readable list of rejected rows (file, row, field, reason), first ``limit``."""
    rej = result.rejected
    lines = [f"{result.n_rejected} of {result.n_read} rows rejected:"]
    for rec in rej.head(limit).itertuples(index=False):
        lines.append(f"  {rec.file}: row {rec.row}, field {rec.field}: {rec.reason}")
    if len(rej) > limit:
        counts = rej["reason"].str.replace(r" '.*", "", regex=True).value_counts()
        lines.append(f"  ... and {len(rej) - limit} more; by reason: {counts.to_dict()}")
    lines.append("Hint: pass errors='collect' (CLI: --errors collect) to load the valid rows "
                 "and keep the rejected ones with their reasons.")
    return "\n".join(lines)
