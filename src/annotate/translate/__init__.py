"""Translation: offline MT with Argos packages (batched CTranslate2, cache, glossary enforcement) and the word gloss."""

from .adherence import AdherenceReport, adherence
from .translator import TranslateStats, Translator

__all__ = ["AdherenceReport", "TranslateStats", "Translator", "adherence"]
