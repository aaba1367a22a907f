"""The line tagger: a linear-chain CRF that labels each non-blank line of a page.

Labels (structure.py turns them into articles): ``P`` paragraph, ``H`` headline, ``K``
kicker (引题), ``SUB`` subheadline, ``S`` section heading, ``BY`` byline, ``N`` editor's note,
``C`` caption, each as ``-B`` (the unit's first line) or ``-I`` (a further line).

The weights were fitted by CRFsuite (``scripts/train_ingest_tagger.py``, on the tuning split)
and exported to ``data/ingest-lines.weights.json`` (provenance beside it): one weight per
feature value and label, one per pair of labels.  Decoding is ours, for the whole page at
once: the features' weight rows are added up (features.py makes them integers), and a Viterbi
pass finds the best labelling under hard constraints: a ``-I`` line continues a unit of its
own kind.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from .features import LineFeatures, line_features

MODEL = Path(__file__).resolve().parents[1] / "data" / "ingest-lines.weights.json"
PROVENANCE = MODEL.with_name("ingest-lines.provenance.json")
_CHUNK = 20_000  # lines scored at once (bounds memory on very long pages)


class Weights:
    """A CRF's weights: labels, label-pair transitions, and per-template weight tables."""

    def __init__(self, data: dict) -> None:
        import numpy as np

        self.labels: list[str] = list(data["labels"])
        size = len(self.labels)
        self.transitions = np.array(data["transitions"], dtype=np.float64).reshape(size, size)
        self.state: dict[str, dict[str, float]] = data["state"]
        kind = [lab.split("-")[0] for lab in self.labels]
        # A unit's further line follows a line of the same unit: never another kind's, never the page start.
        self.forbidden = np.array([[lab.endswith("-I") and kind[b] != kind[a] for b, lab in enumerate(self.labels)]
                                   for a in range(size)])
        self.no_start = np.array([lab.endswith("-I") for lab in self.labels])
        self._tables: dict[tuple, Any] = {}

    @classmethod
    def load(cls, path: Path) -> Weights:
        return cls(json.loads(path.read_text("utf-8")))

    def table(self, names: list[str], sizes: list[int]) -> tuple[Any, Any]:
        """All templates' weight rows stacked, and where each template's rows begin."""
        import numpy as np

        key = (tuple(names), tuple(sizes))
        if key not in self._tables:
            offsets = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
            at = dict(zip(names, offsets.tolist(), strict=True))
            limit = dict(zip(names, sizes, strict=True))
            col = {lab: k for k, lab in enumerate(self.labels)}
            rows = np.zeros((int(sum(sizes)), len(self.labels)))
            for attr, weights in self.state.items():
                name, _, value = attr.rpartition("=")
                if name in at and int(value) < limit[name]:
                    for lab, w in weights.items():
                        rows[at[name] + int(value), col[lab]] = w
            self._tables[key] = (rows, offsets)
        return self._tables[key]

    def scores(self, feats: LineFeatures) -> Any:
        """Per line and label, the sum of the weights of the line's features."""
        import numpy as np

        rows, offsets = self.table(feats.names, feats.sizes)
        n = feats.codes.shape[1]
        out = np.empty((n, len(self.labels)))
        for a in range(0, n, _CHUNK):
            ids = feats.codes[:, a : a + _CHUNK] + offsets[:, None]
            out[a : a + _CHUNK] = rows[ids].sum(axis=0)
        return out

    def decode(self, scores: Any, allowed: Any = None, *, units: bool = True) -> list[str]:
        """The best label sequence (Viterbi), within the allowed labels of each line; with
        ``units``, a ``-I`` line only continues a unit of its own kind (CRFsuite knows no such
        rule: ``units=False`` decodes as it does)."""
        import numpy as np

        n, size = scores.shape
        if not n:
            return []
        s = scores.copy()
        if allowed is not None:
            s[~allowed] = -np.inf
        trans = np.where(self.forbidden, -np.inf, self.transitions) if units else self.transitions
        back = np.zeros((n, size), np.int16)
        delta = np.where(self.no_start, -np.inf, s[0]) if units else s[0]
        cols = np.arange(size)
        for i in range(1, n):
            cand = delta[:, None] + trans
            best = cand.argmax(axis=0)
            back[i] = best
            delta = cand[best, cols] + s[i]
        path = [int(delta.argmax())]
        for i in range(n - 1, 0, -1):
            path.append(int(back[i, path[-1]]))
        path.reverse()
        return [self.labels[k] for k in path]


@lru_cache(maxsize=1)
def weights() -> Weights:
    return Weights.load(MODEL)


