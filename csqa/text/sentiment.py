"""Sentiment per message in [-1, 1] with a label, for English, Arabic and Persian.

The default :class:`LexiconScorer` works like VADER, vectorised over all messages
at once (:mod:`csqa.text.tokens`): each word's valence from the lexicon of the
message's language (English: the VADER lexicon shipped by ``vaderSentiment`` plus
csqa's support-domain words; Persian and Arabic: csqa's own lexicons with
colloquial and dialect forms, ``csqa/text/lexicons/sentiment.json``), two-word
phrases before single words, boosters and dampeners on the next sentiment word,
negation (a negator up to three words before; Persian copulas such as «نیست»
after), contrast ("but", «ولی», «لكن»: before × 0.5, after × 1.5) and "!"
emphasis. The sum ``s`` becomes ``s / sqrt(s² + 15)``; labels: ≥ 0.05 positive,
≤ -0.05 negative, otherwise neutral. The lexicons of the three languages are all
consulted for every message (people mix them); the message's own language wins
where they disagree.

:func:`train_sentiment` fits a scikit-learn model to labels you have (e.g. from
CSAT); pass it as ``scorer=``. Any callable ``scorer(texts, language) ->
DataFrame(sentiment, sentiment_label)`` works.

>>> import pandas as pd
>>> score_sentiment(pd.Series(["Thanks, that was quick!", "my order is late AGAIN, terrible",
...                            "غذا سرد بود و دیر رسید", "الخدمة ممتازة شكرا"]))["sentiment_label"].tolist()
['positive', 'negative', 'negative', 'positive']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from csqa.parallel import map_chunks
from csqa.schema import STRING_DTYPE
from csqa.text.language import _detect_array, detect_language
from csqa.text.lexicons import as_arrow, load_lexicon
from csqa.text.tokens import hash_words, pair_hash, tokenize

LABELS = ("negative", "neutral", "positive")
_LANGUAGES = ("en", "fa", "ar")
_ROLES = ("valence", "booster", "negator", "post_negator", "contrast")
_NEGATION = -0.74
_ALPHA = 15.0
_CHUNK = 10_000


@dataclass(frozen=True)
class _Table:
    """Word hashes (a hash index) and, per hash, each role's value."""

    keys: pd.Index
    values: dict[str, np.ndarray] = field(default_factory=dict)

    def find(self, hashes: np.ndarray) -> np.ndarray:
        """Row of each hash in the table, -1 where absent."""
        return self.keys.get_indexer(hashes)

    def values_at(self, at: np.ndarray) -> dict[str, np.ndarray]:
        """Each role's value at table rows ``at`` (0 where -1)."""
        return {role: np.where(at >= 0, v[at], 0.0) for role, v in self.values.items()}


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
    for word in own.get("neutral", []):
        out[word] = {}
    for word, value in words.items():
        out[word] = {"valence": value}
    for word, value in own["boosters"].items():
        out[word] = {"booster": value}
    for role in ("negator", "post_negator", "contrast"):
        for word in own[f"{role}s" if role != "contrast" else role]:
            out[word] = {role: 1.0}
    return out


@lru_cache(maxsize=4)
def _table(language: str) -> _Table:
    """All three languages' entries, ``language``'s own taking precedence."""
    merged: dict[str, dict[str, float]] = {}
    for other in [lang for lang in _LANGUAGES if lang != language] + [language]:
        merged.update(_entries(other))
    words = list(merged)
    hashes = hash_words(words)
    order = np.argsort(hashes, kind="stable")
    hashes = hashes[order]
    last = np.r_[hashes[1:] != hashes[:-1], True]  # same word written differently: the later wins
    values = {role: np.array([merged[words[i]].get(role, 0.0) for i in order], dtype=np.float64)[last]
              for role in _ROLES}
    return _Table(pd.Index(hashes[last]), values)


# attached particles and endings tried (in this order) when a Persian or Arabic word is not in the
# lexicon as written: (characters cut from the front, from the back)
_PREFIXES = ("و", "ف", "ب", "ل", "ک", "ال", "لل", "می", "بی", "وال", "بال", "فال", "کال", "نمی")
_SUFFIXES = ("ه", "ی", "ش", "م", "ت", "ا", "ها", "هم", "کم", "نا", "ین", "ون", "ات", "ان", "یه", "تر", "ست", "شو",
             "مو", "های", "هاش", "مون", "تون", "شون", "هام", "یین", "ترین")
_CUTS = [(0, 1), (0, 2), (1, 0), (2, 0), (0, 3), (3, 0), (0, 4), (1, 1), (2, 1), (1, 2), (2, 2), (3, 1)]


