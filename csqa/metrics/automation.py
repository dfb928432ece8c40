"""Automation and the people behind it (DESIGN "Automation"): canned replies, context-blind
replies, requests for a human, bot containment and upsells pushed on unhappy customers.

- **Canned reply**: an agent or bot message that belongs to a *template*, a cluster of
  near-identical messages (Jaccard similarity of their character 4-grams >= ``similarity``,
  numbers and e-mails ignored; candidate pairs found by MinHash bands, so messages are never
  compared all against all) sent in at least ``min_conversations`` conversations.
- **Context-blind reply**: a generic opener ("how can I help you today?", «چطور می‌تونم
  کمکتون کنم», «كيف يمكنني مساعدتك») sent after the customer had already described the
  issue (a customer message with at least ``min_chars`` letters besides courtesy phrases).
- **Request for a human**: a customer message asking for a person ("talk to a human",
  «می‌خوام با اپراتور صحبت کنم», «اريد التحدث مع موظف»); met when a human agent replies
  after it. A mention such as "the agent told me" is not a request.
- **Bot containment**: a conversation the bot handled alone -- no human agent message,
  no handoff, no request for a human, and the customer not left waiting (closed after the
  customer's last message, or the last public message is the bot's). Escape: a bot
  conversation that reached a human.
- **Upsell to an unhappy customer**: an offer or promotion from an agent or bot before the
  customer's problem is resolved -- no close event since the customer last wrote, and that
  message is not positive (sentiment < ``positive``) -- unless the customer asked for a
  deal. ``reason`` is "negative" when that last message is clearly negative (<=
  ``negative``), else "unresolved".

Phrases are package data (``csqa/text/lexicons/automation.json``) in English, Arabic and Persian.

>>> import pandas as pd
>>> m = pd.DataFrame({
...     "conversation_id": ["c1"] * 5,
...     "timestamp": pd.date_range("2026-01-01 10:00", periods=5, freq="min", tz="UTC"),
...     "sender_role": ["customer", "bot", "customer", "agent", "agent"],
...     "text": ["My order 245-12784 arrived broken, the screen is cracked",
...              "Hi! How can I help you today?", "I want to talk to a human", "Hi, I'm Sam. Checking it now.",
...              "While you wait: upgrade to premium for only $5!"],
... })
>>> context_blind(m)["message_id"].tolist()
['c1:1']
>>> human_requests(m)[["message_id", "met", "time_to_human_s"]].values.tolist()
[['c1:2', True, 60.0]]
>>> upsells(m)[["message_id", "to_unhappy", "reason"]].values.tolist()
[['c1:4', True, 'unresolved']]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from csqa.arrays import sorted_distinct, splitmix
from csqa.kernels import minhash_bands, row_overlaps
from csqa.metrics.frame import Ordered, prepare, seconds_between
from csqa.metrics.repeats import _public_text, _substantive_customer
from csqa.metrics.sentiment import NEGATIVE, message_scores
from csqa.parallel import map_chunks
from csqa.text.entities import similarity_text
from csqa.text.lexicons import find_phrases, has_phrase, joined_words, lexicon_phrases
from csqa.text.vectorize import CharNgramVectorizer

MAX_CHARS = 1000
AUTOMATION_COLUMNS = ("n_canned", "canned_share", "context_blind", "human_requested", "human_request_met",
                      "time_to_human_s", "bot_handled", "bot_contained", "bot_escaped", "upsell_to_unhappy")
CANNED_SIMILARITY, CANNED_MIN_CONVERSATIONS = 0.7, 3  # defaults of the canned-reply detector
_N_HASHES, _BAND = 24, 4  # minhash signature: 6 bands of 4 hashes


def _check(name: str, fn: str, value, low: float, high: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ValueError(f"The '{name}' parameter of {fn} must be a number in [{low}, {high}]. "
                         f"Got {value!r} instead.")


def _replies(o: Ordered) -> tuple[np.ndarray, pd.Series]:
    """(rows, normalised text) of the public agent and bot messages with text, in row order."""
    (agent_rows, agent), (bot_rows, bot) = _public_text(o, "agent", MAX_CHARS), _public_text(o, "bot", MAX_CHARS)
    rows = np.r_[agent_rows, bot_rows]
    order = np.argsort(rows, kind="stable")
    norm = pd.concat([agent, bot], ignore_index=True).iloc[order].reset_index(drop=True)
    return rows[order], norm


def _matchable(o: Ordered, who: str) -> tuple[np.ndarray, pd.Series]:
    """(rows, :func:`joined_words` text) of the customer's ("customer") or the agents' and
    bots' ("replies") public messages; computed once per ordered table, shared by the detectors."""
    cache = o.__dict__.setdefault("_matchable", {})
    if who not in cache:
        rows, norm = _public_text(o, "customer", MAX_CHARS) if who == "customer" else _replies(o)
        cache[who] = rows, joined_words(norm)
    return cache[who]


