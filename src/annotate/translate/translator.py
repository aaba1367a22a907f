"""Sentence-aligned, glossary-aware, cached machine translation.

For each sentence: protect its glossary terms with placeholders, look the protected
text up in the cache, send the misses to the model in batches (committing each batch
to the cache), put the glossary English in (:mod:`annotate.translate.enforce`: where
the placeholder came through, else where the model's attention says the term's
English is), and check the result (guards and term adherence).  **Each sentence goes
to the model once**: a lost placeholder is repaired from the same output, never by a
second translation.  Sentences with no Chinese besides their glossary terms (dates,
numbers, a heading that is one term) are not sent to the model: the terms' English
and the rest, with Chinese punctuation made Western, is the translation.

Language models (GGUF backend) get no placeholders: the sentence's glossary pairs go in
the prompt, the answer is checked, and a sentence whose answer lacks an approved English
gets one repair request naming the missing terms (never a second full translation).
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Document, GlossaryEntry, Sentence, TermLink, Translation
from ..zh import has_han
from .adherence import adherence, uses_rendering
from .argos import argos_version
from .backend import ArgosBackend, Backend, RawOutput, Request, open_backend
from .cache import TranslationCache
from .enforce import NOT_ENFORCED, enforce_terms
from .flags import flag_name
from .guards import output_flags
from .models import ModelInfo
from .placeholders import ENFORCE_MODES, Protected, clean_source, english_in_place, protect, western_punctuation


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
    names: list[str] = field(default_factory=list)  # named entities that are no glossary term (checked)
    context: str = ""  # the article headline, for backends that take context (LLMs)

    @classmethod
    def from_sentence(cls, s: Sentence, entries: Mapping[str, GlossaryEntry], context: str = "") -> SentenceIn:
        terms = [TermLink(t.entry_id, t.surface, t.start - s.start, t.end - s.start) for t in s.terms]
        in_terms = {t.surface for t in s.terms}
        names = [e.text for e in s.entities if e.type in ("PER", "LOC", "ORG") and e.text not in in_terms]
        return cls(s.id, s.text, terms, entries, names, context)

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
    model_calls: int = 0  # backend invocations (a CTranslate2 batch, or a group of LLM requests)
    model_sentences: int = 0  # requests sent to the model (each sentence once, plus LLM repairs)
    repairs: int = 0  # LLM repair requests (a glossary term missing from the first answer)
    enforced: int = 0  # term uses forced into the output (by placeholder or alignment)
    aligned: int = 0  # of which by attention alignment (the placeholder was lost)
    not_enforced: int = 0  # term uses whose English could not be put in (flagged)
    flagged: int = 0  # sentences with at least one flag
    adherence_ok: int = 0
    adherence_total: int = 0
    flag_counts: Counter[str] = field(default_factory=Counter)  # by flag name (term-not-enforced, number-missing …)

    def add(self, other: TranslateStats) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


class Translator:
    """Translates sentences zh→en with one installed model, through its backend (backend.py).

    ``enforce``: which glossary entries are forced into the English: "all" (default),
    "approved" only, or "none" (terms are then only checked)."""

    def __init__(self, model: ModelInfo, *, cache_path: Path, beam_size: int = 2, threads: int = 0,
                 batch_size: int = 32, enforce: str = "all", backend: Backend | None = None,
                 llm_repair: bool = False) -> None:
        if enforce not in ENFORCE_MODES:
            raise ValueError(f"enforce must be one of {ENFORCE_MODES}")
        if beam_size < 1 or batch_size < 1 or threads < 0:
            raise ValueError("beam_size and batch_size must be ≥ 1, threads ≥ 0")
        self.model = model
        self.enforce = enforce
        self.llm_repair = llm_repair  # LLM backends: a repair request for an answer missing a term
        self.batch_size = batch_size
        # Loads the model at the first cache miss: a cached re-run never loads it.
        self.backend = backend or open_backend(model, beam_size=beam_size, threads=threads, batch_size=batch_size)
        self.cache = TranslationCache(cache_path)
        self.cache_settings = self.backend.settings_key
        self.progress = True  # print progress lines on stderr for slow (LLM) backends
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
        if not self.backend.uses_placeholders:
            return self._record(stats, items, self._translate_llm(items, stats))
        protected = [protect(it.text, it.located_terms(), it.entries, self.enforce) for it in items]
        raw, fresh = self._outputs([p.text for p in protected if has_han(p.text)], stats)
        done: list[Translation] = []
        for it, p in zip(items, protected, strict=True):
            if has_han(p.text):
                out = raw[p.text]
                new = p.text in fresh
                stats.sentences_translated += new
                stats.cache_hits += not new
                done.append(self._finish(it, p, out, stats))
            else:  # numbers, Latin, or glossary terms only: nothing for the model
                text = western_punctuation(p.text)
                done.append(self._finish(it, p, RawOutput(text, 0, 0), stats, copied=True))
                stats.copied += 1
        return self._record(stats, items, done)

    def _record(self, stats: TranslateStats, items: Sequence[SentenceIn], done: list[Translation]) -> list[Translation]:
        for it, r in zip(items, done, strict=True):
            stats.flagged += bool(r.flags)
            stats.flag_counts.update(flag_name(f) for f in r.flags)
            checked = len({t.entry_id for t in it.terms if t.entry_id in it.entries})
            stats.adherence_total += checked
            stats.adherence_ok += checked - len(r.missing_terms)
        self.stats.add(stats)
        self.last_stats = stats
        return done

    # -- LLM backends: glossary in the prompt, check, repair ----------------------------
    def _translate_llm(self, items: Sequence[SentenceIn], stats: TranslateStats) -> list[Translation]:
        """First pass with each sentence's glossary English in place of its terms; with ``llm_repair``,
        a repair request for each sentence whose answer lacks an approved English; never the same
        sentence translated twice."""
        located = [it.located_terms() for it in items]
        chosen = [[(s.entry_id, s.target) for s in protect(it.text, links, it.entries, self.enforce).slots]
                  for it, links in zip(items, located, strict=True)]
        requests: list[Request | None] = []
        for it, links, picks in zip(items, located, chosen, strict=True):
            if not has_han(clean_source(it.text)):
                requests.append(None)
                continue
            surface = {t.entry_id: t.surface for t in reversed(links)}
            # the pairs are not shown to the model (p9): they key the cache and name a repair's terms
            pairs = tuple(dict.fromkeys((surface.get(e, it.entries[e].source), target) for e, target in picks))
            text = english_in_place(it.text, links, it.entries, self.enforce)
            requests.append(Request(text, context=clean_source(it.context), terms=pairs))
        first, fresh = self._answers([r for r in requests if r is not None], stats)
        repairs: dict[int, Request] = {}
        for i, (it, r, picks) in enumerate(zip(items, requests, chosen, strict=True)):
            if r is None:
                continue
            missing = self._missing(first[r.cache_key()].text, it, picks)
            if missing and self.llm_repair:
                # the repair reads the sentence as written: its Chinese is what the draft left out
                repairs[i] = Request(clean_source(it.text), terms=r.terms, draft=first[r.cache_key()].text,
                                     missing=tuple(p for p, (e, _) in zip(r.terms, dict.fromkeys(picks), strict=False)
                                                   if e in missing))
        second, fresh2 = self._answers(list(repairs.values()), stats)
        stats.repairs += len(repairs)
        results: list[Translation] = []
        for i, (it, r, picks) in enumerate(zip(items, requests, chosen, strict=True)):
            if r is None:
                results.append(Translation(text=western_punctuation(clean_source(it.text)), origin=self.backend.origin,
                                           model=self.model_id, engine=self.backend.engine_name))
                stats.copied += 1
                continue
            out = first[r.cache_key()]
            new = r.cache_key() in fresh
            enforced_by = {e: "prompt" for e, _ in picks}
            missing = self._missing(out.text, it, picks)
            if i in repairs:
                key = repairs[i].cache_key()
                new = new or key in fresh2
                fixed = second[key]
                still = self._missing(fixed.text, it, picks)
                if fixed.text.strip() and len(still) < len(missing) and not set(still) - set(missing):
                    enforced_by.update({e: "repair" for e in missing if e not in still})
                    out, missing = fixed, still
            enforced_by.update({e: NOT_ENFORCED for e in missing})
            stats.sentences_translated += new
            stats.cache_hits += not new
            stats.enforced += sum(v != NOT_ENFORCED for v in enforced_by.values())
            stats.not_enforced += len(missing)
            results.append(self._checked(it, out.text, out, enforced_by, [f"term-not-enforced:{e}" for e in missing]))
        return results

    @staticmethod
    def _missing(text: str, it: SentenceIn, picks: list[tuple[str, str]]) -> list[str]:
        """Entry IDs among ``picks`` whose renderings the English lacks."""
        return [e for e, _ in dict.fromkeys(picks) if not uses_rendering(text, it.entries[e])]

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
        step = self.backend.commit_every  # several batches per commit: little lost if killed
        self._progress_start(len(missing))
        for k in range(0, len(missing), step):
            chunk = missing[k:k + step]
            outputs = self.backend.translate([r for _, r in chunk])
            stats.model_calls += 1
            stats.model_sentences += len(chunk)
            pairs = [(key, out) for (key, _), out in zip(chunk, outputs, strict=True)]
            self.cache.put_many(self.model_id, self.cache_settings, pairs)
            found.update(pairs)
            self._progress_step(len(chunk))
        return found, {k for k, _ in missing}

    # -- progress (slow backends only) --------------------------------------------------
    def _progress_start(self, total: int) -> None:
        self._todo, self._done, self._t0 = total, 0, time.monotonic()

    def _progress_step(self, n: int) -> None:
        self._done += n
        if self.backend.origin != "llm" or not self.progress:
            return
        spent = time.monotonic() - self._t0
        each = spent / self._done
        left = each * (self._todo - self._done)
        print(f"annotate: translated {self._done} of {self._todo} with {self.model_id} "
              f"({each:.1f} s each, about {left / 60:.0f} min left)", file=sys.stderr, flush=True)

    def _finish(self, it: SentenceIn, p: Protected, out: RawOutput, stats: TranslateStats, *,
                copied: bool = False) -> Translation:
        """Placeholder backends: the glossary English put in (placeholder or alignment), then checked."""
        enforced = enforce_terms(out.text, p, out.alignment)
        by_entry = enforced.by_entry(p)
        for how in enforced.by_slot:
            stats.enforced += how != NOT_ENFORCED
            stats.aligned += how == "alignment"
            stats.not_enforced += how == NOT_ENFORCED
        flags = [f"term-not-enforced:{e}" for e, how in by_entry.items() if how == NOT_ENFORCED]
        for t in it.terms:  # linked but not forced (enforce mode, no English): recorded as such, not flagged
            if t.entry_id in it.entries:
                by_entry.setdefault(t.entry_id, NOT_ENFORCED)
        return self._checked(it, _tidy_spaces(enforced.text), out, by_entry, flags, copied=copied)

    def _checked(self, it: SentenceIn, text: str, out: RawOutput, by_entry: dict[str, str], flags: list[str], *,
                 copied: bool = False) -> Translation:
        """The Translation with every check's flags (checks.py) and the terms still missing."""
        if not copied:
            flags = output_flags(it.text, text, source_pieces=out.source_pieces, output_pieces=out.output_pieces,
                                 max_decoding_length=self.backend.max_decoding_length, raw_output=out.text,
                                 names=it.names) + flags
        missing = [entry_id for entry_id, ok in adherence(text, it.terms, it.entries) if not ok] if it.terms else []
        return Translation(text=text, origin=self.backend.origin, model=self.model_id, engine=self.backend.engine_name,
                           enforced_terms=[e for e, how in by_entry.items() if how != NOT_ENFORCED],
                           enforced_by=by_entry, missing_terms=missing, flags=flags)

    # -- documents ----------------------------------------------------------------
    def translate_document(self, doc: Document, entries: Mapping[str, GlossaryEntry]) -> TranslateStats:
        """Fill ``sentence.translation`` for every sentence; record the tools and the layer."""
        sentences = doc.sentences
        context = {}
        for a in doc.articles:
            headline = a.headline.replace("\n", " ")
            for b in a.blocks:
                for s in b.sentences:
                    context[s.id] = "" if b.kind == "headline" else headline
        results = self.translate([SentenceIn.from_sentence(s, entries, context.get(s.id, "")) for s in sentences])
        for s, r in zip(sentences, results, strict=True):
            s.translation = r
        if isinstance(self.backend, ArgosBackend):
            doc.tools["argostranslate"] = argos_version()
        doc.tools["translation-model"] = self.model_id
        doc.tools["translation-engine"] = self.backend.engine_name
        if "translate" not in doc.layers:
            doc.layers.append("translate")
        return self.last_stats
