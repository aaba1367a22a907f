"""What a GGUF file says about itself, read with ggml's ``gguf`` package, and whether we can use it.

A GGUF file starts with the magic ``GGUF``, a version, then key/value metadata
(``general.architecture``, ``general.name``, ``general.license``, the tokenizer and
its chat template) and the tensor directory.  We read the header and directory only
(``GGUFReader`` memory-maps the file), so a 1 GB model is checked in well under a
second, and refuse before installing anything:

* a file that is not GGUF (wrong magic) or that the reader cannot parse;
* a truncated file: the tensor directory points past the end of the file;
* an architecture llama.cpp does not run as a text generator (an embedding, vision
  or speech model);
* a model without a chat template: we prompt instruction models through their own
  template, never a guessed one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

MAGIC = b"GGUF"
#: Decoder-only text architectures llama.cpp generates with (``general.architecture``).
TEXT_ARCHITECTURES = frozenset({
    "llama", "llama4", "qwen2", "qwen2moe", "qwen3", "qwen3moe", "mistral3", "gemma", "gemma2", "gemma3",
    "phi2", "phi3", "starcoder2", "stablelm", "internlm2", "deepseek", "deepseek2", "chatglm", "glm4", "baichuan",
    "yi", "minicpm", "minicpm3", "olmo", "olmo2", "granite", "exaone", "command-r", "cohere2", "falcon", "mpt",
    "bloom", "gpt2", "gptneox", "orion", "openelm", "hunyuan-dense", "ernie4_5",
})


@dataclass(frozen=True)
class GGUFInfo:
    architecture: str
    name: str
    version: str
    license: str
    context_length: int
    chat_template: str
    size: int


def _field(reader, key: str, default=""):  # -> str | int | float
    f = reader.fields.get(key)
    if f is None:
        return default
    try:
        return f.contents()
    except (ValueError, IndexError, TypeError):
        return default


def inspect_gguf(path: Path) -> GGUFInfo:
    """The file's metadata; InputError (naming the file) when it is not a usable instruction model."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read the model file: {exc.strerror}", path=path) from None
    if head[:4] != MAGIC:
        raise InputError("not a GGUF model file (it does not start with 'GGUF')", path=path,
                         hint="install a .gguf file or an .argosmodel package")
    from gguf import GGUFReader

    try:
        reader = GGUFReader(str(path))
    except (ValueError, OSError, IndexError, KeyError) as exc:
        raise InputError(f"damaged or truncated GGUF file ({type(exc).__name__}: {exc})", path=path,
                         hint="download the file again") from None
    end = max((int(t.data_offset) + int(t.n_bytes) for t in reader.tensors), default=0)
    if not reader.tensors or end > size:
        raise InputError(f"truncated GGUF file: its tensors need {end:,} bytes, the file has {size:,}", path=path,
                         hint="download the file again")
    arch = str(_field(reader, "general.architecture"))
    if arch not in TEXT_ARCHITECTURES:
        raise InputError(f"architecture {arch or '(none)'!r} is not a text-generation model llama.cpp runs", path=path,
                         hint="install an instruction-tuned text model (e.g. a Qwen2.5 instruct GGUF)")
    template = str(_field(reader, "tokenizer.chat_template"))
    if not template.strip():
        raise InputError("the model has no chat template (tokenizer.chat_template)", path=path,
                         hint="install an instruction-tuned (chat) model, not a base model")
    ctx = _field(reader, f"{arch}.context_length", 0)
    return GGUFInfo(
        architecture=arch,
        name=str(_field(reader, "general.name") or path.stem),
        version=str(_field(reader, "general.version") or _field(reader, "general.size_label") or ""),
        license=str(_field(reader, "general.license")),
        context_length=int(ctx) if isinstance(ctx, (int, float)) else 0,
        chat_template=template,
        size=size,
    )
