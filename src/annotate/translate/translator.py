"""Sentence-by-sentence zh→en translation with an installed Argos package.

* The package is found through argostranslate's own package registry (its settings are
  read at import, so ARGOS_PACKAGES_DIR is set first, and a stub ``stanza`` module stands
  in when the real one is absent: argos imports it at module level but we never use its
  sentence splitters, which download models — we hand it our own sentences).
* Sentences are translated in batches directly with the package's CTranslate2 model and
  SentencePiece model (argos's ``translate()`` takes one text at a time and splits it
  again); beam size and threads are configurable.
* Glossary terms are protected by placeholders before translation and replaced by the
  entry's English after; when a placeholder does not survive, the sentence is translated
  without protection and the term is reported as not enforced.
* Results are cached in SQLite (see cache.py); guards flag repetition, empty output,
  hitting the length cap and Chinese left in the English.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import EnvironmentProblem
from ..model import Document, GlossaryEntry, TermLink, Translation
from .adherence import adherence
from .cache import TranslationCache
from .models import ModelInfo

ENFORCEMENT_VERSION = "placeholders-1"
_PLACEHOLDER = "TERM{}"  # Latin capitals and a letter index: NMT models copy such tokens through
_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_HAN = re.compile(r"[\u3400-\u9fff]")
MAX_PIECES = 256  # argos's output cap per sentence
MAX_INPUT = 1024  # argos cuts input here


@dataclass
class TranslateStats:
    sentences_translated: int = 0  # translated by the model in this run
    cache_hits: int = 0
    model_calls: int = 0  # batches sent to CTranslate2
    flagged: int = 0
    adherence_ok: int = 0
    adherence_total: int = 0


def import_argostranslate(packages_dir: Path):
    """argostranslate, configured for ``packages_dir``; imported once per process."""
    os.environ["ARGOS_PACKAGES_DIR"] = str(packages_dir)
    if "stanza" not in sys.modules and importlib.util.find_spec("stanza") is None:
        # argostranslate.sbd does `import stanza` at module level; we never call it (see docstring).
        sys.modules["stanza"] = types.ModuleType("stanza")
    import argostranslate.package

    return argostranslate


def protect(text: str, terms: Sequence[TermLink], offset: int, entries: Mapping[str, GlossaryEntry]) -> tuple[str, dict[str, str]]:
    """Replace each linked term (block offsets; ``offset`` = sentence start) by a placeholder."""
    out, mapping, pos = [], {}, 0
    for k, t in enumerate(sorted(terms, key=lambda t: t.start)):
        entry = entries.get(t.entry_id)
        s, e = t.start - offset, t.end - offset
        if entry is None or s < pos or k >= len(_LETTERS):
            continue
        ph = _PLACEHOLDER.format(_LETTERS[k])
        out.append(text[pos:s])
        out.append(f" {ph} ")
        mapping[ph] = t.entry_id
        pos = e
    out.append(text[pos:])
    return "".join(out), mapping


def restore(translation: str, mapping: Mapping[str, str], entries: Mapping[str, GlossaryEntry]) -> tuple[str, list[str], list[str]]:
    """Put each entry's English where its placeholder is; returns (text, enforced IDs, lost IDs)."""
    enforced, lost = [], []
    for ph, entry_id in mapping.items():
        pattern = re.compile(rf"\b{ph}\b", re.IGNORECASE)
        if pattern.search(translation):
            translation = pattern.sub(entries[entry_id].target, translation, count=1)
            enforced.append(entry_id)
        else:
            lost.append(entry_id)
    return re.sub(r"\s+", " ", translation).strip(), enforced, lost


def guard_flags(source: str, output: str, pieces_in: int, pieces_out: int, cap: int) -> list[str]:
    flags = []
    words = output.split()
    if not words:
        flags.append("empty")
    if pieces_out >= cap:
        flags.append("length-cap")
    for n in (1, 2, 3):
        grams = [tuple(words[i : i + n]) for i in range(len(words) - n + 1)]
        runs = sum(1 for i in range(len(grams) - n) if grams[i] == grams[i + n])
        if grams and runs >= 3:
            flags.append("repetition")
            break
    if _HAN.search(output):
        flags.append("untranslated-chinese")
    return flags


