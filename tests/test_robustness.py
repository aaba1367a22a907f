"""Bad input and interruptions through `annotate run`: clear errors, nothing lost, nothing half-written.

Each case is what a user would meet: a folder of pages in odd encodings, a page that
is not text, a broken glossary, an output folder that cannot be written, a run killed
part-way.  Exit codes are the documented ones (README, "Exit codes").
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support import PAGE, tree_digest
from support import run_annotate as annotate

ARTICLE = (
    "本报讯 记者王芳报道 2019年，大连市新增市场主体16万户，同比增长12.5%。\n"
    "全市深化“放管服”改革，优化营商环境。\n\n"
    "大连新增市场主体16万户\n"
)
LAYERS = "vrt,conllu,tei"


def run_corpus(corpus: Path, work: Path, *extra: str) -> subprocess.CompletedProcess:
    return annotate("run", str(corpus), "-o", str(work / "exports"), "--cache", str(work / "cache"),
                    "--layers", LAYERS, *extra, cwd=work)


def test_odd_encodings_all_ingest(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "gb18030.txt").write_bytes(ARTICLE.encode("gb18030"))
    (corpus / "big5.txt").write_bytes("本報訊 記者王芳報道 臺灣經濟發展，市場主體增長。\n".encode("big5"))
    (corpus / "utf16.txt").write_bytes(ARTICLE.encode("utf-16"))
    (corpus / "utf8-bom.txt").write_bytes(b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"))
    (corpus / "mixed-eol.txt").write_bytes(ARTICLE.replace("\n", "\r\n", 1).encode("utf-8"))
    (corpus / "latin-only.txt").write_text("Dalian Daily, English edition.\n\nThe city grew 6.5% in 2019.\n", "utf-8")
    (corpus / "no-punctuation.txt").write_text("大连市新增市场主体十六万户\n全市深化放管服改革\n", "utf-8")
    (corpus / "controls.txt").write_text("大连\x01市新增\x0b市场主体。\x1f\n", "utf-8")
    proc = run_corpus(corpus, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "8 processed" in proc.stderr
    vrt = (tmp_path / "exports" / "vrt" / "gb18030.vrt").read_text("utf-8")
    assert "放管服" in vrt and "大连" in vrt
    assert "灣" in (tmp_path / "exports" / "vrt" / "big5.vrt").read_text("utf-8")
    controls = (tmp_path / "exports" / "tei" / "controls.zh.xml").read_bytes()
    assert b"\x01" not in controls and "市场".encode() in controls


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "file is empty"),
        ("blank.txt", b" \n\t\n\r\n", "only whitespace"),
        ("binary.txt", bytes(range(256)) * 8, "binary"),
        ("bad-utf8.txt", "大连市新增市场主体".encode() * 50 + b"\xed\xa0\x80" + "大连".encode() * 50, "UTF-8"),
    ],
)
def test_bad_page_is_one_line_and_the_rest_still_runs(tmp_path, name, data, message):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(ARTICLE, "utf-8")
    (corpus / name).write_bytes(data)
    proc = run_corpus(corpus, tmp_path)
    assert proc.returncode == 3, proc.stderr
    failed = [line for line in proc.stderr.splitlines() if "failed" in line and name in line]
    assert len(failed) == 1 and message in failed[0], proc.stderr
    assert "Traceback" not in proc.stderr
    assert (tmp_path / "exports" / "vrt" / "good.vrt").is_file()
    assert not (tmp_path / "exports" / "vrt" / name.replace(".txt", ".vrt")).exists()


def test_huge_single_line_page_ingests(tmp_path):
    page = tmp_path / "huge.txt"
    unit = "大连市深化放管服改革优化营商环境，全市新增企业160户。"
    page.write_text(unit * (20_000_000 // len(unit.encode())), "utf-8")
    assert page.stat().st_size > 19_000_000
    started = time.perf_counter()
    proc = annotate("ingest", str(page), "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert time.perf_counter() - started < 120  # generous: a guard against quadratic behaviour, not a benchmark
    got = json.loads(proc.stdout)
    text = "".join(p for a in got["articles"] for p in a["paragraphs"])
    assert text.count("放管服") == page.read_text("utf-8").count("放管服")


def test_broken_glossary_warns_and_the_run_continues(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(ARTICLE, "utf-8")
    glossary = tmp_path / "glossary"
    glossary.mkdir()
    (glossary / "terms.tsv").write_text(
        "source\ttarget\tcomment\tid\tstatus\n"
        "放管服\tstreamline administration\t\tfang-guan-fu\tapproved\n"
        "\tmissing source\t\tbroken-1\tdraft\n"
        "营商环境\tbusiness environment\t\tying-shang\tapproved\textra\tcells\tbeyond\tthe\theader\tfor\tsure\tyes\n",
        "utf-8",
    )
    proc = run_corpus(corpus, tmp_path, "--glossary", str(glossary))
    assert proc.returncode == 0, proc.stderr
    problems = [line for line in proc.stderr.splitlines() if line.startswith("glossary:")]
    assert any("terms.tsv:3" in p for p in problems) and any("terms.tsv:4" in p for p in problems)
    assert "fang-guan-fu" in (tmp_path / "exports" / "vrt" / "good.vrt").read_text("utf-8")


def test_unwritable_exports_is_one_line_error(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(ARTICLE, "utf-8")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the exports folder should be", "utf-8")
    proc = annotate("run", str(corpus), "-o", str(blocker / "exports"), "--cache", str(tmp_path / "cache"), cwd=tmp_path)
    assert proc.returncode == 4, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "not-a-folder" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_killed_run_resumes_and_matches_a_clean_run(tmp_path, sig):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = PAGE.read_text("utf-8")
    for i in range(6):
        (corpus / f"page-{i}.txt").write_text(text.replace("2019", str(2010 + i)), "utf-8")
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(tmp_path / ".no-models")}
    cmd = [sys.executable, "-m", "annotate", "run", str(corpus), "-o", str(tmp_path / "exports"),
           "--cache", str(tmp_path / "cache"), "--layers", LAYERS]
    proc = subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    state = tmp_path / "cache" / "state"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(state.glob("*.json"))) < 2 and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "the run finished before it could be interrupted"
    proc.send_signal(sig)
    proc.wait(timeout=60)
    assert proc.returncode != 0
    done_before = len(list(state.glob("*.json")))
    assert 2 <= done_before < 6

    resumed = run_corpus(corpus, tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{done_before} unchanged" in resumed.stderr
    leftovers = [p for p in tmp_path.rglob(".annotate-tmp-*")]
    assert leftovers == []

    clean = tmp_path / "clean"
    clean.mkdir()
    assert run_corpus(corpus, clean).returncode == 0
    assert tree_digest(tmp_path / "exports") == tree_digest(clean / "exports")
    shutil.rmtree(clean)
