"""The pieces reports are built from: periods, headline KPIs, problem ranking, transcripts,
languages and Jalali dates, charts and exports -- each against values worked out by hand."""

import json
from importlib import resources

import numpy as np
import pandas as pd
import pytest

from csqa.export import conversation_export, safe_for_spreadsheets, write_csv
from csqa.i18n import LANGUAGES, direction, format_dates, strings, to_jalali, tr, weekday_names
from csqa.summary import (
    headline_kpis,
    ids_behind,
    in_window,
    previous_window,
    problem_scores,
    report_window,
    transcript,
    week_period,
)

UTC = "UTC"


def ts(text, tz=UTC):
    return pd.Timestamp(text, tz=tz)


# --- periods -----------------------------------------------------------------------------------

def test_last_week_starts_on_the_chosen_day_in_the_local_zone():
    now = ts("2026-11-19 02:00")  # Thursday 05:30 in Tehran
    start, end = report_window("last-week", now=now, timezone="Asia/Tehran", week_start=5)
    # the last whole Saturday-Friday week before Thursday 19 Nov: Sat 7 Nov .. Fri 13 Nov, Tehran midnight
    assert (start, end) == (ts("2026-11-07", "Asia/Tehran"), ts("2026-11-14", "Asia/Tehran"))
    assert start.tz == end.tz and str(start.tz) == "UTC"
    monday = report_window("last-week", now=ts("2026-11-16 09:00"))  # on a Monday: the week before
    assert monday == (ts("2026-11-09"), ts("2026-11-16"))


def test_other_periods_and_overrides():
    now = ts("2026-03-10 12:00")
    assert report_window("last-day", now=now) == (ts("2026-03-09"), ts("2026-03-10"))
    assert report_window("last-month", now=now) == (ts("2026-02-01"), ts("2026-03-01"))
    assert report_window("last-month", now=ts("2026-01-05")) == (ts("2025-12-01"), ts("2026-01-01"))
    assert report_window("last-14-days", now=now) == (ts("2026-02-24"), ts("2026-03-10"))
    assert report_window("all", now=now) == (None, None)
    assert report_window("all", since="2026-01-01", timezone="Asia/Tehran") == (ts("2025-12-31 20:30"), None)
    assert report_window("last-day", until="2026-03-09 18:00", now=now) == (ts("2026-03-09"), ts("2026-03-09 18:00"))
    with pytest.raises(ValueError, match="report period must be one of"):
        report_window("fortnight")
    with pytest.raises(ValueError, match="the report period is empty"):
        report_window("all", since="2026-03-02", until="2026-03-01")
    assert previous_window(ts("2026-03-09"), ts("2026-03-16")) == (ts("2026-03-02"), ts("2026-03-09"))
    assert previous_window(None, ts("2026-03-16")) == (None, None)
    assert [week_period(d) for d in (0, 5, 6)] == ["W-SUN", "W-FRI", "W-SAT"]


def test_in_window_is_half_open():
    table = pd.DataFrame({"started_at": [ts("2026-03-01"), ts("2026-03-02"), ts("2026-03-03")]})
    assert len(in_window(table, ts("2026-03-01"), ts("2026-03-03"))) == 2
    assert len(in_window(table, None, None)) == 3


# --- headline KPIs -----------------------------------------------------------------------------

def _conversations(**columns):
    n = len(next(iter(columns.values())))
    base = {
        "conversation_id": [f"c{i}" for i in range(n)], "n_turns": [1] * n, "answered": [True] * n,
        "first_response_s": [60.0] * n, "median_response_s": [60.0] * n, "resolution_s": [3600.0] * n,
        "transferred": [False] * n, "n_transfers": [0] * n, "ping_pong": [False] * n, "has_repeat": [False] * n,
        "n_repeats": [0] * n, "reasked_info": [False] * n,
        "repeat_contact": pd.array([False] * n, dtype="boolean"), "fcr": pd.array([True] * n, dtype="boolean"),
    }
    base.update(columns)
    return pd.DataFrame(base)


