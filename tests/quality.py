"""Detector quality figures measured by the tests, printed in the pytest summary (see conftest)."""

QUALITY: dict[str, str] = {}
