"""Sentiment per message in [-1, 1] with a label, for English, Arabic and Persian.

The default :class:`LexiconScorer` works like VADER, vectorised over all messages at
once (:mod:`csqa.text.tokens`). Each word takes its valence from the lexicon of the
message's language (English: the VADER lexicon shipped by ``vaderSentiment`` plus
csqa's support-domain words; Persian and Arabic: csqa's own lexicons with colloquial
and dialect forms and Finglish/Arabizi spellings such as "kheili mamnoon" and "7elw",
``csqa/text/lexicons/sentiment.json``). Then, within a clause (up to , . ; : ! ? or a
line break):

- two-word phrases come before single words, and a phrase is read as a whole: its
  words boost, negate or contrast nothing else ("nothing but"); a negator's phrase is also
  found over "any" («أي», «هیچ»): "without any notice" is "without notice";
- boosters and dampeners act on the next sentiment word; a sentiment word such as
  "terribly" or «فوق‌العاده» right before another one only boosts it (``boosting``);
- negation: a negator up to three words before, not across "but" (Arabic «غير» right
  before only: «غير نظيف وجميل» is "unclean and nice"; ``next_word_only``), Persian
  copulas such as «نیست» and other verbs with «نمی» after, «نمی» on a verb of the
  lexicon (also typed with a space, «نمی ارزه»), Egyptian «ما…ش» likewise («ماعجبتنيش»
  "I did not like it"; «ماكانش» negates what follows). A positive word's valence is multiplied
  by -0.74, a negative word's by -0.3: "not bad" is weaker praise than "good"; a negated praise word and a negated
  complaint word, each with its own negator, within three words cancel out ("neither good
  nor bad", «نه خوب نه بد»); "there is nothing better than" («ما في أحسن من», «لا يوجد
  أفضل من»: ``existential`` words before a praise word, ``than`` right after it) and
  "couldn't be happier" (an English comparative: -er or "more") are top praise, not
  negated ("no better than" is), and "couldn't be worse", «ما في أسوأ من هيك» the worst;
  so is praise between "can't" and "enough" two or three words on ("can't recommend them
  enough"; "not good enough" is negated). Words after an English comparative's "than"
  are what it is compared with and count 0 ("better than the expensive brands").
  A negative word after "my" (``scope_end``) that follows the negation's verb is not
  negated: "did not get my lost bag" is a complaint ("did not get my upgrade" is
  negated), nor is a sentence adverb such as "unfortunately" or
  «متاسفانه» (``unnegated``);
- a negation with words but no sentiment word in its scope says that something is
  missing or not working ("not received", «نان نداشت», «ما استلمنا») and counts -1, as does a
  negator closing its clause after a word ("my luggage didn't", "received none")
  (``ABSENT``; not for "without"-like words, ``flip_only`` in the lexicon, nor for a
  survey answer such as "no comments", «ما عندي ملاحظات»: ``remarks``); so does
  something that keeps happening, with no sentiment word after it ("keeps logging me
  out", «مدام بسته میشه»; ``recurring``: in English before an -ing verb only, since
  "keep me updated" asks for something good); a phrase with its own negation («جواب نداد»)
  is not negated again by «هیچکس» before it; a two-word negator negates like one word
  («فکر نکنم خوب باشه», "I don't think it is good");
- a complaint word next to a resolving word ("fixed the leak", "problem solved", «حل
  مشكلتي», «مشکلم حل شد»: one or two words before it or right after it, in Persian up to three
  after it, «مشکل قطعی رو حل کردید»; ``resolving``)
  is named as solved and counts 0, unless the solution is wished or asked for («ياريت
  تلاقوا حل للزحمة»); a negated resolving word is still the complaint («مشکلم حل نشد»);
- positive words in a question (a sentence ending in ? or ؟; an emoji ends a sentence) count 0: in a support
  channel "Can you get this fixed?" or «امکانش هست زودتر بفرستید؟» asks for something
  good, it does not praise. Negative ones count ("Why is it late again?"). So do
  positive words after a wish or condition ("that would be great"; "would", "if",
  «کاش», «ياريت»: ``irrealis``), after SO-CAL's irrealis blocking, up to a contrast word
  ("could be faster but the agent was nice"), but not a reviewer's verdict right after "would"
  ("10/10 would order again"; ``verdict``); after a past counterfactual ("would have", "could've")
  they are negated: "would have been nice to get an apology" says it did not happen; so do thanks in a clause with "in advance"
  or «مقدما» (``ahead``: politeness before a request, not praise); a text with no
  sentiment word and a doubled question mark is exasperated ("seriously??", «جدی؟؟»,
  "where is my order??") and counts -1;
- praise up to three words after an expectation word, outside a question, is read as
  missing ("I expected better", «توقعت أحسن», «فين الأمان»; ``expectation``), not when the
  expectation is itself negated («انتظار نداشتم اینقدر خوب باشه») or comes after "than"
  («از انتظارم بهتر بود»); there an expectation word is the expected level (``EXPECTED``),
  which "less than", "below", «کمتر از», «أقل من» negate into a complaint and any other
  comparative leaves to itself ("better than expected");
- an emoji comments on its sentence: no negation flips it ("did not arrive 😡");
- contrast ("but", «ولی», «لكن») and verdicts ("overall", «در کل», «بشكل عام»): before × 0.5,
  after × 1.5 (a toned-down word after it, "but a bit late", × 0.5, and what it qualifies × 1); an exception (Persian
  «فقط» "only": «همه چی خوب بود فقط یکم دیر رسید»): after × 0.5; boosters reach three words
  back, not across a contrast, and in Arabic the word or phrase right after («غالي شوي»,
  «حلو اوي»); an Arabic negation stops at «والـ» "and the …"; "!" adds emphasis;
- a praise word alone opening a complaint ("great, now it won't even turn on") or, in
  English, closing one ("… 3 missed appointments. Incredible.") is sarcasm and counts 0;
  English praise before a complaint in its clause counts half ("thanks for losing my bag"),
  unless the complaint follows "my" ("thanks for the help with my lost bag") or a word naming
  a circumstance ("after the cancellation"; ``circumstance``).

Persian and Arabic words not in the lexicon as written are tried without attached
particles and endings, colloquial «ـست» as «ه است», and with drawn-out letters
(«عااالی») written once; a two-word phrase is also found after an attached «و» ("and":
«ومحدش بيرد») and with an ending on either word («این اپ رو مخه» is «رو مخ», «کیفیتش پایین»);
Persian «شده»/«شد» joined by a ZWNJ are endings («خراب‌شده»), and colloquial «رو» glued to a
negated verb's object as «و» counts as «رو» («ارزش این پولو نداره»).
The sum ``s`` becomes ``s / sqrt(s² + 15)``; labels: ≥ 0.05 positive, ≤ -0.05 negative, otherwise neutral. The lexicons of the three
languages are all consulted for every message (people mix them); the message's
own language wins where they disagree. An Arabic-script text of undecided language
(«تعطلت») is read as Arabic and as Persian: the mean of the readings that find a word.

:func:`train_sentiment` fits a scikit-learn model to labels you have (e.g. from
CSAT), on character and word n-grams and the default scorer's reading of each text;
pass it as ``scorer=``. Any callable ``scorer(texts, language) ->
DataFrame(sentiment, sentiment_label)`` works.

>>> import pandas as pd
>>> score_sentiment(pd.Series(["Thanks, that was quick!", "my order is late AGAIN, terrible",
...                            "غذا سرد بود و دیر رسید", "الخدمة ممتازة شكرا"]))["sentiment_label"].tolist()
['positive', 'negative', 'negative', 'positive']
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from csqa.kernels import HashIndex, find_key, jit, pair_hash, squeezed_hash, word_hash
from csqa.parallel import map_chunks
from csqa.schema import STRING_DTYPE
from csqa.text.language import _detect_array, _fill_from_group, detect_language
from csqa.text.lexicons import as_arrow, load_lexicon
from csqa.text.tokens import hash_words, read_whole, tokenize

LABELS = ("negative", "neutral", "positive")
_LANGUAGES = ("en", "fa", "ar")
_ROLES = ("valence", "booster", "negator", "post_negator", "contrast", "absent", "irrealis", "scope_end",
          "unnegated", "exception", "recurring", "resolving", "next_word_only", "remark", "ahead", "existential",
          "than", "comparative", "condition", "polite", "rhetorical", "thanks", "request", "expectation",
          "circumstance", "verdict")
NEGATION = -0.74  # a negated positive word's valence is multiplied by this: "not good"
NEGATED_NEGATIVE = -0.3  # and a negated negative word's: "not bad" is less good than "good" is good
ALPHA = 15.0  # the sum s becomes s / sqrt(s² + ALPHA)
PRAISE_THEN_COMPLAINT = 0.5  # English: what praise before a complaint in its clause loses ("thanks for losing my bag")
EXPECTED = 1.2  # valence of what was expected, when compared with: "less than expected" is negated
ABSENT = -1.0  # valence of a negation with no sentiment word in its scope ("not received", «نان نداشت»)
_CHUNK = 10_000  # texts scored per step, and at most ...
_CHUNK_BYTES = 400_000  # ... this many bytes of reading text: a chunk's per-word arrays stay well under
# 32 MiB, above which each allocation is a fresh memory map (glibc's mmap threshold) and scoring a third slower


@lru_cache(maxsize=1)
def _vader_lexicon() -> dict[str, float]:
    text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text("utf-8")
    rows = (line.split("\t") for line in text.splitlines() if "\t" in line)
    return {word: float(value) for word, value, *_ in rows if word.replace("'", "").isalpha()}


@lru_cache(maxsize=4)
def _entries(language: str) -> dict[str, dict[str, float]]:
    """word -> {role: value} for one language's own lexicon."""
    lexicon = load_lexicon("sentiment")
    own = lexicon[language]
    out: dict[str, dict[str, float]] = {}
    words = {**(_vader_lexicon() if language == "en" else {}), **own["valence"]}
    words.update(lexicon["emoji"])
    for word, value in words.items():
        out[word] = {"valence": value}
    for word in lexicon["emoji"]:  # an emoji comments on its sentence: "did not arrive 😡", "no problem 🙂"
        out[word]["unnegated"] = 1.0
    for word in own.get("neutral", []):  # after the valences: a neutral word overrides VADER's
        out[word] = {}
    for word, value in own["boosters"].items():
        out[word] = {"booster": value}
    for word, value in own["boosting"].items():  # a sentiment word alone, a booster before another one
        out[word] = {"valence": words[word], "booster": value}
    for word in own["unnegated"]:  # "unfortunately" comments on the sentence: no negation flips it
        if "valence" not in out.get(word, {}):
            raise ValueError(f"sentiment lexicon, {language} unnegated: expected a word with a valence, found {word!r}")
        out[word]["unnegated"] = 1.0
    for word in own["next_word_only"]:  # Arabic «غير»: "غير نظيف وجميل" negates «نظيف» alone
        if word not in own["negators"]:
            raise ValueError(f"sentiment lexicon, {language} next_word_only: expected a negator, found {word!r}")
    for role in ("negator", "post_negator", "contrast", "irrealis", "scope_end", "exception", "recurring"):
        for word in own[f"{role}s" if role in ("negator", "post_negator") else role]:
            out[word] = {role: 1.0}
            if role in ("negator", "post_negator") and word not in own["flip_only"]:
                out[word]["absent"] = ABSENT
            if role == "negator" and word in own["next_word_only"]:
                out[word]["next_word_only"] = 1.0
    # roles a word has on top of the others, after the negators ("nothing" is also existential):
    # "fixed" keeps its valence and names a complaint next to it as solved; "in advance", "no
    # comments", "there is nothing better than", "couldn't be happier"
    for role, key in (("resolving", "resolving"), ("ahead", "ahead"), ("remark", "remarks"),
                      ("existential", "existential"), ("than", "than"), ("comparative", "comparative"),
                      ("condition", "conditions"), ("polite", "polite"), ("rhetorical", "rhetorical"),
                      ("thanks", "thanks"), ("request", "requests"), ("expectation", "expectation"),
                      ("circumstance", "circumstance"), ("verdict", "verdicts")):
        for word in own[key]:
            out.setdefault(word, {})[role] = 1.0
    for wrong, right in own["spellings"].items():  # "dissapointed" is "disappointed", roles and all
        if right not in out:
            raise ValueError(f"sentiment lexicon, {language} spellings: expected a word of the lexicon for "
                             f"{wrong!r}, found {right!r}")
        out[wrong] = dict(out[right])
    return out


