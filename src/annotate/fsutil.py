"""Atomic, deterministic file writes.

Every output goes through :func:`write_bytes_atomic`: the data is written to a
temporary file in the same directory, flushed to disk and renamed over the target,
so a reader (or a killed run) never sees a half-written file.
"""

from __future__ import annotations

import contextlib
import filecmp
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import EnvironmentProblem

TEMP_PREFIX = ".annotate-tmp-"
_recorders: list[list[Path]] = []


@contextlib.contextmanager
def recording(written: list[Path]) -> Iterator[list[Path]]:
    """Append every file written (or found already up to date) inside the block to ``written``:
    what a block of exports produced, to undo it when it fails or to find stale files."""
    _recorders.append(written)
    try:
        yield written
    finally:
        _recorders.remove(written)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    target = Path(path)
    try:
        if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
            for rec in _recorders:
                rec.append(target)
            return target  # unchanged: keep the file (and its mtime) as it is
    except OSError:
        pass
    return write_chunks_atomic(target, [data])


def write_chunks_atomic(path: str | os.PathLike[str], chunks: Iterable[bytes]) -> Path:
    """:func:`write_bytes_atomic` for a file made piece by piece (a template rendered as a
    stream), without the whole file in memory; an unchanged file keeps its mtime."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=target.parent)
    except OSError as exc:
        raise EnvironmentProblem(
            f"cannot write here: {exc.strerror}", path=target.parent, hint="choose another output directory with -o"
        ) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        if target.is_file() and filecmp.cmp(tmp, target, shallow=False):
            os.unlink(tmp)  # unchanged: keep the file (and its mtime) as it is
        else:
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        for rec in _recorders:
            rec.append(target)
    except BaseException as exc:
        # KeyboardInterrupt/SIGTERM included: never leave the temp file behind.
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise EnvironmentProblem(f"cannot write file: {exc.strerror}", path=target) from None
        raise
    return target


def write_text_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """Write UTF-8 text with LF line ends (deterministic across platforms)."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def remove_stale_temps(directory: str | os.PathLike[str]) -> int:
    """Delete temp files a killed run left behind; returns how many."""
    n = 0
    root = Path(directory)
    if not root.exists():
        return 0
    for p in root.rglob(TEMP_PREFIX + "*"):
        try:
            p.unlink()
            n += 1
        except OSError:
            pass
    return n
