"""A tiny zh→en Argos package, built offline in a fraction of a second.

For tests and benchmarks only: it translates into gibberish.  No real zh→en model
can be had on the test machines, yet the real code path (argos's package loader,
SentencePiece, CTranslate2) must run.  So we build one: a SentencePiece model
trained on the given corpus text (plus a few English words, so there are English
pieces to emit), and a one-layer Transformer written directly with CTranslate2's
model-spec API, whose weights are set by hand rather than trained:

* Encoder and decoder layers are identities (zero attention and feed-forward
  outputs; pre-norm residuals pass the input through).  The encoder output at
  position s is a code vector for the source piece plus a position code.
* Position codes are cos/sin pairs at 11 frequencies (periods 2 … 2048), stored as
  learned position encodings.  The decoder's cross-attention compares the decoder
  step t with each source position s; the score Σ cos(θₖ(t−s)) peaks at s = t with
  a margin of at least 2 for any |t−s| < 2048, scaled to make attention one-hot.
  So decoder step t reads source piece t.
* The output layer turns the code it read into a piece: each source piece carries
  the code of the target piece it "translates" to.  ASCII pieces (digits, Latin,
  the ``ZXQ0`` placeholders) map to themselves — a model copying what it does not
  translate, as real NMT does with names and numbers — and every other piece to a
  fixed, pseudo-random English word piece.  The source gets an end-of-sentence
  token (``add_source_eos``) whose code is EOS's own, so the output stops exactly
  after as many pieces as the input had.  Only ASCII pieces and EOS can be emitted.

The result is deterministic, never loops, and keeps placeholders: what the
enforcement, batching and cache tests need.  ``copy_latin=False`` builds a variant
that maps ASCII pieces to other words too, so placeholders are lost (the fallback
path).
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

#: English the SentencePiece model also learns, so that there are English word pieces.
_ENGLISH = """the of and to in a is that for on with as by at from it this be are was were has have had will would
can new year city port industry trade growth reform market service services company companies project projects zone
free pilot area development economy economic policy government state council plan level high quality investment
export exports import imports value added output increase rose fell percent billion million yuan total first second
third quarter report reported said official officials manufacturing equipment technology innovation digital green
energy enterprise enterprises business environment approval license province provincial national local rural urban
education health housing transport shipping logistics finance bank banks credit support promote build improve
upgrade open opening cooperation region regional centre center key major large small medium private public
ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789 , . ; : % ( ) -"""

_FREQS = 11  # position-code frequencies: periods 2, 4, …, 2048
_CODE = 64  # width of the piece codes
_POSITIONS = 1100  # > CTranslate2's 1,024-piece input cap + EOS, and the 256-piece output cap
_SCORE = 20.0  # attention sharpness: the margin of 2 becomes e^-40
_LOGIT = 40.0  # output sharpness: a code matches itself at 40, another at ≲ 18
_SEED = 20240601


def build_tiny_model(dest: Path, corpus_text: str, *, copy_latin: bool = True, name: str = "tiny-zh_en",
                     version: str = "1.0", layers: int = 1, width: int = 128, ffn: int = 8, heads: int = 1) -> Path:
    """Build ``dest/translate-<name>-<version>.argosmodel`` and return its path.

    For tests and benchmarks only: the package translates Chinese into gibberish
    (one English piece per source piece; Latin and digits copied through).
    ``layers``/``width``/``ffn``/``heads`` give the network a real model's shape
    (e.g. 6, 512, 2048, 8 like a Transformer-base) for benchmarks: the extra weights
    are zeros, so the output is the same but the arithmetic is a real model's."""
    if width // heads < _CODE or width < 4 * _FREQS + _CODE or width % heads:
        raise ValueError("need width divisible by heads, width/heads ≥ 64 and width ≥ 108")
    shape = _Shape(layers, width, ffn, heads)
    import numpy as np
    import sentencepiece as spm

    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    sp_bytes = _train_sentencepiece(spm, corpus_text)
    sp = spm.SentencePieceProcessor(model_proto=sp_bytes)
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    spec = _transformer(np, pieces, sp.eos_id(), copy_latin, shape)
    return package(spec, sp_bytes, name, version, dest,
                   "Tiny test model built by annotate.translate.tiny_model: gibberish output.")


