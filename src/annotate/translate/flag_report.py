"""The flags of a corpus's translations, for review: counts by flag, then each flag with both texts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..model import Document
from .flags import describe, flag_name


@dataclass(frozen=True)
class Flagged:
    sentence_id: str
    flag: str
    source: str
    translation: str


@dataclass
class FlagReport:
    sentences: int = 0  # translated sentences looked at
    flagged: list[Flagged] = field(default_factory=list)

    def add_document(self, doc: Document) -> None:
        """Every sentence with a machine translation or a language model's draft (glosses are not checked)."""
        for s in doc.sentences:
            tr = s.translation
            if tr is None or tr.origin not in ("mt", "llm"):
                continue
            self.sentences += 1
            self.flagged += [Flagged(s.id, f, s.text, tr.text) for f in tr.flags]

    def counts(self) -> Counter[str]:
        return Counter(flag_name(f.flag) for f in self.flagged)

    def summary(self) -> str:
        n = len({f.sentence_id for f in self.flagged})
        if not n:
            return f"translation flags: none ({self.sentences} sentences checked)"
        by = ", ".join(f"{name} {k}" for name, k in sorted(self.counts().items(), key=lambda x: (-x[1], x[0])))
        return f"translation flags: {n} of {self.sentences} sentences flagged ({by})"

    def render(self, verbose: bool = False) -> str:
        """The summary; with ``verbose``, each flag with its meaning, the sentence ID and both texts."""
        lines = [self.summary()]
        if verbose:
            for f in self.flagged:
                lines.append(f"{f.sentence_id}: {f.flag} — {describe(f.flag)}")
                lines.append(f"    zh: {f.source}")
                lines.append(f"    en: {f.translation}")
        return "\n".join(lines)
