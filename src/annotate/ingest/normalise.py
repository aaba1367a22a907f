"""Character normalisation, and the whole cleaning of a unit's text.

Full-width digits become ASCII digits and ``％`` becomes ``%`` (one form, so search,
counts and number tokens work); every change is recorded.  Words are never changed.
"""

from __future__ import annotations

from ..model import Normalisation
from ..zh import FULLWIDTH_TO_ASCII_DIGITS
from .lines import join_lines
from .spacing import remove_print_spacing


def normalise_characters(text: str, line: int, notes: list[Normalisation]) -> str:
    fixed = text.translate(FULLWIDTH_TO_ASCII_DIGITS)
    if fixed != text:
        for a, b in zip(text, fixed, strict=True):
            if a != b:
                notes.append(Normalisation("fullwidth-digit", line, a, b))
    if "％" in fixed:
        notes.extend(Normalisation("percent", line, "％", "%") for _ in range(fixed.count("％")))
        fixed = fixed.replace("％", "%")
    return fixed


def clean_unit(lines: list[tuple[int, str]], notes: list[Normalisation], *, phrase_gaps: bool = False) -> str:
    """Join a unit's lines, remove print spacing, normalise characters (in that order)."""
    first = lines[0][0]
    text = join_lines(lines, notes)
    text = remove_print_spacing(text, first, notes, phrase_gaps=phrase_gaps)
    return normalise_characters(text, first, notes)
