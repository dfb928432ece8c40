"""Compiled inner loops (numba) for the text and sparse steps numpy can only do with sorts or large copies.

Each kernel works on the flat arrays of CSR matrices (``indptr``, ``indices``, ``data``)
and releases the GIL, so the callers' thread chunks (:mod:`csqa.parallel`) run them on
all cores. Column indices need not be sorted within a row. Compiled code is cached beside
this file (or in numba's user cache where that is not writable).

>>> import scipy.sparse as sp
>>> X = sp.csr_matrix(np.array([[1.0, 2.0, 0.0], [0.0, 3.0, 4.0]], dtype=np.float32))
>>> row_dots(X, np.array([0, 1]), np.array([1, 1])).tolist()
[6.0, 25.0]
>>> C = ngram_counts(np.array([97, 98, 97, 98]), np.array([4]), ngram_range=(2, 2), bits=8, pad=False)
>>> C.shape, sorted(C.data.tolist())
((1, 256), [1.0, 2.0])
"""

from __future__ import annotations

import numba
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

from csqa.arrays import splitmix

jit = numba.njit(cache=True, nogil=True)  # compiled, cached beside the module, without the GIL


@jit
def _scattered_dots(indptr, indices, data, left, right, dense, out):
    current = -1  # row left[k] is scattered into ``dense`` (all zeros before), kept while left repeats
    for k in range(len(left)):
        i, j = left[k], right[k]
        if i != current:
            if current >= 0:
                for p in range(indptr[current], indptr[current + 1]):
                    dense[indices[p]] = 0
            for p in range(indptr[i], indptr[i + 1]):
                dense[indices[p]] += data[p]
            current = i
        total = 0.0
        for q in range(indptr[j], indptr[j + 1]):
            total += dense[indices[q]] * data[q]
        out[k] = total


