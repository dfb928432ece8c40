"""WhatsApp chat exports (``.txt``, or the ``.zip`` WhatsApp makes with the chat inside).

Every header layout WhatsApp writes is read by one pattern:

- Android ``06.08.2016, 13:23 - Ash: hi``, iOS ``[15/01/20, 02:22:56] Mary: hi``;
- 24 h and 12 h clocks (``PM``, ``p. m.``, Arabic ``ص``/``م``, Persian ``ق.ظ.``/``ب.ظ.``);
- day-first, month-first and year-first dates (the order that fits the whole file),
  2- or 4-digit years, and Jalali
  (Persian calendar) dates such as ``۱۴۰۲/۰۷/۱۵`` when the year is 1300-1499;
- Arabic-Indic and Persian digits, the Arabic comma, and the directional marks
  (LRM/RLM/ALM, embeddings, isolates) phones put around names and dates.

A line without a header continues the message before it (multi-line messages).
``Name: text`` is a message; a header line with no ``Name:`` (group created, member
added...) and the end-to-end encryption notice are ``system`` events. Media
placeholders (``<Media omitted>``, ``image omitted``...) stay as the message text.
Text is never changed. Times are the phone's local time: pass ``timezone``.

Which participant is the business is a parameter (``agents``: names or phone
numbers, compared without spaces, dashes or marks); everyone else is a customer.
A silence longer than ``session_gap`` starts a new conversation
``{chat}#{n}``, where ``chat`` is the file name.

>>> m = HEADER.match("\\u200f٢٠/١٠/٢٠٢٣، ١٠:٣٠ م - أحمد: مرحبا")
>>> m["d1"], m["h"], m["ap"], m["rest"]
('٢٠', '١٠', 'م', 'أحمد: مرحبا')
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from csqa.errors import IngestError, input_error
from csqa.ingest.readers import RawChunk, _read_text, rejected_frame
from csqa.ingest.records import check_agents
from csqa.schema import STRING_DTYPE

NAME = "whatsapp"
MARKS = "\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069"
# patterns run in Arrow's RE2 (vectorised): no lookarounds, and spaces spelled out,
# because RE2's \\s is ASCII only (phones write U+00A0 / U+202F before AM/PM)
_SPACE = " \t\u00a0\u2007\u2009\u202f"
_D = "[0-9\u0660-\u0669\u06f0-\u06f9]"
_S = f"[{_SPACE}{MARKS}]*"
_AMPM = f"(?:[AaPp]\\.?[{_SPACE}]?[Mm]\\.?|ص|م|ق\\.?[{_SPACE}]?ظ\\.?|ب\\.?[{_SPACE}]?ظ\\.?)"
HEADER_PATTERN = (
    rf"^{_S}\[?{_S}(?P<d1>{_D}{{1,4}}){_S}[./-]{_S}(?P<d2>{_D}{{1,2}}){_S}[./-]{_S}"
    rf"(?P<d3>{_D}{{1,4}}){_S}[,،]?{_S}(?P<h>{_D}{{1,2}})[:.](?P<mi>{_D}{{2}})"
    rf"(?:[:.](?P<se>{_D}{{2}}))?{_S}(?P<ap>{_AMPM})?{_S}(?:\]|-[{_SPACE}]){_S}(?P<rest>.*)$"
)
HEADER = re.compile(HEADER_PATTERN)
_AUTHOR = rf"(?s)^(?P<name>[^:\n]+?):[{_SPACE}](?P<text>.*)$"  # marks in the name are removed after
_SYSTEM_TEXT = (
    r"end-to-end encrypted|secured with end-to-end encryption|مشفرة تمامًا|تشفير تام|رمزگذاری سرتاسری"
    r"|سرتاسری رمزگذاری|رمزنگاری سرتاسری|This chat is with a business account"
)
_DIGITS = ("٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹")


def sniff(head: str) -> bool:
    """Is this the text of a WhatsApp export? (its first non-empty line is a message header)"""
    first = next((line for line in head.splitlines() if line.strip()), "")
    return bool(HEADER.match(first))


def person_key(name: str) -> str:
    """A participant's name or phone number, compared without marks, spaces or dashes.

    >>> person_key("+98 912-345 6789") == person_key("\\u202a+989123456789\\u202c")
    True
    """
    return re.sub(rf"[\s\-(){MARKS}~]", "", name).casefold()


def jalali_to_gregorian(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Jalali (Persian calendar) dates to ``datetime64[D]`` (arithmetic 33-year rule).

    >>> str(jalali_to_gregorian(np.array([1403]), np.array([1]), np.array([1]))[0])
    '2024-03-20'
    """
    jy = np.asarray(year, dtype="int64") + 1595
    month = np.asarray(month, dtype="int64")
    days = (-355668 + 365 * jy + (jy // 33) * 8 + ((jy % 33) + 3) // 4 + np.asarray(day, dtype="int64")
            + np.where(month < 7, (month - 1) * 31, (month - 7) * 30 + 186))
    return np.datetime64("0000-01-01", "D") + days.astype("timedelta64[D]")


def _chat_text(path: Path) -> tuple[str, str]:
    """(chat name, text) of a ``.txt`` export or of the chat inside a WhatsApp ``.zip``."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if n.lower().endswith(".txt")]
            if not names:
                raise input_error(IngestError, str(path), "the zip holds no chat text",
                                  expected="a WhatsApp export zip with a .txt chat inside",
                                  found=f"members {zf.namelist()[:10]}")
            try:
                return path.stem, zf.read(names[0]).decode("utf-8-sig")
            except UnicodeDecodeError:
                raise input_error(IngestError, f"{path}!{names[0]}", "is not valid UTF-8",
                                  expected="UTF-8 text") from None
    return path.stem, _read_text(path)


def _number(col: pa.Array) -> np.ndarray:
    """Digit strings in any of the three scripts to floats (empty -> NaN)."""
    if pc.any(pc.match_substring_regex(col, "[\u0660-\u0669\u06f0-\u06f9]")).as_py():
        for script in _DIGITS:
            for value, digit in enumerate(script):
                col = pc.replace_substring(col, digit, str(value))
    col = pc.if_else(pc.equal(col, ""), None, col)
    return pc.cast(col, pa.float64()).to_numpy(zero_copy_only=False)


_ORDERS = {"dmy": (2, 1, 0), "mdy": (2, 0, 1), "ymd": (0, 1, 2), "ydm": (0, 2, 1)}  # year, month, day


def _dates(parts: dict[str, pa.Array], dayfirst: bool | None) -> tuple[np.ndarray, ...]:
    """(year, month, day) arrays. The order of the three fields is judged on the whole
    file: the reading under which every date is valid, the dates run in time order and
    they span the least time (a 4-digit field is the year; ``dayfirst`` settles day and
    month; a last tie goes to month-first for a US-style AM/PM clock, else day-first)."""
    fields = [_number(parts[c]) for c in ("d1", "d2", "d3")]
    long = [pc.any(pc.greater_equal(pc.utf8_length(parts[c]), 3)).as_py() for c in ("d1", "d3")]
    orders = [o for o in _ORDERS if not (long[0] and o[0] != "y") and not (long[1] and o[2] != "y")]
    if dayfirst is not None:
        orders = [o for o in orders if (o.index("d") < o.index("m")) == dayfirst] or orders
    if pc.any(pc.match_substring_regex(parts["ap"], "^[AaPp]")).as_py():
        orders.sort(key=lambda o: o != "mdy")
    best, best_key = None, None
    for order in orders:
        year, month, day = (fields[k] for k in _ORDERS[order])
        year = np.where(year < 100, year + 2000, year)
        valid = (month >= 1) & (month <= 12) & (day >= 1) & (day <= 31)
        stamp = (year * 12 + month) * 31 + day
        ok = stamp[valid]
        key = (-int(valid.sum()), int((np.diff(ok) < 0).sum()), float(np.ptp(ok)) if len(ok) else 0.0)
        if best_key is None or key < best_key:
            best, best_key = (year, month, day), key
    return best


def _timestamps(parts: dict[str, pa.Array], dayfirst: bool | None) -> pd.Series:
    year, month, day = _dates(parts, dayfirst)
    hour = _number(parts["h"])
    pm = pc.match_substring_regex(parts["ap"], "^[Ppمب]").to_numpy(zero_copy_only=False)
    has_ap = pc.not_equal(parts["ap"], "").to_numpy(zero_copy_only=False)
    hour = np.where(has_ap, hour % 12 + np.where(pm, 12, 0), hour)
    minute, second = _number(parts["mi"]), np.nan_to_num(_number(parts["se"]))
    jalali = (year >= 1300) & (year < 1500)
    ok = ~np.isnan(year + month + day)
    base = pd.to_datetime(
        pd.DataFrame({"year": np.where(jalali | ~ok, 2000, year), "month": np.where(ok, month, 1),
                      "day": np.where(ok, day, 1)}), errors="coerce").to_numpy().copy()
    valid = ok & (month >= 1) & (month <= 12) & (day >= 1) & (day <= 31)
    if jalali.any():
        base[jalali & valid] = jalali_to_gregorian(year[jalali & valid], month[jalali & valid],
                                                   day[jalali & valid]).astype("datetime64[ns]")
    base[~valid] = np.datetime64("NaT")
    offset = pd.to_timedelta(hour * 3600 + minute * 60 + second, unit="s").to_numpy()
    bad_time = (hour > 23) | (minute > 59) | (second > 59)
    out = base + offset
    out[bad_time] = np.datetime64("NaT")
    return pd.Series(out)


def _fields(struct: pa.Array) -> dict[str, pa.Array]:
    return {f.name: struct.field(i) for i, f in enumerate(struct.type)}


def _read_chat(path: Path, agent_keys: set[str], session_gap: pd.Timedelta,
               dayfirst: bool | None) -> RawChunk:
    chat, text = _chat_text(path)
    lines = pa.array(text.removesuffix("\n").split("\n"), type=pa.large_string())
    lines = pc.replace_substring_regex(lines, "\r$", "")
    matched = pc.extract_regex(lines, HEADER_PATTERN)
    header = matched.is_valid().to_numpy(zero_copy_only=False)
    group = np.cumsum(header) - 1
    blank = pc.equal(pc.utf8_trim_whitespace(lines), "").to_numpy(zero_copy_only=False)
    before = (group < 0) & ~blank
    rejected = rejected_frame(
        np.flatnonzero(before) + 1, "text",
        "text before the first message header (expected e.g. '31/12/23, 21:05 - Name: text')",
        pc.utf8_slice_codeunits(lines.filter(before), 0, 1000).to_pylist(),
    )
    heads = np.flatnonzero(header)
    parts = _fields(matched.filter(header))
    body = parts["rest"].to_pandas()
    more = ~header & (group >= 0)
    if more.any():  # continuation lines of multi-line messages
        extra = pd.Series(lines.filter(more).to_pandas().to_numpy()).groupby(group[more]).agg("\n".join)
        body.loc[extra.index] = body.loc[extra.index] + "\n" + extra
    body_arr = pa.array(body, type=pa.large_string())
    found = pc.extract_regex(body_arr, _AUTHOR)
    author = _fields(found)
    has_author = found.is_valid().to_numpy(zero_copy_only=False)
    system = ~has_author | pc.match_substring_regex(body_arr, _SYSTEM_TEXT).to_numpy(zero_copy_only=False)
    name = pc.utf8_trim_whitespace(pc.replace_substring_regex(author["name"], f"[{MARKS}]", ""))
    uniques = [n for n in pc.unique(name).to_pylist() if n is not None and person_key(n) in agent_keys]
    is_agent = pc.is_in(name, pa.array(uniques, type=name.type)).to_numpy(zero_copy_only=False)
    ts = _timestamps(parts, dayfirst)
    bad = ts.isna().to_numpy()
    gap = ts.diff() > session_gap
    session = np.cumsum(gap.to_numpy()) + 1
    role = np.where(system, "system", np.where(is_agent, "agent", "customer"))
    sender = pd.Series(name.to_pandas(), dtype=STRING_DTYPE).where(~system | has_author)
    said = pa.array(author["text"]).to_pandas()
    frame = pd.DataFrame({
        "conversation_id": chat + "#" + pd.Series(session).astype(str),
        "timestamp": ts,
        "sender_role": role,
        "sender_id": sender,
        "kind": np.where(system, "event", "message"),
        "event": np.where(system, "system", None),
        "channel": "whatsapp",
        "text": pd.Series(np.where(has_author & ~system, said, body.to_numpy()), dtype=STRING_DTYPE),
        "customer_id": sender.where(role == "customer"),
    })
    if bad.any():
        p = {k: v.to_pandas() for k, v in parts.items()}
        dates = p["d1"] + "/" + p["d2"] + "/" + p["d3"] + " " + p["h"] + ":" + p["mi"]
        rejected = pd.concat([rejected, rejected_frame(
            heads[bad] + 1, "timestamp", "not a valid date and time: " + dates[bad].map(repr)
            + " (read as " + ("day-first" if dayfirst else "judged from the file") + ")",
            lines.take(heads[bad]).to_pylist())], ignore_index=True)
    return RawChunk(frame[~bad].reset_index(drop=True), heads[~bad] + 1, rejected)


def read(files: list[Path], *, agents: tuple[str, ...] = (), session_gap="24h",
         dayfirst: bool | None = None, **_options) -> list[RawChunk]:
    """One chunk per chat file (see the module docstring)."""
    gap = pd.Timedelta(session_gap)
    keys = {person_key(a) for a in agents}
    chunks = [_read_chat(path, keys, gap, dayfirst) for path in files]
    check_agents(files, [c.frame for c in chunks], agents)
    return chunks
