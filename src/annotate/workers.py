"""Where pages are processed: in this process, in worker processes (``--jobs N``), or on a
Dask cluster (``--cluster``, cluster.py).

A worker builds one Context at start and keeps it for every page it is given.
Workers die with their parent: on Linux the kernel signals them when the parent
dies (``PR_SET_PDEATHSIG``), and a watchdog thread checks the parent everywhere else,
so a killed ``annotate run -j 2`` leaves no orphans holding hundreds of megabytes.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .config import Config
    from .context import Context
    from .corpus import Page
    from .pipeline import DocResult

_CTX: Context | None = None


def map_pages(config: Config, pages: list[Page], base: Path, ctx: Context) -> Iterator[DocResult]:
    """Results of ``process_page`` for every page: in page order, or as they complete on a cluster."""
    from .pipeline import process_page

    if config.cluster:
        from .cluster import map_pages as map_on_cluster

        yield from map_on_cluster(config, pages, base)
        return
    if config.jobs <= 1 or len(pages) <= 1:
        for page in pages:
            yield process_page(ctx, page, base)
        return
    import multiprocessing

    # "spawn" keeps workers independent of whatever the parent imported (and is what
    # macOS and Windows use anyway), so --jobs behaves the same everywhere.
    mp = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=config.jobs, mp_context=mp, initializer=_worker_init,
                             initargs=(config, os.getpid())) as pool:
        futures = [pool.submit(_worker_process, page, base) for page in pages]
        try:
            for fut in futures:
                yield fut.result()
        except BaseException:
            for fut in futures:
                fut.cancel()
            raise


def _worker_init(config: Config, parent: int) -> None:
    global _CTX
    from .context import Context

    die_with_parent(parent)
    _CTX = Context(config)
    # The parent handles Ctrl-C and SIGTERM; workers just stop with it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _worker_process(page: Page, base: Path) -> DocResult:
    from .pipeline import process_page

    assert _CTX is not None
    return process_page(_CTX, page, base)


def die_with_parent(parent: int) -> None:
    """End this process when ``parent`` ends, however it ends (SIGKILL included)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="annotate-parent-watch", daemon=True).start()
