"""The bilingual HTML reader: one page per document, an index, a glossary page and a
corpus-wide concordance.

Pages are written one document at a time (``write_document_page``, which also writes the
document's concordance index ``search/<doc>.js``) and the corpus pages from small
per-document summaries (``write_corpus_pages``), so the pipeline never holds the corpus
in memory.  Everything is static and works from ``file://``: CSS and JS are local files
in ``assets/``, data files are scripts, and nothing is fetched.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from markupsafe import Markup

from .. import __version__
from ..fsutil import write_bytes_atomic, write_chunks_atomic
from ..model import Document, English, GlossaryEntry, Sentence
from ..textio import XML_ILLEGAL
from .concordance import UPOS, write_corpus_index, write_document_index
from .render import (
    Lexicon,
    add_sentence_pair,
    card,
    origin_label,
    pinyin_of,
    plain_pinyin,
    toned_pinyin,
    translation_of,
)

__all__ = ["HtmlSite", "summarise_document", "write_corpus_pages", "write_document_page"]

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
ASSETS = ("reader.css", "reader.js")
ENTITY_NAMES = {"PER": "person", "LOC": "place", "ORG": "organisation", "TIME": "time"}
DEFAULT_TITLE = "annotate corpus"
MACHINE = ("mt", "llm")
SENSES = 6  # CC-CEDICT senses shown per word: the common ones come first


@lru_cache(maxsize=1)
def _env():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals.update(version=__version__, entity_names=ENTITY_NAMES)
    return env


@lru_cache(maxsize=1 << 16)
def _senses(word: str) -> tuple[str, ...]:
    """CC-CEDICT's senses of a word (every entry of that simplified form, as the file has them).

    Kept for the process, as a tuple nobody can change: pages share most of their words, and
    splitting each word's senses again took about a twentieth of the writer's time."""
    from ..glossary.cedict import entry_senses

    return tuple(entry_senses(word)[:SENSES])


def _json_script(data: Any) -> Markup:
    # Inside <script type="application/json">: "<" escaped, so no text can close the element.
    return Markup(json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c"))


class Row(NamedTuple):
    """A block as the page shows it: its Chinese and its English side by side.

    Attributes, not dict keys: Jinja2 tries an attribute first, and a dict's failed attribute
    look-up raises and catches an exception, eight times a block."""

    id: str
    kind: str
    tag: str
    zh: Markup
    en: Markup
    zh_chars: int
    en_chars: int


class ArticleRows(NamedTuple):
    id: str
    blocks: list[Row]


def document_context(doc: Document, entries: Mapping[str, GlossaryEntry], lex: Lexicon | None = None) -> dict[str, Any]:
    lex = lex if lex is not None else Lexicon()
    translations: list[English] = []
    count = 0  # sentences numbered so far, 1, 2, ... through the document

    def block(b, section_tag: str) -> Row:
        nonlocal count
        tag = {"headline": "h2", "section": section_tag}.get(b.kind, "div")
        zh, en, en_chars = [], [], 0
        for s in b.sentences:
            tr = translation_of(s)
            if tr is not None:
                translations.append(tr)
            count += 1
            add_sentence_pair(s, count, tr, entries, lex, zh, en)
            en_chars += len(tr.text) if tr is not None else len(s.gloss)
        return Row(b.id, b.kind, tag, Markup("".join(zh)), Markup("".join(en)), sum(len(s.text) for s in b.sentences),
                   en_chars)

    def article(a) -> ArticleRows:
        # Section headings sit under the article's headline; without one they are the article's h2.
        section_tag = "h3" if any(b.kind == "headline" for b in a.blocks) else "h2"
        return ArticleRows(a.id, [block(b, section_tag) for b in a.blocks])

    articles = [article(a) for a in doc.articles]
    captions = [block(c, "div") for c in doc.captions]
    sentences = doc.sentences
    machine = [tr for tr in translations if tr.origin in MACHINE]
    used = sorted({t.entry_id for s in sentences for t in s.terms if t.entry_id in entries})
    title = doc.meta.get("title") or doc.id
    lex_keys, senses = lex.entries(_senses)
    page_data = {
        "doc": {"id": doc.id, "title": title, "source": doc.meta.get("source", ""),
                "date": doc.meta.get("date") or doc.meta.get("covers", "")},
        "upos": list(UPOS),
        "lex": lex_keys,
        "senses": senses,
    }
    return {
        "doc": doc,
        "title": title,
        "articles": articles,
        "captions": captions,
        "has_mt": bool(translations),
        "human_only": bool(translations) and not machine,
        "has_llm": any(tr.origin == "llm" for tr in machine),
        "llm_label": origin_label("llm"),
        "models": sorted({tr.model for tr in machine if tr.model}),
        "entity_types": sorted({e.type for e in doc.entities}),
        "cards": [card(entries[i]) for i in used],
        "page_data": _json_script(page_data),
    }


def write_document_page(doc: Document, entries: Sequence[GlossaryEntry], out_dir: Path) -> Path:
    """Write ``out_dir/<doc.id>.html``, its concordance index ``out_dir/search/<doc.id>.js``
    (and the shared assets); returns the page's path."""
    by_id = {e.id: e for e in entries}
    lex = Lexicon()
    html = _env().get_template("document.html.j2").render(**document_context(doc, by_id, lex))
    _copy_assets(out_dir)
    write_document_index(doc, out_dir, lex.index)  # the words the page numbered, not looked up again
    return _write_page(out_dir / f"{doc.id}.html", html)


