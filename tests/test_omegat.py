"""OmegaT itself (Debian's omegat, console mode) loads our glossary export and our TMX.

A tiny OmegaT project (zh-CN → en) gets: the glossary exported with ``--format omegat``;
document A's TMX in ``tm/mt/`` (where docs/exports.md says machine translation goes);
document B's TMX in ``tm/auto/`` (OmegaT's folder for memories it applies by itself, as a
control that OmegaT really matches our units); and a TMX written with ``zh-Hans``.  OmegaT
translates the project; a Groovy script (tests/omegat/probe.groovy) prints what OmegaT's own
readers took from each glossary and memory file.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from annotate.export.tmx import write_tmx
from annotate.glossary import load_glossary
from annotate.glossary.formats import export_omegat
from annotate.model import Article, Block, Document, Sentence, Translation
from support import GLOSSARY, ROOT, corpus_sentences

OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")
PROBE = ROOT / "tests" / "omegat" / "probe.groovy"

pytestmark = pytest.mark.skipif(shutil.which("java") is None or not OMEGAT_JAR.exists(),
                                reason="Debian's OmegaT is not installed (apt install omegat)")

PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <source_dir_excludes/>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>zh-CN</source_lang>
    <target_lang>en</target_lang>
    <source_tok>org.omegat.tokenizer.LuceneSmartChineseTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
    <sentence_seg>false</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""


def machine_translated(doc_id: str, sentences: list[str]) -> Document:
    """A document whose sentences carry a machine translation (what `annotate run` makes with a model)."""
    blocks = []
    for n, text in enumerate(sentences, 1):
        s = Sentence(id=f"{doc_id}.a1.p{n}.s1", start=0, end=len(text), text=text,
                     translation=Translation(text=f"English of {doc_id} sentence {n}.", origin="mt", model="argos zh-en 1.9"))
        blocks.append(Block(id=f"{doc_id}.a1.p{n}", kind="paragraph", text=text, sentences=[s]))
    return Document(id=doc_id, articles=[Article(id=f"{doc_id}.a1", blocks=blocks)])


@pytest.fixture(scope="module")
def omegat_run(tmp_path_factory):
    project = tmp_path_factory.mktemp("omegat-project")
    for folder in ("source", "target", "glossary", "dictionary", "omegat", "tm/mt", "tm/auto", "tm/other"):
        (project / folder).mkdir(parents=True)
    (project / "omegat.project").write_text(PROJECT, "utf-8")
    sentences = corpus_sentences(7)
    doc_a, doc_b = machine_translated("doc-a", sentences[:3]), machine_translated("doc-b", sentences[3:6])
    write_tmx(doc_a, project / "tm" / "mt")
    write_tmx(doc_b, project / "tm" / "auto")
    write_tmx(machine_translated("doc-c", sentences[6:]), project / "tm" / "other", source_lang="zh-Hans")
    (project / "source" / "page.txt").write_text("\n\n".join(sentences[:6]) + "\n", "utf-8")
    glossary = load_glossary(GLOSSARY)
    export_omegat(glossary, project / "glossary" / "annotate.utf8")
    home = tmp_path_factory.mktemp("omegat-home")
    out = subprocess.run(
        ["java", "-Djava.awt.headless=true", "-jar", str(OMEGAT_JAR), str(project), "--mode=console-translate",
         f"--script={PROBE}", f"--config-dir={home / 'config'}"],
        capture_output=True, text=True, timeout=600, env={**os.environ, "HOME": str(home)})
    assert out.returncode == 0, out.stderr[-2000:]
    probes = [json.loads(ln[len("PROBE "):]) for ln in out.stdout.splitlines() if ln.startswith("PROBE ")]
    return {
        "glossary": glossary, "docs": (doc_a, doc_b), "log": out.stderr,
        "glossaries": {p["glossary"]: p for p in probes if "glossary" in p},
        "memories": {p["tm"]: p["entries"] for p in probes if "tm" in p},
        "target": (project / "target" / "page.txt").read_text("utf-8"),
    }


def test_omegat_loads_every_glossary_entry_and_no_header(omegat_run):
    loaded = omegat_run["glossaries"]["annotate.utf8"]
    assert loaded["error"] is None
    expected = [[e.source, e.target, e.comment] for e in omegat_run["glossary"].entries]
    assert loaded["entries"] == expected
    assert all(src != "source" for src, _, _ in loaded["entries"])  # a header row would be an entry


def test_omegat_reads_every_unit_of_our_tmx(omegat_run):
    for folder, doc in zip(("mt", "auto"), omegat_run["docs"], strict=True):
        pairs = [[s.text, s.translation.text] for s in doc.sentences]
        assert omegat_run["memories"][f"{folder}/{doc.id}.tmx"] == pairs


def test_machine_translation_in_tm_mt_is_not_applied_as_a_translation(omegat_run):
    doc_a, doc_b = omegat_run["docs"]
    target = omegat_run["target"]
    for s in doc_a.sentences:  # tm/mt: offered as a match, never written into the translation
        assert s.text in target and s.translation.text not in target
    for s in doc_b.sentences:  # the control: the same kind of file in tm/auto is applied
        assert s.translation.text in target and s.text not in target


def test_zh_cn_matches_the_project_and_zh_hans_would_not(omegat_run):
    # OmegaT warns once per memory whose source language differs from the project's: only doc-c's
    warnings = [ln for ln in omegat_run["log"].splitlines() if "TMXR_WARNING_INCORRECT_SOURCE_LANG" in ln]
    assert len(warnings) == 1 and "zh-Hans" in warnings[0]
