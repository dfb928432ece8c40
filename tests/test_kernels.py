"""The compiled kernels against plain references (scipy, numpy, Python per string)."""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from csqa.arrays import splitmix
from csqa.kernels import (
    APOSTROPHE,
    BREAK,
    DROP,
    EMOJI,
    END,
    QUESTION,
    WORD,
    HashIndex,
    category_counts,
    map_characters,
    minhash_bands,
    ngram_counts,
    row_dots,
    row_overlaps,
    rows_with,
    squeezed_hash,
    sublinear_tfidf,
    tokenize_utf8,
)
from csqa.text.codepoints import to_codepoints

# letters of the three scripts, spaces of several kinds, ZWNJ, marks, emoji
ALPHABET = st.sampled_from([*"ab z-!.", "\u200c", "\u00a0", "\t", "\u0640", "\u064b", "ك", "ی", "ة", "۱", "😀",
                            "\u0301", "ﻻ", "Ⱥ"])
TEXTS = st.lists(st.one_of(st.none(), st.text(ALPHABET, max_size=25)), max_size=30)


def _table() -> np.ndarray:
    table = np.arange(0x110000, dtype=np.uint32)
    table[[ord("-"), ord("\t"), 0xA0]] = 0x20
    table[[ord("!"), 0x0640, 0x064B]] = DROP
    table[ord("ك")] = ord("ک")
    table[ord("Ⱥ")] = ord("ⱥ")  # two UTF-8 bytes become three
    return table


def _map_reference(text: str | None, table: np.ndarray) -> str | None:
    if text is None:
        return None
    mapped = "".join(chr(table[ord(c)]) for c in text if table[ord(c)] != DROP)
    return " ".join(word for word in mapped.split(" ") if word)


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.integers(0, 3))
def test_map_characters_matches_per_string_reference(texts, start):
    table = _table()
    arr = pa.array(texts, pa.large_string())[start:]  # slices keep their offset
    got = map_characters(arr, table).to_pylist()
    assert got == [_map_reference(t, table) for t in texts[start:]]


def test_map_characters_other_table_per_row():
    table, other = _table(), _table()
    other[ord("ی")] = ord("ي")
    got = map_characters(pa.array(["یک", "یک", None]), table, other_table=other, use_other=np.array([False, True, False]))
    assert got.to_pylist() == ["یک", "يک", None]


@settings(max_examples=100, deadline=None)
@given(TEXTS)
def test_rows_with_matches_any(texts):
    flagged = np.zeros(0x110000, dtype=bool)
    flagged[[ord("😀"), ord("ة")]] = True
    expected = [t is not None and any(flagged[ord(c)] for c in t) for t in texts]
    assert rows_with(pa.array(texts, pa.large_string()), flagged).tolist() == expected


def _ngram_reference(text: str, k: int, bits: int, slot: int, n_slots: int, pad: bool) -> list[int]:
    """The hashed column of every k-gram, with Python integers (mod 2**64)."""
    mask, prime, mix = 2**64 - 1, 0x100000001B3, 0x9E3779B97F4A7C15
    cps = [ord(c) for c in (f" {text} " if pad and text else text)]
    width = (1 << bits) // n_slots
    columns = []
    for p in range(len(cps) - k + 1):
        if k <= 3:
            h = 0
            for c in cps[p:p + k]:
                h = (h << 21) | c
        else:
            h = cps[p] * prime & mask
            for c in cps[p + 1:p + k]:
                h = (h ^ c) * prime & mask
        h = h * mix & mask
        columns.append((h >> 32) % width + slot * width)
    return columns


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(ALPHABET, max_size=12), max_size=10), st.sampled_from([(1, 1), (3, 3), (2, 4), (4, 5)]),
       st.booleans())
