"""The stages of the pipeline, declared once: the stage registry.

Each stage names what it ``requires`` and ``provides`` (layers of the one document
model), the modules whose code its output depends on (``code``), the settings that
change its output, and whether its result is worth caching.  :func:`run_stages` is
the one loop every command uses (``run``, ``annotate``, ``translate``, ``tag``): it
checks requirements, chains cache keys, reuses cached results, times each stage and
collects its counts.  Adding a stage is one class here.

Cache keys form a chain: a stage's key is the previous key, the stage's fingerprint
(code, library versions, settings) and what it reads from the incoming document
(``doc_key``: the annotator keys on the glossary forms that occur in the page, so a
glossary change re-segments only the pages that contain a changed form).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from .corpus import code_fingerprint, digest
from .errors import AnnotateError, InputError
from .fsutil import write_text_atomic
from .model import Document

if TYPE_CHECKING:  # pragma: no cover
    from .context import Context


class StageRequirementError(AnnotateError):
    """A stage was asked to run without the layers it needs."""


@dataclass
class Job:
    """One document going through the stages: where it comes from, and what happened to it."""

    doc_id: str
    page: Path | None = None  # the page file (None for documents built in memory, e.g. `annotate tag`)
    source: str = ""  # the page path as exports record it (relative, portable)
    counts: dict[str, int] = field(default_factory=dict)
    times: dict[str, float] = field(default_factory=dict)


class Stage:
    name: ClassVar[str]
    requires: ClassVar[tuple[str, ...]] = ()
    provides: ClassVar[tuple[str, ...]]
    code: ClassVar[tuple[str, ...]]  # package sub-paths whose source the output depends on
    cached: ClassVar[bool] = False  # store the document after this stage
    key_note: ClassVar[str] = ""  # what the key covers, in words (docs/design.md)

    def settings(self, ctx: Context) -> str:
        """The settings that change this stage's output."""
        return ""

    def fingerprint(self, ctx: Context) -> str:
        return digest(self.name, code_fingerprint(*self.code), self.settings(ctx))

    def doc_key(self, doc: Document | None, ctx: Context) -> str:
        """What this stage reads from the incoming document beyond the previous stages' keys."""
        return ""

    def __call__(self, doc: Document | None, ctx: Context, job: Job) -> Document:  # pragma: no cover
        raise NotImplementedError


STAGES: dict[str, Stage] = {}


def register_stage(cls: type[Stage]) -> type[Stage]:
    STAGES[cls.name] = cls()
    return cls


@register_stage
class Ingest(Stage):
    """A page file → articles, blocks, captions, normalisations, provenance."""

    name = "ingest"
    provides = ("blocks",)
    code = ("ingest", "textio.py", "zh.py", "model.py")
    cached = True
    key_note = "page bytes and metadata file; ingestion code; `encoding`, `ingest_method`"

    def settings(self, ctx: Context) -> str:
        return f"{ctx.config.encoding or 'detect'}|{ctx.config.ingest_method}"

    def __call__(self, doc: Document | None, ctx: Context, job: Job) -> Document:
        from .ingest import ingest_file

        if job.page is None:
            raise StageRequirementError(f"stage 'ingest' needs a page file for {job.doc_id}")
        limit = ctx.config.max_page_mb
        size = job.page.stat().st_size if job.page.is_file() else 0
        if size > limit * 2**20:
            raise InputError(f"the page is {size / 2**20:.1f} MB, more than the {limit} MB a page may be "
                             "(a newspaper page is 5-50 KB)", path=job.page,
                             hint="split it into pages, or raise max_page_mb in annotate.toml")
        return ingest_file(job.page, encoding=ctx.config.encoding, doc_id=job.doc_id, method=ctx.config.ingest_method)


@register_stage
class Annotate(Stage):
    """Sentences, tokens (UPOS, XPOS, pinyin), named entities."""

    name = "annotate"
    requires = ("blocks",)
    provides = ("sentences", "tokens", "entities", "pinyin")
    code = ("annotation", "data", "zh.py", "model.py")
    cached = True
    key_note = "annotation code and library versions; `ner`; the glossary forms found in the page"

    def fingerprint(self, ctx: Context) -> str:
        from .annotation import annotator_fingerprint

        return digest(super().fingerprint(ctx), annotator_fingerprint(ner=ctx.config.ner))

    def doc_key(self, doc: Document | None, ctx: Context) -> str:
        # The glossary's forms go into the segmenter's dictionary: only those in this page matter.
        text = "\n".join(b.text for b in doc.blocks()) if doc else ""
        return digest(*ctx.glossary.forms_in(text))

    def __call__(self, doc: Document | None, ctx: Context, job: Job) -> Document:
        assert doc is not None
        for block in doc.blocks():  # a document from an older cache may carry earlier layers
            block.sentences = []
        doc.layers = [layer for layer in doc.layers if layer not in ("annotate", "terms", "translate")]
        before = ctx.annotator.cut_sentences
        doc = ctx.annotator.annotate(doc)
        if ctx.annotator.cut_sentences > before:
            job.counts["cut_sentences"] = ctx.annotator.cut_sentences - before
        return doc


