"""Pages on a Dask cluster: ``annotate run --cluster tcp://HOST:PORT`` or ``--cluster local:N``.

The per-page function is the pipeline's own ``process_page``; Dask only decides where
it runs and runs it again elsewhere when a worker dies.  Each worker thread builds one
:class:`Context` per run (the jieba dictionary, the LAC session and a translation model
are loaded once per worker, not once per page) and drops it when the run ends, so a
glossary edited between two runs against the same long-lived workers is never stale.

Storage: the workers read the pages and write the exports and stage caches themselves,
so they must see the corpus, glossary, exports and cache folders at the same absolute
paths as this command (a shared file system; docs/scale.md says why and what it costs).
Before any page is sent, every worker is asked what it sees and which annotate code it
runs, and a worker that differs stops the run with a one-line error.

The translation cache is SQLite, which must not be written by several machines through a
network file system: on a cluster, workers only *read* the shared cache file and write
new translations to a part file of their own (``translations.sqlite.parts/``); this
process merges the parts into the shared file, alone, before and after the pages
(translate/cache.py).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import socket
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import EnvironmentProblem

if TYPE_CHECKING:  # pragma: no cover
    from .config import Config
    from .context import Context
    from .corpus import Page
    from .pipeline import DocResult

LOCAL_PREFIX = "local:"
#: Seconds to wait for a scheduler to answer, and for it to have at least one worker.
CONNECT_TIMEOUT = 10
WORKERS_TIMEOUT = 30
_ADDRESS = re.compile(r"tcp://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})")


def check_address(value: str) -> str:
    """``value`` if it is ``tcp://HOST:PORT`` or ``local:N`` (N ≥ 1); ValueError saying what is accepted otherwise."""
    if value.startswith(LOCAL_PREFIX):
        n = value[len(LOCAL_PREFIX):]
        if n.isdigit() and int(n) >= 1:
            return value
        raise ValueError(f"{value!r}: local:N needs a number of worker processes of at least 1, e.g. local:2")
    m = _ADDRESS.fullmatch(value)
    if m and 0 < int(m.group(2)) < 65536:
        return value
    raise ValueError(f"{value!r} is not a Dask scheduler address; give tcp://HOST:PORT or local:N")


@dataclass(frozen=True)
class RunSpec:
    """What every page task carries: the settings (absolute paths), the corpus base, and this run's ID."""

    config: Config
    base: Path
    run_id: str


# --------------------------------------------------------------------------------------
# The client side
# --------------------------------------------------------------------------------------


def map_pages(config: Config, pages: list[Page], base: Path) -> Iterator[DocResult]:
    """Results of ``process_page`` for every page, run on the cluster ``config.cluster``, as they complete."""
    from .translate.cache import merge_parts

    spec = RunSpec(absolute(config), base, uuid.uuid4().hex[:12])
    translations = spec.config.cache / "translations.sqlite"
    merge_parts(translations)  # parts an interrupted run left: the workers read them from the shared file
    quiet = _quiet_distributed()
    try:
        with _client(config.cluster or "") as client:
            _preflight(client, spec)
            try:
                yield from _results(client, spec, pages)
            finally:
                with contextlib.suppress(Exception):
                    client.run(_release, spec.run_id)  # close every worker's part file before the merge
    finally:
        quiet()
        merge_parts(translations)
    from .fsutil import remove_stale_temps

    # A worker killed while writing leaves a temporary file; its page was redone elsewhere.
    remove_stale_temps(spec.config.exports)
    remove_stale_temps(spec.config.cache)


def absolute(config: Config) -> Config:
    """The settings with every path absolute, as workers started elsewhere must see them."""
    paths = {k: getattr(config, k).resolve() for k in ("corpus", "glossary", "exports", "cache")}
    if config.model_dir is not None:
        paths["model_dir"] = config.model_dir.resolve()
    return config.with_overrides(**paths)


@contextlib.contextmanager
def _client(address: str) -> Iterator[Any]:
    """A ``distributed.Client`` for ``tcp://…``, or one on a LocalCluster this process starts and stops."""
    from distributed import Client

    if address.startswith(LOCAL_PREFIX):
        from distributed import LocalCluster

        n = int(address[len(LOCAL_PREFIX):])
        # One thread per worker: one Context per worker, and the cores go to processes (the GIL).
        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                          scheduler_port=0, silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        why = f"no answer in {CONNECT_TIMEOUT} s" if isinstance(exc, TimeoutError) else _first_line(exc)
        raise EnvironmentProblem(f"cannot reach the Dask scheduler at {address} ({why})",
                                 hint="start it with `dask scheduler`, or check --cluster") from None
    with client:
        try:
            client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
        except (OSError, TimeoutError):
            raise EnvironmentProblem(f"the Dask scheduler at {address} has no workers after {WORKERS_TIMEOUT}s",
                                     hint=f"start them with `dask worker {address} --nthreads 1`") from None
        yield client