@dataclass(frozen=True)
class _Lexicon:
    """Every word of the three languages' lexicons (a hash index) and, per word, each
    role's value as read in each language (``values[word, language, role]``): a
    language's own entries take precedence over the others', and a word it keeps
    neutral is neutral in it alone."""

    index: HashIndex
    values: np.ndarray  # float64 (words, len(_LANGUAGES), len(_ROLES))


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    per_language = []
    for code in _LANGUAGES:
        merged: dict[str, dict[str, float]] = {}
        for other in _LANGUAGES:  # the other languages' words, then this one's; a word kept neutral in
            if other != code:     # one (Arabic «ولي» "guardian") keeps its roles in the others (Persian «ولی» "but")
                merged.update({word: roles for word, roles in _entries(other).items() if roles})
        merged.update(_entries(code))
        words = list(merged)
        hashes = hash_words(words)
        order = np.argsort(hashes, kind="stable")
        last = order[np.r_[hashes[order][1:] != hashes[order][:-1], True]]  # same word written differently: the later wins
        per_language.append((hashes[last], [[merged[words[i]].get(role, 0.0) for role in _ROLES] for i in last]))
    keys = np.unique(np.concatenate([hashes for hashes, _ in per_language]))
    values = np.zeros((len(keys), len(_LANGUAGES), len(_ROLES)))
    for i, (hashes, rows) in enumerate(per_language):
        values[np.searchsorted(keys, hashes), i] = np.array(rows, dtype=np.float64).reshape(-1, len(_ROLES))
    return _Lexicon(HashIndex(keys), values)


# attached particles and endings tried when a Persian or Arabic word is not in the lexicon as
# written, as (characters cut from the front, from the back) in this order
_PREFIXES = ("و", "ف", "ب", "ل", "ک", "ال", "لل", "می", "بی", "وال", "بال", "فال", "کال", "هال")
_SUFFIXES = ("ه", "ی", "ش", "م", "ت", "ا", "ها", "هم", "کم", "نا", "ین", "ون", "ات", "ان", "یه", "تر", "ست", "شو",
             "مو", "ام", "ای", "اس", "های", "هاش", "مون", "تون", "شون", "هام", "یین", "ایم", "اید", "اند", "ترین",
             "تره", "شد", "شده")
_ARABIC_SUFFIXES = ("ک",)  # Arabic only: «أشكرك»; Persian «نازک» is no «ناز» with an ending
_PERSIAN_SUFFIXES = ("و",)  # Persian only: colloquial «رو» glued to its object, «همون ایرادو داره»; Egyptian
# «يشيلو» "they remove" is no «يشيل» with an ending
_CUTS = np.array([(0, 1), (0, 2), (1, 0), (2, 0), (0, 3), (3, 0), (0, 4), (1, 1), (2, 1), (1, 2), (2, 2), (3, 1)])


@lru_cache(maxsize=1)
def _affixes() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sorted word hashes of the prefixes, of the suffixes of Persian and of the suffixes of Arabic."""
    return (np.sort(hash_words(list(_PREFIXES))), np.sort(hash_words(list(_SUFFIXES + _PERSIAN_SUFFIXES))),
            np.sort(hash_words(list(_SUFFIXES + _ARABIC_SUFFIXES))))


# words of a number a phrase is also found over: "took three weeks" is "took weeks", «بعد ثلاث أسابيع»
# «بعد أسابيع», «بعد دو هفته» «بعد هفته» (digits are read as numbers by their first character)
_NUMBER_WORDS = ("a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                 "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "few", "several", "couple", "ثلاث", "ثلاثة",
                 "أربع", "أربعة", "خمس", "خمسة", "ست", "ستة", "سبع", "سبعة", "ثمان", "ثماني", "ثمانية", "تسع",
                 "تسعة", "عشر", "عشرة", "عدة", "كم", "یه", "یک", "دو", "سه", "چهار", "پنج", "شش", "هفت", "هشت",
                 "ده", "دوازده", "بیست", "چند")


_INTERJECTIONS = ("oh", "ah", "wow", "yay", "yeah", "gee", "ooh", "well")  # before sarcastic praise: "Oh wonderful, …"


@lru_cache(maxsize=1)
def _word_sets() -> tuple[np.ndarray, np.ndarray]:
    """Sorted word hashes of the number words and of the interjections."""
    return np.sort(hash_words(list(_NUMBER_WORDS))), np.sort(hash_words(list(_INTERJECTIONS)))


@jit
def _is_number(cp, start, hash_, numbers):
    """Whether the word at ``start`` (hash ``hash_``) is a number: digits or a number word."""
    return 0x30 <= cp[start] <= 0x39 or _has(numbers, hash_)


@lru_cache(maxsize=1)
def _phrase_heads() -> np.ndarray:
    """Sorted word hashes of the first words of the lexicons' two-word entries."""
    phrases = sorted({word for code in _LANGUAGES for word in _entries(code) if " " in word})
    tokens = tokenize(pa.array(phrases, pa.large_string()))
    return np.unique(tokens.hash[tokens.position == 0])


@jit
def _pair_with_ending(cp, start, end, first, suffixes, slot_keys, slot_rows, shift):
    """Lexicon row of the two-word phrase of the word hashed ``first`` and the word ``cp[start:end]``
    read without an ending of 1-3 letters, keeping at least 2 (Persian and Arabic; -1 where none is):
    «رو مخه» is «رو مخ» "on the nerves"."""
    for back in range(1, 4):
        if end - start - back >= 2 and _has(suffixes, word_hash(cp, end - back, end)):
            row = find_key(slot_keys, slot_rows, shift, pair_hash(first, word_hash(cp, start, end - back)))
            if row >= 0:
                return row
    return -1


@jit
def _pair_after_ending(cp, start, end, next_start, next_end, second, heads, suffixes, slot_keys, slot_rows, shift):
    """Lexicon row of the two-word phrase of the word ``cp[start:end]`` read without an ending
    (keeping at least 3 letters, and only when the rest begins some phrase) and the next word, as
    written or without an ending; -1 if none: «کیفیتش پایین» is «کیفیت پایین»."""
    for back in range(1, 4):
        if end - start - back >= 3 and _has(suffixes, word_hash(cp, end - back, end)):
            first = word_hash(cp, start, end - back)
            if _has(heads, first):
                row = find_key(slot_keys, slot_rows, shift, pair_hash(first, second))
                if row < 0:
                    row = _pair_with_ending(cp, next_start, next_end, first, suffixes, slot_keys, slot_rows, shift)
                if row >= 0:
                    return row
    return -1


@jit
def _has(sorted_keys, key):
    at = np.searchsorted(sorted_keys, key)
    return at < len(sorted_keys) and sorted_keys[at] == key


_HEH, _SEH, _TEH, _NOON, _MEEM, _YEH, _WAW = ord("ه"), ord("س"), ord("ت"), ord("ن"), ord("م"), ord("ی"), ord("و")
_BEH = ord("ب")
_EN, _FA, _AR = _LANGUAGES.index("en"), _LANGUAGES.index("fa"), _LANGUAGES.index("ar")
_I, _N, _G, _E, _R = ord("i"), ord("n"), ord("g"), ord("e"), ord("r")
_T, _H, _A, _C, _O, _U, _L = ord("t"), ord("h"), ord("a"), ord("c"), ord("o"), ord("u"), ord("l")
_D, _S, _V, _APOSTROPHE = ord("d"), ord("s"), ord("v"), ord("'")
_ALEF, _SHEEN, _R_FA, _LAM, _CHEH = ord("ا"), ord("ش"), ord("ر"), ord("ل"), ord("چ")
_ALL = 1 << 30  # squeezed_hash's ``keep`` that keeps every letter: the word with one letter appended


