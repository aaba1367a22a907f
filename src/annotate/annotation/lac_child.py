"""LAC's child process (ner.LacProcess): lists of texts in, their LAC words out, pickled on stdin/stdout."""

from __future__ import annotations

import pickle
import sys


def serve() -> None:
    from .ner import LacTagger

    lac = LacTagger()
    lac._lac  # noqa: B018 - load the model now, while the parent loads its own
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            texts = pickle.load(requests)
        except EOFError:  # the parent closed its end: done
            return
        try:
            reply = (True, lac.words_many(texts))
        except Exception as exc:  # the parent raises it for this request
            reply = (False, f"{type(exc).__name__}: {exc}")
        pickle.dump(reply, replies, protocol=pickle.HIGHEST_PROTOCOL)
        replies.flush()


if __name__ == "__main__":
    serve()
