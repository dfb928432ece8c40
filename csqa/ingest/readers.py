"""Read raw tabular files (CSV/TSV, JSON, JSON Lines, Parquet) in chunks.

Each reader yields :class:`RawChunk` objects: the source columns as they are, the
1-based source row number of each record, and records that could not even be
read as a row (an invalid JSON line...) with the reason. File-level problems
raise :class:`~csqa.errors.IngestError` naming the file and the place.

>>> detect_format("export.jsonl")
'jsonl'
"""

from __future__ import annotations

import codecs
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from csqa.errors import IngestError, input_error

if TYPE_CHECKING:
    import pyarrow as pa

FORMATS: tuple[str, ...] = ("csv", "tsv", "json", "jsonl", "parquet")
CHUNK_ROWS = 500_000
PROGRESS_MIN_BYTES = 64 * 2**20

_SUFFIXES = {
    ".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".json": "json", ".jsonl": "jsonl",
    ".ndjson": "jsonl", ".parquet": "parquet", ".pq": "parquet",
}


@dataclass
class RawChunk:
    """A piece of a source file: its records, their row numbers, unreadable records."""

    frame: pd.DataFrame
    rows: np.ndarray
    rejected: pd.DataFrame  # columns: row, field, reason, record


def rejected_frame(rows, field, reason, record) -> pd.DataFrame:
    """Rejected rows in the shape every reader and the mapper use."""
    return pd.DataFrame(
        {"row": np.asarray(rows, dtype="int64"), "field": field, "reason": reason, "record": record}
    )


_NO_REJECTS = rejected_frame([], [], [], [])


def scalar_str(value) -> str | None:
    """A source value as text: booleans as true/false, objects and lists as JSON.

    >>> scalar_str(True), scalar_str(12), scalar_str({"a": 1}), scalar_str(float("nan"))
    ('true', '12', '{"a": 1}', None)
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def check_file(path: Path) -> None:
    """Raise a clear IngestError if ``path`` is not a readable, non-empty file."""
    if not path.exists():
        raise input_error(IngestError, str(path), "no such file")
    if path.is_dir():
        raise input_error(
            IngestError, str(path), "is a directory", expected="a file",
            hint="pass the export files inside it, e.g. DIR/*.csv",
        )
    if path.stat().st_size == 0:
        raise input_error(
            IngestError, str(path), "the file is empty (0 bytes)",
            expected="a header row and at least one data row",
        )


def detect_format(path: str | Path) -> str:
    """Guess the format from the suffix (``.gz`` looked through), else from content."""
    path = Path(path)
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    if suffixes and suffixes[-1] in _SUFFIXES:
        return _SUFFIXES[suffixes[-1]]
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if head.startswith(b"PAR1"):
        return "parquet"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"["):
        return "json"
    if text.startswith(b"{"):
        first, _, rest = text.partition(b"\n")
        return "jsonl" if first.rstrip().endswith(b"}") and rest.strip().startswith(b"{") else "json"
    return "tsv" if head.count(b"\t") > head.count(b",") else "csv"


def _utf8_problem(path: Path) -> IngestError:
    """Locate the first invalid UTF-8 byte of ``path`` (line and byte offset)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset, line = 0, 1
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                bad = offset + exc.start
                line += block[: exc.start].count(b"\n")
                found = block[exc.start : exc.start + 4]
                return input_error(
                    IngestError, str(path), f"line {line} (byte {bad}) is not valid UTF-8",
                    expected="UTF-8 text", found=f"bytes {found!r}",
                    hint="re-export as UTF-8, or convert with iconv -f <encoding> -t utf-8",
                )
            offset += len(block)
            line += block.count(b"\n")
    return input_error(IngestError, str(path), "is not valid UTF-8", expected="UTF-8 text")


def _progress(path: Path, total: int):
    if total < PROGRESS_MIN_BYTES or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="B", unit_scale=True, desc=path.name, file=sys.stderr)