def _affix_key(chars: list[np.ndarray]) -> np.ndarray:
    key = np.zeros(len(chars[0]), dtype=np.uint64)
    for c in chars:
        key = (key << np.uint64(21)) | c.astype(np.uint64)
    return key


@lru_cache(maxsize=1)
def _affix_keys() -> dict[tuple[str, int], np.ndarray]:
    """(side, length) -> keys of the affixes of that length."""
    out: dict[tuple[str, int], list[int]] = {}
    for side, affixes in (("front", _PREFIXES), ("back", _SUFFIXES)):
        for a in affixes:
            out.setdefault((side, len(a)), []).append(int(_affix_key([np.array([ord(ch)]) for ch in a])[0]))
    return {key: np.array(values, dtype=np.uint64) for key, values in out.items()}


def _stem_lookup(tokens, rows: np.ndarray, table: _Table) -> np.ndarray:
    """Table row of each word ``rows`` found after cutting an attached particle or ending
    (-1 where no cut finds it); words of at least 4 letters, keeping at least 3."""
    found = np.full(len(rows), -1)
    length = tokens.end[rows] - tokens.start[rows]
    keys = _affix_keys()
    for front, back in _CUTS:
        todo = np.flatnonzero((found < 0) & (length - front - back >= 3))
        if not len(todo):
            continue
        r = rows[todo]
        ok = np.ones(len(todo), bool)
        if front:
            ok &= np.isin(_affix_key([tokens.char(r, i) for i in range(front)]), keys["front", front])
        if back:
            ok &= np.isin(_affix_key([tokens.char(r, -back + i) for i in range(back)]), keys["back", back])
        todo, r = todo[ok], r[ok]
        found[todo] = table.find(tokens.sub_hash(r, front, back))
    return found


def _shifted(values: np.ndarray, same: np.ndarray, by: int) -> np.ndarray:
    """``values`` of the token ``by`` places before (by > 0) or after (by < 0), 0 across texts."""
    out = np.zeros_like(values)
    if by > 0:
        out[by:] = np.where(same[by:], values[:-by], 0)
    else:
        out[:by] = np.where(same[:by], values[-by:], 0)
    return out


def _score_chunk(texts: pa.Array, language: np.ndarray | None) -> np.ndarray:
    """Compound score per text of one chunk (``language``: code per text; None: detect)."""
    n = len(texts)
    tokens = tokenize(texts)
    if language is None:
        language = _detect_array(texts, tokens)
    doc = tokens.text
    per_text = np.where(pd.isna(language), _LANGUAGES.index("en"), -1)  # undecided: English first
    for i, code in enumerate(_LANGUAGES):
        per_text[language == code] = i
    lang = per_text.astype(np.int8)[doc]
    roles = {role: np.zeros(len(doc)) for role in _ROLES}
    pairs = np.zeros(len(doc), dtype=np.uint64)
    if len(doc) > 1:
        pairs[:-1] = pair_hash(tokens.hash[:-1], tokens.hash[1:])
    phrase_value = np.zeros(len(doc))
    for i, code in enumerate(_LANGUAGES):
        rows = np.flatnonzero(lang == i)
        if not len(rows):
            continue
        table = _table(code)
        at = table.find(tokens.hash[rows])
        if code != "en":
            missing = np.flatnonzero(at < 0)
            at[missing] = _stem_lookup(tokens, rows[missing], table)
        for role, values in table.values_at(at).items():
            roles[role][rows] = values
        phrase_value[rows] = table.values_at(table.find(pairs[rows]))["valence"]
    # a two-word phrase replaces its words' own valences
    next_same = np.r_[doc[1:] == doc[:-1], False]
    phrase = (phrase_value != 0) & next_same
    valence = roles["valence"].copy()
    valence[phrase] = phrase_value[phrase]
    valence[1:][phrase[:-1]] = 0.0

    same = {k: np.r_[np.zeros(k, bool), doc[k:] == doc[:-k]] for k in (1, 2, 3)}
    same_after = {k: np.r_[doc[:-k] == doc[k:], np.zeros(k, bool)] for k in (1, 2)}
    sign = np.sign(valence)
    boost = sum(_shifted(roles["booster"], same[k], k) * w for k, w in ((1, 1.0), (2, 0.95), (3, 0.9)))
    valence = valence + sign * boost
    negated = sum(_shifted(roles["negator"], same[k], k) for k in (1, 2, 3)) > 0
    negated |= sum(_shifted(roles["post_negator"], same_after[k], -k) for k in (1, 2)) > 0
    valence = np.where(negated & (valence != 0), valence * _NEGATION, valence)

    contrast_at = np.where(roles["contrast"] > 0, tokens.position, -1)
    last_contrast = np.full(n, -1)
    np.maximum.at(last_contrast, doc, contrast_at)
    before = tokens.position < last_contrast[doc]
    after = (tokens.position > last_contrast[doc]) & (last_contrast[doc] >= 0)
    valence = valence * np.where(before, 0.5, np.where(after, 1.5, 1.0))

    total = np.bincount(doc, weights=valence, minlength=n).astype(np.float64)
    bangs = np.minimum(pc.fill_null(pc.count_substring(texts, "!"), 0).to_numpy(zero_copy_only=False), 4)
    total += np.sign(total) * bangs * 0.292
    return total / np.sqrt(total * total + _ALPHA)


