"""Print spacing: justified newspaper columns pad lines with spaces; remove them.

Spaces are removed between Chinese characters, between Chinese and digits, and next
to Chinese punctuation (``同 比 增 长`` → ``同比增长``, ``15 个`` → ``15个``,
``D180-16 型`` → ``D180-16型``).  One space stays between Latin words and numbers
(``Klaus Schwab``, ``AGV 100``) and between a Latin word and a Chinese character
(``AGV 智能``, ``Forum 创始人``), where writers put one too.  In titles a space between
two Chinese words separates phrases (``推进高质量发展 建设现代化经济体系``) and stays.
"""

from __future__ import annotations

import re

from ..model import Normalisation

SPACE_RUN = re.compile(r"[ \t\u3000\u00a0]+")


def _is_latin(c: str) -> bool:
    return c.isascii() and c.isalpha()


def _is_wide(c: str) -> bool:
    return not c.isascii()


def _keep_space(left: str, right: str) -> bool:
    """Is a space between these two characters meaningful (not print padding)?"""
    if _is_wide(left) and _is_wide(right):
        return False
    if (_is_wide(left) and right.isdigit()) or (left.isdigit() and _is_wide(right)):
        return False
    if left.isdigit() and right in "%.,":
        return False
    if _is_wide(left) or _is_wide(right):
        # Latin next to Chinese: a space there is conventional and harmless; keep one
        # unless the wide side is punctuation (no space after ，or before 。).
        wide = left if _is_wide(left) else right
        other = right if wide is left else left
        return _is_latin(other) and wide.isalnum()
    return True  # ASCII on both sides: words, numbers, names


def _han_run(text: str, i: int, step: int) -> int:
    """How many Chinese characters run from index i in direction step (±1)."""
    n = 0
    while 0 <= i < len(text) and _is_wide(text[i]) and text[i].isalnum():
        n += 1
        i += step
    return n


def remove_print_spacing(text: str, line: int, notes: list[Normalisation], *, phrase_gaps: bool = False) -> str:
    """Drop print padding.  With ``phrase_gaps`` (titles), a space between two words of
    Chinese (``推进高质量发展 建设现代化经济体系``) separates phrases and stays; letter-spaced
    titles (``政 府 工 作``) still close up."""

    def fix(m: re.Match[str]) -> str:
        s, e = m.start(), m.end()
        if s == 0 or e == len(text):
            return ""
        left, right = text[s - 1], text[e]
        if _keep_space(left, right) or (phrase_gaps and _han_run(text, s - 1, -1) >= 2 and _han_run(text, e, 1) >= 2):
            if m.group() != " ":
                notes.append(Normalisation("print-space", line, left + m.group() + right, left + " " + right))
            return " "
        notes.append(Normalisation("print-space", line, left + m.group() + right, left + right))
        return ""

    return SPACE_RUN.sub(fix, text)


def collapse_spaces(text: str) -> str:
    """For bylines: keep the separators between names, one space each."""
    return SPACE_RUN.sub(" ", text).strip()
