"""The conversations table of data larger than memory, or spread over a Dask cluster.

:func:`build_conversations_dask` gives exactly what :func:`csqa.metrics.build_conversations`
gives on the same messages, without ever holding them all in one process:

1. every row gets its input position (``_order``, so ties resolve as in pandas), and the
   rows are shuffled by ``conversation_id`` into a Parquet dataset: each partition then
   holds whole conversations;
2. pass 1, per partition: the document frequencies of the repeat detector's IDF (summed
   over partitions in a tree) and the MinHash band keys of the replies that could be canned;
3. the replies sharing a band key anywhere (the only ones that can be in a template) are
   fetched and clustered into templates in one place, as pandas would;
4. pass 2, per partition: every per-conversation column with those corpus statistics;
5. the small conversations table is gathered and repeat contacts (which compare a
   customer's conversations) are added.

Memory: one partition at a time per worker thread, plus, in the client, the band keys of
the replies (40 bytes each), the candidate template texts and the conversations table.
With a cluster, ``workdir`` must be storage every worker can read (default: a temporary
directory, right for one machine). Dask is an optional dependency: ``pip install csqa[dask]``.

>>> from csqa.sample import load_sample                                    # doctest: +SKIP
>>> table = build_conversations_dask(load_sample(), npartitions=4)         # doctest: +SKIP
>>> table.equals(build_conversations(load_sample()))                       # doctest: +SKIP
True
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path

import numpy as np
import pandas as pd

from csqa.errors import MissingDependencyError, SchemaError
from csqa.metrics.automation import canned_band_keys, canned_candidates, template_of
from csqa.metrics.conversations import conversation_columns, with_contacts
from csqa.metrics.frame import Ordered, prepare
from csqa.metrics.repeats import RepeatRule, _check_rule, repeat_frequency

ORDER = "_order"
_PART_BITS = 40  # _order = input partition << 40 | row within it


def _dask():
    try:
        import dask
        import dask.dataframe as dd
    except ImportError as err:
        raise MissingDependencyError("the Dask engine needs dask: pip install 'csqa[dask]'") from err
    return dask, dd


def read_messages_dask(paths: str | Path | Sequence[str | Path], *, blocksize: str = "64MB"):
    """Canonical messages (Parquet from ``csqa ingest``, or CSV with canonical columns and
    ISO 8601 timestamps) as a lazy Dask DataFrame read in blocks."""
    _, dd = _dask()
    items = [str(p) for p in ([paths] if isinstance(paths, str | Path) else paths)]
    if not items:
        raise SchemaError("read_messages_dask: no input paths")
    for item in items:
        if not any(c in item for c in "*?[") and not Path(item).exists():
            raise SchemaError(f"{item}: no such file or directory")
    if all(Path(i.rstrip("/")).suffix.lower() in (".csv", ".tsv") for i in items):
        sep = "\t" if items[0].lower().endswith(".tsv") else ","
        frame = dd.read_csv(items, sep=sep, dtype=str, blocksize=blocksize, keep_default_na=False,
                            na_values=[""], include_path_column="_file")
        return frame.map_partitions(_parse_csv_part, meta=_parse_csv_part(frame._meta))
    return dd.read_parquet(items, split_row_groups=True)  # row groups: partitions of bounded size


def _parse_csv_part(part: pd.DataFrame) -> pd.DataFrame:
    """Timestamps and seq of a CSV block parsed; a bad value is an error naming the file."""
    out = part.drop(columns="_file")
    for column, parse in (("timestamp", lambda s: pd.to_datetime(s, utc=True, format="ISO8601")),
                          ("seq", lambda s: pd.to_numeric(s).astype("int64"))):
        if column not in out.columns:
            continue
        try:
            out[column] = parse(out[column])
        except (ValueError, TypeError, OverflowError) as err:
            file = part["_file"].iloc[0] if len(part) else "?"
            raise SchemaError(f"{file}: column {column!r} expected "
                              f"{'ISO 8601 times' if column == 'timestamp' else 'integers'}: {err}") from None
    return out


def _numbered(part: pd.DataFrame, partition_info=None) -> pd.DataFrame:
    """Input position per row; roles and kinds as plain strings (categories are
    restored per partition)."""
    number = partition_info["number"] if partition_info else 0
    out = part.assign(**{ORDER: (np.int64(number) << _PART_BITS) + np.arange(len(part), dtype=np.int64)})
    for column in ("sender_role", "kind"):
        if column in out.columns and isinstance(out[column].dtype, pd.CategoricalDtype):
            out[column] = out[column].astype("str")
    return out


def _load(path: str) -> tuple[pd.DataFrame, Ordered]:
    frame = pd.read_parquet(path).sort_values(ORDER, kind="stable").reset_index(drop=True)
    return frame, prepare(frame, fn="build_conversations_dask")


def _replies_path(path: str) -> str:
    return path.removesuffix(".parquet") + ".replies"


def _pass_one(path: str, part: int, rule: RepeatRule):
    """(repeat document frequency, band keys of the replies that could be canned); the
    replies' comparable texts are kept beside the partition for :func:`_candidate_texts`."""
    _, o = _load(path)
    rows, content = canned_candidates(o)
    pd.DataFrame({"conversation_id": o.take("conversation_id", rows), "seq": o.frame["seq"].to_numpy()[rows],
                  ORDER: o.frame[ORDER].to_numpy()[rows], "content": content}).to_parquet(_replies_path(path))
    keys = canned_band_keys(content)
    bands = pd.DataFrame(keys, columns=[f"band{i}" for i in range(keys.shape[1])])
    bands[ORDER] = o.frame[ORDER].to_numpy()[rows]
    bands["part"] = np.int32(part)
    return repeat_frequency(o, rule=rule), bands