def summarise_document(doc: Document) -> dict[str, Any]:
    """What the index, glossary and concordance pages need from a document: small and
    JSON-safe (the pipeline keeps it in its state file)."""
    def english(s: Sentence) -> str:
        en = s.english
        return en.text if en is not None else ""
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
        "has_mt": any(translation_of(s) is not None for s in doc.sentences),
    }


def _entry_pinyin(entries: Sequence[GlossaryEntry], seen: Mapping[str, str]) -> dict[str, str]:
    """Each entry's tone-marked pinyin: as annotated where the term occurs, else from pypinyin."""
    out = dict(seen)
    missing = [e for e in entries if not out.get(e.id)]
    if missing:
        from pypinyin import Style, lazy_pinyin

        for e in missing:
            out[e.id] = " ".join(lazy_pinyin(e.source, style=Style.TONE))
    return out


OCCURRENCE_LINKS = 30  # per entry and document; the rest are one click away, in the concordance


def write_corpus_pages(summaries: Sequence[dict[str, Any]], entries: Sequence[GlossaryEntry], out_dir: Path,
                       *, title: str = DEFAULT_TITLE, cache: Path | None = None) -> list[Path]:
    """Write ``index.html``, ``glossary.html``, ``search.html`` (the concordance) and its
    document list ``search/docs.js`` from document summaries; returns their paths.
    ``cache``: where the term index keeps each document's keys between runs.

    The summaries are iterated a few times and never kept: the glossary's occurrence lists,
    which grow with the corpus, wait in a temporary database, and the pages are written as
    their templates render them."""
    from ..exporters import in_id_order

    summaries = in_id_order(summaries)
    ids = {e.id for e in entries}
    counts: dict[str, int] = dict.fromkeys(ids, 0)
    seen_pinyin: dict[str, str] = {}
    with _Occurrences() as occurrences:
        for n, d in enumerate(summaries):
            for eid, sids in sorted(d["terms"].items()):
                if eid in ids:  # the page lists the glossary's entries only
                    occurrences.add(eid, n, d["id"], d["title"], sids)
                    counts[eid] += len(sids)
            for eid, py in sorted(d.get("term_pinyin", {}).items()):
                seen_pinyin.setdefault(eid, py)
        pinyin = _entry_pinyin(entries, seen_pinyin)
        search = {e.id: {"py": plain_pinyin(pinyin[e.id]), "pyt": toned_pinyin(pinyin[e.id]),
                         "sort": _pinyin_sort_key(pinyin[e.id])} for e in entries}
        # The table starts in pinyin order (the order of a Chinese dictionary), not code-point order.
        ordered = sorted(entries, key=lambda e: (search[e.id]["sort"], e.source, e.id))
        used = [e for e in ordered if counts.get(e.id)]
        env = _env()
        _copy_assets(out_dir)
        return [
            _stream_page(out_dir / "index.html", env.get_template("index.html.j2").generate(docs=summaries,
                                                                                             title=title)),
            _stream_page(out_dir / "glossary.html", env.get_template("glossary.html.j2").generate(
                entries=ordered, occurrences=occurrences, counts=counts, pinyin=pinyin, search=search, title=title,
                per_doc=OCCURRENCE_LINKS)),
            _stream_page(out_dir / "search.html", env.get_template("search.html.j2").generate(
                docs=summaries, terms=used, upos=UPOS, entity_names=ENTITY_NAMES, title=title)),
            *write_corpus_index(summaries, out_dir, cache),
        ]