@jit
def _is_negated_verb(cp, start, end):
    """A Persian verb negated by «نمی» (at least two letters after it)."""
    return end - start >= 5 and _is_nemi(cp, start, start + 3)


@jit
def _is_ma_sh(cp, start, end):
    """An Egyptian verb negated by «ما…ش» (at least three letters between): «ماوصلش» "did
    not arrive", «ماعجبنيش» "I did not like it"."""
    return end - start >= 6 and cp[start] == _MEEM and cp[start + 1] == _ALEF and cp[end - 1] == _SHEEN


@jit
def _is_nemi(cp, start, end):
    """Whether the word ``start:end`` is «نمی» alone (typed with a space before its verb)."""
    return end - start == 3 and cp[start] == _NOON and cp[start + 1] == _MEEM and cp[start + 2] == _YEH


@jit
def _has_run(cp, start, end):
    """Whether the word ``cp[start:end]`` has a letter three or more times in a row."""
    for i in range(start + 2, end):
        if cp[i] == cp[i - 1] and cp[i] == cp[i - 2]:
            return True
    return False


@jit
def _read_word(cp, start, end, key, lang, slot_keys, slot_rows, shift, values, cuts, prefixes, suffixes, out):
    """Fill ``out`` with the roles of the word ``cp[start:end]`` (hash ``key``) in language
    ``lang``: as written (English also with letters drawn out three times or more written
    twice or once), else with an affix cut (valence, resolving and expectation only), else as a Persian verb negated
    by «نمی» or an Egyptian one negated by «ما…ش»."""
    row = find_key(slot_keys, slot_rows, shift, key)
    if row < 0 and lang == _EN and _has_run(cp, start, end):  # "goooood", "thaaanks", "nooo": the word itself
        row = find_key(slot_keys, slot_rows, shift, squeezed_hash(cp, start, end, 2, 0))
        if row < 0:
            row = find_key(slot_keys, slot_rows, shift, squeezed_hash(cp, start, end, 1, 0))
    found = row >= 0
    negated_word = False
    if row < 0 and lang > 0:
        row, front = _stem_cut(cp, start, end, cuts, prefixes, suffixes, slot_keys, slot_rows, shift)
        negated_word = lang == _FA and front == 2 and cp[start] == _BEH and cp[start + 1] == _YEH  # «بی‌معطلی»
        # "without delay": the word after Persian «بی» ("without", "un-") is negated
    if row < 0 and lang == _FA and _is_negated_verb(cp, start, end):  # «نمیارزه»: not «میارزه»
        row = _sentiment_row(cp, start + 1, end, lang, slot_keys, slot_rows, shift, values, cuts, prefixes, suffixes)
        negated_word = row >= 0
        if row < 0:  # any other «نمی» verb negates like a copula: «باز نمیشه», «خوب نمیشه»
            out[3] = 1.0
            out[5] = ABSENT
    if row < 0 and lang == _AR and _is_ma_sh(cp, start, end):  # «ماعجبتنيش»: not «عجبتني»
        row = _sentiment_row(cp, start + 2, end - 1, lang, slot_keys, slot_rows, shift, values, cuts, prefixes,
                             suffixes)
        negated_word = row >= 0
        if row < 0:  # any other: negates what follows, or says something is missing («ماكانش فاهم»)
            out[2] = 1.0
            out[5] = ABSENT
    if row >= 0 and found:
        out[:] = values[row, lang]
    elif row >= 0:  # a cut word keeps only its valence: «بدونم» ("I know") is no «بدون» ("without") ...
        out[0] = _negated(values[row, lang, 0]) if negated_word else values[row, lang, 0]
        out[11] = values[row, lang, 11]  # ... and whether it resolves («وحل مشكلتي») or expects («انتظارم»)
        out[23] = values[row, lang, 23]


@jit
def _sentiment_row(cp, start, end, lang, slot_keys, slot_rows, shift, values, cuts, prefixes, suffixes):
    """Lexicon row of the verb inside a negated form («میارزه» in «نمیارزه», «عجبتني» in
    «ماعجبتنيش»), as written or with an affix cut; -1 where it has no sentiment («نمیخونه»
    "doesn't match" is no «خونه» "home")."""
    row = find_key(slot_keys, slot_rows, shift, word_hash(cp, start, end))
    if row < 0:
        row = _stem_cut(cp, start, end, cuts, prefixes, suffixes, slot_keys, slot_rows, shift)[0]
    return row if row >= 0 and values[row, lang, 0] != 0.0 else -1


@jit
def _stem_cut(cp, start, end, cuts, prefixes, suffixes, slot_keys, slot_rows, shift):
    """(lexicon row, letters cut from the front) of a Persian or Arabic word not found as
    written (row -1 where none is): after cutting an attached particle or ending (words of at
    least 4 letters, keeping at least 3; an Arabic ت before the ending read as ة), as colloquial
    Persian «ـست» for «ه است» («فوق‌العادست»), or with letters drawn out three times or more
    written once or twice («عااالی», «سرررد»)."""
    for c in range(len(cuts)):
        front, back = cuts[c, 0], cuts[c, 1]
        if end - start - front - back < 3:
            continue
        if front and not _has(prefixes, word_hash(cp, start, start + front)):
            continue
        if back and not _has(suffixes, word_hash(cp, end - back, end)):
            continue
        row = find_key(slot_keys, slot_rows, shift, word_hash(cp, start + front, end - back))
        if row < 0 and back and cp[end - back - 1] == _TEH:  # Arabic ة written ت before an ending: «خدمتكم»
            row = find_key(slot_keys, slot_rows, shift, squeezed_hash(cp, start + front, end - back - 1, _ALL, _HEH))
        if row >= 0:
            return row, front
    if end - start >= 5 and cp[end - 2] == _SEH and cp[end - 1] == _TEH:
        row = find_key(slot_keys, slot_rows, shift, squeezed_hash(cp, start, end - 2, _ALL, _HEH))
        if row >= 0:
            return row, 0
    for keep in (1, 2):
        row = find_key(slot_keys, slot_rows, shift, squeezed_hash(cp, start, end, keep, 0))
        if row >= 0:
            return row, 0
    return -1, 0


@jit
def _negated(v):
    """A negated word's valence: a negated negative is only mildly positive ("not bad",
    "can't get my missing miles" is no praise)."""
    return v * (NEGATION if v > 0 else NEGATED_NEGATIVE)


@jit
def _ends_scope(roles, i, a):
    """Whether the word at ``i`` ends the scope of a negation before it: "my" after the
    verb the negation belongs to ("did not get my lost bag"), not right after the
    negator ("not my fault")."""
    return roles[i, 7] > 0 and i > a and roles[i - 1, 2] == 0


@jit
def _is_waw(cp, start, end):
    """Whether the word ``start:end`` is «و» ("and") alone."""
    return end - start == 1 and cp[start] == _WAW


@jit
def _is_wala(cp, start, end):
    """Whether the word ``start:end`` is Arabic «ولا»: "nor", or in a question "or"
    («مجاني ولا بفلوس؟» "free or paid?")."""
    return end - start == 3 and cp[start] == _WAW and cp[start + 1] == _LAM and cp[start + 2] == _ALEF


_KAF = ord("ک")


@jit
def _is_what_is(cp, start, end, next_start, next_end):
    """Whether the words ``start:end`` and ``next_start:next_end`` are Arabic «ما هو» / «ما هي»
    (also «وما»): in a question "what is", not "it is not"."""
    if not (end - start == 2 or (end - start == 3 and cp[start] == _WAW)):
        return False
    if cp[end - 2] != _MEEM or cp[end - 1] != _ALEF or next_end - next_start != 2 or cp[next_start] != _HEH:
        return False
    last = cp[next_start + 1]
    return last == _WAW or last == _YEH  # the reading text writes «ي» and «ى» as «ی»


@jit
def _is_than(cp, start, end):
    """Whether the word ``start:end`` is English "than"."""
    return end - start == 4 and cp[start] == _T and cp[start + 1] == _H and cp[start + 2] == _A and cp[start + 3] == _N


@jit
def _is_cannot(cp, start, end):
    """Whether the word ``start:end`` is English "can't", "cant", "cannot", "couldn't" or "couldnt"."""
    if end - start < 4 or cp[start] != _C or cp[end - 1] != _T:
        return False
    if cp[start + 1] == _A:
        return cp[start + 2] == _N and end - start <= 6
    return end - start >= 7 and cp[start + 1] == _O and cp[start + 2] == _U and cp[start + 3] == _L


@jit
def _is_enough(cp, start, end):
    """Whether the word ``start:end`` is English "enough"."""
    return end - start == 6 and cp[start] == _E and cp[start + 1] == _N and cp[start + 2] == _O \
        and cp[start + 3] == _U and cp[start + 4] == _G and cp[start + 5] == _H


@jit
def _cannot_enough(roles, phrase, clause, cp, starts, ends, j, a, b):
    """Whether the English word at ``j`` stands after "can't" (up to three words before) and
    before "enough" two or three words on, with no sentiment word between: "can't recommend them
    enough" is the highest praise ("not good enough", with "enough" right after, is negated), as is
    a word after "can't … enough": "can't say enough good things"."""
    cannot = -1
    for i in range(max(a, j - 3), j):
        if clause[i] == clause[j] and _is_cannot(cp, starts[i], ends[i]):
            cannot = i
    if cannot < 0:
        return False
    for i in range(cannot + 1, j):
        if _is_enough(cp, starts[i], ends[i]):
            return True
    for k in range(j + 1, min(j + 4, b)):
        if clause[k] != clause[j] or (k > j + 1 and (roles[k - 1, 0] != 0.0 or phrase[k - 1] != 0.0)):
            return False
        if k > j + 1 and _is_enough(cp, starts[k], ends[k]):
            return True
    return False


