"""Packaging promises: a light import, explicit public API, doctests."""

import subprocess
import sys

import csqa


def test_import_is_light_and_headless():
    code = ("import sys, csqa; heavy = [m for m in ('matplotlib', 'matplotlib.pyplot', 'sklearn', "
            "'nltk', 'pandas') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_public_api_resolves():
    for name in csqa.__all__:
        assert getattr(csqa, name) is not None
    assert csqa.read_messages.__module__ == "csqa.ingest.generic"
