"""Per-process resources: the glossary, the annotator, the translator, the glosser.

Each worker process builds one :class:`Context` and keeps it for every page it is
given, so the jieba dictionary, the LAC session and a translation model are loaded
once per process, never once per page.  Everything is built on first use: a run whose
pages are all unchanged loads none of it.
"""

from __future__ import annotations

from typing import Any

from .config import Config


class Context:
    def __init__(self, config: Config, *, glossary: Any = None) -> None:
        self.config = config
        self._glossary = glossary
        self._annotator: Any = None
        self._translator: Any = None
        self._translator_opened = False
        self._glosser: Any = None
        self.model_warnings: list[str] = []

    @property
    def glossary(self) -> Any:  # annotate.glossary.Glossary
        if self._glossary is None:
            from .glossary import load_glossary

            self._glossary = load_glossary(self.config.glossary)
        return self._glossary

    @property
    def annotator(self) -> Any:  # annotate.annotation.Annotator
        if self._annotator is None:
            from .annotation import Annotator

            self._annotator = Annotator(extra_words=self.glossary.forms(), ner=self.config.ner)
        return self._annotator

    @property
    def translator(self) -> Any:  # annotate.translate.Translator | None
        if not self._translator_opened:
            self._translator_opened = True
            self._translator, self.model_warnings = open_translator(self.config)
        return self._translator

    @property
    def glosser(self) -> Any:  # annotate.translate.gloss.Glosser
        if self._glosser is None:
            from .translate.gloss import Glosser

            self._glosser = Glosser(self.glossary.by_id)
        return self._glosser

    def translation_key(self) -> str:
        """What the English depends on besides the sentence: the model and its decoding settings."""
        t = self.translator
        if t is None:
            return "gloss-only"
        return f"{t.model_id}|{t.cache_settings}" + ("|llm-repair" if t.llm_repair else "")

    def close(self) -> None:
        if self._translator is not None and hasattr(self._translator, "close"):
            self._translator.close()


def open_translator(config: Config) -> tuple[Any, list[str]]:
    """A Translator for the best usable zh→en model (or None), and a warning per broken model skipped."""
    from .translate.models import select_model

    model, warnings = select_model(config.model_dir)
    if model is None:
        return None, warnings
    from .translate import Translator

    translator = Translator(
        model,
        cache_path=config.cache / "translations.sqlite",
        beam_size=config.beam_size,
        threads=config.threads,
        batch_size=config.batch_size,
        llm_repair=config.llm_repair,
    )
    return translator, warnings


def missing_model_message(config: Config) -> str:
    from .translate.models import missing_model_hint

    return missing_model_hint(config.model_dir)
