"""Vendor export adapters: detection by content, roles, notes, events, row accounting.

Real samples come from ../shared/data (skipped when absent); the fixtures under
tests/fixtures/formats were written by hand from each vendor's documented format,
with the expected values stated here.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from csqa.errors import IngestError
from csqa.ingest import read_messages
from csqa.ingest.sources import SOURCES, sniff
from csqa.ingest.whatsapp import jalali_to_gregorian
from csqa.metrics import build_conversations, response_times, transfers

FIXTURES = Path(__file__).parent / "fixtures" / "formats"


def ingest(*paths, **options) -> pd.DataFrame:
    result = read_messages(list(paths), **options)
    assert result.n_read == result.n_loaded + result.n_rejected
    return result.messages


def rows_of(messages: pd.DataFrame, *columns: str) -> list[tuple]:
    out = messages[list(columns)].astype(object).where(messages[list(columns)].notna(), None)
    return [tuple(r) for r in out.itertuples(index=False)]


# --- detection ---------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("zendesk_audits.json", "zendesk"), ("zendesk_ticket_events.json", "zendesk"),
    ("zendesk_chat.json", "zendesk_chat"), ("telegram_personal_chat.json", "telegram"),
    ("chatwoot_messages.json", "chatwoot"), ("zammad_ticket_history.json", "zammad"),
    ("freshdesk_activities.json", "freshdesk"), ("helpscout_v2.json", "helpscout"),
    ("whatsapp_ar_android.txt", "whatsapp"), ("whatsapp_ar_ios.txt", "whatsapp"),
    ("whatsapp_fa_jalali.txt", "whatsapp"), ("whatsapp_fa_gregorian.txt", "whatsapp"),
])
def test_fixtures_are_recognised_by_content(name, expected, tmp_path):
    renamed = tmp_path / "export.dat"  # the content decides, not the file name
    shutil.copy(FIXTURES / name, renamed)
    assert sniff(renamed) == expected


@pytest.mark.parametrize("relative, expected", [
    ("formats/zendesk_objects/ticket_audit.json", "zendesk"),
    ("formats/zendesk_objects/satisfaction_rating.json", "zendesk"),
    ("formats/zendesk_objects/user.json", "zendesk"),
    ("formats/intercom_openapi/intercom_v2.11_conversation_examples.json", "intercom"),
    ("formats/freshdesk_python_freshdesk/v2/conversations.json", "freshdesk"),
    ("formats/freshdesk_python_freshdesk/v2/ticket_1.json", "freshdesk"),
    ("formats/freshdesk_python_freshdesk/v1/ticket_1.json", "freshdesk"),
    ("formats/helpscout_chatwoot_docs/helpscout_webhook_convo_created_sample.json", "helpscout"),
    ("formats/zammad_docs/07_ticket_articles_list_articles_by_ticket.json", "zammad"),
    ("formats/chat_exports/telegram/chatminer__test_single_export.json", "telegram"),
    ("formats/chat_exports/telegram/chatminer__test_batch_export.json", "telegram"),
    ("formats/chat_exports/whatsapp/chatminer__test_ddmmyy_24hrs.txt", "whatsapp"),
    ("formats/chat_exports/whatsapp/whatstk__pokemon.txt", "whatsapp"),
    ("formats/chat_exports/whatsapp/whatstk__lorem.txt", "whatsapp"),
    ("conversations/twcs_kaggle_sample.csv", "twcs"),
])
def test_real_samples_are_recognised_by_content(shared_data, relative, expected):
    assert sniff(shared_data / relative) == expected


def test_an_unrecognised_file_lists_the_formats_and_the_mapping_way(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("ticket,when,who\n1,2026-01-01,me\n")
    with pytest.raises(IngestError) as err:
        read_messages(path)
    text = str(err.value)
    assert "not a recognised export" in text and "export.csv" in text
    assert all(name in text for name in SOURCES) and "--mapping" in text and "--format" in text


def test_a_forced_format_overrides_detection(tmp_path):
    path = tmp_path / "chat.log"
    shutil.copy(FIXTURES / "whatsapp_fa_gregorian.txt", path)
    assert len(ingest(path, format="whatsapp", agents=["فروشگاه"])) == 2


# --- Zendesk ------------------------------------------------------------------

def test_zendesk_audits_give_messages_notes_and_events():
    m = ingest(FIXTURES / "zendesk_audits.json")
    assert rows_of(m, "timestamp", "sender_role", "sender_id", "kind", "event", "assignee_id", "queue") == [
        (pd.Timestamp("2026-03-02 08:00", tz="UTC"), "customer", "501", "message", None, None, None),
        (pd.Timestamp("2026-03-02 08:00", tz="UTC"), "customer", "501", "event", "assign", None, "71"),
        (pd.Timestamp("2026-03-02 08:20", tz="UTC"), "agent", "601", "note", None, None, None),
        (pd.Timestamp("2026-03-02 08:20", tz="UTC"), "agent", "601", "event", "assign", "601", None),
        (pd.Timestamp("2026-03-02 08:45", tz="UTC"), "agent", "601", "message", None, None, None),
        (pd.Timestamp("2026-03-02 08:45", tz="UTC"), "agent", "601", "event", "status", None, None),
        (pd.Timestamp("2026-03-02 09:10", tz="UTC"), "customer", "501", "message", None, None, None),
        (pd.Timestamp("2026-03-02 09:30", tz="UTC"), "agent", "601", "event", "transfer", "602", "72"),
        (pd.Timestamp("2026-03-02 10:00", tz="UTC"), "agent", "602", "message", None, None, None),
        (pd.Timestamp("2026-03-02 10:00", tz="UTC"), "agent", "602", "event", "close", None, None),
        (pd.Timestamp("2026-03-03 07:00", tz="UTC"), "customer", "501", "message", None, None, None),
        (pd.Timestamp("2026-03-03 07:00", tz="UTC"), "customer", "501", "event", "reopen", None, None),
        (pd.Timestamp("2026-03-03 07:30", tz="UTC"), "agent", "602", "message", None, None, None),
        (pd.Timestamp("2026-03-03 07:30", tz="UTC"), "agent", "602", "event", "close", None, None),
        (pd.Timestamp("2026-03-03 09:00", tz="UTC"), "customer", "501", "event", "rating", None, None),
        (pd.Timestamp("2026-03-07 08:00", tz="UTC"), "system", "-1", "event", "status", None, None),
    ]
    assert m["text"].iloc[0] == "My order 4411 never arrived"
    assert m.loc[m["event"] == "rating", "text"].tolist() == ["good"]
    assert set(m["customer_id"]) == {"501"} and set(m["channel"]) == {"web"}


def test_zendesk_rating_in_both_audits_and_ratings_export_is_one_row(tmp_path):
    path = tmp_path / "ratings.json"
    path.write_text(json.dumps({"satisfaction_ratings": [
        {"id": 77, "ticket_id": 101, "score": "good", "requester_id": 501, "created_at": "2026-03-03T09:00:00Z"},
        {"id": 78, "ticket_id": 102, "score": "offered", "requester_id": 502, "created_at": "2026-03-03T09:00:00Z"}]}))
    m = ingest(FIXTURES / "zendesk_audits.json", path)
    assert (m["event"] == "rating").sum() == 1


def test_zendesk_ticket_metrics_match_what_csqa_computes_from_the_audits():
    m = ingest(FIXTURES / "zendesk_audits.json")
    metric = json.loads((FIXTURES / "zendesk_ticket_metrics.json").read_text())["ticket_metrics"][0]
    conv = build_conversations(m, sentiment=False).iloc[0]
    assert conv["first_response_s"] / 60 == metric["reply_time_in_minutes"]["calendar"]
    assert conv["first_resolution_s"] / 60 == metric["first_resolution_time_in_minutes"]["calendar"]
    assert conv["resolution_s"] / 60 == metric["full_resolution_time_in_minutes"]["calendar"]
    assert conv["n_reopens"] == metric["reopens"]
    assert conv["n_agent_messages"] == metric["replies"]
    assert conv["n_agents"] == metric["assignee_stations"]
    assert conv["n_queues"] == metric["group_stations"]
    assert conv["n_transfers"] == 1


def test_zendesk_incremental_ticket_events_without_users():
    m = ingest(FIXTURES / "zendesk_ticket_events.json")
    assert rows_of(m, "sender_role", "kind", "event", "assignee_id", "text") == [
        ("customer", "message", None, None, "I cannot log in"),
        ("agent", "message", None, None, "A reset link is on its way"),
        ("agent", "event", "close", None, "solved"),
        ("agent", "event", "assign", "601", None),
    ]
    assert m["timestamp"].iloc[0] == pd.Timestamp("2026-03-02 08:00", tz="UTC")
    assert build_conversations(m, sentiment=False)["first_response_s"].tolist() == [600.0]


def test_zendesk_real_audit_sample_and_separate_users_and_ratings(shared_data):
    z = shared_data / "formats" / "zendesk_objects"
    result = read_messages([z / "ticket_audit.json", z / "user.json", z / "satisfaction_rating.json"])
    m = result.messages
    assert result.files["format"].tolist() == ["zendesk"] * 3
    assert result.files["read"].tolist() == [2, 0, 1]  # a users file holds no rows
    ticket = m[m["conversation_id"] == "7"]
    assert rows_of(ticket, "kind", "event", "assignee_id", "queue") == [
        ("message", None, None, None), ("event", "assign", "1276936927", "26425647")]
    assert ticket["text"].iloc[0] == "THIS IS MY FUNCY COMMENT"  # the Notification event is not a row
    rating = m[m["conversation_id"] == "208"]
    assert rows_of(rating, "sender_role", "event", "text", "assignee_id") == [("customer", "rating", "good", "135")]


def test_zendesk_ticket_exports_with_and_without_comments(tmp_path):
    export = {"tickets": [
        {"id": 301, "subject": "Login", "description": "I cannot log in", "requester_id": 1, "submitter_id": 1,
         "created_at": "2026-03-02T08:00:00Z", "via": {"channel": "email"}, "status": "open"},
        {"id": 302, "subject": "Refund", "description": "Refund please", "requester_id": 2, "submitter_id": 2,
         "created_at": "2026-03-02T09:00:00Z", "via": {"channel": "web"}, "comments": [
             {"id": 1, "author_id": 2, "public": True, "body": "Refund please", "created_at": "2026-03-02T09:00:00Z"},
             {"id": 2, "author_id": 9, "public": False, "body": "approve?", "created_at": "2026-03-02T09:05:00Z"},
             {"id": 3, "author_id": 9, "public": True, "body": "Done", "created_at": "2026-03-02T09:30:00Z"}]},
    ], "end_time": 1772438400, "end_of_stream": True}
    path = tmp_path / "tickets.json"
    path.write_text(json.dumps(export))
    m = ingest(path)
    assert rows_of(m, "conversation_id", "sender_role", "kind", "channel", "text") == [
        ("301", "customer", "message", "email", "I cannot log in"),  # the description: nothing else describes it
        ("302", "customer", "message", "web", "Refund please"), ("302", "agent", "note", "web", "approve?"),
        ("302", "agent", "message", "web", "Done")]


def test_zendesk_comment_with_unknown_author_is_rejected_with_its_place(tmp_path):
    path = tmp_path / "audits.json"
    path.write_text(json.dumps({"audits": [{"id": 5, "ticket_id": 9, "created_at": "2026-01-01T00:00:00Z",
                                            "author_id": 3, "events": [
                                                {"id": 51, "type": "Comment", "author_id": 3, "body": "hi"}]}]}))
    result = read_messages(path, errors="collect")
    assert result.n_loaded == 0 and result.n_rejected == 1
    assert result.rejected["reason"].iloc[0].startswith("ticket 9 / audit 5 / event 51: cannot tell who wrote")


def test_zendesk_chat_history_and_its_own_response_times():
    m = ingest(FIXTURES / "zendesk_chat.json")
    assert rows_of(m, "sender_role", "sender_id", "kind", "event") == [
        ("customer", "8.99", "message", None), ("customer", "8.99", "message", None),
        ("agent", "361337", "event", "assign"), ("agent", "361337", "message", None),
        ("customer", "8.99", "message", None), ("agent", "361338", "event", "transfer"),
        ("agent", "361338", "message", None), ("bot", "trigger", "message", None),
        ("customer", "8.99", "event", "rating"), ("customer", "8.99", "event", "rating_comment"),
        ("customer", "8.99", "message", None),
    ]
    assert set(m["queue"]) == {"Sales"} and set(m["channel"]) == {"chat"}
    chat = json.loads((FIXTURES / "zendesk_chat.json").read_text())["chats"][0]
    turns = response_times(m)
    answered = turns.loc[turns["answered"], "response_s"]
    assert round(answered.iloc[0]) == chat["response_time"]["first"]
    assert round(answered.mean(), 2) == chat["response_time"]["avg"]
    assert round(answered.max()) == chat["response_time"]["max"]
    assert transfers(m)[["from_agent", "to_agent"]].values.tolist() == [["361337", "361338"]]


# --- Intercom -------------------------------------------------------------------

def test_intercom_real_examples(shared_data):
    m = ingest(shared_data / "formats" / "intercom_openapi" / "intercom_v2.11_conversation_examples.json")
    by = {cid: g for cid, g in m.groupby("conversation_id")}
    assert rows_of(by["387"], "sender_role", "kind", "text") == [
        ("agent", "message", "this is the message body"), ("customer", "message", "Thanks again :)")]
    assert rows_of(by["388"], "sender_role", "kind") == [("agent", "message"), ("agent", "note")]
    assert rows_of(by["394"], "sender_role", "kind", "event", "text") == [
        ("agent", "message", None, "this is the message body"), ("agent", "message", None, "Goodbye :)"),
        ("agent", "event", "close", "close")]
    assert rows_of(by["395"], "kind", "event") == [("message", None), ("event", "status")]
    assert rows_of(by["405"], "kind", "event", "assignee_id") == [("message", None, None),
                                                                  ("event", "assign", "991267615")]
    assert by["388"]["text"].iloc[1].startswith("An Unordered HTML List\n")  # HTML tags dropped


def test_intercom_team_assignment_customer_comment_and_rating(tmp_path):
    conv = {"type": "conversation", "id": "1", "created_at": 1772438400,
            "source": {"type": "email", "id": "s1", "body": "<p>Hi, refund?</p>",
                       "author": {"type": "user", "id": "u1"}},
            "contacts": {"contacts": [{"type": "contact", "id": "u1"}]},
            "conversation_rating": {"rating": 4, "remark": "ok", "created_at": 1772442000,
                                    "contact": {"id": "u1"}},
            "conversation_parts": {"conversation_parts": [
                {"id": "p1", "part_type": "assignment", "created_at": 1772438460, "body": None,
                 "author": {"type": "bot", "id": "b1"}, "assigned_to": {"type": "team", "id": "t9"}},
                {"id": "p2", "part_type": "comment", "created_at": 1772438700, "body": "<p>Done</p>",
                 "author": {"type": "admin", "id": "a1"}},
                {"id": "p3", "part_type": "close", "created_at": 1772438760, "body": None,
                 "author": {"type": "admin", "id": "a1"}},
                {"id": "p4", "part_type": "open", "created_at": 1772439000, "body": "<p>Not yet</p>",
                 "author": {"type": "user", "id": "u1"}},
            ]}}
    path = tmp_path / "conversations.json"
    path.write_text(json.dumps({"type": "conversation.list", "conversations": [conv]}))
    m = ingest(path)
    assert rows_of(m, "sender_role", "kind", "event", "queue", "text") == [
        ("customer", "message", None, None, "Hi, refund?"), ("bot", "event", "assign", "t9", "assignment"),
        ("agent", "message", None, None, "Done"), ("agent", "event", "close", None, "close"),
        ("customer", "message", None, None, "Not yet"), ("customer", "event", "reopen", None, "open"),
        ("customer", "event", "rating", None, "4")]
    assert set(m["channel"]) == {"email"}


# --- Freshdesk ------------------------------------------------------------------

def test_freshdesk_ticket_and_conversations(shared_data):
    fd = shared_data / "formats" / "freshdesk_python_freshdesk" / "v2"
    m = ingest(fd / "ticket_1.json", fd / "conversations.json")
    assert rows_of(m, "sender_role", "sender_id", "kind", "event", "text") == [
        ("customer", "6012691534", "message", None, "This is a sample ticket, feel free to delete it."),
        ("agent", "1", "note", None, "This is a private note"),
        ("agent", "1", "message", None, "This is a reply"),
        ("system", None, "event", "close", "resolved"),  # stats.resolved_at: no activity log given
    ]
    assert set(m["channel"]) == {"portal"}


def test_freshdesk_activities_give_assignments_and_status_and_ratings(shared_data):
    fd = shared_data / "formats" / "freshdesk_python_freshdesk" / "v2"
    m = ingest(fd / "ticket_1.json", FIXTURES / "freshdesk_activities.json")
    events = m[m["kind"] == "event"]
    assert rows_of(events, "event", "assignee_id", "queue", "text") == [
        ("assign", "6010396333", "Billing", None), ("transfer", "6010396334", None, None),
        ("close", None, None, "resolved"), ("rating", None, None, "103"), ("reopen", None, None, "open")]
    assert "resolved_at" not in " ".join(m["message_id"])  # the log replaces the ticket's stats


# --- Chatwoot -------------------------------------------------------------------

def test_chatwoot_api_messages():
    m = ingest(FIXTURES / "chatwoot_messages.json")
    assert rows_of(m, "sender_role", "kind", "event", "assignee_id", "queue") == [
        ("customer", "message", None, None, None), ("bot", "message", None, None, None),
        ("system", "event", "assign", "Omid", "Cards"), ("agent", "note", None, None, None),
        ("agent", "message", None, None, None), ("system", "event", "close", None, None),
        ("system", "event", "reopen", None, None), ("bot", "message", None, None, None)]
    assert m["text"].iloc[0] == "سلام، کارتم مسدود شده"
    assert m["timestamp"].iloc[6] == pd.Timestamp("2024-05-01 10:30", tz="UTC")
    conv = build_conversations(m, sentiment=False).iloc[0]
    assert conv["first_response_s"] == 300.0 and conv["n_reopens"] == 1


def test_chatwoot_documented_webhook_payload(shared_data, tmp_path):
    doc = (shared_data / "formats" / "helpscout_chatwoot_docs" /
           "chatwoot_webhook_message_created_sample.jsonc").read_text()
    strict = re.sub(r",(\s*})", r"\1", re.sub(r"\s// .*", "", doc))  # the doc annotates its JSON
    path = tmp_path / "webhook.json"
    path.write_text(strict)
    assert sniff(path) == "chatwoot"
    m = ingest(path)
    assert rows_of(m, "conversation_id", "sender_role", "text", "customer_id") == [("1", "customer", "Hi", "1")]
    assert m["timestamp"].iloc[0] == pd.Timestamp("2020-03-03 13:05:57", tz="UTC")


# --- Zammad ---------------------------------------------------------------------

def test_zammad_real_articles(shared_data):
    m = ingest(shared_data / "formats" / "zammad_docs" / "07_ticket_articles_list_articles_by_ticket.json")
    assert rows_of(m, "sender_role", "kind", "channel") == [("customer", "message", "email"),
                                                          ("agent", "message", "email")]
    assert m["text"].iloc[0].startswith("Hi,\n\nplease send me:\n\n1 x Café Kopi susu")
    assert "<" not in m["text"].iloc[1]


def test_zammad_history_gives_transfers_close_and_reopen(shared_data):
    zd = shared_data / "formats" / "zammad_docs"
    m = ingest(zd / "07_ticket_articles_list_articles_by_ticket.json", FIXTURES / "zammad_ticket_history.json")
    assert rows_of(m, "sender_role", "kind", "event", "assignee_id", "queue") == [
        ("customer", "message", None, None, None), ("agent", "event", "assign", None, "1"),
        ("agent", "event", "assign", "5", None), ("agent", "note", None, None, None),
        ("agent", "message", None, None, None), ("agent", "event", "transfer", "6", None),
        ("bot", "message", None, None, None), ("agent", "event", "close", None, None),
        ("agent", "event", "reopen", None, None)]
    assert set(m["customer_id"]) == {"10"}
    conv = build_conversations(m, sentiment=False).iloc[0]
    assert conv["n_transfers"] == 1 and conv["n_reopens"] == 1 and conv["first_response_s"] == 79200.053


def test_zammad_assets_response(tmp_path):
    doc = {"tickets": [5], "ticket_article_ids": [21, 22], "assets": {
        "Ticket": {"5": {"id": 5, "number": "31005", "title": "Order", "customer_id": 10, "group_id": 1}},
        "TicketArticle": {
            "21": {"id": 21, "ticket_id": 5, "sender_id": 2, "internal": False, "type": "web",
                   "content_type": "text/html", "body": "<p>Where is it?</p>", "created_by_id": 10,
                   "created_at": "2021-08-02T11:57:18Z"},
            "22": {"id": 22, "ticket_id": 5, "sender_id": 1, "internal": False, "type": "email",
                   "content_type": "text/plain", "body": "On its way", "created_by_id": 5,
                   "created_at": "2021-08-02T12:07:18Z"}},
        "User": {"10": {"id": 10, "login": "david@example.com"}}}}
    path = tmp_path / "ticket.json"
    path.write_text(json.dumps(doc))
    assert sniff(path) == "zammad"
    m = ingest(path)
    assert rows_of(m, "sender_role", "channel", "text", "customer_id") == [
        ("customer", "web", "Where is it?", "10"), ("agent", "email", "On its way", "10")]


# --- Help Scout -----------------------------------------------------------------

def test_helpscout_webhook_sample(shared_data):
    m = ingest(shared_data / "formats" / "helpscout_chatwoot_docs" / "helpscout_webhook_convo_created_sample.json")
    assert rows_of(m, "sender_role", "kind", "event", "assignee_id", "customer_id") == [
        ("agent", "message", None, None, "29418"), ("agent", "event", "assign", "1234", "29418")]


def test_helpscout_v2_threads_in_time_order_without_drafts():
    m = ingest(FIXTURES / "helpscout_v2.json")
    assert rows_of(m, "sender_role", "kind", "event", "assignee_id", "text") == [
        ("customer", "message", None, None, "I was charged twice"),
        ("customer", "event", "assign", "1234", None),
        ("agent", "note", None, None, "Billing issue"),
        ("agent", "event", "transfer", "1235", None),
        ("agent", "message", None, None, "Refund sent\xa0today."),
        ("agent", "event", "close", None, "closed")]
    assert set(m["queue"]) == {"55"} and set(m["customer_id"]) == {"700"}


# --- WhatsApp -------------------------------------------------------------------

def test_jalali_dates():
    got = jalali_to_gregorian(np.array([1402, 1403, 1399, 1403]), np.array([7, 1, 12, 12]),
                              np.array([28, 1, 30, 30]))
    assert got.astype(str).tolist() == ["2023-10-20", "2024-03-20", "2021-03-20", "2025-03-20"]


def test_whatsapp_header_layouts_from_the_whatstk_checklist(shared_data, tmp_path):
    layouts = json.loads((shared_data / "formats" / "chat_exports" / "whatsapp" /
                          "whatstk__header_format_support.json").read_text())
    times = [pd.Timestamp(t) for t in ("2020-01-23 14:05:09", "2020-01-30 09:15:00", "2020-02-14 21:40:30")]
    for layout in (x["format"] for x in layouts):
        path = tmp_path / "chat.txt"
        names = ("Ali", "Shop", "Ali")
        path.write_text("".join(f"{t.strftime(layout.replace('%name', n))} hello {k}\n"
                                for k, (t, n) in enumerate(zip(times, names, strict=True))))
        m = ingest(path, agents=["Shop"])
        expected = [t if "%S" in layout else t.floor("min") for t in times]
        assert m["timestamp"].tolist() == [t.tz_localize("UTC") for t in expected], layout
        assert m["text"].tolist() == ["hello 0", "hello 1", "hello 2"], layout
        assert m["sender_id"].tolist() == ["Ali", "Shop", "Ali"], layout
    assert len(layouts) == 96


def test_whatsapp_arabic_android_export():
    path = FIXTURES / "whatsapp_ar_android.txt"
    m = ingest(path, agents=["متجر النور"], timezone="Asia/Riyadh")
    assert rows_of(m, "conversation_id", "timestamp", "sender_role", "sender_id", "kind") == [
        ("whatsapp_ar_android#1", pd.Timestamp("2023-10-20 18:58", tz="UTC"), "system", None, "event"),
        ("whatsapp_ar_android#1", pd.Timestamp("2023-10-20 19:00", tz="UTC"), "customer", "أحمد", "message"),
        ("whatsapp_ar_android#1", pd.Timestamp("2023-10-20 19:01", tz="UTC"), "customer", "أحمد", "message"),
        ("whatsapp_ar_android#1", pd.Timestamp("2023-10-20 19:15", tz="UTC"), "agent", "متجر النور", "message"),
        ("whatsapp_ar_android#1", pd.Timestamp("2023-10-21 06:05", tz="UTC"), "customer", "أحمد", "message"),
        ("whatsapp_ar_android#2", pd.Timestamp("2023-10-25 08:00", tz="UTC"), "customer", "أحمد", "message"),
    ]
    lines = path.read_text(encoding="utf-8").split("\n")
    assert m["text"].iloc[1] == lines[1].split(" - أحمد: ")[1]  # untouched, Arabic-Indic digits kept
    assert m["text"].iloc[2] == "<تم استبعاد الوسائط>"
    assert m["text"].iloc[3] == "أهلاً أحمد، نعتذر عن التأخير.\nسنتحقق من الشحنة فوراً."
    assert build_conversations(m, sentiment=False)["first_response_s"].tolist()[0] == 900.0


def test_whatsapp_arabic_ios_export_with_seconds_and_marks():
    m = ingest(FIXTURES / "whatsapp_ar_ios.txt", agents=["متجر النور"], timezone="Asia/Riyadh")
    assert m["timestamp"].tolist() == [pd.Timestamp(t, tz="UTC") for t in
                                       ("2023-10-20 19:00:15", "2023-10-20 19:00:40", "2023-10-20 19:05:00")]
    assert m["sender_role"].tolist() == ["customer", "customer", "agent"]
    assert m["text"].iloc[1] == "\u200eتم استبعاد الصورة"  # the phone's own mark is part of the text


def test_whatsapp_persian_jalali_export_keeps_zwnj():
    path = FIXTURES / "whatsapp_fa_jalali.txt"
    m = ingest(path, agents=["+982112345678"], timezone="Asia/Tehran")
    assert rows_of(m, "timestamp", "sender_role", "kind") == [
        (pd.Timestamp("2023-10-20 18:28", tz="UTC"), "system", "event"),
        (pd.Timestamp("2023-10-20 18:30", tz="UTC"), "customer", "message"),
        (pd.Timestamp("2023-10-20 18:42", tz="UTC"), "agent", "message"),
        (pd.Timestamp("2023-10-21 05:45", tz="UTC"), "customer", "message"),
    ]
    assert m["text"].iloc[1] == "سلام، سفارشم هنوز نرسیده. می\u200cخواهم پیگیری کنم"
    assert m["text"].iloc[2] == "سلام علی جان، شماره سفارش را بفرستید\nلطفاً همراه با کد پستی."
    assert m["text"].iloc[3] == "۴۵۲۱۸۸"
    assert m["sender_id"].iloc[2] == "+98 21 1234 5678"


def test_whatsapp_persian_year_first_gregorian_export():
    m = ingest(FIXTURES / "whatsapp_fa_gregorian.txt", agents=["فروشگاه"], timezone="Asia/Tehran")
    assert m["timestamp"].tolist() == [pd.Timestamp("2023-10-20 18:30", tz="UTC"),
                                       pd.Timestamp("2023-10-20 18:42", tz="UTC")]
    assert m["text"].iloc[1] == "سلام، بررسی می\u200cکنیم"


def test_whatsapp_real_exports_match_the_expected_parse(shared_data):
    wa = shared_data / "formats" / "chat_exports" / "whatsapp"
    target = json.loads((wa / "chatminer__target.json").read_text(encoding="utf-8"))
    want = sorted((pd.Timestamp(t["timestamp"], tz="UTC"), t["author"]) for t in target)
    for name in ("chatminer__test_ddmmyy_24hrs.txt", "chatminer__test_mmddyyyy_12hrs.txt"):
        m = ingest(wa / name, agents=["John Doe"])
        said = m[m["kind"] == "message"]
        assert sorted(zip(said["timestamp"], said["sender_id"], strict=True)) == want
        assert said["text"].str.replace("\n", " ").tolist() == [t["message"] for t in reversed(target)]
        assert (m["kind"] == "event").sum() == 3  # "John Doe:.", created group, You were added


def test_whatsapp_real_group_exports(shared_data):
    wa = shared_data / "formats" / "chat_exports" / "whatsapp"
    m = ingest(wa / "whatstk__pokemon.txt", agents=["Prof. Oak"])
    assert len(m) == 20 and (m["sender_role"] == "system").sum() == 2  # both encryption notices
    assert m["timestamp"].iloc[2] == pd.Timestamp("2016-08-06 13:23", tz="UTC")
    lorem = ingest(wa / "whatstk__lorem-2000.txt", agents=["Mary"])
    assert (lorem["kind"] == "message").sum() == 2000
    assert lorem["timestamp"].iloc[0] == pd.Timestamp("2019-04-16 02:09", tz="UTC")  # [2019-04-16 02:09]
    short = ingest(wa / "whatstk__lorem.txt", agents=["Mary"])  # [15-01-20 02:22:56]: day-first, 2-digit year
    assert short["timestamp"].iloc[0] == pd.Timestamp("2020-01-15 02:22:56", tz="UTC")


def test_whatsapp_zip_export(tmp_path):
    path = tmp_path / "WhatsApp Chat with Ali.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("WhatsApp Chat with Ali.txt", (FIXTURES / "whatsapp_fa_gregorian.txt").read_bytes())
        zf.writestr("IMG-20231020-WA0001.jpg", b"\xff\xd8")
    assert sniff(path) == "whatsapp"
    m = ingest(path, agents=["فروشگاه"])
    assert m["conversation_id"].unique().tolist() == ["WhatsApp Chat with Ali#1"] and len(m) == 2


def test_whatsapp_needs_the_business_and_names_the_participants():
    with pytest.raises(IngestError, match=r"which participant is the business.*'علی'.*--agent"):
        read_messages(FIXTURES / "whatsapp_fa_gregorian.txt")
    with pytest.raises(IngestError, match="none of the agents \\['Shop'\\] wrote"):
        read_messages(FIXTURES / "whatsapp_fa_gregorian.txt", agents=["Shop"])


def test_whatsapp_bad_lines_are_rejected_with_line_numbers(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text("05/01/2024, 10:00 - Ali: hi\n31/02/2024, 10:05 - Shop: hello\n"
                    "14/01/2024, 10:06 - Shop: ok\n", encoding="utf-8")
    result = read_messages(path, agents=["Shop"], errors="collect")
    assert result.n_read == 3 and result.n_loaded == 2
    assert result.rejected["row"].tolist() == [2]
    assert "not a valid date and time: '31/02/2024 10:05'" in result.rejected["reason"].iloc[0]
    stray = tmp_path / "stray.txt"
    stray.write_text("05/01/2024, 10:00 - Ali: hi\n", encoding="utf-8")
    prefixed = tmp_path / "prefixed.txt"
    prefixed.write_text("exported by a tool\n" + stray.read_text(), encoding="utf-8")
    result = read_messages(prefixed, agents=["Ali"], errors="collect", format="whatsapp")
    assert result.rejected["row"].tolist() == [1] and "before the first message header" in \
        result.rejected["reason"].iloc[0]


def test_whatsapp_date_order_and_session_gap(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text("03/04/24, 10:00 - Ali: hi\n03/04/24, 11:30 - Shop: hello\n", encoding="utf-8")
    day_first = ingest(path, agents=["Shop"])
    assert day_first["timestamp"].iloc[0] == pd.Timestamp("2024-04-03 10:00", tz="UTC")
    month_first = ingest(path, agents=["Shop"], dayfirst=False)
    assert month_first["timestamp"].iloc[0] == pd.Timestamp("2024-03-04 10:00", tz="UTC")
    split = ingest(path, agents=["Shop"], session_gap="1h")
    assert split["conversation_id"].tolist() == ["chat#1", "chat#2"]


# --- Telegram -------------------------------------------------------------------

def test_telegram_personal_chat():
    m = ingest(FIXTURES / "telegram_personal_chat.json", agents=["user999"])
    assert rows_of(m, "conversation_id", "sender_role", "sender_id", "kind", "event", "text") == [
        ("4242#1", "system", "user111", "event", "phone_call", None),
        ("4242#1", "customer", "user111", "message", None, "سلام، سفارش من کجاست؟"),
        ("4242#1", "agent", "user999", "message", None, "Hi Sara, tracking: https://t.me/track today"),
        ("4242#2", "customer", "user111", "message", None, "photos/photo_1.jpg"),
    ]
    assert m["timestamp"].iloc[1] == pd.Timestamp("2024-05-01 10:00", tz="UTC")


def test_telegram_real_exports_match_the_expected_parse(shared_data):
    tg = shared_data / "formats" / "chat_exports" / "telegram"
    target = json.loads((tg / "chatminer__target.json").read_text())
    for name in ("chatminer__test_single_export.json", "chatminer__test_batch_export.json"):
        m = ingest(tg / name, agents=["Author 2"])
        assert rows_of(m, "timestamp", "sender_id") == [
            (pd.Timestamp(t["timestamp"], tz="UTC"), t["author"]) for t in target]
        # entities are joined as exported (the sample has no space between them)
        assert m["text"].tolist() == ["Minimal Message", "Link:https://telegram.org/"]


# --- Twitter (TWCS) -------------------------------------------------------------

def test_twcs_real_sample_threads_and_signatures(shared_data):
    m = ingest(shared_data / "conversations" / "twcs_kaggle_sample.csv")
    assert len(m) == 93 and (m["sender_role"] == "customer").sum() == 49
    thread = m[m["conversation_id"] == "119239"]
    assert rows_of(thread, "message_id", "sender_role", "sender_id", "queue") == [
        ("119239", "customer", "105835", "ChaseSupport"), ("119238", "agent", "ChaseSupport/RR", "ChaseSupport")]
    assert m["timestamp"].iloc[0] == pd.Timestamp("2017-10-11 06:55:44", tz="UTC")


def test_twcs_reply_chains_signoff_changes_and_bad_rows(tmp_path):
    path = tmp_path / "tweets.csv"
    path.write_text(
        "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
        "10,900,True,Tue Oct 31 10:00:00 +0000 2017,@Shop my parcel is lost,11,5\n"
        "11,Shop,False,Tue Oct 31 10:05:00 +0000 2017,@900 Sorry! DM us ^AB,12,10\n"
        "12,900,TRUE,Tue Oct 31 10:20:00 +0000 2017,@Shop done,13,11\n"
        "13,Shop,False,Tue Oct 31 10:40:00 +0000 2017,@900 Refunded -CD https://t.co/x,,12\n"
        "14,901,maybe,Tue Oct 31 11:00:00 +0000 2017,@Shop hello,,\n")
    result = read_messages(path, errors="collect")
    m = result.messages
    assert set(m["conversation_id"]) == {"10"}  # the parent 5 is outside the file
    assert m["sender_id"].tolist() == ["900", "Shop/AB", "900", "Shop/CD"]
    assert transfers(m)[["from_agent", "to_agent"]].values.tolist() == [["Shop/AB", "Shop/CD"]]
    assert result.rejected["row"].tolist() == [5]
    assert "inbound is 'maybe' (expected True or False)" in result.rejected["reason"].iloc[0]


# --- command line ---------------------------------------------------------------

def test_cli_ingests_a_whatsapp_export_with_the_business_named(tmp_path):
    out = tmp_path / "messages.parquet"
    done = subprocess.run([sys.executable, "-m", "csqa.cli", "ingest", str(FIXTURES / "whatsapp_ar_android.txt"),
                           "--agent", "متجر النور", "--timezone", "Asia/Riyadh", "-o", str(out)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "read 6 rows: loaded 6, rejected 0" in done.stderr
    assert pd.read_parquet(out)["sender_role"].tolist().count("agent") == 1
    missing = subprocess.run([sys.executable, "-m", "csqa.cli", "ingest", str(FIXTURES / "whatsapp_ar_ios.txt"),
                              "-o", str(out)], capture_output=True, text=True)
    assert missing.returncode == 2 and "--agent" in missing.stderr and "Traceback" not in missing.stderr
