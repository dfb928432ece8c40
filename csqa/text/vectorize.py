"""A fast character n-gram TF-IDF vectoriser for similarity between short messages.

Character n-grams need no tokeniser, so one vectoriser serves English, Arabic and
Persian. The n-grams of all texts are hashed at once with numpy (no Python loop
over messages) into a fixed number of columns, weighted by sublinear TF-IDF and
L2-normalised, so the dot product of two rows is their cosine similarity.

Any object with a ``fit_transform(list_of_str) -> sparse matrix`` method can be
used instead (for instance ``sklearn.feature_extraction.text.TfidfVectorizer``).

>>> X = CharNgramVectorizer().fit_transform(["my order is late", "my order is late!", "refund please"])
>>> S = (X @ X.T).toarray()
>>> bool(S[0, 1] > 0.8 > 0.1 > S[0, 2])
True
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import scipy.sparse as sp

from csqa.kernels import ngram_counts, row_dots, sublinear_tfidf
from csqa.parallel import map_chunks
from csqa.text.codepoints import to_codepoints
from csqa.text.lexicons import as_arrow

_CHUNK = 10_000  # texts hashed per step


@dataclass(frozen=True)
class CharNgramVectorizer:
    """Hashed character n-grams (``ngram_range`` inclusive) weighted by TF-IDF.

    ``n_features`` is rounded up to a power of two; collisions at the default
    2**20 are rare for message-length texts.
    """

    ngram_range: tuple[int, int] = (3, 3)
    n_features: int = 2**20
    pad: bool = True  # add a space at both ends so first and last characters count as word edges

    def __post_init__(self) -> None:
        low, high = self.ngram_range
        if not (1 <= low <= high <= 8):
            raise ValueError(f"The 'ngram_range' parameter of CharNgramVectorizer must be (low, high) "
                             f"with 1 <= low <= high <= 8. Got {self.ngram_range!r} instead.")

    def fit_transform(self, texts: Sequence[str] | pa.Array | pd.Series) -> sp.csr_matrix:
        """Rows = texts (missing or empty texts give empty rows)."""
        arr = _as_strings(texts)
        blocks = [self.counts(arr[i:i + _CHUNK]) for i in range(0, len(arr), _CHUNK)]
        if not blocks:
            return sp.csr_matrix((0, 1 << self._bits()), dtype=np.float32)
        counts = sp.vstack(blocks, format="csr")
        return tfidf(counts, idf(np.bincount(counts.indices, minlength=counts.shape[1]), counts.shape[0]))

    @property
    def n_columns(self) -> int:
        """Columns of the matrices it makes (``n_features`` rounded up to a power of two)."""
        return 1 << self._bits()

    def _bits(self) -> int:
        return max(1, int(np.ceil(np.log2(self.n_features))))

    def counts(self, texts: Sequence[str] | pa.Array | pd.Series) -> sp.csr_matrix:
        """Raw n-gram counts (float32), one row per text; each row holds a column once,
        in order of first occurrence (indices are not sorted within rows)."""
        cp, lengths = to_codepoints(_as_strings(texts))
        return ngram_counts(cp, lengths, ngram_range=self.ngram_range, bits=self._bits(), pad=self.pad)


def _as_strings(texts) -> pa.Array:
    """Texts as an Arrow large_string array (None and NaN are missing)."""
    if isinstance(texts, pd.Series):
        return as_arrow(texts).combine_chunks()
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    if isinstance(texts, pa.Array):
        return texts.cast(pa.large_string())
    values = [t if isinstance(t, str) else None if t is None or t != t else str(t) for t in texts]
    return pa.array(values, type=pa.large_string())


def idf(document_frequency: np.ndarray, n_docs: int) -> np.ndarray:
    """Smoothed inverse document frequency per column."""
    return (np.log((1.0 + n_docs) / (1.0 + document_frequency)) + 1.0).astype(np.float32)


def tfidf(counts: sp.csr_matrix, weights: np.ndarray) -> sp.csr_matrix:
    """Sublinear TF times ``weights`` (IDF), rows L2-normalised (a new matrix)."""
    return sp.csr_matrix((sublinear_tfidf(counts, weights), counts.indices, counts.indptr), shape=counts.shape)


def row_similarity(matrix: sp.spmatrix, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Dot product of rows ``left[k]`` and ``right[k]`` for every k (cosine for L2-normalised rows).

    >>> X = CharNgramVectorizer().fit_transform(["abc abc", "abc abc", "xyz"])
    >>> row_similarity(X, np.array([0, 0]), np.array([1, 2])).round(3).tolist()
    [1.0, 0.0]
    """
    return row_dots(sp.csr_matrix(matrix), left, right)


