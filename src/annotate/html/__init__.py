"""The bilingual HTML reader: one page per document, an index and a glossary page.

Pages are written one document at a time (``write_document_page``) and the corpus
pages from small per-document summaries (``write_corpus_pages``), so the pipeline
never holds the corpus in memory.  Everything is static and works from ``file://``:
CSS and JS are local files in ``assets/``, and nothing is fetched.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import __version__
from ..fsutil import write_bytes_atomic, write_text_atomic
from ..model import Document, GlossaryEntry, Sentence
from ..textio import XML_ILLEGAL
from .render import card, en_marked, pinyin_of, plain_pinyin, toned_pinyin, zh_sentence

__all__ = ["HtmlSite", "summarise_document", "write_corpus_pages", "write_document_page"]

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
ASSETS = ("reader.css", "reader.js")
ENTITY_NAMES = {"PER": "person", "LOC": "place", "ORG": "organisation", "TIME": "time"}
DEFAULT_TITLE = "annotate corpus"


@lru_cache(maxsize=1)
def _env():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals.update(version=__version__, entity_names=ENTITY_NAMES)
    return env


def _translated(s: Sentence) -> bool:
    """A real translation (machine or human), as opposed to the word gloss."""
    return s.translation is not None and s.translation.origin in ("mt", "human") and bool(s.translation.text)


def _english(s: Sentence, entries: Mapping[str, GlossaryEntry]) -> dict[str, Any]:
    tr = s.translation
    return {
        "mt": en_marked(tr.text, s, entries) if tr is not None and _translated(s) else None,
        "human": tr is not None and tr.origin == "human",
        "gloss": en_marked(s.gloss, s, entries) if s.gloss else None,
        "flags": list(tr.flags) if tr else [],
    }


def document_context(doc: Document, entries: Mapping[str, GlossaryEntry]) -> dict[str, Any]:
    def block(b, section_tag: str) -> dict[str, Any]:
        tag = {"headline": "h2", "section": section_tag}.get(b.kind, "div")
        return {
            "id": b.id,
            "kind": b.kind,
            "tag": tag,
            "sentences": [{"id": s.id, "zh": zh_sentence(s, entries), "en": _english(s, entries)} for s in b.sentences],
        }

    def article(a) -> dict[str, Any]:
        # Section headings sit under the article's headline; without one they are the article's h2.
        section_tag = "h3" if any(b.kind == "headline" for b in a.blocks) else "h2"
        return {"id": a.id, "blocks": [block(b, section_tag) for b in a.blocks]}

    used = sorted({t.entry_id for s in doc.sentences for t in s.terms if t.entry_id in entries})
    return {
        "doc": doc,
        "title": doc.meta.get("title") or doc.id,
        "articles": [article(a) for a in doc.articles],
        "captions": [block(c, "div") for c in doc.captions],
        "has_mt": any(_translated(s) for s in doc.sentences),
        "human_only": any(_translated(s) for s in doc.sentences) and all(
            s.translation.origin == "human" for s in doc.sentences if _translated(s)),
        "models": sorted({s.translation.model for s in doc.sentences if s.translation is not None and s.translation.model}),
        "entity_types": sorted({e.type for e in doc.entities}),
        "cards": [card(entries[i]) for i in used],
    }


def write_document_page(doc: Document, entries: Sequence[GlossaryEntry], out_dir: Path) -> Path:
    """Write ``out_dir/<doc.id>.html`` (and the shared assets); returns its path."""
    by_id = {e.id: e for e in entries}
    html = _env().get_template("document.html.j2").render(**document_context(doc, by_id))
    _copy_assets(out_dir)
    return _write_page(out_dir / f"{doc.id}.html", html)


def summarise_document(doc: Document) -> dict[str, Any]:
    """What the index and glossary pages need from a document: small and JSON-safe (the
    pipeline keeps it in its state file)."""
    def english(s: Sentence) -> str:
        return s.translation.text if s.translation is not None and _translated(s) else s.gloss

    articles = []
    for a in doc.articles:
        head = next((b for b in a.blocks if b.kind == "headline"), None) or next(iter(a.body), None)
        py = " ".join(pinyin_of(s) for s in head.sentences) if head else ""
        articles.append({
            "id": a.id,
            "headline": head.text if head else "",
            "headline_en": " ".join(english(s) for s in head.sentences) if head else "",
            "untitled": head is None or head.kind != "headline",
            "py": plain_pinyin(py),
            "pyt": toned_pinyin(py),
        })
    terms: dict[str, list[str]] = {}
    term_pinyin: dict[str, str] = {}
    for s in doc.sentences:
        for t in s.terms:
            terms.setdefault(t.entry_id, []).append(s.id)
            term_pinyin.setdefault(t.entry_id, pinyin_of(s, t.start, t.end))
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
        "term_pinyin": term_pinyin,
        "term_count": sum(len(v) for v in terms.values()),
        "has_mt": any(_translated(s) for s in doc.sentences),
    }


def write_corpus_pages(summaries: Sequence[dict[str, Any]], entries: Sequence[GlossaryEntry], out_dir: Path,
                       *, title: str = DEFAULT_TITLE) -> list[Path]:
    """Write ``index.html`` and ``glossary.html`` from document summaries; returns their paths."""
    summaries = sorted(summaries, key=lambda d: d["id"])
    occurrences: dict[str, list[tuple[str, str]]] = {e.id: [] for e in entries}
    pinyin: dict[str, str] = {}
    for d in summaries:
        for eid, sids in sorted(d["terms"].items()):
            occurrences.setdefault(eid, []).extend((d["id"], sid) for sid in sids)
        for eid, py in sorted(d.get("term_pinyin", {}).items()):
            pinyin.setdefault(eid, py)
    search = {e.id: {"py": plain_pinyin(pinyin.get(e.id, "")), "pyt": toned_pinyin(pinyin.get(e.id, ""))} for e in entries}
    env = _env()
    _copy_assets(out_dir)
    return [
        _write_page(out_dir / "index.html", env.get_template("index.html.j2").render(docs=summaries, title=title)),
        _write_page(out_dir / "glossary.html", env.get_template("glossary.html.j2").render(
            entries=entries, occurrences=occurrences, pinyin=pinyin, search=search, title=title)),
    ]


def _write_page(path: Path, html: str) -> Path:
    # Control characters are parse errors in HTML; removing them cannot touch markup.
    return write_text_atomic(path, XML_ILLEGAL.sub("", html))


def _copy_assets(out_dir: Path) -> None:
    for name in ASSETS:
        data = (TEMPLATES / "assets" / name).read_bytes()
        write_bytes_atomic(out_dir / "assets" / name, data)  # keeps an unchanged file as it is


class HtmlSite:
    """The reader for a stream of documents: ``add`` writes each document's page at once
    and keeps only its summary; ``finish`` writes the index and glossary pages."""

    def __init__(self, out_dir: Path, entries: Sequence[GlossaryEntry], *, title: str = DEFAULT_TITLE) -> None:
        self.out_dir, self.entries, self.title = Path(out_dir), list(entries), title
        self.summaries: list[dict[str, Any]] = []

    def add(self, doc: Document) -> Path:
        self.summaries.append(summarise_document(doc))
        return write_document_page(doc, self.entries, self.out_dir)

    def finish(self) -> list[Path]:
        return write_corpus_pages(self.summaries, self.entries, self.out_dir, title=self.title)
