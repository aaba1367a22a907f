"""A tiny instruction-model GGUF file, written offline in a fraction of a second.

For tests and benchmarks only: it "translates" into gibberish.  The real default
model is a 1.1 GB download; the tests must still run the real code path (the GGUF
reader, llama.cpp loading the file, its chat template, greedy decoding, the cache).
So we write one with the ``gguf`` package (ggml's own writer): a one-layer
llama-architecture network with seeded random weights, a byte-level BPE vocabulary
(GPT-2's 256 byte symbols, a few merges, and the ChatML control tokens that Qwen
uses) and Qwen's ChatML chat template.

The end-of-turn token is never the likeliest, so every answer runs to the length cap
(what the truncation flag needs).  ``architecture`` writes another architecture name
into the header (the wrong-architecture refusal test).
"""

from __future__ import annotations

from pathlib import Path

CHATML = (
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)
SPECIAL = ("<|endoftext|>", "<|im_start|>", "<|im_end|>")
_MERGES = ("Ġ t", "Ġ a", "h e", "i n", "r e", "o n", "Ġt he", "e r", "Ġ s", "a t")


def byte_symbols() -> list[str]:
    """GPT-2's printable stand-in for each byte (the vocabulary of byte-level BPE)."""
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    symbols = {b: chr(b) for b in keep}
    extra = 0
    for b in range(256):
        if b not in symbols:
            symbols[b] = chr(256 + extra)
            extra += 1
    return [symbols[b] for b in range(256)]


def build_tiny_gguf(path: Path, *, name: str = "tiny-llm", version: str = "1.0", seed: int = 7, width: int = 64,
                    layers: int = 1, architecture: str = "llama",
                    license: str = "MIT", chat_template: str | None = CHATML) -> Path:
    """Write the tiny model to ``path`` and return it."""
    import gguf
    import numpy as np

    rng = np.random.default_rng(seed)
    symbols = byte_symbols()
    tokens = symbols + ["".join(m.split()) for m in _MERGES] + list(SPECIAL)
    types = [gguf.TokenType.NORMAL] * (len(tokens) - len(SPECIAL)) + [gguf.TokenType.CONTROL] * len(SPECIAL)
    vocab = len(tokens)
    heads, ffn = 4, 2 * width

    w = gguf.GGUFWriter(str(path), architecture)
    w.add_name(name)
    w.add_string("general.version", version)
    w.add_string("general.license", license)
    w.add_context_length(2048)
    w.add_embedding_length(width)
    w.add_block_count(layers)
    w.add_feed_forward_length(ffn)
    w.add_head_count(heads)
    w.add_head_count_kv(heads)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_rope_dimension_count(width // heads)
    w.add_file_type(gguf.LlamaFileType.ALL_F32)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("qwen2")
    w.add_token_list(tokens)
    w.add_token_types(types)
    w.add_token_merges(list(_MERGES))
    w.add_bos_token_id(tokens.index("<|endoftext|>"))
    w.add_eos_token_id(tokens.index("<|im_end|>"))
    w.add_pad_token_id(tokens.index("<|endoftext|>"))
    w.add_add_bos_token(False)
    if chat_template is not None:
        w.add_chat_template(chat_template)

    def weight(*shape: int, scale: float = 0.2) -> np.ndarray:
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    w.add_tensor("token_embd.weight", weight(vocab, width, scale=1.0))
    for i in range(layers):
        w.add_tensor(f"blk.{i}.attn_norm.weight", np.ones(width, dtype=np.float32))
        for part in ("q", "k", "v", "output"):
            w.add_tensor(f"blk.{i}.attn_{part}.weight", weight(width, width))
        w.add_tensor(f"blk.{i}.ffn_norm.weight", np.ones(width, dtype=np.float32))
        w.add_tensor(f"blk.{i}.ffn_gate.weight", weight(ffn, width))
        w.add_tensor(f"blk.{i}.ffn_up.weight", weight(ffn, width))
        w.add_tensor(f"blk.{i}.ffn_down.weight", weight(width, ffn))
    w.add_tensor("output_norm.weight", np.ones(width, dtype=np.float32))
    out = weight(vocab, width)
    # The end token is never the likeliest: every output has text in it.
    out[tokens.index("<|im_end|>")] = 0.0
    out[tokens.index("<|endoftext|>")] = 0.0
    w.add_tensor("output.weight", out)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return Path(path)