@jit
def _is_any(cp, start, end):
    """Whether the word ``start:end`` is English "any", Arabic «أي» (read as «اي») or Persian «هیچ»."""
    if end - start == 2:
        return cp[start] == _ALEF and cp[start + 1] == _YEH
    if end - start != 3:
        return False
    return (cp[start] == _A and cp[start + 1] == _N and cp[start + 2] == ord("y")) \
        or (cp[start] == _HEH and cp[start + 1] == _YEH and cp[start + 2] == _CHEH)


@jit
def _has_have(cp, starts, ends, clause, j, b):
    """Whether the English word at ``j`` ends in "'ve" ("would've") or "have" follows it in its
    clause ("would have"): a past counterfactual, something that did not happen."""
    end = ends[j]
    if end - starts[j] >= 5 and cp[end - 3] == _APOSTROPHE and cp[end - 2] == _V and cp[end - 1] == _E:
        return True
    k = j + 1
    return k < b and clause[k] == clause[j] and ends[k] - starts[k] == 4 and cp[starts[k]] == _H \
        and cp[starts[k] + 1] == _A and cp[starts[k] + 2] == _V and cp[starts[k] + 3] == _E


@jit
def _is_not(cp, start, end):
    """Whether the word ``start:end`` is English "not" (any case: the reading text is in small letters)."""
    return end - start == 3 and cp[start] == _N and cp[start + 1] == _O and cp[start + 2] == _T


@jit
def _is_ke(cp, start, end):
    """Whether the word ``start:end`` is Persian «که» ("that", "which")."""
    return end - start == 2 and cp[start] == _KAF and cp[start + 1] == _HEH


@jit
def _is_and_the(cp, start, end):
    """Whether the word ``start:end`` is Arabic «و» + «ال» + a noun («والحمام» "and the
    bathroom"): it starts a new phrase, which a negation before it does not reach («المكيف ما
    يبرد والحمام ريحته …»)."""
    return end - start >= 5 and cp[start] == _WAW and cp[start + 1] == _ALEF and cp[start + 2] == _LAM


@jit
def _is_ra(cp, start, end):
    """Whether the word ``start:end`` is Persian «را» or colloquial «رو», the object marker."""
    return end - start == 2 and cp[start] == _R_FA and (cp[start + 1] == _ALEF or cp[start + 1] == _WAW)


@jit
def _is_this(cp, start, end):
    """Whether the word ``start:end`` is Persian «این» ("this") or «اون» ("that")."""
    return end - start == 3 and cp[start] == _ALEF and (cp[start + 1] == _YEH or cp[start + 1] == _WAW) \
        and cp[start + 2] == _NOON


@jit
def _object_negated(roles, clause, cp, starts, ends, j, b):
    """Where the negated verb is whose object («را») the Persian word at ``j`` heads, -1 if
    none: «ارزش این قیمت رو نداره» ("is not worth this price"); up to three words between. Colloquial
    «رو» may be glued as «و» to the word right after (or after «این»/«اون») and before the verb:
    «ارزش این پولو نداره»."""
    for k in range(j + 1, min(j + 5, b - 1)):
        if clause[k] != clause[j] or roles[k, 2] > 0 or roles[k, 3] > 0 or _is_waw(cp, starts[k], ends[k]):
            return -1
        verb = clause[k + 1] == clause[j] and roles[k + 1, 3] > 0
        if _is_ra(cp, starts[k], ends[k]):
            return k + 1 if verb else -1
        if verb and ends[k] - starts[k] >= 3 and cp[ends[k] - 1] == _WAW \
                and (k == j + 1 or (k == j + 2 and _is_this(cp, starts[j + 1], ends[j + 1]))):
            return k + 1
    return -1


@jit
def _scope_is_neutral(roles, phrase, clause, question, cp, starts, ends, arabic, j, a, b):
    """Whether the negator at ``j`` (text ``a:b``) negates words but no sentiment word
    it can flip and no remark ("no comments", «ما عندي ملاحظات»: a survey answer, nothing missing):
    its scope is the three words after a negator (in Arabic, up to a «والـ» word), the two
    before a post-negator, in its clause."""
    after, before = roles[j, 2] > 0, roles[j, 3] > 0
    if after and not (j + 1 < b and clause[j + 1] == clause[j]) and j - 1 >= a and clause[j - 1] == clause[j] \
            and roles[j - 1, 2] == 0.0 and roles[j, 4] == 0.0 and not question[j]:
        return True  # "… It wasn't.", "It didn't": the verb left out is what went wrong ("… or not?" asks)
    if not ((after and j + 1 < b and clause[j + 1] == clause[j]) or (before and j - 1 >= a
                                                                     and clause[j - 1] == clause[j])):
        return False  # "No." or «نه» alone, "No, thanks": an answer, not something missing
    if after and (roles[j + 1, 4] > 0 or roles[j + 1, 9] > 0):
        return False  # «ما عدا» "except", «نه ولی» "no, but": no negation at all
    if after and roles[j + 1, 23] > 0:
        return False  # «ما توقعت بهالجودة» "I didn't expect such quality": a surprise, nothing missing
    if after and _only_existential(roles, clause, j, b):
        return False  # «لا يوجد», «لا شيء» "there is none", "nothing" (the answer to "what did you dislike?")
    for k in range(1, 4):  # a sentiment word it can flip in the scope (not "yet", «متاسفانه»), or a
        if after and j + k < b and (_ends_scope(roles, j + k, a)  # remark in its first two words
                                    or (arabic and _is_and_the(cp, starts[j + k], ends[j + k]))):
            break
        if after and j + k < b and clause[j + k] == clause[j] and (_flippable(roles, phrase, j + k)
                                                                  or (k < 3 and roles[j + k, 13] > 0)):
            return False
        if before and k < 3 and j - k >= a and clause[j - k] == clause[j] \
                and (_flippable(roles, phrase, j - k) or roles[j - k, 13] > 0):
            return False
    return True


@jit
def _only_existential(roles, clause, j, b):
    """Whether every word after the negator at ``j`` in its clause (at most two) is an
    ``existential`` word: «لا يوجد», «ما في شي»."""
    k = j + 1
    while k < b and clause[k] == clause[j]:
        if k - j > 2 or roles[k, 15] == 0.0:
            return False
        k += 1
    return True


@jit
def _flippable(roles, phrase, i):
    """Whether the word at ``i`` is a sentiment word (or phrase) that a negation flips."""
    return (roles[i, 0] != 0.0 or phrase[i] != 0.0) and roles[i, 8] == 0.0


@jit
def _is_resolved(roles, resolving, clause, cp, ends, j, a, b, lang):
    """Whether the complaint word at ``j`` is named as solved: a resolving word ("fixed",
    «حل») one or two words before it or right after it, in its clause; in Persian, whose verb
    comes last, up to three words after it («مشکل قطعی رو حل کردید»). A resolving word right
    after a negator, or one word after it, solves nothing ("didn't fix the problem"), nor does
    an English one in its bare form, which asks or tries ("fix your app", "trying to solve")."""
    for i in (j - 2, j - 1, j + 1, j + 2, j + 3):
        if a <= i < b and clause[i] == clause[j] and resolving[i] and (i <= j + 1 or lang == _FA) \
                and not (lang == _EN and cp[ends[i] - 1] != _D and cp[ends[i] - 1] != _S) \
                and not (i - 1 >= a and clause[i - 1] == clause[i] and roles[i - 1, 2] > 0) \
                and not (i - 2 >= a and clause[i - 2] == clause[i] and roles[i - 2, 2] > 0):
            return True
    return False


@jit
def _recurs(roles, phrase, clause, cp, starts, ends, lang, j, b):
    """Whether "keeps" at ``j`` (``recurring``) says that something keeps happening: with a
    verb in its progressive or habitual form (English -ing right after it: "keeps crashing",
    not "keep me updated"; Persian «می» in the three words after it: «مدام بسته میشه», not
    «مدام کار کنید») and no sentiment word in those three words."""
    if j + 1 >= b or clause[j + 1] != clause[j]:
        return False
    if lang == _EN and not (ends[j + 1] - starts[j + 1] >= 5 and cp[ends[j + 1] - 3] == _I
                            and cp[ends[j + 1] - 2] == _N and cp[ends[j + 1] - 1] == _G):
        return False
    habitual = lang != _FA
    for k in range(1, 4):
        if j + k >= b or clause[j + k] != clause[j]:
            break
        if roles[j + k, 0] != 0.0 or phrase[j + k] != 0.0:
            return False
        habitual |= ends[j + k] - starts[j + k] >= 4 and cp[starts[j + k]] == _MEEM and cp[starts[j + k] + 1] == _YEH
    return habitual


@jit
def _is_comparison(roles, clause, cp, starts, ends, lang, j, a, b):
    """Whether the sentiment word at ``j`` is compared: "than" («من», «از») right after it;
    in English only a comparative (-er, a ``comparative`` word such as "worse", or after
    "more"), before "than", "with" ... or at the end of its clause ("couldn't be happier",
    "couldn't be more pleased with", not "there wasn't a better estimate")."""
    ends_clause = j + 1 == b or clause[j + 1] != clause[j]
    than = not ends_clause and roles[j + 1, 16] > 0
    if lang != _EN:
        return than
    comparative = roles[j, 17] > 0 or (j > a and roles[j - 1, 17] > 0) \
        or (ends[j] - starts[j] >= 5 and cp[ends[j] - 2] == _E and cp[ends[j] - 1] == _R)
    return comparative and (than or ends_clause)


