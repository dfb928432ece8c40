"""The conversations table: one row per conversation, timing and customer-effort columns.

>>> from csqa.sample import load_sample                      # doctest: +SKIP
>>> conv = build_conversations(load_sample())                # doctest: +SKIP
>>> conv[["transferred", "has_repeat", "fcr"]].mean()        # doctest: +SKIP
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from csqa.calendars import Calendar, CalendarSet
from csqa.metrics.automation import (
    automation_columns,
    find_canned,
    find_context_blind,
    find_human_requests,
    find_upsells,
)
from csqa.metrics.contact import repeat_contacts
from csqa.metrics.frame import Ordered, prepare
from csqa.metrics.repeats import RepeatRule, _check_rule, find_reasks, repeat_columns, score_repeats
from csqa.metrics.sentiment import find_tone_mismatches, message_scores, sentiment_columns
from csqa.metrics.surveys import _check_default, find_answers, survey_columns
from csqa.metrics.timing import _timed, conversation_timing
from csqa.metrics.transfers import find_transfers, transfer_columns

EFFORT_COLUMNS = ("n_transfers", "transferred", "n_agents", "n_queues", "ping_pong", "n_repeats",
                  "has_repeat", "reasked_info", "next_contact_s", "repeat_contact", "fcr")


def build_conversations(
    messages: pd.DataFrame,
    *,
    include_bots: bool = False,
    burst: str = "first",
    from_handoff: bool = False,
    calendar: Calendar | CalendarSet | None = None,
    effort: bool = True,
    transfer_source: str = "auto",
    rule: RepeatRule | None = None,
    vectorizer=None,
    within_days: float = 7,
    topic: str | None = None,
    sentiment: bool = True,
    scorer=None,
    automation: bool = True,
    surveys: bool = True,
    survey_default: str = "csat",
) -> pd.DataFrame:
    """The conversations table.

    Timing and counts: conversation_id, started_at, ended_at, channel, queue (the
    first queue it entered), final_queue, customer_id, n_messages,
    n_customer_messages, n_agent_messages, n_bot_messages, n_notes, n_turns,
    n_answered_turns, answered, first_response_s, median_response_s,
    max_response_s, resolution_s (first customer message to last close),
    first_resolution_s, n_reopens, closed, clock_skew (a message is timestamped
    before the one it follows: durations may be negative and are kept, not zeroed;
    see :func:`csqa.metrics.data_quality`); ``*_bh_s`` business-time twins and
    outside_hours (the first customer message came while the queue was closed) when
    ``calendar`` is given. Unanswered conversations stay, with ``answered=False``
    and missing response times (censored, never 0). Options: see
    :func:`csqa.metrics.response_times`.

    Customer effort (``effort=True``): n_transfers, transferred, n_agents,
    n_queues, ping_pong (:func:`~csqa.metrics.transfers`, ``transfer_source``);
    n_repeats, has_repeat, reasked_info (:func:`~csqa.metrics.repeats`, ``rule``,
    ``vectorizer``); next_contact_s, repeat_contact, fcr
    (:func:`~csqa.metrics.repeat_contacts`, ``within_days``, ``topic``).

    Sentiment (``sentiment=True``): sentiment_first, sentiment_last, sentiment_min,
    sentiment_change over customer messages and tone_mismatch
    (:func:`~csqa.metrics.conversation_sentiment`, ``scorer``).

    Automation (``automation=True``): n_canned, canned_share, context_blind,
    human_requested, human_request_met, time_to_human_s, bot_handled, bot_contained,
    bot_escaped, upsell_to_unhappy (:mod:`csqa.metrics.automation`).

    Surveys (``surveys=True``): csat, csat_satisfied, nps_score, nps_group, ces,
    survey_answered, low_score_followed_up (:mod:`csqa.metrics.surveys`;
    ``survey_default`` names the survey of an answer without a prefix).

    A Dask DataFrame is computed partition by partition, out of core or on a cluster, with
    the same result (:func:`csqa.dask_engine.build_conversations_dask`).
    """
    options = {"include_bots": include_bots, "burst": burst, "from_handoff": from_handoff, "calendar": calendar,
               "effort": effort, "transfer_source": transfer_source, "rule": rule, "vectorizer": vectorizer,
               "sentiment": sentiment, "scorer": scorer, "automation": automation, "surveys": surveys,
               "survey_default": survey_default}
    if type(messages).__module__.startswith("dask"):
        from csqa.dask_engine import build_conversations_dask

        return build_conversations_dask(messages, within_days=within_days, topic=topic, **options)
    table = conversation_columns(messages, **options)
    return with_contacts(table, within_days=within_days, topic=topic) if effort else table


def with_contacts(table: pd.DataFrame, *, within_days: float = 7, topic: str | None = None) -> pd.DataFrame:
    """The conversations table with next_contact_s, repeat_contact and fcr added
    (:func:`~csqa.metrics.repeat_contacts`, which compares a customer's conversations)."""
    if topic is not None and topic not in table.columns:
        raise ValueError(f"The 'topic' parameter of build_conversations must name a column of the "
                         f"conversations table. Got {topic!r}; columns: {list(table.columns)}.")
    contact = repeat_contacts(table, within_days=within_days, topic=topic)
    return pd.concat([table, contact[["next_contact_s", "repeat_contact", "fcr"]]], axis=1)


def conversation_columns(
    messages: pd.DataFrame,
    *,
    include_bots: bool = False,
    burst: str = "first",
    from_handoff: bool = False,
    calendar: Calendar | CalendarSet | None = None,
    effort: bool = True,
    transfer_source: str = "auto",
    rule: RepeatRule | None = None,
    vectorizer=None,
    sentiment: bool = True,
    scorer=None,
    automation: bool = True,
    surveys: bool = True,
    survey_default: str = "csat",
    ordered: Ordered | None = None,
    repeat_statistics: tuple[np.ndarray, int] | None = None,
    canned: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """:func:`build_conversations` without the columns that compare conversations with
    each other (next_contact_s, repeat_contact, fcr), for messages holding whole
    conversations -- one part of a larger data set. ``repeat_statistics``
    (:func:`~csqa.metrics.repeats.repeat_frequency` summed over all parts) and ``canned``
    (the ``row`` of each canned reply among ``ordered``) make each part's columns
    equal those of the whole; ``csqa.dask_engine`` computes them. ``ordered``: the
    :func:`~csqa.metrics.frame.prepare` d messages, when already at hand.

    >>> from csqa.sample import load_sample
    >>> conversation_columns(load_sample(), effort=False).shape[0] > 100
    True
    """
    checked_rule = _check_rule(rule)
    _check_default(survey_default, "build_conversations")
    o = ordered if ordered is not None else prepare(messages, fn="build_conversations")
    o, turns, cal, turn_table = _timed(messages, "build_conversations", include_bots, burst,
                                       from_handoff, calendar, o=o)
    table = conversation_timing(o, turns, cal, turn_table)
    scored = message_scores(o, scorer=scorer, replies="after_negative") if sentiment or automation else None
    if sentiment:
        rows, scores = scored
        table = pd.concat([table, sentiment_columns(o, rows, scores, find_tone_mismatches(o, rows, scores))], axis=1)
    if automation:
        canned = find_canned(o) if canned is None else canned
        table = pd.concat([table, automation_columns(o, canned, find_context_blind(o), find_human_requests(o),
                                                     find_upsells(o, scored=scored))], axis=1)
    if surveys:
        table = pd.concat([table, survey_columns(o, *find_answers(o, default=survey_default))], axis=1)
    _forget_reply_text(o)
    if not effort:
        return table
    found = find_transfers(o, source=transfer_source)
    transfer_rows = found["row"].to_numpy()
    scored = score_repeats(o, transfer_rows, rule=checked_rule, vectorizer=vectorizer, frequency=repeat_statistics)
    reasks = find_reasks(o, transfer_rows)
    return pd.concat([table, transfer_columns(o, found), repeat_columns(o, scored, reasks)], axis=1)


def _forget_reply_text(o: Ordered) -> None:
    """Drop the derived texts only the automation detectors read (memory for the effort
    detectors on big tables; anything asked for again is derived again)."""
    o.__dict__.pop("_matchable", None)
    normalized = o.__dict__.get("_normalized", {})
    for key in [k for k in normalized if k[0] != "customer"]:
        del normalized[key]
