"""The pipeline: raw pages → every export, incrementally, one document at a time.

Each page goes through ingest → annotate → term linking → translation (or gloss)
→ per-document exports inside one worker call, so documents stream: the main
process only ever holds small per-document summaries.  Corpus-level files (HTML
index and glossary page, TBX, TEI corpus root) are written at the end from those
summaries.

Incremental runs use a chain of keys stored in the cache directory:

* ``page``   sha256 of the page and its metadata file;
* ``annot``  page key + annotator fingerprint + the glossary forms that occur in the
  page (a glossary change re-segments only the pages that contain a changed form);
* ``final``  annot-independent key of everything an export depends on: page key,
  annotator, glossary fingerprint, translation settings and export layers.

A page whose ``final`` key and output files are unchanged costs one read and one
hash.  Translations have their own sentence-level SQLite cache.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .config import EXPORT_LAYERS, Config
from .corpus import code_fingerprint, digest, find_pages, page_hash
from .errors import AnnotateError, EnvironmentProblem, InputError
from .fsutil import remove_stale_temps, write_text_atomic
from .model import Document, slug_id

#: Bump when the pipeline's own output format changes (invalidates every cached result).
PIPELINE_VERSION = "1"

STAGES = ("ingest", "annotate", "terms", "translate", "export")


# --------------------------------------------------------------------------------------
# Options and results
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunOptions:
    corpus: Path
    exports: Path
    glossary: Path
    cache: Path
    layers: tuple[str, ...] = EXPORT_LAYERS
    jobs: int = 1
    force: bool = False
    ner: bool = True
    model_dir: Path | None = None
    beam_size: int = 2
    threads: int = 0
    batch_size: int = 32
    encoding: str | None = None

    @classmethod
    def from_config(cls, config: Config, **overrides: Any) -> RunOptions:
        values = {
            "corpus": config.corpus,
            "exports": config.exports,
            "glossary": config.glossary,
            "cache": config.cache,
            "layers": config.layers,
            "jobs": config.jobs,
            "ner": config.ner,
            "model_dir": config.model_dir,
            "beam_size": config.beam_size,
            "threads": config.threads,
            "batch_size": config.batch_size,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


@dataclass
class DocResult:
    """What a worker sends back: counts, timings and the small summary the site index needs."""

    doc_id: str
    page: str
    status: str  # "processed", "unchanged" or "failed"
    error: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    times: dict[str, float] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # path relative to exports → sha256
    summary: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class RunReport:
    results: list[DocResult] = field(default_factory=list)
    corpus_files: list[str] = field(default_factory=list)
    translation_note: str = ""
    model_warnings: list[str] = field(default_factory=list)
    glossary_problems: list[str] = field(default_factory=list)
    corpus_time: float = 0.0  # writing the corpus-level files
    wall: float = 0.0

    def total(self, key: str) -> int:
        return sum(r.counts.get(key, 0) for r in self.results)

    def stage_time(self, stage: str) -> float:
        return sum(r.times.get(stage, 0.0) for r in self.results)

    @property
    def failed(self) -> list[DocResult]:
        return [r for r in self.results if r.status == "failed"]


# --------------------------------------------------------------------------------------
# Per-process context: heavy objects built once per worker
# --------------------------------------------------------------------------------------


class _Context:
    """Glossary, annotator, translator and glosser for one process, built lazily."""

    def __init__(self, options: RunOptions) -> None:
        self.options = options
        self._glossary = None
        self._annotator = None
        self._translator: Any = None
        self._translator_checked = False
        self.model_warnings: list[str] = []
        self._glosser = None

    @property
    def glossary(self):  # -> annotate.glossary.Glossary
        if self._glossary is None:
            self._glossary = load_glossary_or_empty(self.options.glossary)
        return self._glossary

    @property
    def annotator(self):  # -> annotate.annotation.Annotator
        if self._annotator is None:
            from .annotation import Annotator

            self._annotator = Annotator(extra_words=self.glossary.forms(), ner=self.options.ner)
        return self._annotator

    @property
    def annotator_key(self) -> str:
        from .annotation import annotator_fingerprint

        return annotator_fingerprint(ner=self.options.ner)

    @property
    def translator(self):  # -> annotate.translate.Translator | None
        if not self._translator_checked:
            self._translator_checked = True
            self._translator, self.model_warnings = open_translator(self.options)
        return self._translator

    @property
    def glosser(self):
        if self._glosser is None:
            from .translate.gloss import Glosser

            self._glosser = Glosser(self.glossary.by_id)
        return self._glosser

    def translation_key(self) -> str:
        t = self.translator
        if t is None:
            return "gloss-only"
        return f"{t.model_id}|beam={self.options.beam_size}"


def load_glossary_or_empty(path: Path):
    """The glossary at ``path`` (empty, with a warning, when the folder is absent)."""
    from .glossary import load_glossary

    return load_glossary(path)


def open_translator(options: RunOptions):
    """A Translator for the best usable zh→en model (or None), and a warning per broken model skipped."""
    from .translate.models import select_model

    model, warnings = select_model(options.model_dir)
    if model is None:
        return None, warnings
    from .translate import Translator
    return Translator(
        model,
        cache_path=options.cache / "translations.sqlite",
        beam_size=options.beam_size,
        threads=options.threads,
        batch_size=options.batch_size,
    ), warnings


def missing_model_message(options: RunOptions) -> str:
    from .translate.models import missing_model_hint

    return missing_model_hint(options.model_dir)


_CTX: _Context | None = None


def _worker_init(options: RunOptions) -> None:
    global _CTX
    _CTX = _Context(options)
    # The parent handles Ctrl-C and SIGTERM; workers just stop with it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _worker_process(page: str, doc_id: str) -> DocResult:
    assert _CTX is not None
    return process_page(_CTX, Path(page), doc_id)


# --------------------------------------------------------------------------------------
# One page
# --------------------------------------------------------------------------------------


def _state_path(options: RunOptions, doc_id: str) -> Path:
    return options.cache / "state" / f"{doc_id}.json"


def _annotated_path(options: RunOptions, doc_id: str) -> Path:
    return options.cache / "docs" / f"{doc_id}.annotated.json"


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None  # missing or damaged cache entry: recompute


def _file_sha(path: Path) -> str | None:
    import hashlib

    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def final_key(ctx: _Context, page_key: str) -> str:
    o = ctx.options
    return digest(
        PIPELINE_VERSION,
        __version__,
        code_fingerprint("export", "html", "templates", "glossary", "translate", "pipeline.py", "model.py"),
        page_key,
        ctx.annotator_key,
        ctx.glossary.fingerprint,
        ctx.translation_key(),
        ",".join(sorted(o.layers)),
        str(o.exports.resolve()),
    )


def process_page(ctx: _Context, page: Path, doc_id: str) -> DocResult:
    """Run every stage on one page, or nothing when its outputs are up to date."""
    o = ctx.options
    times: dict[str, float] = {}
    try:
        t0 = time.perf_counter()
        pkey = page_hash(page)
        fkey = final_key(ctx, pkey)
        state = _read_json(_state_path(o, doc_id))
        if (
            not o.force
            and state
            and state.get("final_key") == fkey
            and all(_file_sha(o.exports / rel) == sha for rel, sha in state["result"]["files"].items())
        ):
            r = DocResult(**state["result"])
            r.status = "unchanged"
            r.times = {"hash": time.perf_counter() - t0}
            return r
        times["hash"] = time.perf_counter() - t0

        doc = _annotated_document(ctx, page, doc_id, pkey, times)

        t = time.perf_counter()
        ctx.glossary.link_document(doc)
        times["terms"] = time.perf_counter() - t

        t = time.perf_counter()
        counts = _translate(ctx, doc)
        times["translate"] = time.perf_counter() - t

        t = time.perf_counter()
        files = export_document(doc, ctx.glossary, o.exports, o.layers)
        times["export"] = time.perf_counter() - t

        counts.update(
            sentences=len(doc.sentences),
            tokens=len(doc.tokens),
            entities=len(doc.entities),
            terms=len(doc.terms),
            chars=sum(len(b.text) for b in doc.blocks()),
        )
        result = DocResult(
            doc_id=doc_id,
            page=str(page),
            status="processed",
            counts=counts,
            times=times,
            files={str(p.relative_to(o.exports)): _file_sha(p) or "" for p in files},
            summary=document_summary(doc),
        )
        write_text_atomic(
            _state_path(o, doc_id),
            json.dumps({"final_key": fkey, "result": result.to_dict()}, ensure_ascii=False, sort_keys=True),
        )
        return result
    except AnnotateError as err:
        return DocResult(doc_id=doc_id, page=str(page), status="failed", error=str(err), times=times)


def _annotated_document(ctx: _Context, page: Path, doc_id: str, pkey: str, times: dict[str, float]) -> Document:
    """Ingested and annotated document, from the cache when neither page nor relevant glossary forms changed."""
    from .ingest import ingest_file

    o = ctx.options
    cached = None if o.force else _read_json(_annotated_path(o, doc_id))
    t = time.perf_counter()
    # The cached ingestion is reusable only for the same page bytes *and* the same ingestion code.
    ikey = digest(pkey, code_fingerprint("ingest", "textio.py", "model.py"))
    if cached and cached.get("page_key") == ikey:
        try:
            doc = Document.from_dict(cached["doc"])
        except (KeyError, TypeError, ValueError):
            doc, cached = ingest_file(page, encoding=o.encoding, doc_id=doc_id), None
    else:
        doc, cached = ingest_file(page, encoding=o.encoding, doc_id=doc_id), None
    doc.source_path = _portable_source(page, o.corpus)
    times["ingest"] = time.perf_counter() - t

    t = time.perf_counter()
    forms = ctx.glossary.forms_in(_full_text(doc))
    akey = digest(pkey, ctx.annotator_key, *forms)
    if cached is None or cached.get("annot_key") != akey:
        # Clear any earlier layers before annotating afresh.
        for block in doc.blocks():
            block.sentences = []
        doc.layers = [layer for layer in doc.layers if layer == "ingest"]
        ctx.annotator.annotate(doc)
        write_text_atomic(
            _annotated_path(o, doc_id),
            json.dumps({"page_key": ikey, "annot_key": akey, "doc": doc.to_dict()}, ensure_ascii=False),
        )
    times["annotate"] = time.perf_counter() - t
    return doc


def _portable_source(page: Path, corpus: Path) -> str:
    """The page path as exports record it: relative to the corpus folder's parent, so
    outputs do not depend on where the checkout lives."""
    base = corpus.resolve().parent if corpus.is_dir() else page.resolve().parent
    try:
        return page.resolve().relative_to(base).as_posix()
    except ValueError:
        return page.name


def _full_text(doc: Document) -> str:
    return "\n".join(b.text for b in doc.blocks())


def _translate(ctx: _Context, doc: Document) -> dict[str, int]:
    """MT where a model is installed; the word-by-word gloss always (it is the fallback layer)."""
    counts = {"glossed": ctx.glosser.gloss_document(doc)}
    translator = ctx.translator
    if translator is None:
        counts.update(translated=0, cached=0)
        return counts
    stats = translator.translate_document(doc, ctx.glossary.by_id)
    counts.update(
        translated=stats.sentences_translated,
        cached=stats.cache_hits,
        adherence_ok=stats.adherence_ok,
        adherence_total=stats.adherence_total,
        flagged=stats.flagged,
        **{f"flag:{name}": n for name, n in stats.flag_counts.items()},
    )
    return counts


def export_document(doc: Document, glossary: Any, out: Path, layers: Sequence[str]) -> list[Path]:
    """Write every per-document export the layers ask for; returns the files written."""
    written: list[Path] = []
    entries = glossary.entries
    if "tei" in layers:
        from .export.tei import write_tei

        written += write_tei(doc, entries, out / "tei")
    if "vrt" in layers:
        from .export.vrt import write_vrt

        written.append(write_vrt(doc, out / "vrt"))
    if "conllu" in layers:
        from .export.conllu import write_conllu

        written.append(write_conllu(doc, out / "conllu"))
    if "tmx" in layers:
        from .export.tmx import write_tmx

        written.append(write_tmx(doc, out / "tmx"))
    if "html" in layers:
        from .html import write_document_page

        written.append(write_document_page(doc, entries, out / "html"))
    return written


def document_summary(doc: Document) -> dict[str, Any]:
    """The small per-document facts the corpus-level pages need (kept in the state file)."""
    from .html import summarise_document

    return summarise_document(doc)


# --------------------------------------------------------------------------------------
# The corpus
# --------------------------------------------------------------------------------------


def plan(corpus: Path) -> list[tuple[Path, str]]:
    """Pages and their document IDs; IDs must be unique across sub-folders."""
    seen: dict[str, Path] = {}
    out: list[tuple[Path, str]] = []
    for page in find_pages(corpus):
        doc_id = slug_id(page.name[:-4] if page.name.endswith(".txt") else page.stem)
        if doc_id in seen:
            raise InputError(
                f"document ID {doc_id!r} is also the ID of {seen[doc_id]}", path=page, hint="rename one of the pages"
            )
        seen[doc_id] = page
        out.append((page, doc_id))
    return out


def run(options: RunOptions, progress: Any = None) -> RunReport:
    """Run the whole pipeline over the corpus; returns what happened (never raises for one bad page)."""
    started = time.perf_counter()
    pages = plan(options.corpus)
    _check_writable(options.exports)
    remove_stale_temps(options.exports)
    remove_stale_temps(options.cache)

    ctx = _Context(options)
    report = RunReport()
    report.glossary_problems = [str(p) for p in ctx.glossary.problems]
    if ctx.translator is None:
        report.translation_note = missing_model_message(options)
    report.model_warnings = ctx.model_warnings

    for result in _map_pages(options, pages, ctx):
        report.results.append(result)
        if progress is not None:
            progress(result)
    report.results.sort(key=lambda r: r.doc_id)

    t = time.perf_counter()
    report.corpus_files = write_corpus_files(options, ctx.glossary, [r for r in report.results if r.status != "failed"])
    _remove_orphans(options, {doc_id for _, doc_id in pages})
    report.corpus_time = time.perf_counter() - t
    report.wall = time.perf_counter() - started
    return report


def _map_pages(options: RunOptions, pages: list[tuple[Path, str]], ctx: _Context) -> Iterator[DocResult]:
    if options.jobs <= 1 or len(pages) <= 1:
        for page, doc_id in pages:
            yield process_page(ctx, page, doc_id)
        return
    import multiprocessing

    # "spawn" keeps workers independent of whatever the parent imported (and is
    # what macOS and Windows use anyway), so --jobs behaves the same everywhere.
    mp = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=options.jobs, mp_context=mp, initializer=_worker_init, initargs=(options,)) as pool:
        futures = [pool.submit(_worker_process, str(page), doc_id) for page, doc_id in pages]
        try:
            for fut in futures:
                yield fut.result()
        except BaseException:
            for fut in futures:
                fut.cancel()
            raise


def write_corpus_files(options: RunOptions, glossary: Any, results: Iterable[DocResult]) -> list[str]:
    """Corpus-level outputs built from per-document summaries, not from documents."""
    results = list(results)
    out = options.exports
    written: list[Path] = []
    if "html" in options.layers:
        from .html import write_corpus_pages

        written += write_corpus_pages([r.summary for r in results], glossary.entries, out / "html")
    if "tbx" in options.layers:
        from .glossary import export_tbx

        written.append(export_tbx(glossary, out / "tbx" / "glossary.tbx"))
    if "tei" in options.layers:
        from .export.tei import write_tei_corpus

        written.append(write_tei_corpus([(r.doc_id, r.summary.get("title", r.doc_id)) for r in results], out / "tei"))
    return [str(p) for p in written]


def _remove_orphans(options: RunOptions, live: set[str]) -> None:
    """Forget (and delete the exports of) pages that left the corpus."""
    state_dir = options.cache / "state"
    if not state_dir.is_dir():
        return
    for state_file in sorted(state_dir.glob("*.json")):
        doc_id = state_file.name[: -len(".json")]
        if doc_id in live:
            continue
        state = _read_json(state_file) or {}
        for rel in state.get("result", {}).get("files", {}):
            with contextlib.suppress(OSError):
                (options.exports / rel).unlink()
        state_file.unlink(missing_ok=True)
        _annotated_path(options, doc_id).unlink(missing_ok=True)


def _check_writable(directory: Path) -> None:
    """Fail before any work when the exports folder cannot be created or written."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EnvironmentProblem(f"cannot create the output folder: {exc.strerror}", path=directory,
                                 hint="choose another folder with -o") from None
    if not os.access(directory, os.W_OK | os.X_OK):
        raise EnvironmentProblem("output folder is not writable", path=directory, hint="fix its permissions or use -o")


# --------------------------------------------------------------------------------------
# Notebook API
# --------------------------------------------------------------------------------------


def load_documents(
    path: str | Path,
    *,
    annotate: bool = True,
    glossary: Any = None,
    options: RunOptions | None = None,
) -> list[Document]:
    """Ingested (and by default annotated and term-linked) documents for a page or folder.

    Uses the same cache as ``annotate run``, so an unchanged corpus loads without re-annotating.
    """
    if options is None:
        from .config import load_config

        options = RunOptions.from_config(load_config(), corpus=Path(path))
    ctx = _Context(options)
    if glossary is not None:
        ctx._glossary = glossary
    docs: list[Document] = []
    for page, doc_id in plan(Path(path)):
        if not annotate:
            from .ingest import ingest_file

            docs.append(ingest_file(page, encoding=options.encoding, doc_id=doc_id))
            continue
        doc = _annotated_document(ctx, page, doc_id, page_hash(page), {})
        ctx.glossary.link_document(doc)
        docs.append(doc)
    return docs