@jit
def _is_persian_than_before(roles, clause, cp, starts, ends, lang, j, a):
    """Whether the word at ``j`` is a Persian comparative (-تر) right after «از این»: «از این بهتر
    نمیشه» ("it can't get better than this") is top praise, «از این بدتر نمیشه» the worst («از
    قبل بهتر نیست», "not better than before", stays negated)."""
    if lang != _FA or j - 2 < a or clause[j - 2] != clause[j] or roles[j - 2, 16] == 0.0:
        return False
    i = j - 1
    this = ends[i] - starts[i] == 3 and cp[starts[i]] == _ALEF and cp[starts[i] + 1] == _YEH \
        and cp[starts[i] + 2] == _NOON
    return this and ends[j] - starts[j] >= 4 and cp[ends[j] - 2] == _TEH and cp[ends[j] - 1] == _R_FA


@jit
def _negates_between(roles, i, j):
    """Whether a negator or post-negator, and no "but", stands between the words at ``i`` and
    ``j``: "neither good nor bad" negates each word on its own, «ولا يستاهل الزحمة» ("not worth
    the queue") one word only, and "not bad, but not great" is the second one."""
    negator = False
    for k in range(i + 1, j):
        if roles[k, 4] > 0:
            return False
        negator |= roles[k, 2] > 0 or roles[k, 3] > 0
    return negator


@jit
def _expected_before(roles, than, clause, cp, starts, ends, j, a):
    """Whether an expectation word ("expected", «توقعت», «انتظار») stands up to three words
    before the word at ``j`` in its clause, with no negation or "but" from the word before it
    on: "I expected better", «انتظار کیفیت بهتری داشتم» say it was not better («انتظار
    نداشتم اینقدر خوب باشه», "I did not expect it to be this good", does not, nor does an
    expectation right after Persian «که», "what I expected": «از چیزی که انتظار داشتم بهتر بود»)."""
    for k in range(1, 4):
        i = j - k
        if i < a or clause[i] != clause[j] or roles[i, 4] > 0:
            return False
        if roles[i, 23] > 0:
            if i > a and clause[i - 1] == clause[i] and (_is_ke(cp, starts[i - 1], ends[i - 1]) or than[i - 1]):
                return False  # (nor after "than": «از انتظارم بهتر بود», "better than I expected")
            for m in range(max(i - 1, a), j):
                if roles[m, 2] > 0 or roles[m, 3] > 0:
                    return False
            return True
    return False


@jit
def _is_expected_level(roles, than, clause, english, j, a):
    """Whether the word at ``j`` is an expectation word right after "than" («از», «من», "below";
    in English one word may stand between): "less than expected", "below my expectations",
    «کمتر از انتظارم», «أقل من المتوقع»; «انتظار» there is no waiting («بیشتر از این انتظار
    داشتم», "I expected more than this", is)."""
    if roles[j, 23] == 0.0 or j == a or clause[j - 1] != clause[j]:
        return False
    return than[j - 1] or (english and j - 2 >= a and clause[j - 2] == clause[j] and than[j - 2]
                           and roles[j - 1, 0] == 0.0)


@jit
def _is_verdict(roles, wish_word, j):
    """Whether the phrase at ``j`` is a ``verdict`` right after the wish word at ``wish_word``
    (or with one booster between): "would order again", "would happily use again"."""
    return roles[j, 25] > 0 and (j - 1 == wish_word or (j - 2 == wish_word and roles[j - 1, 1] != 0.0))


@jit
def _circumstance_between(roles, i, j):
    """Whether a word naming a circumstance ("after", "during", "despite") stands between the
    words at ``i`` and ``j``."""
    for k in range(i + 1, j):
        if roles[k, 24] > 0:
            return True
    return False


@jit
def _thanked(roles, clause, j, a):
    """Whether a thanks word stands one or two words before the word at ``j``, in its clause."""
    for i in range(max(a, j - 2), j):
        if roles[i, 21] > 0 and clause[i] == clause[j]:
            return True
    return False


