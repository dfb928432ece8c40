"""A labelled set for redaction: support messages in en/ar/fa holding personal data of each
covered type in the shapes people write them (spaces, dashes, Persian and Arabic digits), and
hard negatives that must stay: order and tracking numbers, amounts, dates, times, card-like
numbers failing the Luhn check, ids failing their check digit. Built deterministically."""

from __future__ import annotations

import random

FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
AR = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _luhn_digit(body: str) -> str:
    total = 0
    for i, d in enumerate(reversed(body)):
        v = int(d) * (2 if i % 2 == 0 else 1)
        total += v - 9 if v > 9 else v
    return str((10 - total % 10) % 10)


def _card(rng: random.Random) -> str:
    body = rng.choice(["6037", "6219", "5022", "4111", "5200"]) + "".join(rng.choice("0123456789") for _ in range(11))
    return body + _luhn_digit(body)


def _bad_card(rng: random.Random) -> str:
    card = _card(rng)
    return card[:-1] + str((int(card[-1]) + rng.randint(1, 9)) % 10)


def _national_id(rng: random.Random, valid: bool = True) -> str:
    while True:
        body = "".join(rng.choice("0123456789") for _ in range(9))
        total = sum(int(d) * (10 - i) for i, d in enumerate(body)) % 11
        check = total if total < 2 else 11 - total
        if len(set(body)) > 1:
            break
    if not valid:
        check = (check + rng.randint(1, 9)) % 10
    return body + str(check)


def _iban(rng: random.Random, country: str = "IR", length: int = 22) -> str:
    bban = "".join(rng.choice("0123456789") for _ in range(length))
    number = int("".join(str(int(c, 36)) for c in bban + country + "00"))
    return f"{country}{98 - number % 97:02d}{bban}"


def _group(number: str, size: int = 4, sep: str = " ") -> str:
    return sep.join(number[i:i + size] for i in range(0, len(number), size))


def _phone(rng: random.Random) -> str:
    d = lambda n: "".join(rng.choice("0123456789") for _ in range(n))  # noqa: E731
    shapes = [
        lambda: f"+98 9{d(2)} {d(3)} {d(4)}", lambda: f"+989{d(9)}", lambda: f"0098-9{d(2)}-{d(3)}-{d(4)}",
        lambda: f"09{d(9)}", lambda: f"09{d(2)} {d(3)} {d(4)}", lambda: f"021-{d(8)}", lambda: f"(021) {d(4)} {d(4)}",
        lambda: f"+966 5{d(1)} {d(3)} {d(4)}", lambda: f"05{d(8)}", lambda: f"+971 5{d(1)} {d(3)} {d(4)}",
        lambda: f"+20 1{d(2)} {d(3)} {d(4)}", lambda: f"010{d(8)}", lambda: f"415-{d(3)}-{d(4)}",
        lambda: f"+1 (415) {d(3)}-{d(4)}",
    ]
    return rng.choice(shapes)()


def _email(rng: random.Random) -> str:
    user = rng.choice(["sara", "omid.k", "ahmad_92", "m.rezaei", "noura", "j.smith+shop"])
    return f"{user}{rng.randint(1, 99)}@{rng.choice(['gmail.com', 'yahoo.co.uk', 'mail.ir', 'outlook.sa'])}"


TEMPLATES = {
    "en": {"phone": "You can call me on {v} after 5pm", "email": "my email is {v}, please send the invoice",
           "card": "the charge was on my card {v} twice", "iban": "refund to IBAN {v} please",
           "national_id": "my national id is {v}"},
    "fa": {"phone": "شماره من {v} است، لطفا تماس بگیرید", "email": "ایمیلم {v} هست",
           "card": "از کارت {v} دو بار کم شد", "iban": "شماره شبا {v} برای بازگشت وجه",
           "national_id": "کد ملی من {v} است"},
    "ar": {"phone": "رقمي {v} اتصلوا بي", "email": "بريدي الإلكتروني {v}",
           "card": "تم الخصم من بطاقتي {v} مرتين", "iban": "أرجو التحويل إلى الآيبان {v}",
           "national_id": "رقم الهوية {v}"},
}
NEGATIVES = {
    "en": ["order {o} still not delivered", "I paid 1,250,000 on 2026-03-01 at 14:30", "tracking code {t}",
           "the reference number is {c}", "account number {n} on the invoice", "it cost 349.99 for 2 items"],
    "fa": ["سفارش {o} هنوز نرسیده", "مبلغ ۱٬۲۵۰٬۰۰۰ تومان در تاریخ ۱۴۰۳/۰۵/۱۲ ساعت ۱۴:۳۰ پرداخت شد",
           "کد رهگیری {t}", "شماره پیگیری {c}", "شماره فاکتور {n}"],
    "ar": ["الطلب رقم {o} لم يصل", "دفعت ٢٥٠ ريال بتاريخ ٢٠٢٦/٠٣/٠١", "رقم التتبع {t}", "المرجع {c}",
           "رقم الفاتورة {n}"],
}


def _value(kind: str, rng: random.Random) -> str:
    if kind == "phone":
        return _phone(rng)
    if kind == "email":
        return _email(rng)
    if kind == "card":
        card = _card(rng)
        return rng.choice([card, _group(card), _group(card, sep="-")])
    if kind == "iban":
        iban = rng.choice([_iban(rng), _iban(rng), _iban(rng, "DE", 18), _iban(rng, "SA", 20), _iban(rng, "AE", 19)])
        return rng.choice([iban, _group(iban), iban[2:] if iban.startswith("IR") else iban])
    national = _national_id(rng)
    return rng.choice([national, f"{national[:3]}-{national[3:9]}-{national[9]}"])


def labelled_pii(n: int = 1500, seed: int = 7) -> list[dict]:
    """``n`` messages: ``text``, ``language`` and ``entities`` (``[(value, kind)]``, empty for negatives)."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        language = ("en", "fa", "ar")[i % 3]
        negative = rng.choice(NEGATIVES[language]).format(
            o=rng.randint(100000, 99999999), t=f"IRR{rng.randint(10**8, 10**9)}", c=_bad_card(rng),
            n=_national_id(rng, valid=False))
        if i % 4 == 3:  # a message with no personal data: only the hard negative
            rows.append({"text": negative, "language": language, "entities": []})
            continue
        kind = rng.choice(("phone", "email", "card", "iban", "national_id"))
        value = _value(kind, rng)
        if language != "en" and kind != "email" and rng.random() < 0.4:
            value = value.translate(FA if language == "fa" else AR)
        text = TEMPLATES[language][kind].format(v=value) + (" — " + negative if rng.random() < 0.5 else "")
        rows.append({"text": text, "language": language, "entities": [(value, kind)]})
    return rows