def test_ngram_counts_match_python_hashes(texts, ngram_range, pad):
    cp, lengths = to_codepoints(pa.array(texts, pa.large_string()))
    counts = ngram_counts(cp, lengths, ngram_range=ngram_range, bits=10, pad=pad)
    low, high = ngram_range
    for row, text in enumerate(texts):
        expected: dict[int, int] = {}
        for slot, k in enumerate(range(low, high + 1)):
            for column in _ngram_reference(text, k, 10, slot, high - low + 1, pad):
                expected[column] = expected.get(column, 0) + 1
        a, b = counts.indptr[row], counts.indptr[row + 1]
        assert len(set(counts.indices[a:b])) == b - a  # each column once per row
        assert dict(zip(counts.indices[a:b].tolist(), counts.data[a:b].tolist(), strict=True)) == expected


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 8), st.integers(1, 12), st.integers(0, 40), st.integers(0, 2**32 - 1))
def test_row_dots_and_tfidf_match_scipy(n_rows, n_cols, n_pairs, seed):
    rng = np.random.default_rng(seed)
    dense = rng.integers(0, 3, size=(n_rows, n_cols)).astype(np.float32) * (rng.random((n_rows, n_cols)) < 0.5)
    matrix = sp.csr_matrix(dense)
    for i in range(n_rows):  # columns in descending order: unsorted rows must work too
        a, b = matrix.indptr[i], matrix.indptr[i + 1]
        matrix.indices[a:b], matrix.data[a:b] = matrix.indices[a:b][::-1].copy(), matrix.data[a:b][::-1].copy()
    left, right = rng.integers(0, n_rows, n_pairs), rng.integers(0, n_rows, n_pairs)
    np.testing.assert_allclose(row_dots(matrix, left, right), (dense[left] * dense[right]).sum(axis=1), rtol=1e-6)

    weights = rng.random(n_cols).astype(np.float32) + 0.5
    tf = np.where(dense > 0, 1 + np.log(np.where(dense > 0, dense, 1)), 0) * weights
    norms = np.sqrt((tf.astype(np.float64) ** 2).sum(axis=1, keepdims=True))
    expected = np.divide(tf, norms, out=np.zeros_like(tf, dtype=np.float64), where=norms > 0)
    got = sp.csr_matrix((sublinear_tfidf(matrix, weights), matrix.indices, matrix.indptr), shape=matrix.shape)
    np.testing.assert_allclose(got.toarray(), expected, rtol=1e-5, atol=1e-7)


def test_row_dots_sums_duplicate_entries():
    matrix = sp.csr_matrix((np.array([1.0, 2.0, 3.0]), np.array([0, 0, 0]), np.array([0, 2, 3])), shape=(2, 1))
    assert row_dots(matrix, np.array([0, 1, 0]), np.array([1, 0, 0])).tolist() == [9.0, 9.0, 9.0]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sets(st.integers(0, 15), min_size=1, max_size=8), min_size=1, max_size=8), st.integers(0, 2**32 - 1))
def test_row_overlaps_and_minhash_bands_match_sets(rows, seed):
    indptr = np.r_[0, np.cumsum([len(r) for r in rows])]
    indices = np.concatenate([np.array(sorted(r), dtype=np.int32)[::-1] for r in rows])
    rng = np.random.default_rng(seed)
    left, right = np.sort(rng.integers(0, len(rows), 20)), rng.integers(0, len(rows), 20)
    expected = [len(rows[i] & rows[j]) for i, j in zip(left, right, strict=True)]
    assert row_overlaps(indptr, indices, left, right, n_cols=16).tolist() == expected

    salts = splitmix(np.arange(1, 9, dtype=np.uint64))
    odds = splitmix(salts) | np.uint64(1)
    keys = minhash_bands(indptr, indices, salts, odds, 4)
    for i, row in enumerate(rows):
        base = splitmix(np.array(sorted(row), dtype=np.uint64))
        signature = [((base ^ s) * o).min() for s, o in zip(salts, odds, strict=True)]
        for b in range(2):
            key = signature[4 * b]
            for value in signature[4 * b + 1:4 * b + 4]:
                key = splitmix(np.array([key ^ value], dtype=np.uint64))[0]
            assert keys[i, b] == key


