"""The bilingual HTML reader: one page per document, an index and a glossary page.

Pages are written one document at a time (``write_document_page``) and the corpus
pages from small per-document summaries (``write_corpus_pages``), so the pipeline
never holds the corpus in memory.  Everything is static and works from ``file://``:
CSS and JS are local files in ``assets/``, no data is fetched.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import __version__
from ..fsutil import write_bytes_atomic, write_text_atomic
from ..model import Document, GlossaryEntry
from .render import en_marked, zh_sentence

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
ASSETS = ("reader.css", "reader.js")
ENTITY_NAMES = {"PER": "person", "LOC": "place", "ORG": "organisation", "TIME": "time"}


@lru_cache(maxsize=1)
def _env():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals.update(version=__version__, entity_names=ENTITY_NAMES)
    return env


def _english(s, entries: Mapping[str, GlossaryEntry]) -> dict[str, Any]:
    tr = s.translation
    mt = en_marked(tr.text, s, entries) if tr is not None and tr.origin == "mt" and tr.text else None
    return {"mt": mt, "gloss": s.gloss, "flags": list(tr.flags) if tr else [], "missing": list(tr.missing_terms) if tr else []}


def document_context(doc: Document, entries: Mapping[str, GlossaryEntry]) -> dict[str, Any]:
    def block(b) -> dict[str, Any]:
        return {
            "id": b.id,
            "kind": b.kind,
            "sentences": [
                {"id": s.id, "zh": zh_sentence(s, entries), "en": _english(s, entries)}
                for s in b.sentences
            ],
            "text": b.text,
        }

    has_mt = any(s.translation is not None and s.translation.origin == "mt" for s in doc.sentences)
    models = sorted({s.translation.model for s in doc.sentences if s.translation is not None and s.translation.model})
    return {
        "doc": doc,
        "title": doc.meta.get("title") or doc.id,
        "articles": [{"id": a.id, "blocks": [block(b) for b in a.blocks]} for a in doc.articles],
        "captions": [block(c) for c in doc.captions],
        "has_mt": has_mt,
        "models": models,
        "entity_types": sorted({e.type for e in doc.entities}),
    }


def write_document_page(doc: Document, entries: Sequence[GlossaryEntry], out_dir: Path) -> Path:
    by_id = {e.id: e for e in entries}
    html = _env().get_template("document.html.j2").render(**document_context(doc, by_id))
    _copy_assets(out_dir)
    return write_text_atomic(out_dir / f"{doc.id}.html", html)


def summarise_document(doc: Document) -> dict[str, Any]:
    """What the index and glossary pages need from a document (kept small: it is cached per page)."""
    def english(s) -> str:
        if s.translation is not None and s.translation.origin == "mt":
            return s.translation.text
        return s.gloss

    articles = []
    for a in doc.articles:
        head = next((b for b in a.blocks if b.kind == "headline"), None) or next(iter(a.body), None)
        first = head.sentences[0] if head and head.sentences else None
        articles.append({"id": a.id, "headline": head.text if head else "", "headline_en": english(first) if first else "",
                         "untitled": head is None or head.kind != "headline"})
    terms: dict[str, list[str]] = {}
    for s in doc.sentences:
        for t in s.terms:
            terms.setdefault(t.entry_id, []).append(s.id)
    return {
        "id": doc.id,
        "title": doc.meta.get("title") or doc.id,
        "title_en": doc.meta.get("title_en", ""),
        "source": doc.meta.get("source", ""),
        "date": doc.meta.get("date") or doc.meta.get("covers", ""),
        "chars": sum(len(b.text) for b in doc.blocks()),
        "sentences": len(doc.sentences),
        "articles": articles,
        "terms": terms,
        "term_count": sum(len(v) for v in terms.values()),
        "has_mt": any(s.translation is not None and s.translation.origin == "mt" for s in doc.sentences),
    }


def write_corpus_pages(summaries: Sequence[dict[str, Any]], entries: Sequence[GlossaryEntry], out_dir: Path) -> list[Path]:
    summaries = sorted(summaries, key=lambda d: d["id"])
    occurrences: dict[str, list[tuple[str, str]]] = {e.id: [] for e in entries}
    for d in summaries:
        for eid, sids in sorted(d["terms"].items()):
            occurrences.setdefault(eid, []).extend((d["id"], sid) for sid in sids)
    env = _env()
    _copy_assets(out_dir)
    return [
        write_text_atomic(out_dir / "index.html", env.get_template("index.html.j2").render(docs=summaries)),
        write_text_atomic(out_dir / "glossary.html",
                          env.get_template("glossary.html.j2").render(entries=entries, occurrences=occurrences)),
    ]


def _copy_assets(out_dir: Path) -> None:
    for name in ASSETS:
        data = (TEMPLATES / "assets" / name).read_bytes()
        target = out_dir / "assets" / name
        if not target.exists() or target.read_bytes() != data:
            write_bytes_atomic(target, data)


class HtmlSite:
    """Convenience for scripts: ``add`` documents one by one, then ``finish``."""

    def __init__(self, out_dir: Path, entries: Sequence[GlossaryEntry]) -> None:
        self.out_dir, self.entries, self.summaries = out_dir, list(entries), []

    def add(self, doc: Document) -> Path:
        self.summaries.append(summarise_document(doc))
        return write_document_page(doc, self.entries, self.out_dir)

    def finish(self) -> list[Path]:
        return write_corpus_pages(self.summaries, self.entries, self.out_dir)
