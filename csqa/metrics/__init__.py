"""Metrics over the canonical messages table."""

from csqa.metrics.contact import repeat_contacts
from csqa.metrics.conversations import build_conversations
from csqa.metrics.repeats import RepeatRule, reasked_info, repeat_candidates, repeats
from csqa.metrics.sentiment import conversation_sentiment, tone_mismatches
from csqa.metrics.timing import response_times
from csqa.metrics.transfers import transfer_flow, transfers

__all__ = [
    "RepeatRule", "build_conversations", "conversation_sentiment", "reasked_info", "repeat_candidates", "repeat_contacts",
    "repeats", "response_times", "tone_mismatches", "transfer_flow", "transfers",
]
