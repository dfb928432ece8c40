"""csqa: support-conversation analytics for English, Arabic and Persian transcripts.

Ingest exported chats and tickets into a canonical ``messages`` table, measure
response times, transfers, repeat explanations and sentiment, and render reports.

>>> import csqa
>>> csqa.__version__ >= "0.1"
True

The public functions are re-exported here and imported on first use, so that
``import csqa`` stays fast and never loads matplotlib, scikit-learn or NLTK.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "CsqaError": "csqa.errors",
    "SchemaError": "csqa.errors",
    "MappingError": "csqa.errors",
    "IngestError": "csqa.errors",
    "CalendarError": "csqa.errors",
    "ReportError": "csqa.errors",
    "MissingDependencyError": "csqa.errors",
    "MESSAGE_COLUMNS": "csqa.schema",
    "validate_messages": "csqa.schema",
    "coerce_messages": "csqa.schema",
    "empty_messages": "csqa.schema",
    "ColumnMapping": "csqa.ingest",
    "IngestResult": "csqa.ingest",
    "load_mapping": "csqa.ingest",
    "read_messages": "csqa.ingest",
    "parse_timestamps": "csqa.ingest",
    "generate_sample": "csqa.sample",
    "load_sample": "csqa.sample",
    "normalize_text": "csqa.text",
    "detect_language": "csqa.text",
    "score_sentiment": "csqa.text",
    "train_sentiment": "csqa.text",
    "add_text_columns": "csqa.text",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'csqa' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