def _csv_with_arrow(path: Path, sep: str):
    """A well-formed CSV/TSV read with Arrow's multi-threaded parser, every column as text;
    None for anything else (odd header, ragged rows, bad UTF-8, damaged .gz...), which
    the pandas reader then reads or reports exactly."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    try:
        header = pd.read_csv(path, sep=sep, nrows=0, encoding="utf-8-sig", dtype=str).columns
        names = [str(c) for c in header]
        if len(set(names)) < len(names) or any(n.startswith("Unnamed: ") for n in names):
            return None
        return pa_csv.read_csv(
            path, read_options=pa_csv.ReadOptions(block_size=1 << 24),
            parse_options=pa_csv.ParseOptions(delimiter=sep, newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(column_types=dict.fromkeys(names, pa.large_string()),
                                                  null_values=[""], strings_can_be_null=True,
                                                  quoted_strings_can_be_null=True))
    except (pa.ArrowException, ValueError, OSError, EOFError, UnicodeDecodeError, pd.errors.ParserError,
            pd.errors.EmptyDataError):
        return None  # the pandas reader below says what is wrong


def read_csv_chunks(path: Path, *, sep: str = ",", chunk_rows: int = CHUNK_ROWS) -> Iterator[RawChunk]:
    """CSV/TSV as strings (empty cells missing, the text 'NA' kept as text)."""
    table = _csv_with_arrow(path, sep)
    if table is not None:
        for start in range(0, max(table.num_rows, 1), chunk_rows):
            frame = table.slice(start, chunk_rows).to_pandas()
            yield RawChunk(frame, np.arange(start + 1, start + len(frame) + 1), _NO_REJECTS)
        return
    compressed = path.suffix.lower() == ".gz"
    size = os.path.getsize(path)
    bar = None if compressed else _progress(path, size)
    source = path if compressed else open(path, "rb")
    start = 0
    try:
        reader = pd.read_csv(
            source, sep=sep, dtype=str, keep_default_na=False, na_values=[""],
            encoding="utf-8-sig", chunksize=chunk_rows, compression="infer" if compressed else None,
        )
        with reader:
            for frame in reader:
                n = len(frame)
                frame.index = pd.RangeIndex(n)
                yield RawChunk(frame, np.arange(start + 1, start + n + 1), _NO_REJECTS)
                start += n
                if bar is not None:
                    bar.update(source.tell() - bar.n)
    except pd.errors.EmptyDataError:
        raise input_error(
            IngestError, str(path), "no header row (the file has no columns)",
            expected="a header row naming the columns",
        ) from None
    except pd.errors.ParserError as exc:
        raise input_error(
            IngestError, str(path), f"malformed CSV after data row {start}",
            expected="the same number of fields on every line", found=str(exc).strip(),
            hint="check quoting of fields that contain the separator or line breaks",
        ) from None
    except UnicodeDecodeError:
        raise _utf8_problem(path) from None
    except (EOFError, OSError) as exc:  # a .gz cut short or damaged
        raise input_error(
            IngestError, str(path), f"cannot be read after data row {start}", expected="a complete file",
            found=f"{type(exc).__name__}: {exc}", hint="copy or export the file again",
        ) from None
    finally:
        if bar is not None:
            bar.close()
        if not compressed:
            source.close()


def _read_text(path: Path) -> str:
    try:
        if path.suffix.lower() == ".gz":
            import gzip

            with gzip.open(path, "rb") as fh:
                data = fh.read()
        else:
            data = path.read_bytes()
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _utf8_problem(path) from None
    except (EOFError, OSError) as exc:  # gzip.BadGzipFile, a .gz cut short
        raise input_error(IngestError, str(path), f"cannot be read: {exc}") from None


def _flatten(record: dict, prefix: str = "") -> dict:
    """Nested objects become dotted columns; lists are kept as JSON text."""
    flat = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        elif isinstance(value, list):
            flat[name] = json.dumps(value, ensure_ascii=False)
        else:
            flat[name] = value
    return flat


def _records_chunk(items: list, rows: np.ndarray, bad: list[tuple[int, str, str]]) -> RawChunk:
    is_obj = np.fromiter((isinstance(x, dict) for x in items), dtype=bool, count=len(items))
    for pos in np.flatnonzero(~is_obj):
        bad.append((int(rows[pos]), f"expected a JSON object; found {type(items[pos]).__name__}",
                    json.dumps(items[pos], ensure_ascii=False)[:1000]))
    records = [_flatten(x) for x, ok in zip(items, is_obj, strict=True) if ok]
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    frame = frame.astype(object)
    rejected = rejected_frame([b[0] for b in bad], "record", [b[1] for b in bad], [b[2] for b in bad])
    return RawChunk(frame, rows[is_obj], rejected)


def read_json_records(path: Path) -> Iterator[RawChunk]:
    """A JSON array of objects, or an object holding one such array."""
    text = _read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        truncated = exc.pos >= len(text.rstrip()) - 1 or exc.msg.startswith("Unterminated string")
        raise input_error(
            IngestError, str(path), f"invalid JSON at line {exc.lineno}, column {exc.colno}",
            expected="a JSON array of objects", found=exc.msg,
            hint="the file looks truncated; export it again" if truncated else None,
        ) from None
    if isinstance(data, dict):
        lists = [k for k, v in data.items() if isinstance(v, list)]
        if len(lists) != 1:
            raise input_error(
                IngestError, str(path), "top-level JSON object",
                expected="an array of records, or an object with exactly one array of records",
                found=f"an object with keys {list(data)[:10]}",
            )
        data = data[lists[0]]
    if not isinstance(data, list):
        raise input_error(
            IngestError, str(path), "top-level JSON value",
            expected="an array of records", found=type(data).__name__,
        )
    yield _records_chunk(data, np.arange(1, len(data) + 1), [])


def read_jsonl_records(path: Path, *, chunk_rows: int = CHUNK_ROWS) -> Iterator[RawChunk]:
    """JSON Lines: one object per line; a line that is not valid JSON is rejected."""
    lines = _read_text(path).split("\n")
    for start in range(0, len(lines), chunk_rows):
        items, rows, bad = [], [], []
        for lineno, line in enumerate(lines[start : start + chunk_rows], start=start + 1):
            if not line.strip():
                continue
            try:
                items.append(json.loads(line))
                rows.append(lineno)
            except json.JSONDecodeError as exc:
                bad.append((lineno, f"invalid JSON: {exc.msg} at column {exc.colno}", line[:1000]))
        yield _records_chunk(items, np.asarray(rows, dtype="int64"), bad)


def read_parquet_chunks(path: Path, *, chunk_rows: int = CHUNK_ROWS) -> Iterator[RawChunk]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowException, OSError, UnicodeDecodeError) as exc:  # column names that are not UTF-8 too
        raise input_error(
            IngestError, str(path), "is not a readable Parquet file",
            expected="a Parquet file", found=str(exc),
        ) from None
    start = 0
    batches = pf.iter_batches(batch_size=chunk_rows)
    while True:
        try:
            batch = next(batches, None)
            if batch is not None:
                batch.validate(full=True)  # text that is not UTF-8, offsets out of range...
            frame = None if batch is None else _to_pandas(batch)
        except (pa.ArrowException, OSError, UnicodeDecodeError) as exc:
            raise input_error(
                IngestError, str(path), f"is damaged after data row {start}",
                expected="a Parquet file whose pages can be read", found=str(exc).strip()[:300],
                hint="write the file again; a copy cut short or changed in transit cannot be read",
            ) from None
        if frame is None:
            break
        n = len(frame)
        yield RawChunk(frame, np.arange(start + 1, start + n + 1), _NO_REJECTS)
        start += n
    if start == 0:
        frame = pf.schema_arrow.remove_metadata().empty_table().to_pandas()  # no rows: pandas' notes unneeded
        yield RawChunk(frame, np.arange(0), _NO_REJECTS)


def _to_pandas(batch: pa.RecordBatch) -> pd.DataFrame:
    """A record batch as a frame; pandas' notes in the schema (index, dtypes) are only hints,
    so a batch whose notes are damaged is read without them (its data is intact)."""
    try:
        return batch.to_pandas()
    except json.JSONDecodeError:
        return batch.replace_schema_metadata(None).to_pandas()


def read_raw(path: Path, fmt: str) -> Iterator[RawChunk]:
    """Dispatch to the reader for ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "csv":
        return read_csv_chunks(path)
    if fmt == "tsv":
        return read_csv_chunks(path, sep="\t")
    if fmt == "json":
        return read_json_records(path)
    if fmt == "jsonl":
        return read_jsonl_records(path)
    if fmt == "parquet":
        return read_parquet_chunks(path)
    raise ValueError(
        f"The 'format' parameter of read_messages must be one of {list(FORMATS)}. "
        f"Got {fmt!r} instead."
    )
