"""Help Scout conversations with their threads (Mailbox API v2 and webhook payloads).

Threads are found under ``_embedded.threads`` (API v2) or ``threads``
(webhooks), ordered by ``createdAt``. Each thread records the conversation's
state after it (``status``, ``assignedTo``), so:

- ``customer`` threads -> customer messages; ``message``/``reply`` -> agent
  messages; ``chat``/``phone`` -> by ``createdBy.type`` (customer or user);
  ``note``, ``forwardparent``/``forwardchild`` -> internal notes; bodies are
  HTML (tags dropped). Drafts (``state`` draft / underreview / hidden) were never
  sent and are not rows.
- a change of ``assignedTo`` -> ``assign`` (``transfer`` once someone owned it);
  a change of ``status`` -> ``close`` (to closed), ``reopen`` (out of it) or
  ``status``; a ``lineitem`` thread with neither change is a ``status`` event
  with its ``action.text``.

The mailbox is the queue; ``primaryCustomer``/``customer`` the customer.

>>> thread_role({"type": "customer"}), thread_role({"type": "note", "createdBy": {"type": "user"}})
('customer', 'agent')
"""

from __future__ import annotations

from pathlib import Path

from csqa.ingest.readers import RawChunk
from csqa.ingest.records import Rows, html_to_text, ident, pick, read_each
from csqa.ingest.zendesk import status_event

NAME = "helpscout"
SIGNS = {'"threads"': 1, '"createdBy"': 1, '"mailboxId"': 2, '"_embedded"': 1, '"primaryCustomer"': 2,
         '"assignedTo"': 1, '"threadCount"': 2, '"mailbox"': 1}
_BY = {"customer": "customer", "user": "agent", "team": "agent", "workflow": "bot", "api": "bot"}
_NOTES = {"note", "forwardparent", "forwardchild"}
_UNSENT = {"draft", "underreview", "hidden"}


def thread_role(thread: dict) -> str | None:
    kind = str(thread.get("type")).lower()
    if kind == "customer":
        return "customer"
    if kind in ("message", "reply"):
        return "agent"
    return _BY.get(str(pick(thread, "createdBy.type")).lower())


def _is_conversation(r: dict) -> bool:
    return isinstance(r.get("threads"), list) or isinstance(pick(r, "_embedded.threads"), list)


def _conversation_rows(rows: Rows, conv: dict) -> None:
    cid = ident(conv.get("id"))
    base = {"conversation_id": cid, "queue": ident(pick(conv, "mailboxId", "mailbox.id")),
            "customer_id": ident(pick(conv, "primaryCustomer.id", "customer.id")),
            "channel": pick(conv, "type", "source.type")}
    threads = conv.get("threads") or pick(conv, "_embedded.threads") or []
    threads = sorted(threads, key=lambda t: str(t.get("createdAt")))
    owner, status = None, None
    for k, t in enumerate(threads, start=1):
        with rows.record(f"conversation {cid} / thread {k}", t):
            where = f"conversation {cid} / thread {ident(t.get('id')) or k}"
            if str(t.get("state", "published")).lower() in _UNSENT:
                continue
            kind = str(t.get("type")).lower()
            at, who = t.get("createdAt"), ident(pick(t, "createdBy.id"))
            role = thread_role(t)
            changed = False
            if kind != "lineitem":
                if role is None:
                    rows.reject(where, "sender_role", f"unknown thread author type {pick(t, 'createdBy.type')!r} "
                                "(expected customer or user)", t)
                    continue
                rows.add(where, **base, message_id=ident(t.get("id")), timestamp=at, sender_role=role,
                         sender_id=who, kind="note" if kind in _NOTES else "message",
                         text=html_to_text(t.get("body")))
            new_owner = ident(t.get("assignedTo"))
            if "assignedTo" in t and new_owner != owner:
                rows.add(f"{where} / assignedTo", **base, timestamp=at, sender_role=role or "system",
                         sender_id=who, kind="event", event="transfer" if owner else "assign",
                         assignee_id=new_owner)
                owner, changed = new_owner, True
            new_status = str(t.get("status") or "nochange").lower()
            if new_status != "nochange" and new_status != status:
                if status is not None or new_status == "closed":
                    rows.add(f"{where} / status", **base, timestamp=at, sender_role=role or "system",
                             sender_id=who, kind="event", event=status_event(status, new_status, done=("closed",)),
                             text=new_status)
                    changed = True
                status = new_status
            if kind == "lineitem" and not changed:
                rows.add(where, **base, message_id=ident(t.get("id")), timestamp=at, sender_role="system",
                         sender_id=who, kind="event", event="status", text=pick(t, "action.text"))


def read(files: list[Path], **_options) -> list[RawChunk]:
    """One chunk per export file (see the module docstring)."""
    return read_each(files, _is_conversation, _conversation_rows)
