"""The pipeline: raw pages → every export, incrementally, one document at a time.

Each page goes through the registered stages (stages.py) and then the registered
document exporters (exporters.py) inside one worker call, so documents stream.  A page's
small summary goes into its state file in the cache, not back to the main process: the
corpus-level exporters read the summaries from there at the end, one at a time
(``StoredSummaries``), so the main process's memory does not grow with the corpus.

A page is unchanged when its *final key* (page bytes, every stage's fingerprint,
the exporters' code, the layers and the exports folder) and every file it wrote are
as the state file in the cache recorded them: then it costs one read and one hash.
Otherwise the stage chain runs, reusing the cached stage results whose keys still
match (see stages.py).  A run touches only the documents of the corpus path it was
given: a run over one page or a sub-folder never removes other pages' outputs.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .config import Config
from .context import Context, missing_model_message, open_translator
from .corpus import Page, code_fingerprint, digest, page_hash, plan
from .errors import AnnotateError, EnvironmentProblem
from .export.languages import cat_languages
from .exporters import ExportTarget, exporters, fingerprint_parts
from .fsutil import recording, remove_stale_temps, write_text_atomic
from .model import Document
from .stages import Job, StageStore, chain, chain_fingerprint, run_stages

__all__ = ["DocResult", "RunReport", "StoredSummaries", "load_documents", "missing_model_message", "open_translator", "run"]

#: Bump when the pipeline's own output format changes (invalidates every cached result).
PIPELINE_VERSION = "2"


@dataclass
class DocResult:
    """What a worker sends back: counts, timings and the files written.  ``summary`` (what the
    corpus-level files need) is in the page's state file, and empty here."""

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
    id_notes: list[str] = field(default_factory=list)  # document IDs that had to be disambiguated
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
# One page
# --------------------------------------------------------------------------------------