class _Occurrences:
    """Where each glossary entry occurs, document by document, for the glossary page: kept in a
    private temporary SQLite database (on disk, deleted when closed), since these lists grow
    with the corpus while the page needs one entry's at a time."""

    def __init__(self) -> None:
        import sqlite3

        self._db = sqlite3.connect("")  # "": a private temporary database
        self._db.execute("CREATE TABLE occ (entry TEXT, n INTEGER, doc TEXT, title TEXT, sids TEXT, count INTEGER)")

    def __enter__(self) -> _Occurrences:
        return self

    def __exit__(self, *exc: object) -> None:
        self._db.close()

    def add(self, entry_id: str, n: int, doc_id: str, title: str, sids: Sequence[str]) -> None:
        """Entry ``entry_id`` occurs in sentences ``sids`` of document number ``n``."""
        self._db.execute("INSERT INTO occ VALUES (?, ?, ?, ?, ?, ?)", (entry_id, n, doc_id, title,
                         json.dumps(list(sids[:OCCURRENCE_LINKS]), ensure_ascii=False), len(sids)))

    def get(self, entry_id: str, default: Any = ()) -> Any:
        """The entry's occurrences in document order, or ``default`` (as the template calls it)."""
        if not self._indexed:  # built once, after the last add: faster than keeping it up to date
            self._db.execute("CREATE INDEX occ_entry ON occ (entry, n)")
            self._indexed = True
        rows = self._db.execute("SELECT doc, title, sids, count FROM occ WHERE entry = ? ORDER BY n", (entry_id,))
        found = [{"doc": doc, "title": t, "sids": json.loads(sids), "n": count} for doc, t, sids, count in rows]
        return found or default

    _indexed = False


def _pinyin_sort_key(py: str) -> str:
    """"fàng guǎn fú" → "fang4 guan3 fu2": letters first, then tones, syllable by syllable."""
    from .render import plain_pinyin as plain

    out = []
    for syl in py.split():
        tone = next((n for mark, n in (("\u0304", "1"), ("\u0301", "2"), ("\u030c", "3"), ("\u0300", "4"))
                     if mark in _nfd(syl)), "5")
        out.append(plain(syl) + tone)
    return " ".join(out)


def _nfd(s: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFD", s)


# The characters HTML forbids (``textio.XML_ILLEGAL``) as UTF-8: the C0 controls but tab and
# line ends (bytes below 0x20 are only ever those characters in UTF-8), U+FFFE and U+FFFF.
_C0 = bytes(c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D))
_NONCHARACTERS = ("\ufffe".encode(), "\uffff".encode())
_NONCHARACTER_LEAD = b"\xef\xbf"


def page_bytes(html: str) -> bytes:
    """The page as UTF-8 without the characters HTML forbids: removing them cannot touch markup.

    Done on the encoded bytes (a C loop), not with a regular expression over the text, which
    took a tenth of the writer's time; lone surrogates, which UTF-8 cannot encode, take the
    regular expression."""
    try:
        data = html.encode("utf-8")
    except UnicodeEncodeError:
        return XML_ILLEGAL.sub("", html).encode("utf-8")
    data = data.translate(None, _C0)
    if _NONCHARACTER_LEAD in data:  # one scan for both: they share their first two bytes
        for bad in _NONCHARACTERS:
            data = data.replace(bad, b"")
    return data


def _write_page(path: Path, html: str) -> Path:
    return write_bytes_atomic(path, page_bytes(html))


def _stream_page(path: Path, chunks: Iterable[str]) -> Path:
    """A page written as its template renders it, never whole in memory; byte for byte what
    ``_write_page`` writes (``page_bytes`` removes characters, never across two pieces)."""
    return write_chunks_atomic(path, map(page_bytes, _batched(chunks, 1 << 16)))


def _batched(chunks: Iterable[str], size: int) -> Iterable[str]:
    """The template's many small pieces joined into pieces of about ``size`` characters."""
    batch: list[str] = []
    length = 0
    for chunk in chunks:
        batch.append(chunk)
        length += len(chunk)
        if length >= size:
            yield "".join(batch)
            batch, length = [], 0
    if batch:
        yield "".join(batch)


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
