"""Canned and context-blind replies, requests for a human, bot containment, upsells (en/ar/fa)."""

import numpy as np
import pandas as pd
import pytest

from csqa.metrics import automation, canned_replies, context_blind, human_requests, templates, upsells
from tests.conftest import make_messages


def say(cid, when, role, text, **extra):
    return (cid, when, role, "message", {"text": text, **extra})


def test_canned_replies_cluster_near_identical_messages_across_conversations():
    greeting = {"c1": "Hi Sara, thanks for reaching out. Let me check that order for you.",
                "c2": "Hi Omid, thanks for reaching out. Let me check that order for you.",
                "c3": "Hi Layla, thanks for reaching out! Let me check that order for you.",
                "c4": "Hello, I looked at the courier's scan history and the van broke down."}
    fa = "سلام، ممنون که پیام دادید. الان سفارش {} رو بررسی می‌کنم."  # the number differs: still one template
    ar = "أهلاً، شكراً لتواصلك. خلني أتحقق من الطلب لك."
    rows = []
    for k, (cid, text) in enumerate(greeting.items()):
        rows += [say(cid, "10:00:00", "customer", "where is my parcel?"), say(cid, "10:01:00", "agent", text),
                 say(cid, "10:02:00", "agent", fa.format(100 + k) if k < 3 else "یک پاسخ کاملا متفاوت و شخصی"),
                 say(cid, "10:03:00", "bot", ar if k != 1 else "رد مختلف تماماً عن كل ما سبق")]
    found = canned_replies(make_messages(rows))
    groups = found.groupby("template")["message_id"].apply(sorted).tolist()
    assert sorted(groups) == sorted([["c1:1", "c2:1", "c3:1"], ["c1:2", "c2:2", "c3:2"], ["c1:3", "c3:3", "c4:3"]])
    summary = templates(found).set_index("template")
    assert summary["n_conversations"].tolist() == [3, 3, 3]
    assert sorted(summary["bot_share"].tolist()) == [0.0, 0.0, 1.0]
    # two conversations are not enough for a template with the default min_conversations=3
    two = make_messages([r for r in rows if r[0] in ("c1", "c2")])
    assert canned_replies(two).empty
    assert len(canned_replies(two, min_conversations=2)) == 4  # the bot's replies differ
    with pytest.raises(ValueError, match="'similarity' parameter of canned_replies"):
        canned_replies(two, similarity=1.5)


@pytest.mark.parametrize("opening, generic, blind", [
    ("My order 245-12784 arrived broken, the screen is cracked", "Hi! How can I help you today?", True),
    ("سفارش ۲۴۵-۱۲۷۸۴ شکسته رسیده، صفحه‌اش ترک خورده", "سلام! چطور می‌تونم کمکتون کنم؟", True),
    ("طلبي رقم ٢٤٥-١٢٧٨٤ وصل مكسور والشاشة مشقوقة", "أهلاً! كيف أقدر أساعدك اليوم؟", True),
    # hard negatives: nothing described yet; a closing question is not a generic opener
    ("hi", "Hi! How can I help you today?", False),
    ("سلام وقت بخیر", "سلام! چطور می‌تونم کمکتون کنم؟", False),
    ("My order 245-12784 arrived broken, the screen is cracked", "Is there anything else I can help you with?", False),
])
def test_context_blind_is_a_generic_opener_after_the_issue(opening, generic, blind):
    m = make_messages([say("c1", "10:00:00", "customer", opening), say("c1", "10:00:02", "bot", generic)])
    found = context_blind(m)
    assert found["message_id"].tolist() == (["c1:1"] if blind else [])
    if blind:
        assert found["customer_message_id"].tolist() == ["c1:0"]


