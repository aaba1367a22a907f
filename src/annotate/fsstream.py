"""Atomic writes of a file made piece by piece (a template rendered as a stream).

The same contract as ``fsutil.write_bytes_atomic``, without the whole file in memory: the
pieces go to a temporary file beside the target as they come, which is then renamed over
the target, or dropped when the target already has exactly these bytes (so an unchanged
file keeps its mtime, as with ``write_bytes_atomic``).
"""

from __future__ import annotations

import contextlib
import filecmp
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from . import fsutil
from .errors import EnvironmentProblem


def write_chunks_atomic(path: str | os.PathLike[str], chunks: Iterable[bytes]) -> Path:
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=fsutil.TEMP_PREFIX, dir=target.parent)
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
        for rec in fsutil._recorders:
            rec.append(target)
    except BaseException as exc:
        # KeyboardInterrupt/SIGTERM included: never leave the temp file behind.
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise EnvironmentProblem(f"cannot write file: {exc.strerror}", path=target) from None
        raise
    return target
