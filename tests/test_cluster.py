"""`annotate run --cluster`: the pipeline on a real Dask scheduler and workers on loopback.

The test starts `dask scheduler` and `dask worker --nworkers 2` itself (free ports, its own
working folder, so the workers see paths only as absolute ones) and stops them by PID.
Every run is compared byte for byte with `annotate run --jobs 1` on the same pages.
NER is off (`--no-ner`): it is not what these tests are about, and it would triple their time.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from support import PAGE, TEST_PAGES, tree_digest
from support import run_annotate as annotate


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass
class Cluster:
    address: str
    env: dict[str, str]


@pytest.fixture(scope="module")
def env(tmp_path_factory, argos_home) -> dict[str, str]:
    """What the workers and the client share: argos's home, and no model unless --model-dir names one."""
    return {**os.environ, "XDG_DATA_HOME": str(argos_home),
            "ARGOS_PACKAGES_DIR": str(tmp_path_factory.mktemp("no-models"))}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, env) -> Cluster:
    from distributed import Client

    work = tmp_path_factory.mktemp("dask")
    address = f"tcp://127.0.0.1:{_free_port()}"
    dask = [sys.executable, "-m", "dask"]
    log = (work / "dask.log").open("w")
    scheduler = subprocess.Popen([*dask, "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1],
                                  "--no-dashboard"], cwd=work, env=env, stdout=log, stderr=log)
    workers = subprocess.Popen([*dask, "worker", address, "--nworkers", "2", "--nthreads", "1", "--no-dashboard",
                                "--host", "127.0.0.1"], cwd=work, env=env, stdout=log, stderr=log)
    try:
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield Cluster(address, env)
    finally:
        _stop(workers)
        _stop(scheduler)
        log.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The bundled page and every UTF-8 test page: 10 pages of real newspaper layouts."""
    folder = tmp_path_factory.mktemp("corpus") / "pages"
    folder.mkdir()
    shutil.copy(PAGE, folder / PAGE.name)
    for p in sorted(TEST_PAGES.glob("*.txt")):
        try:
            p.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        shutil.copy(p, folder / p.name)
    return folder


def _run(corpus: Path, work: Path, env: dict[str, str], models: Path, *flags: str) -> subprocess.CompletedProcess:
    """`annotate run` from ``work`` with relative paths (workers elsewhere must get them absolute)."""
    shutil.copytree(corpus, work / "pages", dirs_exist_ok=True)
    return annotate("run", "pages", "-o", "exports", "--cache", "cache", "--no-ner", "--model-dir", str(models),
                    *flags, cwd=work, env=env)


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory, env, models_dir) -> dict[str, str]:
    """`annotate run --jobs 1`, with the tiny translation model: what every cluster run must equal."""
    work = tmp_path_factory.mktemp("jobs1")
    proc = _run(corpus, work, env, models_dir, "--jobs", "1")
    assert proc.returncode == 0, proc.stderr
    assert "documents: 10 (10 processed, 0 unchanged)" in proc.stderr
    assert " 0 sentences translated" not in proc.stderr  # the model translated: the cache is exercised
    return tree_digest(work / "exports")


def test_tcp_cluster_writes_the_exports_of_jobs_1(cluster, corpus, reference, tmp_path, models_dir):
    proc = _run(corpus, tmp_path, cluster.env, models_dir, "--cluster", cluster.address)
    assert proc.returncode == 0, proc.stderr
    assert "documents: 10 (10 processed, 0 unchanged)" in proc.stderr
    assert tree_digest(tmp_path / "exports") == reference
    # The workers' translations were folded into the one shared cache; no part file is left.
    cache = tmp_path / "cache" / "translations.sqlite"
    assert not (tmp_path / "cache" / "translations.sqlite.parts").exists()
    from annotate.translate.cache import TranslationCache

    shared = TranslationCache(cache, parts=False)
    assert shared.count() > 0
    shared.close()

    # Unchanged pages cost a hash on the workers, and the summary says so.
    again = _run(corpus, tmp_path, cluster.env, models_dir, "--cluster", cluster.address)
    assert again.returncode == 0, again.stderr
    assert "documents: 10 (0 processed, 10 unchanged)" in again.stderr

    # New exports from the same cache: every sentence comes from the merged translation cache.
    shutil.rmtree(tmp_path / "exports")
    shutil.rmtree(tmp_path / "cache" / "state")
    cached = _run(corpus, tmp_path, cluster.env, models_dir, "--cluster", cluster.address)
    assert cached.returncode == 0, cached.stderr
    assert "English: 0 sentences translated" in cached.stderr
    assert tree_digest(tmp_path / "exports") == reference


def test_a_worker_killed_mid_run_is_retried_and_nothing_is_lost(cluster, corpus, reference, tmp_path, models_dir):
    from distributed import Client

    shutil.copytree(corpus, tmp_path / "pages")
    proc = subprocess.Popen(
        [sys.executable, "-m", "annotate", "-v", "run", "pages", "-o", "exports", "--cache", "cache", "--no-ner",
         "--model-dir", str(models_dir), "--cluster", cluster.address],
        cwd=tmp_path, env=cluster.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    killed = None
    try:
        with Client(cluster.address, timeout=60) as client:
            while not any(line.startswith("processed") for line in lines):  # one page is done: mid-run
                line = proc.stderr.readline()
                assert line, f"the run ended before its first page: {''.join(lines)}"
                lines.append(line)
            while killed is None and proc.poll() is None:
                busy = {w: keys for w, keys in client.processing().items()
                        if any(str(k).startswith("annotate-page-") for k in keys)}
                if busy:
                    worker = sorted(busy)[0]
                    pid = client.run(os.getpid, workers=[worker])[worker]
                    os.kill(pid, signal.SIGKILL)
                    killed = (worker, busy[worker])
                else:
                    time.sleep(0.02)
        _, rest = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
    stderr = "".join(lines) + rest
    assert killed is not None, f"no page was left to kill a worker under: {stderr}"
    assert proc.returncode == 0, stderr
    # A page the killed worker had finished (state file written) but not yet handed back is run
    # again by Dask and then found unchanged: 10 pages, none failed, whatever the split.
    summary = re.search(r"documents: 10 \((\d+) processed, (\d+) unchanged\)\n", stderr)
    assert summary and sum(map(int, summary.groups())) == 10, stderr
    assert tree_digest(tmp_path / "exports") == reference
    # The nanny restarts the killed worker: the cluster is whole again for the next test.
    with Client(cluster.address, timeout=60) as client:
        client.wait_for_workers(2, timeout=120)


def test_embedded_local_cluster_writes_the_exports_of_jobs_1(corpus, reference, tmp_path, env, models_dir):
    proc = _run(corpus, tmp_path, env, models_dir, "--cluster", "local:2")
    assert proc.returncode == 0, proc.stderr
    assert "documents: 10 (10 processed, 0 unchanged)" in proc.stderr
    assert tree_digest(tmp_path / "exports") == reference


def test_a_scheduler_that_cannot_be_reached_is_one_line_and_exit_4(corpus, tmp_path):
    address = f"tcp://127.0.0.1:{_free_port()}"  # nobody listens there
    proc = annotate("run", str(corpus), "-o", str(tmp_path / "out"), "--cluster", address, cwd=tmp_path)
    assert proc.returncode == 4
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and address in lines[0] and "Dask scheduler" in lines[0], proc.stderr
    assert not (tmp_path / "out" / "html").exists()


def test_bad_cluster_addresses_are_refused_with_the_key_or_flag(tmp_path):
    from annotate.config import load_config
    from annotate.errors import InputError

    proc = annotate("run", "--cluster", "tcp://nowhere", cwd=tmp_path)
    assert proc.returncode == 2 and "--cluster" in proc.stderr and "tcp://HOST:PORT" in proc.stderr
    toml = tmp_path / "annotate.toml"
    toml.write_text('cluster = "local:0"\n', "utf-8")
    with pytest.raises(InputError) as err:
        load_config(toml)
    assert "annotate.toml" in str(err.value) and "cluster" in str(err.value)
    toml.write_text('cluster = "tcp://10.0.0.5:8786"\n', "utf-8")
    assert load_config(toml).cluster == "tcp://10.0.0.5:8786"


def test_help_does_not_import_dask():
    code = ("import sys\nfrom annotate.cli import main\n"
            "try:\n    main(['run', '--help'])\nexcept SystemExit:\n    pass\n"
            "print('IMPORTED=' + ','.join(m for m in ('dask', 'distributed') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "--cluster" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "IMPORTED="