def package(spec, sp_bytes: bytes, name: str, version: str, dest: Path, readme: str) -> Path:
    """An Argos package (``translate-NAME-VERSION.argosmodel`` in ``dest``) of a CTranslate2 model
    ``spec`` and its SentencePiece model: the layout ``annotate models install`` reads."""
    folder = f"translate-{name}-{version.replace('.', '_')}"
    with tempfile.TemporaryDirectory(prefix="test-model-") as tmp:
        root = Path(tmp) / folder
        (root / "model").mkdir(parents=True)
        spec.save(str(root / "model"))
        (root / "sentencepiece.model").write_bytes(sp_bytes)
        meta = {"type": "translate", "package_name": name, "package_version": version, "argos_version": "1.9",
                "from_code": "zh", "from_name": "Chinese", "to_code": "en", "to_name": "English"}
        (root / "metadata.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        (root / "README.md").write_text(readme + "\n", encoding="utf-8")
        archive = Path(dest) / f"{folder}.argosmodel"
        _zip(Path(tmp), folder, archive)
    return archive


@dataclass(frozen=True)
class _Shape:
    layers: int
    width: int  # 4·11 position dims + 64 code dims, padded
    ffn: int
    heads: int


def _train_sentencepiece(spm, corpus_text: str) -> bytes:
    lines = [line.strip() for line in corpus_text.splitlines() if line.strip()]
    lines += [" ".join(_ENGLISH.split())] * 20
    out = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=out, vocab_size=1500, hard_vocab_limit=False,
        model_type="unigram", character_coverage=1.0, byte_fallback=True, num_threads=1,
        shuffle_input_sentence=False, minloglevel=2,
    )
    return out.getvalue()


def _is_ascii_piece(piece: str) -> bool:
    text = piece.replace("\u2581", "")
    if piece.startswith("<") and piece.endswith(">"):
        return False  # <unk>, <s>, </s>, byte pieces <0x41>
    return piece == "\u2581" or (bool(text) and all(33 <= ord(c) < 127 for c in text))


