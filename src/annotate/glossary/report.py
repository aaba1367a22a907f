"""Which glossary entries occur where, how often, which never do, and how much they cover."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..model import Document, GlossaryEntry
from .core import Glossary


@dataclass
class EntryUse:
    """Where one entry occurs."""

    count: int = 0
    documents: Counter = field(default_factory=Counter)  # document ID → links
    sentences: list[str] = field(default_factory=list)  # sentence IDs, in corpus order (repeated per link)
    surfaces: Counter = field(default_factory=Counter)  # form found → links


@dataclass
class DocumentTerms:
    """Term figures of one document."""

    id: str
    sentences: int = 0
    sentences_with_terms: int = 0
    links: int = 0
    entries: Counter = field(default_factory=Counter)  # entry ID → links


@dataclass
class TermReport:
    entries: list[GlossaryEntry]
    documents: list[DocumentTerms] = field(default_factory=list)
    uses: dict[str, EntryUse] = field(default_factory=dict)

    # -- figures ----------------------------------------------------------------
    @property
    def sentences(self) -> int:
        return sum(d.sentences for d in self.documents)

    @property
    def sentences_with_terms(self) -> int:
        return sum(d.sentences_with_terms for d in self.documents)

    @property
    def links(self) -> int:
        return sum(d.links for d in self.documents)

    @property
    def used(self) -> list[GlossaryEntry]:
        return [e for e in self.entries if e.id in self.uses]

    @property
    def unused(self) -> list[GlossaryEntry]:
        return [e for e in self.entries if e.id not in self.uses]

    @property
    def unknown_ids(self) -> list[str]:
        """Entry IDs linked in the documents but absent from the glossary (stale links)."""
        known = {e.id for e in self.entries}
        return sorted(i for i in self.uses if i not in known)

    @property
    def entry_coverage(self) -> float:
        """Share of glossary entries that occur at least once."""
        return len(self.used) / len(self.entries) if self.entries else 0.0

    @property
    def sentence_coverage(self) -> float:
        """Share of sentences that contain at least one term."""
        return self.sentences_with_terms / self.sentences if self.sentences else 0.0

    # -- renderings ---------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The JSON report: corpus figures at the top, then per document and per entry."""
        by_count = sorted(self.uses.items(), key=lambda kv: (-kv[1].count, kv[0]))
        sources = {e.id: e.source for e in self.entries}
        return {
            "entries": len(self.entries),
            "entries_used": len(self.used),
            "entry_coverage": round(self.entry_coverage, 4),
            "sentences": self.sentences,
            "sentences_with_terms": self.sentences_with_terms,
            "sentence_coverage": round(self.sentence_coverage, 4),
            "links": self.links,
            "occurrences": {eid: use.count for eid, use in sorted(self.uses.items())},
            "by_document": {d.id: dict(sorted(d.entries.items())) for d in self.documents},
            "documents": {
                d.id: {
                    "sentences": d.sentences,
                    "sentences_with_terms": d.sentences_with_terms,
                    "sentence_coverage": round(d.sentences_with_terms / d.sentences, 4) if d.sentences else 0.0,
                    "links": d.links,
                    "entries_used": len(d.entries),
                }
                for d in self.documents
            },
            "terms": [  # most frequent first
                {
                    "id": eid,
                    "source": sources.get(eid, ""),
                    "count": use.count,
                    "documents": dict(sorted(use.documents.items())),
                    "surfaces": dict(sorted(use.surfaces.items(), key=lambda kv: (-kv[1], kv[0]))),
                    "sentences": list(dict.fromkeys(use.sentences)),
                }
                for eid, use in by_count
            ],
            "unused": [{"id": e.id, "source": e.source, "file": e.file, "line": e.line} for e in self.unused],
            "unknown_ids": self.unknown_ids,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    def render(self) -> str:
        """The report as plain text for a terminal."""
        sources = {e.id: e.source for e in self.entries}
        lines = [
            f"{len(self.used)} of {len(self.entries)} entries occur ({self.entry_coverage:.0%}); "
            f"{self.sentences_with_terms} of {self.sentences} sentences contain a term ({self.sentence_coverage:.0%}); "
            f"{self.links} links in {len(self.documents)} document(s)",
        ]
        if self.documents:
            lines += ["", "by document:"]
            for d in self.documents:
                share = d.sentences_with_terms / d.sentences if d.sentences else 0.0
                lines.append(f"  {d.id}: {d.links} links to {len(d.entries)} entries; "
                             f"{d.sentences_with_terms}/{d.sentences} sentences ({share:.0%})")
        if self.uses:
            lines += ["", "by entry (most frequent first):"]
            for eid, use in sorted(self.uses.items(), key=lambda kv: (-kv[1].count, kv[0])):
                where = ", ".join(f"{doc} {n}" for doc, n in sorted(use.documents.items()))
                lines.append(f"  {use.count:5}  {sources.get(eid, '?')}  [{eid}]  in {where}; first at {use.sentences[0]}")
        if self.unused:
            lines += ["", f"never occur ({len(self.unused)}):"]
            lines += [f"  {e.source}  [{e.id}]  {e.file}:{e.line}" for e in self.unused]
        if self.unknown_ids:
            lines += ["", "linked but not in the glossary (re-run annotate run): " + ", ".join(self.unknown_ids)]
        return "\n".join(lines) + "\n"


def term_report(docs: Iterable[Document], glossary: Glossary) -> TermReport:
    """Count the term links of already-linked documents (``Glossary.link_document``)."""
    report = TermReport(entries=list(glossary.entries))
    for doc in docs:
        d = DocumentTerms(doc.id)
        for s in doc.sentences:
            d.sentences += 1
            d.sentences_with_terms += bool(s.terms)
            for t in s.terms:
                d.links += 1
                d.entries[t.entry_id] += 1
                use = report.uses.setdefault(t.entry_id, EntryUse())
                use.count += 1
                use.documents[doc.id] += 1
                use.sentences.append(s.id)
                use.surfaces[t.surface] += 1
        report.documents.append(d)
    return report
