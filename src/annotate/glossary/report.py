"""Where glossary entries occur in a corpus, and which never do."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..model import Document
from .core import Glossary


@dataclass
class TermReport:
    documents: dict[str, Counter] = field(default_factory=dict)  # doc id → entry id → count
    sentences: int = 0
    sentences_with_terms: int = 0
    examples: dict[str, str] = field(default_factory=dict)  # entry id → first sentence id
    entries: list[str] = field(default_factory=list)

    @property
    def totals(self) -> Counter:
        total: Counter = Counter()
        for c in self.documents.values():
            total.update(c)
        return total

    @property
    def unused(self) -> list[str]:
        return [e for e in self.entries if e not in self.totals]

    def to_dict(self) -> dict[str, Any]:
        return {
            "entries": len(self.entries),
            "entries_used": len(self.entries) - len(self.unused),
            "coverage_entries": round((len(self.entries) - len(self.unused)) / len(self.entries), 4) if self.entries else 0,
            "sentences": self.sentences,
            "sentences_with_terms": self.sentences_with_terms,
            "occurrences": dict(sorted(self.totals.items())),
            "by_document": {d: dict(sorted(c.items())) for d, c in sorted(self.documents.items())},
            "first_occurrence": dict(sorted(self.examples.items())),
            "unused": self.unused,
        }

    def render(self, glossary: Glossary) -> str:
        d = self.to_dict()
        lines = [
            f"{d['entries_used']} of {d['entries']} entries occur ({d['coverage_entries']:.0%}); "
            f"{self.sentences_with_terms} of {self.sentences} sentences contain a term",
            "",
            "occurrences:",
        ]
        by_doc: dict[str, list[str]] = defaultdict(list)
        for doc_id, counts in d["by_document"].items():
            for eid in counts:
                by_doc[eid].append(doc_id)
        for eid, n in sorted(self.totals.items(), key=lambda kv: (-kv[1], kv[0])):
            e = glossary.by_id.get(eid)
            lines.append(f"  {n:5}  {e.source if e else eid}  ({eid})  in {', '.join(by_doc[eid])}")
        if self.unused:
            lines += ["", "never occur:"] + [f"  {glossary.by_id[e].source}  ({e})" for e in self.unused]
        return "\n".join(lines)


def term_report(docs: Iterable[Document], glossary: Glossary) -> TermReport:
    report = TermReport(entries=[e.id for e in glossary.entries])
    for doc in docs:
        counts: Counter = Counter()
        for s in doc.sentences:
            report.sentences += 1
            if s.terms:
                report.sentences_with_terms += 1
            for t in s.terms:
                counts[t.entry_id] += 1
                report.examples.setdefault(t.entry_id, s.id)
        report.documents[doc.id] = counts
    return report
