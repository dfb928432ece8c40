"""Hand-labelled conversations for the repeat-explanation and re-asked-information detectors.

Each conversation is a list of steps: (role, sender, text_or_event, label). For customer
messages the label is the seq number of the earlier message it restates, or None when it
is not a re-explanation. Agent messages labelled "reask" ask again for data the customer
already gave. Events are written ("event", None, "assign agent queue" / "transfer agent
queue", None). The set holds hard negatives (thanking twice; quoting an order number again
with new information; "again" about something new) and hard positives (restating in other
words after a transfer, with and without cue phrases), in English, Persian and Arabic.
"""

from __future__ import annotations

import pandas as pd

CONVERSATIONS: dict[str, list[tuple]] = {
    "en-transfer-paraphrase": [
        ("event", None, "assign ana billing", None),
        ("customer", "u1", "Hi, I was charged twice for my subscription this month, order 884-12093.", None),
        ("agent", "ana", "Let me check that for you.", None),
        ("event", None, "transfer bob payments", None),
        ("customer", "u1", "Hello. My card got billed two times for the monthly subscription.", 1),
        ("agent", "bob", "I see the duplicate charge, I am refunding it now.", None),
        ("customer", "u1", "Thank you so much, that is great!", None),
        ("customer", "u1", "Thanks again!", None),
    ],
    "en-number-new-info": [
        ("customer", "u2", "My order 123-45678 arrived with a cracked screen.", None),
        ("agent", "cem", "Sorry to hear that! Could you send a photo of the screen?", None),
        ("customer", "u2", "Sure. Also for order 123-45678, can I change the delivery address for the "
                           "replacement to my office?", None),
        ("customer", "u2", "Here is the photo you asked for.", None),
    ],
    "en-cue-same-agent": [
        ("customer", "u3", "I cannot log in to the app, the reset code never arrives by SMS.", None),
        ("agent", "dan", "Have you tried restarting the app?", None),
        ("customer", "u3", "As I said, I can't log in because the reset code never comes.", 0),
        ("agent", "dan", "Sorry, I am sending a new code now.", None),
        ("customer", "u3", "Got it, I'm in now, everything works.", None),
    ],
    "en-again-new-topic": [
        ("customer", "u4", "The parcel tracking page hasn't updated in five days.", None),
        ("agent", "eva", "It is with the courier and should move tomorrow.", None),
        ("customer", "u4", "Can you also check again whether my discount code was applied?", None),
    ],
    "en-resend-ignored": [
        ("customer", "u5", "Where is my refund for the returned shoes? It has been two weeks.", None),
        ("customer", "u5", "Where is my refund for the returned shoes? It has been two weeks.", 0),
        ("agent", "fay", "Checking your refund now.", None),
    ],
    "en-reask-email-phone": [
        ("customer", "u6", "Please update the email on my account, the new one is jane.doe@mail.com", None),
        ("agent", "gus", "Thanks! We've sent a confirmation to jane.doe@mail.com", None),
        ("customer", "u6", "Also call me at +1 415 555 0134 please, my internet is down since morning.", None),
        ("agent", "gus", "Could you confirm your email address, please?", "reask"),
        ("agent", "gus", "And what is your phone number?", "reask"),
    ],
    "en-order-id-is-not-a-phone": [  # after a real ABCD dialogue: a 10-digit order id is no phone number
        ("customer", "u14", "I need to return the jeans, I got the wrong size.", None),
        ("agent", "hal", "May I have your username, email address and order ID please?", None),
        ("customer", "u14", "Order ID: 3348917502", None),
        ("agent", "hal", "I'd just need your phone number.", None),
        ("customer", "u14", "(977) 625-2661", None),
        ("agent", "hal", "Thanks. And could you confirm the order ID once more?", "reask"),
    ],
    "fa-transfer-cue": [
        ("event", None, "assign sara mali", None),
        ("customer", "u7", "سلام، پول سفارشم رو دو بار از کارتم کم کردن. شماره سفارش ۴۵۶-۷۸۹۰۱", None),
        ("agent", "sara", "بررسی می‌کنم.", None),
        ("event", None, "transfer reza mali", None),
        ("customer", "u7", "قبلاً به همکارتون گفتم، مبلغ سفارش دو بار از کارتم کسر شده.", 1),
        ("agent", "reza", "لطفاً شماره سفارشتون رو بفرمایید؟", "reask"),
        ("customer", "u7", "۴۵۶-۷۸۹۰۱", None),
        ("customer", "u7", "خیلی ممنون", None),
        ("customer", "u7", "بازم ممنون", None),
    ],
    "fa-transfer-paraphrase": [
        ("event", None, "assign nima sales", None),
        ("customer", "u8", "اپلیکیشن موقع پرداخت بسته میشه و نمی‌تونم خرید کنم.", None),
        ("agent", "nima", "این مورد مربوط به تیم فنی است، منتقلتون می‌کنم.", None),
        ("event", None, "transfer leila fanni", None),
        ("customer", "u8", "وقتی می‌خوام پرداخت کنم برنامه بسته میشه و خریدم انجام نمیشه.", 1),
        ("agent", "leila", "لطفاً نسخه برنامه رو به‌روزرسانی کنید.", None),
        ("customer", "u8", "به‌روزرسانی کردم، حالا درست کار می‌کنه. ممنون", None),
    ],
    "fa-again-new-order": [
        ("customer", "u9", "کد تخفیفم روی سبد خرید اعمال نشد.", None),
        ("agent", "omid", "الان براتون اعمالش کردم.", None),
        ("customer", "u9", "عالیه، پس فردا دوباره سفارش می‌دم.", None),
    ],
    "ar-transfer-cue-reask": [
        ("event", None, "assign huda support", None),
        ("customer", "u10", "طلبي رقم ٧٧١-٢٣٤٥٦ وصل ناقص، ما فيه السماعة.", None),
        ("agent", "huda", "راح أحولك لقسم الطلبات.", None),
        ("event", None, "transfer omar orders", None),
        ("customer", "u10", "كما ذكرت لزميلك، الطلب وصل وناقص منه السماعة.", 1),
        ("agent", "omar", "ممكن رقم الطلب لو سمحت؟", "reask"),
        ("customer", "u10", "٧٧١-٢٣٤٥٦", None),
    ],
    "ar-number-new-info": [
        ("customer", "u11", "الطلب ٥٥٥-١٢٣٤٥ متأخر أسبوع كامل.", None),
        ("agent", "lina", "نعتذر، نتابع مع شركة الشحن.", None),
        ("customer", "u11", "وبخصوص الطلب ٥٥٥-١٢٣٤٥ أبغى أغير طريقة الدفع إلى الدفع عند الاستلام.", None),
    ],
    "ar-email-weak-cue": [
        ("customer", "u12", "ما أقدر أدخل حسابي، كلمة المرور ما تشتغل.", None),
        ("agent", "sami", "ممكن ترسل لي بريدك الإلكتروني؟", None),  # never given before: not a re-ask
        ("customer", "u12", "ahmad.k@example.com", None),
        ("agent", "sami", "أرسلت لك رابط إعادة التعيين على ahmad.k@example.com", None),
        ("customer", "u12", "مرة ثانية: ما أقدر أدخل حسابي وكلمة المرور ما تشتغل أبداً.", 0),
    ],
    "ar-transfer-paraphrase": [
        ("event", None, "assign rana support", None),
        ("customer", "u13", "انخصم المبلغ مرتين من بطاقتي لنفس الطلب.", None),
        ("agent", "rana", "هذا يخص المالية، جاري التحويل.", None),
        ("event", None, "transfer ziad finance", None),
        ("customer", "u13", "البطاقة انسحب منها مبلغ الطلب مرتين، أبي استرجاع واحد منهم.", 1),
    ],
}


def labelled_messages() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(messages table, labels: conversation_id, message_id, is_repeat, repeat_of, reask)."""
    rows, labels = [], []
    base = pd.Timestamp("2026-05-04 09:00", tz="UTC")
    for c, (cid, steps) in enumerate(CONVERSATIONS.items()):
        for seq, (role, sender, text, label) in enumerate(steps):
            mid = f"{cid}:{seq}"
            row = {"conversation_id": cid, "message_id": mid, "seq": seq, "sender_role": role,
                   "timestamp": base + pd.Timedelta(days=c, minutes=3 * seq), "sender_id": sender,
                   "kind": "message", "text": text, "customer_id": f"cust-{c}"}
            if role == "event":
                name, assignee, queue = text.split()
                row.update(sender_role="system", kind="event", event=name, assignee_id=assignee,
                           queue=queue, text=None)
            rows.append(row)
            if role == "customer":
                labels.append({"conversation_id": cid, "message_id": mid, "is_repeat": label is not None,
                               "repeat_of": f"{cid}:{label}" if label is not None else None})
            if role == "agent":
                labels.append({"conversation_id": cid, "message_id": mid, "reask": label == "reask"})
    return pd.DataFrame(rows), pd.DataFrame(labels)