def test_headline_kpis_against_hand_computed_values():
    current = _conversations(
        n_turns=[1, 1, 1, 1, 0],                     # the last: agent-started, nobody waited
        answered=[True, True, True, False, False],
        first_response_s=[60.0, 120.0, 7200.0, None, None],
        median_response_s=[30.0, 90.0, 600.0, None, None],
        resolution_s=[3600.0, 7200.0, 10800.0, None, None],
        transferred=[False, True, True, False, False], n_transfers=[0, 1, 2, 0, 0],
        has_repeat=[False, True, False, False, False],
        fcr=pd.array([True, False, None, None, True], dtype="boolean"),
        csat_satisfied=pd.array([True, False, None, None, None], dtype="boolean"),
        nps_group=pd.Categorical(["promoter", "promoter", "detractor", None, "passive"]),
        sentiment_last=[0.5, -0.5, -0.05, None, 0.2],
    )
    previous = _conversations(first_response_s=[30.0, 90.0], csat_satisfied=pd.array([True, True], dtype="boolean"),
                              nps_group=pd.Categorical(["promoter", "promoter"]), sentiment_last=[0.1, 0.3])
    k = headline_kpis(current, previous, sla_target_s=3600).set_index("key")
    expected = {
        "conversations": (5, 2, 5),
        "unanswered_rate": (25.0, 0.0, 4),            # 1 of the 4 that waited
        "first_response_median": (2.0, 1.0, 3),       # median(60, 120, 7200) s = 2 min; before median(30, 90)
        "first_response_p90": (np.quantile([60, 120, 7200], 0.9) / 60, np.quantile([30, 90], 0.9) / 60, 3),
        "reply_time_median": (1.5, 1.0, 3),
        "resolution_median": (2.0, 1.0, 3),
        "sla_breach_rate": (50.0, 0.0, 4),            # 7200 s > 1 h, and the unanswered one
        "transfer_rate": (40.0, 0.0, 5),
        "repeat_rate": (20.0, 0.0, 5),
        "fcr_rate": (200 / 3, 100.0, 3),
        "csat": (50.0, 100.0, 2),
        "nps": (25.0, 100.0, 4),                      # 2 promoters, 1 detractor of 4 answers
        "sentiment": (np.mean([0.5, -0.5, -0.05, 0.2]), 0.2, 4),
        "negative_end": (50.0, 0.0, 4),               # -0.5 and -0.05 (the label threshold) of 4
    }
    assert list(k.index) == list(expected)
    for key, (now, before, n) in expected.items():
        assert k.loc[key, "current"] == pytest.approx(now), key
        assert k.loc[key, "previous"] == pytest.approx(before), key
        assert k.loc[key, "change"] == pytest.approx(now - before), key
        assert k.loc[key, "n"] == n, key
    assert k.loc["sla_breach_rate", "measure"] == "First response over 1 h (%)"
    alone = headline_kpis(current, language="fa").set_index("key")
    assert alone["previous"].isna().all() and alone.loc["transfer_rate", "measure"] == "ارجاع‌شده (٪)"
    assert "csat" not in headline_kpis(current.drop(columns=["csat_satisfied"]))["key"].tolist()


def test_problem_scores_rank_the_worst_first_with_their_problems():
    c = _conversations(
        n_turns=[1, 1, 1, 1], answered=[True, False, True, True], first_response_s=[60.0, None, 5000.0, 90.0],
        n_transfers=[0, 0, 2, 0], n_repeats=[0, 0, 1, 0], transferred=[False, False, True, False],
        sentiment_last=[0.3, None, -0.4, 0.1],
        csat_satisfied=pd.array([None, None, False, True], dtype="boolean"),
    )
    ranked = problem_scores(c, slow_s=3600)
    # c2: slow 1 + transfers 2 + repeat 1 + negative 1 + low CSAT 1 = 6; c1 unanswered = 3
    assert ranked["conversation_id"].tolist() == ["c2", "c1", "c3", "c0"]  # ties: the slower first
    assert ranked["problem_score"].tolist() == [6, 3, 0, 0]
    assert ranked["problems"][0] == "slow first response, transferred, re-explained, ended negative, low CSAT"
    assert problem_scores(c, slow_s=3600, limit=1, language="ar")["problems"].tolist() == [
        "رد أول بطيء, محوّلة, أعاد الشرح, انتهت سلبية, رضا منخفض"]
    assert ids_behind(c, [True, True, False, True], limit=2) == "c0, c1 (+1)"


