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


def test_ci_runs_the_readme_test_command():
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = 'python3 -m venv .venv && .venv/bin/pip install -e ".[dev]" && .venv/bin/python -m pytest -n auto'
    assert command in readme
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_quickstart_notebook_runs(tmp_path):
    from csqa.report import render_report
    from tests.conftest import ROOT

    written = render_report(ROOT / "notebooks" / "quickstart.ipynb", tmp_path)
    html = written["html"].read_text(encoding="utf-8")
    assert "read 18365 rows: loaded 18365, rejected 0" in html
