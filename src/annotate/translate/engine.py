"""The batched model path: argos's package objects feeding one ``ctranslate2.Translator``.

argos's ``translate()`` runs one ``translate_batch`` call per sentence (its batches are
capped at 32 *tokens*) and imports spaCy on the way.  We keep what argos knows about
a package (its tokenizer, SentencePiece or BPE, and any target prefix, via
``argostranslate.package.Package``) and send many sentences to CTranslate2 in one
call; CTranslate2 sorts them by length and cuts them into ``batch_size`` batches.
The decoding options are argos's (``replace_unknowns``, ``length_penalty=0.2``,
CTranslate2's default input cap of 1,024 pieces and output cap of 256), so a
sentence gets the same English either way: the tests check it.  docs/bench-translate.md
has the measured difference.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import EnvironmentProblem
from .align import build_alignment
from .argos import load_package
from .backend import RawOutput
from .guards import length_cap
from .models import ModelInfo


@dataclass(frozen=True)
class DecodeSettings:
    """Everything besides model and source that changes a model output (part of the cache key)."""

    beam_size: int = 2
    length_penalty: float = 0.2  # argos's value
    max_input_length: int = 1024  # CTranslate2's default, which argos relies on
    max_decoding_length: int = 256  # idem: a runaway output stops here

    def key(self) -> str:
        return (f"beam={self.beam_size};lp={self.length_penalty};in={self.max_input_length};"
                f"out={self.max_decoding_length}")


class Engine:
    """One loaded model; ``translate`` takes many sentences per call."""

    def __init__(self, model: ModelInfo, *, beam_size: int = 2, threads: int = 0, batch_size: int = 32) -> None:
        import ctranslate2

        if beam_size < 1 or batch_size < 1 or threads < 0:
            raise ValueError("beam_size and batch_size must be ≥ 1, threads ≥ 0")
        self.model = model
        self.settings = DecodeSettings(beam_size=beam_size)
        self.batch_size = batch_size
        self.package = load_package(model)
        self.tokenizer = self.package.tokenizer
        self.target_prefix: str = getattr(self.package, "target_prefix", "") or ""
        try:
            self.ct2 = ctranslate2.Translator(
                str(model.path / "model"),
                device=os.environ.get("ARGOS_DEVICE_TYPE", "cpu"),
                inter_threads=1,
                intra_threads=threads,
                compute_type="auto",  # as argos does
            )
        except (RuntimeError, ValueError, OSError) as exc:
            raise EnvironmentProblem(f"cannot load the CTranslate2 model: {exc}", path=model.path / "model",
                                     hint="reinstall the package with annotate models install") from None
        self.calls = 0  # translate_batch invocations
        self.sentences = 0  # sentences sent to the model

    def translate(self, texts: Sequence[str]) -> list[RawOutput]:
        """English for each text (one sentence each, no newlines), in order."""
        if not texts:
            return []
        pieces = [self.tokenizer.encode(t) for t in texts]
        prefix = [[self.target_prefix]] * len(pieces) if self.target_prefix else None
        s = self.settings
        results = self.ct2.translate_batch(
            pieces,
            target_prefix=prefix,
            replace_unknowns=True,
            max_batch_size=self.batch_size,
            batch_type="examples",
            beam_size=s.beam_size,
            num_hypotheses=1,
            length_penalty=s.length_penalty,
            max_input_length=s.max_input_length,
            max_decoding_length=s.max_decoding_length,
            return_attention=True,  # target→source attention: where each English piece came from
        )
        self.calls += 1
        self.sentences += len(texts)
        return [self._output(p, r.hypotheses[0], r.attention[0] if r.attention else [], t)
                for t, p, r in zip(texts, pieces, results, strict=True)]

    def _output(self, source: list[str], tokens: list[str], attention: Sequence = (), text_in: str = "") -> RawOutput:
        cap = length_cap(len(source))  # a runaway output is cut (and flagged "too-long" by the guards)
        text = self._decode(tokens[:cap]) + (" …" if len(tokens) > cap else "")
        kept, rows = tokens[:cap], list(attention[:cap])
        if self.target_prefix and kept[:1] == [self.target_prefix]:
            kept, rows = kept[1:], rows[1:]
        alignment = build_alignment(text_in, source, text, kept, rows) if rows else None
        return RawOutput(text, len(source), len(tokens), alignment)

    def _decode(self, tokens: list[str]) -> str:
        # Exactly argos's post-processing (apply_packaged_translation).
        value: str = self.tokenizer.decode(tokens)
        if self.target_prefix and value.startswith(self.target_prefix):
            value = value[len(self.target_prefix):]
        if value.startswith(" "):
            value = value[1:]
        return value

