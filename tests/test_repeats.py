"""Repeat explanation and re-asked information: hand-labelled set (en/fa/ar) and the sample."""

from __future__ import annotations

import pandas as pd
import pytest

from csqa.metrics import RepeatRule, build_conversations, reasked_info, repeat_candidates, repeats
from csqa.text.entities import similarity_text
from csqa.text.normalize import normalize_text
from tests.conftest import ROOT, make_messages
from tests.labelled_effort import CONVERSATIONS, labelled_messages
from tests.quality import QUALITY


def precision_recall(flagged: pd.Series, truth: pd.Series) -> tuple[float, float]:
    tp = int((flagged & truth).sum())
    return tp / max(int(flagged.sum()), 1), tp / max(int(truth.sum()), 1)


def test_labelled_set_precision_recall_and_pointers():
    messages, labels = labelled_messages()
    found = repeat_candidates(messages).merge(labels, on=["conversation_id", "message_id"])
    truth = found["is_repeat_y"]
    precision, recall = precision_recall(found["is_repeat_x"], truth)
    QUALITY["repeats, hand-labelled en/fa/ar"] = (
        f"precision {precision:.2f}, recall {recall:.2f} on {len(found)} customer messages "
        f"({int(truth.sum())} repeats) in {len(CONVERSATIONS)} conversations")
    assert precision >= 0.9 and recall >= 0.9
    hits = found[found["is_repeat_x"] & truth]
    assert (hits["repeat_of_x"].astype(str) == hits["repeat_of_y"]).all()


def test_hard_negatives_are_not_flagged():
    messages, _ = labelled_messages()
    flagged = set(repeats(messages)["message_id"])
    for mid in ("en-transfer-paraphrase:7", "fa-transfer-cue:8",        # thanking twice
                "en-number-new-info:2", "ar-number-new-info:2",         # order number again + new info
                "en-again-new-topic:2", "fa-again-new-order:2"):        # "again" about something new
        assert mid not in flagged


def test_repeat_rows_carry_cue_signal_and_transfer_context():
    messages, _ = labelled_messages()
    r = repeats(messages).set_index("message_id")
    row = r.loc["fa-transfer-cue:4"]
    assert row["repeat_of"] == "fa-transfer-cue:1" and row["cue"] == "قبلا به همکارتون گفتم"
    assert row["cue_strength"] == "strong" and row["after_transfer"]
    assert r.loc["en-transfer-paraphrase:4", "signal"] == "after_transfer"
    assert r.loc["en-resend-ignored:1", "similarity"] == pytest.approx(1.0)
    assert not r.loc["en-cue-same-agent:2", "after_transfer"]


def test_reasked_info_labelled():
    messages, labels = labelled_messages()
    found = set(reasked_info(messages)["message_id"])
    truth = set(labels.loc[labels["reask"].fillna(False).astype(bool), "message_id"])
    QUALITY["re-asked information, hand-labelled"] = f"{len(found & truth)}/{len(truth)} found, " \
                                                     f"{len(found - truth)} false alarms"
    assert found == truth
    r = reasked_info(messages).set_index("message_id")
    assert r.loc["fa-transfer-cue:5", "asked"] == "order"                  # Persian digits given
    assert r.loc["fa-transfer-cue:5", "given_message_id"] == "fa-transfer-cue:1"
    assert r.loc["ar-transfer-cue-reask:5", "after_transfer"]               # Arabic digits given
    assert r.loc["en-reask-email-phone:3", "asked"] == "email"
    assert r.loc["en-reask-email-phone:4", "asked"] == "phone"


def test_conversation_columns_from_labelled_set():
    messages, labels = labelled_messages()
    conv = build_conversations(messages).set_index("conversation_id")
    expected = labels.groupby("conversation_id")["is_repeat"].sum()
    assert (conv["n_repeats"] == expected.reindex(conv.index)).all()
    assert conv["has_repeat"].equals(conv["n_repeats"] > 0)
    assert not conv.loc["ar-email-weak-cue", "reasked_info"]   # asked, but never given before
    assert conv.loc["fa-transfer-cue", "reasked_info"]


def test_short_messages_and_first_messages_are_never_repeats():
    m = make_messages([
        ("c1", "10:00:00", "customer", "message", {"text": "ok"}),
        ("c1", "10:01:00", "customer", "message", {"text": "ok"}),
        ("c1", "10:02:00", "customer", "message", {"text": "My card was charged twice yesterday"}),
        ("c2", "10:00:00", "customer", "message", {"text": "My card was charged twice yesterday"}),
    ])
    c = repeat_candidates(m)
    assert not c["is_repeat"].any()
    assert c["repeat_of"].isna().all()   # no earlier substantive message to restate


