"""Zendesk Support exports: tickets, comments, audits, incremental events, ratings.

Understood (in any mix of JSON / JSON Lines files, side-loaded or separate):

- ``audits`` (``GET /tickets/{id}/audits``, ``/ticket_audits``): each ``Comment``
  event is a message (``public: false`` = internal note); ``Create``/``Change``
  of ``assignee_id``/``group_id`` give one ``assign`` (first owner) or
  ``transfer`` event per audit; ``status`` changes give ``close`` (to solved,
  or closed straight from an open state), ``reopen`` (out of solved/closed) or
  ``status``; ``SatisfactionRating`` events give ``rating`` (text = score).
- ``ticket_events`` (incremental ticket event export, ``child_events`` with the
  changed field as a key, comments with ``include=comment_events``): the same.
- ``tickets`` (incremental ticket export, ``/tickets``): requester, channel and
  group of each ticket; a ticket with embedded ``comments`` gives its messages,
  and a ticket nothing else describes gives its ``description`` as the first message.
- ``satisfaction_ratings``: ``rating`` events (``offered``/``unoffered`` are not ratings,
  and a rating the audits already hold is not repeated).
- ``users``: roles (``end-user`` = customer; ``agent``, ``admin`` = agent). Without
  them, the requester is the customer, user ``-1`` the system and every other
  author an agent. ``ticket_metrics`` and other objects are not rows.

>>> from csqa.ingest import read_messages                               # doctest: +SKIP
>>> read_messages(["audits.json", "users.json"]).messages               # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

from csqa.ingest.readers import RawChunk
from csqa.ingest.records import Rows, ident, items, load_json, objects, pick

NAME = "zendesk"
SIGNS = {'"audits"': 2, '"ticket_events"': 2, '"child_events"': 2, '"field_name"': 2,
         '"satisfaction_ratings"': 2, '"type":"Comment"': 2, '"submitter_id"': 1,
         '"role":"end-user"': 2, '"role":"agent"': 1, '"role":"admin"': 1, '"html_body"': 1,
         '"score":"good"': 2, '"score":"bad"': 2, '"score":"offered"': 2, '"ticket_restriction"': 2,
         '"via":{': 1}
_ROLES = {"end-user": "customer", "agent": "agent", "admin": "agent"}
_BOT_CHANNELS = {"answer_bot", "answer_bot_for_agents", "answer_bot_for_sdk", "answer_bot_for_slack",
                 "answer_bot_for_web_widget", "answer_bot_api"}
DONE = ("solved", "closed")
SYSTEM_USER = "-1"


def status_event(previous: str | None, new: str | None, *, done: tuple[str, ...] = DONE) -> str:
    """The canonical event for a status change.

    >>> status_event("open", "solved"), status_event("solved", "open"), status_event("solved", "closed")
    ('close', 'reopen', 'status')
    """
    prev_done, new_done = (previous or "").lower() in done, (new or "").lower() in done
    if new_done and not prev_done:
        return "close"
    if prev_done and not new_done:
        return "reopen"
    return "status"


def _is_audit(r: dict) -> bool:
    return "ticket_id" in r and isinstance(r.get("events"), list)


def _is_ticket_event(r: dict) -> bool:
    return "ticket_id" in r and isinstance(r.get("child_events"), list)


def _is_ticket(r: dict) -> bool:
    return "requester_id" in r and ("subject" in r or "description" in r) and "ticket_id" not in r


def _is_rating(r: dict) -> bool:
    return "score" in r and "ticket_id" in r


def _is_user(r: dict) -> bool:
    return "role" in r and "id" in r and "email" in r


class _Context:
    """What every file may need: user roles, ticket requesters, channels and groups."""

    def __init__(self, docs: list) -> None:
        self.roles = {ident(u["id"]): _ROLES.get(str(u.get("role")).lower()) for u in
                      items(docs, _is_user)}
        self.tickets = {ident(t["id"]): t for t in items(docs, _is_ticket)}
        self.requester = {k: ident(t.get("requester_id")) for k, t in self.tickets.items()}
        self.channel = {k: pick(t, "via.channel") for k, t in self.tickets.items()}
        self.described: set[str] = set()  # tickets whose comments come from audits/events/embedded
        self.rated: set[str] = set()  # tickets whose rating is an audit event

    def role(self, author: str | None, ticket: str, via: str | None = None) -> str | None:
        if via in _BOT_CHANNELS:
            return "bot"
        if author == SYSTEM_USER:
            return "system"
        if author in self.roles and self.roles[author]:
            return self.roles[author]
        requester = self.requester.get(ticket)
        if requester is None:
            return None
        return "customer" if author == requester else "agent"


def _child_changes(event: dict) -> list[tuple[str, object, object]]:
    """(field, value, previous) of a Create/Change event of either export."""
    if "field_name" in event:
        return [(event["field_name"], event.get("value"), event.get("previous_value"))]
    fields = [f for f in ("assignee_id", "group_id", "status", "requester_id") if f in event]
    return [(f, event[f], event.get("previous_value")) for f in fields]


def _audit_rows(rows: Rows, ctx: _Context, audit: dict, events: list, where: str) -> None:
    tid = ident(audit["ticket_id"])
    at = pick(audit, "created_at", "timestamp")
    author = ident(pick(audit, "author_id", "updater_id"))
    via = pick(audit, "via.channel", "via")
    if ctx.channel.get(tid) is None and isinstance(via, str):  # the ticket's channel: its first audit's
        ctx.channel[tid] = via
    channel = ctx.channel.get(tid)
    for change in (e for e in events if e.get("type", e.get("event_type")) in ("Create", "Change")):
        for field, value, _ in _child_changes(change):
            if field == "requester_id" and value is not None:
                ctx.requester.setdefault(tid, ident(value))
    base = {"conversation_id": tid, "timestamp": at, "channel": channel,
            "customer_id": ctx.requester.get(tid)}
    owner: dict[str, object] = {}
    moved = False
    for k, event in enumerate(events, start=1):
        kind = event.get("type", event.get("event_type"))
        place = f"{where} / event {ident(event.get('id')) or k}"
        if kind in ("Comment", "VoiceComment"):
            who = ident(event.get("author_id")) or author
            role = ctx.role(who, tid, pick(event, "via.channel"))
            if role is None:
                rows.reject(place, "sender_role", f"cannot tell who wrote comment by user {who}: the "
                            "ticket's requester is unknown (add the tickets or users export)", event)
                continue
            public = event.get("public", True) not in (False, "false")
            rows.add(place, **base, message_id=ident(event.get("id")), sender_role=role, sender_id=who,
                     kind="message" if public else "note", text=pick(event, "body", "plain_body"))
        elif kind in ("Create", "Change"):
            for field, value, previous in _child_changes(event):
                if field in ("assignee_id", "group_id"):
                    owner[field] = ident(value)
                    moved |= kind == "Change" and previous not in (None, "")
                elif field == "status" and (kind == "Change" or str(value).lower() in DONE):
                    name = status_event(None if kind == "Create" else previous, value)
                    rows.add(place, **base, message_id=ident(event.get("id")),
                             sender_role=ctx.role(author, tid) or "system", sender_id=author,
                             kind="event", event=name, text=value)
        elif kind == "SatisfactionRating" and event.get("score") not in ("offered", "unoffered", None):
            rows.add(place, **base, message_id=ident(event.get("id")), sender_role="customer",
                     sender_id=ctx.requester.get(tid), kind="event", event="rating", text=event["score"])
    if owner:
        rows.add(f"{where} / assignment", **base, sender_role=ctx.role(author, tid) or "system",
                 sender_id=author, kind="event", event="transfer" if moved else "assign",
                 assignee_id=owner.get("assignee_id"), queue=owner.get("group_id"))


def _ticket_rows(rows: Rows, ctx: _Context, ticket: dict, where: str) -> None:
    tid = ident(ticket["id"])
    base = {"conversation_id": tid, "channel": ctx.channel.get(tid), "customer_id": ctx.requester.get(tid)}
    comments = ticket.get("comments")
    if isinstance(comments, list):
        for k, c in enumerate(comments, start=1):
            where_c = f"{where} / comment {ident(c.get('id')) or k}"
            who = ident(c.get("author_id"))
            role = ctx.role(who, tid, pick(c, "via.channel"))
            if role is None:
                rows.reject(where_c, "sender_role", f"cannot tell who wrote comment by user {who}", c)
                continue
            public = c.get("public", True) not in (False, "false")
            rows.add(where_c, **base, timestamp=c.get("created_at"), message_id=ident(c.get("id")),
                     sender_role=role, sender_id=who, kind="message" if public else "note",
                     text=pick(c, "body", "plain_body"))
        return
    if tid in ctx.described:
        return
    who = ident(ticket.get("submitter_id")) or ctx.requester.get(tid)
    rows.add(f"{where} / description", **base, timestamp=ticket.get("created_at"),
             message_id=f"{tid}:description", sender_role=ctx.role(who, tid) or "customer",
             sender_id=who, kind="message", text=ticket.get("description"))


def read(files: list[Path], **_options) -> list[RawChunk]:
    """One chunk of canonical rows per file (see the module docstring)."""
    docs = {path: load_json(path) for path in files}
    ctx = _Context([d for ds in docs.values() for d in ds])
    for ds in docs.values():
        ctx.described |= {ident(a["ticket_id"]) for a in items(ds, _is_audit)}
        ctx.described |= {ident(e["ticket_id"]) for e in items(ds, _is_ticket_event)}
        ctx.rated |= {ident(a["ticket_id"]) for a in items(ds, _is_audit)
                      if any(e.get("type") == "SatisfactionRating" for e in objects(a["events"]))}
    chunks = []
    for ds in docs.values():
        rows = Rows()
        for audit in items(ds, _is_audit):
            where = f"ticket {ident(audit['ticket_id'])} / audit {ident(audit.get('id'))}"
            with rows.record(where, audit):
                _audit_rows(rows, ctx, audit, audit["events"], where)
        for event in items(ds, _is_ticket_event):
            where = f"ticket {ident(event['ticket_id'])} / ticket event {ident(event.get('id'))}"
            with rows.record(where, event):
                _audit_rows(rows, ctx, event, event["child_events"], where)
        for ticket in items(ds, _is_ticket):
            where = f"ticket {ident(ticket['id'])}"
            with rows.record(where, ticket):
                _ticket_rows(rows, ctx, ticket, where)
        for rating in items(ds, _is_rating):
            where = f"satisfaction rating {ident(rating.get('id'))}"
            with rows.record(where, rating):
                _rating_row(rows, ctx, rating, where)
        chunks.append(rows.chunk())
    return chunks


def _rating_row(rows: Rows, ctx: _Context, rating: dict, where: str) -> None:
    tid = ident(rating["ticket_id"])
    if rating.get("score") in ("offered", "unoffered", None) or tid in ctx.rated:
        return
    rows.add(where, conversation_id=tid, message_id=f"rating:{ident(rating.get('id'))}",
             timestamp=pick(rating, "updated_at", "created_at"), sender_role="customer",
             sender_id=ident(rating.get("requester_id")), kind="event", event="rating",
             text=rating["score"], customer_id=ident(rating.get("requester_id")),
             assignee_id=ident(rating.get("assignee_id")), queue=ident(rating.get("group_id")))
