"""Translation: offline MT with argostranslate (sentence-aligned, glossary-aware, cached, checked) and the word gloss.

Nothing here imports argostranslate, CTranslate2 or SentencePiece at module level;
they load when a Translator is created.
"""

from .adherence import AdherenceReport, Miss, adherence
from .models import ModelInfo, find_model, install_model, list_models, packages_dir
from .translator import SentenceIn, TranslateStats, Translator

__all__ = [
    "AdherenceReport",
    "Miss",
    "ModelInfo",
    "SentenceIn",
    "TranslateStats",
    "Translator",
    "adherence",
    "find_model",
    "install_model",
    "list_models",
    "packages_dir",
]
