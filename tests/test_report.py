"""Reports: every template on the sample, KPIs equal to the library's, RTL/Persian PDF, parameters,
failures, escaping, exports and the CLI."""

import html as html_lib
import json
import re

import pandas as pd
import pytest

from csqa.cli import main
from csqa.errors import ReportError
from csqa.metrics import agent_scorecards, transfer_flow, transfers
from csqa.notebook import html_table, kpi_display, load_report_data
from csqa.report import TEMPLATES, check_parameters, render_report, template_parameters
from csqa.summary import headline_kpis, problem_scores

DEMO = {"timezone": "Asia/Tehran", "period": "last-28-days", "now": "data", "week_start": 5}


def _images(page: str) -> int:
    return len(re.findall(r'<img[^>]*src="data:image/png;base64,', page))


def _cells(page: str) -> list[str]:
    return [html_lib.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", page)]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    assert main(["demo", "-o", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def data(demo):
    return load_report_data(str(demo / "messages.parquet"),
                            conversations_path=str(demo / "conversations.parquet"), **DEMO)


def test_overview_has_its_sections_images_transcripts_and_the_librarys_kpis(demo, data):
    page = (demo / "overview.html").read_text(encoding="utf-8")
    assert '<html lang="en" dir="ltr">' in page
    for heading in ("Headline figures", "Conversations behind each figure", "Weekly trends",
                    "Demand by weekday and hour", "By channel", "By queue", "SLA what-if", "Customer sentiment",
                    "Automation and surveys", "Survey scores", "Conversations behind the figures"):
        assert f">{heading}" in page, heading
    assert _images(page) >= 5
    assert "import " not in page and "show_table(" not in page  # code hidden
    # every headline value is the one headline_kpis gives on the same period
    expected = kpi_display(headline_kpis(data.current, data.previous, sla_target_s=3600))
    rows = re.findall(r"<tr>(.*?)</tr>", page.split(">Headline figures")[1].split("</table>")[0])
    shown = [_cells(r) for r in rows if "<td" in r]
    assert shown == expected.astype(str).values.tolist()
    assert len(data.current) > 700 and data.previous is not None
    # the worst conversations' transcripts, in the order problem_scores gives
    for conversation in problem_scores(data.current, limit=3)["conversation_id"]:
        assert f"Transcript of {conversation}" in page


def test_period_is_the_last_28_whole_days_and_the_previous_28(data):
    last = data.messages["timestamp"].max().tz_convert("Asia/Tehran").normalize() + pd.Timedelta(days=1)
    assert data.end == last.tz_convert("UTC")
    assert data.end - data.start == pd.Timedelta(days=28) == data.previous_end - data.previous_start
    assert data.current["started_at"].between(data.start, data.end, inclusive="left").all()


def test_exports_have_one_row_per_conversation_and_per_agent(demo, data):
    conversations = pd.read_csv(demo / "conversations.csv", encoding="utf-8-sig")
    assert len(conversations) == len(data.conversations) == 2000
    assert list(conversations.columns) == list(data.conversations.columns)
    agents = pd.read_csv(demo / "agents.csv", encoding="utf-8-sig")
    assert agents["agent_id"].tolist() == agent_scorecards(data.messages, conversations=data.conversations)[
        "agent_id"].tolist()


@pytest.fixture(scope="module")
def persian(demo, tmp_path_factory):
    pytest.importorskip("weasyprint", exc_type=ImportError)
    out = tmp_path_factory.mktemp("fa")
    code = main(["report", "overview", "--messages", str(demo / "messages.parquet"), "--language", "fa",
                 "--timezone", "Asia/Tehran", "--period", "last-28-days", "--now", "data", "--week-start", "5",
                 "--pdf", "-o", str(out)])
    assert code == 0
    return out


def test_persian_overview_is_right_to_left_with_jalali_dates_and_a_pdf(persian):
    page = (persian / "overview.html").read_text(encoding="utf-8")
    assert '<html lang="fa" dir="rtl">' in page
    assert "شاخص‌های اصلی" in page and "گفتگوهای پشت این اعداد" in page  # ZWNJ kept
    assert re.search(r"\u20661405-0[78]-\d\d\u2069", page)  # Jalali dates, isolated left-to-right
    assert _images(page) >= 5
    pdfium = pytest.importorskip("pypdfium2")
    pdf = pdfium.PdfDocument(persian / "overview.pdf")
    assert len(pdf) >= 4
    first = pdf[0].get_textpage().get_text_range()
    assert "گزارش کلی کیفیت پشتیبانی" in first
    assert "بیپاسخ" in first.replace("\u200c", "")  # a table cell (text extraction drops ZWNJ)
    image = pdf[1].render(scale=1).to_pil()  # the trend charts page renders
    assert image.size[0] > 500 and image.convert("L").getextrema()[0] < 100  # dark ink on white


def test_agents_report_in_arabic_has_one_section_per_agent(demo, data, tmp_path):
    written = render_report("agents", tmp_path, {"messages_path": str(demo / "messages.parquet"),
                                                 "language": "ar", **DEMO})
    page = written["html"].read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in page and "مقارنة الفريق" in page
    cards = agent_scorecards(data.current_messages, conversations=data.current)
    for agent in cards["agent_id"]:
        assert f"الموظف {agent}" in page
    team = page.split("مقارنة الفريق")[1].split("</table>")[0]
    rows = [_cells(r) for r in re.findall(r"<tr>(.*?)</tr>", team) if "<td" in r]
    assert [(r[0], int(r[1])) for r in rows] == list(zip(cards["agent_id"], cards["conversations"], strict=True))
    assert _images(page) == 1


def test_effort_report_shows_flows_and_repeat_pairs_from_the_library(demo, data, tmp_path):
    written = render_report("effort", tmp_path, {"messages_path": str(demo / "messages.parquet"), **DEMO})
    page = written["html"].read_text(encoding="utf-8")
    for heading in ("Effort rates", "Transfers: who passes to whom", "Customers re-explaining",
                    "Requests for a human", "Tone mismatches"):
        assert heading in page
    flow = transfer_flow(transfers(data.current_messages))
    cells = _cells(page)
    top = flow.iloc[0]
    assert [top.from_queue, top.to_queue, f"{top.n_transfers:,}", f"{top.share * 100:.1f}%"] in [
        cells[i:i + 4] for i in range(len(cells))]
    assert _images(page) == 1


def test_transcript_text_is_escaped_never_run(demo, tmp_path):
    messages = pd.read_parquet(demo / "messages.parquet")
    data = load_report_data(str(demo / "messages.parquet"), **DEMO)
    worst = problem_scores(data.current, limit=1)["conversation_id"][0]
    rows = messages.index[(messages.conversation_id == worst) & (messages.sender_role == "agent")]
    messages.loc[rows[0], "text"] += ' <script>alert("x")</script> <img src=x onerror=alert(1)>'
    path = tmp_path / "messages.parquet"
    messages.to_parquet(path)
    page = render_report("overview", tmp_path / "out", {"messages_path": str(path), **DEMO})["html"].read_text()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert f"Transcript of {worst}" in page
    assert '&lt;script&gt;alert("x")&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;' in page


def test_every_template_declares_checked_parameters():
    for name in TEMPLATES:
        spec = template_parameters(name)
        assert spec["language"]["choices"] == ["en", "ar", "fa"]
        assert all("type" in s for s in spec.values()), name
    spec = template_parameters("overview")
    with pytest.raises(ReportError, match=r"unknown report parameter\(s\) \['colour'\]"):
        check_parameters(spec, {"colour": "red"})
    with pytest.raises(ReportError, match="'language' must be one of"):
        check_parameters(spec, {"language": "de"})
    with pytest.raises(ReportError, match="'top_n' must be a int; got '5'"):
        check_parameters(spec, {"top_n": "5"})
    with pytest.raises(ReportError, match="'top_n' must be a int; got True"):
        check_parameters(spec, {"top_n": True})
    with pytest.raises(ReportError, match="'sla_targets_s' must be at least 1; got -5"):
        check_parameters(spec, {"sla_targets_s": [60, -5]})
    with pytest.raises(ReportError, match="'week_start' must be at most 6"):
        check_parameters(spec, {"week_start": 7})
    assert check_parameters(spec, {"sla_target_s": 60, "title": None}) == {"sla_target_s": 60.0, "title": None}


def _notebook(tmp_path, *sources, default='""'):
    cells = [{"cell_type": "code", "id": "p", "metadata": {"tags": ["parameters"]}, "source": f"value = {default}",
              "outputs": [], "execution_count": None}]
    cells += [{"cell_type": "code", "id": f"c{i}", "metadata": {}, "source": s, "outputs": [],
               "execution_count": None} for i, s in enumerate(sources)]
    nb = {"cells": cells, "nbformat": 4, "nbformat_minor": 5,
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}}
    path = tmp_path / "t.ipynb"
    path.write_text(json.dumps(nb))
    return path


