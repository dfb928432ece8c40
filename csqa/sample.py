"""A deterministic generator of realistic support conversations, with ground truth.

The sample is shaped like a help-desk export (its own column names and role
labels, local times with offsets) so that reading it exercises the real ingest
path with a mapping. It plants what csqa measures: bots and bot-to-human
handoffs, internal notes, bursts, transfers (with ping-pong), customers
re-explaining after a transfer (with and without cue phrases), agents re-asking
for an order number, unanswered conversations, agent-started conversations,
reopens, canned and freely typed replies, agents writing bureaucratically, context-blind
bot greetings, requests for a human (met and unmet), bot-only conversations, upsells
to angry customers (and offers after a solved problem, which are fine), CSAT, NPS and
CES answers -- in English, Arabic and Persian.

>>> export, truth, repeats = generate_sample(n_conversations=20, seed=1)
>>> sorted(truth["language"].unique())
['ar', 'en', 'fa']
>>> bool((truth["n_transfers"] >= 0).all())
True

``load_sample()`` returns the bundled copy as a canonical messages table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

EXPORT_COLUMNS = (
    "ticket_id", "msg_id", "created_at", "author_type", "author", "type", "event_type",
    "assignee", "team", "channel", "body", "customer",
)
QUEUES = ("billing", "technical", "orders")
AGENTS = {q: tuple(f"agent-{i + 5 * k + 1:02d}" for i in range(5)) for k, q in enumerate(QUEUES)}
BOT_ID = "nova-bot"
FORMAL_AGENTS = ("agent-03", "agent-12")  # write in a bureaucratic register
TOPIC_QUEUE = {
    "order_late": "orders", "damaged": "orders", "refund": "billing",
    "double_charge": "billing", "login": "technical",
}
LANGUAGES = ("en", "ar", "fa")
CHANNELS = ("chat", "email", "whatsapp")
START = pd.Timestamp("2026-09-07")  # a Monday; the sample spans ten weeks
DAYS = 70
_REPLY_MEDIAN_S = {"chat": 50.0, "whatsapp": 240.0, "email": 3 * 3600.0}
_NATIVE_DIGITS = {"ar": "٠١٢٣٤٥٦٧٨٩", "fa": "۰۱۲۳۴۵۶۷۸۹"}
_HOUR_WEIGHTS = np.array(
    [1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 13, 12, 13, 14, 13, 12, 11, 10, 9, 8, 6, 4, 2], float
)


def phrases() -> dict:
    """The phrase bank the generator draws from (package data)."""
    text = resources.files("csqa").joinpath("data/sample_phrases.json").read_text("utf-8")
    return json.loads(text)


@dataclass
class _Conversation:
    """Builds one conversation's export rows and records its ground truth."""

    cid: str
    channel: str
    customer: str
    t: float
    rows: list = field(default_factory=list)
    counter: list = field(default_factory=lambda: [0])

    def add(self, author_type, author, kind, *, body=None, event=None, assignee=None,
            team=None, wait=0.0) -> str:
        self.t += wait
        self.counter[0] += 1
        mid = f"m{self.counter[0]:07d}"
        self.rows.append((self.cid, mid, self.t, author_type, author, kind, event, assignee,
                          team, self.channel, body, self.customer))
        return mid