def _transformer(np, pieces: list[str], eos: int, copy_latin: bool, shape: _Shape):
    from ctranslate2.specs import transformer_spec as ts

    d, head = shape.width, shape.width // shape.heads
    rng = np.random.default_rng(_SEED)
    vocab = len(pieces)
    ascii_ids = [i for i, p in enumerate(pieces) if _is_ascii_piece(p)]
    words = [i for i, p in enumerate(pieces) if p.startswith("\u2581") and len(p) > 2 and p[1:].isascii() and p[1:].isalpha()]
    codes = rng.choice([-1.0, 1.0], size=(vocab, _CODE)) / np.sqrt(_CODE)
    # What each source piece "translates" to.
    target = rng.choice(words, size=vocab) if words else np.full(vocab, eos)
    if copy_latin:
        target[ascii_ids] = ascii_ids
    target[eos] = eos
    positions = _position_table(np, d)
    code = slice(4 * _FREQS, 4 * _FREQS + _CODE)  # where piece codes live in the residual stream

    enc = ts.TransformerEncoderSpec(shape.layers, shape.heads, pre_norm=True, no_final_norm=True)
    dec = ts.TransformerDecoderSpec(shape.layers, shape.heads, pre_norm=True, no_final_norm=True)
    src_emb = np.zeros((vocab, d), np.float32)
    src_emb[:, code] = codes[target]
    enc.embeddings[0].weight = src_emb
    enc.scale_embeddings = False
    enc.position_encodings.encodings = positions
    for layer in enc.layer:
        _identity_layer(np, layer, shape)
    dec.embeddings.weight = np.zeros((vocab, d), np.float32)  # the decoder needs only its position
    dec.scale_embeddings = False
    dec.position_encodings.encodings = positions
    for k, layer in enumerate(dec.layer):
        _identity_layer(np, layer, shape)
        _norm(np, layer.attention.layer_norm, d)
        wq, wkv, wo = np.zeros((d, d)), np.zeros((2 * d, d)), np.zeros((d, d))
        if k == 0:  # the first layer does the reading; the others' cross-attention adds nothing
            # The decoder input is its position code alone; layer norm divides it by a constant.
            sigma = np.sqrt(2 * _FREQS / d)
            wq[:2 * _FREQS, :2 * _FREQS] = np.eye(2 * _FREQS) * sigma * _SCORE * np.sqrt(head)  # undo 1/√head
            wkv[:2 * _FREQS, :2 * _FREQS] = np.eye(2 * _FREQS)  # keys (head 0): source position
            wkv[d:d + _CODE, code] = np.eye(_CODE)  # values (head 0): the source piece's code
            wo[code, :_CODE] = np.eye(_CODE)
        _linear(np, layer.attention.linear[0], wq)
        _linear(np, layer.attention.linear[1], wkv)
        _linear(np, layer.attention.linear[2], wo)
    emit = sorted(set(ascii_ids) | {eos})
    proj = np.zeros((vocab, d), np.float32)
    proj[emit, code] = _LOGIT * codes[emit]
    bias = np.full(vocab, -1e4, np.float32)
    bias[emit] = 0.0
    dec.projection.weight = proj
    dec.projection.bias = bias

    spec = ts.TransformerSpec(enc, dec)
    spec.config.add_source_eos = True
    spec.register_source_vocabulary(pieces)
    spec.register_target_vocabulary(pieces)
    spec.validate()
    spec.optimize()
    return spec


def _position_table(np, d: int):
    t = np.arange(_POSITIONS)[:, None]
    theta = 2 * np.pi / (2.0 ** np.arange(1, _FREQS + 1))[None, :]
    cos, sin = np.cos(theta * t), np.sin(theta * t)
    table = np.zeros((_POSITIONS, d), np.float32)
    # Each code with its negation: zero mean and constant norm, so layer norm only rescales.
    table[:, :_FREQS], table[:, _FREQS:2 * _FREQS] = cos, sin
    table[:, 2 * _FREQS:3 * _FREQS], table[:, 3 * _FREQS:4 * _FREQS] = -cos, -sin
    return table


def _norm(np, spec, d: int) -> None:
    spec.gamma = np.ones(d, np.float32)
    spec.beta = np.zeros(d, np.float32)


def _linear(np, spec, weight) -> None:
    spec.weight = weight.astype(np.float32)
    spec.bias = np.zeros(weight.shape[0], np.float32)


def _identity_layer(np, layer, shape: _Shape) -> None:
    """Zero self-attention and feed-forward outputs: the pre-norm residuals pass the input through."""
    d = shape.width
    _norm(np, layer.self_attention.layer_norm, d)
    _linear(np, layer.self_attention.linear[0], np.zeros((3 * d, d)))
    _linear(np, layer.self_attention.linear[1], np.zeros((d, d)))
    _norm(np, layer.ffn.layer_norm, d)
    _linear(np, layer.ffn.linear_0, np.zeros((shape.ffn, d)))
    _linear(np, layer.ffn.linear_1, np.zeros((d, shape.ffn)))


def _zip(root: Path, folder: str, archive: Path) -> None:
    """A reproducible zip: sorted members, fixed timestamps."""
    tmp = archive.with_name(archive.name + ".part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file():
                info = zipfile.ZipInfo(path.relative_to(root).as_posix(), date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, path.read_bytes())
    shutil.move(tmp, archive)
