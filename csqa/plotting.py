"""Charts over csqa's metric tables: ``plot_*(table, ..., ax=None) -> Axes``.

Each function draws on ``ax`` (a new figure when ``None``) and returns it; none
calls ``plt.show()``. Labels may be English, Arabic or Persian: matplotlib
>= 3.11 shapes and orders Arabic script itself, so text is passed as is (never
reshaped a second time), and the font is DejaVu Sans, which matplotlib ships and
which has the Arabic and Persian letters.

>>> import pandas as pd
>>> flow = pd.DataFrame({"from_queue": ["orders", "billing"], "to_queue": ["billing", "orders"],
...                      "n_transfers": [3, 1]})
>>> ax = plot_transfer_flow(flow)
>>> [t.get_text() for t in ax.get_xticklabels()]
['billing', 'orders']
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

FONT = "DejaVu Sans"


def _axes(ax, figsize: tuple[float, float]):
    import matplotlib

    if matplotlib.rcParams["font.family"] != ["sans-serif"] or \
            matplotlib.rcParams["font.sans-serif"][:1] != [FONT]:
        matplotlib.rcParams["font.family"] = ["sans-serif"]
        matplotlib.rcParams["font.sans-serif"] = [FONT, *matplotlib.rcParams["font.sans-serif"]]
    if ax is not None:
        return ax
    from matplotlib.figure import Figure

    return Figure(figsize=figsize, layout="constrained").add_subplot()


def _label(ax, title: str | None, xlabel: str | None, ylabel: str | None) -> None:
    if title:
        ax.set_title(title)
    if xlabel:
        ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)


def plot_trend(
    table: pd.DataFrame, columns: Sequence[str], *, x: str = "period", labels: Sequence[str] | None = None,
    scale: float = 1.0, title: str | None = None, xlabel: str | None = None, ylabel: str | None = None, ax=None,
):
    """One line per column of ``table`` against ``x`` (e.g. a :func:`csqa.aggregate.kpis` table by week).

    ``scale`` divides the values (60 turns seconds into minutes).
    """
    ax = _axes(ax, (8, 3.2))
    for column, label in zip(columns, labels or columns, strict=True):
        ax.plot(table[x], table[column] / scale, marker="o", label=label)
    if len(columns) > 1:
        ax.legend()
    ax.grid(alpha=0.3)
    ax.figure.autofmt_xdate()
    _label(ax, title, xlabel, ylabel)
    return ax


def plot_heatmap(
    matrix: pd.DataFrame, *, row_labels: Sequence[str] | None = None, title: str | None = None,
    xlabel: str | None = None, value_label: str | None = None, cmap: str = "Blues", ax=None,
):
    """A weekday x hour table (:func:`csqa.metrics.volume_heatmap`) as a coloured grid."""
    ax = _axes(ax, (9, 3.4))
    image = ax.imshow(matrix.to_numpy(dtype=float), aspect="auto", cmap=cmap)
    ax.set_xticks(range(matrix.shape[1]), [str(c) for c in matrix.columns], fontsize=8)
    ax.set_yticks(range(matrix.shape[0]), list(row_labels or [str(i) for i in matrix.index]))
    colorbar = ax.figure.colorbar(image, ax=ax)
    if value_label:
        colorbar.set_label(value_label)
    _label(ax, title, xlabel, None)
    return ax


def plot_bars(
    values: pd.Series, *, title: str | None = None, xlabel: str | None = None, reference: float | None = None,
    reference_label: str | None = None, ax=None,
):
    """Horizontal bars of ``values`` (index = labels), largest at the top; an optional reference line."""
    values = values.dropna().sort_values()
    ax = _axes(ax, (7, max(2.0, 0.32 * len(values) + 1)))
    ax.barh([str(i) for i in values.index], values.to_numpy(dtype=float), color="#4c72b0")
    if reference is not None and np.isfinite(reference):
        ax.axvline(reference, color="#c44e52", linestyle="--", label=reference_label)
        if reference_label:
            ax.legend()
    ax.grid(axis="x", alpha=0.3)
    _label(ax, title, xlabel, None)
    return ax


def plot_transfer_flow(
    flow: pd.DataFrame, *, by: str = "queue", title: str | None = None, xlabel: str | None = None,
    ylabel: str | None = None, ax=None,
):
    """A from x to grid of transfer counts (:func:`csqa.metrics.transfer_flow`), counts written in."""
    matrix = flow.pivot_table(index=f"from_{by}", columns=f"to_{by}", values="n_transfers",
                              aggfunc="sum", fill_value=0, observed=True)
    names = sorted(set(matrix.index.astype(str)) | set(matrix.columns.astype(str)))
    matrix = matrix.rename(index=str, columns=str).reindex(index=names, columns=names, fill_value=0)
    ax = _axes(ax, (1.2 + 0.6 * len(names), 1.0 + 0.5 * len(names)))
    values = matrix.to_numpy(dtype=float)
    ax.imshow(values, cmap="Oranges")
    ax.set_xticks(range(len(names)), names, rotation=45, ha="right")
    ax.set_yticks(range(len(names)), names)
    high = values.max() if values.size else 0
    for (i, j), count in np.ndenumerate(values):
        if count:
            ax.text(j, i, f"{count:.0f}", ha="center", va="center",
                    color="white" if count > high / 2 else "black", fontsize=8)
    _label(ax, title, xlabel, ylabel)
    return ax


def plot_distributions(
    columns: dict[str, pd.Series], *, bins: int = 20, value_range: tuple[float, float] = (-1.0, 1.0),
    title: str | None = None, xlabel: str | None = None, ylabel: str | None = None, ax=None,
):
    """Overlaid histograms, one per labelled Series (e.g. sentiment at the start and at the end)."""
    ax = _axes(ax, (7, 3))
    edges = np.linspace(*value_range, bins + 1)
    for label, series in columns.items():
        ax.hist(series.dropna().to_numpy(dtype=float), bins=edges, alpha=0.55, label=label)
    ax.legend()
    _label(ax, title, xlabel, ylabel)
    return ax


def plot_columns(
    values: pd.Series, *, scale: float = 1.0, title: str | None = None, xlabel: str | None = None,
    ylabel: str | None = None, ax=None,
):
    """Vertical bars of ``values`` in index order (e.g. the median wait by hour of the day)."""
    ax = _axes(ax, (8, 3))
    ax.bar([str(i) for i in values.index], values.to_numpy(dtype=float) / scale, color="#4c72b0")
    ax.grid(axis="y", alpha=0.3)
    _label(ax, title, xlabel, ylabel)
    return ax