def _add(a: tuple[np.ndarray, int], b: tuple[np.ndarray, int]) -> tuple[np.ndarray, int]:
    return a[0] + b[0], a[1] + b[1]


def _tree_sum(items: list, delayed):
    while len(items) > 1:
        items = [delayed(_add)(*items[i:i + 2]) if i + 1 < len(items) else items[i] for i in range(0, len(items), 2)]
    return items[0]


def _candidate_texts(path: str, orders: np.ndarray) -> pd.DataFrame:
    """conversation_id, seq, _order and comparable text of the given replies."""
    replies = pd.read_parquet(_replies_path(path))
    return replies[np.isin(replies[ORDER].to_numpy(), orders)].reset_index(drop=True)


def _templates(texts: pd.DataFrame) -> pd.DataFrame:
    """_order and template of the canned replies, clustered in the order pandas uses."""
    texts = texts.sort_values(["conversation_id", "seq", ORDER], kind="stable").reset_index(drop=True)
    template = template_of(texts["content"], pd.factorize(texts["conversation_id"])[0])
    return pd.DataFrame({ORDER: texts[ORDER].to_numpy()[template >= 0], "template": template[template >= 0]})


def _pass_two(path: str, frequency: tuple[np.ndarray, int], canned: pd.DataFrame, options: dict) -> pd.DataFrame:
    frame, o = _load(path)
    rows = pd.Index(o.frame[ORDER]).get_indexer(canned[ORDER])
    order = np.argsort(rows, kind="stable")
    found = pd.DataFrame({"row": rows[order], "template": canned["template"].to_numpy()[order]})
    return conversation_columns(frame, ordered=o, repeat_statistics=frequency, canned=found, **options)


def lean_memory() -> None:
    """Make this process hand freed memory back to the system at once (Arrow's system
    allocator, one glibc malloc arena): a long out-of-core run then peaks near what it
    holds, not near everything it ever held. Process-wide; ``csqa metrics --engine
    dask`` calls it, library users may."""
    import ctypes
    import ctypes.util

    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())
    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name) if name else None
    if libc is not None and hasattr(libc, "mallopt"):  # glibc; other C libraries keep their own policy
        libc.mallopt(-8, 1)  # M_ARENA_MAX = 1


def _client():
    """The active distributed client, or None (local threads)."""
    try:
        from distributed import default_client

        return default_client()
    except (ImportError, ValueError):
        return None


def _shared(value):
    """``value`` sent once to every worker of the active distributed client, if any."""
    client = _client()
    return value if client is None else client.scatter(value, broadcast=True)


