"""Mask personal data in message text, keeping it readable: «شماره من [PHONE] است».

Found in the original text (Latin, Persian ۰-۹ and Arabic ٠-٩ digits alike):
e-mail addresses, card numbers (13-19 digits passing the Luhn check), IBANs
(ISO 13616 mod-97 check; a bare 24-digit Iranian Sheba number too), Iranian
national ids (10 digits passing their check digit), phone numbers (international
``+``/``00``, Iranian ``09..``/``0..`` landlines, Gulf and Egyptian mobiles,
``(area)`` and ``555-123-4567`` shapes), and any identifiers you name by a
regular expression. Checksums keep order numbers and amounts from being masked
as cards or ids.

>>> import pandas as pd
>>> texts = pd.Series(["شماره من ۰۹۱۲۳۴۵۶۷۸۹ است", "card 4111 1111 1111 1111, mail a.b@x.co",
...                    "order 4111111111111112 on 2026-03-01"])
>>> redact_text(texts).tolist()
['شماره من [PHONE] است', 'card [CARD], mail [EMAIL]', 'order 4111111111111112 on 2026-03-01']
>>> redact_text(pd.Series(["ticket AB-123456"]), patterns={"ORDER": r"AB-\\d{6}"}).tolist()
['ticket [ORDER]']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from csqa.text.lexicons import as_arrow

KINDS = ("email", "iban", "national_id", "phone", "card")  # the order they are looked for
_D = "[0-9\u06f0-\u06f9\u0660-\u0669]"
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_NOT_DIGIT_BEFORE = r"(?<![0-9\u06f0-\u06f9\u0660-\u0669A-Za-z])"
_NOT_DIGIT_AFTER = r"(?![0-9\u06f0-\u06f9\u0660-\u0669])"
_SEP = r"[ \-\u00a0]?"

_PATTERNS = {
    "email": r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}",
    "iban": rf"\b[A-Z]{{2}}{_D}{{2}}(?:{_SEP}[A-Z0-9\u06f0-\u06f9\u0660-\u0669]){{11,30}}\b|{_NOT_DIGIT_BEFORE}{_D}(?:{_SEP}{_D}){{23}}{_NOT_DIGIT_AFTER}",
    "card": rf"{_NOT_DIGIT_BEFORE}{_D}(?:{_SEP}{_D}){{12,18}}{_NOT_DIGIT_AFTER}",
    "phone": "|".join([
        rf"(?:\+|{_NOT_DIGIT_BEFORE}00)[1-9]{_D}{{0,2}}(?:[ ().\-]{{0,2}}{_D}){{7,13}}{_NOT_DIGIT_AFTER}",   # +98 912 345 6789
        rf"\+[\u06f1-\u06f9\u0661-\u0669]{_D}{{0,2}}(?:[ ().\-]{{0,2}}{_D}){{7,13}}{_NOT_DIGIT_AFTER}",
        rf"{_NOT_DIGIT_BEFORE}\({_D}{{2,4}}\)[ .\-]?{_D}(?:[ .\-]?{_D}){{5,9}}{_NOT_DIGIT_AFTER}",  # (021) 8877 6655
        rf"{_NOT_DIGIT_BEFORE}[0\u06f0\u0660]{_D}(?:[ .\-]?{_D}){{8,10}}{_NOT_DIGIT_AFTER}",   # 0912.., 021.., 050..
        rf"{_NOT_DIGIT_BEFORE}{_D}{{3}}[ .\-]{_D}{{3}}[ .\-]{_D}{{4}}{_NOT_DIGIT_AFTER}",     # 415-555-0134
    ]),
    "national_id": rf"{_NOT_DIGIT_BEFORE}{_D}{{3}}-?{_D}{{6}}-?{_D}{_NOT_DIGIT_AFTER}",
}
_LABELS = {"email": "[EMAIL]", "iban": "[IBAN]", "card": "[CARD]", "phone": "[PHONE]", "national_id": "[NATIONAL_ID]"}


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text.translate(_DIGITS))


def luhn_valid(number: str) -> bool:
    """Whether a 13-19 digit number passes the Luhn check (card numbers).

    >>> luhn_valid("4111 1111 1111 1111"), luhn_valid("4111111111111112")
    (True, False)
    """
    digits = _digits(number)
    if not 13 <= len(digits) <= 19 or len(set(digits)) == 1:
        return False
    values = np.array([int(d) for d in digits[::-1]])
    doubled = values[1::2] * 2
    return int(values[::2].sum() + (doubled - 9 * (doubled > 9)).sum()) % 10 == 0


def iban_valid(text: str) -> bool:
    """ISO 13616 mod-97 check; 24 bare digits are read as an Iranian Sheba number (IR + digits).

    >>> iban_valid("IR06 2960 0000 0010 0324 2000 01"), iban_valid("062960000000100324200001")
    (True, True)
    """
    compact = re.sub(r"[ \-\u00a0]", "", text.translate(_DIGITS)).upper()
    if compact.isdigit():
        compact = "IR" + compact
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", compact):
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def national_id_valid(text: str) -> bool:
    """The check digit of an Iranian national id (کد ملی), 10 digits.

    >>> national_id_valid("0084575948"), national_id_valid("0084575949"), national_id_valid("1111111111")
    (True, False, False)
    """
    digits = _digits(text)
    if len(digits) != 10 or len(set(digits)) == 1:
        return False
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9])) % 11
    check = int(digits[9])
    return check == total if total < 2 else check == 11 - total


_CHECKS: dict[str, Callable[[str], bool]] = {"iban": iban_valid, "card": luhn_valid, "national_id": national_id_valid}


def _compiled(kinds: Sequence[str], patterns: Mapping[str, str]) -> list[tuple[str, re.Pattern, str]]:
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise ValueError(f"unknown kinds of personal data {unknown}; known: {list(KINDS)}")
    rules = [(k, re.compile(_PATTERNS[k]), _LABELS[k]) for k in KINDS if k in kinds]
    for name, pattern in patterns.items():
        try:
            rules.append((name, re.compile(pattern), f"[{name.upper()}]"))
        except re.error as exc:
            raise ValueError(f"the redaction pattern {name!r} is not a valid regular expression: {exc}") from None
    return rules


def _mask_one(text: str, rules) -> str:
    for kind, pattern, label in rules:
        check = _CHECKS.get(kind)
        text = pattern.sub(lambda m, c=check, lab=label: lab if c is None or c(m.group(0)) else m.group(0), text)
    return text


def redact_text(
    texts: pd.Series, *, kinds: Sequence[str] = KINDS, patterns: Mapping[str, str] | None = None,
) -> pd.Series:
    """``texts`` with personal data replaced by ``[EMAIL]``, ``[CARD]``, ``[IBAN]``, ``[PHONE]``,
    ``[NATIONAL_ID]`` and ``[NAME]`` for each extra ``patterns`` entry ``{"NAME": regex}``.

    Only texts holding an ``@`` or a run of 5+ digits are examined one by one
    (found with one vectorised regex pass); the rest are returned as they are.
    """
    rules = _compiled(kinds, patterns or {})
    arr = as_arrow(texts)
    gate = f"@|{_D}(?:[ ().\\-\u00a0]?{_D}){{4,}}"
    hit = pc.fill_null(pc.match_substring_regex(arr, gate), False).to_numpy(zero_copy_only=False)
    if patterns:  # user patterns are Python regexes (RE2 may not take them): they see every text
        hit |= pc.is_valid(arr).to_numpy(zero_copy_only=False)
    out = texts.copy()
    rows = np.flatnonzero(hit)
    if len(rows):
        values = texts.iloc[rows].tolist()
        out.iloc[rows] = [_mask_one(v, rules) for v in values]  # only texts that hold a candidate
    return out


def redact(
    messages: pd.DataFrame, *, kinds: Sequence[str] = KINDS, patterns: Mapping[str, str] | None = None,
    columns: Sequence[str] = ("text",),
) -> pd.DataFrame:
    """A copy of ``messages`` with personal data masked in ``columns`` (the input is not changed).

    >>> import pandas as pd
    >>> m = pd.DataFrame({"text": ["my mail is sara@example.com"], "sender_id": ["u1"]})
    >>> redact(m)["text"].tolist(), m["text"].tolist()
    (['my mail is [EMAIL]'], ['my mail is sara@example.com'])
    """
    out = messages.copy()
    for column in columns:
        if column in out.columns:
            out[column] = redact_text(out[column], kinds=kinds, patterns=patterns)
    return out
