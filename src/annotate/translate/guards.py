"""Checks that need the model's own view of an output (its pieces); the rest is :mod:`checks`.

* ``too-long``: more output pieces than ``3 × input + 10``, or the decoder's hard cap
  (256 pieces) reached.  The text is cut at the relative cap (marked "…") so a loop
  does not fill a page; the flag says so.  Reaching the hard cap also means the
  English stops where the decoder stopped: ``truncated``.
"""

from __future__ import annotations

from collections.abc import Sequence

from .checks import check_translation


def length_cap(source_pieces: int) -> int:
    """Most output pieces we accept for a source of ``source_pieces`` pieces."""
    return 3 * source_pieces + 10


def is_too_long(source_pieces: int, output_pieces: int, max_decoding_length: int = 256) -> bool:
    return output_pieces > length_cap(source_pieces) or output_pieces >= max_decoding_length


def output_flags(source: str, output: str, *, source_pieces: int, output_pieces: int,
                 max_decoding_length: int = 256, raw_output: str | None = None,
                 names: Sequence[str] = ()) -> list[str]:
    """Every flag for one NMT output: the shared checks, and ``too-long`` after ``repetition``.

    ``raw_output``: the model's text before glossary English was put in (for the loop check)."""
    flags = check_translation(source, output, names=names, raw=raw_output,
                              cut=output_pieces >= max_decoding_length)
    if output.strip() and is_too_long(source_pieces, output_pieces, max_decoding_length):
        at = flags.index("repetition") + 1 if "repetition" in flags else flags.count("untranslated-chinese")
        flags.insert(at, "too-long")
    return flags
