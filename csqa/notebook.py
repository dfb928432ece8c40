"""Building blocks of the report templates: load a period's data, show escaped HTML.

Everything shown is escaped here (transcript text can hold ``<script>``), tables
are plain deterministic HTML, and figures are embedded PNGs, so a report renders
the same with or without JavaScript, on screen and in PDF.

>>> import pandas as pd
>>> html_table(pd.DataFrame({"who": ["<b>x</b>"], "rate": [0.25]}), percent=["rate"])
'<table><thead><tr><th>who</th><th class="num">rate</th></tr></thead><tbody><tr><td dir="auto">&lt;b&gt;x&lt;/b&gt;</td><td class="num">25.0%</td></tr></tbody></table>'
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from csqa.i18n import format_dates, tr
from csqa.summary import in_window, previous_window, report_window


@dataclass(frozen=True)
class ReportData:
    """A report's inputs: all messages and conversations, and the period's slices."""

    messages: pd.DataFrame
    conversations: pd.DataFrame
    current: pd.DataFrame
    previous: pd.DataFrame | None
    start: pd.Timestamp | None
    end: pd.Timestamp | None
    previous_start: pd.Timestamp | None
    previous_end: pd.Timestamp | None

    @property
    def current_messages(self) -> pd.DataFrame:
        """Messages of the conversations started in the period."""
        return self.messages[self.messages["conversation_id"].isin(self.current["conversation_id"])]


def conversations_for(messages: pd.DataFrame, *, conversations_path: str | None = None,
                      calendar_path: str | None = None) -> pd.DataFrame:
    """The conversations table read from ``conversations_path``, else built from ``messages``."""
    if conversations_path:
        return pd.read_parquet(conversations_path)
    from csqa.calendars import load_calendar
    from csqa.metrics import build_conversations

    calendar = load_calendar(calendar_path) if calendar_path else None
    return build_conversations(messages, calendar=calendar)


def load_report_data(
    messages_path: str, *, conversations_path: str | None = None, calendar_path: str | None = None,
    period: str = "all", since: str | None = None, until: str | None = None, now: str | None = None,
    timezone: str = "UTC", week_start: int = 0, redact: bool = True,
) -> ReportData:
    """Read the messages (and conversations, else build them) and cut out the report period.

    ``now="data"`` anchors ``period`` at the last message instead of the clock,
    for reports over an old export. With ``redact`` (the default) the messages'
    text is masked (:func:`csqa.text.redact.redact`) after the metrics are
    computed from the original, so nothing shown holds e-mails, phone numbers,
    card numbers, IBANs or national ids.
    """
    from csqa.ingest import read_messages

    messages = read_messages(messages_path).messages
    conversations = conversations_for(messages, conversations_path=conversations_path, calendar_path=calendar_path)
    if redact:
        from csqa.text.redact import redact as mask

        messages = mask(messages)
    anchor = messages["timestamp"].max() + pd.Timedelta(days=1) if now == "data" else now
    start, end = report_window(period, since=since, until=until, now=anchor, timezone=timezone,
                               week_start=week_start)
    p_start, p_end = previous_window(start, end)
    previous = in_window(conversations, p_start, p_end) if p_start is not None else None
    return ReportData(messages, conversations, in_window(conversations, start, end),
                      previous if previous is not None and len(previous) else None, start, end, p_start, p_end)


def period_text(data: ReportData, language: str = "en", *, timezone: str = "UTC", jalali: bool | None = None) -> str:
    """"N conversations started from .. to .." (and the previous period) in ``language``."""
    started = data.current["started_at"]

    def day(when, fallback):
        value = fallback if when is None else when
        if pd.isna(value):
            return "-"
        text = format_dates(pd.Series([value]).dt.tz_convert(timezone), language, jalali=jalali).iloc[0]
        return f"\u2066{text}\u2069"  # isolated left-to-right, so 1405-08-26 keeps its order in RTL text

    last = None if data.end is None else data.end - pd.Timedelta(seconds=1)
    text = tr("period_line", language, conversations=f"{len(data.current):,}",
              start=day(data.start, started.min()), end=day(last, started.max()), timezone=timezone)
    if data.previous is not None:
        text += " " + tr("compared_line", language, conversations=f"{len(data.previous):,}",
                         start=day(data.previous_start, None), end=day(data.start - pd.Timedelta(seconds=1), None))
    elif data.start is not None:
        text += " " + tr("no_previous", language)
    return text


def _cell(value, percent: bool, decimals: int) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    if isinstance(value, (bool, np.bool_)):
        return "✓" if value else "✗"
    if isinstance(value, (int, np.integer)) and not percent:
        return f"{value:,}"
    if isinstance(value, (float, np.floating)):
        return f"{value * 100:,.{decimals}f}%" if percent else f"{value:,.{decimals}f}"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def _header(name: str) -> str:
    return html.escape(name.replace("_", " "))  # long metric names wrap between words


def html_table(
    table: pd.DataFrame, *, percent: Sequence[str] = (), decimals: int = 1, css_class: str | None = None,
    columns: dict[str, str] | None = None,
) -> str:
    """``table`` as escaped HTML; numbers right-aligned and formatted, ``percent`` columns as %.

    ``columns`` renames headers for display (e.g. translated names).
    """
    names = columns or {}
    numeric = {c: pd.api.types.is_numeric_dtype(table[c]) and not pd.api.types.is_bool_dtype(table[c])
               for c in table.columns}
    num = ' class="num"'
    head = "".join(f"<th{num if numeric[c] else ''}>{_header(str(names.get(c, c)))}</th>" for c in table.columns)
    rows = []
    for record in table.itertuples(index=False, name=None):  # display only: a report shows tens of rows
        cells = []
        for column, value in zip(table.columns, record, strict=True):
            text = html.escape(_cell(value, column in percent, decimals))
            cells.append(f'<td class="num">{text}</td>' if numeric[column] else f'<td dir="auto">{text}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    classes = " ".join(filter(None, [css_class, "wide" if len(table.columns) > 8 else None]))
    cls = f' class="{html.escape(classes)}"' if classes else ""
    return f"<table{cls}><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _show(markup: str) -> None:
    from IPython.display import HTML, display

    display(HTML(markup))


def show_table(table: pd.DataFrame, **options) -> None:
    """Display :func:`html_table` in the notebook."""
    _show(html_table(table, **options))


def show_heading(text: str, level: int = 2) -> None:
    """Display an escaped heading."""
    _show(f"<h{level}>{html.escape(text)}</h{level}>")


def show_text(text: str, css_class: str = "note") -> None:
    """Display an escaped paragraph."""
    _show(f'<p class="{css_class}">{html.escape(text)}</p>')


def show_figure(ax, *, dpi: int = 100, alt: str | None = None) -> None:
    """Display the figure of ``ax`` as an embedded PNG; ``alt`` text defaults to the chart's title."""
    buffer = io.BytesIO()
    ax.figure.savefig(buffer, format="png", dpi=dpi)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    _show(f'<img alt="{html.escape(alt or ax.get_title() or "chart")}" src="data:image/png;base64,{data}">')


def kpi_display(headline: pd.DataFrame, language: str = "en") -> pd.DataFrame:
    """The :func:`csqa.summary.headline_kpis` table as display text with translated column names.

    >>> import pandas as pd
    >>> row = pd.DataFrame({"key": ["conversations", "sentiment"], "measure": ["Conversations", "Sentiment"],
    ...     "current": [213.0, 0.2673], "previous": [198.0, None], "change": [15.0, None], "n": [213, 200]})
    >>> kpi_display(row).to_dict("list")["Change"]
    ['+15', '–']
    """
    decimals = headline["key"].map({"conversations": 0, "sentiment": 2, "nps": 0}).fillna(1).astype(int)

    def text(column: str, signed: bool = False) -> list[str]:
        sign = "+" if signed else ""
        return ["–" if pd.isna(v) else f"{v:{sign},.{d}f}" for v, d in zip(headline[column], decimals, strict=True)]

    return pd.DataFrame({
        tr("col_kpi", language): headline["measure"], tr("col_current", language): text("current"),
        tr("col_previous", language): text("previous"), tr("col_change", language): text("change", True),
        tr("col_n", language): headline["n"].map("{:,}".format),
    })
