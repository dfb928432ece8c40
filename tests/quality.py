"""Figures measured by the tests, printed in the pytest summary (see conftest).

QUALITY: detector quality (precision/recall) by detector. FUZZ: fuzz cases tried by reader.
"""

QUALITY: dict[str, str] = {}
FUZZ: dict[str, int] = {}
