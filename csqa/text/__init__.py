"""Text across English, Arabic and Persian: normalisation for matching and phrase lexicons."""

from csqa.text.normalize import normalize_text

__all__ = ["normalize_text"]
