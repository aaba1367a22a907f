"""Translation speed with the tiny test model: argos's own translate() once per sentence, our
batched CTranslate2 path, and a fully cached re-run.

    annotate bench translate

Runs in a temporary ARGOS_PACKAGES_DIR/XDG home (argos reads them at import), so it
never touches the user's installed models.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path


class _PassThrough:
    """Argos's sentence splitters download models; we give it one sentence at a time."""

    def split_sentences(self, text: str) -> list[str]:
        return [text]


def run(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for var, sub in (("ARGOS_PACKAGES_DIR", "packages"), ("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache"),
                         ("XDG_CONFIG_HOME", "config")):
            os.environ[var] = str(base / sub)
        from ..annotation import split_sentences
        from ..translate import Translator
        from ..translate.models import find_model, install_model
        from ..translate.tiny_model import build_tiny_model
        from ._corpus import PAGE, paragraphs

        install_model(build_tiny_model(base / "build", PAGE.read_text("utf-8")), base / "packages")
        model = find_model(base / "packages")
        sentences = [p[s:e] for p in paragraphs() for s, e in split_sentences(p)] * 4
        print(f"{len(sentences)} sentences, tiny model ({model.size / 1e6:.1f} MB), beam 2")

        from ..translate.translator import import_argostranslate

        import_argostranslate(base / "packages")  # sets the stanza stub first
        import argostranslate.translate

        argos = argostranslate.translate.get_translation_from_codes("zh", "en")
        argos.underlying.sentencizer = _PassThrough()
        t = time.perf_counter()
        for s in sentences:
            argos.translate(s)
        one = time.perf_counter() - t
        print(f"argos translate(), one call per sentence: {len(sentences) / one:8.1f} sentences/s "
              "(4 hypotheses up to argos's 256-piece cap: the tiny model never ends a sentence by itself)")
        single = Translator(model, cache_path=base / "one.sqlite", beam_size=2, batch_size=1)
        t = time.perf_counter()
        single.translate_texts(sentences)
        per_call = time.perf_counter() - t
        print(f"ours, one sentence per CTranslate2 call:  {len(sentences) / per_call:8.1f} sentences/s")

        ours = Translator(model, cache_path=base / "c.sqlite", beam_size=2, batch_size=32)
        t = time.perf_counter()
        ours.translate_texts(sentences)
        batched = time.perf_counter() - t
        print(f"ours, batched (32) into CTranslate2:     {len(sentences) / batched:8.1f} sentences/s "
              f"({per_call / batched:.1f}× one per call; {ours.stats.model_calls} model calls)")
        t = time.perf_counter()
        ours.translate_texts(sentences)
        cached = time.perf_counter() - t
        print(f"ours, cached re-run:                     {len(sentences) / cached:8.1f} sentences/s (cache look-ups only)")
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