_SALT = splitmix(np.arange(1, _N_HASHES + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15))
_ODD = splitmix(_SALT) | np.uint64(1)


@dataclass(frozen=True)
class NgramSets:
    """Sets of hashed character n-grams: row ``i`` is ``indices[indptr[i]:indptr[i + 1]]``
    (each column once; 4 bytes an entry, no values)."""

    indptr: np.ndarray
    indices: np.ndarray
    n_cols: int

    def __len__(self) -> int:
        return len(self.indptr) - 1


def _jaccard(grams: NgramSets, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Exact Jaccard similarity of the n-gram sets of row pairs."""
    if not len(left):
        return np.zeros(0)
    both = np.concatenate(map_chunks(
        lambda a, b: row_overlaps(grams.indptr, grams.indices, left[a:b], right[a:b], n_cols=grams.n_cols),
        len(left), 50_000))
    sizes = np.diff(grams.indptr)
    return both / (sizes[left] + sizes[right] - both)


def _band_keys(grams: NgramSets) -> np.ndarray:
    """(n, bands) key of each band of the rows' MinHash signatures (24 hashes of each
    n-gram: one hash, then 24 cheap bijections of it; 6 bands of 4): rows sharing a key
    are candidate near-duplicates. Row blocks on all cores."""
    parts = map_chunks(lambda a, b: minhash_bands(grams.indptr[a:b + 1], grams.indices, _SALT, _ODD, _BAND),
                       len(grams), 20_000)
    return np.vstack(parts) if parts else np.zeros((0, _N_HASHES // _BAND), np.uint64)


def _rep_pairs(node: np.ndarray, bucket: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(node, representative) pairs: each node of a bucket linked to the bucket's first
    (lowest-numbered) node. ``node`` and ``bucket`` are parallel: one row per membership."""
    first = np.full(bucket.max() + 1 if len(bucket) else 0, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, bucket, node)
    rep = first[bucket]
    linked = rep != node
    return node[linked], rep[linked]


def similar_pairs(grams: NgramSets, node: np.ndarray, bucket: np.ndarray,
                  similarity: float) -> tuple[np.ndarray, np.ndarray]:
    """(i, j) node pairs linked as near-duplicates: each node against the first node of every
    MinHash bucket it is in (see :func:`_rep_pairs`), kept when the Jaccard similarity of
    their n-gram sets (rows of ``grams``) is >= ``similarity``. Nodes are numbered in table
    order of their first use, so the pairs do not depend on how the data are split."""
    i, j = _rep_pairs(node, bucket)
    n = np.int64(max(len(grams), 1))
    pair = sorted_distinct(i.astype(np.int64) * n + j)  # distinct pairs, sorted by i (n**2 < 2**63 for n < 3e9)
    i, j = pair // n, pair % n
    keep = _jaccard(grams, i, j) >= similarity
    return i[keep], j[keep]


