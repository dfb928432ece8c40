"""The ``csqa`` command: a thin layer over the library functions.

Exit codes: 0 success; 1 rows were rejected (``--errors raise``, the default) or a
report failed; 2 bad input or usage (unreadable file, bad mapping, a missing
optional dependency...); 130 interrupted. Errors are one short message on
stderr, never a traceback. Outputs are written atomically, so a failed or
interrupted run leaves the previous files as they were.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from csqa import __version__
from csqa.errors import CsqaError
from csqa.ingest.readers import FORMATS
from csqa.ingest.sources import SOURCES
from csqa.io import write_parquet

EXIT_OK, EXIT_REJECTED, EXIT_INPUT = 0, 1, 2


def _say(message: str) -> None:
    sys.stderr.write(message + "\n")


def _rejected_path(output: Path) -> Path:
    return output.with_name(f"{output.stem}.rejected.parquet")


def cmd_ingest(args: argparse.Namespace) -> int:
    from csqa.ingest import read_messages, rejection_report

    result = read_messages(
        args.inputs, mapping=args.mapping, format=args.format, timezone=args.timezone,
        errors="collect", agents=args.agent or (), session_gap=args.session_gap,
        dayfirst={"day": True, "month": False, None: None}[args.date_order],
    )
    output = Path(args.output)
    _say(result.summary())
    if result.n_rejected:
        rejected = result.rejected.astype({"file": str, "field": str, "reason": str, "record": str})
        write_parquet(rejected, _rejected_path(output))
        _say(f"rejected rows written to {_rejected_path(output)}")
    if result.n_rejected and args.errors == "raise":
        _say(rejection_report(result))
        _say(f"nothing written to {output}")
        return EXIT_REJECTED
    if result.n_loaded == 0:
        _say("csqa: error: no rows were loaded; nothing to write")
        return EXIT_INPUT
    write_parquet(result.messages, output, messages=True)
    _say(f"wrote {result.n_loaded} messages to {output}")
    return EXIT_OK


def _read_messages_table(path: str):
    from csqa.ingest import read_messages

    return read_messages(path).messages


def cmd_metrics(args: argparse.Namespace) -> int:
    from csqa.calendars import load_calendar
    from csqa.metrics import build_conversations, reasked_info, repeats, response_times, transfers

    messages = _read_messages_table(args.messages) if args.engine == "pandas" else None
    calendar = load_calendar(args.calendar) if args.calendar else None
    options = {"include_bots": args.include_bots, "burst": args.burst,
               "from_handoff": args.from_handoff, "calendar": calendar}
    if messages is None:
        return _metrics_dask(args, options)
    conversations = build_conversations(messages, **options, within_days=args.within_days)
    write_parquet(conversations, Path(args.output))
    _say(f"wrote {len(conversations)} conversations to {args.output}")
    if conversations["clock_skew"].any():
        _say(f"warning: {int(conversations['clock_skew'].sum())} conversations have messages timestamped before "
             "the message they follow (clock skew); their durations may be negative and are kept. "
             "See the data_quality table (--tables)")
    tables = {"turns": lambda: response_times(messages, **options), "transfers": lambda: transfers(messages),
              "repeats": lambda: repeats(messages), "reasked": lambda: reasked_info(messages)}
    for name, make in tables.items():
        path = getattr(args, name)
        if path:
            table = make()
            write_parquet(table, Path(path))
            _say(f"wrote {len(table)} {name} rows to {path}")
    if args.tables:
        folder = Path(args.tables)
        folder.mkdir(parents=True, exist_ok=True)
        for name, table in metric_tables(messages, conversations, options, timezone=args.timezone).items():
            write_parquet(table, folder / f"{name}.parquet")
        _say(f"wrote {len(TABLES)} tables to {folder}: {', '.join(TABLES)}")
    return EXIT_OK


def _metrics_dask(args: argparse.Namespace, options: dict) -> int:
    """``csqa metrics --engine dask``: the conversations table, out of core or on a cluster."""
    from csqa.dask_engine import build_conversations_dask, lean_memory

    extra = [f"--{name}" for name in ("turns", "transfers", "repeats", "reasked", "tables") if getattr(args, name)]
    if extra:
        _say(f"csqa: error: {', '.join(extra)} need the pandas engine; --engine dask writes the conversations table")
        return EXIT_INPUT
    lean_memory()
    conversations = build_conversations_dask(args.messages.split(","), scheduler=args.scheduler,
                                             npartitions=args.partitions, workdir=args.workdir,
                                             within_days=args.within_days, **options)
    write_parquet(conversations, Path(args.output))
    _say(f"wrote {len(conversations)} conversations to {args.output} (dask engine)")
    return EXIT_OK


TABLES = ("turns", "transfers", "transfer_flow", "repeats", "reasked", "canned", "templates", "context_blind",
          "human_requests", "upsells", "readability", "agent_readability", "survey_answers", "survey_summary",
          "csat_drivers", "volume_heatmap", "response_by_hour", "staffing", "themes", "theme_assignments",
          "theme_trend", "agent_scorecards", "data_quality")


def metric_tables(messages, conversations, options: dict, *, timezone: str = "UTC") -> dict:
    """Every table of ``csqa metrics --tables`` by name (see :data:`TABLES`)."""
    from csqa import metrics as m

    canned = m.canned_replies(messages)
    moved = m.transfers(messages)
    themes = m.complaint_themes(messages)
    heatmap = m.volume_heatmap(conversations, timezone=timezone)
    heatmap.columns = heatmap.columns.astype(str)
    tables = {
        "turns": m.response_times(messages, **options), "transfers": moved, "transfer_flow": m.transfer_flow(moved),
        "repeats": m.repeats(messages), "reasked": m.reasked_info(messages), "canned": canned,
        "templates": m.templates(canned), "context_blind": m.context_blind(messages),
        "human_requests": m.human_requests(messages), "upsells": m.upsells(messages),
        "readability": m.readability(messages), "agent_readability": m.agent_readability(messages),
        "survey_answers": m.survey_answers(messages), "survey_summary": m.survey_summary(conversations),
        "csat_drivers": m.csat_drivers(conversations), "volume_heatmap": heatmap.reset_index(),
        "response_by_hour": m.response_by_hour(conversations, timezone=timezone),
        "staffing": m.staffing(messages, timezone=timezone), "themes": themes.themes,
        "theme_assignments": themes.assignments,
        "theme_trend": m.theme_trend(themes.assignments, timezone=timezone).rename(columns=str).reset_index(),
        "agent_scorecards": m.agent_scorecards(messages, conversations=conversations),
        "data_quality": m.data_quality(messages),
    }
    return {name: tables[name] for name in TABLES}


def cmd_score(args: argparse.Namespace) -> int:
    import pandas as pd

    from csqa.errors import IngestError
    from csqa.export import write_csv
    from csqa.text import add_text_columns

    source, output = Path(args.input), Path(args.output)
    try:
        table = pd.read_csv(source, dtype="string[pyarrow]", keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise IngestError(f"{source}: not a readable UTF-8 CSV file ({exc}).") from exc
    if args.text_column not in table.columns:
        raise IngestError(f"{source}: the text column {args.text_column!r} is not in the file; "
                          f"columns: {list(table.columns)}.")
    scored = add_text_columns(table, text_column=args.text_column, group_column=args.group_column)
    write_csv(scored, output)
    _say(f"scored {len(scored)} rows of {source} into {output}")
    return EXIT_OK


def _parse_params(pairs: list[list[str]]) -> dict:
    import json

    params = {}
    for name, raw in pairs or []:
        try:
            params[name] = json.loads(raw)
        except json.JSONDecodeError:
            params[name] = raw  # a plain string
    return params


def _window_params(args: argparse.Namespace) -> dict:
    names = ("language", "timezone", "period", "since", "until", "now", "week_start", "calendar_path",
             "conversations_path", "title")
    params = {name: getattr(args, name) for name in names if getattr(args, name, None) is not None}
    return params | ({"redact": False} if args.no_redact else {})


def cmd_report(args: argparse.Namespace) -> int:
    from csqa.report import render_report

    params = {"messages_path": str(Path(args.messages).resolve()), **_window_params(args),
              **_parse_params(args.param)}
    for key in ("calendar_path", "conversations_path"):
        if key in params:
            params[key] = str(Path(params[key]).resolve())
    written = render_report(args.template, args.output, params, pdf=args.pdf)
    for path in written.values():
        print(path)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from csqa.export import write_exports
    from csqa.notebook import conversations_for

    messages = _read_messages_table(args.messages)
    conversations = conversations_for(messages, conversations_path=args.conversations, calendar_path=args.calendar)
    written = write_exports(messages, conversations, args.output, redact=not args.no_redact)
    _say(f"wrote {len(conversations)} conversations and the agent table to {args.output}")
    for path in written.values():
        print(path)
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from csqa.export import write_exports
    from csqa.ingest import read_messages
    from csqa.notebook import conversations_for
    from csqa.report import render_report
    from csqa.sample import sample_files

    start = time.perf_counter()
    out = Path(args.output)
    export, mapping = sample_files()
    calendar = export.with_name("calendar.toml")
    result = read_messages(export, mapping=mapping)
    _say(f"sample: {result.summary()}")
    messages_path = out / "messages.parquet"
    write_parquet(result.messages, messages_path, messages=True)
    conversations = conversations_for(result.messages, calendar_path=calendar)
    written = write_exports(result.messages, conversations, out, redact=not args.no_redact)
    _say(f"exports: {', '.join(p.name for p in written.values())}")
    report = render_report("overview", out, {
        "messages_path": str(messages_path.resolve()),
        "conversations_path": str(written["conversations_parquet"].resolve()),
        "title": "Support quality overview (csqa sample data)",
        "timezone": "Asia/Tehran", "period": "last-28-days", "now": "data", "week_start": 5,
        "redact": not args.no_redact,
    }, pdf=args.pdf)
    _say(f"report rendered in {time.perf_counter() - start:.1f} s")
    for path in report.values():
        print(path)
    return EXIT_OK


def _no_redact_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--no-redact", action="store_true",
                   help="keep e-mails, phone numbers, card numbers, IBANs and national ids (masked by default)")


def _window_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--language", choices=["en", "ar", "fa"], help="report language (template default: en)")
    p.add_argument("--timezone", help="IANA zone for days, weeks and hours (template default: UTC)")
    p.add_argument("--period", help="all | last-day | last-week | last-month | last-N-days (default: all)")
    p.add_argument("--since", help="start of the period (ISO date/time, in --timezone)")
    p.add_argument("--until", help="end of the period, exclusive (ISO date/time, in --timezone)")
    p.add_argument("--now", help="anchor of --period: an ISO time, or 'data' for the last message (default: now)")
    p.add_argument("--week-start", dest="week_start", type=int, choices=range(7), metavar="0-6",
                   help="first day of the week: 0 Monday ... 5 Saturday (default 0)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="csqa", description="Support-conversation analytics (English, Arabic, Persian)."
    )
    parser.add_argument("--version", action="version", version=f"csqa {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="read export files into the canonical messages table")
    p.add_argument("inputs", nargs="+",
                   help="export files: help-desk / chat exports (recognised by content) or "
                        "CSV, TSV, JSON, JSON Lines, Parquet tables")
    p.add_argument("--format", choices=[*FORMATS, *SOURCES], help="override the detected format")
    p.add_argument("--agent", action="append", metavar="NAME",
                   help="WhatsApp/Telegram: the business's name, phone or user id (repeatable)")
    p.add_argument("--session-gap", default="24h",
                   help="WhatsApp/Telegram: a silence this long starts a new conversation (24h)")
    p.add_argument("--date-order", choices=["day", "month"],
                   help="WhatsApp: dates like 03/04/24 are day-first or month-first (default: judged)")
    p.add_argument("--mapping", help="TOML column mapping (not needed for canonical columns)")
    p.add_argument("--timezone", help="IANA zone for timestamps without an offset")
    p.add_argument("--errors", choices=["raise", "collect"], default="raise",
                   help="raise (default): fail if any row is rejected; collect: write the valid rows")
    p.add_argument("-o", "--output", required=True, help="output Parquet file")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("metrics", help="build the conversations table (and turns)")
    p.add_argument("messages", help="canonical messages (Parquet, from csqa ingest)")
    p.add_argument("-o", "--output", required=True, help="conversations Parquet file")
    p.add_argument("--turns", help="also write one row per customer turn here")
    p.add_argument("--transfers", help="also write one row per transfer here")
    p.add_argument("--repeats", help="also write one row per repeat explanation here")
    p.add_argument("--reasked", help="also write one row per re-asked piece of information here")
    p.add_argument("--tables", metavar="DIR",
                   help="also write every metric table (turns, transfers, repeats, canned replies, human requests, "
                        "upsells, readability, surveys, CSAT drivers, heatmap, staffing, themes, scorecards, ...) "
                        "as DIR/NAME.parquet")
    p.add_argument("--timezone", default="UTC", help="IANA zone for the hour-of-day tables (UTC)")
    p.add_argument("--within-days", type=float, default=7,
                   help="repeat contact: another conversation within this many days (7)")
    p.add_argument("--calendar", help="business-hours calendar (TOML) for *_bh_s columns")
    p.add_argument("--include-bots", action="store_true", help="bot messages count as replies")
    p.add_argument("--burst", choices=["first", "last"], default="first",
                   help="wait starts at the first (default) or last message of a customer turn")
    p.add_argument("--from-handoff", action="store_true",
                   help="first response measured from the bot-to-human handoff")
    p.add_argument("--engine", choices=["pandas", "dask"], default="pandas",
                   help="pandas (default): in memory; dask: partition by partition, for data larger than memory "
                        "or a cluster (needs the dask extra; MESSAGES may be a Parquet folder, a glob or "
                        "comma-separated files)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="dask engine: a Dask scheduler (default: this machine)")
    p.add_argument("--partitions", type=int, help="dask engine: partitions after the shuffle by conversation")
    p.add_argument("--workdir", help="dask engine: where the shuffled messages go for the run (a temporary folder "
                                     "inside it; on a cluster, storage every worker can read)")
    p.set_defaults(func=cmd_metrics)

    p = sub.add_parser("score", help="add language, sentiment and sentiment_label to every row of a CSV")
    p.add_argument("input", help="CSV file (UTF-8, with a header)")
    p.add_argument("--text-column", default="text", help="column holding the message text (text)")
    p.add_argument("--group-column", default="conversation_id",
                   help="rows of one group share a language when a text alone is undecided (conversation_id)")
    p.add_argument("-o", "--output", required=True, help="output CSV (all input columns kept)")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("report", help="render a report template to HTML (and PDF)")
    p.add_argument("template", help="bundled template (overview, agents, effort) or a notebook path")
    p.add_argument("--messages", required=True, help="canonical messages (Parquet, from csqa ingest)")
    p.add_argument("--conversations", dest="conversations_path",
                   help="conversations from csqa metrics (default: computed from the messages)")
    p.add_argument("--calendar", dest="calendar_path", help="business-hours calendar (TOML)")
    p.add_argument("--title", help="report title (default: the template's, in the report language)")
    _window_arguments(p)
    p.add_argument("-p", "--param", nargs=2, action="append", metavar=("NAME", "VALUE"),
                   help="any other template parameter (a JSON value or a plain string); repeatable")
    p.add_argument("--pdf", action="store_true", help="also write a PDF (needs the pdf extra)")
    _no_redact_argument(p)
    p.add_argument("-o", "--output", required=True, help="output folder")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("export", help="write one row per conversation (CSV, Parquet) and per agent (CSV)")
    p.add_argument("messages", help="canonical messages (Parquet, from csqa ingest)")
    p.add_argument("--conversations", help="conversations from csqa metrics (default: computed)")
    p.add_argument("--calendar", help="business-hours calendar (TOML) for *_bh_s columns")
    _no_redact_argument(p)
    p.add_argument("-o", "--output", required=True, help="output folder")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("demo", help="ingest the bundled sample, write exports and the overview report")
    p.add_argument("-o", "--output", default="reports/demo", help="output folder (reports/demo)")
    p.add_argument("--pdf", action="store_true", help="also write a PDF (needs the pdf extra)")
    _no_redact_argument(p)
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CsqaError as exc:
        _say(f"csqa: error: {exc}")
        return EXIT_REJECTED if type(exc).__name__ == "ReportError" else EXIT_INPUT
    except OSError as exc:
        _say(f"csqa: error: {exc.filename or ''}: {exc.strerror or exc}")
        return EXIT_INPUT
    except KeyboardInterrupt:
        _say("csqa: interrupted; no partial output was written")
        return 130


if __name__ == "__main__":
    sys.exit(main())
