"""Metrics over the canonical messages table."""

from csqa.metrics.automation import (
    automation,
    canned_replies,
    context_blind,
    human_requests,
    templates,
    upsells,
)
from csqa.metrics.availability import (
    agents_needed,
    average_speed_of_answer,
    erlang_c,
    response_by_hour,
    service_level,
    staffing,
    volume_heatmap,
)
from csqa.metrics.contact import repeat_contacts
from csqa.metrics.conversations import build_conversations
from csqa.metrics.quality import data_quality, quality_summary
from csqa.metrics.readability import agent_readability, readability
from csqa.metrics.repeats import RepeatRule, reasked_info, repeat_candidates, repeats
from csqa.metrics.scorecards import agent_scorecards
from csqa.metrics.sentiment import conversation_sentiment, tone_mismatches
from csqa.metrics.surveys import csat_drivers, survey_answers, survey_summary, surveys
from csqa.metrics.themes import complaint_themes, theme_trend
from csqa.metrics.timing import response_times
from csqa.metrics.transfers import transfer_flow, transfers

__all__ = [
    "RepeatRule", "agent_readability", "agent_scorecards", "agents_needed", "automation", "average_speed_of_answer",
    "build_conversations", "canned_replies", "complaint_themes", "context_blind", "conversation_sentiment",
    "csat_drivers", "data_quality", "erlang_c", "human_requests", "quality_summary", "readability", "reasked_info", "repeat_candidates",
    "repeat_contacts", "repeats", "response_by_hour", "response_times", "service_level", "staffing",
    "survey_answers", "survey_summary", "surveys", "templates", "theme_trend", "tone_mismatches", "transfer_flow",
    "transfers", "upsells", "volume_heatmap",
]