def test_transcript_shows_events_notes_and_local_jalali_times_without_touching_text():
    rows = pd.DataFrame({
        "conversation_id": ["c1"] * 4 + ["c2"], "message_id": list("abcde"), "seq": [0, 1, 2, 3, 0],
        "timestamp": pd.to_datetime(["2026-03-21 08:00", "2026-03-21 08:01", "2026-03-21 08:02", "2026-03-21 08:03",
                                     "2026-03-21 09:00"], utc=True),
        "sender_role": ["customer", "agent", "system", "agent", "customer"],
        "sender_id": ["u1", "a1", None, "a2", "u2"], "kind": ["message", "note", "event", "message", "message"],
        "event": [None, None, "transfer", None, None], "assignee_id": [None, None, "a2", None, None],
        "text": ["سلام، سفارشم نرسید", "check the courier", None, "x" * 700, "other"],
    })
    shown = transcript(rows, "c1", timezone="Asia/Tehran", language="fa", max_chars=600)
    assert shown["time"].tolist() == ["1405-01-01 11:30", "1405-01-01 11:31", "1405-01-01 11:32", "1405-01-01 11:33"]
    assert shown["who"].tolist() == ["customer u1", "agent a1", "system", "agent a2"]
    assert shown["text"].tolist()[:3] == ["سلام، سفارشم نرسید", "check the courier", "[transfer a2]"]
    assert shown["text"][3] == "x" * 600 + " …"
    assert rows["text"][3] == "x" * 700
    assert transcript(rows, "c1")["time"][0] == "2026-03-21 08:00"


# --- languages and dates -----------------------------------------------------------------------

def test_every_report_string_exists_in_all_three_languages_with_the_same_placeholders():
    import string

    for key, entry in strings().items():
        assert set(entry) == set(LANGUAGES), key
        fields = {lang: {f for _, f, _, _ in string.Formatter().parse(text) if f} for lang, text in entry.items()}
        assert fields["ar"] == fields["en"] == fields["fa"], key
    assert tr("transcript", "fa", conversation="T1") == "متن گفتگوی T1"
    assert direction("fa") == direction("ar") == "rtl" and direction("en") == "ltr"
    assert weekday_names("fa")[:2] == ["دوشنبه", "سه‌شنبه"] and len(weekday_names("ar")) == 7
    with pytest.raises(ValueError, match=r"report language must be one of \['en', 'ar', 'fa'\]; got 'de'"):
        tr("kpis", "de")


def test_jalali_dates_on_known_days():
    days = pd.Series(pd.to_datetime(["2024-03-20", "2025-03-20", "2025-03-21", "2026-03-21", "2026-11-22",
                                     "2026-12-21", "1979-02-11"]))
    assert to_jalali(days).tolist() == [(1403, 1, 1), (1403, 12, 30), (1404, 1, 1), (1405, 1, 1), (1405, 9, 1),
                                        (1405, 9, 30), (1357, 11, 22)]
    assert format_dates(days[:2], "fa").tolist() == ["1403-01-01", "1403-12-30"]
    assert format_dates(days[:1], "fa", jalali=False).tolist() == ["2024-03-20"]
    assert format_dates(days[:1], "ar").tolist() == ["2024-03-20"]
    with_missing = pd.Series(pd.to_datetime(["2026-03-21", None]))
    assert to_jalali(with_missing).tolist() == [(1405, 1, 1), None]
    assert format_dates(with_missing, "fa").isna().tolist() == [False, True]


def test_jalali_matches_jdatetime_every_day_for_seventy_years():
    jdatetime = pytest.importorskip("jdatetime")
    days = pd.Series(pd.date_range("1990-01-01", "2060-12-31", freq="D"))
    reference = [(j.year, j.month, j.day) for j in (jdatetime.date.fromgregorian(date=d) for d in days.dt.date)]
    assert to_jalali(days).tolist() == reference