@register_stage
class Terms(Stage):
    """Links to glossary entries (spans of the block text)."""

    name = "terms"
    requires = ("sentences",)
    provides = ("terms",)
    code = ("glossary",)
    key_note = "glossary code; the glossary's content"

    def settings(self, ctx: Context) -> str:
        return ctx.glossary.fingerprint

    def __call__(self, doc: Document | None, ctx: Context, job: Job) -> Document:
        assert doc is not None
        ctx.glossary.link_document(doc)
        return doc


@register_stage
class Translate(Stage):
    """English for every sentence: machine translation where a model is installed, the word gloss always."""

    name = "translate"
    requires = ("sentences", "terms")
    provides = ("english", "gloss")
    code = ("translate",)
    key_note = "translation code; the model and its decoding settings (sentences are cached apart, in SQLite)"

    def settings(self, ctx: Context) -> str:
        return ctx.translation_key()

    def __call__(self, doc: Document | None, ctx: Context, job: Job) -> Document:
        assert doc is not None
        job.counts["glossed"] = ctx.glosser.gloss_document(doc)
        translator = ctx.translator
        if translator is None:
            job.counts.update(translated=0, cached=0)
            return doc
        stats = translator.translate_document(doc, ctx.glossary.by_id)
        job.counts.update(
            translated=stats.sentences_translated,
            cached=stats.cache_hits,
            adherence_ok=stats.adherence_ok,
            adherence_total=stats.adherence_total,
            flagged=stats.flagged,
            **{f"flag:{name}": n for name, n in stats.flag_counts.items()},
        )
        return doc


#: What ``annotate run`` does to a page, in order.
PIPELINE: tuple[str, ...] = ("ingest", "annotate", "terms", "translate")


def chain(upto: str | None = None, *, start: tuple[str, ...] = PIPELINE) -> list[Stage]:
    """The stages of ``start`` up to and including ``upto``, checked for their requirements."""
    names = list(start)
    if upto is not None:
        if upto not in names:
            raise StageRequirementError(f"no stage {upto!r}; the stages are {', '.join(names)}")
        names = names[: names.index(upto) + 1]
    stages = [STAGES[n] for n in names]
    check_requirements(stages)
    return stages


def check_requirements(stages: list[Stage], provided: tuple[str, ...] = ()) -> None:
    have = set(provided)
    for stage in stages:
        missing = [r for r in stage.requires if r not in have]
        if missing:
            raise StageRequirementError(
                f"stage {stage.name!r} requires {', '.join(missing)}, which no stage before it provides")
        have.update(stage.provides)


def chain_fingerprint(stages: list[Stage], ctx: Context) -> str:
    """The document-independent part of every key in the chain (for the pipeline's final key)."""
    return digest(*(s.fingerprint(ctx) for s in stages))


def run_stages(stages: list[Stage], ctx: Context, job: Job, *, key: str, doc: Document | None = None,
               store: StageStore | None = None, force: bool = False) -> Document:
    """Run ``stages`` on one document (``doc``, or nothing for a first stage that reads a page).

    ``key`` starts the cache-key chain (the page's hash).  Cached stages are looked up in
    ``store``; times go into ``job.times`` under the stage names, counts into ``job.counts``."""
    for stage in stages:
        t = time.perf_counter()
        key = digest(key, stage.fingerprint(ctx), stage.doc_key(doc, ctx))
        cached = store.load(job.doc_id, stage.name, key) if stage.cached and store and not force else None
        if cached is not None:
            doc = cached
        else:
            doc = stage(doc, ctx, job)
            if stage.name not in doc.layers:
                doc.layers.append(stage.name)
            if stage.cached and store:
                store.save(job.doc_id, stage.name, key, doc)
        job.times[stage.name] = time.perf_counter() - t
    assert doc is not None
    if job.source:
        doc.source_path = job.source
    return doc


class StageStore:
    """Documents as they were after each cached stage: ``<cache>/docs/<doc id>.<stage>.json``."""

    def __init__(self, cache: Path) -> None:
        self.root = cache / "docs"

    def path(self, doc_id: str, stage: str) -> Path:
        return self.root / f"{doc_id}.{stage}.json"

    def load(self, doc_id: str, stage: str, key: str) -> Document | None:
        try:
            data = json.loads(self.path(doc_id, stage).read_text("utf-8"))
            return Document.from_dict(data["doc"]) if data.get("key") == key else None
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing, damaged or from another model version: recompute

    def save(self, doc_id: str, stage: str, key: str, doc: Document) -> None:
        write_text_atomic(self.path(doc_id, stage), json.dumps({"key": key, "doc": doc.to_dict()}, ensure_ascii=False))

    def forget(self, doc_id: str) -> None:
        for stage in STAGES:
            self.path(doc_id, stage).unlink(missing_ok=True)


def stage_table() -> str:
    """The stage registry as the Markdown table docs/design.md shows (a test keeps them equal)."""
    rows = ["| stage | requires | provides | cached | key (besides the previous stage's key) |", "|---|---|---|---|---|"]
    for name, stage in STAGES.items():
        rows.append(f"| `{name}` | {', '.join(stage.requires) or '—'} | {', '.join(stage.provides)} | "
                    f"{'yes' if stage.cached else 'no'} | {stage.key_note} |")
    return "\n".join(rows) + "\n"
