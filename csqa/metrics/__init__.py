"""Metrics over the canonical messages table."""

from csqa.metrics.timing import build_conversations, response_times

__all__ = ["build_conversations", "response_times"]
