"""Shared test helpers: hand-written message fixtures and the ../shared data folder."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from csqa.schema import coerce_messages

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    """../shared/data, or skip when the checkout has no shared folder beside it."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA


def make_messages(rows: list[tuple], *, day: str = "2026-03-02") -> pd.DataFrame:
    """Build a canonical messages table from short rows.

    Each row: (conversation_id, "HH:MM:SS" on ``day`` in UTC or a full timestamp,
    sender_role, kind, extras dict). kind defaults to "message".
    """
    records = []
    for row in rows:
        cid, when, role, *rest = row
        kind = rest[0] if rest else "message"
        extra = rest[1] if len(rest) > 1 else {}
        ts = when if len(when) > 8 else f"{day} {when}"
        records.append({"conversation_id": cid, "timestamp": pd.Timestamp(ts, tz="UTC"),
                        "sender_role": role, "kind": kind,
                        "sender_id": extra.get("sender_id", f"{role}-1"), **extra})
    frame = pd.DataFrame(records)
    frame["seq"] = frame.groupby("conversation_id").cumcount()
    return coerce_messages(frame)


def pytest_terminal_summary(terminalreporter):
    """Detector quality measured by the tests (precision/recall), shown after every run."""
    from tests.quality import QUALITY

    if QUALITY:
        terminalreporter.section("csqa detector quality")
        for name, figures in QUALITY.items():
            terminalreporter.write_line(f"{name}: {figures}")
