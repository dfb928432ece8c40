"""Customer-support threads on Twitter/X in the TWCS layout (Customer Support on Twitter).

Columns: ``tweet_id, author_id, inbound, created_at, text, response_tweet_id,
in_response_to_tweet_id``. ``inbound`` True is the customer, False the company.
Conversations are rebuilt from the reply links: each tweet belongs to the thread
of its earliest ancestor present in the file (pointer jumping, vectorised), and
the conversation id is that root tweet's id. The company handle is the queue; an
agent's sign-off at the end of a company tweet (``^AB``, ``-AB``, ``/AB``,
``*AB``) makes the agent id ``{company}/{AB}``; an unsigned tweet has no agent id
(so it never looks like a hand-off). Booleans may be ``True``/``TRUE``/``1``.

>>> signature(pd.Series(["Please DM us. ^RR https://t.co/x", "Sorry! -JS", "Hi @1"])).tolist()
['RR', 'JS', nan]
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from csqa.errors import IngestError, input_error
from csqa.ingest.readers import RawChunk, read_csv_chunks, rejected_frame

NAME = "twcs"
COLUMNS = ("tweet_id", "author_id", "inbound", "created_at", "text", "response_tweet_id",
           "in_response_to_tweet_id")
_SIGN = r"(?:\^|(?<![\w@])[-–—/*~]\s?)(?P<sig>[A-Z][A-Za-z]{1,3})\s*(?:https?://\S+\s*)*$"
_TRUE, _FALSE = {"true", "1", "yes", "t"}, {"false", "0", "no", "f"}


def sniff(head: str) -> bool:
    first = head.split("\n", 1)[0].lower()
    return all(c in first for c in ("tweet_id", "author_id", "inbound", "in_response_to_tweet_id"))


def signature(text: pd.Series) -> pd.Series:
    """The agent initials a company tweet ends with (before trailing links), if any."""
    return text.astype("string").str.extract(_SIGN)["sig"].astype(object).where(lambda s: s.notna())


def thread_roots(ids: pd.Series, parents: pd.Series) -> np.ndarray:
    """Position of each tweet's earliest ancestor in the file (itself if it has none)."""
    index = pd.Index(ids)
    parent = index.get_indexer(parents)
    own = np.arange(len(ids))
    root = np.where(parent >= 0, parent, own)
    while True:
        nxt = root[root]
        if np.array_equal(nxt, root):
            return root
        root = nxt


def _read_one(path: Path) -> RawChunk:
    frames = list(read_csv_chunks(path))
    frame = pd.concat([c.frame for c in frames], ignore_index=True)
    rows = np.concatenate([c.rows for c in frames])
    missing = [c for c in COLUMNS[:5] if c not in frame.columns]
    if missing:
        raise input_error(IngestError, str(path), f"missing TWCS columns {missing}",
                          expected=f"the columns {list(COLUMNS)}", found=f"columns {list(frame.columns)}")
    ids = frame["tweet_id"].str.strip()
    flag = frame["inbound"].str.strip().str.lower()
    inbound = flag.isin(_TRUE)
    bad = ~(inbound | flag.isin(_FALSE))
    dup = ids.duplicated() & ids.notna()
    reject = (bad | dup).to_numpy()
    flagged = frame[reject]
    problems = np.where(bad[reject], "inbound is " + flagged["inbound"].fillna("").map(repr)
                        + " (expected True or False)", "duplicate tweet_id " + ids[reject].fillna("").map(repr))
    rejected = rejected_frame(rows[reject], np.where(bad[reject], "inbound", "tweet_id"), problems,
                              flagged.to_json(orient="records", lines=True, force_ascii=False)
                              .rstrip("\n").split("\n") if reject.any() else [])
    frame, ids, inbound, rows = frame[~reject], ids[~reject], inbound[~reject], rows[~reject]
    parent = frame.get("in_response_to_tweet_id", pd.Series(None, index=frame.index, dtype="string")).str.strip()
    parent = parent.str.replace(r"\.0$", "", regex=True)
    root = thread_roots(ids.reset_index(drop=True), parent.reset_index(drop=True))
    company = frame["author_id"].where(~inbound)
    # the company of a thread: any company author in it (customers' tweets belong to it too)
    thread_company = pd.Series(company.to_numpy()).groupby(root).transform("first").to_numpy()
    sig = signature(frame["text"].where(~inbound))
    agent = (company.astype("string") + "/" + sig.astype("string")).astype(object).where(sig.notna())
    stamp = pd.to_datetime(frame["created_at"], format="%a %b %d %H:%M:%S %z %Y", errors="coerce", utc=True)
    out = pd.DataFrame({
        "conversation_id": ids.to_numpy()[root],
        "message_id": ids.to_numpy(),
        # an unparseable date keeps its text, so the generic checks reject it with the value
        "timestamp": stamp.dt.strftime("%Y-%m-%dT%H:%M:%SZ").fillna(frame["created_at"]).to_numpy(),
        "sender_role": np.where(inbound, "customer", "agent"),
        "sender_id": np.where(inbound, frame["author_id"], agent.astype(object)),
        "kind": "message",
        "queue": thread_company,
        "channel": "twitter",
        "text": frame["text"].to_numpy(),
        "customer_id": frame["author_id"].where(inbound).to_numpy(),
    })
    return RawChunk(out, rows, rejected)


def read(files: list[Path], **_options) -> list[RawChunk]:
    """One chunk per TWCS CSV file (see the module docstring)."""
    return [_read_one(path) for path in files]
