"""Ingestion: a raw newspaper page (plain text, often OCR) → a structured Document.

    doc = ingest_file("corpus/raw/page.txt")      # detects UTF-8/UTF-16/GB18030/Big5
    doc.articles[0].headline, doc.captions[0].text

See docs/ingest.md for the rules.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from pathlib import Path

from .. import __version__
from ..corpus import meta_path, slug_id, stem
from ..errors import InputError
from ..model import Document, Normalisation
from ..textio import XML_ILLEGAL, read_page
from .articles import build_articles
from .lines import split_units

__all__ = ["ingest_file", "ingest_text", "meta_path", "read_meta"]


#: How a page's lines become articles: "rules" (lines.py, classify.py, articles.py; the default)
#: or "tagger" (a CRF line tagger, tagger.py and structure.py; under evaluation, see
#: docs/ingest.md "The line tagger").
METHODS = ("rules", "tagger")


def ingest_text(
    text: str, doc_id: str, *, source_path: str = "", meta: dict[str, str] | None = None, method: str = "rules"
) -> Document:
    """Structure an already-decoded page (a leading BOM, CR and CRLF line ends are accepted).

    ``content_hash`` is the sha256 of the text; :func:`ingest_file` replaces it with the
    hash of the file's bytes and its metadata file."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    notes: list[Normalisation] = []
    if XML_ILLEGAL.search(text):
        # No exporter could write these (TEI, HTML, TMX are XML); drop and record them.
        for m in XML_ILLEGAL.finditer(text):
            notes.append(Normalisation("control-char", text.count("\n", 0, m.start()) + 1, f"U+{ord(m.group()):04X}", ""))
        text = XML_ILLEGAL.sub("", text)
    if method == "tagger":
        from .structure import build_articles as build_tagged

        articles, captions = build_tagged(text, doc_id, notes)
    elif method == "rules":
        articles, captions = build_articles(split_units(text), doc_id, notes)
    else:
        raise ValueError(f"unknown ingestion method {method!r}; one of {METHODS}")
    return Document(
        id=doc_id,
        source_path=source_path,
        meta={"language": "zh-Hans", **(meta or {})},
        articles=articles,
        captions=captions,
        normalisations=notes,
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        layers=["ingest"],
        tools={"annotate-ingest": __version__},
    )


def ingest_file(path: str | Path, *, encoding: str | None = None, doc_id: str | None = None,
                method: str = "rules") -> Document:
    """Read, decode and structure a page file, with the metadata file next to it."""
    p = Path(path)
    raw = read_page(p, encoding)
    meta_file = meta_path(p)
    meta = read_meta(meta_file) if meta_file.is_file() else {}
    doc = ingest_text(raw.text, doc_id or slug_id(stem(p)), source_path=str(p), meta=meta, method=method)
    # Characters XML forbids were dropped while decoding; record them like every other change.
    doc.normalisations[:0] = [Normalisation("control-char", line, f"U+{ord(ch):04X}", "") for line, ch in raw.removed]
    if raw.encoding != "utf-8":
        doc.meta.setdefault("encoding", raw.encoding)
    h = hashlib.sha256(p.read_bytes())
    if meta_file.is_file():
        h.update(meta_file.read_bytes())
    doc.content_hash = h.hexdigest()
    return doc


def read_meta(path: Path) -> dict[str, str]:
    """The page's metadata (title, source, date, language …) as strings."""
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        # Python 3.11's message ends "(at line 3, column 9)"; put the line where users look.
        msg = str(exc)
        where = re.search(r" \(at line (\d+), column (\d+)\)$", msg)
        line = int(where.group(1)) if where else None
        if where:
            msg = f"{msg[: where.start()]} at column {where.group(2)}"
        raise InputError(f"invalid TOML: {msg}", path=path, line=line, hint='write key = "value", one per line') from None
    except UnicodeDecodeError as exc:
        raise InputError(f"metadata is not UTF-8 (byte {exc.start})", path=path, hint="save it as UTF-8") from None
    except OSError as exc:
        raise InputError(f"cannot read metadata: {exc.strerror}", path=path) from None
    # Tables and arrays have no place in the flat metadata; dates and numbers become text.
    return {str(k): str(v) for k, v in data.items() if not isinstance(v, (dict, list))}
