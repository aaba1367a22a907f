"""Checks for the known ways NMT output goes wrong; flagged, never hidden.

* ``repetition``: a decoding loop, the commonest NMT failure: a unit of one to eight
  words repeated back to back (four times for one word, three for longer units).
  Checked on the output before glossary substitution (each placeholder is distinct),
  and only back to back: a term or phrase the source itself repeats ("跨境电商 …
  跨境电商 … 跨境电商") legitimately recurs in the English, a loop does not pause.
* ``too-long``: more output pieces than ``3 × input + 10``, or the decoder's hard cap
  (256 pieces) reached.  The text is cut at the relative cap (marked "…") so a loop
  does not fill a page; the flag says so.
* ``empty``: no output for a source with words in it.
* ``untranslated-chinese``: Chinese characters left in the English.
"""

from __future__ import annotations

import re

from ..zh import has_han

_WORD = re.compile(r"\w+")

FLAGS = ("repetition", "too-long", "empty", "untranslated-chinese", "placeholder-lost")



def length_cap(source_pieces: int) -> int:
    """Most output pieces we accept for a source of ``source_pieces`` pieces."""
    return 3 * source_pieces + 10


def is_too_long(source_pieces: int, output_pieces: int, max_decoding_length: int = 256) -> bool:
    return output_pieces > length_cap(source_pieces) or output_pieces >= max_decoding_length


def has_repetition(text: str) -> bool:
    words = _WORD.findall(text.lower())
    for n in range(1, 9):
        # A unit of n words repeated k times back to back is a run of (k-1)·n positions
        # where a word equals the word n places on.
        needed = (3 if n == 1 else 2) * n
        run = 0
        for i in range(len(words) - n):
            run = run + 1 if words[i] == words[i + n] else 0
            if run >= needed:
                return True
    return False


def output_flags(source: str, output: str, *, source_pieces: int, output_pieces: int,
                 max_decoding_length: int = 256, raw_output: str | None = None) -> list[str]:
    """The guard flags for one translated sentence, in a fixed order.

    ``raw_output``: the model's text before placeholders were replaced (for the loop check)."""
    flags: list[str] = []
    if not output.strip():
        if _WORD.search(source):
            flags.append("empty")
        return flags
    if has_repetition(output if raw_output is None else raw_output):
        flags.append("repetition")
    if is_too_long(source_pieces, output_pieces, max_decoding_length):
        flags.append("too-long")
    if has_han(output):
        flags.append("untranslated-chinese")
    return flags
