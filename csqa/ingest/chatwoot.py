"""Chatwoot conversations and messages (API ``/conversations/{id}/messages``, webhooks).

Messages are found as a list, under ``payload`` / ``data``, or inside
conversations (``messages``). ``message_type`` (0/``incoming``, 1/``outgoing``,
2/``activity``, 3/``template``) and the sender decide the row:

- incoming -> customer message; outgoing -> agent message (a sender of type
  ``agent_bot`` is a bot); template -> bot message; ``private`` -> internal note;
- activity -> an event read from Chatwoot's English activity text:
  ``Assigned to A by B`` / ``A self-assigned this conversation`` -> assign
  (``Assigned to A via T by B``: agent A in team T; ``Assigned to T team by B``:
  team T), ``...marked resolved...`` / ``...resolved by...`` -> close,
  ``...reopened...`` -> reopen, anything else (unassigned, snoozed, pending,
  labels...) -> status with the text kept.

Times are Unix seconds or ``2020-03-03 13:05:57 UTC``. The conversation id is the
message's ``conversation_id`` (else ``conversation.display_id``).

>>> activity_event("Assigned to Sara via Billing by Omid")
('assign', 'Sara', 'Billing')
>>> activity_event("Conversation was marked resolved by Sara")
('close', None, None)
"""

from __future__ import annotations

import re
from pathlib import Path

from csqa.ingest.readers import RawChunk
from csqa.ingest.records import Rows, ident, pick, read_each

NAME = "chatwoot"
SIGNS = {'"message_type"': 1, '"content"': 1, '"inbox_id"': 2, '"sender_type"': 1,
         '"content_attributes"': 2, '"display_id"': 1, '"account"': 1, '"private"': 1}
_TYPES = {0: "incoming", 1: "outgoing", 2: "activity", 3: "template"}
_ASSIGN = (
    re.compile(r"^Assigned to (?P<agent>.+?) via (?P<team>.+?) by .+$"),
    re.compile(r"^Assigned to (?P<team>.+?) team by .+$"),
    re.compile(r"^Assigned to (?P<agent>.+?) by .+$"),
    re.compile(r"^(?P<agent>.+?) self-assigned this conversation"),
)


def activity_event(text: str | None) -> tuple[str, str | None, str | None]:
    """(event, agent, team) of a Chatwoot activity message."""
    text = (text or "").strip()
    for pattern in _ASSIGN:
        m = pattern.match(text)
        if m:
            found = m.groupdict()
            return "assign", found.get("agent"), found.get("team")
    lower = text.lower()
    if "resolved" in lower and "unresolved" not in lower:
        return "close", None, None
    if "reopen" in lower:
        return "reopen", None, None
    return "status", None, None


def _message_type(value) -> str | None:
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return _TYPES.get(int(value))
    return str(value).lower() if value is not None else None


def _is_message(r: dict) -> bool:
    return "message_type" in r and ("content" in r or "conversation_id" in r)


def _message_row(rows: Rows, msg: dict) -> None:
    cid = ident(msg.get("conversation_id")) or ident(pick(msg, "conversation.display_id",
                                                          "conversation.id"))
    where = f"conversation {cid} / message {ident(msg.get('id')) or rows.n + 1}"
    mtype = _message_type(msg.get("message_type"))
    sender = msg.get("sender") or {}
    sender_type = str(sender.get("type") or msg.get("sender_type") or "").lower()
    private = msg.get("private") in (True, "true")
    contact = ident(pick(msg, "contact.id")) if mtype == "incoming" else None
    base = {"conversation_id": cid, "message_id": ident(msg.get("id")), "timestamp": msg.get("created_at"),
            "sender_id": ident(sender.get("id")) or ident(msg.get("sender_id")), "channel": "chat"}
    if mtype == "activity":
        event, agent, team = activity_event(msg.get("content"))
        rows.add(where, **base, sender_role="system", kind="event", event=event, assignee_id=agent,
                 queue=team, text=msg.get("content"))
        return
    if mtype == "incoming":
        role = "customer"
    elif mtype == "outgoing":
        role = "bot" if "bot" in sender_type else "agent"
    elif mtype == "template":
        role = "bot"
    else:
        rows.reject(where, "message_type", f"unknown message_type {msg.get('message_type')!r} (expected "
                    "0-3 or incoming/outgoing/activity/template)", msg)
        return
    rows.add(where, **base, sender_role=role, kind="note" if private else "message",
             text=msg.get("content"), customer_id=contact or (base["sender_id"] if role == "customer" else None))


def read(files: list[Path], **_options) -> list[RawChunk]:
    """One chunk per export file (see the module docstring)."""
    return read_each(files, _is_message, _message_row)