def label_scores(scores: np.ndarray, *, threshold: float = 0.05) -> pd.api.extensions.ExtensionArray:
    """negative / neutral / positive for scores in [-1, 1] (missing stays missing)."""
    out = np.where(scores >= threshold, "positive", np.where(scores <= -threshold, "negative", "neutral"))
    return pd.array(np.where(np.isnan(scores), None, out), dtype=STRING_DTYPE)


@dataclass(frozen=True)
class LexiconScorer:
    """The default scorer (see the module docstring); ``threshold`` separates neutral."""

    threshold: float = 0.05

    def __call__(self, texts: pd.Series, language: pd.Series | None = None) -> pd.DataFrame:
        arr = as_arrow(texts).combine_chunks()
        codes = None if language is None else language.reindex(texts.index).to_numpy(dtype=object)
        parts = map_chunks(lambda a, b: _score_chunk(arr[a:b], None if codes is None else codes[a:b]),
                           len(arr), _CHUNK)
        scores = np.concatenate(parts) if parts else np.zeros(0)
        scores[~pc.is_valid(arr).to_numpy(zero_copy_only=False)] = np.nan
        return pd.DataFrame({"sentiment": scores, "sentiment_label": label_scores(scores, threshold=self.threshold)},
                            index=texts.index)


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


@dataclass(frozen=True)
class TrainedScorer:
    """A scorer fitted by :func:`train_sentiment`: score = P(positive) - P(negative),
    label = the most probable class."""

    model: object
    classes: tuple[str, ...]

    def __call__(self, texts: pd.Series, language: pd.Series | None = None) -> pd.DataFrame:
        from csqa.text.normalize import normalize_text

        valid = texts.notna().to_numpy()
        proba = self.model.predict_proba(normalize_text(texts).fillna("").tolist())
        column = {c: proba[:, i] for i, c in enumerate(self.classes)}
        zero = np.zeros(len(texts))
        scores = column.get("positive", zero) - column.get("negative", zero)
        labels = np.array(self.classes, dtype=object)[proba.argmax(axis=1)] if len(texts) else np.zeros(0, object)
        scores[~valid] = np.nan
        labels[~valid] = None
        return pd.DataFrame({"sentiment": scores, "sentiment_label": pd.array(labels, dtype=STRING_DTYPE)},
                            index=texts.index)


def train_sentiment(texts: pd.Series, labels: pd.Series, *, c: float = 3.0) -> TrainedScorer:
    """Fit a sentiment model on your own labelled messages; pass it as ``scorer=``.

    ``labels``: negative / neutral / positive (or -1 / 0 / 1); two classes are enough.
    Features are character 2-5-grams and word 1-2-grams of the normalised text (they
    work across English, Arabic and Persian); the model is a logistic regression with
    inverse regularisation ``c``.

    >>> texts = pd.Series(["great service", "awful, late again", "love it", "terrible delay"] * 5)
    >>> model = train_sentiment(texts, pd.Series(["positive", "negative"] * 10))
    >>> score_sentiment(pd.Series(["great, love it"]), scorer=model)["sentiment_label"].tolist()
    ['positive']
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

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
    model = make_pipeline(features, LogisticRegression(C=c, max_iter=2000, class_weight="balanced"))
    model.fit(normalize_text(texts[keep]).tolist(), named[keep].to_numpy(dtype=object))
    return TrainedScorer(model, tuple(model.classes_))


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
    language = detect_language(texts, groups=groups)
    scored = score_sentiment(texts, language=language, scorer=scorer)
    out = table.copy()
    out["language"] = language
    out["sentiment"] = scored["sentiment"].to_numpy()
    out["sentiment_label"] = scored["sentiment_label"].astype(STRING_DTYPE).to_numpy()
    return out
