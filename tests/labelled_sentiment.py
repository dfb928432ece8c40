"""Hand-written, hand-labelled support messages for the default sentiment scorer.

Written for csqa (not taken from any dataset): what customers write to support desks and in
feedback forms, in English, Persian (formal, colloquial, typed with Arabic ي/ك) and Arabic
(MSA, Egyptian, Gulf, Levantine). Labels are what a support analyst would file the message
as: praise, complaint, or neither (questions, requests, information). Hard cases: complaints
without a sentiment word ("not received"), negated praise and negated complaints ("no
problem"), politeness inside complaints, requests that say "please" and "help".
"""

from __future__ import annotations

# (text, language, label)
MESSAGES: list[tuple[str, str, str]] = [
    # English
    ("Thank you so much, the refund arrived today!", "en", "positive"),
    ("Great support, Sara fixed it in two minutes", "en", "positive"),
    ("Love the new app, super fast now", "en", "positive"),
    ("Problem solved, thanks for your patience", "en", "positive"),
    ("The courier was friendly and on time 👍", "en", "positive"),
    ("Excellent service as always", "en", "positive"),
    ("No problem at all, it works perfectly now", "en", "positive"),
    ("You guys are awesome", "en", "positive"),
    ("I still haven't received my order", "en", "negative"),
    ("This is the third time I'm asking, nobody answers", "en", "negative"),
    ("The package arrived damaged and half of it is missing", "en", "negative"),
    ("Worst customer service ever", "en", "negative"),
    ("I was charged twice and no one has replied", "en", "negative"),
    ("The app keeps crashing when I log in", "en", "negative"),
    ("My order never arrived", "en", "negative"),
    ("Been on hold for 40 minutes, ridiculous", "en", "negative"),
    ("The code doesn't work", "en", "negative"),
    ("Not happy with the quality at all", "en", "negative"),
    ("Thanks, but the issue is still not fixed", "en", "negative"),
    ("Where is my order?", "en", "neutral"),
    ("Can you send me the invoice please?", "en", "neutral"),
    ("What are your opening hours on Friday?", "en", "neutral"),
    ("I'd like to change my delivery address", "en", "neutral"),
    ("Please help me reset my password", "en", "neutral"),
    ("My order number is 48213", "en", "neutral"),
    ("Do you ship to Canada?", "en", "neutral"),
    # Persian
    ("خیلی ممنون، مشکلم حل شد", "fa", "positive"),
    ("غذا داغ و خوشمزه بود، پیک هم خیلی مودب بود", "fa", "positive"),
    ("پشتیبانی عالی بود، دستتون درد نکنه", "fa", "positive"),
    ("کیفیتش فوق‌العادست، حتما دوباره سفارش میدم", "fa", "positive"),
    ("سريع رسيد و بسته‌بندي تميز بود", "fa", "positive"),
    ("از خرید راضی‌ام، ارزش خرید داره", "fa", "positive"),
    ("مرسی از پیگیری‌تون 🌹", "fa", "positive"),
    ("هیچ مشکلی نبود، همه چیز کامل رسید", "fa", "positive"),
    ("سفارشم هنوز نرسیده", "fa", "negative"),
    ("غذا سرد بود و نوشابه نداشت", "fa", "negative"),
    ("سه بار زنگ زدم کسی جواب نداد", "fa", "negative"),
    ("پول از حسابم کم شد ولی سفارش ثبت نشد", "fa", "negative"),
    ("کیفیت خیلی پایین بود، اصلا ارزش نداشت", "fa", "negative"),
    ("اپلیکیشن مدام هنگ میکنه", "fa", "negative"),
    ("بسته‌بندی پاره بود و یکی از اقلام نبود", "fa", "negative"),
    ("واقعا افتضاح بود، دیگه سفارش نمیدم", "fa", "negative"),
    ("پیک خیلی بی‌ادب بود", "fa", "negative"),
    ("یک ساعت تاخیر داشت و غذا یخ کرده بود", "fa", "negative"),
    ("كد تخفيف كار نميكنه", "fa", "negative"),
    ("سفارشم کجاست؟", "fa", "neutral"),
    ("لطفا فاکتور رو برام ایمیل کنید", "fa", "neutral"),
    ("ساعت کاری شما تا چنده؟", "fa", "neutral"),
    ("می‌خوام آدرس تحویل رو عوض کنم", "fa", "neutral"),
    ("شماره سفارشم ۴۵۸۱۲ هست", "fa", "neutral"),
    ("به شهرستان هم ارسال دارید؟", "fa", "neutral"),
    # Arabic
    ("شكرا جزيلا، الخدمة ممتازة", "ar", "positive"),
    ("الطلب وصل بسرعة والأكل لذيذ", "ar", "positive"),
    ("تعامل راقي جدا، الله يعطيكم العافية", "ar", "positive"),
    ("حلو أوي، تسلم إيدك", "ar", "positive"),
    ("المندوب محترم ووصل في الموعد", "ar", "positive"),
    ("تم حل المشكلة، مشكورين", "ar", "positive"),
    ("المنتج أصلي وجودته عالية، أنصح فيه", "ar", "positive"),
    ("ما في أي مشكلة، كل شي تمام", "ar", "positive"),
    ("الطلب ما وصلني لحد الآن", "ar", "negative"),
    ("خدمة سيئة جدا ومحد يرد", "ar", "negative"),
    ("المنتج وصل مكسور", "ar", "negative"),
    ("انخصم المبلغ مرتين وما رجعوا الفلوس", "ar", "negative"),
    ("الأكل بارد وناقص", "ar", "negative"),
    ("التطبيق مش شغال", "ar", "negative"),
    ("للأسف تأخر التوصيل ساعتين", "ar", "negative"),
    ("اتصلت ثلاث مرات ولم يتم الرد", "ar", "negative"),
    ("زبالة، آخر مرة أطلب منكم", "ar", "negative"),
    ("الكود ما يشتغل", "ar", "negative"),
    ("وين طلبي؟", "ar", "neutral"),
    ("ممكن ترسلوا لي الفاتورة؟", "ar", "neutral"),
    ("متى تفتحون يوم الجمعة؟", "ar", "neutral"),
    ("أريد تغيير عنوان التوصيل", "ar", "neutral"),
    ("رقم الطلب ٤٥٦٧٨", "ar", "neutral"),
    ("هل توصلون إلى جدة؟", "ar", "neutral"),
]
