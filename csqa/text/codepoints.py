"""Many strings as one flat array of Unicode code points, without a Python object per
string (the Arrow UTF-8 buffer is decoded at once).

>>> import pyarrow as pa
>>> cp, lengths = to_codepoints(pa.array(["ab", None, "سلام"]))
>>> lengths.tolist(), len(cp)
([2, 0, 4], 6)
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def to_codepoints(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(code points of all strings concatenated as uint32, length of each string; 0 if missing)."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    arr = pc.fill_null(arr.cast(pa.large_string()), "")
    lengths = pc.utf8_length(arr).to_numpy(zero_copy_only=False).astype(np.int64)
    _, offsets, data = arr.buffers()
    if data is None:
        return np.zeros(0, np.uint32), lengths
    offsets = np.frombuffer(offsets, dtype=np.int64)[arr.offset:arr.offset + len(arr) + 1]
    text = str(memoryview(data)[offsets[0]:offsets[-1]], "utf-8")
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32), lengths