def row_dots(matrix: sp.csr_matrix, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Dot product of rows ``left[k]`` and ``right[k]`` for every k, in float64 (fastest
    when pairs sharing a left row are adjacent)."""
    out = np.empty(len(left), dtype=np.float64)
    if len(left):
        _scattered_dots(matrix.indptr, matrix.indices, matrix.data, np.asarray(left, np.int64),
                        np.asarray(right, np.int64), np.zeros(matrix.shape[1], np.float64), out)
    return out


@jit
def _sublinear_tfidf(indptr, indices, counts, weights, out):
    for i in range(len(indptr) - 1):
        total = 0.0
        for p in range(indptr[i], indptr[i + 1]):
            value = (1.0 + np.log(np.float64(counts[p]))) * weights[indices[p]]
            out[p] = value
            total += value * value
        if total > 0.0:
            scale = 1.0 / np.sqrt(total)
            for p in range(indptr[i], indptr[i + 1]):
                out[p] = out[p] * scale


def sublinear_tfidf(counts: sp.csr_matrix, weights: np.ndarray) -> np.ndarray:
    """CSR data of ``(1 + log count) * weights[column]`` with each row scaled to unit L2
    norm (float32, same structure as ``counts``)."""
    out = np.empty(len(counts.data), dtype=np.float32)
    _sublinear_tfidf(counts.indptr, counts.indices, counts.data, weights.astype(np.float64), out)
    return out


_PRIME = np.uint64(0x100000001B3)
_MIX = np.uint64(0x9E3779B97F4A7C15)


@jit
def _ngram_counts(cp, lengths, low, high, bits, pad, indptr, out_columns, out_counts):
    width = np.uint64((1 << bits) // (high - low + 1))
    dense = np.zeros(1 << bits, dtype=np.float32)
    longest = lengths.max() + 2 if len(lengths) else 0
    seen = np.empty(longest * (high - low + 1), dtype=np.int64)
    buffer = np.empty(longest, dtype=np.uint64)
    start, n = 0, 0
    for i in range(len(lengths)):
        length = lengths[i]
        if length == 0:
            indptr[i + 1] = n
            continue
        text = buffer[:length + 2 if pad else length]
        offset = 1 if pad else 0
        for p in range(length):
            text[p + offset] = np.uint64(cp[start + p])
        if pad:
            text[0] = np.uint64(0x20)
            text[length + 1] = np.uint64(0x20)
        start += length
        n_seen = 0
        for slot in range(high - low + 1):
            k = low + slot
            for p in range(len(text) - k + 1):
                if k <= 3:  # up to three 21-bit code points pack into one key exactly
                    h = text[p]
                    for j in range(1, k):
                        h = (h << np.uint64(21)) | text[p + j]
                else:
                    h = text[p] * _PRIME
                    for j in range(1, k):
                        h = (h ^ text[p + j]) * _PRIME
                h = h * _MIX
                column = np.int64((h >> np.uint64(32)) % width + np.uint64(slot) * width)
                dense[column] += 1.0
                seen[n_seen] = column
                n_seen += 1
        for p in range(n_seen):
            column = seen[p]
            if dense[column] > 0.0:
                out_columns[n] = column
                out_counts[n] = dense[column]
                dense[column] = 0.0
                n += 1
        indptr[i + 1] = n


def ngram_counts(cp: np.ndarray, lengths: np.ndarray, *, ngram_range: tuple[int, int], bits: int,
                 pad: bool) -> sp.csr_matrix:
    """Counts of hashed character n-grams, one row per text (``cp``: the texts' code
    points concatenated, ``lengths``: code points per text). With ``pad`` a space is
    added at both ends of every non-empty text; each n-gram size gets its own slice of
    the ``2**bits`` columns. A row holds each column once, in order of first occurrence."""
    low, high = ngram_range
    lengths = np.asarray(lengths, dtype=np.int64)
    upper = int(np.maximum(lengths + (2 if pad else 0) - low + 1, 0)[lengths > 0].sum()) * (high - low + 1)
    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    out_columns = np.empty(upper, dtype=np.int32)
    out_counts = np.empty(upper, dtype=np.float32)
    _ngram_counts(np.asarray(cp, np.uint32), lengths, low, high, bits, pad, indptr, out_columns, out_counts)
    n = indptr[-1]
    return sp.csr_matrix((out_counts[:n].copy(), out_columns[:n].copy(), indptr), shape=(len(lengths), 1 << bits))


DROP = np.uint32(0xFFFFFFFF)  # a table value that removes the character


@jit
def _decode(data, p):
    """(code point of the UTF-8 character at byte ``p``, the byte after it)."""
    b0 = np.uint32(data[p])
    if b0 < 0x80:
        return b0, p + 1
    if b0 < 0xE0:
        return ((b0 & 0x1F) << 6) | (np.uint32(data[p + 1]) & 0x3F), p + 2
    if b0 < 0xF0:
        return ((b0 & 0x0F) << 12) | ((np.uint32(data[p + 1]) & 0x3F) << 6) | (np.uint32(data[p + 2]) & 0x3F), p + 3
    return (((b0 & 0x07) << 18) | ((np.uint32(data[p + 1]) & 0x3F) << 12)
            | ((np.uint32(data[p + 2]) & 0x3F) << 6) | (np.uint32(data[p + 3]) & 0x3F)), p + 4


@jit
def _map_utf8(offsets, data, first, table, other_table, use_other, out_offsets, out):
    n = 0
    for i in range(len(offsets) - 1):
        chosen = other_table if use_other[i] else table
        p, end = offsets[i] - first, offsets[i + 1] - first
        pending_space = False
        row_start = n
        while p < end:
            c, p = _decode(data, p)
            c = chosen[c]
            if c == 0xFFFFFFFF:
                continue
            if c == 0x20:
                pending_space = n > row_start
                continue
            if pending_space:
                out[n] = 0x20
                n += 1
                pending_space = False
            if c < 0x80:
                out[n] = c
                n += 1
            elif c < 0x800:
                out[n] = 0xC0 | (c >> 6)
                out[n + 1] = 0x80 | (c & 0x3F)
                n += 2
            elif c < 0x10000:
                out[n] = 0xE0 | (c >> 12)
                out[n + 1] = 0x80 | ((c >> 6) & 0x3F)
                out[n + 2] = 0x80 | (c & 0x3F)
                n += 3
            else:
                out[n] = 0xF0 | (c >> 18)
                out[n + 1] = 0x80 | ((c >> 12) & 0x3F)
                out[n + 2] = 0x80 | ((c >> 6) & 0x3F)
                out[n + 3] = 0x80 | (c & 0x3F)
                n += 4
        out_offsets[i + 1] = n
    return n


def _utf8_buffers(arr: pa.Array) -> tuple[np.ndarray, np.ndarray, int]:
    """(offsets, data bytes, first offset) of a large_string array (missing rows are empty)."""
    arr = arr.cast(pa.large_string())
    _, offsets, data = arr.buffers()
    offsets = np.frombuffer(offsets, dtype=np.int64)[arr.offset:arr.offset + len(arr) + 1]
    data = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
    return offsets, data[offsets[0]:offsets[-1]], int(offsets[0])


def map_characters(arr: pa.Array, table: np.ndarray, *, other_table: np.ndarray | None = None,
                   use_other: np.ndarray | None = None) -> pa.Array:
    """Every character of every string replaced by ``table[code point]`` (``DROP``
    removes it; rows where ``use_other`` is True use ``other_table``), then runs of
    spaces squeezed to one and the ends stripped, in one pass over the UTF-8 bytes.
    Missing strings stay missing.

    >>> table = np.arange(0x110000, dtype=np.uint32)
    >>> table[ord("-")], table[ord("!")] = 0x20, DROP
    >>> map_characters(pa.array([" a--b! ", None, "سلام-"]), table).to_pylist()
    ['a b', None, 'سلام']
    """
    offsets, data, first = _utf8_buffers(pc.fill_null(arr, "") if arr.null_count else arr)
    out_offsets = np.zeros(len(arr) + 1, dtype=np.int64)
    out = np.empty(2 * len(data), dtype=np.uint8)  # a character's UTF-8 form can grow by one byte
    other = table if other_table is None else other_table
    flags = np.zeros(len(arr), dtype=np.bool_) if use_other is None else np.asarray(use_other, dtype=np.bool_)
    n = _map_utf8(offsets, data, first, table, other, flags, out_offsets, out)
    validity = None
    if arr.null_count:
        validity = pa.py_buffer(np.packbits(arr.is_valid().to_numpy(zero_copy_only=False), bitorder="little"))
    return pa.LargeStringArray.from_buffers(len(arr), pa.py_buffer(out_offsets), pa.py_buffer(out[:n].copy()),
                                            validity, arr.null_count)


def rows_with(arr: pa.Array, flagged: np.ndarray) -> np.ndarray:
    """Per string: does it hold a character whose code point is True in ``flagged``?"""
    return category_counts(arr, np.asarray(flagged, dtype=np.uint8), 2)[:, 1] > 0


_splitmix = jit(splitmix)  # the numpy function, compiled for scalars


@jit
def _minhash_bands(indptr, indices, salts, odds, band, out):
    n_hashes = len(salts)
    signature = np.empty(n_hashes, dtype=np.uint64)
    for i in range(len(indptr) - 1):
        signature[:] = np.uint64(0xFFFFFFFFFFFFFFFF)
        for p in range(indptr[i], indptr[i + 1]):
            base = _splitmix(np.uint64(indices[p]))
            for j in range(n_hashes):
                value = (base ^ salts[j]) * odds[j]
                if value < signature[j]:
                    signature[j] = value
        for b in range(n_hashes // band):
            key = signature[b * band]
            for j in range(b * band + 1, (b + 1) * band):
                key = _splitmix(key ^ signature[j])
            out[i, b] = key


def minhash_bands(indptr: np.ndarray, indices: np.ndarray, salts: np.ndarray, odds: np.ndarray,
                  band: int) -> np.ndarray:
    """(rows, len(salts) // band) band keys of the MinHash signatures of the column sets
    ``indices[indptr[i]:indptr[i + 1]]`` (``indptr`` may be a slice of a larger one): hash
    ``j`` of a column ``c`` is ``(splitmix(c) ^ salts[j]) * odds[j]`` (mod 2**64), its
    minimum over the row's columns is signature entry ``j``, and the entries of a band are
    folded into one key by ``key = splitmix(key ^ next)``. Rows must not be empty."""
    out = np.empty((len(indptr) - 1, len(salts) // band), dtype=np.uint64)
    _minhash_bands(indptr, indices, np.asarray(salts, np.uint64), np.asarray(odds, np.uint64), band, out)
    return out


def row_overlaps(indptr: np.ndarray, indices: np.ndarray, left: np.ndarray, right: np.ndarray, *,
                 n_cols: int) -> np.ndarray:
    """How many columns rows ``left[k]`` and ``right[k]`` share, for sets of columns (each
    column at most once per row; row ``i`` is ``indices[indptr[i]:indptr[i + 1]]``).

    >>> row_overlaps(np.array([0, 3, 5]), np.array([4, 1, 2, 2, 7]), np.array([0, 1]), np.array([1, 1]), n_cols=8)
    array([1, 2])
    """
    out = np.empty(len(left), dtype=np.int64)
    if len(left):  # a dot product of 0/1 rows, marks in bytes (a small array stays in cache)
        ones = np.broadcast_to(np.uint8(1), len(indices))
        _scattered_dots(indptr, indices, ones, np.asarray(left, np.int64), np.asarray(right, np.int64),
                        np.zeros(n_cols, np.uint8), out)
    return out


# ---- hash index: uint64 keys -> row, open addressing with linear probing ----

@jit
def _fill_slots(keys, slot_keys, slot_rows, shift):
    mask = len(slot_keys) - 1
    for r in range(len(keys)):
        s = np.int64(keys[r] >> shift)
        while slot_rows[s] >= 0 and slot_keys[s] != keys[r]:
            s = (s + 1) & mask
        if slot_rows[s] < 0:  # a repeated key keeps its first row
            slot_keys[s] = keys[r]
            slot_rows[s] = r


@jit
def find_key(slot_keys, slot_rows, shift, key):
    """Row of ``key`` in the index, -1 when absent."""
    mask = len(slot_keys) - 1
    s = np.int64(key >> shift)
    while slot_rows[s] >= 0:
        if slot_keys[s] == key:
            return slot_rows[s]
        s = (s + 1) & mask
    return -1


@jit
def _find_all(slot_keys, slot_rows, shift, keys, out):
    for i in range(len(keys)):
        out[i] = find_key(slot_keys, slot_rows, shift, keys[i])


class HashIndex:
    """Row of each of a set of well-mixed uint64 keys (such as word hashes), found in a
    compiled open-addressing table; :meth:`find` is a vectorised lookup.

    >>> index = HashIndex(np.array([7 << 60, 3 << 60, 5], dtype=np.uint64))
    >>> index.find(np.array([3 << 60, 9, 5], dtype=np.uint64)).tolist()
    [1, -1, 2]
    """

    def __init__(self, keys: np.ndarray):
        keys = np.asarray(keys, dtype=np.uint64)
        bits = max(int(2 * len(keys)).bit_length(), 4)  # at most half full
        self.shift = np.uint64(64 - bits)
        self.slot_keys = np.zeros(1 << bits, dtype=np.uint64)
        self.slot_rows = np.full(1 << bits, -1, dtype=np.int64)
        _fill_slots(keys, self.slot_keys, self.slot_rows, self.shift)

    def find(self, keys: np.ndarray) -> np.ndarray:
        """Row of each key, -1 where absent."""
        out = np.empty(len(keys), dtype=np.int64)
        _find_all(self.slot_keys, self.slot_rows, self.shift, np.asarray(keys, dtype=np.uint64), out)
        return out


# ---- words: decode, fold, cut and hash in one pass ----

# character kinds: BREAK ends a clause, END a sentence, QUESTION a question (both end a clause too); 0: anything else
WORD, EMOJI, APOSTROPHE, BREAK, END, QUESTION = 1, 2, 3, 4, 5, 6
_PAIR_SALT = np.uint64(0x632BE59BD9B4E019)


@jit
def word_hash(cp, start, end):
    """Hash of the word ``cp[start:end]``: (Σ cp[i]·P^(i-start) + length) · MIX (mod 2**64)."""
    h = np.uint64(0)
    power = np.uint64(1)
    for i in range(start, end):
        h += np.uint64(cp[i]) * power
        power *= _PRIME
    return (h + np.uint64(end - start)) * _MIX


@jit
def squeezed_hash(cp, start, end, keep, extra):
    """:func:`word_hash` of ``cp[start:end]`` with every run of three or more equal
    characters cut to ``keep`` of them («خیییلی» -> «خیلی» with keep=1) and the
    character ``extra`` appended when it is not 0.

    >>> cp = np.array([ord(c) for c in "baaad"], np.uint32)
    >>> bool(squeezed_hash(cp, 0, 5, 1, 0) == word_hash(np.array([ord(c) for c in "bad"], np.uint32), 0, 3))
    True
    """
    h = np.uint64(0)
    power = np.uint64(1)
    length = 0
    i = start
    while i < end:
        run = i + 1
        while run < end and cp[run] == cp[i]:
            run += 1
        for _ in range(min(run - i, keep) if run - i >= 3 else run - i):
            h += np.uint64(cp[i]) * power
            power *= _PRIME
            length += 1
        i = run
    if extra:
        h += np.uint64(extra) * power
        length += 1
    return (h + np.uint64(length)) * _MIX


@jit
def pair_hash(first, second):
    """Hash of two consecutive words from their :func:`word_hash` es (scalars or arrays).

    >>> int(pair_hash(np.uint64(1), np.uint64(2))) == (0x9E3779B97F4A7C15 ^ (2 + 0x632BE59BD9B4E019)) % 2**64
    True
    """
    return (first * _MIX) ^ (second + _PAIR_SALT)


@jit
def _tokenize(offsets, data, first, fold, kind, buffer, hashes, texts, positions, clauses, questions, cp, starts,
              ends):
    n_words, n_cp = 0, 0
    for i in range(len(offsets) - 1):
        p, end = offsets[i] - first, offsets[i + 1] - first
        m = 0
        while p < end:  # folded code points of the text, dropped ones left out
            c, p = _decode(data, p)
            c = fold[c]
            if c != 0xFFFFFFFF:
                buffer[m] = c
                m += 1
        position = 0
        clause = 0
        broken = False  # a clause break since the last word
        previous_word = False
        open_word = False
        sentence = n_words  # the first word of the sentence being read
        ended = False  # a sentence end since the last word
        for q in range(m):
            k = kind[buffer[q]]
            broken |= k >= BREAK
            word = k == WORD or (k == APOSTROPHE and 0 < q < m - 1 and kind[buffer[q - 1]] == WORD
                                 and kind[buffer[q + 1]] == WORD)
            if not (word and previous_word) and open_word:  # the open word ends here
                hashes[n_words] = word_hash(cp, starts[n_words], n_cp)
                ends[n_words] = n_cp
                n_words += 1
                open_word = False
            if k == QUESTION:  # the words of the sentence so far ask something
                questions[sentence:n_words] = True
            ended |= k >= END
            if word or k == EMOJI:
                if not open_word:
                    if broken and position > 0:
                        clause += 1
                    broken = False
                    if ended:
                        sentence = n_words
                        ended = False
                    questions[n_words] = False
                    starts[n_words] = n_cp
                    texts[n_words] = i
                    positions[n_words] = position
                    clauses[n_words] = clause
                    position += 1
                    open_word = True
                cp[n_cp] = buffer[q]
                n_cp += 1
                if k == EMOJI:  # an emoji is a word on its own and ends its sentence
                    hashes[n_words] = word_hash(cp, starts[n_words], n_cp)
                    ends[n_words] = n_cp
                    n_words += 1
                    open_word = False
                    ended = True
            previous_word = word
        if open_word:
            hashes[n_words] = word_hash(cp, starts[n_words], n_cp)
            ends[n_words] = n_cp
            n_words += 1
    return n_words, n_cp


def tokenize_utf8(arr: pa.Array, fold: np.ndarray, kind: np.ndarray) -> tuple[np.ndarray, ...]:
    """The words of every string: each character mapped by ``fold`` (``DROP`` removes it),
    classed by ``kind[folded]`` (:data:`WORD`, :data:`EMOJI`, :data:`APOSTROPHE` -- part of a
    word only between two word characters --, :data:`BREAK` -- ends a clause --, :data:`END`
    -- ends a sentence --, :data:`QUESTION` -- ends a question -- or 0), runs of word
    characters and single emoji cut out (an emoji ends its sentence too). Returns (hash, text, position, clause, question,
    cp, start, end) per word: its :func:`word_hash`, the string it came from, its place
    there (0-based), the clause of the string it is in (0-based), whether its sentence
    ends in a question mark and where its folded code points lie in ``cp``. Missing
    strings have no words.

    >>> kind = np.zeros(0x110000, np.uint8); kind[ord("a"):ord("z") + 1] = WORD
    >>> kind[ord(",")], kind[ord(".")], kind[ord("?")] = BREAK, END, QUESTION
    >>> h, text, position, clause, question, cp, start, end = tokenize_utf8(
    ...     pa.array(["ab, c", None, "d. e, f?"]), np.arange(0x110000, dtype=np.uint32), kind)
    >>> text.tolist(), position.tolist(), clause.tolist(), question.tolist(), start.tolist(), end.tolist()
    ([0, 0, 2, 2, 2], [0, 1, 0, 1, 2], [0, 1, 0, 1, 2], [False, False, False, True, True], [0, 2, 3, 4, 5], [2, 3, 4, 5, 6])
    """
    offsets, data, first = _utf8_buffers(pc.fill_null(arr, "") if arr.null_count else arr)
    size = len(data)  # no more characters, nor words, than bytes
    hashes = np.empty(size, np.uint64)
    texts, positions, clauses, starts, ends = (np.empty(size, np.int64) for _ in range(5))
    questions = np.empty(size, np.bool_)
    cp = np.empty(size, np.uint32)
    longest = int(np.diff(offsets).max()) if len(offsets) > 1 else 0
    n_words, n_cp = _tokenize(offsets, data, first, fold, kind, np.empty(longest, np.uint32), hashes, texts,
                              positions, clauses, questions, cp, starts, ends)
    # views, not copies: the untouched tail of each buffer was never written, so it holds no memory
    return (hashes[:n_words], texts[:n_words], positions[:n_words], clauses[:n_words], questions[:n_words],
            cp[:n_cp], starts[:n_words], ends[:n_words])


@jit
def _category_counts(offsets, data, first, ids, out):
    for i in range(len(offsets) - 1):
        p, end = offsets[i] - first, offsets[i + 1] - first
        while p < end:
            c, p = _decode(data, p)
            out[i, ids[c]] += 1


def category_counts(arr: pa.Array, ids: np.ndarray, n_ids: int) -> np.ndarray:
    """(strings, n_ids) counts of each string's characters by ``ids[code point]``.

    >>> ids = np.zeros(0x110000, np.uint8); ids[ord("a")] = 1
    >>> category_counts(pa.array(["aab", None]), ids, 2).tolist()
    [[1, 2], [0, 0]]
    """
    offsets, data, first = _utf8_buffers(pc.fill_null(arr, "") if arr.null_count else arr)
    out = np.zeros((len(arr), n_ids), dtype=np.int64)
    _category_counts(offsets, data, first, ids, out)
    return out
