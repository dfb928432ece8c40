import numpy as np
import pandas as pd
import pytest

from csqa.aggregate import agent_kpis, kpis
from csqa.metrics.sla import breach_rates, sla_breaches


@pytest.fixture
def conv():
    return pd.DataFrame({
        "conversation_id": ["a", "b", "c", "d", "e"],
        "started_at": pd.to_datetime(["2026-03-02 20:00", "2026-03-02 21:00", "2026-03-03 09:00",
                                      "2026-03-09 09:00", "2026-03-09 10:00"], utc=True),
        "channel": ["chat", "chat", "email", "email", "chat"],
        "answered": [True, True, True, False, False],
        "n_turns": [1, 2, 1, 1, 0],
        "first_response_s": [30.0, 120.0, 7200.0, np.nan, np.nan],
    })


def test_breach_flags_per_channel_unanswered_and_no_wait(conv):
    out = sla_breaches(conv, {"chat": 60, "email": 3600})
    # e had no customer turn (agent-started, never answered by the customer): no flag
    assert out["sla_breached"].tolist() == [False, True, True, True, pd.NA]
    excluded = sla_breaches(conv, {"chat": 60, "email": 3600}, unanswered="exclude")
    assert excluded["sla_breached"].tolist() == [False, True, True, pd.NA, pd.NA]
    assert "sla_breached" not in conv.columns  # input untouched


def test_breach_rate_what_if(conv):
    rates = breach_rates(conv, [60, 3600, 12 * 3600], by="channel")
    chat = rates[rates.channel == "chat"]
    assert chat["n_breached"].tolist() == [1, 0, 0] and chat["n"].tolist() == [2, 2, 2]
    email = rates[rates.channel == "email"]
    assert email["breach_rate"].tolist() == [1.0, 1.0, 0.5]


def test_sla_parameter_errors(conv):
    with pytest.raises(ValueError, match="'unanswered' parameter of sla_breaches"):
        sla_breaches(conv, 60, unanswered="ignore")
    with pytest.raises(ValueError, match="'frt' which is not a column|names 'frt'"):
        sla_breaches(conv, 60, metric="frt")


def test_kpis_overall_by_channel_and_period(conv):
    overall = kpis(conv, metrics=["first_response_s"]).iloc[0]
    assert (overall.conversations, overall.answered, overall.unanswered) == (5, 3, 1)
    assert overall.first_response_s_median == 120.0
    assert overall.first_response_s_mean == pytest.approx((30 + 120 + 7200) / 3)
    assert overall.first_response_s_p90 == pytest.approx(120 + 0.8 * (7200 - 120))
    assert overall.first_response_s_n == 3
    weekly = kpis(conv, period="week", metrics=["first_response_s"])
    assert weekly["period"].astype(str).tolist() == ["2026-03-02", "2026-03-09"]
    assert weekly["conversations"].tolist() == [3, 2]
    # 2026-03-02 21:00 UTC is already 3 March in Tehran
    daily = kpis(conv, period="day", timezone="Asia/Tehran", metrics=["first_response_s"])
    assert daily["period"].astype(str).tolist() == ["2026-03-02", "2026-03-03", "2026-03-09"]
    assert daily["conversations"].tolist() == [1, 2, 2]
    with pytest.raises(ValueError, match="'period' parameter of kpis"):
        kpis(conv, period="fortnight")


def test_agent_kpis():
    turns = pd.DataFrame({"responder_id": ["x", "x", "x", "y", None],
                          "response_s": [10.0, 20.0, 60.0, 5.0, np.nan]})
    out = agent_kpis(turns).set_index("responder_id")
    assert out.loc["x", "replies"] == 3 and out.loc["x", "response_s_median"] == 20.0
    assert out.loc["x", "response_s_p90"] == pytest.approx(20 + 0.8 * 40)


def test_breach_flags_per_turn_from_response_times():
    from csqa.metrics import response_times
    from tests.conftest import make_messages

    m = make_messages([
        ("c1", "10:00:00", "customer", "message", {"channel": "chat"}), ("c1", "10:00:50", "agent"),
        ("c1", "10:01:00", "customer"), ("c1", "10:03:00", "agent"),
        ("c1", "10:04:00", "customer"),
    ])
    turns = sla_breaches(response_times(m), {"chat": 60}, metric="response_s")
    assert turns["sla_breached"].tolist() == [False, True, True]  # 50 s, 120 s, never answered


def test_effort_rates_by_group_against_hand_counts():
    from csqa.aggregate import effort_rates

    conv = pd.DataFrame({
        "queue": ["a", "a", "a", "b"], "transferred": [True, True, False, False], "n_transfers": [1, 3, 0, 0],
        "ping_pong": [False, True, False, False], "has_repeat": [True, False, True, False],
        "reasked_info": [True, False, False, False],
        "repeat_contact": pd.array([None, True, False, False], dtype="boolean"),
        "fcr": pd.array([None, False, True, True], dtype="boolean"),
    })
    rates = effort_rates(conv, by="queue").set_index("queue")
    a = rates.loc["a"]
    assert a["conversations"] == 3 and a["transferred"] == 2
    assert a["transfer_rate"] == pytest.approx(2 / 3) and a["multi_transfer_rate"] == pytest.approx(1 / 3)
    assert a["repeat_rate"] == pytest.approx(2 / 3) and a["repeat_rate_transferred"] == 0.5
    assert a["repeat_rate_not_transferred"] == 1.0 and a["reasked_rate"] == pytest.approx(1 / 3)
    assert a["repeat_contact_rate"] == 0.5 and a["repeat_contact_n"] == 2
    assert a["fcr_rate"] == 0.5 and a["fcr_n"] == 2
    assert rates.loc["b", "fcr_rate"] == 1.0 and np.isnan(rates.loc["b", "repeat_rate_transferred"])
    with pytest.raises(ValueError, match="'by' parameter of effort_rates"):
        effort_rates(conv, by="team")
