"""The GGUF backend: an instruction LLM run by llama.cpp (through llama-cpp-python) on the CPU.

Decoding is greedy (temperature 0) with a fixed seed, so an output depends only on the
model file, the prompt (prompt.py) and these settings: the cache key.  Each request is
one chat completion in the model's own chat template (read from the GGUF file).

* **No Chinese in the output.**  Small models leave Chinese words in about one
  sentence in eight.  Every token whose bytes could start a CJK character (UTF-8 lead
  bytes 0xE3-0xE9: U+3000-U+9FFF, CJK punctuation, kana and the Han block; 0xF0: the
  supplementary planes; 0xEF: full-width forms) is suppressed at each step, so the
  model must write English (or pinyin) instead.  The guard still checks.
* **Length.**  At most ``3 × source tokens + 10`` new tokens (the guards' cap, as for
  Argos); an answer that reaches it was cut, is marked "…" and flagged ``too-long``.
* **Threads.**  llama.cpp's threads wait for each other at every layer: on a 2-core
  machine where another process is busy, 2 threads are several times *slower* than 1.
  ``threads=0`` picks the cores not busy over the last quarter second (at least 1).
* **Context.**  Sized to the longest prompt plus its output cap (at least 1,024 tokens);
  a longer request reloads the model with a larger context.
* **AMX.**  llama.cpp's AMX buffer type crashes on some Xeon CPUs
  (``ggml_backend_amx_mul_mat``); extra buffer types are turned off where the
  binding lets us (``use_extra_bufts``), or the library is built without AMX (Makefile).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Sequence

from ..errors import EnvironmentProblem
from .backend import RawOutput, Request, package_version
from .guards import length_cap
from .models import GGUF_FILE, ModelInfo
from .prompt import PROMPT_VERSION, clean_answer, repair_messages, translation_messages

SEED = 20240601
MIN_CONTEXT = 1024


def auto_threads() -> int:
    """Cores not busy right now, at least 1.

    Busy is measured over a quarter of a second from /proc/stat, not from the 1-minute load
    average: right after ``make install`` the load average still counts the build, and one
    thread on an idle 2-core machine is 1.7x slower than two (docs/benchmarks.md), while two
    threads on a busy machine are far slower still (llama.cpp's threads wait for each other)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    busy = _busy_cores(cores)
    return max(1, min(cores, int(cores - busy + 0.5)))


def _busy_cores(cores: int, seconds: float = 0.25) -> float:
    def sample() -> tuple[int, int]:
        with open("/proc/stat", encoding="ascii") as f:
            values = [int(v) for v in f.readline().split()[1:]]
        return sum(values), values[3] + (values[4] if len(values) > 4 else 0)  # total, idle + iowait

    try:
        total0, idle0 = sample()
        time.sleep(seconds)
        total1, idle1 = sample()
    except (OSError, ValueError, IndexError):  # not Linux, or no /proc: the load average
        try:
            return os.getloadavg()[0]
        except OSError:  # pragma: no cover
            return 0.0
    if total1 <= total0:
        return 0.0
    return cores * (1 - (idle1 - idle0) / (total1 - total0))


@contextlib.contextmanager
def _quiet_stderr():
    """llama.cpp prints its loading log on the C stderr even with verbose=False; keep it off the terminal."""
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        yield
        return
    saved = os.dup(fd)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), fd)
            yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)


def banned_tokens(llm) -> list[int]:
    """Token IDs whose bytes could start a CJK character or full-width form (see the module doc)."""
    bad = set(range(0xE3, 0xEA)) | {0xEF, 0xF0}
    out = []
    for i in range(llm.n_vocab()):
        try:
            b = llm.detokenize([i], special=False)
        except TypeError:  # older bindings: no 'special' parameter
            b = llm.detokenize([i])
        if any(x in bad for x in b):
            out.append(i)
    return out


