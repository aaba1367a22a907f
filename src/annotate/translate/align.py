"""Word alignment from a Transformer's attention, and the English span a source span became.

CTranslate2 returns, with ``return_attention=True``, one row of attention weights over
the source pieces for every output piece.  The piece each row weighs most is that
output piece's *link*.  For any Transformer this links an output word to the source
word it was made from often enough to find a glossary term's English; for a model
that translates piece by piece (a cipher) it is exact.  So when a model does not copy a
placeholder through, the English it wrote *for* the placeholder (or for the term
itself) is found by its links and replaced by the approved English
(:func:`aligned_span`), without translating the sentence again.

Everything here works on character spans: each source piece's span in the text the
model saw and each output piece's span in the decoded English, found by matching the
pieces against those texts (:func:`piece_spans`), so it does not depend on the
tokenizer (SentencePiece or BPE) and is cached with the output as plain numbers.
No heavy imports: the attention rows arrive as lists of floats.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

#: A row whose largest weight is below this multiple of the uniform weight links nowhere
#: (a layer that attends everywhere alike says nothing about where a word came from).
_PEAK = 1.5
#: Output pieces linked to the same source span count as one run across gaps this wide.
_GAP = 2

Span = tuple[int, int]


@dataclass(frozen=True)
class Alignment:
    """Which source piece each output piece came from, as character spans."""

    source: tuple[Span, ...]  # each source piece's span in the model input
    target: tuple[Span, ...]  # each output piece's span in the output text
    links: tuple[int, ...]  # per output piece: the index of its source piece, or -1

    def to_json(self) -> str:
        return json.dumps({"s": [list(s) for s in self.source], "t": [list(t) for t in self.target],
                           "l": list(self.links)}, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Alignment | None:
        if not text:
            return None
        d = json.loads(text)
        return cls(tuple(tuple(s) for s in d["s"]), tuple(tuple(t) for t in d["t"]), tuple(d["l"]))


# -- pieces → character spans -----------------------------------------------------------------
def _core(piece: str) -> str:
    """What a piece contributes to the text, without word-boundary markers (▁, BPE's @@)."""
    if piece.endswith("@@"):
        piece = piece[:-2]
    return unicodedata.normalize("NFKC", piece.replace("\u2581", "").replace("_", " ")).strip()


def _byte(piece: str) -> int | None:
    """The byte of a SentencePiece byte-fallback piece ``<0xE4>``, else None."""
    if len(piece) == 6 and piece.startswith("<0x") and piece.endswith(">"):
        try:
            return int(piece[3:5], 16)
        except ValueError:
            return None
    return None


def _normalised(text: str) -> tuple[str, list[int]]:
    """``text`` in NFKC (as SentencePiece normalises), with the original index of each character."""
    out: list[str] = []
    where: list[int] = []
    for i, c in enumerate(text):
        n = unicodedata.normalize("NFKC", c)
        out.append(n)
        where += [i] * len(n)
    return "".join(out), where


def piece_spans(pieces: Sequence[str], text: str) -> list[Span]:
    """The character span of each piece in ``text`` (the text it was encoded from or decoded to).

    Pieces are matched left to right against the NFKC form of ``text``; consecutive
    byte-fallback pieces are decoded together and share the span of their character; a
    run of pieces that cannot be found (``<unk>``) shares the text between its matched
    neighbours (what an unknown piece stands for), and a piece with nothing left to
    cover (an end-of-sentence mark) gets an empty span."""
    norm, where = _normalised(text)
    spans: list[Span] = []
    unmatched: list[int] = []
    lost = False
    pos = 0
    k = 0

    def original(a: int, b: int) -> Span:
        if a >= b:
            at = where[a] if a < len(where) else len(text)
            return (at, at)
        return (where[a], where[b - 1] + 1)

    while k < len(pieces):
        if _byte(pieces[k]) is not None:  # a run of byte pieces spells one or more characters
            j = k
            raw = bytearray()
            while j < len(pieces) and (b := _byte(pieces[j])) is not None:
                raw.append(b)
                j += 1
            chars = raw.decode("utf-8", errors="ignore")
            found = norm.find(chars, pos) if chars else -1
            span = original(found, found + len(chars)) if found >= 0 else original(pos, pos)
            if found >= 0:
                pos = found + len(chars)
            spans += [span] * (j - k)
            k = j
            continue
        core = _core(pieces[k])
        found = norm.find(core, pos) if core else -1
        if found >= 0 and (lost or not norm[pos:found].strip()):  # else only spaces: the piece is here
            spans.append(original(found, found + len(core)))
            pos = found + len(core)
            lost = False
        else:
            spans.append(original(pos, pos))
            if core:
                unmatched.append(k)
                lost = True  # after an unknown piece the next one may be further on
        k += 1
    return _fill_unknown(spans, unmatched, text)


def _fill_unknown(spans: list[Span], unmatched: list[int], text: str) -> list[Span]:
    """Give each run of unmatched pieces the non-blank text between the matched pieces around it."""
    i = 0
    while i < len(unmatched):
        j = i
        while j + 1 < len(unmatched) and unmatched[j + 1] == unmatched[j] + 1:
            j += 1
        first, last = unmatched[i], unmatched[j]
        a = max((spans[k][1] for k in range(first) if spans[k][0] < spans[k][1]), default=0)
        b = min((spans[k][0] for k in range(last + 1, len(spans)) if spans[k][0] < spans[k][1]), default=len(text))
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            for k in range(first, last + 1):
                spans[k] = (a, b)
        i = j + 1
    return spans


# -- attention → links ----------------------------------------------------------------------------
def links_from_attention(attention: Sequence[Sequence[float]], source_pieces: int) -> list[int]:
    """For each output piece, the source piece it attends to most (-1: a flat row, or the source's end mark)."""
    links: list[int] = []
    for row in attention:
        weights = list(row[:source_pieces])
        if not weights:
            links.append(-1)
            continue
        best = max(range(len(weights)), key=weights.__getitem__)
        total = sum(row) or 1.0
        uniform = total / max(len(row), 1)
        links.append(best if weights[best] >= _PEAK * uniform and max(row) == weights[best] else -1)
    return links


def build_alignment(source_text: str, source_pieces: Sequence[str], output_text: str, output_pieces: Sequence[str],
                    attention: Sequence[Sequence[float]]) -> Alignment:
    """The alignment of one translation (``attention``: one row per output piece)."""
    links = links_from_attention(attention, len(source_pieces))
    links += [-1] * (len(output_pieces) - len(links))
    return Alignment(tuple(piece_spans(source_pieces, source_text)), tuple(piece_spans(output_pieces, output_text)),
                     tuple(links[:len(output_pieces)]))


# -- a source span → its English -----------------------------------------------------------------
def aligned_span(alignment: Alignment, start: int, end: int, output: str, *, widen: bool = True) -> Span | None:
    """The span of ``output`` made from the source characters ``start:end``, widened to whole words.

    ``widen=False``: the pieces' own span (for a model that writes a term's English
    inside a word it shares with a neighbour).

    The output pieces linked to a source piece overlapping ``start:end`` are grouped in
    runs (gaps of up to two other pieces are bridged); the run with most pieces wins.
    None when no output piece is linked to the span (the model dropped it)."""
    inside = {i for i, (a, b) in enumerate(alignment.source) if a < end and start < b and a < b}
    hits = [t for t, s in enumerate(alignment.links) if s in inside and t < len(alignment.target)
            and alignment.target[t][0] < alignment.target[t][1]]
    if not hits:
        return None
    runs: list[list[int]] = [[hits[0]]]
    for t in hits[1:]:
        if t - runs[-1][-1] <= _GAP + 1:
            runs[-1].append(t)
        else:
            runs.append([t])
    run = max(runs, key=len)
    span = (alignment.target[run[0]][0], alignment.target[run[-1]][1])
    return widen_to_words(span, output) if widen else span


def widen_to_words(span: Span, output: str, others: Sequence[Span] = ()) -> Span:
    """``span`` grown to whole words of ``output``, stopping at any of ``others`` (other terms' English)."""
    a, b = span

    def taken(i: int) -> bool:
        return any(x <= i < y for x, y in others)

    while a > 0 and output[a - 1].isalnum() and not taken(a - 1):
        a -= 1
    while b < len(output) and output[b].isalnum() and not taken(b):
        b += 1
    return (a, b)