def _passes(paths: list[str], rule: RepeatRule, options: dict, dask) -> list[pd.DataFrame]:
    """The per-partition conversation columns of the shuffled partitions (steps 2-4)."""
    if not paths:
        return []
    delayed = dask.delayed
    first = [delayed(_pass_one, nout=2)(p, i, rule) for i, p in enumerate(paths)]
    frequency, bands = dask.compute(_tree_sum([f for f, _ in first], delayed), [b for _, b in first])
    bands = pd.concat(bands, ignore_index=True)
    keys = [c for c in bands.columns if c.startswith("band")]
    bands = bands[np.logical_or.reduce([bands[c].duplicated(keep=False).to_numpy() for c in keys])]
    wanted = {part: group[ORDER].to_numpy() for part, group in bands.groupby("part")}
    texts = dask.compute([delayed(_candidate_texts)(paths[i], orders) for i, orders in wanted.items()])[0]
    canned = _templates(pd.concat(texts, ignore_index=True)) if texts else pd.DataFrame(
        {ORDER: np.zeros(0, np.int64), "template": np.zeros(0, np.int64)})
    canned = canned.merge(bands[[ORDER, "part"]], on=ORDER)
    per_part = {part: group[[ORDER, "template"]] for part, group in canned.groupby("part")}
    none = canned[[ORDER, "template"]].iloc[:0]
    total = _shared(frequency)
    return dask.compute([delayed(_pass_two)(p, total, per_part.get(i, none), options)
                         for i, p in enumerate(paths)])[0]


def build_conversations_dask(
    messages,
    *,
    scheduler: str | None = None,
    npartitions: int | None = None,
    workdir: str | Path | None = None,
    within_days: float = 7,
    topic: str | None = None,
    **options,
) -> pd.DataFrame:
    """:func:`csqa.metrics.build_conversations` on a Dask DataFrame (or a pandas one, or
    paths for :func:`read_messages_dask`), partition by partition; equal to the pandas
    result. ``scheduler``: address of a Dask scheduler (default: the active client, or
    threads on this machine). ``npartitions``: partitions after the shuffle by
    conversation (default: as many as the input has; about 500,000 messages each keeps
    memory low). ``workdir``: where the shuffled copy goes (a temporary folder inside it,
    removed at the end; default: the system's temporary directory). Options as for
    build_conversations, except a custom ``vectorizer``."""
    dask, dd = _dask()
    if options.get("vectorizer") is not None:
        raise ValueError("build_conversations_dask: a custom 'vectorizer' cannot be fitted part by part; "
                         "use the default (or the pandas build_conversations)")
    rule = _check_rule(options.get("rule"))
    if isinstance(messages, str | Path | list | tuple):
        messages = read_messages_dask(messages)
    elif isinstance(messages, pd.DataFrame):
        messages = dd.from_pandas(messages, npartitions=npartitions or 1, sort=False)
    if not isinstance(messages, dd.DataFrame):
        raise TypeError(f"The 'messages' parameter of build_conversations_dask must be a Dask or pandas DataFrame "
                        f"or paths. Got {type(messages).__name__} instead.")
    if "conversation_id" not in messages.columns:
        raise SchemaError(f"build_conversations_dask: messages lacks column 'conversation_id'; columns present: "
                          f"{list(map(str, messages.columns))}")
    with ExitStack() as stack:
        if scheduler is not None:
            from distributed import Client

            stack.enter_context(Client(scheduler))
        if workdir is not None:
            Path(workdir).mkdir(parents=True, exist_ok=True)
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="csqa-dask-", dir=workdir)))
        numbered = messages.map_partitions(_numbered, meta=_numbered(messages._meta))
        # on one machine through files on disk (partd), so the data never has to fit in memory;
        # a cluster uses its own (peer-to-peer, spilling) shuffle
        shuffled = numbered.shuffle("conversation_id", npartitions=npartitions or messages.npartitions,
                                    method="disk" if _client() is None else None)
        shuffled.to_parquet(folder, write_index=False)
        paths = sorted(map(str, folder.glob("*.parquet")))
        tables = _passes(paths, rule, options, dask)
    if not tables:
        return conversation_columns(messages._meta, **options).iloc[:0]
    table = pd.concat(tables, ignore_index=True).sort_values("conversation_id", kind="stable").reset_index(drop=True)
    return with_contacts(table, within_days=within_days, topic=topic) if options.get("effort", True) else table