class LLMBackend:
    """An instruction LLM from a GGUF file."""

    origin = "llm"
    uses_placeholders = False
    commit_every = 4  # requests per cache commit: a killed run loses little, progress is frequent

    def __init__(self, model: ModelInfo, *, threads: int = 0, batch_size: int = 1) -> None:
        if threads < 0:
            raise ValueError("threads must be ≥ 0")
        self.model = model
        self.threads = threads
        self.max_decoding_length = 512
        self.calls = 0
        self.sentences = 0
        self.on_output: Callable[[], None] | None = None  # called after each answer (progress)
        self._llm = None
        self._ctx = 0
        self._banned = None

    @property
    def settings_key(self) -> str:
        return f"llm/{PROMPT_VERSION};greedy;seed={SEED};cap=3n+10;no-cjk"

    @property
    def engine_name(self) -> str:
        return f"llama.cpp (llama-cpp-python {package_version('llama-cpp-python')})"

    @property
    def loaded(self) -> bool:
        return self._llm is not None

    # -- loading -------------------------------------------------------------------
    def _load(self, n_ctx: int) -> None:
        try:
            from llama_cpp import Llama
        except ImportError as exc:
            raise EnvironmentProblem(f"llama-cpp-python is not installed ({exc})",
                                     hint="run make install (it builds llama-cpp-python)") from None
        threads = self.threads or auto_threads()
        kwargs = dict(model_path=str(self.model.path / GGUF_FILE), n_ctx=n_ctx, n_threads=threads,
                      n_threads_batch=threads, seed=SEED, verbose=False)
        import inspect

        if "use_extra_bufts" in inspect.signature(Llama.__init__).parameters:
            kwargs["use_extra_bufts"] = False
        self._llm = None
        try:
            with _quiet_stderr():
                self._llm = Llama(**kwargs)
        except (ValueError, RuntimeError, OSError) as exc:
            raise EnvironmentProblem(f"llama.cpp cannot load the model: {exc}", path=self.model.path / GGUF_FILE,
                                     hint="reinstall it with annotate models install") from None
        self._ctx = n_ctx
        self.threads_used = threads
        if self._banned is None:
            import numpy as np

            self._banned = np.array(banned_tokens(self._llm), dtype=np.int64)

    def _tokens(self, text: str) -> int:
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def _ensure(self, needed: int) -> None:
        if self._llm is None or needed > self._ctx:
            size = MIN_CONTEXT
            while size < needed:
                size *= 2
            self._load(size)

    # -- translating -----------------------------------------------------------------
    def _messages(self, r: Request) -> list[dict]:
        if r.missing:
            return repair_messages(r.text, r.draft, r.missing)
        return translation_messages(r.text, context=r.context)

    def _suppress(self, input_ids, scores):
        scores[self._banned] = -float("inf")
        return scores

    def translate(self, requests: Sequence[Request]) -> list[RawOutput]:
        if self._llm is None:
            self._ensure(MIN_CONTEXT)
        out = []
        for r in requests:
            messages = self._messages(r)
            source = self._tokens(r.text)
            cap = min(length_cap(source), self.max_decoding_length)
            prompt = sum(self._tokens(m["content"]) + 8 for m in messages) + 16
            self._ensure(prompt + cap)
            result = self._llm.create_chat_completion(
                messages=messages, temperature=0.0, top_k=1, top_p=1.0, min_p=0.0, repeat_penalty=1.0,
                seed=SEED, max_tokens=cap, logits_processor=[self._suppress])
            self.calls += 1
            self.sentences += 1
            choice = result["choices"][0]
            text = clean_answer(choice["message"].get("content") or "", r.text)
            produced = int(result["usage"]["completion_tokens"])
            if choice.get("finish_reason") == "length":
                produced = cap + 1  # it wanted more than the cap: the guards flag too-long
                text = f"{text} …" if text else text
            out.append(RawOutput(text, source, produced))
            if self.on_output:
                self.on_output()
        return out
