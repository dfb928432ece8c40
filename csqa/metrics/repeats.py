"""Repeat explanation and re-asked information (DESIGN "Repeat explanation").

A customer message is a **repeat** when it restates something the customer
already said earlier in the same conversation. Three signals are combined:

1. *similarity*: cosine similarity of character n-grams (TF-IDF) between the
   message and each earlier substantive customer message of the conversation,
   on normalised text without numbers, e-mails, punctuation or courtesy phrases
   (so a shared order number or "thanks" alone is not a restatement);
2. *cue phrases* in English, Arabic and Persian ("as I said", «همانطور که گفتم»,
   «كما ذكرت»; strong ones, and weak ones such as "again");
3. *context*: a transfer between the earlier message and this one, after which
   customers restate in other words.

A message is flagged when similarity >= ``threshold``, or a strong cue comes with
similarity >= ``cue_threshold``, or a weak cue with similarity >=
``weak_cue_threshold``, or it follows a transfer with similarity >=
``transfer_threshold``. ``repeat_of`` is the most similar earlier message.

**Re-asked information**: a human agent asks for an order number, e-mail, phone
or account number (a request phrase plus the data's name, in any of the three
languages) that the customer had already given earlier in the conversation.

Pairs are only formed within a conversation (each message against at most
``max_lookback`` earlier ones), all at once with sparse matrix operations.

>>> import pandas as pd
>>> m = pd.DataFrame({
...     "conversation_id": ["c1"] * 4,
...     "timestamp": pd.date_range("2026-01-01 10:00", periods=4, freq="min", tz="UTC"),
...     "sender_role": ["customer", "agent", "customer", "agent"],
...     "sender_id": ["u1", "ana", "u1", "ana"],
...     "text": ["My parcel 123-45678 never arrived", "Checking now",
...              "As I said, the parcel never arrived", "Can you give me your order number?"],
... })
>>> repeats(m)[["message_id", "repeat_of", "cue"]].values.tolist()
[['c1:2', 'c1:0', 'as i said']]
>>> reasked_info(m)[["message_id", "asked", "given_message_id"]].values.tolist()
[['c1:3', 'order', 'c1:0']]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from csqa.arrays import rank_in_group
from csqa.metrics.frame import Ordered, prepare
from csqa.metrics.transfers import find_transfers
from csqa.text.entities import entity_flags, similarity_text
from csqa.text.lexicons import (
    find_phrases,
    has_phrase,
    load_lexicon,
    map_strings,
    normalized_phrases,
    on_matches,
    phrase_pattern,
)
from csqa.text.normalize import normalize_text, without_quoted
from csqa.text.vectorize import document_frequency, pair_similarity

ASK_KINDS = ("order", "email", "phone", "account")
# which given data answers each kind of request
_COURTESY_SLACK = 40  # texts this much longer than min_chars are substantive whatever their courtesy
_ANSWERS = {"order": ("order",), "email": ("email",), "phone": ("phone",), "account": ("order", "email")}


@dataclass(frozen=True)
class RepeatRule:
    """Thresholds of the repeat decision (see the module docstring)."""

    threshold: float = 0.4
    cue_threshold: float = 0.0
    weak_cue_threshold: float = 0.2
    transfer_threshold: float = 0.1
    min_chars: int = 15
    max_lookback: int = 20
    max_chars: int = 1000  # only the start of a long message is compared

    def __post_init__(self) -> None:
        for name in ("threshold", "cue_threshold", "weak_cue_threshold", "transfer_threshold"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"The '{name}' parameter of repeats must be a number in [0, 1]. "
                                 f"Got {value!r} instead.")
        for name in ("min_chars", "max_lookback", "max_chars"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"The '{name}' parameter of repeats must be a positive integer. "
                                 f"Got {value!r} instead.")


def _check_rule(rule) -> RepeatRule:
    if rule is None:
        return RepeatRule()
    if not isinstance(rule, RepeatRule):
        raise TypeError(f"The 'rule' parameter of repeats must be a RepeatRule or None. "
                        f"Got {type(rule).__name__} instead.")
    return rule


def _phrases(section: str, key: str | None = None) -> tuple[str, ...]:
    entry = load_lexicon("effort")[section]
    entry = entry[key] if key else entry
    return tuple(p for phrases in entry.values() for p in phrases)


def _strip_courtesy(text: pd.Series) -> pd.Series:
    """Normalised ``text`` (spaces already squeezed) without courtesy phrases."""
    pattern = phrase_pattern(_phrases("courtesy"))

    def strip(arr: pa.Array) -> pa.Array:
        arr = pc.replace_substring_regex(arr, pattern, " ")
        return pc.utf8_trim_whitespace(pc.replace_substring_regex(arr, r"\s+", " "))

    return map_strings(lambda arr: on_matches(arr, pattern, strip, arr), text)


def _transfer_count(o: Ordered, transfer_rows: np.ndarray) -> np.ndarray:
    """Running number of transfers up to and including each row (across conversations;
    only differences within a conversation are meaningful)."""
    marks = np.zeros(len(o.code), dtype=np.int64)
    np.add.at(marks, transfer_rows, 1)
    return marks.cumsum()


def _pairs(code: np.ndarray, max_lookback: int) -> tuple[np.ndarray, np.ndarray]:
    """All (later, earlier) index pairs within runs of equal ``code``, each later item
    paired with at most ``max_lookback`` items before it (most recent first)."""
    n = len(code)
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    idx = np.arange(n)
    n_prev = np.minimum(rank_in_group(code), max_lookback)
    later = np.repeat(idx, n_prev)
    back = np.arange(len(later)) - np.repeat(np.cumsum(n_prev) - n_prev, n_prev)
    return later, later - 1 - back


def _best_match(later: np.ndarray, earlier: np.ndarray, sims: np.ndarray, n: int):
    """Per item: the highest similarity among its pairs and the earlier item giving it
    (ties: the earliest, the original statement); -1 / NaN for items without pairs.
    Pairs come grouped by ``later``, each group's ``earlier`` descending."""
    best = np.full(n, np.nan)
    best_of = np.full(n, -1, dtype=np.int64)
    if len(later):
        starts = np.flatnonzero(np.r_[True, later[1:] != later[:-1]])
        top = np.maximum.reduceat(sims, starts)
        at_top = sims >= np.repeat(top, np.diff(np.r_[starts, len(sims)]))
        last = np.maximum.reduceat(np.where(at_top, np.arange(len(sims)), -1), starts)
        best[later[starts]] = top
        best_of[later[starts]] = earlier[last]
    return best, best_of


