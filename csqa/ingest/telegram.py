"""Telegram Desktop JSON exports (``result.json``): one chat, or the whole account.

A single-chat export is ``{"name", "type", "id", "messages": [...]}``; a full
export holds chats under ``chats.list`` (and ``left_chats.list``). A message's
``text`` is a string or a list of strings and entities (``{"type": "bold",
"text": ...}``); the pieces are joined as they are. ``service`` messages (member
added, chat created, pinned...) become events named after their ``action``.
Times come from ``date_unixtime`` (UTC) when present, else ``date`` (the
exporting computer's local time: pass ``timezone``).

As for WhatsApp, ``agents`` names the business (display names or ``from_id``
such as ``user123456``) and a silence longer than ``session_gap`` starts a new
conversation ``{chat id}#{n}``.

>>> flatten_text(["See ", {"type": "link", "text": "https://t.me"}, "!"])
'See https://t.me!'
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from csqa.ingest.readers import RawChunk
from csqa.ingest.records import Rows, check_agents, ident, load_json, pick
from csqa.ingest.timestamps import parse_timestamps
from csqa.ingest.whatsapp import person_key

NAME = "telegram"
SIGNS = {'"date_unixtime"': 2, '"text_entities"': 2, '"from_id"': 1, '"personal_chat"': 2,
         '"private_supergroup"': 2, '"service"': 1, '"actor_id"': 1, '"chats"': 1}


def flatten_text(text) -> str | None:
    """A Telegram ``text`` value (string, or list of strings and entities) as one string."""
    if text is None or isinstance(text, str):
        return text
    if isinstance(text, list):
        return "".join(t if isinstance(t, str) else str(t.get("text", "")) for t in text)
    return str(text)


def _chats(doc) -> list[dict]:
    if isinstance(doc, dict) and isinstance(doc.get("messages"), list):
        return [doc]
    if isinstance(doc, dict):
        found = []
        for key in ("chats", "left_chats"):
            listed = pick(doc, f"{key}.list")
            if isinstance(listed, list):
                found.extend(c for c in listed if isinstance(c, dict) and isinstance(c.get("messages"), list))
        return found
    return []


def _chat_rows(rows: Rows, chat: dict, k: int, agent_keys: set[str]) -> None:
    chat_id = ident(chat.get("id")) or chat.get("name") or f"chat{k}"
    for j, msg in enumerate(chat["messages"], start=1):
        where = f"chat {chat_id} / message {j}"
        with rows.record(where, msg):
            _message_row(rows, msg, chat_id, j, agent_keys)


def _message_row(rows: Rows, msg: dict, chat_id: str, j: int, agent_keys: set[str]) -> None:
    where = f"chat {chat_id} / message {ident(msg.get('id')) or j}"
    kind = msg.get("type", "message")
    when = msg.get("date_unixtime") or msg.get("date")
    if kind == "service":
        actor = ident(msg.get("actor_id")) or msg.get("actor")
        rows.add(where, conversation_id=chat_id, message_id=ident(msg.get("id")), timestamp=when,
                 sender_role="system", sender_id=actor, kind="event",
                 event=msg.get("action") or "service", channel="telegram",
                 text=flatten_text(msg.get("text")) or None)
        return
    if kind != "message":
        rows.reject(where, "type", f"unknown message type {kind!r} (expected 'message' or 'service')", msg)
        return
    name, uid = msg.get("from"), ident(msg.get("from_id"))
    is_agent = any(v is not None and person_key(str(v)) in agent_keys for v in (name, uid))
    sender = uid or name
    text = flatten_text(msg.get("text"))
    if not text:
        text = msg.get("sticker_emoji") or msg.get("file_name") or msg.get("media_type") or msg.get("photo")
    rows.add(where, conversation_id=chat_id, message_id=ident(msg.get("id")), timestamp=when,
             sender_role="agent" if is_agent else "customer", sender_id=sender, kind="message",
             channel="telegram", text=text, customer_id=None if is_agent else sender)


def _sessions(frame: pd.DataFrame, gap: pd.Timedelta) -> pd.Series:
    """``{chat}#{n}``: a new conversation after a silence longer than ``gap``."""
    ts = parse_timestamps(frame["timestamp"].astype("string"))  # unreadable times: rejected later
    chat = frame["conversation_id"]
    step = (ts.diff() > gap) & (chat == chat.shift())
    number = step.astype("int64").groupby(chat.to_numpy()).cumsum() + 1
    return chat.astype(str) + "#" + number.astype(str)


def read(files: list[Path], *, agents: tuple[str, ...] = (), session_gap="24h", **_options) -> list[RawChunk]:
    """One chunk per export file (see the module docstring)."""
    keys = {person_key(str(a)) for a in agents}
    chunks = []
    for path in files:
        rows = Rows()
        for doc in load_json(path):
            for k, chat in enumerate(_chats(doc), start=1):
                _chat_rows(rows, chat, k, keys)
        chunk = rows.chunk()
        if len(chunk.frame):
            chunk.frame["conversation_id"] = _sessions(chunk.frame, pd.Timedelta(session_gap))
        chunks.append(chunk)
    check_agents(files, [c.frame for c in chunks], agents)
    return chunks
