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


_FUZZ_SEEN: dict[str, int] = {}
_QUALITY_SEEN: dict[str, str] = {}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Attach the figures a test measured to its report (so they reach the main
    process also when pytest-xdist runs tests in workers)."""
    outcome = yield
    if call.when != "call":
        return
    from tests.quality import FUZZ, QUALITY

    if FUZZ or QUALITY:
        outcome.get_result().user_properties.append(("csqa_figures", {"fuzz": dict(FUZZ), "quality": dict(QUALITY)}))
        FUZZ.clear()
        QUALITY.clear()


def pytest_runtest_logreport(report):
    for name, figures in report.user_properties:
        if name == "csqa_figures":
            for reader, n in figures["fuzz"].items():
                _FUZZ_SEEN[reader] = _FUZZ_SEEN.get(reader, 0) + n
            _QUALITY_SEEN.update(figures["quality"])


def pytest_terminal_summary(terminalreporter):
    """Fuzz case counts and detector quality measured by the tests, shown after every run."""
    if _FUZZ_SEEN:
        terminalreporter.section("csqa fuzzing")
        terminalreporter.write_line(f"{sum(_FUZZ_SEEN.values())} generated inputs tried through the readers "
                                    "(tests/test_fuzz.py), by reader:")
        terminalreporter.write_line(", ".join(f"{name} {n}" for name, n in sorted(_FUZZ_SEEN.items())))
    if _QUALITY_SEEN:
        terminalreporter.section("csqa detector quality")
        for name, figures in _QUALITY_SEEN.items():
            terminalreporter.write_line(f"{name}: {figures}")