def pair_similarity(texts: Sequence[str] | pa.Array | pd.Series, later: np.ndarray, earlier: np.ndarray, groups: np.ndarray,
                    *, rows: np.ndarray | None = None, vectorizer=None,
                    frequency: tuple[np.ndarray, int] | None = None) -> np.ndarray:
    """Cosine similarity of ``texts[later[k]]`` and ``texts[earlier[k]]`` for every pair.

    Pairs link texts of the same group (``groups``: non-decreasing code per text),
    ``later`` sorted. ``rows``: positions in ``texts`` of the texts compared (default
    all; ``later``, ``earlier``, ``groups`` and the IDF then refer to ``texts[rows]``,
    taken a chunk at a time instead of copied whole). The default vectoriser works
    group-aligned chunk by chunk (IDF over all texts, or over a larger corpus when
    ``frequency`` gives its :func:`document_frequency`), so no matrix of all texts is
    ever built; any other vectoriser gets one ``fit_transform`` call.

    >>> pair_similarity(["my order is late", "my order is late", "refund"], np.array([1, 2]),
    ...                 np.array([0, 0]), np.array([0, 0, 0])).round(2).tolist()
    [1.0, 0.0]
    """
    if vectorizer is not None and not isinstance(vectorizer, CharNgramVectorizer):
        if frequency is not None:
            raise ValueError("pair_similarity: 'frequency' needs the default CharNgramVectorizer; "
                             f"got {type(vectorizer).__name__}")
        n, chunk = _selection(_arrow_texts(texts), rows)
        plain = [t or "" for t in chunk(0, n).to_pylist()]
        return row_similarity(vectorizer.fit_transform(plain), later, earlier)
    vectorizer = vectorizer or CharNgramVectorizer()
    texts = _arrow_texts(texts)  # once, shared with the document frequencies
    n, chunk = _selection(texts, rows)
    weights = idf(*(frequency if frequency is not None else document_frequency(texts, rows=rows,
                                                                                  vectorizer=vectorizer)))
    out = np.zeros(len(later), dtype=np.float64)

    def similarities(a: int, b: int) -> None:  # counted again: cheaper than keeping all counts in memory
        p, q = np.searchsorted(later, [a, b])
        if q > p:
            counts = vectorizer.counts(chunk(a, b))
            out[p:q] = row_similarity(tfidf(counts, weights), later[p:q] - a, earlier[p:q] - a)

    map_chunks(similarities, n, _CHUNK, bounds=_group_aligned_bounds(groups, _CHUNK))
    return out


def document_frequency(texts: Sequence[str] | pa.Array | pd.Series, *, rows: np.ndarray | None = None,
                       vectorizer=None) -> tuple[np.ndarray, int]:
    """(texts containing each hashed n-gram column, number of texts): the statistics
    behind the IDF, additive over parts of a corpus. ``rows``: count only ``texts[rows]``.

    >>> df, n = document_frequency(["abc", "abd"], vectorizer=CharNgramVectorizer(n_features=16))
    >>> n, int(df.sum())
    (2, 6)
    """
    vectorizer = vectorizer or CharNgramVectorizer()
    n, chunk = _selection(_arrow_texts(texts), rows)
    df = np.zeros(1 << vectorizer._bits(), dtype=np.int64)
    lock = threading.Lock()

    def count(a: int, b: int) -> None:
        block_df = np.bincount(vectorizer.counts(chunk(a, b)).indices, minlength=len(df))
        with lock:
            np.add(df, block_df, out=df)

    map_chunks(count, n, _CHUNK)
    return df, n


def _arrow_texts(texts: Sequence[str] | pa.Array | pd.Series) -> pa.Array | pa.ChunkedArray:
    """Texts as Arrow large strings; chunked texts stay chunked (not copied into one array)."""
    if isinstance(texts, pd.Series):
        return as_arrow(texts)
    if isinstance(texts, pa.ChunkedArray):
        return texts.cast(pa.large_string())
    return _as_strings(texts)


def _selection(texts: pa.Array | pa.ChunkedArray, rows: np.ndarray | None):
    """(number of texts selected, ``chunk(a, b)``: selected texts a..b-1 as an Arrow array)
    of :func:`_arrow_texts`. With ``rows`` (ascending), a chunk is taken from the slice of
    ``texts`` it spans, so the texts are never copied whole."""
    if rows is None:
        return len(texts), lambda a, b: _as_strings(texts.slice(a, b - a))
    rows = np.asarray(rows, dtype=np.int64)

    def chunk(a: int, b: int) -> pa.Array:
        if a >= b:
            return pa.array([], pa.large_string())
        first = int(rows[a])
        span = _as_strings(texts.slice(first, int(rows[b - 1]) + 1 - first))
        return span.take(pa.array(rows[a:b] - first))

    return len(rows), chunk


def _group_aligned_bounds(groups: np.ndarray, size: int) -> np.ndarray:
    """Chunk boundaries about ``size`` apart that never split a group."""
    n = len(groups)
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]]) if n else np.zeros(0, np.int64)
    targets = np.arange(size, n, size)
    cuts = starts[np.minimum(np.searchsorted(starts, targets), len(starts) - 1)] if len(starts) else targets
    return np.unique(np.r_[0, cuts[cuts > 0], n]).astype(np.int64)
