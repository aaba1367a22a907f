"""Per-token views shared by the token-per-line formats (VRT, CoNLL-U)."""

from __future__ import annotations

from ..model import Sentence


def token_terms(s: Sentence) -> list[str]:
    """Glossary entry ID per token ('' when none); a term covers every token it overlaps, the first link wins."""
    out = [""] * len(s.tokens)
    for link in s.terms:
        r = s.token_range(link.start, link.end)
        for i in range(*r) if r else ():
            out[i] = out[i] or link.entry_id
    return out


def token_entities(s: Sentence) -> list[tuple[str, bool]]:
    """(entity type, is first token of the entity) per token; ('', False) outside entities."""
    out: list[tuple[str, bool]] = [("", False)] * len(s.tokens)
    for e in s.entities:
        r = s.token_range(e.start, e.end)
        first = True
        for i in range(*r) if r else ():
            if not out[i][0]:
                out[i] = (e.type, first)
                first = False
    return out
