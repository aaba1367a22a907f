"""Careless and hostile use of `annotate run` (issue 13): no run loses other pages' work.

Each case asserts the exit code, the message, and what must (not) have changed on disk.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support import run_annotate, tree_digest

PAGE_A = "本报讯 大连市新增市场主体16万户，同比增长12.5%。\n全市深化“放管服”改革，优化营商环境。\n"
PAGE_B = "本报讯 大连港集装箱吞吐量增长。\n港口推进智慧港口建设。\n"


def corpus_of(root: Path, pages: dict[str, str]) -> Path:
    for name, text in pages.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")
    return root


def run(corpus: Path, work: Path, *extra: str) -> subprocess.CompletedProcess:
    return run_annotate("run", str(corpus), "-o", str(work / "out"), "--cache", str(work / "cache"),
                        "--no-ner", *extra, cwd=work)


def test_one_page_run_keeps_every_other_page(tmp_path):
    corpus = corpus_of(tmp_path / "corpus", {"a.txt": PAGE_A, "b.txt": PAGE_B})
    assert run(corpus, tmp_path).returncode == 0
    b_files = {k: v for k, v in tree_digest(tmp_path / "out").items() if "/b." in f"/{k}" or k.startswith("b.")}
    assert any(k.endswith("b.vrt") for k in b_files)
    (corpus / "a.txt").write_text(PAGE_A + "大连新增市场主体16万户\n", "utf-8")
    one = run(corpus / "a.txt", tmp_path)
    assert one.returncode == 0, one.stderr
    after = tree_digest(tmp_path / "out")
    assert {k: after.get(k) for k in b_files} == b_files  # b's exports untouched
    index = (tmp_path / "out" / "html" / "index.html").read_text("utf-8")
    assert 'href="a.html' in index and 'href="b.html' in index  # the index still lists both
    again = run(corpus, tmp_path)  # b was not forgotten by the cache either
    assert "1 processed, 1 unchanged" in again.stderr or "0 processed, 2 unchanged" in again.stderr


def test_sub_folder_run_keeps_the_rest(tmp_path):
    corpus = corpus_of(tmp_path / "corpus", {"x/a.txt": PAGE_A, "y/b.txt": PAGE_B})
    assert run(corpus, tmp_path).returncode == 0
    before = tree_digest(tmp_path / "out")
    assert run(corpus / "x", tmp_path).returncode == 0
    assert {k: v for k, v in tree_digest(tmp_path / "out").items() if "b." in k} == \
           {k: v for k, v in before.items() if "b." in k}


def test_a_page_removed_from_the_corpus_loses_its_exports_in_a_full_run_only(tmp_path):
    corpus = corpus_of(tmp_path / "corpus", {"a.txt": PAGE_A, "b.txt": PAGE_B})
    assert run(corpus, tmp_path).returncode == 0
    (corpus / "b.txt").unlink()
    assert run(corpus / "a.txt", tmp_path).returncode == 0
    assert (tmp_path / "out" / "vrt" / "b.vrt").is_file()  # not this run's business
    assert run(corpus, tmp_path).returncode == 0
    assert not (tmp_path / "out" / "vrt" / "b.vrt").exists()


def test_chinese_and_colliding_file_names_all_get_their_own_ids(tmp_path):
    corpus = corpus_of(tmp_path / "corpus", {
        "大连日报.txt": PAGE_A, "人民日报.txt": PAGE_B, "a b.txt": PAGE_A, "a-b.txt": PAGE_B,
        "c.txt": PAGE_A, "sub/c.txt": PAGE_B, "UPPER.TXT": PAGE_B,
    })
    proc = run(corpus, tmp_path, "--layers", "vrt")
    assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in (tmp_path / "out" / "vrt").iterdir())
    assert "da-lian-ri-bao.vrt" in names and "ren-min-ri-bao.vrt" in names
    assert "a-b.vrt" in names and "c.vrt" in names and "sub-c.vrt" in names and "UPPER.vrt" in names
    assert len(names) == 7
    assert "a b.txt has the document ID a-b-" in proc.stderr  # said, with the stable disambiguator
    assert "sub/c.txt has the document ID sub-c" in proc.stderr
    assert run(corpus, tmp_path, "--layers", "vrt").returncode == 0
    assert sorted(p.name for p in (tmp_path / "out" / "vrt").iterdir()) == names  # stable


def test_dropped_layers_leave_no_stale_files(tmp_path):
    corpus = corpus_of(tmp_path / "corpus", {"a.txt": PAGE_A})
    assert run(corpus, tmp_path).returncode == 0
    assert (tmp_path / "out" / "html" / "a.html").is_file()
    assert run(corpus, tmp_path, "--layers", "tei").returncode == 0
    left = sorted(str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert left and all(p.startswith("tei/") for p in left), left


def test_a_failed_export_leaves_no_half_set(tmp_path):
    corpus = corpus_of(tmp_path / "corpus", {"a.txt": PAGE_A})
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "vrt").write_text("a file where a folder should be", "utf-8")
    proc = run(corpus, tmp_path, "--layers", "tei,vrt,conllu")
    assert proc.returncode == 3 and "Traceback" not in proc.stderr
    assert "failed" in proc.stderr and "vrt" in proc.stderr
    assert not list((tmp_path / "out").glob("tei/a.*")) and not list((tmp_path / "out").glob("conllu/*"))


def test_mojibake_page_is_refused_with_the_hint(tmp_path):
    page = tmp_path / "moji.txt"
    page.write_bytes(PAGE_A.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8"))
    proc = run_annotate("ingest", str(page))
    assert proc.returncode == 3
    assert "mojibake" in proc.stderr and "--encoding" in proc.stderr and "moji.txt" in proc.stderr


@pytest.mark.parametrize(
    "args",
    [["--batch-size", "0"], ["--batch-size", "-3"], ["--beam-size", "0"], ["--beam-size", "-1"],
     ["--threads", "-1"], ["--jobs", "0"], ["--batch-size", "two"],
     ["--encoding", "rot13"], ["--encoding", "hex"], ["--encoding", "base64"], ["--encoding", "zlib"],
     ["--encoding", "no-such-codec"], ["--layers", ""], ["--layers", "tei,pdf"]],
)
def test_bad_option_values_are_one_line_usage_errors(tmp_path, args):
    corpus = corpus_of(tmp_path / "corpus", {"a.txt": PAGE_A})
    proc = run(corpus, tmp_path, *args)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and args[0] in proc.stderr
    assert not (tmp_path / "out").exists()


def test_cache_that_is_a_file_names_the_cache_flag(tmp_path):
    corpus = corpus_of(tmp_path / "corpus", {"a.txt": PAGE_A})
    (tmp_path / "cache").write_text("not a folder", "utf-8")
    proc = run(corpus, tmp_path)
    assert proc.returncode == 4
    assert "cache folder is a file" in proc.stderr and "--cache" in proc.stderr and "with -o" not in proc.stderr


def test_unknown_setting_in_annotate_toml_names_key_and_file(tmp_path):
    corpus_of(tmp_path / "corpus", {"a.txt": PAGE_A})
    (tmp_path / "annotate.toml").write_text('corpus = "corpus"\nbeam_szie = 4\n', "utf-8")
    proc = run_annotate("run", cwd=tmp_path)
    assert proc.returncode == 3
    assert "beam_szie" in proc.stderr and "annotate.toml" in proc.stderr and "Traceback" not in proc.stderr
    (tmp_path / "annotate.toml").write_text('corpus = "corpus"\njobs = 0\n', "utf-8")
    proc = run_annotate("run", cwd=tmp_path)
    assert proc.returncode == 3 and "jobs" in proc.stderr and "at least 1" in proc.stderr


def test_fifo_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "page.txt"
    os.mkfifo(fifo)
    proc = subprocess.run([sys.executable, "-m", "annotate", "ingest", str(fifo)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 3 and "not a regular file" in proc.stderr


def test_workers_die_with_a_killed_parent(tmp_path):
    pages = {f"p{i}.txt": PAGE_A * 40 for i in range(6)}
    corpus = corpus_of(tmp_path / "corpus", pages)
    cmd = [sys.executable, "-m", "annotate", "run", str(corpus), "-o", str(tmp_path / "out"),
           "--cache", str(tmp_path / "cache"), "-j", "2", "-q"]
    parent = subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "ARGOS_PACKAGES_DIR": str(tmp_path / "none")})
    workers: list[int] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(workers) < 2:
        time.sleep(0.5)
        workers = _children(parent.pid)
    assert len(workers) >= 2, "the run never started its workers"
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.5)
    alive = [pid for pid in workers if _alive(pid)]
    for pid in alive:
        os.kill(pid, signal.SIGKILL)
    assert not alive, f"workers outlived their parent: {alive}"


def _children(pid: int) -> list[int]:
    out = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid) and "python" in fields.get("Name", ""):
            out.append(int(status.parent.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "State:\tZ" not in state


def test_a_page_too_large_to_annotate_fails_alone_with_one_line(tmp_path):
    corpus = corpus_of(tmp_path / "corpus", {"a.txt": PAGE_A})
    (corpus / "huge.txt").write_text("大连市深化改革，优化营商环境。" * 120_000, "utf-8")  # 5.4 MB
    proc = run(corpus, tmp_path, "--layers", "vrt")
    assert proc.returncode == 3 and "Traceback" not in proc.stderr
    assert "huge.txt" in proc.stderr and "more than the 4 MB" in proc.stderr and "max_page_mb" in proc.stderr
    assert (tmp_path / "out" / "vrt" / "a.vrt").is_file() and not (tmp_path / "out" / "vrt" / "huge.vrt").exists()


def test_a_sentence_without_punctuation_is_cut_with_a_warning_and_loses_nothing(tmp_path):
    """Item 7: 6,300 characters with no sentence end (33k took 15.9 s, 133k 96 s) used to be one sentence (quadratic cost)."""
    from annotate.annotation.sentences import MAX_SENTENCE_CHARS

    body = "大连市深化改革优化营商环境推进智慧港口建设" * 300 + "，全市新增市场主体"
    corpus = corpus_of(tmp_path / "corpus", {"a.txt": PAGE_A, "ocr.txt": f"本报讯 {body}\n"})
    proc = run(corpus, tmp_path, "--layers", "vrt")
    assert proc.returncode == 0, proc.stderr
    assert "ocr.txt: 1 sentences longer than" in proc.stderr and "a.txt:" not in proc.stderr
    vrt = (tmp_path / "out" / "vrt" / "ocr.vrt").read_text("utf-8")
    sentences = vrt.split("<s ")[1:]
    assert len(sentences) >= len(body) // MAX_SENTENCE_CHARS
    forms = "".join(line.split("\t")[0] for line in vrt.splitlines() if line and not line.startswith("<"))
    assert body in forms  # every character is still there, in order
