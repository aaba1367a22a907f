"""The translation backend interface: what the Translator needs from a model runtime.

A backend turns :class:`Request` objects (a sentence as the model should see it, with
what else the model may use) into :class:`RawOutput` objects (the model's English before
glossary substitution).  The Translator does everything around it: placeholder
protection, the cache, enforcement checks and repairs, guards.  Two backends exist:

* ``argos`` (:class:`ArgosBackend`): an Argos package run by CTranslate2 (engine.py).
  Glossary terms reach it as placeholders in ``Request.text``.
* ``gguf``: an instruction LLM from a GGUF file (llm.py).  Glossary terms reach it as
  (Chinese, English) pairs in ``Request.terms``, the headline as ``Request.context``.

A backend is cheap to create: the model is loaded at the first :meth:`Backend.translate`,
so a re-run answered from the cache never loads it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from .align import Alignment
from .models import ModelInfo


@dataclass(frozen=True)
class Request:
    """One sentence for the model.

    ``text``: the source exactly as the model should see it (placeholders already in it
    for a backend that uses them).  ``context``: the article headline, or "".
    ``terms``: (Chinese, approved English) glossary pairs for the sentence, for backends
    that take the glossary in the prompt.  ``missing``: the subset of ``terms`` a first
    answer left out (a repair request); ``draft``: that first answer."""

    text: str
    context: str = ""
    terms: tuple[tuple[str, str], ...] = ()
    missing: tuple[tuple[str, str], ...] = ()
    draft: str = ""

    def cache_key(self) -> str:
        """The exact input, as one string: the cache's ``source`` column.

        A plain request (no context, terms or repair) is keyed by its text alone, so the
        Argos cache rows written before this interface existed stay valid."""
        if not (self.context or self.terms or self.missing or self.draft):
            return self.text
        return json.dumps({"text": self.text, "context": self.context, "terms": self.terms,
                           "missing": self.missing, "draft": self.draft}, ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class RawOutput:
    """One model output, before placeholders are substituted."""

    text: str
    source_pieces: int
    output_pieces: int
    #: Which source piece each output piece came from (the model's attention), for glossary
    #: enforcement when a placeholder is not copied through; None when the backend has none.
    alignment: Alignment | None = None


class Backend(Protocol):
    """What every backend provides."""

    model: ModelInfo
    #: ``Translation.origin`` of its output: "mt" (an NMT model) or "llm" (a language model's draft).
    origin: str
    #: True: glossary terms are protected by placeholders in the text; False: given as pairs in the request.
    uses_placeholders: bool
    #: The decoder's hard cap on output pieces (the guards flag an output that reaches it).
    max_decoding_length: int
    calls: int  # model invocations so far
    sentences: int  # requests sent to the model so far
    commit_every: int  # requests per cache commit (and per progress step)

    @property
    def settings_key(self) -> str:
        """Everything besides model and input that changes an output: part of the cache key."""
        ...

    @property
    def engine_name(self) -> str:
        """The runtime and its version, for ``Translation.engine``: "ctranslate2 4.5.0"."""
        ...

    @property
    def loaded(self) -> bool:
        """True once the model has been loaded (a cached re-run never loads it)."""
        ...

    def translate(self, requests: Sequence[Request]) -> list[RawOutput]:
        """One output per request, in order (one or more model calls)."""
        ...


def package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:  # pragma: no cover
        return "unknown"


class ArgosBackend:
    """An Argos package (CTranslate2 + SentencePiece) through the batched :class:`Engine`."""

    origin = "mt"
    uses_placeholders = True

    def __init__(self, model: ModelInfo, *, beam_size: int = 2, threads: int = 0, batch_size: int = 32) -> None:
        from .engine import DecodeSettings

        if beam_size < 1 or batch_size < 1 or threads < 0:
            raise ValueError("beam_size and batch_size must be ≥ 1, threads ≥ 0")
        self.model = model
        self.settings = DecodeSettings(beam_size=beam_size)
        self.threads = threads
        self.batch_size = batch_size
        self.max_decoding_length = self.settings.max_decoding_length
        self.commit_every = batch_size * 4  # several CTranslate2 batches per commit: less padding, little lost if killed
        self._engine = None

    @property
    def settings_key(self) -> str:
        from .placeholders import SCHEME

        return f"{self.settings.key()};ph={SCHEME}"

    @property
    def engine_name(self) -> str:
        return f"ctranslate2 {package_version('ctranslate2')}"

    @property
    def loaded(self) -> bool:
        return self._engine is not None

    @property
    def engine(self):  # -> Engine
        if self._engine is None:
            from .engine import Engine

            self._engine = Engine(self.model, beam_size=self.settings.beam_size, threads=self.threads,
                                  batch_size=self.batch_size)
        return self._engine

    @property
    def calls(self) -> int:
        return self._engine.calls if self._engine else 0

    @property
    def sentences(self) -> int:
        return self._engine.sentences if self._engine else 0

    def translate(self, requests: Sequence[Request]) -> list[RawOutput]:
        return self.engine.translate([r.text for r in requests])


def open_backend(model: ModelInfo, *, beam_size: int = 2, threads: int = 0, batch_size: int = 32) -> Backend:
    """The backend for an installed model, by its kind."""
    if model.kind == "gguf":
        from .llm import LLMBackend

        return LLMBackend(model, threads=threads, batch_size=batch_size)
    return ArgosBackend(model, beam_size=beam_size, threads=threads, batch_size=batch_size)
