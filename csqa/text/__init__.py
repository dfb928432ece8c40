"""Text across English, Arabic and Persian: normalisation, language, sentiment, lexicons."""

from csqa.text.language import detect_language
from csqa.text.normalize import normalize_text
from csqa.text.sentiment import LexiconScorer, add_text_columns, score_sentiment, train_sentiment

__all__ = ["LexiconScorer", "add_text_columns", "detect_language", "normalize_text", "score_sentiment",
           "train_sentiment"]