def _clusters(grams: NgramSets, similarity: float) -> np.ndarray:
    """Cluster label per text: texts linked when they share a band of their MinHash
    signature (candidates) and their n-gram sets have Jaccard similarity >= ``similarity``."""
    n = len(grams)
    codes = [pd.factorize(key)[0] for key in _band_keys(grams).T]
    offsets = np.cumsum([0] + [int(c.max()) + 1 if n else 0 for c in codes[:-1]])
    bucket = np.concatenate([c + off for c, off in zip(codes, offsets, strict=True)])
    i, j = similar_pairs(grams, np.tile(np.arange(n), len(codes)), bucket, similarity)
    graph = sp.coo_matrix((np.ones(len(i), np.int8), (i, j)), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def _grams(content: pd.Series) -> NgramSets:
    """Sets of hashed character 4-grams of comparable texts, blocks on all cores."""
    texts = content.reset_index(drop=True)
    vectorizer = CharNgramVectorizer(ngram_range=(4, 4))
    blocks = map_chunks(lambda a, b: vectorizer.counts(texts.iloc[a:b]), len(texts), 10_000)
    sizes = np.concatenate([np.diff(block.indptr) for block in blocks] or [np.zeros(0, np.int64)])
    indices = np.concatenate([block.indices for block in blocks] or [np.zeros(0, np.int32)])
    return NgramSets(np.r_[0, np.cumsum(sizes)], indices, vectorizer.n_columns)


def canned_candidates(o: Ordered, *, min_chars: int = 20) -> tuple[np.ndarray, pd.Series]:
    """(rows, comparable text) of the agent and bot messages long enough to be canned."""
    rows, norm = _replies(o)
    content = similarity_text(norm)
    keep = np.flatnonzero(content.str.len().fillna(0).to_numpy() >= min_chars)
    return rows[keep], content.iloc[keep].reset_index(drop=True)


def canned_band_keys(content: pd.Series) -> np.ndarray:
    """(n, bands) MinHash band keys of comparable texts (see :func:`canned_candidates`):
    only texts sharing a key in some band are compared (see :func:`canned_links`)."""
    return _band_keys(_grams(content)) if len(content) else np.zeros((0, _N_HASHES // _BAND), np.uint64)


def canned_links(content: pd.Series, node: np.ndarray, bucket: np.ndarray,
                 similarity: float = CANNED_SIMILARITY) -> tuple[np.ndarray, np.ndarray]:
    """:func:`similar_pairs` of distinct comparable texts (``content``, in table order of
    first use; ``node`` indexes it) given their band memberships (``bucket``: one code per
    distinct (band, key)). Connected, the pairs make the templates' clusters."""
    return similar_pairs(_grams(content), node, bucket, similarity)


def template_of(content: pd.Series, conversation: np.ndarray, *,
                min_conversations: int = CANNED_MIN_CONVERSATIONS, similarity: float = CANNED_SIMILARITY) -> np.ndarray:
    """Template number of each comparable text (-1: none), texts in table order with the
    ``conversation`` each came from; 0 is the template used in the most conversations."""
    if not len(content):
        return np.zeros(0, np.int64)
    codes, distinct = pd.factorize(content)  # canned texts repeat: cluster each distinct text once
    label = _clusters(_grams(pd.Series(distinct)), similarity)[codes]
    pairs = pd.DataFrame({"label": label, "conversation": conversation}).drop_duplicates()
    reach = pairs.groupby("label").size()
    reach = reach[reach >= min_conversations].sort_values(ascending=False, kind="stable")
    template = pd.Series(np.arange(len(reach)), index=reach.index).reindex(label).to_numpy()
    return np.where(np.isnan(template), -1, template).astype(np.int64)


def find_canned(o: Ordered, *, min_conversations: int = CANNED_MIN_CONVERSATIONS, similarity: float = CANNED_SIMILARITY,
                min_chars: int = 20) -> pd.DataFrame:
    """Agent/bot messages in templates: row, template (0 = used in the most conversations)."""
    rows, content = canned_candidates(o, min_chars=min_chars)
    template = template_of(content, o.code[rows], min_conversations=min_conversations, similarity=similarity)
    hit = template >= 0
    return pd.DataFrame({"row": rows[hit], "template": template[hit]})


def canned_replies(messages: pd.DataFrame, *, min_conversations: int = CANNED_MIN_CONVERSATIONS, similarity: float = CANNED_SIMILARITY,
                   min_chars: int = 20) -> pd.DataFrame:
    """One row per agent or bot message that belongs to a template: conversation_id,
    message_id, at, sender_role, sender_id, template, text. Summarise with :func:`templates`."""
    _check("similarity", "canned_replies", similarity, 0.0, 1.0)
    _check("min_conversations", "canned_replies", min_conversations, 2, np.inf)
    o = prepare(messages, fn="canned_replies")
    found = find_canned(o, min_conversations=int(min_conversations), similarity=similarity, min_chars=min_chars)
    at = found["row"].to_numpy()
    return pd.DataFrame({**o.row_keys(at), "sender_role": o.take("sender_role", at),
                         "sender_id": o.take("sender_id", at), "template": found["template"].to_numpy(),
                         "text": o.take("text", at)})


def templates(canned: pd.DataFrame) -> pd.DataFrame:
    """Per template (from :func:`canned_replies`): n_messages, n_conversations, n_senders,
    bot_share and its most common text as ``example``."""
    g = canned.groupby("template", sort=True)
    example = canned.groupby(["template", "text"]).size().sort_values(ascending=False, kind="stable")
    example = example.reset_index().drop_duplicates("template").set_index("template")["text"]
    return pd.DataFrame({
        "n_messages": g.size(), "n_conversations": g["conversation_id"].nunique(),
        "n_senders": g["sender_id"].nunique(),
        "bot_share": (canned["sender_role"].astype(str) == "bot").groupby(canned["template"]).mean(),
        "example": example,
    }).reset_index()


def find_context_blind(o: Ordered, *, min_chars: int = 15) -> pd.DataFrame:
    """Generic openers sent after a described issue: row, customer_row (the description)."""
    rows, matchable = _matchable(o, "replies")
    opener = has_phrase(matchable, lexicon_phrases("automation", "generic_opener")).to_numpy()
    customer_rows, _ = _public_text(o, "customer", MAX_CHARS)
    described = np.zeros(len(o.code), bool)
    described[customer_rows[_substantive_customer(o, MAX_CHARS, min_chars)]] = True
    before = o.last_before(described)
    hit = rows[opener]
    hit = hit[before[hit] >= 0]
    return pd.DataFrame({"row": hit, "customer_row": before[hit]})


def context_blind(messages: pd.DataFrame, *, min_chars: int = 15) -> pd.DataFrame:
    """One row per generic opener sent after the customer had described the issue:
    conversation_id, message_id, at, sender_role, sender_id, customer_message_id, text."""
    o = prepare(messages, fn="context_blind")
    found = find_context_blind(o, min_chars=min_chars)
    at = found["row"].to_numpy()
    return pd.DataFrame({**o.row_keys(at), "sender_role": o.take("sender_role", at),
                         "sender_id": o.take("sender_id", at),
                         "customer_message_id": o.take("message_id", found["customer_row"].to_numpy()),
                         "text": o.take("text", at)})


def _human_reply(o: Ordered) -> np.ndarray:
    return o.is_role("agent") & o.is_kind("message")


def find_human_requests(o: Ordered) -> pd.DataFrame:
    """Customer messages asking for a person: row, phrase, to_bot, human_row (-1: never met)."""
    rows, matchable = _matchable(o, "customer")
    phrase = find_phrases(matchable, lexicon_phrases("automation", "human_request"))
    found = phrase.notna().to_numpy()
    hit = rows[found]
    public_reply = o.is_role("agent", "bot") & o.is_kind("message")
    last_reply = o.last_before(public_reply)[hit]
    to_bot = (last_reply >= 0) & o.is_role("bot")[np.maximum(last_reply, 0)]
    return pd.DataFrame({"row": hit, "phrase": phrase[found].to_numpy(dtype=object), "to_bot": to_bot,
                         "human_row": o.next_after(_human_reply(o))[hit]})


def human_requests(messages: pd.DataFrame) -> pd.DataFrame:
    """One row per customer request for a human: conversation_id, message_id, at, phrase,
    to_bot (the last reply before it was a bot's), met, responder_id, time_to_human_s."""
    o = prepare(messages, fn="human_requests")
    found = find_human_requests(o)
    at, human = found["row"].to_numpy(), found["human_row"].to_numpy()
    return pd.DataFrame({**o.row_keys(at), "phrase": found["phrase"].to_numpy(), "to_bot": found["to_bot"].to_numpy(),
                         "met": human >= 0, "responder_id": o.take("sender_id", human),
                         "time_to_human_s": _seconds(o, at, human)})


def _seconds(o: Ordered, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Seconds from row ``start`` to row ``end`` (NaN where ``end`` is -1)."""
    end_ns = np.where(end >= 0, o.ts[np.maximum(end, 0)], np.iinfo("int64").min)
    return seconds_between(o.ts[start], end_ns)


def find_upsells(o: Ordered, *, scorer=None, scored: tuple[np.ndarray, np.ndarray] | None = None,
                 negative: float = NEGATIVE, positive: float = 0.3) -> pd.DataFrame:
    """Offers by agents or bots: row, customer_row, customer_sentiment, resolved_before,
    asked_for, to_unhappy, reason. ``scored``: (rows, sentiment) from
    :func:`~csqa.metrics.sentiment.message_scores` when already computed."""
    rows, matchable = _matchable(o, "replies")
    offer = has_phrase(matchable, lexicon_phrases("automation", "offer")).to_numpy()
    hit = rows[offer]
    scored_rows, scores = scored if scored is not None else message_scores(o, scorer=scorer)
    sentiment = np.full(len(o.code), np.nan)
    sentiment[scored_rows] = scores
    customer = o.is_role("customer") & o.is_kind("message") & o.frame["text"].notna().to_numpy()
    last_customer = o.last_before(customer)[hit]
    mood = np.where(last_customer >= 0, sentiment[np.maximum(last_customer, 0)], np.nan)
    closed = o.last_before(o.is_event("close"))[hit] > last_customer  # closed since the customer last wrote
    resolved = closed | (mood >= positive)
    customer_rows, customer_text = _matchable(o, "customer")
    asks = np.zeros(len(o.code), bool)
    asks[customer_rows] = has_phrase(customer_text, lexicon_phrases("automation", "offer_request"))
    asked = o.last_before(asks)[hit] >= 0
    reason = np.where(resolved, "", np.where(mood <= negative, "negative", "unresolved"))
    return pd.DataFrame({"row": hit, "customer_row": last_customer, "customer_sentiment": mood,
                         "resolved_before": resolved, "asked_for": asked,
                         "to_unhappy": (reason != "") & ~asked, "reason": np.where(asked, "", reason)})


def upsells(messages: pd.DataFrame, *, scorer=None, negative: float = NEGATIVE, positive: float = 0.3) -> pd.DataFrame:
    """One row per offer or promotion sent by an agent or bot: conversation_id, message_id,
    at, sender_role, sender_id, customer_message_id (the customer's latest message before it),
    customer_sentiment, resolved_before, asked_for (the customer asked for a deal),
    to_unhappy and reason ("negative", "unresolved" or "")."""
    _check("negative", "upsells", negative, -1.0, 0.0)
    _check("positive", "upsells", positive, 0.0, 1.0)
    o = prepare(messages, fn="upsells")
    found = find_upsells(o, scorer=scorer, negative=negative, positive=positive)
    at = found["row"].to_numpy()
    return pd.DataFrame({**o.row_keys(at), "sender_role": o.take("sender_role", at),
                         "sender_id": o.take("sender_id", at),
                         "customer_message_id": o.take("message_id", found["customer_row"].to_numpy()),
                         **{c: found[c].to_numpy() for c in ("customer_sentiment", "resolved_before",
                                                              "asked_for", "to_unhappy", "reason")}})


def automation_columns(o: Ordered, canned: pd.DataFrame, blind: pd.DataFrame, requests: pd.DataFrame,
                       offers: pd.DataFrame) -> pd.DataFrame:
    """Per conversation (code order): n_canned, canned_share (of agent and bot messages),
    context_blind, human_requested, human_request_met (NA without a request), time_to_human_s
    (from the first request), bot_handled, bot_contained, bot_escaped, upsell_to_unhappy."""
    public = o.is_kind("message")
    n_replies = o.count(o.is_role("agent", "bot") & public)
    n_canned = np.bincount(o.code[canned["row"].to_numpy()], minlength=o.n_conv)

    def any_of(rows: np.ndarray) -> np.ndarray:
        return np.bincount(o.code[rows], minlength=o.n_conv) > 0

    first = requests.assign(code=o.code[requests["row"].to_numpy()]).drop_duplicates("code")
    requested = any_of(requests["row"].to_numpy())
    met = pd.array(np.full(o.n_conv, pd.NA), dtype="boolean")
    met[first["code"].to_numpy()] = first["human_row"].to_numpy() >= 0
    time_to_human = np.full(o.n_conv, np.nan)
    time_to_human[first["code"].to_numpy()] = _seconds(o, first["row"].to_numpy(), first["human_row"].to_numpy())

    bot = o.count(o.is_role("bot") & public) > 0
    human = (o.count(_human_reply(o)) > 0) | (o.count(o.is_event("handoff")) > 0)
    last_public = o.last_before(public, inclusive=True)[o.last_row]
    last_customer = o.last_before(o.is_role("customer") & public, inclusive=True)[o.last_row]
    closed_after = o.last_before(o.is_event("close"), inclusive=True)[o.last_row] > last_customer
    waiting = (last_public >= 0) & o.is_role("customer")[np.maximum(last_public, 0)] & ~closed_after
    upsell = offers["row"].to_numpy()[offers["to_unhappy"].to_numpy(dtype=bool)]
    return pd.DataFrame({
        "n_canned": n_canned,
        "canned_share": np.divide(n_canned, n_replies, out=np.full(o.n_conv, np.nan), where=n_replies > 0),
        "context_blind": any_of(blind["row"].to_numpy()),
        "human_requested": requested, "human_request_met": met, "time_to_human_s": time_to_human,
        "bot_handled": bot, "bot_contained": bot & ~human & ~requested & ~waiting, "bot_escaped": bot & human,
        "upsell_to_unhappy": any_of(upsell),
    })


def automation(messages: pd.DataFrame, *, scorer=None, min_conversations: int = CANNED_MIN_CONVERSATIONS,
               similarity: float = CANNED_SIMILARITY) -> pd.DataFrame:
    """conversation_id plus the columns of :func:`automation_columns`."""
    o = prepare(messages, fn="automation")
    table = automation_columns(
        o, find_canned(o, min_conversations=min_conversations, similarity=similarity), find_context_blind(o),
        find_human_requests(o), find_upsells(o, scorer=scorer))
    table.insert(0, "conversation_id", o.take("conversation_id", o.first_row))
    return table


__all__ = ["automation", "canned_replies", "context_blind", "human_requests", "templates", "upsells"]