class _Generator:
    def __init__(self, seed: int):
        self.rng = np.random.default_rng(seed)
        self.bank = phrases()
        self.counter = [0]

    def pick(self, options):
        return options[int(self.rng.integers(len(options)))]

    def chance(self, p: float) -> bool:
        return bool(self.rng.random() < p)

    def reply_wait(self, channel: str) -> float:
        return float(_REPLY_MEDIAN_S[channel] * self.rng.lognormal(0.0, 0.9))

    def typing(self) -> float:
        return float(self.rng.uniform(15, 90))

    def order_number(self, lang: str) -> str:
        number = f"{self.rng.integers(100, 999)}-{self.rng.integers(10000, 99999)}"
        if lang in _NATIVE_DIGITS and self.chance(0.3):
            number = number.translate(str.maketrans("0123456789", _NATIVE_DIGITS[lang]))
        return number

    def arrival(self, tz: str) -> float:
        day = START + pd.Timedelta(days=int(self.rng.integers(DAYS)))
        hour = int(self.rng.choice(24, p=_HOUR_WEIGHTS / _HOUR_WEIGHTS.sum()))
        local = day + pd.Timedelta(hours=hour, seconds=int(self.rng.integers(3600)))
        utc = local.tz_localize(tz, ambiguous=False, nonexistent="shift_forward").tz_convert("UTC")
        return utc.timestamp()

    def conversation(self, k: int, customer: str) -> tuple[_Conversation, dict, list]:
        rng = self.rng
        lang = str(rng.choice(LANGUAGES, p=[0.4, 0.3, 0.3]))
        channel = str(rng.choice(CHANNELS, p=[0.5, 0.25, 0.25]))
        bank = self.bank[lang]
        topic = self.pick(sorted(TOPIC_QUEUE))
        right_q = TOPIC_QUEUE[topic]
        misrouted = self.chance(0.18)
        q0 = self.pick([q for q in QUEUES if q != right_q]) if misrouted else right_q
        a0 = self.pick(AGENTS[q0])
        order = self.order_number(lang)
        fill = {"order": order, "email": f"{customer}@example.com"}
        c = _Conversation(f"T{k:05d}", channel, customer, self.arrival(bank["timezone"]),
                          counter=self.counter)
        truth = {"conversation_id": c.cid, "language": lang, "channel": channel, "topic": topic,
                 "customer_id": customer, "first_queue": q0, "outbound": False, "bot": False,
                 "unanswered": False, "n_transfers": 0, "ping_pong": False, "n_repeats": 0,
                 "reasked_info": False, "n_reopens": 0, "csat": np.nan, "nps": np.nan, "ces": np.nan,
                 "first_response_s": np.nan, "n_notes": 0, "n_canned": 0, "bot_only": False,
                 "human_requested": False, "human_request_met": None, "upsell_unhappy": False,
                 "offer_after_close": False}
        repeats: list[dict] = []
        topic_text = bank["topics"][topic]

        def customer_says(text, wait):
            return c.add("Visitor", customer, "message", body=text, wait=wait)

        def agent_says(agent, text, wait, canned=True):
            truth["n_canned"] += canned
            return c.add("Agent", agent, "message", body=text, wait=wait)

        def bot_says(text, wait):
            truth["n_canned"] += 1
            return c.add("Bot", BOT_ID, "message", body=text, wait=wait)

        def ack(agent, wait):
            """A canned acknowledgement, a bureaucratic one (FORMAL_AGENTS) or one typed freely."""
            if agent in FORMAL_AGENTS and self.chance(0.7):
                return agent_says(agent, self.pick(bank["formal"]), wait)
            if self.chance(0.3):
                return agent_says(agent, " ".join(self.pick(slot) for slot in bank["free"]), wait, canned=False)
            return agent_says(agent, self.pick(bank["ack"]), wait)

        def event(name, wait=1.0, assignee=None, team=None, author_type="System", author="system"):
            return c.add(author_type, author, "event", event=name, assignee=assignee, team=team,
                         wait=wait)

        if self.chance(0.03):  # agent-started (outbound) conversation
            truth["outbound"] = True
            event("assign", 0.0, a0, q0)
            agent_says(a0, self.pick(bank["outbound"]).format(**fill), 5.0)
            customer_says(self.pick(bank["outbound_reply"]), 600 + self.typing())
            first_customer = c.t
            open_id = customer_says(self.pick(topic_text["open"]).format(**fill), self.typing())
        elif channel != "email" and self.chance(0.1):  # the bot handles it alone
            truth.update(bot=True, bot_only=True, unanswered=True, topic="faq", first_queue=None)
            customer_says(self.pick(bank["faq"]), 0.0)
            bot_says(self.pick(bank["bot_answer"]), 2.0)
            if self.chance(0.8):
                customer_says(self.pick(bank["thanks"]), self.typing())
            event("close", 60.0, author_type="Bot", author=BOT_ID)
            return c, truth, repeats
        elif channel != "email" and self.chance(0.04):  # asks the bot for a human, in vain
            truth.update(bot=True, bot_only=True, unanswered=True, first_queue=None, human_requested=True,
                         human_request_met=False)
            customer_says(self.pick(topic_text["open"]).format(**fill), 0.0)
            bot_says(self.pick(bank["bot"]), 2.0)
            customer_says(self.pick(bank["human_request"]), self.typing())
            bot_says(self.pick(bank["bot"]), 2.0)
            return c, truth, repeats
        else:
            if self.chance(0.3):  # a burst: a greeting, then the problem
                customer_says(self.pick(bank["greet"]), 0.0)
                first_customer = c.t
                open_id = customer_says(self.pick(topic_text["open"]).format(**fill),
                                        float(rng.uniform(4, 25)))
            else:
                open_id = customer_says(self.pick(topic_text["open"]).format(**fill), 0.0)
                first_customer = c.t
            if channel != "email" and self.chance(0.6):  # a context-blind bot greeting
                truth["bot"] = True
                bot_says(self.pick(bank["bot"]), 2.0)
                if self.chance(0.25):
                    truth.update(human_requested=True, human_request_met=True)
                    customer_says(self.pick(bank["human_request"]), self.typing())
                event("handoff", float(rng.uniform(10, 40)))
            event("assign", 3.0, a0, q0)
        if self.chance(0.06):  # nobody ever answers
            truth["unanswered"] = True
            if truth["human_requested"]:
                truth["human_request_met"] = False
            if self.chance(0.5):
                customer_says(self.pick(bank["nudge"]), float(rng.uniform(300, 1800)))
            return c, truth, repeats
        if self.chance(0.2):
            truth["n_notes"] += 1
            c.add("Agent", a0, "private_note", body=self.pick(bank["note"]), wait=20.0)
        ack(a0, self.reply_wait(channel))
        truth["first_response_s"] = c.t - first_customer
        agent = a0
        if self.chance(0.12):
            customer_says(self.pick(bank["angry"]), self.typing())
            ack(agent, self.reply_wait(channel))
            if self.chance(0.4):  # an upsell pushed on an angry customer
                truth["upsell_unhappy"] = True
                agent_says(agent, self.pick(bank["offer"]), float(rng.uniform(5, 30)))

        def restatement():
            text = self.pick(topic_text["restate"]).format(**fill)
            if self.chance(0.5):
                text = self.pick(bank["cues"]) + text
            mid = customer_says(text, self.typing())
            repeats.append({"message_id": mid, "repeat_of": open_id, "conversation_id": c.cid})
            truth["n_repeats"] += 1

        def transfer(to_agent, to_queue):
            qname = bank["queues"][to_queue]
            agent_says(agent, self.pick(bank["transfer"]).format(queue=qname), self.typing())
            event("transfer", 5.0, to_agent, to_queue)
            truth["n_transfers"] += 1

        if misrouted or self.chance(0.1):
            q1 = right_q
            a1 = self.pick([a for a in AGENTS[q1] if a != agent])
            transfer(a1, q1)
            agent = a1
            if self.chance(0.7):
                restatement()
            elif "{order}" in topic_text["open"][0] and self.chance(0.6):
                truth["reasked_info"] = True
                agent_says(agent, self.pick(bank["ask_order"]), self.reply_wait(channel))
                customer_says(self.pick(bank["give_order"]).format(**fill), self.typing())
            ack(agent, self.reply_wait(channel))
            if self.chance(0.12):  # ping-pong back to the first agent
                truth["ping_pong"] = True
                transfer(a0, q0)
                agent = a0
                if self.chance(0.5):
                    restatement()
                ack(agent, self.reply_wait(channel))
        elif self.chance(0.05):  # re-explains to the same agent after a generic reply
            restatement()
            ack(agent, self.reply_wait(channel))
        agent_says(agent, topic_text["resolve"], float(rng.uniform(60, 600)))
        if self.chance(0.75):
            customer_says(self.pick(bank["thanks"]), self.typing())
            if self.chance(0.15):  # polite, not a re-explanation
                customer_says(self.pick(bank["thanks_again"]), float(rng.uniform(5, 30)))
        event("close", 60.0, author_type="Agent", author=agent)
        if self.chance(0.05):  # an offer once the problem is solved: not pushed on an unhappy customer
            truth["offer_after_close"] = True
            agent_says(agent, self.pick(bank["offer"]), 30.0)
        if self.chance(0.06):
            truth["n_reopens"] += 1
            customer_says(self.pick(bank["reopen"]), float(rng.uniform(4, 40) * 3600))
            event("reopen", 1.0)
            ack(agent, self.reply_wait(channel))
            agent_says(agent, topic_text["resolve"], float(rng.uniform(60, 600)))
            event("close", 60.0, author_type="Agent", author=agent)
        if self.chance(0.45):
            score = 4.6 - 0.9 * truth["n_transfers"] - 0.8 * bool(truth["n_repeats"])
            score -= 0.8 * (truth["first_response_s"] > 600) + rng.normal(0, 0.7)
            truth["csat"] = float(np.clip(np.rint(score), 1, 5))
            c.add("Visitor", customer, "event", event="rating", body=str(int(truth["csat"])),
                  wait=600.0)
        effort = truth["n_transfers"] + bool(truth["n_repeats"])
        if self.chance(0.2):
            truth["nps"] = float(np.clip(np.rint(9.3 - 2.0 * effort + rng.normal(0, 1.2)), 0, 10))
            c.add("Visitor", customer, "event", event="rating", body=f"nps: {int(truth['nps'])}", wait=60.0)
        if self.chance(0.1):
            truth["ces"] = float(np.clip(np.rint(6.2 - 1.3 * effort + rng.normal(0, 0.8)), 1, 7))
            c.add("Visitor", customer, "event", event="rating", body=f"ces: {int(truth['ces'])}", wait=60.0)
        return c, truth, repeats


