"""Vendor export formats: which exist, and recognising them by content.

Each format is a module of :mod:`csqa.ingest` with ``NAME``, ``SIGNS`` (strings
whose presence near the start of a JSON export points to it, written without
spaces around ``:``, each with a weight: 2 decides alone, 1 needs another) or its own
``sniff(head)``, and ``read(files, **options) -> list[RawChunk]`` returning one
chunk of canonical rows per file.

>>> sorted(SOURCES)[:3]
['chatwoot', 'freshdesk', 'helpscout']
"""

from __future__ import annotations

import gzip
import importlib
import re
import zipfile
from pathlib import Path
from types import ModuleType

HEAD_BYTES = 1 << 16

#: format name -> (module, one example command)
SOURCES: dict[str, tuple[str, str]] = {
    "zendesk": ("zendesk", "csqa ingest audits.json users.json -o messages.parquet"),
    "zendesk_chat": ("zendesk_chat", "csqa ingest chats.json -o messages.parquet"),
    "intercom": ("intercom", "csqa ingest conversations.json -o messages.parquet"),
    "freshdesk": ("freshdesk", "csqa ingest tickets.json conversations.json -o messages.parquet"),
    "chatwoot": ("chatwoot", "csqa ingest messages.json -o messages.parquet"),
    "zammad": ("zammad", "csqa ingest tickets.json articles.json history.json -o messages.parquet"),
    "helpscout": ("helpscout", "csqa ingest conversations.json -o messages.parquet"),
    "whatsapp": ("whatsapp", 'csqa ingest "WhatsApp Chat with Shop.zip" --agent "Shop" -o messages.parquet'),
    "telegram": ("telegram", "csqa ingest result.json --agent user123456 -o messages.parquet"),
    "twcs": ("twcs", "csqa ingest twcs.csv -o messages.parquet"),
}


def source_module(name: str) -> ModuleType:
    """The adapter module of format ``name`` (imported on first use)."""
    return importlib.import_module(f"csqa.ingest.{SOURCES[name][0]}")


def read_head(path: Path) -> str:
    """The first 64 KiB of a file as text (a ``.gz`` decompressed; for a ``.zip``, its
    first ``.txt`` member); invalid bytes replaced, so any file can be sniffed."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if n.lower().endswith(".txt")]
            if not names:
                return ""
            with zf.open(names[0]) as fh:
                data = fh.read(HEAD_BYTES)
    elif path.suffix.lower() == ".gz":
        try:
            with gzip.open(path, "rb") as fh:
                data = fh.read(HEAD_BYTES)
        except (EOFError, OSError):
            return ""
    else:
        with open(path, "rb") as fh:
            data = fh.read(HEAD_BYTES)
    return data.decode("utf-8", errors="replace").lstrip("\ufeff")


def sniff(path: Path) -> str | None:
    """The vendor format of ``path`` judged from its content, or None (a plain table).

    Text formats (WhatsApp, TWCS) test their own layout; a JSON export goes to the
    format whose ``SIGNS`` weigh most near its start (at least 2).
    """
    head = read_head(path)
    for name in ("whatsapp", "twcs"):
        if source_module(name).sniff(head):
            return name
    if head.lstrip()[:1] not in ("{", "["):
        return None
    head = re.sub(r'"\s*:\s*', '":', head)  # signs are written as '"key":"value"'
    if '"sender_role":' in head:  # a table already in canonical columns
        return None
    best, score = None, 1  # a weight of 2 decides: one strong sign, or two weak ones
    for name in SOURCES:
        module = source_module(name)
        signs = getattr(module, "SIGNS", {})
        hits = sum(weight for sign, weight in signs.items() if sign in head)
        if hits > score:
            best, score = name, hits
    return best
