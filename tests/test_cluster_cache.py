"""The translation cache with several writers, as on a cluster: each worker process reads the
shared file and writes its own part; the driving process merges the parts, alone.

Real processes write at the same time (no mocks): every committed row must end up in the shared
file, a part still held by a live writer must be left alone, and a killed writer's committed rows
must survive."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from annotate.translate.backend import RawOutput
from annotate.translate.cache import TranslationCache, merge_parts, parts_dir

WRITER = r"""
import sys
from pathlib import Path
from annotate.translate.backend import RawOutput
from annotate.translate.cache import TranslationCache, write_to_parts

write_to_parts(True)
cache = TranslationCache(Path(sys.argv[1]))
lo, hi, mode = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
assert cache.get_many("m", "s", ["old-1"]) == {"old-1": RawOutput("was there", 1, 1)}  # reads the shared file
for i in range(lo, hi, 10):  # many small transactions, interleaved with the other writers'
    cache.put_many("m", "s", [(f"src{j}", RawOutput(f"out{j}", 1, 2)) for j in range(i, min(i + 10, hi))])
found = cache.get_many("m", "s", [f"src{j}" for j in range(lo, hi)])
assert len(found) == hi - lo, len(found)
if mode != "close":
    print("written", flush=True)
    sys.stdin.read()  # hold the part open (or wait to be killed)
cache.close()
"""


def _writer(cache: Path, lo: int, hi: int, mode: str = "close") -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(cache), str(lo), str(hi), mode],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _rows(cache: Path) -> dict[str, str]:
    c = TranslationCache(cache, parts=False)
    rows = dict(c.conn.execute("SELECT source, output FROM mt").fetchall())
    c.close()
    return rows


def test_parallel_writers_lose_nothing_and_a_live_part_waits(tmp_path):
    cache = tmp_path / "translations.sqlite"
    shared = TranslationCache(cache, parts=False)
    shared.put_many("m", "s", [("old-1", RawOutput("was there", 1, 1))])
    shared.close()
    merge_parts(cache)  # checkpointed: the workers' immutable view sees the row

    # Three writers at once (overlapping sources), one that keeps its part open, one killed after committing.
    writers = [_writer(cache, 0, 300), _writer(cache, 200, 500), _writer(cache, 400, 700)]
    holder = _writer(cache, 700, 750, "hold")
    victim = _writer(cache, 750, 800, "kill")
    assert holder.stdout.readline() == "written\n" and victim.stdout.readline() == "written\n"
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    for w in writers:
        _, err = w.communicate(timeout=120)
        assert w.returncode == 0, err

    added = merge_parts(cache)
    rows = _rows(cache)
    assert added == 750  # 0..699 from the closed writers, 750..799 from the killed one
    assert set(rows) == {"old-1", *(f"src{j}" for j in range(700)), *(f"src{j}" for j in range(750, 800))}
    assert rows["src250"] == "out250"
    assert len(list(parts_dir(cache).glob("*.sqlite"))) == 1  # the live writer's part is left alone

    holder.stdin.close()
    assert holder.wait(timeout=60) == 0
    assert merge_parts(cache) == 50
    assert len(_rows(cache)) == 801
    assert not parts_dir(cache).exists()


def test_a_broken_part_is_dropped_with_a_warning(tmp_path, capsys):
    cache = tmp_path / "translations.sqlite"
    parts_dir(cache).mkdir(parents=True)
    (parts_dir(cache) / "host-1-2-abc.sqlite").write_bytes(b"not a database at all" * 100)
    assert merge_parts(cache) == 0
    assert "translation cache part unusable" in capsys.readouterr().err
    assert not parts_dir(cache).exists()
    assert _rows(cache) == {}
