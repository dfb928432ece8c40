"""Zammad tickets, articles and ticket history (REST API, including ``assets`` responses).

- Articles (``/ticket_articles/by_ticket/{id}``, or ``assets.TicketArticle``):
  ``sender`` Customer -> customer, Agent -> agent, System -> bot (trigger mails);
  ``internal`` or type ``note`` -> internal note. HTML bodies (``content_type``
  ``text/html``) have their tags dropped. The article ``type`` (email, phone,
  web, chat, sms...) is the channel.
- Tickets give the customer (``customer_id``) of each conversation.
- Ticket history (``/ticket_history/{id}``: ``history_attribute`` owner / group
  / state with ``value_from``/``value_to``) gives ``assign``/``transfer`` events
  and state changes (closed / merged -> close, out of them -> reopen).

>>> article_role({"sender": "System"}), article_kind({"internal": True, "type": "email"})
('bot', 'note')
"""

from __future__ import annotations

from pathlib import Path

from csqa.ingest.readers import RawChunk
from csqa.ingest.records import Rows, html_to_text, ident, items, load_json
from csqa.ingest.zendesk import status_event

NAME = "zammad"
SIGNS = {'"TicketArticle"': 2, '"internal"': 1, '"sender"': 1, '"history_attribute"': 2,
         '"article_count"': 2, '"owner_id"': 1, '"state_id"': 1, '"created_by_id"': 1,
         '"content_type"': 1, '"sender":"Customer"': 2, '"sender":"Agent"': 2}
_ROLES = {"customer": "customer", "agent": "agent", "system": "bot"}
_SENDER_IDS = {1: "agent", 2: "customer", 3: "bot"}
DONE = ("closed", "merged", "removed")


def article_role(article: dict) -> str | None:
    sender = article.get("sender")
    if sender is not None:
        return _ROLES.get(str(sender).lower())
    return _SENDER_IDS.get(article.get("sender_id"))


def article_kind(article: dict) -> str:
    internal = article.get("internal") in (True, "true") or str(article.get("type")).lower() == "note"
    return "note" if internal else "message"


def _is_article(r: dict) -> bool:
    return "ticket_id" in r and "body" in r and ("sender" in r or "sender_id" in r)


def _is_ticket(r: dict) -> bool:
    return "customer_id" in r and ("title" in r or "number" in r) and "ticket_id" not in r


def _is_history(r: dict) -> bool:
    return "history_attribute" in r and "o_id" in r


def read(files: list[Path], **_options) -> list[RawChunk]:
    """One chunk per export file (see the module docstring)."""
    docs = {path: load_json(path) for path in files}
    all_docs = [d for ds in docs.values() for d in ds]
    tickets = items(all_docs, _is_ticket)
    customer = {ident(t.get("id")): ident(t.get("customer_id")) for t in tickets}
    chunks = []
    for ds in docs.values():
        rows = Rows()
        for a in items(ds, _is_article):
            where = f"ticket {ident(a['ticket_id'])} / article {ident(a.get('id'))}"
            with rows.record(where, a):
                _article_row(rows, a, customer, where)
        state: dict[str, str] = {}
        history = sorted(items(ds, _is_history), key=lambda h: str(h.get("created_at")))
        for h in history:
            where = f"ticket {ident(h['o_id'])} / history {ident(h.get('id'))}"
            with rows.record(where, h):
                _history_row(rows, h, customer, state, where)
        chunks.append(rows.chunk())
    return chunks


def _article_row(rows: Rows, a: dict, customer: dict, where: str) -> None:
    tid = ident(a["ticket_id"])
    role = article_role(a)
    if role is None:
        rows.reject(where, "sender_role", f"unknown sender {a.get('sender', a.get('sender_id'))!r} "
                    "(expected Customer, Agent or System)", a)
        return
    body = a.get("body")
    if "html" in str(a.get("content_type", "")).lower():
        body = html_to_text(body)
    rows.add(where, conversation_id=tid, message_id=ident(a.get("id")),
             timestamp=a.get("created_at"), sender_role=role,
             sender_id=ident(a.get("created_by_id")) or a.get("from"), kind=article_kind(a),
             channel=a.get("type"), text=body,
             customer_id=customer.get(tid) or (ident(a.get("created_by_id")) if role == "customer" else None))


def _history_row(rows: Rows, h: dict, customer: dict, state: dict, where: str) -> None:
    attribute = str(h["history_attribute"]).lower()
    tid = ident(h["o_id"])
    base = {"conversation_id": tid, "timestamp": h.get("created_at"), "sender_role": "agent",
            "sender_id": ident(h.get("created_by_id")), "kind": "event", "customer_id": customer.get(tid)}
    if attribute in ("owner", "owner_id", "group", "group_id"):
        to = ident(h.get("id_to")) or h.get("value_to")
        moved = (ident(h.get("id_from")) or h.get("value_from")) not in (None, "", "-", "1")
        is_group = attribute.startswith("group")
        rows.add(where, **base, event="transfer" if moved else "assign",
                 assignee_id=None if is_group else to, queue=to if is_group else None)
    elif attribute in ("state", "state_id"):
        new = str(h.get("value_to")).lower()
        previous = state.get(tid, str(h.get("value_from")).lower())
        state[tid] = new
        rows.add(where, **base, event=status_event(previous, new, done=DONE), text=new)
