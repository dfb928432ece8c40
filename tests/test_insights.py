"""Readability, surveys and CSAT drivers, availability and Erlang C, complaint themes, agent scorecards."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from csqa.calendars import Calendar
from csqa.metrics import (
    agent_readability,
    agent_scorecards,
    agents_needed,
    average_speed_of_answer,
    build_conversations,
    complaint_themes,
    csat_drivers,
    erlang_c,
    readability,
    response_by_hour,
    service_level,
    staffing,
    survey_answers,
    survey_summary,
    surveys,
    theme_trend,
    volume_heatmap,
)
from csqa.metrics.readability import score_readability
from csqa.sample import generate_sample, load_sample
from tests.conftest import make_messages
from tests.quality import QUALITY


def say(cid, when, role, text, **extra):
    return (cid, when, role, "message", {"text": text, **extra})


# --- readability -----------------------------------------------------------------------------

def test_readability_counts_by_hand_in_three_languages():
    texts = pd.Series([
        "Done! Your refund is on its way.",  # 7 words, 2 sentences, no long word
        "Please be advised that your aforementioned request has been forwarded to the relevant department.",
        "احتراماً به استحضار می‌رساند درخواست جنابعالی به واحد مربوطه ارجاع گردید.",
        "طلبك في الطريق، يوصلك بكرة.",
        "نحيطكم علماً بأنه سيتم تحويل طلبكم إلى الجهة المختصة.",
        "",
    ])
    r = score_readability(texts)
    assert r["n_words"].tolist() == [7, 14, 11, 5, 9, 0]
    assert r["n_sentences"].tolist() == [2, 1, 1, 1, 1, 0]
    # advised, aforementioned, request, forwarded, relevant, department
    assert r["n_long_words"].tolist()[:2] == [0, 6]
    # please be advised, aforementioned, has been forwarded, relevant department
    # احتراما, به استحضار, واحد مربوطه, ارجاع گردید; نحيطكم علما, سيتم, الجهة المختصة
    assert r["n_formal"].tolist() == [0, 4, 4, 0, 3, 0]
    assert r["readability"].iloc[0] == pytest.approx(3.5)
    assert r["readability"].iloc[1] == pytest.approx(14 + 100 * 6 / 14 + 15 * 4)
    assert r["hard_to_read"].tolist() == [False, True, True, False, True, False]
    assert np.isnan(r["readability"].iloc[5])


def test_agent_readability_ranks_the_bureaucratic_agent_last():
    m = make_messages([
        say("c1", "10:00:00", "agent", "Fixed it, you're all set.", sender_id="plain"),
        say("c1", "10:01:00", "agent", "With reference to your enquiry, kindly note that the matter has been "
            "escalated in accordance with our procedures.", sender_id="formal"),
        say("c1", "10:02:00", "customer", "Please be advised that I am annoyed.", sender_id="u"),
    ])
    per_agent = agent_readability(m).set_index("sender_id")
    assert list(per_agent.index) == ["formal", "plain"]  # customers are not scored
    assert per_agent.loc["formal", "readability"] > 55 > per_agent.loc["plain", "readability"]
    assert len(readability(m, roles=["customer"])) == 1
    with pytest.raises(ValueError, match="'roles' parameter of readability"):
        readability(m, roles=["robot"])


# --- surveys --------------------------------------------------------------------------------

def rating(cid, when, text):
    return (cid, when, "customer", "event", {"event": "rating", "text": text})


def test_survey_answers_read_every_scale_and_keep_what_they_cannot_read():
    m = make_messages([rating("c1", "10:00:00", "5"), rating("c2", "10:00:00", "۲"), rating("c3", "10:00:00", "good"),
                       rating("c4", "10:00:00", "bad_with_comment"), rating("c5", "10:00:00", "102"),
                       rating("c6", "10:00:00", "-101"), rating("c7", "10:00:00", "NPS: 9"),
                       rating("c8", "10:00:00", "nps=٦"), rating("c9", "10:00:00", "ces: 6"),
                       rating("c10", "10:00:00", "11"), rating("c11", "10:00:00", "nps: 12")])
    a = survey_answers(m).set_index("conversation_id").loc[[f"c{k}" for k in range(1, 12)]]
    assert a["survey"].tolist() == ["csat"] * 6 + ["nps", "nps", "ces", "csat", "nps"]
    assert a["score"].tolist()[:2] == [5.0, 2.0] and a.loc["c7", "score"] == 9.0 and a.loc["c8", "score"] == 6.0
    assert a["satisfied"].tolist()[:6] == [True, False, True, False, True, False]
    assert a.loc["c10", "problem"] == "expected a CSAT score 1-5, 'good' or 'bad'; found '11'"
    assert a.loc["c11", "problem"].startswith("expected an NPS score 0-10")
    assert (a["problem"] == "").sum() == 9


def test_survey_columns_summary_and_follow_up():
    m = make_messages([
        say("c1", "10:00:00", "customer", "hi"), rating("c1", "10:05:00", "2"), rating("c1", "10:06:00", "nps: 3"),
        say("c1", "10:30:00", "agent", "Sorry to read that, can we call you?"),
        say("c2", "10:00:00", "customer", "hi"), rating("c2", "10:05:00", "5"), rating("c2", "10:06:00", "nps: 10"),
        say("c3", "10:00:00", "customer", "hi"), rating("c3", "10:05:00", "bad"), rating("c3", "10:06:00", "ces: 2"),
        say("c4", "10:00:00", "customer", "hi"),
    ])
    s = surveys(m).set_index("conversation_id")
    assert s["csat"].tolist()[:2] == [2.0, 5.0] and np.isnan(s.loc["c3", "csat"])
    assert s["csat_satisfied"].tolist() == [False, True, False, pd.NA]
    assert s["nps_group"].astype(object).tolist()[:2] == ["detractor", "promoter"]
    assert s["survey_answered"].tolist() == [True, True, True, False]
    assert s["low_score_followed_up"].tolist() == [True, pd.NA, False, pd.NA]
    conv = build_conversations(m, effort=False, sentiment=False, automation=False)
    summary = survey_summary(conv).iloc[0]
    assert summary["csat_n"] == 3 and summary["csat_coverage"] == 0.75
    assert summary["csat_satisfied_rate"] == pytest.approx(1 / 3) and summary["csat_mean"] == 3.5
    assert summary["nps"] == 0.0 and summary["promoters"] == 1 and summary["detractors"] == 1  # 50% - 50%
    assert summary["ces_mean"] == 2.0 and summary["low_score_followed_up_rate"] == 0.5


def test_csat_drivers_means_intervals_and_differences_by_hand():
    conv = pd.DataFrame({"n_transfers": [0, 0, 0, 1, 1, 2, 0], "csat": [5.0, 4.0, 3.0, 2.0, 4.0, 1.0, np.nan],
                         "has_repeat": [False, False, True, True, False, True, True]})
    d = csat_drivers(conv).set_index(["driver", "level"])
    assert d.loc[("transfers", "0"), "n"] == 3 and d.loc[("transfers", "0"), "mean"] == 4.0
    # t interval: 4 +- t(0.975, 2) * 1/sqrt(3)
    assert d.loc[("transfers", "0"), "ci_high"] == pytest.approx(4 + 4.302653 / np.sqrt(3), rel=1e-5)
    assert d.loc[("transfers", "1"), "diff"] == -1.0 and d.loc[("transfers", "2+"), "n"] == 1
    assert np.isnan(d.loc[("transfers", "0"), "diff_low"])  # the reference level
    assert d.loc[("has_repeat", "yes"), "mean"] == 2.0 and d.loc[("has_repeat", "no"), "mean"] == pytest.approx(13 / 3)
    # Welch interval of the difference (yes - no): both groups n=3, sd 1 and 0.577
    var_yes, var_no = 1.0 / 3, (1 / 3) / 3
    se = np.sqrt(var_yes + var_no)
    dof = se**4 / (var_yes**2 / 2 + var_no**2 / 2)
    assert d.loc[("has_repeat", "yes"), "diff_high"] - d.loc[("has_repeat", "yes"), "diff"] == pytest.approx(
        stats.t.ppf(0.975, dof) * se)
    with pytest.raises(ValueError, match="'outcome' parameter of csat_drivers"):
        csat_drivers(conv, outcome="happiness")


# --- availability and Erlang C ------------------------------------------------------------------

def test_erlang_c_against_published_worked_examples():
    # Call Centre Helper, "Erlang C formula - made simple": 100 calls per 30 minutes, AHT 180 s,
    # 80% answered in 20 s. Traffic 10 Erlangs; with 11 agents P(wait) = 0.6821 and SL = 39%;
    # 12 agents 64%, 13 agents 79.6%, 14 agents 88.8%: 14 agents needed.
    assert erlang_c(10.0, 11) == pytest.approx(0.6821, abs=5e-5)
    sl = [service_level(10.0, n, target_s=20, handle_time_s=180) for n in (11, 12, 13, 14)]
    assert np.round(sl, 3).tolist() == [0.39, 0.64, 0.796, 0.888]
    assert agents_needed(200, 180, target_s=20, service_level=0.8) == 14
    # erlang.com, "The Erlang-C formula": 360 calls per half hour, 240 s, 55 agents, 15 s target:
    # 48 Erlangs, P(wait) 0.2387, ASA 8.18 s, service level 84.6%
    assert erlang_c(48.0, 55) == pytest.approx(0.2387, abs=5e-5)
    assert average_speed_of_answer(48.0, 55, handle_time_s=240) == pytest.approx(8.18, abs=0.005)
    assert service_level(48.0, 55, target_s=15, handle_time_s=240) == pytest.approx(0.846, abs=5e-4)
    # overloaded: everyone waits, the queue grows
    assert erlang_c(10.0, 10) == 1.0 and service_level(10.0, 9, target_s=20, handle_time_s=180) == 0.0
    assert agents_needed([0.0, 200.0], 180, target_s=20).tolist() == [0, 14]


def test_heatmap_response_by_hour_and_outside_hours_in_local_time():
    m = make_messages([
        say("c1", "2026-03-02 05:30:00", "customer", "hi"), say("c1", "2026-03-02 05:31:00", "agent", "hello"),
        say("c2", "2026-03-02 05:45:00", "customer", "hi"), say("c2", "2026-03-02 05:48:00", "agent", "hello"),
        say("c3", "2026-03-05 17:10:00", "customer", "hi"),  # Thursday 20:40 in Tehran: closed
    ])
    cal = Calendar.weekly("08:00-17:00", weekend=["fri"], timezone="Asia/Tehran")
    conv = build_conversations(m, calendar=cal, effort=False, sentiment=False, automation=False, surveys=False)
    assert conv["outside_hours"].tolist() == [False, False, True]
    heat = volume_heatmap(conv, timezone="Asia/Tehran")  # 05:30 UTC is 09:00 in Tehran
    assert heat.loc["Mon", 9] == 2 and heat.loc["Thu", 20] == 1 and heat.to_numpy().sum() == 3
    by_hour = response_by_hour(conv, timezone="Asia/Tehran").set_index("hour")
    assert by_hour.loc[9, "conversations"] == 2 and by_hour.loc[9, "first_response_s_median"] == 120.0
    assert by_hour.loc[20, "unanswered"] == 1 and by_hour.loc[3, "conversations"] == 0


def test_staffing_arrivals_active_agents_and_needed_agents():
    rows = []
    for week, day in enumerate(["2026-03-02", "2026-03-09"]):  # two Mondays
        for k in range(6 if week == 0 else 2):  # 6 then 2 arrivals at 09:xx: 4 per hour on average
            cid = f"w{week}c{k}"
            rows += [say(cid, f"{day} 09:{k * 5:02d}:00", "customer", "hi"),
                     say(cid, f"{day} 09:{k * 5 + 2:02d}:00", "agent", "ok", sender_id=f"a{k % 2}")]
    plan = staffing(make_messages(rows), target_s=60, service_level=0.8, handle_time_s=600).set_index(
        ["weekday", "hour"])
    slot = plan.loc[("Mon", 9)]
    assert slot["weeks"] == 2 and slot["arrivals_per_hour"] == 4.0 and slot["agents_active"] == 2.0
    assert slot["traffic"] == pytest.approx(4 / 3600 * 600)
    # by hand: A = 2/3 Erlang; 2 agents: B = 0.1176, C = 0.1667, SL = 1 - C e^(-4/30) = 0.854 >= 0.8
    assert slot["agents_needed"] == agents_needed(4.0, 600, target_s=60, service_level=0.8) == 2
    assert service_level(2 / 3, 2, target_s=60, handle_time_s=600) == pytest.approx(0.8541, abs=1e-4)
    assert slot["gap"] == 0.0
    assert plan.loc[("Tue", 9), "arrivals_per_hour"] == 0.0 and len(plan) == 168
    # chat agents handling two conversations at once need half the heads
    doubled = staffing(make_messages(rows), handle_time_s=600, concurrency=2).set_index(["weekday", "hour"])
    assert doubled.loc[("Mon", 9), "agents_needed"] == 1
    with pytest.raises(ValueError, match="'handle_time_s' parameter of staffing"):
        staffing(make_messages(rows), handle_time_s=-5)


# --- themes and scorecards -----------------------------------------------------------------------

def test_complaint_themes_recover_the_sample_topics_deterministically():
    messages = load_sample()
    found = complaint_themes(messages, n_themes=20, seed=0)
    again = complaint_themes(messages, n_themes=20, seed=0)
    pd.testing.assert_frame_equal(found.themes, again.themes)
    _, truth, _ = generate_sample(2000, seed=7)
    j = found.assignments.merge(truth[["conversation_id", "topic", "language"]], on="conversation_id",
                                suffixes=("", "_truth"))
    assert (j["language"] == j["language_truth"]).mean() > 0.99
    table = pd.crosstab(j["theme"], j["topic"] + "/" + j["language_truth"])
    purity = table.max(axis=1).sum() / table.to_numpy().sum()
    QUALITY["complaint themes, sample (20 themes)"] = f"purity {purity:.3f} over {len(j)} openings"
    assert purity >= 0.75
    assert set(found.themes["language"]) == {"en", "ar", "fa"}
    assert found.themes["n_conversations"].sum() == len(found.assignments)
    trend = theme_trend(found.assignments, period="week")
    assert trend.to_numpy().sum() == found.assignments["theme"].notna().sum() and len(trend) >= 10


def test_agent_scorecards_by_hand():
    m = make_messages([
        ("c1", "09:59:00", "system", "event", {"event": "assign", "assignee_id": "ana"}),
        say("c1", "10:00:00", "customer", "My parcel 123-45678 never arrived", sender_id="u1"),
        say("c1", "10:02:00", "agent", "Checking now", sender_id="ana"),
        ("c1", "10:03:00", "system", "event", {"event": "transfer", "assignee_id": "bob"}),
        say("c1", "10:04:00", "customer", "As I said, the parcel never arrived", sender_id="u1"),
        say("c1", "10:05:00", "agent", "Sent a new one", sender_id="bob"),
        rating("c1", "10:10:00", "5"),
        say("c2", "11:00:00", "customer", "refund please", sender_id="u2"),
        say("c2", "11:10:00", "agent", "Done", sender_id="bob"),
        rating("c2", "11:20:00", "2"),
    ])
    cards = agent_scorecards(m).set_index("agent_id")
    assert cards["conversations"].to_dict() == {"ana": 1, "bob": 2}
    assert cards.loc["ana", "first_response_median_s"] == 120.0 and cards.loc["bob", "first_response_median_s"] == 600.0
    assert cards.loc["bob", "response_median_s"] == 330.0  # 60 s and 600 s
    assert cards["transfers_out"].to_dict() == {"ana": 1, "bob": 0}
    assert cards["repeats_after"].to_dict() == {"ana": 1, "bob": 0}
    assert cards.loc["bob", "csat_mean"] == 3.5 and cards.loc["bob", "csat_n"] == 2 and cards.loc["ana", "csat_n"] == 0
    assert cards["canned_share"].tolist() == [0.0, 0.0]
