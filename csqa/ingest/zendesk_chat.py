"""Zendesk Chat (Zopim) transcripts: chat objects with a ``history`` list.

From the Chat API (``/chats``, incremental ``/incremental/chats``) or a single
chat. History items:

- ``chat.msg`` (and ``chat.file``) -> a message; the author comes from ``nick``:
  ``visitor...`` = customer, ``agent:trigger`` (and other non-numeric agent
  nicks) = bot, ``agent:<id>`` = that agent;
- ``chat.memberjoin`` of an agent -> ``assign`` (``transfer`` once another agent
  had joined); a visitor joining is not a row, nor are ``chat.memberleave``,
  ``chat.request.rating`` and tag changes;
- ``chat.rating`` -> ``rating`` (text = ``new_rating``: good/bad);
  ``chat.comment`` -> a ``rating_comment`` event with the visitor's comment.

The chat's ``department_name`` (or id) is the queue and ``visitor.id`` the
customer. Zendesk's own ``response_time`` (first/avg/max seconds, measured from
the first visitor message of each burst) can be compared with csqa's reply times.

>>> author("agent:trigger"), author("agent:361337"), author("visitor:8.12")
(('bot', 'trigger'), ('agent', '361337'), ('customer', '8.12'))
"""

from __future__ import annotations

from pathlib import Path

from csqa.ingest.readers import RawChunk
from csqa.ingest.records import Rows, ident, pick, read_each

NAME = "zendesk_chat"
SIGNS = {'"chat.msg"': 2, '"chat.memberjoin"': 2, '"history"': 1, '"visitor"': 1, '"response_time"': 1,
         '"chat.rating"': 2, '"zendesk_ticket_id"': 1}
_SKIP = {"chat.memberleave", "chat.request.rating", "chat.tag", "chat.untag", "chat.wait_queue"}


def author(nick: str | None) -> tuple[str, str | None]:
    """(role, id) from a history ``nick``."""
    nick = nick or ""
    who, _, rest = nick.partition(":")
    if who.startswith("visitor"):
        return "customer", rest or None
    if who == "agent":
        return ("agent", rest) if rest.isdigit() else ("bot", rest or None)
    return "system", rest or None


def _is_chat(r: dict) -> bool:
    return isinstance(r.get("history"), list) and ("visitor" in r or r.get("type") == "chat")


def _chat_rows(rows: Rows, chat: dict) -> None:
    cid = ident(chat.get("id"))
    customer = ident(pick(chat, "visitor.id"))
    base = {"conversation_id": cid, "channel": "chat", "customer_id": customer,
            "queue": pick(chat, "department_name") or ident(chat.get("department_id"))}
    joined: set[str] = set()
    for k, item in enumerate(chat["history"], start=1):
        with rows.record(f"chat {cid} / history {k}", item):
            kind = str(item.get("type"))
            where = f"chat {cid} / history {k}"
            role, who = author(item.get("nick"))
            stamp = item.get("timestamp")
            if kind in ("chat.msg", "chat.file"):
                text = item.get("msg") or pick(item, "attachment.name")
                if role == "customer":
                    who = customer or who
                rows.add(where, **base, timestamp=stamp, sender_role=role, sender_id=who, kind="message", text=text)
            elif kind == "chat.memberjoin" and role in ("agent", "bot"):
                if role == "agent":
                    rows.add(where, **base, timestamp=stamp, sender_role=role, sender_id=who, kind="event",
                             event="transfer" if joined - {who} else "assign", assignee_id=who,
                             text=item.get("display_name") or item.get("name"))
                    joined.add(who)
            elif kind == "chat.rating":
                rows.add(where, **base, timestamp=stamp, sender_role="customer", sender_id=customer,
                         kind="event", event="rating", text=item.get("new_rating"))
            elif kind == "chat.comment":
                rows.add(where, **base, timestamp=stamp, sender_role="customer", sender_id=customer,
                         kind="event", event="rating_comment", text=item.get("new_comment") or item.get("msg"))
            elif kind not in _SKIP and kind != "chat.memberjoin":
                rows.reject(where, "type", f"unknown history item type {kind!r} (expected chat.msg, "
                            "chat.file, chat.memberjoin, chat.rating, chat.comment...)", item)


def read(files: list[Path], **_options) -> list[RawChunk]:
    """One chunk per export file (see the module docstring)."""
    return read_each(files, _is_chat, _chat_rows)