@jit
def _compound(hashes, texts, clause, question, cp, starts, ends, language, slot_keys, slot_rows, shift, values, cuts,
              prefixes, persian_suffixes, arabic_suffixes, heads, numbers, interjections, bangs, out):
    n = len(hashes)
    roles = np.zeros((n, values.shape[2]))  # valence, booster, negator, post_negator, contrast, absent, irrealis,
    # scope_end, unnegated, exception, recurring, resolving, next_word_only, remark, ahead, existential, than,
    # comparative, condition, polite, rhetorical, thanks, request, expectation, circumstance, verdict
    phrase = np.zeros(n)  # valence of the two-word phrase starting here
    phrase_boost = np.zeros(n)  # booster value of the two-word phrase starting here («فوق العاده»)
    phrase_unnegated = np.zeros(n)  # the phrase starting here is never negated ("for days")
    phrase_contrast = np.zeros(n)  # the phrase starting here is a contrast or a verdict ("in general", «در کل»)
    phrase_verdict = np.zeros(n)  # the phrase starting here is a reviewer's verdict, no wish ("would order again")
    phrase_expectation = np.zeros(n)  # the phrase starting here is an expectation («فکر میکردم» "I thought")
    phrase_negator = np.zeros((n, 3))  # the phrase starting here negates what follows («فکر نمی‌کنم» "I don't
    # think") [0], with nothing to negate says that something is missing [1], the next word only [2] ("less than")
    is_phrase = np.zeros(n, np.bool_)  # a phrase starts here (a neutral one too: "opening hours")
    over_middle = np.zeros(n, np.bool_)  # ... and a word stands between its two: "any" («أي», «هیچ»): "without any
    # notice", or after a number: "took three weeks"
    verb_read = False
    for j in range(n):
        lang = language[texts[j]]
        if lang < 0:  # another language: no sentiment words
            continue
        suffixes = arabic_suffixes if lang == _AR else persian_suffixes
        if verb_read:  # the verb after «نمی», read with it
            verb_read = False
        elif lang == _FA and j + 1 < n and texts[j + 1] == texts[j] and clause[j + 1] == clause[j] \
                and _is_nemi(cp, starts[j], ends[j]):  # «نمی ارزه» typed with a space: read as «نمیارزه»
            joined = np.concatenate((cp[starts[j]:ends[j]], cp[starts[j + 1]:ends[j + 1]]))
            _read_word(joined, 0, len(joined), word_hash(joined, 0, len(joined)), lang, slot_keys, slot_rows, shift,
                       values, cuts, prefixes, suffixes, roles[j])
            verb_read = True
        else:
            _read_word(cp, starts[j], ends[j], hashes[j], lang, slot_keys, slot_rows, shift, values, cuts, prefixes,
                       suffixes, roles[j])
        if lang == _AR and question[j] and roles[j, 2] > 0 and j + 1 < n and texts[j + 1] == texts[j] \
                and clause[j + 1] == clause[j]:
            if j > 0 and texts[j - 1] == texts[j] and clause[j - 1] == clause[j] and _is_wala(cp, starts[j], ends[j]):
                roles[j, 5] = 0.0  # «ولا» between two alternatives of a question is "or": nothing is missing
            elif _is_what_is(cp, starts[j], ends[j], starts[j + 1], ends[j + 1]):
                roles[j, 2] = 0.0  # «ما هي سياسة الإلغاء؟» "what is the cancellation policy?"
                roles[j, 5] = 0.0
        if (j >= 1 and over_middle[j - 1]) or (j >= 2 and over_middle[j - 2]):
            continue  # inside a phrase over "any" or a number
        if j + 1 < n and texts[j + 1] == texts[j] and clause[j + 1] == clause[j]:
            row = find_key(slot_keys, slot_rows, shift, pair_hash(hashes[j], hashes[j + 1]))
            if row < 0 and cp[starts[j]] == _WAW and ends[j] - starts[j] >= 3:  # «و» "and" on a phrase
                row = find_key(slot_keys, slot_rows, shift,
                               pair_hash(word_hash(cp, starts[j] + 1, ends[j]), hashes[j + 1]))
            if row < 0 and lang > 0 and _has(heads, hashes[j]):  # ... an ending on its second word
                row = _pair_with_ending(cp, starts[j + 1], ends[j + 1], hashes[j], suffixes, slot_keys, slot_rows,
                                        shift)
            if row < 0 and lang > 0:  # ... or on its first word: «کیفیتش عالی», «خدمتهم ممتازة»
                row = _pair_after_ending(cp, starts[j], ends[j], starts[j + 1], ends[j + 1], hashes[j + 1], heads,
                                         suffixes, slot_keys, slot_rows, shift)
            if row < 0 and j + 2 < n and texts[j + 2] == texts[j] and clause[j + 2] == clause[j] and (
                    (roles[j, 2] > 0 and _is_any(cp, starts[j + 1], ends[j + 1]))  # ... or a negator's phrase over
                    or _is_number(cp, starts[j + 1], hashes[j + 1], numbers)):  # "any", or a phrase over a number
                row = find_key(slot_keys, slot_rows, shift, pair_hash(hashes[j], hashes[j + 2]))
                if row < 0 and lang > 0:
                    row = _pair_with_ending(cp, starts[j + 2], ends[j + 2], hashes[j], suffixes, slot_keys,
                                            slot_rows, shift)
                over_middle[j] = row >= 0
            if row >= 0:
                phrase[j] = values[row, lang, 0]
                is_phrase[j] = True
                phrase_boost[j] = values[row, lang, 1]
                phrase_unnegated[j] = values[row, lang, 8]
                phrase_contrast[j] = values[row, lang, 4]
                phrase_verdict[j] = values[row, lang, 25]
                phrase_expectation[j] = values[row, lang, 23]
                phrase_negator[j, 0] = values[row, lang, 2]
                phrase_negator[j, 1] = values[row, lang, 5]
                phrase_negator[j, 2] = values[row, lang, 12]
    than = roles[:, 16] > 0  # "than", «از», «من», also as a phrase's second word ("less than", «کمتر از»)
    own_negation = np.zeros(n, np.bool_)  # a phrase that carries its own negation: «جواب نداد», "not working"
    resolving = roles[:, 11] > 0  # "fixed", «حل», also as a phrase's first word («حل نشد»)
    for j in range(n - 1):
        if is_phrase[j]:  # a phrase is read as a whole: its words boost, negate or contrast nothing else
            own_negation[j] = roles[j, 2] > 0 or roles[j, 3] > 0 or roles[j + 1, 2] > 0 or roles[j + 1, 3] > 0 \
                or (language[texts[j]] == _FA and ends[j + 1] - starts[j + 1] >= 3 and cp[starts[j + 1]] == _NOON)
            roles[j, 1:] = 0.0
            roles[j + 1, 1:] = 0.0
            if phrase[j] == 0.0:  # a neutral phrase leaves its second word no valence for a negation to
                roles[j + 1, 0] = 0.0  # flip: «کارت هدیه کار نمیکنه» ("gift card") misses something
            if over_middle[j]:  # "without any notice": "any" and "notice" are the phrase's second word
                roles[j + 2, :] = 0.0
            roles[j + 1, 1] = phrase_boost[j]  # ... but a boosting phrase boosts the word after it
            roles[j, 8] = phrase_unnegated[j]  # ... and "haven't heard back for days" stays a complaint
            roles[j, 4] = phrase_contrast[j]  # ... and «در کل» ("overall") weighs what follows like "but"
            roles[j, 25] = phrase_verdict[j]  # ... and "would order again" is a verdict, not a wish
            roles[j, 23] = phrase_expectation[j]  # ... and «فکر میکردم بهتر باشه» "I thought it'd be better" expected
            roles[j + 1, 2] = phrase_negator[j, 0]  # ... and «فکر نکنم خوب باشه» "I don't think it's good" negates
            roles[j + 1, 5] = phrase_negator[j, 1]
            roles[j + 1, 12] = phrase_negator[j, 2]
    totals = np.zeros(len(out))
    neither = np.zeros(2, np.int64)
    neither_v = np.zeros(2)
    clause_size = np.zeros(n, np.int64)  # words in each word's clause
    a = 0
    while a < n:
        b = a
        while b < n and texts[b] == texts[a]:
            b += 1
        last_contrast = -1
        mild = False  # what follows the last contrast word is toned down
        excepting = False  # the last contrast word is an exception («فقط» "only"), not a "but"
        ahead = -1  # the last clause with "in advance" in it: its thanks are no praise
        rhetorical = False  # the text asks why, or what the point is
        asks = False  # the text asks for something: a question, "please", «لطفا», «أرجو»
        clause_start = a
        supposed = -1  # the clause that "if", «اگه» or «لو» made a hypothetical case
        for j in range(a, b):
            if roles[j, 4] > 0 or roles[j, 9] > 0:
                last_contrast = j - a
                excepting = roles[j, 9] > 0
                mild = False
            elif last_contrast >= 0 and roles[j, 1] < 0.0:
                mild = True  # a toned-down word after the last "but": "good, but a bit late"
            if roles[j, 14] > 0:
                ahead = clause[j]
            rhetorical |= roles[j, 20] > 0
            asks |= question[j] or (roles[j, 22] > 0 and not _thanked(roles, clause, j, a))  # not "thank you kindly"
            if j + 1 == b or clause[j + 1] != clause[j]:
                clause_size[clause_start:j + 1] = j + 1 - clause_start
                clause_start = j + 1
            if roles[j, 18] > 0 and not (j + 1 < b and clause[j + 1] == clause[j] and roles[j + 1, 19] > 0):
                supposed = clause[j]
        total = 0.0
        lone = 0.0  # praise words alone in their clause: "Great, now it won't even turn on"
        object_verb = -1  # a negated Persian verb whose «را» object holds a sentiment word
        wished = -1  # the clause that "if", "would" or «کاش» made a wish, from that word on ...
        wish_word = -1  # ... and where that word is
        counterfactual = False  # ... and whether it is a past one ("would have", "could've")
        neither[:] = -9  # the last negated praise word [0] and negated complaint word [1] ...
        neither_v[:] = 0.0  # ... and what each added to the total
        praise_clause = -1  # the clause of the praise words so far (English) ...
        praise = 0.0  # ... and what they added
        praised = -1  # the last of them
        base = -1  # the clause whose words after "than" are what something is compared with
        for j in range(a, b):
            if roles[j, 4] > 0 or roles[j, 9] > 0:
                base = -1
            if clause[j] == base:
                continue  # "better than the expensive brands": the base of a comparison is not the point
            if language[texts[j]] == _EN and j > a and clause[j - 1] == clause[j] and _is_than(cp, starts[j], ends[j]) \
                    and roles[j - 1, 0] != 0.0 and _is_comparison(roles, clause, cp, starts, ends, _EN, j - 1, a, b):
                base = clause[j]
            v = phrase[j] if is_phrase[j] else roles[j, 0]  # a phrase replaces its words' valences
            if j > a and is_phrase[j - 1]:
                v = 0.0
            level = _is_expected_level(roles, than, clause, language[texts[j]] == _EN, j, a)
            if level:  # «کمتر از انتظار» "less than expected": the expected level, which only a negation
                v = EXPECTED  # ("less than", "below") turns into a complaint
            after = j + 2 if is_phrase[j] else j + 1
            if (phrase_boost[j] if is_phrase[j] else roles[j, 1]) != 0.0 and after < b and clause[after] == clause[j] \
                    and (roles[after, 0] != 0.0 or phrase[after] != 0.0):
                v = 0.0  # «فوق‌العاده بد» is "extremely bad", not "extraordinary" and "bad"
            diminished = negated = flipped = top = False
            if v != 0.0 or roles[j, 5] != 0.0 or roles[j, 10] > 0:  # the rest only reads words with a
                # sentiment or that may get one (a negation with nothing to negate, "keeps")
                boost = 0.0
                for k in range(1, 4):  # VADER's boosters in the three words before, not across a "but"
                    if j - k < a or roles[j - k, 4] > 0:
                        break
                    boost = boost + roles[j - k, 1] * (1.0 - 0.05 * (k - 1))
                if language[texts[j]] == _AR and after < b and clause[after] == clause[j] and roles[after, 1] != 0.0 \
                        and not (after + 1 < b and clause[after + 1] == clause[j]
                                 and (roles[after + 1, 0] != 0.0 or phrase[after + 1] != 0.0)):
                    boost = boost + roles[after, 1]  # Arabic intensifiers follow their word or phrase: «غالي شوي»,
                    # «حلو اوي», «السعر عالي شوي»
                v = v + np.sign(v) * boost
                diminished = boost < 0.0  # "a bit late", «غالي شوي»
                if v < 0.0 and clause[j] != wished and not question[j] \
                        and _is_resolved(roles, resolving, clause, cp, ends, j, a, b, language[texts[j]]):
                    v = 0.0  # "fixed the leak", "problem solved", «حل مشكلتي», «مشکلم حل شد»: named as solved
                    # (not wished or asked for: «ياريت تلاقوا حل للزحمة», "is the leak fixed?")
                existential = False  # "nothing", «ما في»: "there is no ..."
                for k in range(1, 4):  # negation stays in its clause: "I did not know that, thanks!" ...
                    i = j - k
                    if i < a or clause[i] != clause[j] or roles[i, 4] > 0:  # ... and before its "but"
                        break
                    if language[texts[j]] == _AR and (_is_and_the(cp, starts[i + 1], ends[i + 1]) or (
                            i + 1 == j and v < 0.0 and cp[starts[j]] == _WAW and ends[j] - starts[j] >= 4
                            and find_key(slot_keys, slot_rows, shift, hashes[j]) < 0)):
                        break  # ... and before «والـ» "and the …": «ما يبرد والحمام ريحته», or before a
                        # complaint with «و» "and" on it: «ما كمل شهر وخرب» "not a month and it broke"
                    negated |= roles[i, 2] > 0 and (k == 1 or roles[i, 12] == 0.0)  # «غير» negates the next word only
                    existential |= roles[i, 15] > 0
                    if v < 0.0 and (_ends_scope(roles, i, a) or resolving[i]):  # ... and a complaint after
                        break  # "my" is no praise: "did not get my lost bag" ("did not get my upgrade" is negated),
                        # nor one after the resolving verb negated: "didn't fix the problem"
                # a post-negator negates the nearest sentiment word before it, not the second word
                # of its own phrase («حرف نداره»)
                negated |= j + 1 < b and roles[j + 1, 3] > 0 and not is_phrase[j] and clause[j + 1] == clause[j]
                negated |= j + 2 < b and roles[j + 2, 3] > 0 and clause[j + 2] == clause[j] and (
                    is_phrase[j] or (roles[j + 1, 0] == 0.0 and phrase[j + 1] == 0.0  # «در حد انتظارم نبود»
                                     and not _is_waw(cp, starts[j + 1], ends[j + 1])))  # «غلطه و نمیشه»
                negated |= is_phrase[j] and j + 3 < b and roles[j + 3, 3] > 0 and clause[j + 3] == clause[j] \
                    and roles[j + 2, 0] == 0.0 and phrase[j + 2] == 0.0 and not _is_waw(cp, starts[j + 2], ends[j + 2])
                # ... one word after a phrase too: «کیفیت خوبی هم نداره»
                if language[texts[j]] == _FA and not own_negation[j] and v != 0.0 and not negated:
                    verb = _object_negated(roles, clause, cp, starts, ends, j, b)
                    if verb >= 0:  # the verb negates this word, so nothing is missing; with it, the word
                        object_verb = verb  # may make a phrase («ارزش … نداره» is «ارزش نداره», "not worth it")
                        row = find_key(slot_keys, slot_rows, shift, pair_hash(hashes[j], hashes[verb]))
                        if row >= 0 and values[row, _FA, 0] != 0.0:
                            v = values[row, _FA, 0]
                        else:
                            negated = True
                # «متاسفانه پیک نداشتند»: "unfortunately" stays unfortunate; «هیچکس جواب نداد» ("nobody
                # answered") negates once: Persian «هیچ» agrees with the negated verb, it does not cancel it
                # "nothing better than this", «ما في أحسن من هيك», "could not be happier": top praise, not
                # a wish; "couldn't be worse", «ما في أسوأ من هيك»: the worst
                top = negated and v != 0.0 and (
                    (existential and _is_comparison(roles, clause, cp, starts, ends, language[texts[j]], j, a, b))
                    or _is_persian_than_before(roles, clause, cp, starts, ends, language[texts[j]], j, a)
                    or (v > 0.0 and language[texts[j]] == _EN
                        and _cannot_enough(roles, phrase, clause, cp, starts, ends, j, a, b)))
                negated &= not top
                flipped = negated and roles[j, 8] == 0.0 and not (is_phrase[j] and own_negation[j]) and v != 0.0
                if v > 0.0 and not negated and not question[j] \
                        and _expected_before(roles, than, clause, cp, starts, ends, j, a):
                    v = _negated(v)  # "I expected better", «فين الأمان» "where is the safety": it was not
                if flipped:
                    v = _negated(v)
            if level and not flipped:
                v = 0.0  # "better than expected", «أسوأ من المتوقع»: the comparative says how it went
            wish = v > 0.0 and clause[j] == wished and not top and not _is_verdict(roles, wish_word, j)
            if wish and counterfactual and not question[j]:
                v = _negated(v)  # "would have been nice to get an apology": it did not happen
            # "Can you get this fixed?", "if you could fix it, that would be great", "thanks in advance":
            elif v > 0.0 and (question[j] or wish or clause[j] == ahead
                              or (asks and roles[j, 21] > 0 and clause_size[j] <= 3)):
                v = 0.0  # a request, a wish or politeness ("Can you send the invoice? Thanks!"), not praise
            if roles[j, 6] > 0 and not (j + 1 < b and clause[j + 1] == clause[j] and roles[j + 1, 25] > 0):
                wished = clause[j]  # (not "I'd give it 5 stars": a verdict word right after it)
                wish_word = j
                counterfactual = language[texts[j]] == _EN and _has_have(cp, starts, ends, clause, j, b)
            elif roles[j, 4] > 0:  # "could be faster but the agent was nice": the wish ends at "but"
                wished = -1
            if roles[j, 5] != 0.0 and v == 0.0 and not (j > a and is_phrase[j - 1] and phrase_negator[j - 1, 0] == 0.0
                                                         and phrase_expectation[j - 1] == 0.0) \
                    and not is_phrase[j] and j != object_verb \
                    and _scope_is_neutral(roles, phrase, clause, question, cp, starts, ends,
                                          language[texts[j]] == _AR, j, a, b):
                v = roles[j, 5]
            if roles[j, 10] > 0 and v == 0.0 and _recurs(roles, phrase, clause, cp, starts, ends, language[texts[j]], j, b):
                v = ABSENT  # "it keeps logging me out": something keeps going wrong
            if -0.5 <= v < 0.0 and question[j] and not rhetorical:
                v = 0.0  # a mild cue asks, it does not complain: "is the sale still on?", «هنوز بازه؟»
            if v < 0.0 and question[j] and clause[j] == supposed and not rhetorical:
                v = 0.0  # "What happens if my payment fails?" asks about a case ("what's the point if it
                # never works?" complains)
            if excepting and j - a > last_contrast:  # «خوب بود فقط یکم دیر رسید»: the exception weighs less
                v = v * 0.5
            elif not excepting and j - a < last_contrast and not mild:
                v = v * 0.5
            elif not excepting and last_contrast >= 0 and j - a > last_contrast:
                v = v * (0.5 if diminished else 1.5)  # "good, but a bit late": a mild exception
            if flipped and v != 0.0:  # "neither good nor bad", «نه خوب نه بد», «لا ممتازة ولا سيئة»: a praise
                own, other = (0, 1) if v < 0.0 else (1, 0)  # word and a complaint word, each negated, within
                if j - neither[other] <= 3 and _negates_between(roles, neither[other], j):  # three words
                    total -= neither_v[other]  # of each other cancel out
                    neither[other] = -9
                    v = 0.0
                else:
                    neither[own] = j
                    neither_v[own] = v
            if v > 0.0 and b > a + 1 and roles[j, 21] == 0.0 and (
                    (clause_size[j] == 1 and (j == a or (j == b - 1 and language[texts[j]] == _EN
                                                         and cp[starts[j]] < 0x2000)))  # not an emoji
                    or (clause_size[j] == 2 and j == a + 1 and b > a + 2 and language[texts[j]] == _EN
                        and _has(interjections, hashes[a]))  # "Oh wonderful, …", "oh yay! now …"
                    or (clause_size[j] == 2 and is_phrase[j] and j == a and b > a + 2  # a phrase: «يا سلام،
                        and language[texts[j]] != _FA)):  # …» (a Persian one is a statement: «خوشمزه بود، …»)
                lone += v
            if language[texts[j]] == _EN:  # praise, then a complaint in its clause: "thanks for losing my bag",
                if praise_clause != clause[j] or roles[j, 4] > 0 or roles[j, 9] > 0:  # "great job losing my
                    praise_clause = clause[j]  # luggage" (sarcasm as positive sentiment before a negative
                    praise = 0.0  # situation); the complaint is the point ("but" weighs the two itself)
                if v > 0.0:
                    praise += v
                    praised = j
                elif v < 0.0 and praise > 0.0 and not (j > a and roles[j - 1, 7] > 0) \
                        and not _circumstance_between(roles, praised, j):  # not the customer's own problem
                    total -= PRAISE_THEN_COMPLAINT * praise  # ("thanks for the help with my lost bag") nor what
                    praise = 0.0  # the praise was given in ("thank you for rebooking me after the cancellation")
            total += v
        if lone > 0.0 and total - lone <= -1.0:  # sarcasm around a complaint (a mild cue alone is none)
            total -= lone
        if total > 0.0 and b - a > 1 and clause_size[b - 1] == 1 and language[texts[b - 1]] == _EN \
                and _is_not(cp, starts[b - 1], ends[b - 1]):
            total = total * NEGATION  # "Brilliant service as usual... NOT": the praise taken back
        totals[texts[a]] = total
        a = b
    for i in range(len(out)):
        total = totals[i] + np.sign(totals[i]) * min(bangs[i], 4) * 0.292
        out[i] = total / np.sqrt(total * total + ALPHA)