def _results(client: Any, spec: RunSpec, pages: list[Page]) -> Iterator[DocResult]:
    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    futures = {client.submit(run_page, spec, replace(page, path=page.path.resolve()), pure=False,
                             key=f"annotate-page-{spec.run_id}-{i}"): page for i, page in enumerate(pages)}
    try:
        for fut in as_completed(futures):
            page = futures.pop(fut)
            try:
                yield fut.result()
            except KilledWorker:
                # Dask retried it and every worker running it died: like a page that runs out of memory.
                from .pipeline import DocResult

                yield DocResult(page.doc_id, str(page.path), "failed",
                                error=f"{page.path}: the Dask workers running this page died each time "
                                      f"(out of memory? see the worker logs; split the page)")
            fut.release()  # the cluster keeps no result once it is here
    except BaseException:
        client.cancel(list(futures))
        raise


def _preflight(client: Any, spec: RunSpec) -> None:
    """Stop before any page when a worker would write elsewhere or produce other output."""
    here = worker_facts(spec)
    for worker, facts in sorted(client.run(worker_facts, spec, True).items()):
        for path in sorted(set(facts["missing"]) - set(here["missing"])):
            raise EnvironmentProblem(f"Dask worker {worker} on {facts['host']} cannot use {path}",
                                     hint="the workers must see the corpus, glossary, exports and cache "
                                          "at the same paths: a shared file system (docs/scale.md)")
        for key, what in (("code", "annotate code"), ("translation", "translation model")):
            if facts[key] != here[key]:
                raise EnvironmentProblem(f"Dask worker {worker} on {facts['host']} has another {what} "
                                         f"({facts[key]}) than this command ({here[key]})",
                                         hint="install the same annotate and models on every worker")


def _quiet_distributed() -> Any:
    """Dask's own log lines (connections closing at the end, a worker restarted) are not ours to print."""
    logger = logging.getLogger("distributed")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    return lambda: logger.setLevel(level)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


# --------------------------------------------------------------------------------------
# The worker side (these run in Dask worker processes)
# --------------------------------------------------------------------------------------

_CONTEXTS: dict[tuple[str, int], Context] = {}  # (run ID, thread) → the run's Context in that thread
_LOCK = threading.Lock()


def run_page(spec: RunSpec, page: Page) -> DocResult:
    """One page on a worker: the pipeline's own function with this worker's Context for the run."""
    from .pipeline import process_page

    return process_page(_context(spec), page, spec.base)


def _context(spec: RunSpec) -> Context:
    from .context import Context
    from .translate.cache import write_to_parts

    key = (spec.run_id, threading.get_ident())
    with _LOCK:
        ctx = _CONTEXTS.get(key)
        if ctx is None:
            write_to_parts(True)
            # A Context per thread: the annotator and the translation cache are not shared across threads.
            ctx = _CONTEXTS[key] = Context(spec.config)
    return ctx


def _release(run_id: str) -> int:
    """Drop (and close) this worker's Contexts of a finished run; returns how many."""
    with _LOCK:
        done = [k for k in _CONTEXTS if k[0] == run_id]
        for k in done:
            with contextlib.suppress(Exception):
                _CONTEXTS.pop(k).close()
    return len(done)


def worker_facts(spec: RunSpec, on_worker: bool = False) -> dict[str, Any]:
    """What a process sees: the folders it cannot use, its annotate code, its translation model."""
    from . import __version__
    from .context import Context
    from .corpus import code_fingerprint
    from .translate.cache import write_to_parts

    c = spec.config
    missing = [str(p) for p in _unusable(c)]
    if on_worker:
        write_to_parts(True)
    ctx = Context(c)
    try:
        translation = ctx.translation_key()
    finally:
        ctx.close()
    return {"host": socket.gethostname(), "missing": missing, "translation": translation,
            "code": f"{__version__}+{code_fingerprint('')}"}


def _unusable(c: Config) -> list[Path]:
    out = [p for p in (c.corpus, c.glossary) if not p.exists()]
    for folder in (c.exports, c.cache):
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
        if not (folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)):
            out.append(folder)
    return out
