"""Reports: the demo end to end, parameters as data, failing templates."""

import json
import re

import pandas as pd
import pytest

from csqa.aggregate import effort_rates, kpis
from csqa.cli import main
from csqa.errors import ReportError
from csqa.metrics import build_conversations
from csqa.report import render_report


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    assert main(["demo", "-o", str(out)]) == 0
    return out


def test_demo_writes_html_with_sections_images_and_library_values(demo):
    html = (demo / "overview.html").read_text(encoding="utf-8")
    for heading in ("Headline figures", "By channel", "By queue", "Weekly trend",
                    "SLA what-if", "Conversations behind the figures", "Customer effort",
                    "Who transfers to whom", "Repeats behind the figures"):
        assert heading in html
    assert len(re.findall(r'<img[^>]*src="data:image/png;base64,', html)) >= 2
    messages = pd.read_parquet(demo / "messages.parquet")
    overall = kpis(build_conversations(messages)).iloc[0]
    assert f"{overall.first_response_s_median:,.1f}" in html
    assert f"{overall.first_response_s_p90:,.1f}" in html
    rates = effort_rates(build_conversations(messages)).iloc[0]
    assert f"{rates.transfer_rate:.1%}" in html and f"{rates.repeat_rate:.1%}" in html
    assert "def " not in html and "import pandas" not in html  # code hidden
    assert (demo / "overview.ipynb").exists()


def test_parameters_are_data_not_code(tmp_path):
    nb = {"cells": [
        {"cell_type": "code", "id": "p", "metadata": {"tags": ["parameters"]}, "source": "value = 1",
         "outputs": [], "execution_count": None},
        {"cell_type": "code", "id": "b", "metadata": {}, "source": "print(repr(value))", "outputs": [],
         "execution_count": None}],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5}
    template = tmp_path / "t.ipynb"
    template.write_text(json.dumps(nb))
    evil = '"; import os; os.system("echo pwned") #'
    written = render_report(template, tmp_path / "out", {"value": evil})
    executed = json.loads(written["ipynb"].read_text())
    assert "".join(executed["cells"][2]["outputs"][0]["text"]).strip() == repr(evil)
    with pytest.raises(ReportError, match="must be a str, number"):
        render_report(template, tmp_path / "out", {"value": object()})
    with pytest.raises(ReportError, match="not a valid identifier"):
        render_report(template, tmp_path / "out", {"a b": 1})


def test_failing_cell_raises_report_error_naming_the_cell(tmp_path):
    nb = {"cells": [
        {"cell_type": "code", "id": "p", "metadata": {"tags": ["parameters"]}, "source": "x = 1", "outputs": [],
         "execution_count": None},
        {"cell_type": "code", "id": "b", "metadata": {}, "source": "1 / 0", "outputs": [], "execution_count": None}],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5}
    template = tmp_path / "bad.ipynb"
    template.write_text(json.dumps(nb))
    with pytest.raises(ReportError, match=r"cell 2 failed: .*ZeroDivisionError"):
        render_report(template, tmp_path / "out")
    assert not (tmp_path / "out" / "bad.html").exists()
    with pytest.raises(ReportError, match="no report template 'nope'"):
        render_report("nope", tmp_path / "out")