def _word_reference(text: str | None, fold: np.ndarray, kind: np.ndarray) -> list[tuple[int, bool, tuple[int, ...]]]:
    """The words of one text as (clause, in a question, folded code points) (Python, per
    character): a question is a sentence with ? after its first word, before the next
    sentence's; . ! ? and an emoji end a sentence."""
    cps = [int(fold[ord(c)]) for c in text or "" if fold[ord(c)] != DROP]
    kinds = [int(kind[c]) for c in cps]
    words: list[tuple[int, int, tuple[int, ...]]] = []
    current: list[int] = []
    clause, broken, sentence, ended, questions = 0, False, -1, True, set()

    def start() -> tuple[int, int]:
        nonlocal clause, broken, sentence, ended
        clause += broken and bool(words)
        sentence += ended
        broken = ended = False
        return clause, sentence

    for q, (c, k) in enumerate(zip(cps, kinds, strict=True)):
        inner = 0 < q < len(cps) - 1 and kinds[q - 1] == WORD and kinds[q + 1] == WORD
        if k == WORD or (k == APOSTROPHE and inner):
            if not current:
                current_clause = start()
            current.append(c)
            continue
        if current:
            words.append((*current_clause, tuple(current)))
            current = []
        broken |= k in (BREAK, END, QUESTION)
        ended |= k in (END, QUESTION)
        if k == QUESTION and sentence >= 0:
            questions.add(sentence)
        if k == EMOJI:  # a word of its own that ends its sentence
            words.append((*start(), (c,)))
            ended = True
    words = [*words, (*current_clause, tuple(current))] if current else words
    return [(c, s in questions, w) for c, s, w in words]


def _hash_reference(word: tuple[int, ...]) -> int:
    mask, prime, mix = 2**64 - 1, 0x100000001B3, 0x9E3779B97F4A7C15
    total = sum(c * pow(prime, i, 2**64) for i, c in enumerate(word)) + len(word)
    return total * mix & mask


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(st.sampled_from([*"ab 'x!,.?", "’", "ـ", "ك", "😀", "۱", "؟"]),
                                             max_size=15)), max_size=20), st.integers(0, 3))
def test_tokenize_utf8_matches_per_character_reference(texts, start):
    fold = _table()
    kind = np.zeros(0x110000, dtype=np.uint8)
    kind[[ord(c) for c in "abxک۱"]] = WORD
    kind[ord("😀")] = EMOJI
    kind[[ord("'"), 0x2019]] = APOSTROPHE
    kind[ord(",")], kind[[ord("!"), ord(".")]], kind[[ord("?"), ord("؟")]] = BREAK, END, QUESTION
    hashes, text, position, clause, question, cp, begin, end = tokenize_utf8(
        pa.array(texts, pa.large_string())[start:], fold, kind)
    expected = [(i, p, c, q, w) for i, t in enumerate(texts[start:])
                for p, (c, q, w) in enumerate(_word_reference(t, fold, kind))]
    got = [(int(text[j]), int(position[j]), int(clause[j]), bool(question[j]), tuple(cp[begin[j]:end[j]].tolist()))
           for j in range(len(hashes))]
    assert got == expected
    assert hashes.tolist() == [_hash_reference(w) for *_, w in expected]


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from("aabیی"), max_size=12), st.integers(1, 3), st.sampled_from([0, ord("ه")]))
def test_squeezed_hash_is_the_hash_of_the_squeezed_word(word, keep, extra):
    squeezed = "".join(run if len(run) < 3 else run[:keep]
                       for run in (m.group(0) for m in re.finditer(r"(.)\1*", word))) + (chr(extra) if extra else "")
    cp = np.array([ord(c) for c in word], dtype=np.uint32)
    assert int(squeezed_hash(cp, 0, len(cp), keep, extra)) == _hash_reference(tuple(map(ord, squeezed)))


@settings(max_examples=100, deadline=None)
@given(TEXTS)
def test_category_counts_match_per_character_counts(texts):
    ids = np.zeros(0x110000, dtype=np.uint8)
    ids[[ord(c) for c in "ab"]], ids[[ord("ك"), ord("ی")]] = 1, 2
    expected = [[sum(int(ids[ord(c)]) == k for c in t or "") for k in range(3)] for t in texts]
    assert category_counts(pa.array(texts, pa.large_string()), ids, 3).tolist() == expected


@settings(max_examples=100, deadline=None)
@given(st.sets(st.integers(0, 2**64 - 1), max_size=200), st.lists(st.integers(0, 2**64 - 1), max_size=50))
def test_hash_index_finds_exactly_its_keys(keys, others):
    keys = sorted(keys)
    index = HashIndex(np.array(keys, dtype=np.uint64))
    row = {k: i for i, k in enumerate(keys)}
    probe = keys + others
    assert index.find(np.array(probe, dtype=np.uint64)).tolist() == [row.get(k, -1) for k in probe]
