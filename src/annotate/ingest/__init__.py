"""Ingestion: a raw newspaper page (plain text, often OCR) → a structured Document.

    doc = ingest_file("corpus/raw/page.txt")      # detects UTF-8/UTF-16/GB18030/Big5
    doc.articles[0].headline, doc.captions[0].text

See docs/ingest.md for the rules.
"""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path

from .. import __version__
from ..errors import InputError
from ..model import Document, Normalisation, slug_id
from ..textio import read_page
from .layout import build_articles
from .lines import split_units

__all__ = ["ingest_file", "ingest_text", "read_meta"]


def ingest_text(text: str, doc_id: str, *, source_path: str = "", meta: dict[str, str] | None = None) -> Document:
    """Structure an already-decoded page (LF line ends expected; CR/CRLF are accepted)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    notes: list[Normalisation] = []
    articles, captions = build_articles(split_units(text), doc_id, notes)
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


def ingest_file(path: str | Path, *, encoding: str | None = None, doc_id: str | None = None) -> Document:
    """Read, decode and structure a page file, with the metadata file next to it."""
    p = Path(path)
    raw = read_page(p, encoding)
    meta_file = p.with_name(p.name.removesuffix(".txt") + ".meta.toml")
    meta = read_meta(meta_file) if meta_file.is_file() else {}
    doc = ingest_text(raw.text, doc_id or slug_id(p.name.removesuffix(".txt")), source_path=str(p), meta=meta)
    doc.normalisations[:0] = [Normalisation("control-char", line, repr(ch), "") for line, ch in raw.removed]
    if raw.encoding not in ("utf-8",):
        doc.meta.setdefault("encoding", raw.encoding)
    h = hashlib.sha256(p.read_bytes())
    if meta_file.is_file():
        h.update(meta_file.read_bytes())
    doc.content_hash = h.hexdigest()
    return doc


def read_meta(path: Path) -> dict[str, str]:
    """The page's metadata (title, source, date, language …) as strings."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise InputError(f"invalid TOML: {exc.msg if hasattr(exc, 'msg') else exc}", path=path, line=line) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read metadata: {exc}", path=path) from None
    return {str(k): str(v) for k, v in data.items() if not isinstance(v, (dict, list))}
