"""Synthetic canonical messages at any size, generated vectorised (no per-row Python).

>>> m = synthetic_messages(1000, seed=1)
>>> len(m), m["conversation_id"].nunique() > 50
(1000, True)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from csqa.schema import KIND_DTYPE, ROLE_DTYPE, STRING_DTYPE

# (role, kind, event) mix per row, and its probability
_ROWS = [
    ("customer", "message", None, 0.42),
    ("agent", "message", None, 0.33),
    ("bot", "message", None, 0.05),
    ("agent", "note", None, 0.04),
    ("system", "event", "assign", 0.08),
    ("system", "event", "transfer", 0.03),
    ("agent", "event", "close", 0.05),
]
_WORDS = (
    "my order has not arrived yet where is the parcel tracking says in transit for five days refund money "
    "back charged twice card account login password reset code never comes app crashes please help thanks "
    "سفارش من هنوز نرسیده کجاست بسته پول برگشت کارت دو بار کشیده شد رمز ورود کد نمیاد لطفا کمک کنید ممنون "
    "طلبي متأخر وينه الشحنة ما وصلت استرجاع المبلغ البطاقة مرتين تسجيل الدخول الرمز ما يوصل ساعدوني شكرا"
).split()
_N_PIECES = 20_000


def _pieces(rng: np.random.Generator) -> np.ndarray:
    """Distinct random word sequences; a message joins two, so texts are almost all unique."""
    words = np.array(_WORDS, dtype=object)
    lengths = rng.integers(3, 9, size=_N_PIECES)
    picks = np.split(words[rng.integers(0, len(words), size=int(lengths.sum()))], np.cumsum(lengths)[:-1])
    return np.array([" ".join(p) for p in picks], dtype=object)


def synthetic_texts(n: int, rng: np.random.Generator) -> pd.Series:
    """``n`` message texts of 6-16 words from a mixed English/Persian/Arabic vocabulary."""
    pieces = pd.Series(_pieces(rng), dtype=STRING_DTYPE)
    first = pieces.take(rng.integers(0, _N_PIECES, size=n)).reset_index(drop=True)
    second = pieces.take(rng.integers(0, _N_PIECES, size=n)).reset_index(drop=True)
    return first + " " + second


def synthetic_messages(n_messages: int, *, seed: int = 0, mean_per_conversation: int = 10) -> pd.DataFrame:
    """A canonical messages table of exactly ``n_messages`` rows."""
    rng = np.random.default_rng(seed)
    n_conv = max(1, n_messages // mean_per_conversation)
    # split n_messages into conversations of at least one message each
    cuts = np.sort(rng.choice(np.arange(1, n_messages), size=n_conv - 1, replace=False)) if n_conv > 1 else []
    sizes = np.diff(np.r_[0, cuts, n_messages]).astype(np.int64)
    conv = np.repeat(np.arange(n_conv), sizes)
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    seq = np.arange(n_messages) - np.repeat(starts, sizes)
    kinds = rng.choice(len(_ROWS), size=n_messages, p=[r[3] for r in _ROWS])
    kinds[seq == 0] = 0  # conversations open with a customer message
    role = np.array([r[0] for r in _ROWS], dtype=object)[kinds]
    kind = np.array([r[1] for r in _ROWS], dtype=object)[kinds]
    event = np.array([r[2] for r in _ROWS], dtype=object)[kinds]
    gap = rng.exponential(120.0, size=n_messages)
    gap[seq == 0] = 0.0
    base = np.datetime64("2026-01-01T00:00:00", "ns").astype("int64")
    conv_start = base + (rng.uniform(0, 365 * 86400, size=n_conv) * 1e9).astype(np.int64)
    ts = np.repeat(conv_start, sizes) + (_cumsum_within(gap, starts, sizes) * 1e9).astype(np.int64)
    ids = pd.Series(np.arange(n_conv)).map("c{:07d}".format).to_numpy()
    agents = rng.integers(0, 200, size=n_messages)
    is_agent = role == "agent"
    queue = np.where(kind == "event", np.array(["billing", "technical", "orders"])[agents % 3], None)
    frame = pd.DataFrame({
        "conversation_id": pd.array(ids[conv], dtype=STRING_DTYPE),
        "message_id": pd.array(np.char.add(np.char.add(ids[conv].astype(str), ":"), seq.astype(str)), dtype=STRING_DTYPE),
        "seq": seq.astype(np.int64),
        "timestamp": pd.to_datetime(ts, utc=True),
        "sender_role": pd.Categorical(role, dtype=ROLE_DTYPE),
        "sender_id": pd.array(np.where(is_agent, np.char.add("agent-", agents.astype(str)), None), dtype=STRING_DTYPE),
        "kind": pd.Categorical(kind, dtype=KIND_DTYPE),
        "event": pd.array(event, dtype=STRING_DTYPE),
        "assignee_id": pd.array(np.where(kind == "event", np.char.add("agent-", agents.astype(str)), None), dtype=STRING_DTYPE),
        "queue": pd.array(queue, dtype=STRING_DTYPE),
        "channel": pd.array(np.array(["chat", "email", "whatsapp"])[conv % 3], dtype=STRING_DTYPE),
        "text": synthetic_texts(n_messages, rng).where(kind != "event"),
        "customer_id": pd.array(np.char.add("cust-", (conv % max(1, n_conv // 2)).astype(str)), dtype=STRING_DTYPE),
    })
    return frame


def _cumsum_within(values: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    total = np.cumsum(values)
    offset = np.repeat(total[starts] - values[starts], sizes)
    return total - offset