@pytest.mark.parametrize("text, asks", [
    ("I want to talk to a human", True), ("Can I speak to a real person?", True), ("agent please!", True),
    ("می‌خوام با اپراتور صحبت کنم", True), ("میخوام با اپراتور صحبت کنم", True), ("می خوام با اپراتور صحبت کنم", True),
    ("لطفا منو به یه کارشناس واقعی وصل کنید", True), ("اريد التحدث مع موظف", True), ("ممكن أكلم موظف حقيقي؟", True),
    ("ما أبي روبوت، حولني على موظف", True),
    # hard negatives: a mention of a person is not a request for one
    ("The agent told me the refund was sent", False), ("I spoke to a person yesterday about it", False),
    ("اپراتور گفت فردا می‌رسه", False), ("الموظف قال لي إن الطلب بيوصل بكرة", False),
])
def test_requests_for_a_human_in_three_languages(text, asks):
    m = make_messages([say("c1", "10:00:00", "customer", text)])
    assert len(human_requests(m)) == int(asks)


def test_request_met_time_to_human_and_bot_containment():
    m = make_messages([
        # c1: asks the bot for a human; handoff; an agent answers 95 s after the request
        say("c1", "10:00:00", "customer", "my parcel is lost"), say("c1", "10:00:02", "bot", "How can I help you?"),
        say("c1", "10:00:20", "customer", "talk to a human please"),
        ("c1", "10:00:30", "system", "event", {"event": "handoff"}),
        say("c1", "10:01:55", "agent", "Hi, Sam here", sender_id="sam"),
        # c2: asks, only the bot ever answers
        say("c2", "11:00:00", "customer", "اريد التحدث مع موظف"), say("c2", "11:00:02", "bot", "كيف يمكنني مساعدتك؟"),
        # c3: the bot answers, the customer thanks, closed: contained
        say("c3", "12:00:00", "customer", "ساعت کاری آخر هفته؟"), say("c3", "12:00:02", "bot", "هر روز ۸ تا ۲۰"),
        say("c3", "12:00:30", "customer", "ممنون"), ("c3", "12:01:30", "bot", "event", {"event": "close"}),
        # c4: the bot answered but the customer's question was left hanging: not contained
        say("c4", "13:00:00", "customer", "what time do you open?"), say("c4", "13:00:02", "bot", "From 8:00."),
        say("c4", "13:00:40", "customer", "and on Fridays?"),
        # c5: no bot at all
        say("c5", "14:00:00", "customer", "hello, my order is late"), say("c5", "14:01:00", "agent", "checking"),
    ])
    requests = human_requests(m)
    assert requests[["conversation_id", "met", "to_bot"]].values.tolist() == [["c1", True, True], ["c2", False, False]]
    assert requests["time_to_human_s"].iloc[0] == 95.0 and np.isnan(requests["time_to_human_s"].iloc[1])
    t = automation(m).set_index("conversation_id")
    assert t["human_requested"].tolist() == [True, True, False, False, False]
    assert t["human_request_met"].tolist() == [True, False, pd.NA, pd.NA, pd.NA]
    assert t["bot_handled"].tolist() == [True, True, True, True, False]
    assert t["bot_contained"].tolist() == [False, False, True, False, False]
    assert t["bot_escaped"].tolist() == [True, False, False, False, False]
    # a generic opener in answer to a request for a human ignores what was said, too
    assert t["context_blind"].tolist() == [True, True, False, False, False]


