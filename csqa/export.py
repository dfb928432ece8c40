"""Exports for other tools: one row per conversation with every metric, one row per agent.

CSV cells that a spreadsheet would run as a formula (text starting with ``=``,
``+``, ``-``, ``@``, tab or carriage return) get a leading apostrophe, the
OWASP advice against CSV injection; numbers are left alone. Files are written
atomically.

>>> import pandas as pd
>>> safe = safe_for_spreadsheets(pd.DataFrame({"text": ["=HYPERLINK(\\"http://x\\")", "-2+3", "hi"], "n": [-1, 2, 3]}))
>>> safe["text"].tolist(), safe["n"].tolist()
(['\\'=HYPERLINK("http://x")', "'-2+3", 'hi'], [-1, 2, 3])
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from csqa.io import atomic_path, write_parquet

_FORMULA = r"^[=+\-@\t\r]"


def safe_for_spreadsheets(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` whose text cells cannot start a spreadsheet formula."""
    out = table.copy()
    for column in out.columns:
        values = out[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            values = values.astype("string")
        if pd.api.types.is_string_dtype(values) or values.dtype == object:
            text = values.astype("string")
            risky = text.str.contains(_FORMULA, regex=True, na=False)
            out[column] = text.mask(risky, "'" + text)
    return out


def write_csv(table: pd.DataFrame, path: str | Path) -> Path:
    """``table`` as RFC 4180 CSV, injection-safe: UTF-8 with a byte-order mark (so spreadsheets
    read Arabic and Persian), CRLF line ends, and any cell holding a line break quoted."""
    path = Path(path)
    with atomic_path(path) as tmp:
        safe_for_spreadsheets(table).to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    return path


def _masked(table: pd.DataFrame) -> pd.DataFrame:
    from csqa.text.redact import redact

    text = [c for c in table.columns if pd.api.types.is_string_dtype(table[c]) or table[c].dtype == object]
    return redact(table, columns=text)


def conversation_export(conversations: pd.DataFrame, *, redact: bool = True) -> pd.DataFrame:
    """One row per conversation with every metric column, times in UTC ISO 8601; with ``redact``,
    personal data in text columns (a customer id that is a phone number or e-mail) is masked."""
    out = _masked(conversations) if redact else conversations.copy()
    for column in out.columns:
        if isinstance(out[column].dtype, pd.DatetimeTZDtype):
            out[column] = out[column].dt.strftime("%Y-%m-%dT%H:%M:%SZ").astype("string")
    return out


def write_exports(messages: pd.DataFrame, conversations: pd.DataFrame, folder: str | Path, *,
                  redact: bool = True) -> dict[str, Path]:
    """Write ``conversations.csv``, ``conversations.parquet`` and ``agents.csv`` into ``folder``
    (personal data masked unless ``redact=False``)."""
    from csqa.metrics import agent_scorecards

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    agents = agent_scorecards(messages, conversations=conversations)
    if redact:
        conversations, agents = _masked(conversations), _masked(agents)
    written = {
        "conversations_csv": write_csv(conversation_export(conversations, redact=False),
                                       folder / "conversations.csv"),
        "conversations_parquet": folder / "conversations.parquet",
        "agents_csv": write_csv(agents, folder / "agents.csv"),
    }
    write_parquet(conversations, written["conversations_parquet"])
    return written
