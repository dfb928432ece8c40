"""The conversations table of data larger than memory, or spread over a Dask cluster.

:func:`build_conversations_dask` gives exactly what :func:`csqa.metrics.build_conversations`
gives on the same messages, without ever holding them all in one process:

1. every row gets its input position (``_order``, so ties resolve as in pandas), and the
   rows are shuffled by ``conversation_id`` into a Parquet dataset: each partition then
   holds whole conversations;
2. pass 1, per partition: the document frequencies of the repeat detector's IDF (summed
   over partitions in a tree); beside the partition go its replies that could be canned
   (an id per distinct text: two 64-bit hashes) and one row per MinHash band of each
   distinct such text;
3. the band rows are shuffled by (band, key), so each bucket of candidate near-duplicates
   is in one place, and linked there as pandas links them: each text against the bucket's
   first-used text, kept at Jaccard >= 0.7;
4. the links (only texts that have a near-duplicate) are joined into clusters in the
   client and sent to the workers;
5. per partition, the conversations each cluster is used in are counted; the counts are
   shuffled by cluster and summed (a conversation is never split): clusters used in at
   least 3 conversations are the templates;
6. pass 2, per partition: every per-conversation column with those corpus statistics;
7. the small conversations table is gathered and repeat contacts (which compare a
   customer's conversations) are added.

Memory: one partition (or one shuffled part of the band rows) at a time per worker
thread, plus, in the client, the linked texts' ids (32 bytes each), the templates' ids and
the conversations table; nothing in the client grows with the number of messages or
replies as such. With a cluster, ``workdir`` must be storage every worker can read
(default: a temporary directory, right for one machine). Dask is an optional dependency:
``pip install csqa[dask]``.

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
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from csqa.errors import MissingDependencyError, SchemaError
from csqa.metrics.automation import (
    CANNED_MIN_CONVERSATIONS,
    canned_band_keys,
    canned_candidates,
    canned_links,
)
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


_HASH_KEYS = ("csqa-canned-text", "csqa-canned-2nd.")  # two 64-bit hashes name a distinct text


def _side(path: str, name: str) -> str:
    """A file kept beside a shuffled partition (its replies, their band rows)."""
    return path.removesuffix(".parquet") + f".{name}"


def _text_ids(content: pd.Series) -> dict[str, np.ndarray]:
    """Two independent 64-bit hashes of each text: equal texts get equal ids in every process."""
    values = content.to_numpy(dtype=object)
    return {f"h{i}": pd.util.hash_array(values, hash_key=key) for i, key in enumerate(_HASH_KEYS)}


def _pass_one(path: str, rule: RepeatRule) -> tuple[np.ndarray, int]:
    """The partition's repeat document frequency. Beside the partition it writes its replies
    that could be canned (``.replies``: _order, text id, conversation) and one row per band of
    each distinct such text (``.bands``: band, key, text id, first use, text) for
    :func:`_bucket_links`."""
    _, o = _load(path)
    rows, content = canned_candidates(o)
    ids = pd.DataFrame(_text_ids(content))
    conversation = o.take("conversation_id", rows)
    pd.DataFrame({ORDER: o.frame[ORDER].to_numpy()[rows], **ids, "conversation_id": conversation}).to_parquet(
        _side(path, "replies"))
    first = np.flatnonzero(~ids.duplicated().to_numpy())  # rows in table order: each text's first use here
    keys = canned_band_keys(content.iloc[first])
    n_bands = keys.shape[1]
    pd.DataFrame({
        "band": np.repeat(np.arange(n_bands, dtype=np.int8), len(first)),
        "key": keys.T.ravel(),
        **{h: np.tile(ids[h].to_numpy()[first], n_bands) for h in ids.columns},
        "conversation_id": np.tile(conversation[first], n_bands),
        "within": np.tile((rows - o.group_start[rows])[first], n_bands),
        "content": np.tile(content.to_numpy(dtype=object)[first], n_bands),
    }).to_parquet(_side(path, "bands"))
    return repeat_frequency(o, rule=rule)


def _add(a: tuple[np.ndarray, int], b: tuple[np.ndarray, int]) -> tuple[np.ndarray, int]:
    return a[0] + b[0], a[1] + b[1]


def _tree_sum(items: list, delayed):
    while len(items) > 1:
        items = [delayed(_add)(*items[i:i + 2]) if i + 1 < len(items) else items[i] for i in range(0, len(items), 2)]
    return items[0]


def _bucket_links(bands: pd.DataFrame) -> pd.DataFrame:
    """Near-duplicate pairs (text ids a, b) among band rows holding whole (band, key)
    buckets: each text against the bucket's first-used text, as pandas links them."""
    texts = bands.drop_duplicates(["band", "key", "h0", "h1"])  # a text may come from several partitions
    shared = texts.loc[texts.duplicated(["band", "key"], keep=False).to_numpy(), ["band", "key"]]
    bands = bands[pd.MultiIndex.from_frame(bands[["band", "key"]]).isin(pd.MultiIndex.from_frame(shared))]
    bands = bands.sort_values(["conversation_id", "within"], kind="stable")  # table order of first use
    bands = bands.drop_duplicates(["band", "key", "h0", "h1"])  # each text's first use
    node = bands.groupby(["h0", "h1"], sort=False).ngroup().to_numpy()
    bucket = bands.groupby(["band", "key"], sort=False).ngroup().to_numpy()
    texts = bands.drop_duplicates(["h0", "h1"])
    i, j = canned_links(texts["content"], node, bucket)
    h0, h1 = texts["h0"].to_numpy(), texts["h1"].to_numpy()
    return pd.DataFrame({"a0": h0[i], "a1": h1[i], "b0": h0[j], "b1": h1[j]})


