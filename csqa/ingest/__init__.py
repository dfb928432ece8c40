"""Read exports into the canonical messages table (see :func:`read_messages`)."""

from csqa.ingest.generic import IngestResult, read_messages, rejection_report
from csqa.ingest.mapping import ColumnMapping, load_mapping
from csqa.ingest.readers import FORMATS, detect_format
from csqa.ingest.timestamps import parse_timestamps

__all__ = [
    "FORMATS",
    "ColumnMapping",
    "IngestResult",
    "detect_format",
    "load_mapping",
    "parse_timestamps",
    "read_messages",
    "rejection_report",
]
