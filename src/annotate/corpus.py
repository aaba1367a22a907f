"""Finding the pages of a corpus and hashing them for incremental runs."""

from __future__ import annotations

import hashlib
from functools import lru_cache
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


@lru_cache(maxsize=8)
def code_fingerprint(*parts: str) -> str:
    """sha256 of annotate's own files under the given sub-paths (modules, templates).

    Part of the cache keys, so that results made by older code are not reused after an
    upgrade or a local edit (a version bump alone would miss edits between releases)."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for part in parts:
        target = root / part
        files = sorted(target.rglob("*")) if target.is_dir() else [target]
        for f in files:
            if f.is_file() and "__pycache__" not in f.parts:
                h.update(f.relative_to(root).as_posix().encode())
                h.update(f.read_bytes())
    return h.hexdigest()[:16]