def _cluster_map(links: pd.DataFrame) -> pd.DataFrame:
    """Text id -> cluster id (the id of one member) of every text linked to another; a text
    not listed is a cluster of its own."""
    ends = pd.DataFrame({"h0": np.r_[links["a0"].to_numpy(), links["b0"].to_numpy()],
                         "h1": np.r_[links["a1"].to_numpy(), links["b1"].to_numpy()]})
    node = ends.groupby(["h0", "h1"], sort=False).ngroup().to_numpy()
    nodes = ends.drop_duplicates().reset_index(drop=True)
    n, half = len(nodes), len(links)
    graph = sp.coo_matrix((np.ones(half, np.int8), (node[:half], node[half:])), shape=(n, n))
    label = connected_components(graph, directed=False)[1]
    head = np.full(label.max() + 1 if n else 0, n, dtype=np.int64)
    np.minimum.at(head, label, np.arange(n))
    return nodes.assign(c0=nodes["h0"].to_numpy()[head[label]], c1=nodes["h1"].to_numpy()[head[label]])


def _clusters_of(path: str, clusters: pd.DataFrame) -> pd.DataFrame:
    """The partition's replies that could be canned with their cluster ids (c0, c1)."""
    replies = pd.read_parquet(_side(path, "replies"))
    if not len(clusters):
        return replies.assign(c0=replies["h0"], c1=replies["h1"])
    at = pd.MultiIndex.from_frame(clusters[["h0", "h1"]]).get_indexer(pd.MultiIndex.from_frame(replies[["h0", "h1"]]))
    for c, h in (("c0", "h0"), ("c1", "h1")):
        replies[c] = np.where(at >= 0, clusters[c].to_numpy()[at], replies[h].to_numpy())
    return replies


def _reach(path: str, clusters: pd.DataFrame) -> pd.DataFrame:
    """Conversations per cluster within the partition (conversations are not split, so
    the sums over partitions are the clusters' reach)."""
    replies = _clusters_of(path, clusters).drop_duplicates(["c0", "c1", "conversation_id"])
    return replies.groupby(["c0", "c1"], as_index=False).size()


def _pass_two(path: str, frequency: tuple[np.ndarray, int], clusters: pd.DataFrame, canned: pd.DataFrame,
              options: dict) -> pd.DataFrame:
    frame, o = _load(path)
    replies = _clusters_of(path, clusters).merge(canned, on=["c0", "c1"])
    rows = np.sort(pd.Index(o.frame[ORDER]).get_indexer(replies[ORDER]))
    return conversation_columns(frame, ordered=o, repeat_statistics=frequency, canned=pd.DataFrame({"row": rows}),
                                **options)


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


def _passes(paths: list[str], rule: RepeatRule, options: dict, dask, dd) -> list[pd.DataFrame]:
    """The per-partition conversation columns of the shuffled partitions (steps 2-5)."""
    if not paths:
        return []
    delayed, shuffle = dask.delayed, {"method": "disk" if _client() is None else None}
    frequency = dask.compute(_tree_sum([delayed(_pass_one)(p, rule) for p in paths], delayed))[0]
    bands = dd.read_parquet([_side(p, "bands") for p in paths])
    links = bands.shuffle(["band", "key"], npartitions=len(paths), **shuffle).map_partitions(
        _bucket_links, meta=_bucket_links(bands._meta)).compute()
    clusters = _shared(_cluster_map(links))
    reach = dd.from_delayed([delayed(_reach)(p, clusters) for p in paths], meta=_reach_meta())
    canned = reach.shuffle(["c0", "c1"], npartitions=len(paths), **shuffle).map_partitions(
        _canned_clusters, meta=_reach_meta()[["c0", "c1"]]).compute()
    total, canned = _shared(frequency), _shared(canned)
    return dask.compute([delayed(_pass_two)(p, total, clusters, canned, options) for p in paths])[0]


def _canned_clusters(reach: pd.DataFrame) -> pd.DataFrame:
    """The clusters (c0, c1) used in enough conversations to be templates, from rows holding
    every partial count of theirs."""
    total = reach.groupby(["c0", "c1"], as_index=False)["size"].sum()
    return total.loc[total["size"] >= CANNED_MIN_CONVERSATIONS, ["c0", "c1"]]


def _reach_meta() -> pd.DataFrame:
    return pd.DataFrame({"c0": np.zeros(0, np.uint64), "c1": np.zeros(0, np.uint64), "size": np.zeros(0, np.int64)})


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
        tables = _passes(paths, rule, options, dask, dd)
    if not tables:
        return conversation_columns(messages._meta, **options).iloc[:0]
    table = pd.concat(tables, ignore_index=True).sort_values("conversation_id", kind="stable").reset_index(drop=True)
    return with_contacts(table, within_days=within_days, topic=topic) if options.get("effort", True) else table
