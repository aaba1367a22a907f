"""Finding the pages of a corpus and hashing them for incremental runs."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .errors import InputError

PAGE_SUFFIX = ".txt"
META_SUFFIX = ".meta.toml"


def find_pages(path: str | Path) -> list[Path]:
    """The page files of a corpus: one ``.txt`` file, or every ``.txt`` under a folder, sorted."""
    p = Path(path)
    if p.is_file():
        return [p]
    if not p.exists():
        raise InputError("no such file or folder", path=p, hint="give a page .txt file or a corpus folder")
    pages = sorted(q for q in p.rglob(f"*{PAGE_SUFFIX}") if q.is_file() and not q.name.startswith("."))
    if not pages:
        raise InputError(f"no {PAGE_SUFFIX} pages in this folder", path=p, hint="put pages under corpus/raw/")
    return pages


def meta_path(page: Path) -> Path:
    return page.with_name(page.name[: -len(PAGE_SUFFIX)] + META_SUFFIX if page.name.endswith(PAGE_SUFFIX) else page.name + META_SUFFIX)


def page_hash(page: Path) -> str:
    """sha256 of the page bytes and its metadata file: what ingestion depends on."""
    h = hashlib.sha256()
    try:
        h.update(page.read_bytes())
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=page) from None
    meta = meta_path(page)
    if meta.is_file():
        h.update(b"\0meta\0")
        h.update(meta.read_bytes())
    return h.hexdigest()


def digest(*parts: str) -> str:
    """A short stable key from strings (cache keys)."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:32]
