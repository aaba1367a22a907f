"""A tiny, deterministic zh→en Argos package for tests and benchmarks (it translates into gibberish).

A real Transformer in CTranslate2's format, built with its model-spec API, and a
SentencePiece model trained on the given text: install, loading, batching, caching and
the guards all run through the real libraries.  Its weights are wired so the output
depends on the decoding step only (all attention and feed-forward weights are zero,
target embeddings are zero, and the output projection matches the sinusoidal position
encoding of step *k* to the *k*-th English word), so step k emits word k: no loops,
no randomness.  Decoding stops at the length cap the translator sets (one word per
source piece).
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
import zipfile
from pathlib import Path

WORDS = ["reform", "development", "industry", "city", "enterprise", "market", "service", "government", "growth", "policy", "innovation", "trade", "zone", "business", "environment", "investment", "project", "construction", "technology", "economy"]


def _sinusoid(position: int, dim: int):
    import numpy as np

    half = dim // 2
    scale = np.log(10000.0) / (half - 1)
    inv = np.exp(np.arange(half) * -scale)
    angles = position * inv
    return np.concatenate([np.sin(angles), np.cos(angles)]).astype("float32")


def build_tiny_model(dest: Path, corpus_text: str, name: str = "tiny-zh-en") -> Path:
    """Write ``dest/translate-zh_en-tiny.argosmodel``; returns its path."""
    import numpy as np
    import sentencepiece as spm
    from ctranslate2.specs import transformer_spec

    work = Path(tempfile.mkdtemp(prefix="tiny-argos-"))
    try:
        pkg = work / "translate-zh_en-tiny"
        (pkg / "model").mkdir(parents=True)
        text = corpus_text + "\n" + " ".join(WORDS) * 20
        model = io.BytesIO()
        spm.SentencePieceTrainer.train(sentence_iterator=iter(text.splitlines() or [text]), model_writer=model,
                                       vocab_size=1500, character_coverage=1.0, model_type="unigram", minloglevel=2,
                                       user_defined_symbols=[f"▁{w}" for w in WORDS], hard_vocab_limit=False)
        (pkg / "sentencepiece.model").write_bytes(model.getvalue())
        sp = spm.SentencePieceProcessor(model_proto=model.getvalue())
        vocab = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
        vocab[0], vocab[1], vocab[2] = "<unk>", "<s>", "</s>"

        d, ffn, n = 64, 64, len(vocab)
        spec = transformer_spec.TransformerSpec.from_config(1, 1)
        zero = lambda *shape: np.zeros(shape, dtype="float32")  # noqa: E731
        for side in (spec.encoder, spec.decoder):
            for layer in side.layer:
                for att in [layer.self_attention] + ([layer.attention] if hasattr(layer, "attention") else []):
                    att.layer_norm.gamma, att.layer_norm.beta = np.ones(d, "float32"), zero(d)
                    for lin in att.linear:
                        out = lin.weight.shape if isinstance(lin.weight, np.ndarray) else None
                        lin.weight = zero(*(out or (d, d)))
                layer.ffn.layer_norm.gamma, layer.ffn.layer_norm.beta = np.ones(d, "float32"), zero(d)
                layer.ffn.linear_0.weight, layer.ffn.linear_1.weight = zero(ffn, d), zero(d, ffn)
            side.layer_norm.gamma, side.layer_norm.beta = np.ones(d, "float32"), zero(d)
        spec.encoder.embeddings[0].weight = np.random.default_rng(0).normal(0, 0.1, (n, d)).astype("float32")
        spec.decoder.embeddings.weight = zero(n, d)
        # self-attention: fused QKV; cross-attention: Q and fused KV; then the output projections
        for layer in spec.encoder.layer:
            layer.self_attention.linear[0].weight, layer.self_attention.linear[1].weight = zero(3 * d, d), zero(d, d)
        for layer in spec.decoder.layer:
            layer.self_attention.linear[0].weight, layer.self_attention.linear[1].weight = zero(3 * d, d), zero(d, d)
            layer.attention.linear[0].weight = zero(d, d)
            layer.attention.linear[1].weight = zero(2 * d, d)
            layer.attention.linear[2].weight = zero(d, d)
        proj = zero(n, d)
        word_ids = [vocab.index(f"▁{w}") for w in WORDS]
        for k, wid in enumerate(word_ids):  # word k answers at steps k, k+20, k+40 …
            proj[wid] = sum(_sinusoid(p + 1, d) for p in range(k, 200, len(word_ids)))
        spec.decoder.projection.weight = proj
        spec.register_source_vocabulary(vocab)
        spec.register_target_vocabulary(vocab)
        spec.validate()
        spec.save(str(pkg / "model"))
        (pkg / "metadata.json").write_text(json.dumps({
            "package_version": "1.0", "argos_version": "1.11", "from_code": "zh", "from_name": "Chinese",
            "to_code": "en", "to_name": "English", "type": "translate", "package_name": name,
        }), "utf-8")
        dest.mkdir(parents=True, exist_ok=True)
        archive = dest / "translate-zh_en-tiny.argosmodel"
        with zipfile.ZipFile(archive, "w") as zf:
            for f in sorted(pkg.rglob("*")):
                if f.is_file():
                    zf.write(f, f.relative_to(work).as_posix())
        return archive
    finally:
        shutil.rmtree(work, ignore_errors=True)
