"""Glossary enforcement, layer 1: placeholders the model copies through, found tolerantly.

Before translation each glossary term in the Chinese is replaced by a placeholder
``ZXQ0``, ``ZXQ1`` … (spaces around it), and the placeholder's span in the protected
text is kept (:class:`Protected`).  After translation :func:`find_placeholders` looks
for each one in the English, tolerating what models do to such tokens (case changes,
spaces inside: ``Zxq0``, ``ZXQ 0``), and :func:`splice` puts the entries' approved
English in their place.  A placeholder that is missing or doubled is left to the next
layer (attention alignment, :mod:`annotate.translate.enforce`), never to a second
translation.

Why this form (measured with ``annotate bench translate``, docs/translation.md):
argos models do not reliably keep punctuation or brackets (argos-translate issue
#319: ``>`` became a word), so tag-like placeholders (``<x/>``, ``[1]``, ``⟦T1⟧``) are
split into pieces the model translates, or into byte pieces when the vocabulary lacks
the bracket; NMT systems copy unknown Latin acronyms and numbers through, which is
what a rare upper-case letter string plus a digit looks like to SentencePiece and the
model.  ``ZXQ`` is no English word, so the model has nothing to translate it into.  The
digit is read only when no other digit follows (``ZXQ02019`` is not slot 20), so a
number glued to a placeholder is never taken for another slot.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..model import GlossaryEntry, TermLink

#: Part of the cache key: a changed scheme must never reuse old outputs.
SCHEME = "ZXQn/2+align"
_FOUND = re.compile(r"z\s?x\s?q\s?(\d{1,3})(?!\d)", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\n\u3000]+")
ENFORCE_MODES = ("all", "approved", "none")


_PUNCT = str.maketrans({"。": ".", "，": ",", "、": ",", "：": ":", "；": ";", "！": "!", "？": "?", "（": "(",
                        "）": ")", "“": '"', "”": '"', "‘": "'", "’": "'", "《": '"', "》": '"', "—": "-", "　": " "})


def western_punctuation(text: str) -> str:
    """Chinese punctuation and full-width forms as their Western equivalents (for text copied to the English)."""
    return unicodedata.normalize("NFKC", text.translate(_PUNCT))


def placeholder(n: int) -> str:
    return f"ZXQ{n}"


Span = tuple[int, int]


@dataclass(frozen=True)
class Slot:
    entry_id: str
    target: str
    span: Span = (0, 0)  # where the placeholder stands in the protected text


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
    chosen = enforceable(terms, entries, mode)
    parts: list[str] = []
    pos = 0
    for n, (t, _) in enumerate(chosen):
        parts += [text[pos:t.start], f" {placeholder(n)} "]
        pos = t.end
    parts.append(text[pos:])
    protected = clean_source("".join(parts))
    slots: list[Slot] = []
    at = 0
    for n, (_, entry) in enumerate(chosen):  # the placeholders, in order, in the cleaned text
        at = protected.index(placeholder(n), at)
        slots.append(Slot(entry.id, entry.target.strip(), (at, at + len(placeholder(n)))))
        at += len(placeholder(n))
    return Protected(protected, slots)


def english_in_place(text: str, terms: Sequence[TermLink], entries: Mapping[str, GlossaryEntry], mode: str = "all") -> str:
    """``text`` with each enforceable term's Chinese replaced by its approved English, for an LLM.

    A language model keeps English it is given inside the Chinese more often than it follows a
    glossary line: on the bundled page 16 of 185 terms were missing this way against 27 with
    glossary lines (docs/translation.md).  The English is spaced from neighbouring Chinese and
    Latin characters, not from punctuation."""
    parts: list[str] = []
    pos = 0
    for t, entry in enforceable(terms, entries, mode):
        before, after = text[t.start - 1:t.start], text[t.end:t.end + 1]
        parts += [text[pos:t.start], " " if before and not _is_punct(before) else "", entry.target.strip(),
                  " " if after and not _is_punct(after) else ""]
        pos = t.end
    parts.append(text[pos:])
    return clean_source("".join(parts))


def _is_punct(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PZ"


def enforceable(terms: Sequence[TermLink], entries: Mapping[str, GlossaryEntry],
                mode: str = "all") -> list[tuple[TermLink, GlossaryEntry]]:
    """The links whose English is to be forced into the output, in text order, without overlaps."""
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
    return chosen


def find_placeholders(output: str) -> dict[int, list[Span]]:
    """Where each placeholder number occurs in ``output`` (tolerantly: case, spaces inside)."""
    found: dict[int, list[Span]] = {}
    for m in _FOUND.finditer(output):
        found.setdefault(int(m.group(1)), []).append(m.span())
    return found


def splice(output: str, replacements: Sequence[tuple[Span, str]]) -> str:
    """``output`` with each span replaced by its English (spans must not overlap).

    The English is spaced from the words around it, loses its leading "the" after a
    "the" ("the ZXQ0" and the target "the State Council": one "the"), and is
    capitalised at the start of the sentence."""
    pieces: list[str] = []
    pos = 0
    for (a, b), target in sorted(replacements):
        left = output[pos:a]
        so_far = ("".join(pieces) + left).rstrip()
        if target.lower().startswith("the ") and re.search(r"(?:^|\W)the$", so_far, re.IGNORECASE):
            target = target[4:]
        if not so_far:
            target = target[:1].upper() + target[1:]  # sentence-initial
        if left[-1:].isalnum():
            left += " "
        pieces += [left, target]
        pos = b
        if output[pos:pos + 1].isalnum():
            pieces.append(" ")
    pieces.append(output[pos:])
    return re.sub(r"  +", " ", "".join(pieces)).strip()


def leftovers(output: str) -> list[Span]:
    """Placeholder-like strings in ``output`` (to remove: they stand for nothing the reader knows)."""
    return [m.span() for m in _FOUND.finditer(output)]
