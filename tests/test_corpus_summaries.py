"""The corpus-level files are written from the summaries in the cache's state files, one at a
time, not from a list the run kept in memory: they must be the very files the in-memory
summaries give, and a run that finishes must not depend on what it held."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from support import GLOSSARY, PAGE, TEST_PAGES, run_annotate, tree_digest

CORPUS_FILES = ("html/index.html", "html/glossary.html", "html/search.html", "html/search/docs.js",
                "tei/corpus.xml", "tbx/glossary.tbx")


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> tuple[Path, Path, Path]:
    """A three-page corpus run with every layer: (corpus, exports, cache)."""
    work = tmp_path_factory.mktemp("summaries")
    corpus = work / "corpus"
    corpus.mkdir()
    shutil.copy(PAGE, corpus / PAGE.name)
    for name in ("xinhua-headline-first.txt", "several-short-articles.txt"):
        shutil.copy(TEST_PAGES / name, corpus / name)
    proc = run_annotate("run", str(corpus), "-o", str(work / "exports"), "--cache", str(work / "cache"), "-q",
                        env={"ARGOS_PACKAGES_DIR": str(work / "no-models")})
    assert proc.returncode == 0, proc.stderr
    return corpus, work / "exports", work / "cache"


def test_corpus_files_from_disk_equal_those_from_summaries_in_memory(run, tmp_path, monkeypatch):
    from annotate.config import Config
    from annotate.context import Context
    from annotate.html import summarise_document
    from annotate.pipeline import load_documents, write_corpus_files

    corpus, exports, cache = run
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-models"))
    again = tmp_path / "exports"
    shutil.copytree(exports, again)  # the documents' own files (the term index reads them)
    for rel in CORPUS_FILES:
        (again / rel).unlink()
    config = Config(corpus=corpus, exports=again, cache=tmp_path / "cache", glossary=GLOSSARY)
    shutil.copytree(cache, config.cache)
    ctx = Context(config)
    try:
        docs = load_documents(corpus, upto="translate", ctx=ctx)  # from the stage cache
        assert len(docs) == 3
        in_memory = [summarise_document(d) for d in reversed(docs)]  # any order: the writers sort
        write_corpus_files(ctx, in_memory)
    finally:
        ctx.close()
    from_disk, from_memory = tree_digest(exports), tree_digest(again)
    assert from_memory == from_disk
    assert all(rel in from_disk for rel in CORPUS_FILES)


def test_results_carry_no_summary_and_state_files_do(run):
    """What the main process keeps per page stays small: the summary is only on disk."""
    from annotate.pipeline import StoredSummaries

    corpus, exports, cache = run
    states = sorted((cache / "state").glob("[!_]*.json"))
    assert len(states) == 3
    ids = [p.stem for p in states]
    stored = StoredSummaries(cache, list(reversed(ids)))
    assert [s["id"] for s in stored] == ids  # in document-ID order, read one at a time
    assert stored[0] == json.loads(states[0].read_text("utf-8"))["result"]["summary"]
    index = (exports / "html" / "index.html").read_text("utf-8")
    assert all(f'href="{doc_id}.html"' in index for doc_id in ids)


def test_a_state_file_broken_before_the_corpus_files_is_a_one_line_error(run, tmp_path):
    from annotate.errors import EnvironmentProblem
    from annotate.pipeline import StoredSummaries

    corpus, exports, cache = run
    copy = tmp_path / "cache"
    shutil.copytree(cache, copy)
    victim = sorted((copy / "state").glob("[!_]*.json"))[1]
    stored = StoredSummaries(copy, [p.stem for p in (copy / "state").glob("[!_]*.json")])
    victim.write_text("{", "utf-8")
    with pytest.raises(EnvironmentProblem) as err:
        list(stored)
    assert str(victim) in str(err.value) and "\n" not in str(err.value).strip()