def test_parameters_are_data_not_code(tmp_path):
    template = _notebook(tmp_path, "print(repr(value))")
    evil = '"; import os; os.system("echo pwned") #'
    written = render_report(template, tmp_path / "out", {"value": evil})
    executed = json.loads(written["ipynb"].read_text())
    assert "".join(executed["cells"][2]["outputs"][0]["text"]).strip() == repr(evil)
    with pytest.raises(ReportError, match="must be a str"):
        render_report(template, tmp_path / "out", {"value": 3})
    listed = _notebook(tmp_path, "print(value)", default="[]")
    with pytest.raises(ReportError, match="may hold only plain values"):
        render_report(listed, tmp_path / "out", {"value": [{"a": 1}]})


def test_failing_cell_raises_report_error_naming_the_cell_and_writes_nothing(tmp_path):
    template = _notebook(tmp_path, "x = 1", "1 / 0")
    with pytest.raises(ReportError, match=r"code cell 4 \('1 / 0'\) failed: ZeroDivisionError: division by zero"):
        render_report(template, tmp_path / "out")
    assert not (tmp_path / "out" / "t.html").exists()
    with pytest.raises(ReportError, match="no report template 'nope'"):
        render_report("nope", tmp_path / "out")


def test_cli_report_exit_codes(demo, tmp_path, capsys):
    messages = str(demo / "messages.parquet")
    assert main(["report", "overview", "--messages", messages, "-p", "top_n", "0", "-o", str(tmp_path)]) == 1
    assert "'top_n' must be at least 1; got 0" in capsys.readouterr().err
    assert main(["report", "effort", "--messages", messages, "--period", "fortnight", "-o", str(tmp_path)]) == 1
    assert "report period must be one of" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.html"))


def test_html_table_escapes_and_formats():
    table = pd.DataFrame({"text": ["<b>x</b>", "سلام"], "n": [1234, 5], "rate": [0.125, None], "ok": [True, False]})
    markup = html_table(table, percent=["rate"])
    assert "&lt;b&gt;x&lt;/b&gt;" in markup and "<b>" not in markup
    assert _cells(markup) == ["<b>x</b>", "1,234", "12.5%", "✓", "سلام", "5", "–", "✗"]
    assert '<th class="num">n</th>' in markup
