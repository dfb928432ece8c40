"""Shared pieces of the vendor adapters: loading JSON exports, collecting rows.

A vendor adapter walks the export's records and adds one canonical row per message
or event with :meth:`Rows.add`, or rejects a record it cannot interpret with
:meth:`Rows.reject` (its place and the reason). :meth:`Rows.chunk` returns a
:class:`~csqa.ingest.readers.RawChunk` with canonical column names, which the
generic pipeline then checks (timestamps, ids) and accounts for like any file.

Row numbers of a vendor file count the rows the adapter produced or rejected,
in file order; ``_where`` (kept in the rejected ``record``) names the place in
the export, e.g. ``ticket 7 / audit 55 / event 3``.

>>> rows = Rows()
>>> rows.add("chat 1 / item 1", conversation_id="1", timestamp="2024-01-01T10:00:00Z",
...          sender_role="customer", kind="message", text="hi")
>>> rows.reject("chat 1 / item 2", "sender_role", "unknown author type 'robot'", {"type": "robot"})
>>> chunk = rows.chunk()
>>> len(chunk.frame), chunk.rejected["reason"].tolist()
(1, ["chat 1 / item 2: unknown author type 'robot'"])
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from csqa.errors import IngestError, input_error
from csqa.ingest.readers import RawChunk, _read_text, rejected_frame, scalar_str
from csqa.schema import STRING_DTYPE

FIELDS: tuple[str, ...] = (
    "conversation_id", "message_id", "timestamp", "sender_role", "sender_id", "kind", "event",
    "assignee_id", "queue", "channel", "text", "customer_id", "_where",
)


#: What reading a record of an unexpected shape raises (see :meth:`Rows.record`).
SHAPE_ERRORS = (AttributeError, KeyError, IndexError, TypeError, ValueError, OverflowError)


def ident(value: Any) -> str | None:
    """An id as text: ``12`` and ``12.0`` both give ``'12'``; missing gives None.

    >>> ident(12.0), ident("a7"), ident(None)
    ('12', 'a7', None)
    """
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict):
        return ident(value.get("id"))
    return str(value)


class Rows:
    """Canonical rows collected column by column, and rejected records with reasons."""

    def __init__(self) -> None:
        self.columns: dict[str, list] = {f: [] for f in FIELDS}
        self.rows: list[int] = []
        self.bad: list[tuple[int, str, str, str]] = []
        self.n = 0

    def add(self, where: str, **values: Any) -> None:
        """One canonical row; unknown names are an error of the adapter, not the input."""
        unknown = set(values) - set(FIELDS)
        if unknown:
            raise TypeError(f"unknown canonical fields {sorted(unknown)}")
        self.n += 1
        values["_where"] = where
        for name, column in self.columns.items():
            column.append(values.get(name))
        self.rows.append(self.n)

    def reject(self, where: str, field: str, reason: str, record: Any) -> None:
        """A record that cannot become a row: where it is, the field and why."""
        self.n += 1
        text = json.dumps(record, ensure_ascii=False, default=str)[:1000]
        self.bad.append((self.n, field, f"{where}: {reason}", text))

    @contextmanager
    def record(self, where: str, raw: Any) -> Iterator[None]:
        """The rows added inside come from one source record. If the record's shape is
        not what the adapter reads (a list where an object belongs, a key missing, a
        number where text belongs), its rows are taken back and the record is
        rejected whole, the error as the reason: accounted for, never half-loaded.

        >>> rows = Rows()
        >>> with rows.record("ticket 9", {"comments": 7}):
        ...     rows.add("ticket 9 / comment 1", conversation_id="9")
        ...     _ = len(7)
        >>> rows.n, rows.bad[0][2]
        (1, "ticket 9: unexpected structure (TypeError: object of type 'int' has no len())")
        """
        n, size, bad = self.n, len(self.rows), len(self.bad)
        try:
            yield
        except SHAPE_ERRORS as exc:
            for column in self.columns.values():
                del column[size:]
            del self.rows[size:], self.bad[bad:]
            self.n = n
            self.reject(where, "record", f"unexpected structure ({type(exc).__name__}: {str(exc)[:200]})", raw)

    def chunk(self) -> RawChunk:
        """The rows (text columns as strings; timestamps as given) and the rejected records."""
        frame = pd.DataFrame({
            name: values if name == "timestamp" else pd.array(
                [v if v is None or isinstance(v, str) else scalar_str(v) for v in values], dtype=STRING_DTYPE)
            for name, values in self.columns.items()
        }, dtype=None)
        frame["timestamp"] = frame["timestamp"].astype(object)
        rejected = rejected_frame(
            [b[0] for b in self.bad], [b[1] for b in self.bad], [b[2] for b in self.bad],
            [b[3] for b in self.bad],
        )
        return RawChunk(frame, np.asarray(self.rows, dtype="int64"), rejected)


def load_json(path: Path) -> list[Any]:
    """The JSON documents of an export: one for a ``.json`` file, one per line for JSON Lines."""
    text = _read_text(path)
    try:
        return [json.loads(text)]
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data":
            raise input_error(
                IngestError, str(path), f"invalid JSON at line {exc.lineno}, column {exc.colno}",
                expected="a JSON export", found=exc.msg,
            ) from None
    docs = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            docs.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise input_error(
                IngestError, str(path), f"line {lineno}, column {exc.colno} is not valid JSON",
                expected="one JSON object per line (JSON Lines)", found=exc.msg,
            ) from None
    return docs


def items(docs: list[Any], is_item: Callable[[dict], bool]) -> list[dict]:
    """Every object in ``docs``, at any depth, that ``is_item`` accepts (in document
    order; an accepted object is not searched further).

    >>> items([{"data": [{"id": 1, "body": "a"}, {"id": 2}]}], lambda r: "body" in r)
    [{'id': 1, 'body': 'a'}]
    """
    found: list[dict] = []
    stack: list[Any] = list(reversed(docs))
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if is_item(node):
                found.append(node)
            else:
                stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return found


def objects(value: Any) -> list[dict]:
    """The objects in a list (anything else in it, or a value that is no list: none).

    >>> objects([{"a": 1}, None, 3]), objects("text")
    ([{'a': 1}], [])
    """
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def read_each(files: list[Path], is_item: Callable[[dict], bool],
              add: Callable[[Rows, dict], None]) -> list[RawChunk]:
    """One chunk per JSON export file: ``add(rows, record)`` for each record ``is_item`` accepts."""
    chunks = []
    for path in files:
        rows = Rows()
        for k, record in enumerate(items(load_json(path), is_item), start=1):
            with rows.record(place(record, k), record):
                add(rows, record)
        chunks.append(rows.chunk())
    return chunks


def place(record: dict, k: int) -> str:
    """Where a top-level record is, for messages: ``record 3 (id 'a7')``."""
    found = ident(record.get("id")) if isinstance(record.get("id"), (str, int, float)) else None
    return f"record {k}" + (f" (id {found!r})" if found else "")


_BREAKS = re.compile(r"<\s*(?:br\s*/?|/p|/div|/li|/h\d|/tr)\s*>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")
_BLANKS = re.compile(r"\n\s*\n\s*\n+")


def html_to_text(value: str | None) -> str | None:
    """Plain text of an HTML body: line breaks kept, tags dropped, entities decoded.

    Used only for vendors that export HTML and no plain-text body; the words are
    not changed.

    >>> html_to_text("<p>Hi&nbsp;there,<br>order <b>123</b></p>")
    'Hi\\xa0there,\\norder 123'
    """
    if value is None:
        return None
    text = _TAGS.sub("", _BREAKS.sub("\n", value))
    return _BLANKS.sub("\n\n", html.unescape(text)).strip()


def pick(record: dict, *names: str) -> Any:
    """The first of ``names`` present and not None in ``record`` (dotted names look inside).

    >>> pick({"a": None, "b": {"c": 1}}, "a", "b.c")
    1
    """
    for name in names:
        node: Any = record
        for part in name.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if node is not None:
            return node
    return None


def check_agents(files: list[Path], frames: list[pd.DataFrame], agents: tuple[str, ...]) -> None:
    """Chat exports: raise unless ``agents`` is given and at least one of them wrote."""
    if agents and any((f["sender_role"] == "agent").any() for f in frames if len(f)):
        return
    seen = pd.concat(frames)
    people = seen.loc[seen["sender_role"] == "customer", "sender_id"].value_counts()
    problem = ("which participant is the business is not given" if not agents else
               f"none of the agents {list(agents)} wrote in the chat")
    raise input_error(
        IngestError, ", ".join(map(str, files)), problem,
        expected="the business's name, phone number or user id as it appears in the chat",
        found=f"participants {people.index[:10].tolist()}",
        hint="pass agents=[...] (CLI: --agent NAME, repeatable)",
    )
