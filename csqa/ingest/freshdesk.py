"""Freshdesk tickets and conversations (API v2, and the v1 ticket shape).

- A ticket's ``description_text`` (or ``description``) is its first message, from
  the requester at ``created_at``; its ``conversations`` (embedded with
  ``include=conversations``, or a separate ``/tickets/{id}/conversations``
  export carrying ``ticket_id``) are the rest: ``private`` = internal note,
  ``incoming`` = from the customer, otherwise an agent reply.
- ``stats.resolved_at``/``closed_at`` give a ``close`` event and
  ``stats.reopened_at`` a ``reopen`` when the ticket has no activity log.
- The ticket activities export (``activities_data``) gives responder / group
  changes (``assign``, or ``transfer`` once an owner was set) and status
  changes (Resolved/Closed -> close; out of them -> reopen).
- Satisfaction ratings (``ratings.default_question``) give ``rating`` events.

Ticket ``source`` codes become the channel (1 email, 2 portal, 3 phone, 7 chat,
9 feedback widget, 10 outbound email). A conversation's author is the customer
when ``incoming`` or when ``user_id`` is the requester.

>>> CHANNELS[7], status_name(4)
('chat', 'resolved')
"""

from __future__ import annotations

from pathlib import Path

from csqa.ingest.readers import RawChunk
from csqa.ingest.records import Rows, html_to_text, ident, items, load_json, pick
from csqa.ingest.zendesk import status_event

NAME = "freshdesk"
SIGNS = {'"body_text"': 1, '"incoming"': 1, '"responder_id"': 2, '"activities_data"': 2,
         '"fr_due_by"': 2, '"description_text"': 1, '"fr_escalated"': 2, '"support_email"': 1,
         '"frDueBy"': 2, '"helpdesk_ticket"': 2, '"ratings":{': 1}
CHANNELS = {1: "email", 2: "portal", 3: "phone", 7: "chat", 9: "feedback_widget", 10: "email"}
_STATUS = {2: "open", 3: "pending", 4: "resolved", 5: "closed"}
DONE = ("resolved", "closed")


def status_name(value) -> str | None:
    """Freshdesk status code or name, lower case."""
    try:
        return _STATUS.get(int(value), str(value)).lower()
    except (TypeError, ValueError):
        return None if value is None else str(value).lower()


def _is_ticket(r: dict) -> bool:
    return "requester_id" in r and "subject" in r and "ticket_id" not in r


def _is_conversation(r: dict) -> bool:
    return "ticket_id" in r and ("incoming" in r or "private" in r)


def _is_activity(r: dict) -> bool:
    return "ticket_id" in r and isinstance(r.get("activity"), dict)


def _is_rating(r: dict) -> bool:
    return "ticket_id" in r and isinstance(r.get("ratings"), dict)


def _unwrap(doc):
    """v1 wraps a ticket as ``{"helpdesk_ticket": {...}}``."""
    if isinstance(doc, list):
        return [_unwrap(d) for d in doc]
    if isinstance(doc, dict) and isinstance(doc.get("helpdesk_ticket"), dict):
        return doc["helpdesk_ticket"]
    return doc


class _Tickets:
    def __init__(self, docs: list) -> None:
        self.by_id = {ident(t["id"]): t for t in items(docs, _is_ticket)}

    def base(self, tid: str) -> dict:
        t = self.by_id.get(tid, {})
        return {"conversation_id": tid, "customer_id": ident(t.get("requester_id")),
                "channel": CHANNELS.get(t.get("source"), pick(t, "source_name"))}


def _conversation_row(rows: Rows, tickets: _Tickets, c: dict, tid: str, where: str) -> None:
    base = tickets.base(tid)
    user = ident(c.get("user_id"))
    incoming = c.get("incoming") in (True, "true")
    private = c.get("private") in (True, "true")
    role = "customer" if incoming or (user is not None and user == base["customer_id"]) else "agent"
    text = c.get("body_text") if c.get("body_text") is not None else html_to_text(c.get("body"))
    rows.add(f"{where} / conversation {ident(c.get('id'))}", **base, message_id=ident(c.get("id")),
             timestamp=c.get("created_at"), sender_role=role, sender_id=user,
             kind="note" if private else "message", text=text)


