"""Complaint themes: what customers open conversations about, across languages.

Each conversation's *opening* is its customer's first turn (the public customer messages
before the first agent or bot reply, joined). Openings are normalised (Arabic and Persian
letter forms, digits; numbers, e-mails, punctuation and greetings dropped), weighted by TF-IDF over
words and word pairs (function words of English, Arabic and Persian removed), and split
into ``n_themes`` themes by non-negative matrix factorisation (scikit-learn NMF,
deterministic for a given ``seed``; of six starts -- NNDSVD and seeded random ones -- the
one that fits best is kept, so the themes do not hinge on one start's local optimum).
Words differ between languages, so each language (detected on the opening) gets its own
themes, ``n_themes`` shared out by its number of openings; a theme's ``language`` says which.

>>> from csqa.sample import load_sample                  # doctest: +SKIP
>>> found = complaint_themes(load_sample(), n_themes=15)   # doctest: +SKIP
>>> found.themes[["theme", "top_terms", "n_conversations"]].head(3)   # doctest: +SKIP
>>> theme_trend(found.assignments, period="week")          # doctest: +SKIP
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from csqa.metrics.frame import ns_to_timestamps, prepare
from csqa.metrics.repeats import _strip_courtesy
from csqa.text.entities import similarity_text
from csqa.text.language import detect_language
from csqa.text.lexicons import load_lexicon
from csqa.text.normalize import normalize_text

_TOKEN = r"(?u)\b\w[\w\u200c]+\b"
_INITS = ("nndsvda", "nndsvdar", "random", "random", "random", "random")  # NMF starts tried per language


@dataclass
class Themes:
    """``themes``: one row per theme (theme, top_terms, language, n_conversations, share,
    examples: the conversations that fit it best); ``assignments``: one row per conversation with an opening (conversation_id,
    started_at, language, theme, weight, opening)."""

    themes: pd.DataFrame
    assignments: pd.DataFrame


def _stop_words() -> list[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    lexicon = load_lexicon("language")
    words = pd.Series(sorted(set(ENGLISH_STOP_WORDS) | {w for lang in ("en", "fa", "ar") for w in lexicon[lang]}),
                      dtype=object)
    forms = set(normalize_text(words)) | set(normalize_text(words, language="ar"))
    return sorted({token for form in forms for token in re.findall(_TOKEN, form)})


def openings(messages: pd.DataFrame) -> pd.DataFrame:
    """Per conversation with a customer message: conversation_id, started_at (its first
    customer message) and opening (the customer's first turn, messages joined by a newline)."""
    o = prepare(messages, fn="openings")
    customer = o.is_role("customer") & o.is_kind("message") & o.frame["text"].notna().to_numpy()
    reply = o.is_role("agent", "bot") & o.is_kind("message")
    replied = o.last_before(reply, inclusive=True) >= 0
    rows = np.flatnonzero(customer & ~replied)
    first = o.frame.iloc[rows].assign(_code=o.code[rows])
    joined = first.groupby("_code", sort=True)["text"].agg(lambda t: "\n".join(map(str, t)))
    codes = joined.index.to_numpy()
    return pd.DataFrame({"conversation_id": o.take("conversation_id", o.first_row[codes]),
                         "started_at": ns_to_timestamps(o.first_ts(customer)[codes]),
                         "opening": joined.to_numpy()})


def complaint_themes(messages: pd.DataFrame, *, n_themes: int = 10, seed: int = 0, n_terms: int = 8,
                     n_examples: int = 3, min_df: int = 2, max_df: float = 0.3) -> Themes:
    """Themes of customers' opening messages (see the module docstring)."""
    if not isinstance(n_themes, int) or n_themes < 1:
        raise ValueError(f"The 'n_themes' parameter of complaint_themes must be a positive integer. "
                         f"Got {n_themes!r} instead.")
    opened = openings(messages)
    opened["language"] = detect_language(opened["opening"].astype("string")).astype(object).to_numpy()
    norm = normalize_text(opened["opening"].astype("string"))
    words = similarity_text(_strip_courtesy(norm)).fillna("")
    theme = np.full(len(opened), -1, dtype=np.int64)
    weight = np.zeros(len(opened))
    rows, next_theme = [], 0
    sizes = opened["language"].value_counts()
    for language, size in sizes.items():  # largest language first
        part = np.flatnonzero((opened["language"] == language).to_numpy())
        k = max(1, round(n_themes * size / len(opened)))
        fitted = _fit(words.iloc[part].to_numpy(dtype=object), k, seed=seed, min_df=min_df, max_df=max_df,
                      n_terms=n_terms)
        if fitted is None:
            continue
        local, w, top_terms = fitted
        theme[part] = np.where(local >= 0, local + next_theme, -1)
        weight[part] = w
        rows += [{"theme": next_theme + t, "top_terms": terms, "language": language}
                 for t, terms in enumerate(top_terms)]
        next_theme += len(top_terms)
    assignments = opened.assign(theme=pd.array(np.where(theme >= 0, theme, None), dtype="Int64"), weight=weight)[
        ["conversation_id", "started_at", "language", "theme", "weight", "opening"]]
    table = pd.DataFrame(rows, columns=["theme", "top_terms", "language"])
    counts = assignments["theme"].value_counts()
    table["n_conversations"] = counts.reindex(table["theme"]).fillna(0).astype(np.int64).to_numpy()
    table["share"] = table["n_conversations"] / max(len(assignments), 1)
    best = assignments.dropna(subset=["theme"]).sort_values("weight", ascending=False, kind="stable")
    examples = best.groupby("theme")["conversation_id"].agg(lambda c: c.astype(str).head(n_examples).tolist())
    table["examples"] = examples.reindex(table["theme"]).to_numpy()
    table = table.sort_values(["n_conversations", "theme"], ascending=[False, True], kind="stable")
    return Themes(table.reset_index(drop=True), assignments.reset_index(drop=True))


def _fit(words: np.ndarray, k: int, *, seed: int, min_df: int, max_df: float, n_terms: int):
    """(theme per text or -1, weight, top terms per theme) for one language; None when the
    texts have no words in common."""
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(token_pattern=_TOKEN, min_df=min(min_df, len(words)),
                                 max_df=max_df if len(words) > 10 else 1.0, stop_words=_stop_words(),
                                 sublinear_tf=True, dtype=np.float32)
    try:
        x = vectorizer.fit_transform(words)
    except ValueError:  # no term left: nothing in common to group by
        return None
    k = min(k, *x.shape)
    model, w = None, None
    for i, init in enumerate(_INITS):  # the factorisation that fits best: one start can land badly
        candidate = NMF(n_components=k, init=init, random_state=seed + i, max_iter=500)
        found = candidate.fit_transform(x)
        if model is None or candidate.reconstruction_err_ < model.reconstruction_err_:
            model, w = candidate, found
    terms = vectorizer.get_feature_names_out()
    top = [" · ".join(terms[np.argsort(-row)[:n_terms]]) for row in model.components_]
    weight = w.max(axis=1)
    return np.where(weight > 0, w.argmax(axis=1), -1), weight, top


def theme_trend(assignments: pd.DataFrame, *, period: str = "week", timezone: str = "UTC") -> pd.DataFrame:
    """Conversations per local period (rows) and theme (columns), from ``Themes.assignments``."""
    from csqa.aggregate import _period

    when = _period(assignments["started_at"], period, timezone)
    return pd.crosstab(when, assignments["theme"]).rename_axis(columns="theme")
