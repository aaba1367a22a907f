"""Turn a unit's raw lines into clean text, recording every change.

* line breaks inside a unit are removed (a space is kept between two Latin words);
* spacing from justified print is removed between Chinese characters, and between
  Chinese and digits (``同 比 增 长`` → ``同比增长``, ``15 个`` → ``15个``); a single space
  stays between Latin words and between Latin letters and Chinese (``AGV 智能``);
* full-width digits become ASCII digits and ``％`` becomes ``%`` (one form, so search
  and counts work); words themselves are never changed.
"""

from __future__ import annotations

import re

from ..model import Normalisation

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_SPACE_RUN = re.compile(r"[ \t\u3000\u00a0]+")


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


def join_lines(lines: list[tuple[int, str]], notes: list[Normalisation]) -> str:
    out = ""
    for k, (_, raw) in enumerate(lines):
        piece = raw.strip()
        if k and out and piece:
            glue = " " if (out[-1].isascii() and out[-1].isalnum() and piece[0].isascii() and piece[0].isalnum()) else ""
            notes.append(Normalisation("join-line", lines[k - 1][0], out[-6:] + "⏎" + piece[:6], out[-6:] + glue + piece[:6]))
            out += glue
        out += piece
    return out


def remove_print_spacing(text: str, line: int, notes: list[Normalisation]) -> str:
    def fix(m: re.Match[str]) -> str:
        s, e = m.start(), m.end()
        if s == 0 or e == len(text):
            return ""
        left, right = text[s - 1], text[e]
        if _keep_space(left, right):
            if m.group() != " ":
                notes.append(Normalisation("print-space", line, left + m.group() + right, left + " " + right))
            return " "
        notes.append(Normalisation("print-space", line, left + m.group() + right, left + right))
        return ""

    return _SPACE_RUN.sub(fix, text)


def normalise_characters(text: str, line: int, notes: list[Normalisation]) -> str:
    fixed = text.translate(_FULLWIDTH_DIGITS)
    if fixed != text:
        for a, b in zip(text, fixed, strict=True):
            if a != b:
                notes.append(Normalisation("fullwidth-digit", line, a, b))
    if "％" in fixed:
        notes.extend(Normalisation("percent", line, "％", "%") for _ in range(fixed.count("％")))
        fixed = fixed.replace("％", "%")
    return fixed


def collapse_spaces(text: str) -> str:
    """For bylines: keep the separators between names, one space each."""
    return _SPACE_RUN.sub(" ", text).strip()


def clean_unit(lines: list[tuple[int, str]], notes: list[Normalisation]) -> str:
    first = lines[0][0]
    text = join_lines(lines, notes)
    text = remove_print_spacing(text, first, notes)
    return normalise_characters(text, first, notes)