def test_a_reply_quoting_the_thread_is_no_repeat():
    first = "The refund for my returned shoes never arrived"
    quoted = f"Any news?\n\nOn Mon, 2 Jun 2025 at 10:00, Acme <help@acme.com> wrote:\n> Checking.\n>> {first}"
    m = make_messages([
        ("c1", "10:00:00", "customer", "message", {"text": first}),
        ("c1", "10:05:00", "agent", "message", {"text": "Checking."}),
        ("c1", "11:00:00", "customer", "message", {"text": quoted}),
        ("c2", "10:00:00", "customer", "message", {"text": first}),
        ("c2", "11:00:00", "customer", "message", {"text": f"Any news?\n> {first}"}),
        ("c3", "10:00:00", "customer", "message", {"text": first}),
        ("c3", "11:00:00", "customer", "message", {"text": f"Any news? {first}"}),
    ])
    assert repeats(m)["message_id"].tolist() == ["c3:1"]  # only the restatement in the customer's own words


def test_pairs_stay_within_conversations_and_lookback():
    text = "The refund for my returned shoes never arrived"
    rows = [("a", f"10:0{i}:00", "customer", "message", {"text": text}) for i in range(4)]
    rows += [("b", "10:00:00", "customer", "message", {"text": text})]
    c = repeat_candidates(make_messages(rows)).set_index("message_id")
    assert c.loc["a:3", "repeat_of"] == "a:0"        # ties: the original statement
    assert pd.isna(c.loc["b:0", "repeat_of"])
    c1 = repeat_candidates(make_messages(rows), rule=RepeatRule(max_lookback=1)).set_index("message_id")
    assert c1.loc["a:3", "repeat_of"] == "a:2"


def test_rule_validation():
    m = make_messages([("c1", "10:00:00", "customer")])
    with pytest.raises(ValueError, match="'threshold' parameter of repeats"):
        RepeatRule(threshold=1.5)
    with pytest.raises(ValueError, match="'min_chars' parameter of repeats"):
        RepeatRule(min_chars=0)
    with pytest.raises(TypeError, match="'rule' parameter of repeats"):
        repeats(m, rule={"threshold": 0.3})


def test_messages_without_text_give_no_repeats():
    m = make_messages([("c1", "10:00:00", "customer"), ("c1", "10:01:00", "customer")])
    assert len(repeats(m)) == 0 and len(reasked_info(m)) == 0


def test_pluggable_vectorizer():
    from sklearn.feature_extraction.text import TfidfVectorizer

    messages, labels = labelled_messages()
    found = repeat_candidates(messages, vectorizer=TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 4)))
    assert found["similarity"].notna().any() and found["similarity"].max() <= 1 + 1e-9


def test_sample_ground_truth_precision_recall():
    from csqa.sample import load_sample

    truth = pd.read_csv(ROOT / "data/sample/truth_repeats.csv")
    conv_truth = pd.read_csv(ROOT / "data/sample/truth_conversations.csv").set_index("conversation_id")
    messages = load_sample()
    found = repeat_candidates(messages)
    is_true = found["message_id"].isin(set(truth["message_id"]))
    precision, recall = precision_recall(found["is_repeat"], is_true)
    hits = found[found["is_repeat"] & is_true].merge(truth, on="message_id", suffixes=("", "_truth"))
    pointer = (hits["repeat_of"].astype(str) == hits["repeat_of_truth"]).mean()
    QUALITY["repeats, generated sample"] = (f"precision {precision:.3f}, recall {recall:.3f} on {len(found)} "
                                            f"customer messages ({int(is_true.sum())} planted); repeat_of right "
                                            f"for {pointer:.1%}")
    assert precision >= 0.9 and recall >= 0.8
    assert pointer >= 0.9
    reasked = set(reasked_info(messages)["conversation_id"])
    planted = set(conv_truth.index[conv_truth["reasked_info"]])
    QUALITY["re-asked information, generated sample"] = (
        f"{len(reasked & planted)}/{len(planted)} conversations found, {len(reasked - planted)} false alarms")
    assert len(reasked & planted) >= 0.9 * len(planted) and len(reasked - planted) <= 0.1 * len(planted)


def test_real_abcd_dialogues_raise_no_false_alarms(shared_data):
    import json

    dialogues = json.loads((shared_data / "conversations/abcd_sample/abcd_sample.json").read_text("utf-8"))
    rows = [{"conversation_id": str(d["convo_id"]), "seq": i, "sender_role": role, "sender_id": role,
             "timestamp": pd.Timestamp("2026-01-01", tz="UTC") + pd.Timedelta(minutes=i), "text": text}
            for d in dialogues for i, (role, text) in enumerate(d["original"]) if role != "action"]
    messages = pd.DataFrame(rows)
    assert len(repeats(messages)) == 0      # nobody restates anything in these three
    assert len(reasked_info(messages)) == 0  # each datum is asked for once


def test_adjacent_courtesy_phrases_leave_nothing_substantive():
    from csqa.metrics.repeats import _substantive

    texts = normalize_text(pd.Series([
        "thanks thank you so much", "ممنون لطفا خیلی ممنونم", "thanks, my parcel never arrived at all",
        "thanksgiving parcel never came",
    ]))
    assert _substantive(similarity_text(texts), 15).tolist() == [False, False, True, True]