def _score_chunk(texts: pa.Array, read: pa.Array, language: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """(language code per text, compound score per text) of one chunk (``read``: its
    :func:`reading_text`; ``language``: the codes to score with; None: detect them from the
    words read for scoring)."""
    tokens = tokenize(read)
    if language is None:
        language = _detect_array(read, tokens)
    per_text = np.where(pd.isna(language), _LANGUAGES.index("en"), -1)  # undecided: English first (see below)
    for i, code in enumerate(_LANGUAGES):
        per_text[language == code] = i
    lexicon = _lexicon()
    prefixes, suffixes, arabic_suffixes = _affixes()
    numbers, interjections = _word_sets()
    bangs = pc.fill_null(pc.count_substring(read, "!"), 0).to_numpy(zero_copy_only=False).astype(np.int64)
    out = np.empty(len(texts))
    _compound(tokens.hash, tokens.text, tokens.clause, tokens.question, tokens.cp, tokens.start, tokens.end,
              per_text.astype(np.int64), lexicon.index.slot_keys, lexicon.index.slot_rows, lexicon.index.shift,
              lexicon.values, _CUTS, prefixes, suffixes, arabic_suffixes, _phrase_heads(), numbers, interjections,
              bangs, out)
    unread = np.flatnonzero(out == 0.0)  # no sentiment word: "seriously??", «جدی؟؟», "where is my order??"
    doubled = pc.fill_null(pc.match_substring_regex(texts.take(unread), r"[?؟]\s*[?؟]"), False)
    out[unread[doubled.to_numpy(zero_copy_only=False)]] = ABSENT / np.sqrt(ABSENT * ABSENT + ALPHA)  # exasperated
    undecided = np.flatnonzero(pd.isna(language))
    if len(undecided):
        _read_both_ways(texts, read, undecided, out)
    return language, out


def _read_both_ways(texts: pa.Array, read: pa.Array, undecided: np.ndarray, out: np.ndarray) -> None:
    """Score again, with the Arabic and with the Persian affixes, the ``undecided`` texts
    (``read``: their chunk's :func:`reading_text`) written in the Arabic script («تعطلت» is
    Arabic and Persian alike): the mean of the two readings where both find a sentiment word,
    else the one that does."""
    arabic_script = pc.fill_null(pc.match_substring_regex(texts.take(undecided), r"[\x{0600}-\x{06FF}]"), False)
    at = undecided[arabic_script.to_numpy(zero_copy_only=False)]
    if not len(at):
        return
    subset, subset_read = texts.take(at), read.take(at)
    arabic = _score_chunk(subset, subset_read, np.full(len(at), "ar", dtype=object))[1]
    persian = _score_chunk(subset, subset_read, np.full(len(at), "fa", dtype=object))[1]
    out[at] = np.where((arabic != 0) & (persian != 0), (arabic + persian) / 2, arabic + persian)


def _chunk_bounds(read: pa.Array) -> np.ndarray:
    """Chunk edges over ``read`` (reading texts): at most ``_CHUNK`` texts and about
    ``_CHUNK_BYTES`` bytes each.

    >>> _chunk_bounds(pa.array(["x" * 300_000] * 3, pa.large_string())).tolist()  # one text a chunk
    [0, 1, 2, 3]
    """
    n = len(read)
    ends = np.cumsum(pc.fill_null(pc.binary_length(read), 0).to_numpy(zero_copy_only=False))
    by_bytes = np.searchsorted(ends, np.arange(_CHUNK_BYTES, ends[-1] if n else 0, _CHUNK_BYTES), side="right")
    return np.unique(np.r_[0, by_bytes, np.arange(_CHUNK, n, _CHUNK), n]).astype(np.int64)


def label_scores(scores: np.ndarray, *, threshold: float = 0.05) -> pd.api.extensions.ExtensionArray:
    """negative / neutral / positive for scores in [-1, 1] (missing stays missing)."""
    out = np.where(scores >= threshold, "positive", np.where(scores <= -threshold, "negative", "neutral"))
    return pd.array(np.where(np.isnan(scores), None, out), dtype=STRING_DTYPE)


@dataclass(frozen=True)
class LexiconScorer:
    """The default scorer (see the module docstring); ``threshold`` separates neutral."""

    threshold: float = 0.05

    def __call__(self, texts: pd.Series, language: pd.Series | None = None) -> pd.DataFrame:
        codes = None if language is None else language.reindex(texts.index).to_numpy(dtype=object)
        return self._scored(texts, codes)[1]

    def _scored(self, texts: pd.Series, codes: np.ndarray | None) -> tuple[np.ndarray, pd.DataFrame]:
        """(language codes scored with, sentiment frame) of ``texts``."""
        arr = as_arrow(texts).combine_chunks()
        read = read_whole(arr)
        parts = map_chunks(lambda a, b: _score_chunk(arr[a:b], read[a:b], None if codes is None else codes[a:b]),
                           len(arr), _CHUNK, bounds=_chunk_bounds(read))
        used = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, dtype=object)
        scores = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0)
        scores[~pc.is_valid(arr).to_numpy(zero_copy_only=False)] = np.nan
        labels = label_scores(scores, threshold=self.threshold)
        return used, pd.DataFrame({"sentiment": scores, "sentiment_label": labels}, index=texts.index)