@pytest.mark.parametrize("lang, angry, offer, thanks, ask", [
    ("en", "This is terrible, I've been waiting for ages!", "Upgrade to premium with our special offer: 20% off!",
     "Great, that worked, thank you so much!", "Do you have any promo code for me?"),
    ("fa", "خیلی افتضاحه، چند ساعته منتظرم و هیچکس جواب نمیده!", "با پیشنهاد ویژه این هفته اشتراک طلایی با ۲۰ درصد تخفیف!",
     "عالی بود، مشکل حل شد، خیلی ممنون!", "کد تخفیف ندارید؟"),
    ("ar", "خدمة سيئة جداً، صار لي ساعات أنتظر!", "عندنا عرض خاص: ترقية الى الباقة المميزة بخصم ٢٠٪!",
     "ممتاز، انحلت المشكلة، شكراً جزيلاً!", "عندكم كود خصم؟"),
])
def test_upsells_to_unhappy_customers_and_the_hard_negatives(lang, angry, offer, thanks, ask):
    m = make_messages([
        say("angry", "10:00:00", "customer", angry), say("angry", "10:00:30", "agent", offer),
        say("open", "10:00:00", "customer", "my order 123-45678 has not arrived"), say("open", "10:00:30", "agent", offer),
        # hard negatives: after a close; after the customer is happy; the customer asked for a deal
        say("closed", "10:00:00", "customer", angry), say("closed", "10:01:00", "agent", "fixed"),
        ("closed", "10:02:00", "agent", "event", {"event": "close"}), say("closed", "10:02:30", "agent", offer),
        say("happy", "10:00:00", "customer", thanks), say("happy", "10:00:30", "agent", offer),
        say("asked", "10:00:00", "customer", ask), say("asked", "10:00:30", "agent", offer),
    ])
    found = upsells(m).set_index("conversation_id")
    assert len(found) == 5
    assert found["to_unhappy"].to_dict() == {"angry": True, "asked": False, "closed": False, "happy": False,
                                             "open": True}
    assert found.loc["angry", "reason"] == "negative" and found.loc["open", "reason"] == "unresolved"
    assert found.loc["asked", "asked_for"] and found.loc["closed", "resolved_before"]
    assert automation(m).set_index("conversation_id")["upsell_to_unhappy"].sum() == 2


def test_automation_columns_on_an_empty_table_and_no_text():
    m = make_messages([("c1", "10:00:00", "customer", "message", {"text": None}),
                       ("c1", "10:01:00", "agent", "message", {"text": "ok"})])
    t = automation(m)
    assert t["n_canned"].tolist() == [0] and t["canned_share"].tolist() == [0.0]
    assert not t["context_blind"].any() and not t["human_requested"].any()


def test_every_planted_automation_failure_is_recovered_on_the_bundled_sample():
    from csqa.metrics import agent_readability, build_conversations
    from csqa.sample import FORMAL_AGENTS, generate_sample, load_sample

    messages = load_sample()
    _, truth, _ = generate_sample(2000, seed=7)
    c = build_conversations(messages).merge(truth, on="conversation_id", suffixes=("", "_truth"))
    for detected, planted in (("human_requested", "human_requested_truth"), ("upsell_to_unhappy", "upsell_unhappy")):
        assert c[planted].sum() > 50, planted  # non-trivial
        assert (c[detected] == c[planted]).all(), detected
    met = c[c["human_requested_truth"]]
    assert (met["human_request_met"].astype(bool) == met["human_request_met_truth"].astype(bool)).all()
    contained = c["bot_only"] & ~c["human_requested_truth"]
    assert contained.sum() > 100 and (c["bot_contained"] == contained).all()
    assert (c["bot_escaped"] == (c["bot"] & ~c["bot_only"])).all()
    # every bot greeting follows the customer's description of the problem: context-blind
    assert (c["context_blind"] == (c["bot"] & (c["topic"] != "faq"))).all()
    # canned replies: exact per conversation for most, never fewer than planted
    assert (c["n_canned"] >= c["n_canned_truth"]).all() and (c["n_canned"] == c["n_canned_truth"]).mean() > 0.8
    assert 0.8 < c["canned_share"].mean() < 0.99
    per_agent = agent_readability(messages).set_index("sender_id")["readability"]
    assert set(per_agent.nlargest(2).index) == set(FORMAL_AGENTS)
    assert per_agent.drop(list(FORMAL_AGENTS)).max() < 30 < 45 < per_agent[list(FORMAL_AGENTS)].min()
    for survey, column in (("nps", "nps_score"), ("ces", "ces")):
        assert truth[survey].notna().sum() > 100
        assert (c[column].fillna(-1) == c[survey].fillna(-1)).all()
