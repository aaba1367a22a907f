"""Glossary enforcement by placeholders: protect each linked term, translate, put the English back.

Before translation each glossary term in the Chinese is replaced by a placeholder
``ZXQ0``, ``ZXQ1`` … (spaces around it).  After translation each placeholder must
occur exactly once in the English; it is then replaced by the entry's approved
English.  If one is lost or doubled the caller falls back to an unprotected
translation and flags the sentence.

Why this token: argos models do not reliably keep punctuation or brackets
(argos-translate issue #319: ``>`` became a word), so tag-like placeholders
(``<x/>``, ``⟨0⟩``) get mangled; NMT systems do copy unknown Latin acronyms and
numbers through, which is what a rare upper-case letter string plus a digit looks
like to SentencePiece and the model.  ``ZXQ`` is no English word, so the model has
nothing to translate it into.  The look-up after translation tolerates what
models do to such tokens: case changes and spaces inside (``Zxq0``, ``ZXQ 0``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..model import GlossaryEntry, TermLink

#: Part of the cache key: a changed scheme must never reuse old outputs.
SCHEME = "ZXQn/1"
_FOUND = re.compile(r"z\s?x\s?q\s?(\d{1,3})", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\n\u3000]+")
ENFORCE_MODES = ("all", "approved", "none")


_PUNCT = str.maketrans({"。": ".", "，": ",", "、": ",", "：": ":", "；": ";", "！": "!", "？": "?", "（": "(",
                        "）": ")", "“": '"', "”": '"', "‘": "'", "’": "'", "《": '"', "》": '"', "—": "-", "　": " "})


def western_punctuation(text: str) -> str:
    """Chinese punctuation and full-width forms as their Western equivalents (for text copied to the English)."""
    return unicodedata.normalize("NFKC", text.translate(_PUNCT))


def placeholder(n: int) -> str:
    return f"ZXQ{n}"


@dataclass(frozen=True)
class Slot:
    entry_id: str
    target: str


@dataclass
class Protected:
    """The text the model sees, and what each placeholder stands for (slot n ↔ ZXQn)."""

    text: str
    slots: list[Slot] = field(default_factory=list)


def clean_source(text: str) -> str:
    """One line, single spaces: argos treats newlines as paragraph breaks."""
    return _SPACES.sub(" ", text).strip()


def protect(text: str, terms: Sequence[TermLink], entries: Mapping[str, GlossaryEntry], mode: str = "all") -> Protected:
    """Replace each enforceable term (sentence-relative offsets) by a placeholder.

    Enforceable: the entry exists and has an English target, and ``mode`` is "all",
    or "approved" and the entry is approved.  Overlapping links keep the first (the
    longest, at equal starts)."""
    if mode not in ENFORCE_MODES:
        raise ValueError(f"enforce must be one of {ENFORCE_MODES}, not {mode!r}")
    chosen: list[tuple[TermLink, GlossaryEntry]] = []
    end = -1
    if mode != "none":
        for t in sorted(terms, key=lambda t: (t.start, -(t.end - t.start))):
            entry = entries.get(t.entry_id)
            if entry is None or not entry.target.strip() or t.start < end:
                continue
            if mode == "approved" and entry.status != "approved":
                continue
            chosen.append((t, entry))
            end = t.end
    parts: list[str] = []
    slots: list[Slot] = []
    pos = 0
    for t, entry in chosen:
        parts += [text[pos:t.start], f" {placeholder(len(slots))} "]
        slots.append(Slot(entry.id, entry.target.strip()))
        pos = t.end
    parts.append(text[pos:])
    return Protected(clean_source("".join(parts)), slots)


def restore(output: str, protected: Protected) -> str | None:
    """The output with every placeholder replaced by its English, or None if any was lost or doubled."""
    if not protected.slots:
        return output
    found = [int(m.group(1)) for m in _FOUND.finditer(output)]
    if sorted(found) != list(range(len(protected.slots))):
        return None

    pieces: list[str] = []
    pos = 0
    for m in _FOUND.finditer(output):
        left = output[pos:m.start()]
        target = protected.slots[int(m.group(1))].target
        so_far = ("".join(pieces) + left).rstrip()
        if target.lower().startswith("the ") and re.search(r"(?:^|\W)the$", so_far, re.IGNORECASE):
            target = target[4:]  # "the ZXQ0" and the target "the State Council": one "the"
        if not so_far:
            target = target[:1].upper() + target[1:]  # sentence-initial
        if left[-1:].isalnum():
            left += " "
        pieces += [left, target]
        pos = m.end()
        if output[pos:pos + 1].isalnum():
            pieces.append(" ")
    pieces.append(output[pos:])
    return re.sub(r"  +", " ", "".join(pieces)).strip()
