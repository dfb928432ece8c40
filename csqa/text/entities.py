"""Data customers give in messages -- e-mail addresses, phone numbers, order and
account numbers -- found in normalised text (Persian and Arabic digits are ASCII
by then), and a masked copy of the text without them for similarity.

>>> import pandas as pd
>>> t = pd.Series(["order 123-45678, mail me at a.b@x.com", "call +98 912 345 6789", "on 2026-09-01"])
>>> entity_flags(t).values.tolist()
[[True, True, False], [False, False, True], [False, False, False]]
>>> similarity_text(t).tolist()
['order mail me at', 'call', 'on']
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from csqa.schema import STRING_DTYPE
from csqa.text.lexicons import as_arrow
from csqa.text.normalize import letters_only

EMAIL = r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+"
PHONE = r"(?:\+|00)?\d(?:[ ().-]{0,2}\d){8,14}"
DATE = r"\d{4}[/.-]\d{1,2}[/.-]\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
IDENTIFIER = r"(?:[a-z]{1,4}[-#]?)?#?\d(?:[-/]?\d){4,}"
ENTITY_KINDS = ("order", "email", "phone")


def entity_flags(normalized: pd.Series) -> pd.DataFrame:
    """Per text: contains an order/reference-like number (5+ digits, not a date or an
    e-mail), an e-mail address, a phone number (9-15 digits)."""
    arr = as_arrow(normalized)
    flags = pd.DataFrame(False, index=normalized.index, columns=list(ENTITY_KINDS))
    candidates = np.flatnonzero(pc.fill_null(pc.match_substring_regex(arr, r"\d|@"), False)
                                .to_numpy(zero_copy_only=False))
    if not len(candidates):
        return flags
    arr = arr.take(pa.array(candidates))
    email = pc.match_substring_regex(arr, EMAIL)
    without = pc.replace_substring_regex(pc.replace_substring_regex(arr, EMAIL, " "), DATE, " ")
    found = {
        "order": pc.match_substring_regex(without, IDENTIFIER),
        "email": email,
        "phone": pc.match_substring_regex(without, PHONE),
    }
    for kind, hit in found.items():
        flags.iloc[candidates, flags.columns.get_loc(kind)] = pc.fill_null(hit, False).to_numpy(zero_copy_only=False)
    return flags


def similarity_text(normalized: pd.Series) -> pd.Series:
    """The words of the text without e-mails, numbers and punctuation (ZWNJ kept), for
    comparing what two messages *say*: a shared order number alone is not a restatement."""
    arr = as_arrow(normalized)
    has_at = pc.fill_null(pc.match_substring(arr, "@"), False)
    if pc.any(has_at).as_py():
        arr = pc.if_else(has_at, pc.replace_substring_regex(arr, EMAIL, " "), arr)
    return letters_only(pd.Series(pd.array(arr, dtype=STRING_DTYPE), index=normalized.index))
