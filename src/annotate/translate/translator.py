"""Sentence-aligned, glossary-aware, cached machine translation.

For each sentence: protect its glossary terms with placeholders, look the protected
text up in the cache, send the misses to the model in batches (committing each batch
to the cache), put the glossary English back, and check the result (guards and term
adherence).  When a placeholder does not survive, the sentence is translated again
without protection and flagged ``placeholder-lost``; its terms are then only
checked, not enforced.  Sentences with no Chinese besides their glossary terms
(dates, numbers, a heading that is one term) are not sent to the model: the terms'
English and the rest, with Chinese punctuation made Western, is the translation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Document, GlossaryEntry, Sentence, TermLink, Translation
from ..zh import has_han
from .adherence import adherence
from .argos import argos_version
from .backend import ArgosBackend, Backend, RawOutput, Request, open_backend
from .cache import TranslationCache
from .guards import output_flags
from .models import ModelInfo
from .placeholders import ENFORCE_MODES, clean_source, protect, restore, western_punctuation


def _tidy_spaces(text: str) -> str:
    """No space before closing punctuation or after an opening bracket (placeholders were spaced)."""
    return re.sub(r"([(\[]) ", r"\1", re.sub(r" ([,.;:!?)\]])", r"\1", text))


@dataclass
class SentenceIn:
    """One sentence to translate.

    ``terms`` offsets are relative to ``text`` (sentence offsets).  The document
    model stores block offsets; :meth:`from_sentence` converts them by subtracting
    ``Sentence.start``.  A link whose offsets do not point at its surface is located
    by its surface instead (first unused occurrence), or ignored for enforcement."""

    id: str
    text: str
    terms: list[TermLink] = field(default_factory=list)
    entries: Mapping[str, GlossaryEntry] = field(default_factory=dict)

    @classmethod
    def from_sentence(cls, s: Sentence, entries: Mapping[str, GlossaryEntry]) -> SentenceIn:
        terms = [TermLink(t.entry_id, t.surface, t.start - s.start, t.end - s.start) for t in s.terms]
        return cls(s.id, s.text, terms, entries)

    def located_terms(self) -> list[TermLink]:
        out: list[TermLink] = []
        taken: set[int] = set()
        for t in self.terms:
            if 0 <= t.start < t.end <= len(self.text) and self.text[t.start:t.end] == t.surface:
                out.append(t)
                taken.add(t.start)
                continue
            i = self.text.find(t.surface) if t.surface else -1
            while i >= 0 and i in taken:
                i = self.text.find(t.surface, i + 1)
            if i >= 0:
                out.append(TermLink(t.entry_id, t.surface, i, i + len(t.surface)))
                taken.add(i)
        return out


@dataclass
class TranslateStats:
    sentences: int = 0  # sentences given
    sentences_translated: int = 0  # translated by the model in this call (cache misses)
    cache_hits: int = 0
    copied: int = 0  # no Chinese in them: copied through
    model_calls: int = 0  # translate_batch invocations
    model_sentences: int = 0  # sentences sent to the model (protected and fallback passes)
    enforced: int = 0  # term uses forced into the output
    fallbacks: int = 0  # sentences whose placeholders were lost
    flagged: int = 0  # sentences with at least one flag
    adherence_ok: int = 0
    adherence_total: int = 0

    def add(self, other: TranslateStats) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


class Translator:
    """Translates sentences zh→en with one installed model, through its backend (backend.py).

    ``enforce``: which glossary entries are forced into the English: "all" (default),
    "approved" only, or "none" (terms are then only checked)."""

    def __init__(self, model: ModelInfo, *, cache_path: Path, beam_size: int = 2, threads: int = 0,
                 batch_size: int = 32, enforce: str = "all", backend: Backend | None = None) -> None:
        if enforce not in ENFORCE_MODES:
            raise ValueError(f"enforce must be one of {ENFORCE_MODES}")
        if beam_size < 1 or batch_size < 1 or threads < 0:
            raise ValueError("beam_size and batch_size must be ≥ 1, threads ≥ 0")
        self.model = model
        self.enforce = enforce
        self.batch_size = batch_size
        # Loads the model at the first cache miss: a cached re-run never loads it.
        self.backend = backend or open_backend(model, beam_size=beam_size, threads=threads, batch_size=batch_size)
        self.cache = TranslationCache(cache_path)
        self.cache_settings = self.backend.settings_key
        self.stats = TranslateStats()  # totals over every call
        self.last_stats = TranslateStats()  # the latest call

    @property
    def model_id(self) -> str:
        return self.model.model_id

    def close(self) -> None:
        self.cache.close()

    # -- sentences ----------------------------------------------------------------
    def translate(self, items: Sequence[SentenceIn]) -> list[Translation]:
        """A Translation for each item, in order."""
        stats = TranslateStats(sentences=len(items))
        protected = [protect(it.text, it.located_terms(), it.entries, self.enforce) for it in items]
        raw, fresh = self._outputs([p.text for p in protected if has_han(p.text)], stats)
        results: list[Translation | None] = [None] * len(items)
        from_model = [p.text in fresh for p in protected]
        lost: list[int] = []
        for i, (it, p) in enumerate(zip(items, protected, strict=True)):
            if not has_han(p.text):  # numbers, Latin, or glossary terms only: nothing for the model
                text = _tidy_spaces(restore(western_punctuation(p.text), p) or "")
                results[i] = Translation(text=text, origin=self.backend.origin, model=self.model_id,
                                         engine=self.backend.engine_name, enforced_terms=list(dict.fromkeys(s.entry_id for s in p.slots)))
                stats.copied += 1
                stats.enforced += len(p.slots)
                continue
            out = raw[p.text]
            text = restore(out.text, p)
            if text is None:
                lost.append(i)
                continue
            results[i] = self._finish(it, text, out, [s.entry_id for s in p.slots], [])
            stats.enforced += len(p.slots)
        if lost:  # placeholders lost: translate those sentences again, unprotected
            plain = {i: clean_source(items[i].text) for i in lost}
            raw, fresh = self._outputs(list(plain.values()), stats)
            for i in lost:
                out = raw[plain[i]]
                results[i] = self._finish(items[i], out.text, out, [], ["placeholder-lost"])
                from_model[i] = from_model[i] or plain[i] in fresh
            stats.fallbacks += len(lost)
        done = [r for r in results if r is not None]
        for it, p, r, new in zip(items, protected, done, from_model, strict=True):
            if has_han(p.text):
                stats.sentences_translated += new
                stats.cache_hits += not new
            stats.flagged += bool(r.flags)
            checked = len({t.entry_id for t in it.terms if t.entry_id in it.entries})
            stats.adherence_total += checked
            stats.adherence_ok += checked - len(r.missing_terms)
        self.stats.add(stats)
        self.last_stats = stats
        return done

    def _outputs(self, sources: list[str], stats: TranslateStats) -> tuple[dict[str, RawOutput], set[str]]:
        """Model outputs for ``sources`` (from the cache, else from the model, then cached), and those that are new."""
        requests = {s: Request(s) for s in sources}
        found, fresh = self._answers(list(requests.values()), stats)
        return {s: found[r.cache_key()] for s, r in requests.items()}, {s for s, r in requests.items()
                                                                         if r.cache_key() in fresh}

    def _answers(self, requests: list[Request], stats: TranslateStats) -> tuple[dict[str, RawOutput], set[str]]:
        """Outputs by ``Request.cache_key()``: cached ones, else the backend's (cached as they come)."""
        unique = list({r.cache_key(): r for r in requests}.items())
        found = self.cache.get_many(self.model_id, self.cache_settings, [k for k, _ in unique])
        missing = [(k, r) for k, r in unique if k not in found]
        step = self.batch_size * 4  # several batches per commit: less padding, little lost if killed
        for k in range(0, len(missing), step):
            chunk = missing[k:k + step]
            outputs = self.backend.translate([r for _, r in chunk])
            stats.model_calls += 1
            stats.model_sentences += len(chunk)
            pairs = [(key, out) for (key, _), out in zip(chunk, outputs, strict=True)]
            self.cache.put_many(self.model_id, self.cache_settings, pairs)
            found.update(pairs)
        return found, {k for k, _ in missing}

    def _finish(self, it: SentenceIn, text: str, out: RawOutput, enforced: list[str], flags: list[str]) -> Translation:
        flags = flags + output_flags(it.text, text, source_pieces=out.source_pieces, output_pieces=out.output_pieces,
                                     max_decoding_length=self.backend.max_decoding_length, raw_output=out.text)
        missing = [entry_id for entry_id, ok in adherence(text, it.terms, it.entries) if not ok] if it.terms else []
        return Translation(text=text, origin=self.backend.origin, model=self.model_id, engine=self.backend.engine_name,
                           enforced_terms=list(dict.fromkeys(enforced)), missing_terms=missing, flags=flags)

    # -- documents ----------------------------------------------------------------
    def translate_document(self, doc: Document, entries: Mapping[str, GlossaryEntry]) -> TranslateStats:
        """Fill ``sentence.translation`` for every sentence; record the tools and the layer."""
        sentences = doc.sentences
        results = self.translate([SentenceIn.from_sentence(s, entries) for s in sentences])
        for s, r in zip(sentences, results, strict=True):
            s.translation = r
        if isinstance(self.backend, ArgosBackend):
            doc.tools["argostranslate"] = argos_version()
        doc.tools["translation-model"] = self.model_id
        doc.tools["translation-engine"] = self.backend.engine_name
        if "translate" not in doc.layers:
            doc.layers.append("translate")
        return self.last_stats
