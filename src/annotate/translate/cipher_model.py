"""A seeded piece-for-piece "cipher" zh→en Argos package that never copies anything through.

For the glossary-enforcement tests: a model that, like a real one, writes its own
words for a placeholder (``ZXQ0`` becomes three English words) instead of copying it,
so enforcement must come from attention.  It is built to differ from
:mod:`annotate.translate.tiny_model` wherever that could hide a shortcut:

* its SentencePiece model is BPE, not unigram, with no byte fallback (characters
  outside the vocabulary become ``<unk>``) and a smaller vocabulary, trained with the
  seed's own sample of English words;
* its target vocabulary is separate from the source vocabulary: English word pieces only
  (no ASCII piece can come out, so nothing is ever copied);
* the piece map is drawn from ``seed``;
* the decoder has ``layers`` layers and the reading is done by the *last* one, the
  layer CTranslate2 returns attention from (its default ``alignment_layer``); the
  earlier layers attend evenly and add nothing.

Each source piece becomes one English word piece; decoding stops after the source's
end mark.  Output is deterministic gibberish.
"""

from __future__ import annotations

import io
from pathlib import Path

from .tiny_model import (
    _CODE,
    _ENGLISH,
    _FREQS,
    _LOGIT,
    _SCORE,
    _identity_layer,
    _linear,
    _norm,
    _position_table,
    package,
)

_SPECIALS = ["<unk>", "<s>", "</s>"]


def build_cipher_model(dest: Path, corpus_text: str, *, seed: int = 7, layers: int = 2, name: str = "cipher-zh_en",
                       version: str = "1.0") -> Path:
    """Build ``dest/translate-<name>-<version>.argosmodel`` and return its path."""
    import numpy as np
    import sentencepiece as spm

    rng = np.random.default_rng(seed)
    english = _ENGLISH.split()
    words = [w for w in english if w.isalpha() and len(w) > 2]
    sample = " ".join(rng.permutation(words))
    lines = [line.strip() for line in corpus_text.splitlines() if line.strip()] + [sample] * 20
    out = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=out, vocab_size=1200, hard_vocab_limit=False, model_type="bpe",
        character_coverage=0.9995, byte_fallback=False, num_threads=1, shuffle_input_sentence=False, minloglevel=2,
    )
    sp_bytes = out.getvalue()
    sp = spm.SentencePieceProcessor(model_proto=sp_bytes)
    source = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    english_pieces = sorted({p for p in source if p.startswith("\u2581") and len(p) > 3 and p[1:].isascii()
                             and p[1:].isalpha()})
    target = _SPECIALS + english_pieces
    spec = _cipher_spec(np, rng, source, target, sp.eos_id(), layers)
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    return package(spec, sp_bytes, name, version, dest,
                   "Cipher test model built by annotate.translate.cipher_model: gibberish.")


def _cipher_spec(np, rng, source: list[str], target: list[str], source_eos: int, layers: int):
    from ctranslate2.specs import transformer_spec as ts

    d, heads = 128, 1
    eos = target.index("</s>")
    words = list(range(len(_SPECIALS), len(target)))
    codes = rng.choice([-1.0, 1.0], size=(len(target), _CODE)) / np.sqrt(_CODE)
    maps_to = rng.choice(words, size=len(source))  # every source piece, ASCII too, becomes an English word
    maps_to[source_eos] = eos
    positions = _position_table(np, d)
    code = slice(4 * _FREQS, 4 * _FREQS + _CODE)

    class _Shape:  # what tiny_model's layer helpers read
        width, ffn = d, 8

    enc = ts.TransformerEncoderSpec(1, heads, pre_norm=True, no_final_norm=True)
    dec = ts.TransformerDecoderSpec(layers, heads, pre_norm=True, no_final_norm=True)
    src_emb = np.zeros((len(source), d), np.float32)
    src_emb[:, code] = codes[maps_to]
    enc.embeddings[0].weight = src_emb
    enc.scale_embeddings = False
    enc.position_encodings.encodings = positions
    for layer in enc.layer:
        _identity_layer(np, layer, _Shape)
    dec.embeddings.weight = np.zeros((len(target), d), np.float32)
    dec.scale_embeddings = False
    dec.position_encodings.encodings = positions
    for k, layer in enumerate(dec.layer):
        _identity_layer(np, layer, _Shape)
        _norm(np, layer.attention.layer_norm, d)
        wq, wkv, wo = np.zeros((d, d)), np.zeros((2 * d, d)), np.zeros((d, d))
        if k == layers - 1:  # only the last layer reads: the one whose attention CTranslate2 returns
            sigma = np.sqrt(2 * _FREQS / d)
            wq[:2 * _FREQS, :2 * _FREQS] = np.eye(2 * _FREQS) * sigma * _SCORE * np.sqrt(d // heads)
            wkv[:2 * _FREQS, :2 * _FREQS] = np.eye(2 * _FREQS)
            wkv[d:d + _CODE, code] = np.eye(_CODE)
            wo[code, :_CODE] = np.eye(_CODE)
        _linear(np, layer.attention.linear[0], wq)
        _linear(np, layer.attention.linear[1], wkv)
        _linear(np, layer.attention.linear[2], wo)
    emit = [*words, eos]
    proj = np.zeros((len(target), d), np.float32)
    proj[emit, code] = _LOGIT * codes[emit]
    bias = np.full(len(target), -1e4, np.float32)
    bias[emit] = 0.0
    dec.projection.weight = proj
    dec.projection.bias = bias
    spec = ts.TransformerSpec(enc, dec)
    spec.config.add_source_eos = True
    spec.register_source_vocabulary(source)
    spec.register_target_vocabulary(target)
    spec.validate()
    spec.optimize()
    return spec
