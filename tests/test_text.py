"""Normalisation, phrase matching, entities and the n-gram vectoriser (en/ar/fa)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csqa.text import normalize_text
from csqa.text.codepoints import to_codepoints
from csqa.text.entities import entity_flags, similarity_text
from csqa.text.lexicons import find_phrases, has_phrase, load_lexicon
from csqa.text.normalize import letters_only
from csqa.text.vectorize import CharNgramVectorizer, document_frequency, pair_similarity, row_similarity

ZWNJ = "\u200c"


@pytest.mark.parametrize(("raw", "expected"), [
    ("قبلاً گفتم", "قبلا گفتم"),                     # tanwin removed
    ("سفارش ۱۲۳-۴۵", "سفارش 123-45"),                 # Persian digits
    ("الطلب ٧٧١", "الطلب 771"),                       # Arabic-Indic digits
    ("كتاب يوسف", "کتاب یوسف"),                       # Arabic kaf/yeh -> Persian forms
    ("مــــرحبا", "مرحبا"),                           # tatweel
    ("ﺍﻟﺴﻼﻡ", "السلام"),                             # presentation forms, ligature
    ("آب و أب", "آب و اب"),                           # آ kept (never NFKD), أ unified
    ("مدرسة", "مدرسه"),                               # teh marbuta
    ("چطوری؟  خوبی ، ", "چطوری? خوبی ,"),            # Arabic punctuation, spaces squeezed
    ("\u200fHello\u200e WORLD", "hello world"),       # bidi marks removed, lower case
    ("e\u0301cole", "école"),                         # composed like NFKC
    ("I don’t, it‘s, Iʼve", "i don't, it's, i've"),    # typographic apostrophes
])
def test_normalize_examples(raw, expected):
    assert normalize_text(pd.Series([raw])).iloc[0] == expected


def test_normalize_keeps_zwnj_and_index_and_missing():
    texts = pd.Series([f"می{ZWNJ}خواهم", None, ""], index=[5, 7, 9], name="text")
    out = normalize_text(texts)
    assert out.iloc[0] == f"می{ZWNJ}خواهم"
    assert out.index.tolist() == [5, 7, 9] and out.name == "text"
    assert pd.isna(out.iloc[1]) and out.iloc[2] == ""
    assert texts.iloc[0] == f"می{ZWNJ}خواهم"  # the input is not modified


def test_normalize_language_per_row():
    texts = pd.Series(["كيف حالك", "كيف حالك"])
    out = normalize_text(texts, language=pd.Series(["ar", "fa"]))
    assert out.tolist() == ["كيف حالك", "کیف حالک"]
    with pytest.raises(ValueError, match="'language' parameter of normalize_text"):
        normalize_text(texts, language="de")
    with pytest.raises(TypeError, match="must be a pandas Series"):
        normalize_text(["x"])


def test_normalize_large_input_matches_small_chunks():
    texts = pd.Series([f"Order {i} سفارش ۱۲۳ ك" for i in range(12_000)])
    out = normalize_text(texts)
    assert out.iloc[11_999] == "order 11999 سفارش 123 ک" and out.notna().all()


@pytest.mark.parametrize(("raw", "expected"), [
    ("سفارش ۱۲۳-۴۵۶ رسید؟", "سفارش <number> رسید?"),                   # Persian digits first become ASCII
    ("رقم الطلب ٤٥٦٧٨", "رقم الطلب <number>"),
    ("paid 12.50 on 2026-09-01 at 10:30", "paid <number> on <number> at <number>"),
    ("see https://t.co/AbC1.", "see <url>."),                        # the full stop ends the sentence
    ("www.shop.ir/track?id=9 ok", "<url> ok"),
    ("mail Ali.B@Example.com or @acme_help", "mail <email> or <user>"),
    ("mp3 and 4g stay words", "mp3 and 4g stay words"),              # digits inside a word are the word
])
def test_placeholders_for_matching(raw, expected):
    assert normalize_text(pd.Series([raw]), placeholders=True).tolist() == [expected]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(["1", "۲", "٣", ".", "-", " ", "@", "a", "ب", "http://", "www.", "x.ir", "\u200c"]),
                max_size=20).map("".join))
def test_placeholders_are_stable_and_leave_no_free_number(text):
    once = normalize_text(pd.Series([text]), placeholders=True).iloc[0]
    assert normalize_text(pd.Series([once]), placeholders=True).iloc[0] == once
    assert not re.search(r"(?<!\w)\d+(?!\w)", once, re.ASCII) and not re.search(r"@\w", once, re.ASCII)
    if "http://" not in text and "www." not in text:  # a URL takes what follows it up to a space
        assert normalize_text(pd.Series([text])).iloc[0].count("\u200c") == once.count("\u200c")  # ZWNJ kept


def test_codepoints_with_astral_and_missing():
    cp, lengths = to_codepoints(pa.array(["a😀b", None, "سلام", ""])[1:])
    assert lengths.tolist() == [0, 4, 0]
    assert "".join(map(chr, cp)) == "سلام"


def test_letters_only_and_similarity_text():
    assert letters_only(pd.Series(["hi!! 123 there"])).tolist() == ["hi there"]
    norm = normalize_text(pd.Series(["Mail me: a.b@x.com, order ۱۲۳-۴۵۶۷۸!"]))
    assert similarity_text(norm).tolist() == ["mail me order"]


def test_entity_flags_in_three_scripts():
    norm = normalize_text(pd.Series([
        "سفارش ۴۵۶-۷۸۹۰۱", "طلبي ٧٧١-٢٣٤٥٦", "call +1 415 555 0134", "x@y.org", "on 2026-09-01",
        "1234 only four digits", "شماره موبایلم ۰۹۱۲۳۴۵۶۷۸۹", "order id: 3348917502", "(977) 625-2661",
    ]))
    flags = entity_flags(norm)
    assert flags["order"].tolist() == [True, True, False, False, False, False, False, True, False]
    assert flags["email"].tolist() == [False, False, False, True, False, False, False, False, False]
    assert flags["phone"].tolist() == [False, False, True, False, False, False, True, False, True]


def test_phrases_word_edges_and_suffixes():
    norm = normalize_text(pd.Series(["thanks again", "against it", "شماره سفارشتون", "انتقلت"]))
    assert has_phrase(norm, ["again"]).tolist() == [True, False, False, False]
    assert has_phrase(norm, ["شماره سفارش"]).tolist() == [False, False, True, False]
    assert has_phrase(norm, ["قلت"]).tolist() == [False, False, False, False]  # not inside a word
    found = find_phrases(normalize_text(pd.Series(["قبلاً گفتم که", "nothing"])), ["قبلا گفتم"])
    assert found.iloc[0] == "قبلا گفتم" and pd.isna(found.iloc[1])


def test_lexicon_has_all_three_languages():
    lexicon = load_lexicon("effort")
    for section in (lexicon["repeat_cues"]["strong"], lexicon["repeat_cues"]["weak"], lexicon["request"],
                    lexicon["courtesy"], *lexicon["asks"].values()):
        assert set(section) == {"en", "fa", "ar"} and all(section.values())


def test_vectoriser_similarity_orders_pairs():
    texts = ["my order never arrived", "my order has never arrived", "please reset my password",
             "سفارشم هنوز نرسیده", "سفارش من هنوز نرسیده", "", None]
    X = CharNgramVectorizer().fit_transform(texts)
    assert X.shape == (7, 2**20)
    s = row_similarity(X, np.array([1, 2, 4, 5]), np.array([0, 0, 3, 0]))
    assert s[0] > 0.6 > 0.1 > s[1] and s[2] > 0.5 and s[3] == 0.0
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    assert np.allclose(norms[:5], 1.0, atol=1e-5)


def test_pair_similarity_chunked_equals_whole_and_pluggable():
    rng = np.random.default_rng(3)
    words = np.array("order late refund card login code سفارش پول کارت طلب مبلغ".split())
    texts = [" ".join(rng.choice(words, size=6)) for _ in range(25_000)]
    groups = np.arange(25_000) // 5
    later = np.flatnonzero(np.arange(25_000) % 5 > 0)
    earlier = later - 1
    chunked = pair_similarity(texts, later, earlier, groups)
    whole = row_similarity(CharNgramVectorizer().fit_transform(texts), later, earlier)
    assert np.allclose(chunked, whole, atol=1e-5)
    from sklearn.feature_extraction.text import TfidfVectorizer

    other = pair_similarity(texts[:50], later[:10], earlier[:10], groups[:50],
                            vectorizer=TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 4)))
    assert other.shape == (10,) and ((0 <= other) & (other <= 1 + 1e-9)).all()


def test_pair_similarity_of_selected_rows_equals_a_copy_of_them():
    rng = np.random.default_rng(4)
    words = np.array("order late refund card سفارش پول کارت طلب".split())
    texts = pd.Series([" ".join(rng.choice(words, size=5)) for _ in range(30_000)], dtype="string[pyarrow]")
    texts = pd.Series(pd.array(pa.chunked_array([pa.array(texts.iloc[i:i + 7_000].tolist(), pa.large_string())
                                                 for i in range(0, 30_000, 7_000)]), dtype="string[pyarrow]"))
    rows = np.flatnonzero(rng.random(30_000) < 0.8)  # a subset, spanning chunk borders
    groups = np.arange(len(rows)) // 4
    later = np.flatnonzero(np.arange(len(rows)) % 4 > 0)
    copied = texts.iloc[rows].reset_index(drop=True)
    selected = pair_similarity(texts, later, later - 1, groups, rows=rows)
    assert np.array_equal(selected, pair_similarity(copied, later, later - 1, groups))
    df, n = document_frequency(texts, rows=rows)
    expected_df, expected_n = document_frequency(copied)
    assert n == expected_n == len(rows) and np.array_equal(df, expected_df)


def test_vectoriser_rejects_bad_range():
    with pytest.raises(ValueError, match="'ngram_range' parameter of CharNgramVectorizer"):
        CharNgramVectorizer(ngram_range=(4, 2))