def allowed_labels(feats: LineFeatures, labels: list[str]) -> Any:
    """Labels each line may take, where its form leaves no doubt: a dateline after a sentence
    end, a blank line or a title opens a paragraph; a line that is only a byline, or a byline
    broken over two lines, is a byline (or a caption's credit); a photo credit belongs to a caption; 以上摘自…, 责任编辑… open a note;
    a line ending with a full stop is no title; an indented line is no headline or subheadline; a
    numbered line after a sentence end does not continue a paragraph; on a page that is not
    hard-wrapped no line continues a paragraph or title."""
    import numpy as np

    def get(name: str) -> Any:
        return feats.codes[feats.names.index(name)]

    allowed = np.ones((len(feats.idx), len(labels)), bool)
    kinds = np.array(labels)
    after_end = (get("bb") == 1) | (get("-1:end") == 1) | (get("-1:punct") != 1)

    def only(rows: Any, keep: tuple[str, ...]) -> None:
        # Where two forms disagree (a dateline that also reads as a byline), the first one stands.
        narrowed = allowed & np.isin(kinds, keep)
        rows = rows & narrowed.any(axis=1)
        allowed[rows] = narrowed[rows]

    def never(rows: Any, drop: tuple[str, ...]) -> None:
        # A rule that would leave a line no label at all gives way.
        narrowed = allowed & ~np.isin(kinds, drop)
        rows = rows & narrowed.any(axis=1)
        allowed[rows] = narrowed[rows]

    only((get("lead") > 0) & after_end, ("P-B",))
    only(get("by") == 1, ("BY-B", "BY-I", "C-I"))
    # A byline broken over two lines (本报记者 冯磊 通讯⏎员 余涛涛, （新聞及國際關係處⏎發布）) too.
    broken_by = get("by") == 2
    only(broken_by, ("BY-B",))
    only(np.concatenate(([False], broken_by[:-1])), ("BY-I",))
    only(get("credit") == 1, ("C-B", "C-I"))
    only((get("note") == 1) & after_end, ("N-B",))
    # A line without punctuation that ends inside a word the next unpunctuated line completes
    # (丰富观影选择 国⏎产影片发力春节档) is not followed by a new title: the title goes on.
    mid_word = (get("wordjoin") == 2) & (get("punct") == 0) & (get("ba") == 0) & (get("1:punct") == 0)
    never(np.concatenate(([False], mid_word[:-1])), ("H-B", "K-B", "SUB-B", "S-B"))
    # A numbered line after a sentence end or a blank line (（二）优化国际市场布局) starts something.
    # (Not after an unpunctuated line: 今⏎（5）日 is a date broken over the line end.)
    never((get("enum") == 1) & ((get("bb") == 1) | (get("-1:end") == 1)), ("P-I",))
    # A title never ends with a full stop (headlines may end with ！ or ？, never with 。).
    never(get("fullstop") == 1, ("H-B", "H-I", "K-B", "K-I", "SUB-B", "SUB-I", "S-B", "S-I"))
    # An indented line starts body text: it is no headline, kicker or subheadline, nor their
    # second line (创新驱动 under a headline is the next article's section heading).
    never(get("indent") > 0, ("H-B", "H-I", "K-B", "K-I", "SUB-B", "SUB-I"))
    # A section heading sits inside an article: a title right over a dateline is a headline.
    before_dateline = np.concatenate((allowed[1:, labels.index("P-B")] & ~allowed[1:, labels.index("P-I")], [False]))
    never(before_dateline, ("S-B", "S-I"))
    # A page that is not hard-wrapped prints one unit a line: no line goes on with the one above
    # (but a photo credit under its caption, or a byline's second line, still joins them).  Last,
    # since the dateline test above reads "opens a paragraph" from what is allowed.
    never(get("wrapped") == 0, ("P-I", "H-I", "K-I", "SUB-I", "S-I", "N-I"))
    return allowed


def tag_lines(lines: list[str]) -> tuple[list[int], list[str]]:
    """Indices of the non-blank lines and their labels."""
    feats = line_features(lines)
    if not feats.idx:
        return [], []
    w = weights()
    return feats.idx, w.decode(w.scores(feats), allowed_labels(feats, w.labels))


def crfsuite_weights(model_file: Path) -> dict:
    """A trained CRFsuite model's weights in the form :class:`Weights` reads (for training)."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_file))
    info = tagger.info()
    labels = sorted(info.labels, key=lambda lab: int(info.labels[lab]))
    state: dict[str, dict[str, float]] = {}
    for (attr, label), w in sorted(info.state_features.items()):
        if w:
            state.setdefault(attr, {})[label] = w
    trans = [[info.transitions.get((a, b), 0.0) for b in labels] for a in labels]
    return {"labels": labels, "transitions": trans, "state": state}
