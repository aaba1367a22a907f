"""The contract every registered exporter keeps (translate-toolkit style: one suite, every format).

A format added to the registry (src/annotate/exporters.py) runs these tests without
being named here: byte-identical output for the same input, any text at all (XML-
forbidden characters, markup, quotes) gives well-formed files, every sentence (and,
where the format has token IDs, every token) is in the output, and a write that fails
leaves the previous file whole and no temporary file behind.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

from annotate.errors import EnvironmentProblem
from annotate.exporters import EXPORTERS, LAYERS, ExportTarget, exporters
from annotate.fsutil import TEMP_PREFIX
from annotate.glossary.core import Glossary
from annotate.html import summarise_document
from annotate.model import Document, GlossaryEntry
from sample_docs import sample_document, sample_glossary
from support import tree_digest
from test_exports_property import ENTRIES, documents

DOCUMENT = [e for e in EXPORTERS if e.scope == "document"]
CORPUS = [e for e in EXPORTERS if e.scope == "corpus"]
#: What each layer's files say about a document: its sentence IDs always, its token IDs where
#: the format has them.  A new layer must say here what it carries.
CARRIES = {"tei": "tokens", "vrt": "sentences", "conllu": "sentences", "tmx": "translated sentences",
           "html": "sentences"}


def name(e: object) -> str:
    return f"{e.layer}-{type(e).__name__}"


def target(out: Path, entries=None) -> ExportTarget:
    return ExportTarget(out, Glossary(entries if entries is not None else sample_glossary()))


def test_every_layer_is_declared_and_has_exporters():
    assert set(LAYERS) == {e.layer for e in EXPORTERS}
    assert set(CARRIES) == {e.layer for e in DOCUMENT}, "say in CARRIES what the new layer's files carry"
    assert {e.layer for e in exporters(["tei"], "corpus")} == {"tei"}


@pytest.mark.parametrize("exporter", DOCUMENT, ids=name)
def test_same_document_gives_the_same_bytes(exporter, tmp_path):
    a = exporter.write(sample_document(), target(tmp_path / "a"))
    b = exporter.write(sample_document(), target(tmp_path / "b"))
    assert a and [p.name for p in a] == [p.name for p in b]
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")


@pytest.mark.parametrize("exporter", DOCUMENT, ids=name)
def test_every_sentence_and_token_is_in_the_output(exporter, tmp_path):
    doc = sample_document()
    text = "".join(p.read_text("utf-8") for p in exporter.write(doc, target(tmp_path)))
    carries = CARRIES[exporter.layer]
    sentences = [s for s in doc.sentences if carries != "translated sentences" or (s.english and s.english.is_translation)]
    assert sentences
    missing = [s.id for s in sentences if s.id not in text]
    assert not missing, f"{exporter.layer} lost sentences {missing}"
    if carries == "tokens":
        assert not [t.id for t in doc.tokens if f'"{t.id}"' not in text]


@pytest.mark.parametrize("exporter", DOCUMENT, ids=name)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=documents())
def test_any_text_gives_well_formed_files(exporter, tmp_path_factory, doc: Document):
    out = tmp_path_factory.mktemp("any")
    for path in exporter.write(doc, target(out, ENTRIES)):
        data = path.read_bytes()
        data.decode("utf-8")  # every format is UTF-8
        if path.suffix in (".xml", ".tmx", ".tbx"):
            etree.fromstring(data)  # well-formed, whatever the input held
        if path.suffix == ".html":
            assert b"<script>alert" not in data and b"\x01" not in data


@pytest.mark.parametrize("exporter", DOCUMENT + CORPUS, ids=name)
def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(exporter, tmp_path, monkeypatch):
    item = sample_document() if exporter.scope == "document" else [summarise_document(sample_document())]
    first = exporter.write(item, target(tmp_path))
    before = tree_digest(tmp_path)
    changed = sample_document(translated=False)
    changed.meta["title"] = "another title"
    item = changed if exporter.scope == "document" else [summarise_document(changed)]
    entries = [*sample_glossary(), GlossaryEntry(id="new", source="新词", target="new word", status="draft")]

    def disk_full(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(EnvironmentProblem):
        exporter.write(item, target(tmp_path, entries))
    monkeypatch.undo()
    assert tree_digest(tmp_path) == before
    assert all(p.is_file() for p in first)
    assert not list(tmp_path.rglob(TEMP_PREFIX + "*"))


@pytest.mark.parametrize("exporter", CORPUS, ids=name)
def test_corpus_files_are_the_same_for_the_same_summaries(exporter, tmp_path):
    summaries = [summarise_document(sample_document("doc-b")), summarise_document(sample_document("doc-a"))]
    exporter.write(summaries, target(tmp_path / "a"))
    exporter.write(list(reversed(summaries)), target(tmp_path / "b"))
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
