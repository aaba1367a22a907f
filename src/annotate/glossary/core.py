"""The merged glossary: entries from every file, problems, and linking into documents."""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_right
from functools import cached_property
from pathlib import Path

from ..model import Document, GlossaryEntry, TermLink
from .checks import cross_entry_problems
from .tsv import Problem, glossary_files, read_tsv


class Glossary:
    def __init__(self, entries: list[GlossaryEntry], problems: list[Problem]) -> None:
        self.entries = entries
        self.problems = problems

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @cached_property
    def by_id(self) -> dict[str, GlossaryEntry]:
        return {e.id: e for e in self.entries}

    @cached_property
    def _form_owner(self) -> dict[str, str]:
        """Chinese form → entry ID; the first entry to claim a form keeps it (problems report the rest)."""
        owner: dict[str, str] = {}
        for e in self.entries:
            if e.source not in owner:
                owner[e.source] = e.id
        for e in self.entries:
            for v in e.variants:
                owner.setdefault(v, e.id)
        return owner

    def forms(self) -> list[str]:
        """Every Chinese form that links to an entry (for the segmenter's dictionary)."""
        return sorted(self._form_owner)

    @cached_property
    def fingerprint(self) -> str:
        rows = [
            [e.id, e.source, e.target, e.comment, e.alternatives, e.variants, e.pos, e.domain, e.definition, e.source_ref, e.status]
            for e in self.entries
        ]
        return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()

    @cached_property
    def _automaton(self):
        import ahocorasick

        a = ahocorasick.Automaton()
        for form, entry_id in self._form_owner.items():
            a.add_word(form, (len(form), entry_id, form))
        if len(a):
            a.make_automaton()
        return a

    def matches(self, text: str) -> list[TermLink]:
        """Every term occurrence in ``text``: longest match first, then leftmost, then entry ID."""
        if not len(self._automaton):
            return []
        found = [
            (end + 1 - length, end + 1, entry_id, form)
            for end, (length, entry_id, form) in self._automaton.iter(text)
        ]
        found.sort(key=lambda m: (-(m[1] - m[0]), m[0], m[2]))
        taken: list[tuple[int, int]] = []
        chosen: list[TermLink] = []
        for s, e, entry_id, form in found:
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            chosen.append(TermLink(entry_id=entry_id, surface=form, start=s, end=e))
        return sorted(chosen, key=lambda t: t.start)

    def forms_in(self, text: str) -> list[str]:
        """The forms that occur in ``text`` (sorted), for the pipeline's cache keys."""
        if not len(self._automaton):
            return []
        return sorted({form for _, (_, _, form) in self._automaton.iter(text)})

    def link_document(self, doc: Document) -> int:
        """Fill ``Sentence.terms`` for every sentence; returns the number of links.

        Matching runs over the block text, not over tokens, so a term that segmentation
        split still links.  A link belongs to the sentence it starts in."""
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
    """All ``*.tsv`` files of a folder (sorted by name), or one file; never raises for bad rows."""
    entries: list[GlossaryEntry] = []
    problems: list[Problem] = []
    p = Path(path)
    if not p.exists():
        return Glossary([], [Problem(str(p), 0, "warning", "no glossary here", "create glossary/*.tsv (see glossary/README.md)")])
    for f in glossary_files(p):
        got, probs = read_tsv(f)
        entries += got
        problems += probs
    entries, more = cross_entry_problems(entries)
    return Glossary(entries, problems + more)
