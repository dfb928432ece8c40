"""Array helpers: the hashed duplicate check on Arrow strings agrees with exact equality."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from csqa.arrays import _string_hashes, repeated

# short pieces so that equal strings are common; Persian with ZWNJ, long strings (> 32 bytes)
PIECES = st.sampled_from(["a", "b", "ab", "", "سلام", "\u200c", "x" * 33, "ي", "ی", "\x00"])
VALUES = st.lists(st.one_of(st.none(), st.lists(PIECES, max_size=4).map("".join)), max_size=40)


@settings(max_examples=300, deadline=None)
@given(VALUES, st.integers(0, 3))
def test_repeated_on_arrow_strings_equals_exact_equality(values, skip):
    arrow = pd.Series(values, dtype="str").iloc[skip:]   # iloc: an Arrow array with an offset
    exact = pd.Series(values, dtype=object).iloc[skip:]
    expected = exact.duplicated(keep="first").to_numpy() & exact.notna().to_numpy()
    assert repeated(arrow).tolist() == expected.tolist()


def test_hashes_are_equal_for_equal_strings_and_distinguish_near_ones():
    values = pd.Series(["order 12", "order 21", "order 12", "", "x" * 33 + "a", "x" * 33 + "b",
                        "a" + "x" * 32, "x" * 32 + "a", "سلام", "سلام\u200c"], dtype="str")
    h = _string_hashes(values)
    assert h[0] == h[2] and len(set(h[[0, 1, 3, 4, 5, 6, 8, 9]].tolist())) == 8
    # positions count mod 32, so these two collide; the duplicate check then compares exactly
    assert h[6] == h[7] and repeated(values).tolist() == [False, False, True] + [False] * 7
    assert _string_hashes(values.astype(object)) is None   # not Arrow: the exact path only


def test_a_hash_collision_falls_back_to_exact_equality(monkeypatch):
    """Equal hashes only mean "maybe": the values are then compared exactly."""
    import csqa.arrays

    monkeypatch.setattr(csqa.arrays, "_string_hashes", lambda values: np.zeros(len(values), np.uint64))
    assert repeated(pd.Series(["a", "b", "c", "b"], dtype="str")).tolist() == [False, False, False, True]
    assert not repeated(pd.Series(["a", "b"], dtype="str")).any()
