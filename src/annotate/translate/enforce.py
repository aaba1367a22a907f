"""Glossary enforcement in layers, on one model output: nothing is translated twice.

For each protected term (a placeholder slot, :mod:`annotate.translate.placeholders`):

1. **placeholder** — the placeholder came through exactly once: the approved English
   takes its place;
2. **alignment** — it was lost, mangled or doubled: the English the model wrote for it
   is found through the model's attention (:func:`annotate.translate.align.aligned_span`)
   and replaced by the approved English;
3. **not-enforced** — neither worked (the model dropped it, or its words overlap
   another term's): the sentence is flagged ``term-not-enforced:<entry id>``.

Placeholder-like strings left over (a doubled copy, a number the model made up) are
removed: they mean nothing to a reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .align import Alignment, aligned_span, widen_to_words
from .placeholders import Protected, Span, find_placeholders, leftovers, splice

PLACEHOLDER, ALIGNMENT, NOT_ENFORCED = "placeholder", "alignment", "not-enforced"
#: Weakest first: an entry used twice in a sentence is recorded by its weakest use.
_STRENGTH = {NOT_ENFORCED: 0, ALIGNMENT: 1, PLACEHOLDER: 2}


@dataclass
class Enforced:
    text: str
    by_slot: list[str] = field(default_factory=list)  # per slot: placeholder, alignment or not-enforced

    def by_entry(self, protected: Protected) -> dict[str, str]:
        """How each entry got into the English (its weakest use when it occurs twice), in slot order."""
        out: dict[str, str] = {}
        for slot, how in zip(protected.slots, self.by_slot, strict=True):
            if slot.entry_id not in out or _STRENGTH[how] < _STRENGTH[out[slot.entry_id]]:
                out[slot.entry_id] = how
        return out


def _overlaps(span: Span, others: list[tuple[Span, str]]) -> bool:
    return any(span[0] < b and a < span[1] for (a, b), _ in others)


def enforce_terms(output: str, protected: Protected, alignment: Alignment | None) -> Enforced:
    """The output with every protected term's approved English in it, and how each got there."""
    if not protected.slots:
        return Enforced(output)
    found = find_placeholders(output)
    replacements: list[tuple[Span, str]] = []
    how: list[str | None] = [None] * len(protected.slots)
    for n, slot in enumerate(protected.slots):  # layer 1: placeholders copied through once
        spans = found.get(n, [])
        if len(spans) == 1:
            replacements.append((spans[0], slot.target))
            how[n] = PLACEHOLDER
    # layer 2: the span the model wrote for it; each widened to whole words unless that
    # would take another term's English (a model may glue two terms' pieces into one word)
    lost = [n for n in range(len(protected.slots)) if how[n] is None]
    raw = {n: aligned_span(alignment, *protected.slots[n].span, output, widen=False) if alignment else None
           for n in lost}
    for n in lost:
        span = raw[n]
        if span is not None:
            others = [sp for sp, _ in replacements] + [r for k, r in raw.items() if k != n and r is not None]
            span = widen_to_words(span, output, others)
        if span is not None and not _overlaps(span, replacements):
            replacements.append((span, protected.slots[n].target))
            how[n] = ALIGNMENT
        else:
            how[n] = NOT_ENFORCED
    for span in leftovers(output):
        if not _overlaps(span, replacements):
            replacements.append((span, ""))
    return Enforced(splice(output, replacements), [h or NOT_ENFORCED for h in how])
