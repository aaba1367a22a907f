"""The merged glossary: entries from every file, their problems, and linking into documents."""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_right
from functools import cached_property
from pathlib import Path

from ..model import Document, GlossaryEntry, TermLink
from .check import entry_problems
from .problems import Problem
from .tsv import glossary_files, read_tsv

_END_BITS = 40  # bits for a match's end offset in the packed sort key of ``Glossary.matches``


class Glossary:
    """Entries (in file order) and the problems found while reading and checking them."""

    def __init__(self, entries: list[GlossaryEntry], problems: list[Problem] | None = None) -> None:
        self.entries = entries
        self.problems = problems or []

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @cached_property
    def by_id(self) -> dict[str, GlossaryEntry]:
        return {e.id: e for e in self.entries}

    @cached_property
    def _form_owner(self) -> dict[str, str]:
        """Chinese form → entry ID.  Sources win over variants; otherwise the first entry
        (file order) keeps a form.  ``entry_problems`` reports every such conflict."""
        owner: dict[str, str] = {}
        for e in self.entries:
            owner.setdefault(e.source, e.id)
        for e in self.entries:
            for v in e.variants:
                owner.setdefault(v, e.id)
        return owner

    def forms(self) -> list[str]:
        """Every Chinese form that links to an entry, sorted (the segmenter's user dictionary)."""
        return sorted(self._form_owner)

    @cached_property
    def fingerprint(self) -> str:
        """sha256 over the normalised entries: changes exactly when linking, translation or
        exports could change (not when an entry only moves to another file or line)."""
        rows = [
            [e.id, e.source, e.target, e.comment, e.alternatives, e.variants, e.pos, e.domain, e.definition, e.source_ref, e.status]
            for e in self.entries
        ]
        return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode("utf-8")).hexdigest()

    @cached_property
    def _ranked_forms(self) -> list[tuple[str, str]]:
        """(entry ID, form) in tie-break order; a form's index is its rank."""
        return sorted((entry_id, form) for form, entry_id in self._form_owner.items())

    @cached_property
    def _automaton(self):
        # One Aho-Corasick automaton over every form: one pass over a text finds every
        # occurrence of every form, however many entries there are.  Each form's value
        # is an integer sort key (see ``matches``), so ordering matches is a C-level sort.
        import ahocorasick

        automaton = ahocorasick.Automaton()
        ranked = self._ranked_forms
        longest = max((len(f) for _, f in ranked), default=0)
        self._rank_bits = max(20, len(ranked).bit_length())
        for rank, (_, form) in enumerate(ranked):
            automaton.add_word(form, ((longest - len(form)) << (_END_BITS + self._rank_bits)) | rank)
        if len(automaton):
            automaton.make_automaton()
        return automaton

    def matches(self, text: str) -> list[TermLink]:
        """Term occurrences in ``text`` without overlaps, in text order.

        Where occurrences overlap, the longest wins, then the leftmost, then the lower
        entry ID: 放管服改革 (a variant) beats 放管服 inside it, and 辽宁自贸试验区大连片区
        beats 自贸试验区."""
        automaton = self._automaton
        if not len(automaton) or not text:
            return []
        bits = self._rank_bits
        if len(text) >= 1 << _END_BITS:
            raise ValueError("block text too long to link")
        # key = (longest - length, end, rank) packed into one int: sorted = priority order.
        keys = sorted([value | (end << bits) for end, value in automaton.iter(text)])
        ranked = self._ranked_forms
        rank_mask, end_mask = (1 << bits) - 1, (1 << _END_BITS) - 1
        taken = bytearray(len(text))
        chosen: list[TermLink] = []
        for key in keys:
            entry_id, form = ranked[key & rank_mask]
            end = ((key >> bits) & end_mask) + 1
            start = end - len(form)
            if taken.find(1, start, end) != -1:  # overlaps a longer (or equally long, earlier) match
                continue
            taken[start:end] = b"\1" * (end - start)
            chosen.append(TermLink(entry_id=entry_id, surface=form, start=start, end=end))
        chosen.sort(key=lambda t: t.start)
        return chosen

    def forms_in(self, text: str) -> list[str]:
        """The forms that occur in ``text`` (sorted), for the pipeline's cache keys."""
        if not len(self._automaton):
            return []
        ranked, mask = self._ranked_forms, (1 << self._rank_bits) - 1
        return sorted({ranked[value & mask][1] for _, value in self._automaton.iter(text)})

    def link_document(self, doc: Document) -> int:
        """Fill ``Sentence.terms`` of every sentence of every block; returns the number of links.

        Matching runs over the whole block text, not over tokens, so a term that word
        segmentation split (双轮 | 驱动) still links; spans are offsets into the block
        text.  A link belongs to the sentence in which it starts.  It is not clipped:
        the sentence splitter never ends a sentence inside a run of Chinese characters,
        so only a form that itself contains sentence-final punctuation (。！？；) could
        reach into the next sentence, and then the whole form is what was found.
        Blocks without sentences get no links (annotate them first)."""
        n = 0
        for block in doc.blocks():
            for s in block.sentences:
                s.terms = []
            if not block.sentences:
                continue
            starts = [s.start for s in block.sentences]
            for link in self.matches(block.text):
                i = max(0, bisect_right(starts, link.start) - 1)
                block.sentences[i].terms.append(link)
                n += 1
        if "terms" not in doc.layers:
            doc.layers.append("terms")
        doc.tools["glossary"] = self.fingerprint[:12]
        return n


def load_glossary(path: str | Path) -> Glossary:
    """Every ``*.tsv`` of a folder (sorted by file name, merged), or one file.

    Never raises for bad content: problems are collected in ``Glossary.problems``; a
    missing path gives an empty glossary with a warning, so the pipeline still runs."""
    p = Path(path)
    if not p.exists():
        return Glossary([], [Problem(str(p), 0, "warning", "no glossary here; texts are not linked to terms",
                                     "create glossary/*.tsv (see glossary/README.md) or pass --glossary")])
    files = glossary_files(p)
    if not files:
        return Glossary([], [Problem(str(p), 0, "warning", "no *.tsv files in this folder", "see glossary/README.md")])
    entries: list[GlossaryEntry] = []
    problems: list[Problem] = []
    for f in files:
        got, found = read_tsv(f)
        entries += got
        problems += found
    entries, more = entry_problems(entries)
    return Glossary(entries, problems + more)
