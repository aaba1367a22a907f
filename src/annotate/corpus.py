"""The pages of a corpus: finding them, naming them (document IDs), hashing them.

Document IDs are readable XML NCNames made from the file name: ``大连日报 2019.txt``
becomes ``da-lian-ri-bao-2019`` (pinyin), ``a b.txt`` becomes ``a-b``.  Two pages
whose names give the same ID are both kept: the page whose file name is the ID
itself (or, failing that, the shallower, then the first in path order) keeps it; the
other gets an ID from its path inside the corpus (``sub-a``), or, if that collides
too, the path ID plus a short hash of the path.  Either way the ID depends only on
the page's own path and the names it collides with, and the run says what it did.
"""

from __future__ import annotations

import hashlib
import re
import stat
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import InputError
from .zh import HAN, HAN_CHAR

PAGE_SUFFIX = ".txt"
META_SUFFIX = ".meta.toml"


@dataclass(frozen=True)
class Page:
    path: Path
    doc_id: str


def is_page(path: Path) -> bool:
    """A ``.txt`` file (any case), not hidden, not a metadata file."""
    return path.suffix.lower() == PAGE_SUFFIX and not path.name.startswith(".")


def find_pages(path: str | Path) -> list[Path]:
    """The page files of a corpus: one file, or every ``.txt`` under a folder, sorted."""
    p = Path(path)
    try:
        mode = p.stat().st_mode
    except FileNotFoundError:
        raise InputError("no such file or folder", path=p, hint="give a page .txt file or a corpus folder") from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=p) from None
    if stat.S_ISREG(mode):
        return [p]
    if not stat.S_ISDIR(mode):
        raise InputError("not a regular file or folder (a FIFO, socket or device?)", path=p,
                         hint="give a page .txt file or a corpus folder")
    pages = sorted(q for q in p.rglob("*") if is_page(q) and q.is_file())
    if not pages:
        raise InputError(f"no {PAGE_SUFFIX} pages in this folder", path=p, hint="put pages under corpus/raw/")
    return pages


def plan(path: str | Path) -> tuple[list[Page], list[str]]:
    """Every page with its document ID, and a note for each ID that had to be disambiguated."""
    root = Path(path)
    pages = find_pages(root)
    base = root if root.is_dir() else root.parent
    wanted = {p: slug_id(stem(p)) for p in pages}
    by_id: dict[str, list[Path]] = {}
    for p, doc_id in wanted.items():
        by_id.setdefault(doc_id, []).append(p)
    taken = {doc_id for doc_id, ps in by_id.items() if len(ps) == 1}
    ids: dict[Path, str] = {}
    notes: list[str] = []
    for doc_id, ps in sorted(by_id.items()):
        if len(ps) == 1:
            ids[ps[0]] = doc_id
            continue
        ranked = sorted(ps, key=lambda p: (stem(p) != doc_id, len(_rel(p, base).parts), _rel(p, base).as_posix()))
        ids[ranked[0]] = doc_id
        taken.add(doc_id)
        for p in ranked[1:]:
            rel = _rel(p, base)
            new = slug_id(rel.with_name(stem(p)).as_posix().replace("/", "-"))
            if new in taken:
                new = f"{new}-{hashlib.sha256(rel.as_posix().encode()).hexdigest()[:8]}"
            taken.add(new)
            ids[p] = new
            notes.append(f"{rel.as_posix()} has the document ID {new} ({_rel(ranked[0], base).as_posix()} has {doc_id})")
    return [Page(p, ids[p]) for p in pages], notes


def stem(page: Path) -> str:
    """``a.txt`` → ``a``; ``a.TXT`` → ``a``."""
    return page.name[: -len(PAGE_SUFFIX)] if page.suffix.lower() == PAGE_SUFFIX else page.name


def _rel(page: Path, base: Path) -> Path:
    try:
        return page.relative_to(base)
    except ValueError:
        return Path(page.name)


def slug_id(text: str) -> str:
    """An XML NCName from a file stem: pinyin for Chinese, ASCII letters and digits, '-', '_', '.'."""
    romanised = HAN_CHAR.search(text) is not None
    if romanised:
        text = _romanise(text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    s = re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-.")
    s = (re.sub(r"-{2,}", "-", s) if romanised else s) or "doc"
    return s if s[0].isalpha() or s[0] == "_" else f"d-{s}"


def _romanise(text: str) -> str:
    """Han characters as toneless pinyin syllables joined by '-' (西安 xi-an, not xian); the rest kept."""
    from pypinyin import Style, lazy_pinyin

    out: list[str] = []
    for run in re.split(f"([{HAN}]+)", text):
        if run and HAN_CHAR.match(run):
            out.append("-" + "-".join(lazy_pinyin(run, style=Style.NORMAL)) + "-")
        else:
            out.append(run)
    return "".join(out)


def meta_path(page: Path) -> Path:
    """``page.txt`` → ``page.meta.toml`` next to it."""
    return page.with_name(stem(page) + META_SUFFIX)


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


@lru_cache(maxsize=64)
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
