"""Facts about Chinese text that every stage shares.

One place for which characters are Han, which punctuation ends a sentence, which
marks close or open one, and the full-width forms print uses, so that ingestion,
annotation, the glossary and translation checks agree.  Plain data and tiny
functions only: this module imports nothing heavy.
"""

from __future__ import annotations

import re

#: Unicode blocks of Han ideographs (CJK Unified Ideographs, every extension plane,
#: and the compatibility ideographs).  Radicals and strokes are not included: they are
#: not words.
HAN_RANGES: tuple[tuple[int, int], ...] = (
    (0x3400, 0x4DBF),  # Extension A
    (0x4E00, 0x9FFF),  # the main block
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0x20000, 0x2A6DF),  # Extension B
    (0x2A700, 0x2B73F),  # Extension C
    (0x2B740, 0x2B81F),  # Extension D
    (0x2B820, 0x2CEAF),  # Extension E
    (0x2CEB0, 0x2EBEF),  # Extension F
    (0x2EBF0, 0x2EE5F),  # Extension I
    (0x2F800, 0x2FA1F),  # compatibility supplement
    (0x30000, 0x3134F),  # Extension G
    (0x31350, 0x323AF),  # Extension H
)

#: The ranges as the inside of a regular-expression character class: ``f"[{HAN}]"``.
HAN = "".join(f"{chr(a)}-{chr(b)}" for a, b in HAN_RANGES)
HAN_CHAR = re.compile(f"[{HAN}]")
HAN_RUN = re.compile(f"[{HAN}]+")
ONLY_HAN = re.compile(f"^[{HAN}]+$")

#: Marks that end a sentence; closers may follow them (。” ！） …）).
SENTENCE_END = "。！？!?…"
#: Marks that end a clause.  The sentence splitter treats them as sentence ends too
#: (long news sentences are lists of clauses joined by ；); ingestion does not, since a
#: line ending in ； does not end a paragraph.
CLAUSE_END = "；;"
#: Closing quotes and brackets that belong to the sentence before them.
CLOSERS = "”’」』）)》】〕〗\"'"
#: Opening quotes and brackets.
OPENERS = "“‘「『（(《【〔〖"

#: Full-width digits and percent sign, as print uses them, and their ASCII forms.
FULLWIDTH_DIGITS = "０１２３４５６７８９"
FULLWIDTH_TO_ASCII_DIGITS = str.maketrans(FULLWIDTH_DIGITS, "0123456789")
#: Full-width Latin letters, digits and the ideographic space.
FULLWIDTH_ALNUM_SPACE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000]")
#: Full-width and ideographic punctuation (，（）：；！？、。 …), not curly quotes.
FULLWIDTH_PUNCT = re.compile("[\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff5e\u3001\u3002]")


def is_han(ch: str) -> bool:
    """True for one Han ideograph (any plane)."""
    o = ord(ch)
    if 0x4E00 <= o <= 0x9FFF:  # the main block first: nearly every character of a newspaper
        return True
    return o >= 0x3400 and any(a <= o <= b for a, b in HAN_RANGES)


def has_han(text: str) -> bool:
    return HAN_CHAR.search(text) is not None


def count_han(text: str) -> int:
    return len(HAN_CHAR.findall(text))


def ends_sentence(line: str) -> bool:
    """True when ``line`` ends a sentence: final punctuation, maybe followed by closers."""
    s = line.rstrip()
    while s and s[-1] in CLOSERS:
        s = s[:-1]
    return bool(s) and s[-1] in SENTENCE_END


# East Asian Wide and Fullwidth characters (CJK, kana, hangul, full-width forms, CJK
# punctuation), the ones a newspaper column prints two units wide.  A fixed class (the
# blocks of Unicode's EastAsianWidth.txt that matter for text) keeps counting them one
# C-level regex scan rather than a Python call per character.
_WIDE = re.compile(
    "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3"
    "\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60\uffe0-\uffe6\U0001f300-\U0001f64f"
    "\U0001f900-\U0001f9ff\U00020000-\U0003fffd]"
)
_SPACE = re.compile(r"\s+")


def display_width(s: str) -> int:
    """Printed width of a line: CJK counts 2, and whitespace not at all (justified print
    pads lines with spaces, which says nothing about how much text the line holds)."""
    s = _SPACE.sub("", s)
    return len(s) + len(_WIDE.findall(s))


def padded_width(s: str) -> int:
    """Printed width of a line including the spaces between its characters."""
    s = s.strip()
    return len(s) + len(_WIDE.findall(s))