# --- charts ------------------------------------------------------------------------------------

def test_plots_return_axes_keep_arabic_script_as_given_and_open_no_pyplot_figures():
    import matplotlib.pyplot as plt

    from csqa import plotting

    before = plt.get_fignums()
    weekly = pd.DataFrame({"week": ["1405-08-03", "1405-08-10"], "a": [60.0, 120.0]})
    ax = plotting.plot_trend(weekly, ["a"], x="week", scale=60, title="اولین پاسخ", ylabel="دقیقه")
    assert ax.get_title() == "اولین پاسخ"  # not reshaped: matplotlib >= 3.11 shapes at draw time
    assert ax.lines[0].get_ydata().tolist() == [1.0, 2.0]
    heat = pd.DataFrame(np.arange(14).reshape(2, 7), index=["Mon", "Tue"])
    ax = plotting.plot_heatmap(heat, row_labels=["دوشنبه", "سه‌شنبه"])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["دوشنبه", "سه‌شنبه"]
    ax = plotting.plot_bars(pd.Series({"agent-1": 3.0, "agent-2": 1.0, "agent-3": None}), reference=2.0)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["agent-2", "agent-1"]
    flow = pd.DataFrame({"from_queue": ["الدعم", "billing"], "to_queue": ["billing", "الدعم"], "n_transfers": [3, 1]})
    ax = plotting.plot_transfer_flow(flow)
    assert sorted(t.get_text() for t in ax.texts) == ["1", "3"]
    ax = plotting.plot_distributions({"start": pd.Series([-0.5, 0.5, np.nan])})
    assert sum(p.get_height() for p in ax.patches) == 2
    ax = plotting.plot_columns(pd.Series([60.0, 120.0], index=[0, 1]), scale=60)
    assert [p.get_height() for p in ax.patches] == [1.0, 2.0]
    ax.figure.savefig(__import__("io").BytesIO(), format="png")  # draws (shapes) without error
    assert plt.get_fignums() == before


def test_the_chart_font_has_every_letter_of_the_arabic_and_persian_report_strings():
    import matplotlib
    from fontTools.ttLib import TTFont

    from csqa.plotting import FONT

    path = matplotlib.font_manager.findfont(FONT, fallback_to_default=False)
    cmap = TTFont(path).getBestCmap()
    text = "".join(e[lang] for e in strings().values() for lang in ("ar", "fa"))
    missing = {ch for ch in text if ch.isalpha() and ord(ch) not in cmap}
    assert not missing


# --- exports -----------------------------------------------------------------------------------

def test_csv_cells_that_would_run_as_formulas_are_neutralised(tmp_path):
    table = pd.DataFrame({
        "text": ["=HYPERLINK(\"http://evil\",\"x\")", "+1+2", "-3", "@SUM(A1)", "\tx", "\rx", "ok = fine", None],
        "agent": pd.Categorical(["=1+1", "a", "a", "a", "a", "a", "a", "a"]),
        "n": [-1, 2, 3, 4, 5, 6, 7, 8],
    })
    path = write_csv(table, tmp_path / "out.csv")
    back = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False)
    assert back["text"].tolist() == ["'=HYPERLINK(\"http://evil\",\"x\")", "'+1+2", "'-3", "'@SUM(A1)", "'\tx",
                                     "'\rx", "ok = fine", ""]
    assert back["agent"][0] == "'=1+1" and back["n"].tolist() == [-1, 2, 3, 4, 5, 6, 7, 8]
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert safe_for_spreadsheets(table)["n"].dtype == table["n"].dtype


def test_conversation_export_writes_times_as_utc_iso():
    conv = pd.DataFrame({"conversation_id": ["c1"], "started_at": [ts("2026-03-21 08:00:05")], "x": [1.5]})
    out = conversation_export(conv)
    assert out["started_at"].tolist() == ["2026-03-21T08:00:05Z"] and out["x"].tolist() == [1.5]


def test_report_strings_are_package_data():
    data = json.loads(resources.files("csqa").joinpath("data/report_strings.json").read_text(encoding="utf-8"))
    assert "overview_title" in data
