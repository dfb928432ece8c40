"""Intercom conversations (REST API v2: a conversation, a list, or search results).

The conversation's ``source`` is its first message; each of
``conversation_parts.conversation_parts`` is one row:

- a part with a body is a message (``note`` parts: an internal note) from its
  author, whatever its type (a customer reply that reopens, a closing reply);
  bodies are HTML: tags are dropped;
- ``assignment``, ``default_assignment``, ``away_mode_assignment``,
  ``assign_and_reopen``, ``assign_and_unsnooze``... -> ``assign`` events (the
  owner is ``assigned_to``: an admin is the assignee, a team the queue);
- ``close`` -> close, ``open`` -> reopen (``status`` if it was not closed),
  ``snoozed``/``unsnoozed`` and other state parts -> status; a conversation
  ``conversation_rating`` -> a ``rating`` event (text = the 1-5 score).

Author types: ``user``, ``lead``, ``contact`` = customer; ``admin`` = agent;
``bot`` (Operator, Fin) = bot; ``team`` = agent. Times are Unix seconds. Parts
carrying nothing csqa measures (attribute updates, tag changes...) are not rows.

>>> part_event("assign_and_reopen"), part_event("close"), part_event("snoozed")
('assign', 'close', 'status')
"""

from __future__ import annotations

from pathlib import Path

from csqa.ingest.readers import RawChunk
from csqa.ingest.records import Rows, html_to_text, ident, pick, read_each

NAME = "intercom"
SIGNS = {'"conversation_parts"': 2, '"part_type"': 2, '"conversation.list"': 2,
         '"admin_assignee_id"': 2, '"team_assignee_id"': 1, '"delivered_as"': 1,
         '"conversation_part"': 1}
ROLES = {"user": "customer", "lead": "customer", "contact": "customer", "admin": "agent",
         "bot": "bot", "team": "agent"}
_STATUS_PARTS = {"snoozed", "unsnoozed", "timer_unsnooze", "state_change"}
_TEXT_PARTS = {"comment": "message", "note": "note"}


def part_event(part_type: str) -> str | None:
    """The canonical event of an Intercom part type (None: a message, note, or not a row)."""
    if "assign" in part_type:
        return "assign"
    if part_type == "close":
        return "close"
    if part_type == "open":
        return "reopen"
    return "status" if part_type in _STATUS_PARTS else None


def _is_conversation(r: dict) -> bool:
    return r.get("type") == "conversation" or ("conversation_parts" in r and "source" in r)


def _conversation_rows(rows: Rows, conv: dict) -> None:
    cid = ident(conv.get("id"))
    where = f"conversation {cid}"
    contacts = pick(conv, "contacts.contacts") or []
    customer = ident(contacts[0]) if contacts else None
    source = conv.get("source") or {}
    channel = {"conversation": "chat", "email": "email", "push": "push"}.get(source.get("type"),
                                                                          source.get("type"))
    base = {"conversation_id": cid, "channel": channel, "customer_id": customer}
    closed = False
    parts = [{"part_type": "comment", "created_at": conv.get("created_at"), **source}] if source else []
    parts += pick(conv, "conversation_parts.conversation_parts") or []
    for k, part in enumerate(parts, start=1):
        with rows.record(f"{where} / part {k}", part):
            place = f"{where} / part {ident(part.get('id')) or k}"
            part_type = str(part.get("part_type"))
            author = part.get("author") or {}
            role = ROLES.get(str(author.get("type")))
            body = html_to_text(part.get("body"))
            event = part_event(part_type)
            if event == "reopen" and not closed:
                event = None if body else "status"
            closed = event == "close" or (closed and event != "reopen")
            if body:  # what was said, whatever else the part did (a reply that reopens, a closing note)
                if role is None:
                    rows.reject(place, "sender_role", f"unknown author type {author.get('type')!r} "
                                f"(expected one of {sorted(ROLES)})", part)
                    continue
                rows.add(place, **base, message_id=ident(part.get("id")), timestamp=part.get("created_at"),
                         sender_role=role, sender_id=ident(author.get("id")),
                         kind=_TEXT_PARTS.get(part_type, "note" if "note" in part_type else "message"), text=body)
            if event:
                target = part.get("assigned_to") or {}
                is_team = target.get("type") == "team"
                rows.add(f"{place} / {part_type}", **base, timestamp=part.get("created_at"),
                         sender_role=role or "system", sender_id=ident(author.get("id")), kind="event",
                         event=event, text=part_type, assignee_id=None if is_team else ident(target),
                         queue=ident(target) if is_team else None)
    rating = conv.get("conversation_rating") or {}
    if rating.get("rating") is not None:
        rows.add(f"{where} / rating", **base, message_id=f"{cid}:rating",
                 timestamp=rating.get("created_at"), sender_role="customer",
                 sender_id=ident(rating.get("contact")) or customer, kind="event", event="rating",
                 text=str(rating["rating"]))


def read(files: list[Path], **_options) -> list[RawChunk]:
    """One chunk per export file (see the module docstring)."""
    return read_each(files, _is_conversation, _conversation_rows)