class _States:
    """``<cache>/state/<doc id>.json``: a page's final key, its files and its summary."""

    def __init__(self, cache: Path) -> None:
        self.root = cache / "state"

    def path(self, doc_id: str) -> Path:
        return self.root / f"{doc_id}.json"

    def read(self, doc_id: str) -> dict[str, Any] | None:
        try:
            data = json.loads(self.path(doc_id).read_text("utf-8"))
            return data if isinstance(data, dict) and "result" in data else None
        except (OSError, ValueError):
            return None  # missing or damaged: recompute

    def all(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for p in sorted(self.root.glob("*.json")) if self.root.is_dir() else ():
            state = self.read(p.name[: -len(".json")])
            if state is not None and not p.name.startswith("_"):
                yield p.name[: -len(".json")], state


def _file_sha(path: Path) -> str | None:
    import hashlib

    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def final_key(ctx: Context, page_key: str) -> str:
    c = ctx.config
    return digest(
        PIPELINE_VERSION,
        __version__,
        code_fingerprint("pipeline.py", "stages.py", "exporters.py", "model.py", *fingerprint_parts(c.layers)),
        page_key,
        chain_fingerprint(chain(), ctx),
        ",".join(sorted(c.layers)),
        "|".join(cat_languages(c)),
        str(c.exports.resolve()),
    )


def process_page(ctx: Context, page: Page, base: Path) -> DocResult:
    """Every stage and document export for one page, or nothing when its outputs are up to date."""
    c = ctx.config
    states = _States(c.cache)
    t0 = time.perf_counter()
    job = Job(page.doc_id, page.path, source=_portable_source(page.path, base))
    old = states.read(page.doc_id)
    old_files = set(old["result"]["files"]) if old else set()
    written: list[Path] = []
    try:
        pkey = page_hash(page.path)
        fkey = final_key(ctx, pkey)
        if (not c.force and old and old.get("final_key") == fkey
                and all(_file_sha(c.exports / rel) == sha for rel, sha in old["result"]["files"].items())):
            return DocResult(**{**old["result"], "status": "unchanged", "times": {"hash": time.perf_counter() - t0},
                                "summary": {}})
        job.times["hash"] = time.perf_counter() - t0
        doc = run_stages(chain(), ctx, job, key=pkey, store=StageStore(c.cache), force=c.force)
        t = time.perf_counter()
        with recording(written):  # every file the exporters write, their sidecar files included
            export_document(doc, ctx, c.layers)
        job.times["export"] = time.perf_counter() - t
    except (AnnotateError, MemoryError) as err:
        # No half set of outputs: drop what this attempt wrote and what the page had before.
        _remove(c.exports, old_files | {_rel(p, c.exports) for p in written})
        states.path(page.doc_id).unlink(missing_ok=True)
        message = str(err) if isinstance(err, AnnotateError) else f"{page.path}: out of memory (split the page)"
        return DocResult(page.doc_id, str(page.path), "failed", error=message, times=job.times)
    new_files = {_rel(p, c.exports): _file_sha(p) or "" for p in dict.fromkeys(written)}
    _remove(c.exports, old_files - set(new_files))  # layers no longer asked for
    job.counts.update(
        sentences=len(doc.sentences), tokens=len(doc.tokens), entities=len(doc.entities),
        terms=len(doc.terms), chars=sum(len(b.text) for b in doc.blocks()),
    )
    from .html import summarise_document

    result = DocResult(page.doc_id, str(page.path), "processed", counts=job.counts, times=job.times,
                       files=new_files, summary=summarise_document(doc))
    state = {"final_key": fkey, "page": str(page.path.resolve()), "exports": str(c.exports.resolve()),
             "result": result.to_dict()}
    write_text_atomic(states.path(page.doc_id), json.dumps(state, ensure_ascii=False, sort_keys=True))
    result.summary = {}  # kept on disk only: the corpus-level writers read it from the state file
    return result


def export_document(doc: Document, ctx: Context, layers: tuple[str, ...]) -> list[Path]:
    """Every registered document exporter whose layer is asked for; returns the files written."""
    target = ExportTarget(ctx.config.exports, ctx.glossary, cat_languages(ctx.config))
    return [p for e in exporters(layers, "document") for p in e.write(doc, target)]


def _portable_source(page: Path, base: Path) -> str:
    """The page path as exports record it: relative to the corpus folder's parent, so
    outputs do not depend on where the checkout lives."""
    try:
        return page.resolve().relative_to(base).as_posix()
    except ValueError:
        return page.name


def _rel(path: Path, root: Path) -> str:
    return str(Path(path).relative_to(root)) if Path(path).is_relative_to(root) else str(path)


def _remove(root: Path, rel_paths: set[str]) -> None:
    for rel in sorted(rel_paths):
        with contextlib.suppress(OSError):
            (root / rel).unlink()


# --------------------------------------------------------------------------------------
# The corpus
# --------------------------------------------------------------------------------------


def run(config: Config, progress: Callable[[DocResult], None] | None = None) -> RunReport:
    """Run the whole pipeline over ``config.corpus``; never raises for one bad page."""
    started = time.perf_counter()
    pages, notes = plan(config.corpus)
    chain()  # a stage with a missing requirement fails here, before any work
    _check_writable(config.exports, "output folder", "-o")
    _check_writable(config.cache, "cache folder", "--cache")
    remove_stale_temps(config.exports)
    remove_stale_temps(config.cache)

    ctx = Context(config)
    report = RunReport(id_notes=notes, glossary_problems=[str(p) for p in ctx.glossary.problems])
    if ctx.translator is None:
        report.translation_note = missing_model_message(config)
    report.model_warnings = ctx.model_warnings
    base = _base(config.corpus)

    from .workers import map_pages

    for result in map_pages(config, pages, base, ctx):
        report.results.append(result)
        if progress is not None:
            progress(result)
    report.results.sort(key=lambda r: r.doc_id)

    t = time.perf_counter()
    _remove_orphans(config, {p.doc_id for p in pages})
    report.corpus_files = write_corpus_files(ctx, StoredSummaries(config.cache, _corpus_documents(config, report.results)))
    report.corpus_time = time.perf_counter() - t
    report.wall = time.perf_counter() - started
    ctx.close()
    return report


def _base(corpus: Path) -> Path:
    """What exports record page paths relative to: the folder holding the corpus folder (or page)."""
    return corpus.resolve().parent


def write_corpus_files(ctx: Context, summaries: Sequence[dict[str, Any]]) -> list[str]:
    """Corpus-level outputs from per-document summaries; files an earlier run wrote and this one
    no longer does (a layer dropped) are removed."""
    c = ctx.config
    target = ExportTarget(c.exports, ctx.glossary, cat_languages(c), cache=c.cache)
    produced: list[Path] = []
    with recording(produced):  # every file, the reader's assets included
        written = [str(p) for e in exporters(c.layers, "corpus") for p in e.write(summaries, target)]
    record = c.cache / "state" / "_corpus.json"
    try:
        before = set(json.loads(record.read_text("utf-8")).get(str(c.exports.resolve()), []))
    except (OSError, ValueError, AttributeError):
        before = set()
    # Only the exports: what the writers keep in the cache (the term index's keys) is theirs to
    # manage, and would be removed here by the next run that reads it without writing it.
    now = {_rel(p, c.exports) for p in produced if Path(p).is_relative_to(c.exports)}
    _remove(c.exports, before - now)
    write_text_atomic(record, json.dumps({str(c.exports.resolve()): sorted(now)}, sort_keys=True))
    return written


class StoredSummaries(Sequence[dict[str, Any]]):
    """The documents' summaries in document-ID order, each read from its state file when a
    corpus-level writer gets to it: a pass over the corpus holds one summary at a time."""

    sorted_by_id = True  # the corpus-level writers need not sort (see exporters.in_id_order)

    def __init__(self, cache: Path, doc_ids: Sequence[str]) -> None:
        self._states = _States(cache)
        self.ids = sorted(doc_ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self._summary(doc_id) for doc_id in self.ids[i]]
        return self._summary(self.ids[i])

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return map(self._summary, self.ids)

    def _summary(self, doc_id: str) -> dict[str, Any]:
        state = self._states.read(doc_id)
        summary = state["result"].get("summary") if state is not None else None
        if not summary:  # read a moment ago: another process removed or broke it since
            raise EnvironmentProblem("the state file changed during the run", path=self._states.path(doc_id),
                                     hint="run again (two runs must not share one cache folder)")
        return summary


def _corpus_documents(config: Config, results: list[DocResult]) -> list[str]:
    """The IDs of this run's documents, and of those an earlier run wrote into the same exports
    folder whose pages still exist and whose files are all there."""
    here = {r.doc_id for r in results if r.status != "failed"}
    failed = {r.doc_id for r in results if r.status == "failed"}
    exports = str(config.exports.resolve())
    for doc_id, state in _States(config.cache).all():
        if doc_id in here or doc_id in failed or state.get("exports") != exports:
            continue
        files = state["result"].get("files", {})
        if (state["result"].get("summary") and Path(state.get("page", "")).is_file()
                and all((config.exports / rel).is_file() for rel in files)):
            here.add(doc_id)
    return sorted(here)


def _remove_orphans(config: Config, live: set[str]) -> None:
    """Forget (and delete the exports of) pages that left the corpus path this run was given.

    A page outside that path is another run's business: never touched here."""
    scope = config.corpus.resolve()
    stages = StageStore(config.cache)
    for doc_id, state in _States(config.cache).all():
        page = Path(state.get("page", ""))
        inside = page == scope or (scope.is_dir() and page.is_relative_to(scope))
        if doc_id in live or not inside:
            continue
        if state.get("exports") == str(config.exports.resolve()):
            _remove(config.exports, set(state["result"].get("files", {})))
        _States(config.cache).path(doc_id).unlink(missing_ok=True)
        stages.forget(doc_id)


def _check_writable(directory: Path, what: str, flag: str) -> None:
    """Fail before any work when a folder the run writes cannot be created or written."""
    if directory.exists() and not directory.is_dir():
        raise EnvironmentProblem(f"the {what} is a file, not a folder", path=directory,
                                 hint=f"choose another folder with {flag}")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EnvironmentProblem(f"cannot create the {what}: {exc.strerror}", path=directory,
                                 hint=f"choose another folder with {flag}") from None
    if not os.access(directory, os.W_OK | os.X_OK):
        raise EnvironmentProblem(f"the {what} is not writable", path=directory,
                                 hint=f"fix its permissions or use {flag}")


# --------------------------------------------------------------------------------------
# Notebook API and the "up to a stage" commands
# --------------------------------------------------------------------------------------


def load_documents(path: str | Path, *, upto: str = "terms", config: Config | None = None,
                   glossary: Any = None, ctx: Context | None = None) -> list[Document]:
    """The documents of a page or folder after the stages up to ``upto`` (default: term links).

    Uses the same stage cache as ``annotate run``, so an unchanged corpus loads without re-annotating."""
    return [doc for doc, _ in iter_documents(path, upto=upto, config=config, glossary=glossary, ctx=ctx)]


def iter_documents(path: str | Path, *, upto: str = "terms", config: Config | None = None,
                   glossary: Any = None, ctx: Context | None = None) -> Iterator[tuple[Document, Job]]:
    """Each document after the stages up to ``upto``, with its job (counts and times), one at a time."""
    if ctx is None:
        from .config import load_config

        ctx = Context((config or load_config()).with_overrides(corpus=Path(path)), glossary=glossary)
    stages = chain(upto)
    store = StageStore(ctx.config.cache)
    pages, _ = plan(Path(path))
    base = _base(Path(path))
    for page in pages:
        job = Job(page.doc_id, page.path, source=_portable_source(page.path, base))
        yield run_stages(stages, ctx, job, key=page_hash(page.path), store=store, force=ctx.config.force), job