class Translator:
    """One loaded model; ``translate_document`` fills ``Sentence.translation``."""

    def __init__(self, model: ModelInfo, *, cache_path: Path, beam_size: int = 2, threads: int = 0, batch_size: int = 32) -> None:
        import ctranslate2
        import sentencepiece

        argos = import_argostranslate(model.path.parent)
        found = [p for p in argos.package.get_installed_packages() if Path(p.package_path) == model.path]
        if not found:
            raise EnvironmentProblem("argostranslate does not see the installed package", path=model.path,
                                     hint="reinstall it with annotate models install")
        self.model = model
        self.model_id = model.model_id
        self.beam_size, self.batch_size = beam_size, batch_size
        self._ct2 = ctranslate2.Translator(str(model.path / "model"), device="cpu", inter_threads=1, intra_threads=threads)
        self._sp = sentencepiece.SentencePieceProcessor(model_file=str(model.path / "sentencepiece.model"))
        self.cache = TranslationCache(cache_path)
        self.stats = TranslateStats()
        self._argos_version = getattr(argos, "__version__", "") or _dist_version("argostranslate")

    # -- raw model ---------------------------------------------------------------------
    def _settings(self) -> str:
        return f"{self.model_id}|beam={self.beam_size}|{ENFORCEMENT_VERSION}"

    def translate_texts(self, texts: Sequence[str]) -> list[tuple[str, list[str]]]:
        """(English, guard flags) per text, from the cache or the model (in batches)."""
        results: list[tuple[str, list[str]] | None] = [self.cache.get(self._settings(), t) for t in texts]
        todo = [i for i, r in enumerate(results) if r is None]
        self.stats.cache_hits += len(texts) - len(todo)
        for start in range(0, len(todo), self.batch_size):
            batch = todo[start : start + self.batch_size]
            pieces = [self._sp.encode(texts[i][:MAX_INPUT], out_type=str) for i in batch]
            caps = [min(MAX_PIECES, len(p)) for p in pieces]
            out = self._ct2.translate_batch(pieces, beam_size=self.beam_size, max_decoding_length=max(caps or [1]))
            self.stats.model_calls += 1
            fresh = []
            for i, p, cap, r in zip(batch, pieces, caps, out, strict=True):
                hyp = r.hypotheses[0][:cap]
                english = self._sp.decode(hyp)
                flags = guard_flags(texts[i], english, len(p), len(hyp), MAX_PIECES)
                results[i] = (english, flags)
                fresh.append((texts[i], english, flags))
            self.cache.put_many(self._settings(), fresh)
            self.stats.sentences_translated += len(batch)
        return [r for r in results if r is not None]

    # -- documents -------------------------------------------------------------------------
    def translate_document(self, doc: Document, entries: Mapping[str, GlossaryEntry]) -> TranslateStats:
        before = TranslateStats(**vars(self.stats))
        sentences = doc.sentences
        protected = [protect(s.text, s.terms, s.start, entries) for s in sentences]
        first = self.translate_texts([p for p, _ in protected])
        plain_needed = []
        done: list[tuple[str, list[str], list[str], list[str]]] = []
        for (english, flags), (_, mapping) in zip(first, protected, strict=True):
            text, enforced, lost = restore(english, mapping, entries)
            done.append((text, flags, enforced, lost))
            if lost:
                plain_needed.append(len(done) - 1)
        # Fallback: where a placeholder was lost, translate the sentence as it is.
        if plain_needed:
            plain = self.translate_texts([sentences[i].text for i in plain_needed])
            for i, (english, flags) in zip(plain_needed, plain, strict=True):
                text, _, enforced, lost = done[i]
                done[i] = (english, flags, [], lost)
        for s, (text, flags, enforced, lost) in zip(sentences, done, strict=True):
            checks = adherence(text, s.terms, entries)
            missing = sorted({eid for eid, ok in checks if not ok})
            all_flags = list(flags) + [f"term-not-enforced:{eid}" for eid in lost]
            s.translation = Translation(text=text, origin="mt", model=self.model_id, enforced_terms=enforced,
                                        missing_terms=missing, flags=all_flags)
            self.stats.adherence_total += len(checks)
            self.stats.adherence_ok += sum(ok for _, ok in checks)
            self.stats.flagged += bool(flags)
        if "translate" not in doc.layers:
            doc.layers.append("translate")
        doc.tools["argostranslate"] = self._argos_version
        doc.tools["translation-model"] = self.model_id
        return TranslateStats(**{k: getattr(self.stats, k) - getattr(before, k) for k in vars(self.stats)})


def _dist_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return ""