def _ticket_rows(rows: Rows, tickets: _Tickets, t: dict, logged: set[str]) -> None:
    tid = ident(t["id"])
    base = tickets.base(tid)
    where = f"ticket {tid}"
    text = t.get("description_text") if t.get("description_text") is not None else \
        html_to_text(pick(t, "description", "description_html"))
    rows.add(f"{where} / description", **base, message_id=f"{tid}:description",
             timestamp=t.get("created_at"), sender_role="customer", sender_id=base["customer_id"],
             kind="message", text=text)
    for c in t.get("notes") or []:  # v1; v2's embedded conversations carry ticket_id
        _conversation_row(rows, tickets, c.get("note", c), tid, where)
    if tid in logged:
        return
    for field, event in (("resolved_at", "close"), ("closed_at", "close"), ("reopened_at", "reopen")):
        at = pick(t, f"stats.{field}")
        if at and not (field == "closed_at" and pick(t, "stats.resolved_at")):
            rows.add(f"{where} / stats.{field}", **base, message_id=f"{tid}:{field}", timestamp=at,
                     sender_role="system", kind="event", event=event, text=field.removesuffix("_at"))


def _activity_rows(rows: Rows, tickets: _Tickets, a: dict, state: dict, k: int) -> None:
    tid = ident(a["ticket_id"])
    act = a["activity"]
    where = f"ticket {tid} / activity {k}"
    base = {**tickets.base(tid), "timestamp": a.get("performed_at"),
            "sender_id": ident(a.get("performer_id")),
            "sender_role": "agent" if a.get("performer_type") == "agent" else "system"}
    agent = pick(act, "agent_id", "responder_id", "Agent", "agent")
    group = pick(act, "group_id", "group", "Group")
    if agent is not None or group is not None:
        owned = tid in state.setdefault("owned", set())
        state["owned"].add(tid)
        rows.add(where, **base, kind="event", event="transfer" if owned else "assign",
                 assignee_id=ident(agent), queue=ident(group))
    status = pick(act, "status", "Status")
    if status is not None:
        new = status_name(status)
        previous = state.setdefault("status", {}).get(tid)
        state["status"][tid] = new
        rows.add(where, **base, kind="event", event=status_event(previous, new, done=DONE), text=new)


def _rating_row(rows: Rows, tickets: _Tickets, r: dict, where: str) -> None:
    rows.add(where, **tickets.base(ident(r["ticket_id"])), message_id=f"rating:{ident(r.get('id'))}",
             timestamp=r.get("created_at"), sender_role="customer", sender_id=ident(r.get("user_id")),
             kind="event", event="rating", text=ident(pick(r, "ratings.default_question")))


def read(files: list[Path], **_options) -> list[RawChunk]:
    """One chunk per export file (see the module docstring)."""
    docs = {path: [_unwrap(d) for d in load_json(path)] for path in files}
    tickets = _Tickets([d for ds in docs.values() for d in ds])
    logged = {ident(a["ticket_id"]) for ds in docs.values()
              for a in items(ds, _is_activity)}
    chunks, state = [], {}
    for ds in docs.values():
        rows = Rows()
        for t in items(ds, _is_ticket):
            with rows.record(f"ticket {ident(t['id'])}", t):
                _ticket_rows(rows, tickets, t, logged)
        for c in items(ds, _is_conversation):
            where = f"ticket {ident(c['ticket_id'])}"
            with rows.record(f"{where} / conversation {ident(c.get('id'))}", c):
                _conversation_row(rows, tickets, c, ident(c["ticket_id"]), where)
        activities = sorted(items(ds, _is_activity),
                            key=lambda a: str(a.get("performed_at")))
        for k, a in enumerate(activities, start=1):
            with rows.record(f"ticket {ident(a['ticket_id'])} / activity {k}", a):
                _activity_rows(rows, tickets, a, state, k)
        for r in items(ds, _is_rating):
            where = f"ticket {ident(r['ticket_id'])} / rating {ident(r.get('id'))}"
            with rows.record(where, r):
                _rating_row(rows, tickets, r, where)
        chunks.append(rows.chunk())
    return chunks