def _substantive(content: pd.Series, min_chars: int) -> np.ndarray:
    """Has at least ``min_chars`` characters besides courtesy phrases (only short texts
    can fall below, so only those are searched for courtesy phrases)."""
    length = content.str.len().fillna(0).to_numpy(dtype=np.int64, copy=True)
    short = np.flatnonzero((length < min_chars + _COURTESY_SLACK) & (length >= min_chars))
    if len(short):
        stripped = _strip_courtesy(content.iloc[short]).str.len().fillna(0).to_numpy()
        length[short] = stripped
    return length >= min_chars


def _cues(norm: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """(cue phrase found, strong?, weak?) per normalised text, in one pass."""
    strong_phrases = set(normalized_phrases(_phrases("repeat_cues", "strong")))
    cue = find_phrases(norm, _phrases("repeat_cues", "strong") + _phrases("repeat_cues", "weak"))
    found = cue.notna().to_numpy()
    strong = found & cue.isin(strong_phrases).to_numpy()
    return cue.reset_index(drop=True), strong, found & ~strong


def _public_text(o: Ordered, role: str, max_chars: int) -> tuple[np.ndarray, pd.Series]:
    """(rows, normalised text) of the public messages of ``role`` that have text, without an
    e-mail's quoted history (a reply quoting the thread restates nothing); computed once per
    ordered table and shared by the repeat and re-ask detectors."""
    cache = o.__dict__.setdefault("_normalized", {})
    if (role, max_chars) not in cache:
        rows = np.flatnonzero(o.is_role(role) & o.is_kind("message") & o.frame["text"].notna().to_numpy())
        raw = o.frame["text"].iloc[rows].reset_index(drop=True)
        cache[role, max_chars] = rows, normalize_text(without_quoted(raw).str.slice(0, max_chars))
    return cache[role, max_chars]


def _similarity_text(o: Ordered, role: str, max_chars: int) -> pd.Series:
    """:func:`similarity_text` of :func:`_public_text`, computed once per ordered table
    (the repeat and context-blind detectors share it)."""
    cache = o.__dict__.setdefault("_similarity", {})
    if (role, max_chars) not in cache:
        cache[role, max_chars] = similarity_text(_public_text(o, role, max_chars)[1])
    return cache[role, max_chars]


def _substantive_customer(o: Ordered, max_chars: int, min_chars: int) -> np.ndarray:
    """:func:`_substantive` of every :func:`_similarity_text` of the customer, computed once
    per ordered table (the repeat and context-blind detectors share it)."""
    cache = o.__dict__.setdefault("_substantive", {})
    if (max_chars, min_chars) not in cache:
        cache[max_chars, min_chars] = _substantive(_similarity_text(o, "customer", max_chars), min_chars)
    return cache[max_chars, min_chars]


def _comparable(o: Ordered, rule: RepeatRule) -> tuple[np.ndarray, pd.Series, np.ndarray, np.ndarray, pd.Series]:
    """(rows, normalised text, code per row, ``several``, comparable text) of the public
    customer messages; ``several``: positions of those in conversations with two or more
    customer messages, the only ones that can restate something (only their comparable
    text is ever read)."""
    rows, norm = _public_text(o, "customer", rule.max_chars)
    code = o.code[rows]
    several = np.flatnonzero(np.bincount(code, minlength=o.n_conv)[code] >= 2)
    return rows, norm, code, several, _similarity_text(o, "customer", rule.max_chars)


def repeat_frequency(o: Ordered, *, rule: RepeatRule) -> tuple[np.ndarray, int]:
    """The IDF statistics of the repeat detector over these messages: sum them over
    parts of a larger data set (whole conversations each) and pass the total to
    :func:`score_repeats` to score each part as if the whole were in memory."""
    _, _, _, several, content = _comparable(o, rule)
    return document_frequency(content, rows=several)


def score_repeats(o: Ordered, transfer_rows: np.ndarray, *, rule: RepeatRule, vectorizer=None,
                  frequency: tuple[np.ndarray, int] | None = None) -> pd.DataFrame:
    """Every public customer message with text, scored (row positions refer to ``o``).

    Only messages that can restate something are compared and searched for cues: those
    of conversations with two or more customer messages, then the substantive ones
    with an earlier substantive message. ``frequency``: corpus statistics from
    :func:`repeat_frequency` (default: these messages)."""
    rows, norm, code, several, content = _comparable(o, rule)
    is_sub = _substantive_customer(o, rule.max_chars, rule.min_chars)[several]
    sub = several[is_sub]

    later, earlier = _pairs(code[sub], rule.max_lookback)
    at = np.flatnonzero(is_sub)  # position among ``several`` of each substantive message
    sims = pair_similarity(content, at[later], at[earlier], code[several], rows=several, vectorizer=vectorizer,
                           frequency=frequency)
    best_sub, best_of_sub = _best_match(later, earlier, sims, len(sub))

    similarity = np.full(len(rows), np.nan)
    similarity[sub] = best_sub
    repeat_of = np.full(len(rows), -1, dtype=np.int64)
    repeat_of[sub] = np.where(best_of_sub >= 0, rows[sub][np.maximum(best_of_sub, 0)], -1)
    cue = np.full(len(rows), None, dtype=object)
    has_strong, has_weak = np.zeros(len(rows), bool), np.zeros(len(rows), bool)
    restating = sub[best_of_sub >= 0]
    found, has_strong[restating], has_weak[restating] = _cues(norm.iloc[restating])
    cue[restating] = found.to_numpy(dtype=object)
    count = _transfer_count(o, transfer_rows)
    after_transfer = (repeat_of >= 0) & (count[rows] > count[np.maximum(repeat_of, 0)])

    s = np.nan_to_num(similarity, nan=-1.0)
    signals = {
        "similar": s >= rule.threshold,
        "cue": has_strong & (s >= rule.cue_threshold),
        "weak_cue": has_weak & (s >= rule.weak_cue_threshold),
        "after_transfer": after_transfer & (s >= rule.transfer_threshold),
    }
    signal = np.select(list(signals.values()), list(signals), default="")
    return pd.DataFrame({
        "row": rows, "repeat_of_row": repeat_of, "similarity": similarity,
        "cue": cue,
        "cue_strength": np.where(has_strong, "strong", np.where(has_weak, "weak", "")),
        "after_transfer": after_transfer,
        "is_repeat": (signal != "") & (repeat_of >= 0), "signal": signal,
    })


def _scored_table(o: Ordered, scored: pd.DataFrame) -> pd.DataFrame:
    rows = scored["row"].to_numpy()
    return pd.DataFrame({
        **o.row_keys(rows),
        "repeat_of": o.take("message_id", scored["repeat_of_row"].to_numpy()),
        "similarity": scored["similarity"].to_numpy(),
        "cue": pd.array(scored["cue"].to_numpy(), dtype=o.frame["message_id"].dtype),
        "cue_strength": pd.Categorical(scored["cue_strength"].replace("", None), categories=["strong", "weak"]),
        "after_transfer": scored["after_transfer"].to_numpy(dtype=bool),
        "signal": scored["signal"].to_numpy(),
        "is_repeat": scored["is_repeat"].to_numpy(dtype=bool),
    })


def repeat_candidates(
    messages: pd.DataFrame, *, rule: RepeatRule | None = None, vectorizer=None
) -> pd.DataFrame:
    """Every public customer message with its best earlier match, cue and decision.

    Columns: conversation_id, message_id, at, repeat_of (missing when the message has
    no earlier substantive message to restate), similarity, cue, after_transfer,
    signal (which rule fired: similar, cue, weak_cue, after_transfer, or "") and
    is_repeat. Useful to tune thresholds; :func:`repeats` keeps the flagged rows.
    ``rule``: thresholds (:class:`RepeatRule`); ``vectorizer``: any object with
    ``fit_transform(list_of_str)`` returning a sparse matrix (default
    :class:`~csqa.text.vectorize.CharNgramVectorizer`).
    """
    checked = _check_rule(rule)
    o = prepare(messages, fn="repeats")
    transfer_rows = find_transfers(o)["row"].to_numpy()
    return _scored_table(o, score_repeats(o, transfer_rows, rule=checked, vectorizer=vectorizer))


def repeats(messages: pd.DataFrame, *, rule: RepeatRule | None = None, vectorizer=None) -> pd.DataFrame:
    """One row per customer message judged a re-explanation (see :func:`repeat_candidates`)."""
    table = repeat_candidates(messages, rule=rule, vectorizer=vectorizer)
    return table[table["is_repeat"]].drop(columns="is_repeat").reset_index(drop=True)


def find_reasks(o: Ordered, transfer_rows: np.ndarray, *, max_chars: int = RepeatRule.max_chars) -> pd.DataFrame:
    """Agent requests for data the customer already gave: row, asked, given_row, after_transfer.

    Only conversations where the customer gave some data are searched for requests."""
    customer_rows, customer_norm = _public_text(o, "customer", max_chars)
    given = entity_flags(customer_norm)
    agent_rows = np.flatnonzero(o.is_role("agent") & o.is_kind("message") & o.frame["text"].notna().to_numpy())
    first_any = np.full(o.n_conv, np.iinfo(np.int64).max)
    gave_any = given.any(axis=1).to_numpy()
    np.minimum.at(first_any, o.code[customer_rows[gave_any]], customer_rows[gave_any])
    agent_rows = agent_rows[first_any[o.code[agent_rows]] < agent_rows]
    raw = o.frame["text"].iloc[agent_rows].reset_index(drop=True)
    agent_norm = normalize_text(raw.str.slice(0, max_chars))
    stated = entity_flags(agent_norm)
    requesting = has_phrase(agent_norm, _phrases("request")).to_numpy()
    parts = []
    for kind in ASK_KINDS:
        answers = list(_ANSWERS[kind])
        first_given = np.full(o.n_conv, np.iinfo(np.int64).max)
        gave = given[answers].any(axis=1).to_numpy()
        np.minimum.at(first_given, o.code[customer_rows[gave]], customer_rows[gave])
        asks = has_phrase(agent_norm, _phrases("asks", kind)).to_numpy() & requesting
        asks &= ~stated[answers].any(axis=1).to_numpy()
        ask_rows = agent_rows[asks]
        given_row = first_given[o.code[ask_rows]]
        again = given_row < ask_rows
        parts.append(pd.DataFrame({"row": ask_rows[again], "asked": kind, "given_row": given_row[again]}))
    out = pd.concat(parts, ignore_index=True).sort_values(["row", "asked"], ignore_index=True)
    count = _transfer_count(o, transfer_rows)
    out["after_transfer"] = count[out["row"].to_numpy()] > count[out["given_row"].to_numpy()]
    return out


def _reask_table(o: Ordered, found: pd.DataFrame) -> pd.DataFrame:
    rows = found["row"].to_numpy()
    return pd.DataFrame({
        **o.row_keys(rows),
        "agent_id": o.take("sender_id", rows),
        "asked": pd.Categorical(found["asked"], categories=list(ASK_KINDS)),
        "given_message_id": o.take("message_id", found["given_row"].to_numpy()),
        "after_transfer": found["after_transfer"].to_numpy(dtype=bool),
    })


def reasked_info(messages: pd.DataFrame) -> pd.DataFrame:
    """One row per agent request for data already given: conversation_id, message_id,
    at, agent_id, asked (order, email, phone or account), given_message_id (the
    customer's earlier message that had it), after_transfer."""
    o = prepare(messages, fn="reasked_info")
    return _reask_table(o, find_reasks(o, find_transfers(o)["row"].to_numpy()))


def repeat_columns(o: Ordered, scored: pd.DataFrame, reasks: pd.DataFrame) -> pd.DataFrame:
    """Per conversation (in code order): n_repeats, has_repeat, reasked_info."""
    flagged = scored["row"].to_numpy()[scored["is_repeat"].to_numpy(dtype=bool)]
    n_repeats = np.bincount(o.code[flagged], minlength=o.n_conv)
    n_reasked = np.bincount(o.code[reasks["row"].to_numpy()], minlength=o.n_conv)
    return pd.DataFrame({"n_repeats": n_repeats, "has_repeat": n_repeats > 0, "reasked_info": n_reasked > 0})
