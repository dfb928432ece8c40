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

from csqa.text.lexicons import as_arrow, map_strings
from csqa.text.normalize import EMAIL, letters_array

# international (+ or 00), local trunk 0 (09121234567, 0501234567), (977) 625-2661, 415-555-0134;
# a bare run of digits without these shapes is an order or account number, not a phone
PHONE = (r"(?:\+|00)\d(?:[ ().-]{0,2}\d){7,14}|\(\d{2,4}\)[ .-]?\d(?:[ .-]?\d){5,9}"
         r"|(?:^|[^\d])0\d(?:[ .-]?\d){8,10}|\d{3}[ .-]\d{3}[ .-]\d{4}")
DATE = r"\d{4}[/.-]\d{1,2}[/.-]\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
IDENTIFIER = r"(?:[a-z]{1,4}[-#]?)?#?\d(?:[-/]?\d){4,}"
ENTITY_KINDS = ("order", "email", "phone")


def entity_flags(normalized: pd.Series) -> pd.DataFrame:
    """Per text: contains an order/reference-like number (5+ digits that are not a date,
    an e-mail or a phone number), an e-mail address, a phone number (international,
    trunk-0 or (area) shapes; a bare run of digits is taken as an order number)."""
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
        "order": pc.match_substring_regex(pc.replace_substring_regex(without, PHONE, " "), IDENTIFIER),
        "email": email,
        "phone": pc.match_substring_regex(without, PHONE),
    }
    for kind, hit in found.items():
        flags.iloc[candidates, flags.columns.get_loc(kind)] = pc.fill_null(hit, False).to_numpy(zero_copy_only=False)
    return flags


def similarity_text(normalized: pd.Series) -> pd.Series:
    """The words of the text without e-mails, numbers and punctuation (ZWNJ kept), for
    comparing what two messages *say*: a shared order number alone is not a restatement."""
    def words(arr: pa.Array) -> pa.Array:
        has_at = pc.fill_null(pc.match_substring(arr, "@"), False)
        if pc.any(has_at).as_py():
            arr = pc.if_else(has_at, pc.replace_substring_regex(arr, EMAIL, " "), arr)
        return letters_array(arr)

    return map_strings(words, normalized)
