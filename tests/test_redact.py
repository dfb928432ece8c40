"""Redaction of personal data: each covered type in en/ar/fa and its hard negatives, the labelled
set's recall and precision, and hostile text through ingest -> metrics -> report -> CSV."""

import re

import pandas as pd
import pytest

from csqa.cli import main
from csqa.text.redact import iban_valid, luhn_valid, national_id_valid, redact, redact_text
from tests.labelled_pii import labelled_pii
from tests.quality import QUALITY

CASES = [
    ("شماره من ۰۹۱۲۱۲۳۴۵۶۷ است", "شماره من [PHONE] است"),
    ("call +98 912 345 6789 or 021-88776655", "call [PHONE] or [PHONE]"),
    ("رقمي ٠٥٠١٢٣٤٥٦٧ أو +966 50 123 4567", "رقمي [PHONE] أو [PHONE]"),
    ("(415) 555-0134 / 415-555-0134 / +1 (415) 555-0134", "[PHONE] / [PHONE] / [PHONE]"),
    ("mail SARA.k+shop@Example.co.uk!", "mail [EMAIL]!"),
    ("کارت ۶۰۳۷-۹۹۷۵-۹۹۱۸-۵۲۶۲ بود", "کارت [CARD] بود"),            # Luhn-valid
    ("card 4111111111111111", "card [CARD]"),
    ("شبا IR06 2960 0000 0010 0324 2000 01", "شبا [IBAN]"),
    ("شبا ۰۶۲۹۶۰۰۰۰۰۰۰۱۰۰۳۲۴۲۰۰۰۰۱", "شبا [IBAN]"),               # bare Sheba digits
    ("IBAN GB82 WEST 1234 5698 7654 32 please", "IBAN [IBAN] please"),
    ("کد ملی ۰۰۸۴۵۷۵۹۴۸ و ۰۰۸-۴۵۷۵۹۴-۸", "کد ملی [NATIONAL_ID] و [NATIONAL_ID]"),
]
KEPT = [
    "order 4111111111111112 (fails Luhn)", "سفارش ۱۲۳۴۵۶۷۸ هنوز نرسیده", "paid 1,250,000 on 2026-03-01 at 14:30",
    "کد ملی ۲۷۴۱۹۵۳۳۶۹", "tracking IRR123456789", "تاریخ ۱۴۰۳/۰۵/۱۲ ساعت ۱۴:۳۰", "IBAN GB82 WEST 1234 5698 7654 33",
    "user@localhost is not an address", "version 2.10.4", "می‌خواهم سفارش ۹۸۷۶۵ را لغو کنم",
]


def test_each_covered_type_is_masked_readably_and_hard_negatives_stay():
    assert redact_text(pd.Series([c for c, _ in CASES])).tolist() == [e for _, e in CASES]
    assert redact_text(pd.Series(KEPT)).tolist() == KEPT


def test_checksums():
    assert luhn_valid("6037 9975 9918 5262") and not luhn_valid("6037 9975 9918 5264")
    assert not luhn_valid("0000 0000 0000 0000")
    assert iban_valid("GB82 WEST 1234 5698 7654 32") and not iban_valid("GB82 WEST 1234 5698 7654 33")
    assert national_id_valid("۰۰۸۴۵۷۵۹۴۸") and not national_id_valid("0000000000")


def test_redact_returns_a_copy_and_takes_named_patterns():
    messages = pd.DataFrame({"text": ["سفارش ORD-55120 و ایمیل a@b.io", None], "sender_id": ["a@b.io", "u2"]})
    out = redact(messages, patterns={"order": r"ORD-\d+"})
    assert out["text"].tolist()[0] == "سفارش [ORDER] و ایمیل [EMAIL]" and pd.isna(out["text"][1])
    assert messages["text"][0] == "سفارش ORD-55120 و ایمیل a@b.io"  # the original is never changed
    assert out["sender_id"].tolist() == ["a@b.io", "u2"]                # only the columns asked for
    assert redact(messages, columns=["sender_id"])["sender_id"][0] == "[EMAIL]"
    assert redact_text(pd.Series(["a@b.io 09121234567"]), kinds=["phone"]).tolist() == ["a@b.io [PHONE]"]
    with pytest.raises(ValueError, match=r"unknown kinds of personal data \['ssn'\]"):
        redact_text(pd.Series(["x"]), kinds=["ssn"])
    with pytest.raises(ValueError, match="'bad' is not a valid regular expression"):
        redact_text(pd.Series(["x"]), patterns={"bad": "("})


