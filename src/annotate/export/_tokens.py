"""Per-token views shared by the token-per-line formats (VRT, CoNLL-U)."""

from __future__ import annotations

from ..model import Sentence


def token_terms(s: Sentence) -> list[str]:
    """Glossary entry ID per token ('' when none); a term covers every token it overlaps."""
    out = [""] * len(s.tokens)
    for link in s.terms:
        for i, t in enumerate(s.tokens):
            if t.start < link.end and link.start < t.end and not out[i]:
                out[i] = link.entry_id
    return out


def token_entities(s: Sentence) -> list[tuple[str, bool]]:
    """(entity type, is first token of the entity) per token; ('', False) outside entities."""
    out: list[tuple[str, bool]] = [("", False)] * len(s.tokens)
    for e in s.entities:
        first = True
        for i, t in enumerate(s.tokens):
            if t.start < e.end and e.start < t.end and not out[i][0]:
                out[i] = (e.type, first)
                first = False
    return out
