"""Term adherence: does the English use an approved rendering of each glossary term in the source?

A rendering matches when its words occur in order in the English, ignoring case,
punctuation, a leading article, hyphen/space differences ("high-quality" =
"high quality" = "highquality") and simple inflection: both sides are reduced by
the same crude suffix stripper (plural -s/-es/-ies, -ed/-ied, -ing, final -e,
doubled final consonant), so "services"/"service", "delegating"/"delegate",
"policies"/"policy", "planned"/"plan" compare equal.  This is what a translator
reviews: the rate, and each miss with its sentence, term and expected renderings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..model import Document, GlossaryEntry, TermLink

_TOKEN = re.compile(r"[a-z0-9]+")
_ARTICLES = {"the", "a", "an"}
_VOWELS = set("aeiou")


def stem(word: str) -> str:
    """A crude English stem, the same for a word and its simple inflections."""
    w = word.lower()
    if len(w) < 4 or not w.isalpha():
        return w
    if w.endswith(("ies", "ied")) and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("ing") and len(w) > 5:
        w = w[:-3]
    elif (w.endswith("ed") and len(w) > 4) or (w.endswith("es") and len(w) > 4 and w[-3] in "sxzh"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in _VOWELS and w[-1] not in "ls":
        w = w[:-1]  # planned → plann → plan
    return w


def _words(text: str) -> list[str]:
    return [stem(t) for t in _TOKEN.findall(text.lower())]


@lru_cache(maxsize=4096)
def _rendering_forms(rendering: str) -> tuple[tuple[str, ...], ...]:
    """Word sequences that count as this rendering: as written, and with hyphenated parts joined."""
    tokens = _TOKEN.findall(rendering.lower())
    while tokens and tokens[0] in _ARTICLES and len(tokens) > 1:
        tokens = tokens[1:]
    forms = {tuple(stem(t) for t in tokens)}
    if "-" in rendering:
        joined = [t for t in re.split(r"[^a-z0-9-]+", rendering.lower()) if t]
        joined = [t.replace("-", "") for t in joined if t not in _ARTICLES or len(joined) == 1]
        forms.add(tuple(stem(t) for t in joined if t))
    return tuple(f for f in forms if f)


def _contains(words: Sequence[str], form: Sequence[str]) -> bool:
    n = len(form)
    first = form[0]
    return any(words[i] == first and tuple(words[i:i + n]) == tuple(form) for i in range(len(words) - n + 1))


def uses_rendering(text: str, entry: GlossaryEntry) -> bool:
    """True if ``text`` contains one of the entry's renderings (target or alternatives)."""
    words = _words(text)
    return any(_contains(words, form) for r in entry.renderings for form in _rendering_forms(r))


def adherence(translation_text: str, terms: Sequence[TermLink], entries: Mapping[str, GlossaryEntry]) -> list[tuple[str, bool]]:
    """(entry ID, uses an approved rendering) for each glossary entry linked in the sentence.

    One result per entry, in order of first occurrence; links to unknown entries are skipped."""
    words = _words(translation_text)
    out: dict[str, bool] = {}
    for t in terms:
        entry = entries.get(t.entry_id)
        if entry is None or t.entry_id in out:
            continue
        out[t.entry_id] = any(_contains(words, f) for r in entry.renderings for f in _rendering_forms(r))
    return list(out.items())


@dataclass(frozen=True)
class Miss:
    sentence_id: str
    entry_id: str
    term: str  # the Chinese as found in the sentence
    expected: tuple[str, ...]  # the approved renderings
    source: str
    translation: str


@dataclass
class AdherenceReport:
    """Adherence over a corpus: term occurrences checked, how many used an approved rendering, and the misses."""

    checked: int = 0
    ok: int = 0
    sentences: int = 0  # translated sentences with at least one glossary term
    misses: list[Miss] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return self.ok / self.checked if self.checked else None

    def add(self, sentence_id: str, source: str, translation_text: str, terms: Sequence[TermLink],
            entries: Mapping[str, GlossaryEntry]) -> list[tuple[str, bool]]:
        results = adherence(translation_text, terms, entries)
        if not results:
            return results
        self.sentences += 1
        surface = {}
        for t in terms:
            surface.setdefault(t.entry_id, t.surface)
        for entry_id, ok in results:
            self.checked += 1
            if ok:
                self.ok += 1
            else:
                self.misses.append(Miss(sentence_id, entry_id, surface[entry_id],
                                        tuple(entries[entry_id].renderings), source, translation_text))
        return results

    def add_document(self, doc: Document, entries: Mapping[str, GlossaryEntry]) -> None:
        """Every sentence of ``doc`` with a machine or human translation (glosses are not translations)."""
        for s in doc.sentences:
            if s.translation is not None and s.translation.origin in ("mt", "human") and s.terms:
                self.add(s.id, s.text, s.translation.text, s.terms, entries)

    def extend(self, others: Iterable[AdherenceReport]) -> None:
        for o in others:
            self.checked += o.checked
            self.ok += o.ok
            self.sentences += o.sentences
            self.misses += o.misses

    def summary(self) -> str:
        if not self.checked:
            return "glossary adherence: no glossary terms in the translated sentences"
        return (f"glossary adherence: {100 * self.ok / self.checked:.1f}% "
                f"({self.ok} of {self.checked} term uses in {self.sentences} sentences use an approved rendering; "
                f"{len(self.misses)} misses)")

    def render(self, verbose: bool = False) -> str:
        """The summary line; with ``verbose``, then every miss (what a translator reviews)."""
        lines = [self.summary()]
        if verbose:
            for m in self.misses:
                lines.append(f"{m.sentence_id}: {m.term} [{m.entry_id}] expected: {' | '.join(m.expected)}")
                lines.append(f"    zh: {m.source}")
                lines.append(f"    en: {m.translation}")
        return "\n".join(lines)