def _local_iso(seconds: np.ndarray, zones: pd.Series) -> pd.Series:
    """UTC epoch seconds -> ISO 8601 strings in each row's local zone, with offset."""
    utc = pd.Series(pd.to_datetime(np.round(seconds).astype("int64"), unit="s", utc=True))
    out = pd.Series("", index=utc.index, dtype=object)
    for tz in zones.unique():
        mask = (zones == tz).to_numpy()
        text = utc[mask].dt.tz_convert(tz).dt.strftime("%Y-%m-%dT%H:%M:%S%z")
        out[mask] = text.str[:-2] + ":" + text.str[-2:]
    return out


def generate_sample(
    n_conversations: int = 2000, *, seed: int = 7, n_customers: int | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Return ``(export, truth, repeats)`` for ``n_conversations`` conversations.

    ``export`` is the help-desk-style export (columns :data:`EXPORT_COLUMNS`);
    ``truth`` has one row per conversation with what was planted (language,
    first_response_s, n_transfers, n_repeats, reasked_info, unanswered, ...);
    ``repeats`` lists every planted re-explanation with the message it restates.
    """
    gen = _Generator(seed)
    n_customers = n_customers or max(1, int(n_conversations * 0.75))
    rows, truths, repeats = [], [], []
    for k in range(n_conversations):
        customer = f"cust-{int(gen.rng.integers(n_customers)):05d}"
        conv, truth, reps = gen.conversation(k, customer)
        rows.extend(conv.rows)
        truths.append(truth)
        repeats.extend(reps)
    export = pd.DataFrame(rows, columns=EXPORT_COLUMNS)
    truth = pd.DataFrame(truths)
    zones = export["ticket_id"].map(truth.set_index("conversation_id")["language"]).map(
        {lang: gen.bank[lang]["timezone"] for lang in LANGUAGES}
    )
    export["created_at"] = _local_iso(export["created_at"].to_numpy(), zones)
    repeats_df = pd.DataFrame(repeats, columns=["conversation_id", "message_id", "repeat_of"])
    return export, truth, repeats_df


SAMPLE_MAPPING = """\
# How csqa reads the sample export (see README: column mappings)
timezone = "UTC"

[columns]
conversation_id = "ticket_id"
message_id = "msg_id"
timestamp = "created_at"
sender_role = "author_type"
sender_id = "author"
kind = "type"
event = "event_type"
assignee_id = "assignee"
queue = "team"
channel = "channel"
text = "body"
customer_id = "customer"

[roles]
visitor = "customer"
agent = "agent"
bot = "bot"
system = "system"

[kinds]
message = "message"
private_note = "note"
event = "event"
"""


def sample_files() -> tuple[Path, Path]:
    """Paths of the bundled sample export (gzip CSV) and its mapping file."""
    base = resources.files("csqa").joinpath("data/sample")
    return Path(str(base.joinpath("messages.csv.gz"))), Path(str(base.joinpath("mapping.toml")))


def load_sample() -> pd.DataFrame:
    """The bundled sample as a canonical messages table (read through the real ingest).

    >>> messages = load_sample()           # doctest: +SKIP
    >>> messages["conversation_id"].nunique()  # doctest: +SKIP
    2000
    """
    from csqa.ingest import read_messages

    export, mapping = sample_files()
    return read_messages(export, mapping=mapping).messages
