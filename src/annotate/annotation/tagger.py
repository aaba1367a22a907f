"""Universal POS in context: a CRF (CRFsuite) trained on UD Chinese GSDSimp.

jieba gives each word one dictionary tag whatever the context, and its PKU tag set
does not say what UD says (的 is PART or SCONJ, 了 AUX, 在 ADP or VERB, 一些 ADJ).  A
linear-chain CRF reads the word, its characters, jieba's tag and LAC's tag in
context (when NER runs), and the same for the neighbours, and gives the UD tag.

The weights (``data/upos-gsdsimp.crfsuite``) were trained by ``scripts/train_upos.py``
on the dev split of UD_Chinese-GSDSimp (CC BY-SA 4.0, so the weights are a derived
work under the same licence: see ``data/upos-gsdsimp.json``), with the LAC features
dropped from a second copy of every sentence, so one model serves ``--no-ner`` too.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

from ..zh import ONLY_HAN

MODEL = Path(__file__).resolve().parents[1] / "data" / "upos-gsdsimp.crfsuite"
_NONE = "-"


def _shape(word: str) -> str:
    if word.isdigit() or word.replace(".", "", 1).replace(",", "").isdigit():
        return "num"
    if word.isascii():
        return "latin" if any(c.isalpha() for c in word) else "sym"
    return "han" if ONLY_HAN.match(word) else "mixed"


def features(words: Sequence[str], jieba_tags: Sequence[str], lac_tags: Sequence[str] | None) -> list[list[str]]:
    """CRFsuite attributes per word.  ``lac_tags``: LAC's tag of the LAC word that is this
    word (``v``), or that contains it (``~v``); None when LAC did not run."""
    n = len(words)
    lac = lac_tags if lac_tags is not None else [_NONE] * n
    out: list[list[str]] = []
    for i, w in enumerate(words):
        prev_w = words[i - 1] if i else "<s>"
        next_w = words[i + 1] if i + 1 < n else "</s>"
        prev_j = jieba_tags[i - 1] if i else "<s>"
        next_j = jieba_tags[i + 1] if i + 1 < n else "</s>"
        f = [
            "b", f"w={w}", f"j={jieba_tags[i]}", f"l={lac[i]}", f"f={w[0]}", f"e={w[-1]}",
            f"n={min(len(w), 4)}", f"s={_shape(w)}",
            f"w-={prev_w}", f"w+={next_w}", f"j-={prev_j}", f"j+={next_j}",
            f"jj={prev_j}|{jieba_tags[i]}|{next_j}", f"e-={prev_w[-1]}", f"f+={next_w[0]}",
            f"j|e={jieba_tags[i]}|{w[-1]}",
        ]
        if lac_tags is not None:
            f += [f"l-={lac[i - 1] if i else '<s>'}", f"l+={lac[i + 1] if i + 1 < n else '</s>'}", f"jl={jieba_tags[i]}|{lac[i]}"]
        out.append(f)
    return out


def lac_word_tags(spans: Sequence[tuple[int, int]], lac_words: Sequence[tuple[int, int, str]]) -> list[str]:
    """For each word span, LAC's tag: ``tag`` where a LAC word has exactly that span,
    ``~tag`` for the LAC word that contains its first character otherwise."""
    exact = {(s, e): t for s, e, t in lac_words}
    out: list[str] = []
    k = 0
    for s, e in spans:
        if (s, e) in exact:
            out.append(exact[(s, e)])
            continue
        while k < len(lac_words) and lac_words[k][1] <= s:
            k += 1
        out.append("~" + lac_words[k][2] if k < len(lac_words) and lac_words[k][0] <= s else _NONE)
    return out


class UposTagger:
    """Built once per process (the model file is small and loads in milliseconds)."""

    def __init__(self, model: Path = MODEL) -> None:
        self.model = model

    @cached_property
    def _tagger(self):
        import pycrfsuite

        t = pycrfsuite.Tagger()
        t.open(str(self.model))
        return t

    def tag(self, words: Sequence[str], jieba_tags: Sequence[str], lac_tags: Sequence[str] | None) -> list[str]:
        if not words:
            return []
        return self._tagger.tag(features(words, jieba_tags, lac_tags))