def test_recall_and_precision_on_the_labelled_set():
    rows = labelled_pii()
    out = redact_text(pd.Series([r["text"] for r in rows]))
    found = missed = masks = right_kind = 0
    for row, text in zip(rows, out, strict=True):
        masks += len(re.findall(r"\[(?:EMAIL|CARD|IBAN|PHONE|NATIONAL_ID)\]", text))
        for value, kind in row["entities"]:
            if value in text:
                missed += 1
            else:
                found += 1
                right_kind += f"[{kind.upper()}]" in text
    recall, precision = found / (found + missed), found / masks
    QUALITY["redaction, labelled set (1,500 messages en/ar/fa)"] = (
        f"recall {recall:.3f} ({found}/{found + missed}), precision {precision:.3f} ({found}/{masks} masks), "
        f"right type {right_kind / found:.3f}")
    assert recall >= 0.99 and precision >= 0.95


def test_hostile_message_is_neutralised_from_ingest_to_report_and_csv(tmp_path):
    from csqa.sample import load_sample
    from csqa.summary import problem_scores

    messages = load_sample()
    from csqa.metrics import build_conversations

    worst = problem_scores(build_conversations(messages), limit=1)["conversation_id"][0]
    rows = messages.index[(messages.conversation_id == worst) & (messages.sender_role == "agent")]
    evil = ('=HYPERLINK("http://evil.example","click") <script>alert(1)</script> '
            "card 6037 9975 9918 5262, phone ۰۹۱۲۱۲۳۴۵۶۷, sara@example.com, کد ملی ۰۰۸۴۵۷۵۹۴۸")
    messages.loc[rows[0], "text"] = evil
    messages.loc[messages.conversation_id == worst, "customer_id"] = "=cmd|' /C calc'!A0"
    source = tmp_path / "export.csv"
    messages.to_csv(source, index=False)
    assert main(["ingest", str(source), "-o", str(tmp_path / "m.parquet")]) == 0
    assert main(["export", str(tmp_path / "m.parquet"), "-o", str(tmp_path / "out")]) == 0
    assert main(["report", "overview", "--messages", str(tmp_path / "m.parquet"), "-o", str(tmp_path / "out")]) == 0
    page = (tmp_path / "out" / "overview.html").read_text(encoding="utf-8")
    assert f"Transcript of {worst}" in page
    for leaked in ("<script>alert", "6037 9975", "۰۹۱۲۱۲۳۴۵۶۷", "sara@example.com", "۰۰۸۴۵۷۵۹۴۸"):
        assert leaked not in page, leaked
    assert "[CARD], phone [PHONE], [EMAIL], کد ملی [NATIONAL_ID]" in page and "&lt;script&gt;" in page
    exported = pd.read_csv(tmp_path / "out" / "conversations.csv", encoding="utf-8-sig")
    assert exported.loc[exported.conversation_id == worst, "customer_id"].tolist() == ["'=cmd|' /C calc'!A0"]
    assert not exported.map(lambda v: isinstance(v, str) and v[:1] in "=+-@").to_numpy().any()
    # --no-redact keeps the text as it was, still escaped
    assert main(["report", "overview", "--messages", str(tmp_path / "m.parquet"), "--no-redact",
                 "-o", str(tmp_path / "raw")]) == 0
    raw = (tmp_path / "raw" / "overview.html").read_text(encoding="utf-8")
    assert "sara@example.com" in raw and "<script>alert" not in raw