def score_sentiment(texts: pd.Series, *, language: pd.Series | None = None, scorer=None) -> pd.DataFrame:
    """Columns ``sentiment`` (in [-1, 1], missing for missing text) and ``sentiment_label``
    per text (same index). ``language``: codes per text (detected when None);
    ``scorer``: a callable ``(texts, language) -> DataFrame`` (default :class:`LexiconScorer`,
    which detects the language itself while reading the words when ``language`` is None)."""
    if not isinstance(texts, pd.Series):
        raise TypeError(f"The 'texts' parameter of score_sentiment must be a pandas Series. "
                        f"Got {type(texts).__name__} instead.")
    scorer = LexiconScorer() if scorer is None else scorer
    if not callable(scorer):
        raise TypeError(f"The 'scorer' parameter of score_sentiment must be callable (texts, language) -> "
                        f"DataFrame. Got {type(scorer).__name__} instead.")
    out = scorer(texts, language)
    missing = {"sentiment", "sentiment_label"} - set(getattr(out, "columns", []))
    if missing or len(out) != len(texts):
        raise ValueError(f"A sentiment scorer must return a DataFrame with 'sentiment' and 'sentiment_label' "
                         f"for each of the {len(texts)} texts. Got {type(out).__name__} of length "
                         f"{len(out) if hasattr(out, '__len__') else '?'} missing {sorted(missing)}.")
    return out


_NUMERIC_LABELS = {-1: "negative", 0: "neutral", 1: "positive"}


LEXICON_FEATURE_WEIGHT = 0.5  # the default scorer's three features beside a trained model's n-grams


def _with_lexicon(grams, texts: pd.Series, language: pd.Series | None, weight: float):
    """A trained model's n-gram matrix of ``texts`` with the default scorer's reading of each
    text beside it as three features (its score, whether it is positive, whether negative),
    times ``weight`` (0: the n-grams alone)."""
    import scipy.sparse as sp

    if not weight:
        return grams
    read = LexiconScorer()(texts, language)
    score = read["sentiment"].fillna(0.0).to_numpy()
    label = read["sentiment_label"].fillna("neutral").to_numpy(dtype=object)
    lexicon = weight * np.c_[score, label == "positive", label == "negative"].astype(np.float64)
    return sp.hstack([grams, sp.csr_matrix(lexicon)]).tocsr()


@dataclass(frozen=True)
class TrainedScorer:
    """A scorer fitted by :func:`train_sentiment`: score = P(positive) - P(negative),
    label = the most probable class."""

    features: object  # the fitted n-gram vectorisers
    classifier: object  # the fitted logistic regression
    classes: tuple[str, ...]
    lexicon_weight: float  # 0: n-grams only

    def __call__(self, texts: pd.Series, language: pd.Series | None = None) -> pd.DataFrame:
        from csqa.text.normalize import normalize_text

        valid = texts.notna().to_numpy()
        proba = np.zeros((0, len(self.classes)))
        if len(texts):
            grams = self.features.transform(normalize_text(texts).fillna("").tolist())
            proba = self.classifier.predict_proba(_with_lexicon(grams, texts, language, self.lexicon_weight))
        column = {c: proba[:, i] for i, c in enumerate(self.classes)}
        zero = np.zeros(len(texts))
        scores = column.get("positive", zero) - column.get("negative", zero)
        labels = np.array(self.classes, dtype=object)[proba.argmax(axis=1)] if len(texts) else np.zeros(0, object)
        scores[~valid] = np.nan
        labels[~valid] = None
        return pd.DataFrame({"sentiment": scores, "sentiment_label": pd.array(labels, dtype=STRING_DTYPE)},
                            index=texts.index)


def train_sentiment(texts: pd.Series, labels: pd.Series, *, c: float = 3.0, lexicon: bool = True) -> TrainedScorer:
    """Fit a sentiment model on your own labelled messages; pass it as ``scorer=``.

    ``labels``: negative / neutral / positive (or -1 / 0 / 1); two classes are enough.
    Features are character 2-5-grams and word 1-2-grams of the normalised text (they
    work across English, Arabic and Persian) and, with ``lexicon``, the default scorer's
    reading of each text (its score and label), so the model starts from csqa's lexicons and
    rules and learns where your messages differ; the model is a logistic regression with
    inverse regularisation ``c``.

    >>> texts = pd.Series(["great service", "awful, late again", "love it", "terrible delay"] * 5)
    >>> model = train_sentiment(texts, pd.Series(["positive", "negative"] * 10))
    >>> score_sentiment(pd.Series(["great, love it"]), scorer=model)["sentiment_label"].tolist()
    ['positive']
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_union

    from csqa.text.normalize import normalize_text

    if not isinstance(texts, pd.Series) or not isinstance(labels, pd.Series) or len(texts) != len(labels):
        raise TypeError("The 'texts' and 'labels' parameters of train_sentiment must be pandas Series of "
                        f"the same length. Got {type(texts).__name__} and {type(labels).__name__} instead.")
    named = labels.map(lambda v: _NUMERIC_LABELS.get(v, v) if not isinstance(v, str) else v.strip().lower())
    bad = named[~named.isin(LABELS)]
    if len(bad):
        raise ValueError(f"The 'labels' parameter of train_sentiment must hold negative, neutral or positive "
                         f"(or -1, 0, 1). Got {labels[bad.index[0]]!r} at position "
                         f"{labels.index.get_loc(bad.index[0])} instead.")
    keep = texts.notna().to_numpy()
    if named[keep].nunique() < 2:
        raise ValueError("The 'labels' parameter of train_sentiment must hold at least two classes. "
                         f"Got {sorted(named[keep].unique())} instead.")
    features = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, max_features=300_000),
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), token_pattern=r"(?u)\b\w[\w']*\b", min_df=1,
                        sublinear_tf=True),
    )
    weight = LEXICON_FEATURE_WEIGHT if lexicon else 0.0
    grams = features.fit_transform(normalize_text(texts[keep]).tolist())
    classifier = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    classifier.fit(_with_lexicon(grams, texts[keep], None, weight), named[keep].to_numpy(dtype=object))
    return TrainedScorer(features, classifier, tuple(classifier.classes_), weight)


def add_text_columns(table: pd.DataFrame, *, text_column: str = "text", group_column: str | None = "conversation_id",
                     scorer=None) -> pd.DataFrame:
    """A copy of ``table`` with ``language``, ``sentiment`` and ``sentiment_label`` added
    (replacing any there); ``text`` itself is never changed. Texts that say nothing
    about their language take their group's (``group_column``, when present).

    >>> t = pd.DataFrame({"conversation_id": [1, 1], "text": ["سفارشم نرسیده، خیلی بد", "مرسی"]})
    >>> add_text_columns(t)[["language", "sentiment_label"]].values.tolist()
    [['fa', 'negative'], ['fa', 'positive']]
    """
    if text_column not in table.columns:
        raise KeyError(f"The 'text_column' parameter of add_text_columns must name a column of the table. "
                       f"Got {text_column!r}; columns: {list(table.columns)}.")
    texts = table[text_column].astype("string[pyarrow]")
    groups = table[group_column] if group_column in table.columns else None
    if scorer is None:  # the default scorer reads each text once for both columns
        language, scored = _language_and_sentiment(texts, groups)
    else:
        language = detect_language(texts, groups=groups)
        scored = score_sentiment(texts, language=language, scorer=scorer)
    out = table.copy()
    out["language"] = language
    out["sentiment"] = scored["sentiment"].to_numpy()
    out["sentiment_label"] = scored["sentiment_label"].astype(STRING_DTYPE).to_numpy()
    return out


def _language_and_sentiment(texts: pd.Series, groups: pd.Series | None) -> tuple[pd.Series, pd.DataFrame]:
    """``detect_language(texts, groups=groups)`` and the default scorer's frame for texts
    in those languages, reading and cutting each text into words once: only texts that
    take their group's language are scored again, in it."""
    scorer = LexiconScorer()
    codes, scored = scorer._scored(texts, None)
    if groups is not None:
        filled = _fill_from_group(codes, groups.reindex(texts.index), texts.notna().to_numpy())
        changed = np.flatnonzero(pd.isna(codes) & pd.notna(filled))
        if len(changed):
            _, again = scorer._scored(texts.iloc[changed], filled[changed])
            for column in scored.columns:
                scored.iloc[changed, scored.columns.get_loc(column)] = again[column].to_numpy()
        codes = filled
    return pd.Series(pd.array(codes, dtype=STRING_DTYPE), index=texts.index, name="language"), scored
