"""Does the English use the glossary's approved renderings?  Per sentence, and over a corpus."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..model import Document, GlossaryEntry, TermLink


def _pattern(rendering: str) -> re.Pattern[str]:
    """Case-insensitive; hyphen or space between words; simple inflection on the last word."""
    words = re.split(r"[\s-]+", rendering.strip())
    body = r"[\s-]+".join(re.escape(w) for w in words[:-1])
    last = re.escape(words[-1]) + r"(?:s|es|ed|d|ing)?"
    sep = r"[\s-]+" if body else ""
    return re.compile(r"(?<!\w)" + body + sep + last + r"(?!\w)", re.IGNORECASE)


def adherence(text: str, terms: Sequence[TermLink], entries: Mapping[str, GlossaryEntry]) -> list[tuple[str, bool]]:
    out = []
    for entry_id in dict.fromkeys(t.entry_id for t in terms):
        e = entries.get(entry_id)
        if e is not None:
            out.append((entry_id, any(_pattern(r).search(text) for r in e.renderings if r.strip())))
    return out


@dataclass
class AdherenceReport:
    checked: int = 0
    ok: int = 0
    misses: list[tuple[str, str, str, list[str], str]] = field(default_factory=list)  # sentence, entry, source, expected, English

    def add_document(self, doc: Document, entries: Mapping[str, GlossaryEntry]) -> None:
        for s in doc.sentences:
            if s.translation is None or s.translation.origin != "mt":
                continue
            for entry_id, good in adherence(s.translation.text, s.terms, entries):
                self.checked += 1
                self.ok += good
                if not good:
                    e = entries[entry_id]
                    self.misses.append((s.id, entry_id, e.source, e.renderings, s.translation.text))

    @property
    def rate(self) -> float:
        return self.ok / self.checked if self.checked else 1.0

    def render(self, verbose: bool = False) -> str:
        lines = [f"glossary adherence: {self.ok} of {self.checked} term occurrences use an approved rendering ({self.rate:.0%})"]
        if verbose:
            for sid, eid, src, expected, english in self.misses:
                lines.append(f"  {sid}: {src} ({eid}) expected {' | '.join(expected)!r}; got: {english}")
        return "\n".join(lines)
