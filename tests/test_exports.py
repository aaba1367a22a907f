"""Exports on the bundled page (ingested, annotated, linked to the glossary, glossed) and on the
hand-built sample: TEI P5 valid against tei_all.rng and round-tripping, the English twin, the
corpus root, CoNLL-U through the official UD validator; all deterministic and written atomically.
VRT: tests/test_vrt.py; TMX: tests/test_tmx.py; TBX: tests/test_tbx.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from annotate.export.conllu import write_conllu
from annotate.export.tei import gloss_id, tei_documents, write_tei, write_tei_corpus
from annotate.export.tmx import write_tmx
from annotate.export.validate import validate_tei
from annotate.export.vrt import write_vrt
from annotate.export.xmlsafe import illegal_characters
from annotate.glossary import load_glossary
from annotate.ingest import ingest_file
from annotate.model import Entity, TermLink
from annotate.translate.gloss import Glosser
from conftest_exports import (
    TEI,
    XML_ID,
    XML_LANG,
    all_ids,
    annotator,
    expected_spans,
    read_tei_en,
    read_tei_zh,
    token_ranges,
)
from sample_docs import mixed_origins, sample_document, sample_glossary
from support import ROOT

EXAMPLE = ROOT / "corpus" / "raw" / "dalian-daily-2019-economy.txt"


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(ROOT / "glossary")


@pytest.fixture(scope="module")
def example(glossary):
    """The bundled page through every stage but MT (no model is installed in tests): gloss only."""
    doc = annotator().annotate(ingest_file(EXAMPLE))
    glossary.link_document(doc)
    Glosser(glossary.by_id).gloss_document(doc)
    return doc


@pytest.fixture(scope="module")
def example_tei(example, glossary):
    return tei_documents(example, glossary.entries)


# -- TEI -------------------------------------------------------------------------------------------
def test_every_tei_file_validates_against_tei_all(example_tei):
    for doc, entries in ((sample_document(), sample_glossary()), (sample_document(translated=False), []),
                         (mixed_origins(), sample_glossary())):
        zh, en = tei_documents(doc, entries)
        assert validate_tei(zh, "zh") == [] and validate_tei(en, "en") == []
    zh, en = example_tei
    assert validate_tei(zh, "zh") == [] and validate_tei(en, "en") == []


def test_tei_round_trip_recovers_tokens_names_terms(example, example_tei):
    got = read_tei_zh(example_tei[0])
    assert [s["id"] for s in got["sentences"]] == [s.id for s in example.sentences]
    tokens = [t for s in got["sentences"] for t in s["tokens"]]
    assert len(tokens) == len(example.tokens) > 1000
    for r, t in zip(tokens, example.tokens, strict=True):
        assert (r["id"], r["text"], r["pos"]) == (t.id, t.text, t.upos)
        assert r["tag"] == ("pc" if t.is_punct else "w")
        assert (r["join"] == "right") == (not t.space_after)
        if not t.is_punct:
            assert r["lemma"] == t.lemma
            assert r["pinyin"] == (t.pinyin if t.pinyin != t.text else "")
    names, terms = expected_spans(example, gloss_id)
    assert got["names"] == names and got["terms"] == terms
    # against the model directly, not only through the writer's own span logic
    assert sum(names.values()) == len({(e.type, token_ranges(s, e.start, e.end)) for s in example.sentences
                                       for e in s.entities}) > 10
    assert sum(terms.values()) == len({(t.entry_id, token_ranges(s, t.start, t.end)) for s in example.sentences
                                       for t in s.terms}) > 5
    reporter = next(el for el in got["root"].iter(f"{TEI}name") if "".join(el.itertext()).strip() == "杨丽娟")
    assert reporter.get("type") == "PER" and next(reporter.iterancestors(f"{TEI}byline"), None) is not None
    # every term reference resolves to a category of the header's glossary taxonomy
    cats = {c.get(XML_ID): c for c in got["root"].iter(f"{TEI}category")}
    assert {ref for ref, _ in got["terms"]} == set(cats)  # only the entries the page uses


def test_tei_header(example, example_tei, glossary):
    root = etree.fromstring(example_tei[0])
    assert root.get(XML_LANG) == "zh-Hans"
    h = root.find(f"{TEI}teiHeader")
    titles = [(t.get("type"), t.get(XML_LANG), t.text) for t in h.find(f".//{TEI}titleStmt").iter(f"{TEI}title")]
    assert ("main", "zh-Hans", example.meta["title"]) in titles and ("main", "en", example.meta["title_en"]) in titles
    bibl = h.find(f".//{TEI}sourceDesc/{TEI}bibl")
    assert bibl.find(f"{TEI}title").text == example.meta["source"]
    assert bibl.find(f"{TEI}date").text == "covers 2019"  # the page has no publication date, only the year it covers
    assert h.find(f".//{TEI}licence").text == example.meta["licence"]
    apps = {a.get("ident"): a.get("version") for a in h.iter(f"{TEI}application")}
    assert {k: v for k, v in apps.items() if k in ("jieba", "spacy")} == {k: example.tools[k] for k in ("jieba", "spacy")}
    norm = " ".join(p.text for p in h.iter(f"{TEI}p"))
    assert "join-line" in norm and "0 characters that XML 1.0 forbids were removed" in norm
    by_id = glossary.by_id
    for cat in h.iter(f"{TEI}category"):
        entry = by_id[cat.get("n")]
        zh_terms = [t.text for t in cat.find(f"{TEI}catDesc[@{{http://www.w3.org/XML/1998/namespace}}lang='zh-Hans']")]
        assert zh_terms == entry.forms
        assert cat.find(f".//{TEI}term[@type='{entry.status}']").text == entry.target


def test_english_twin_pairs_every_sentence(example, example_tei):
    zh_ids = all_ids(etree.fromstring(example_tei[0]))
    en = read_tei_en(example_tei[1])
    assert en["root"].get(XML_LANG) == "en"
    assert [s["id"] for s in en["sentences"]] == [f"en.{s.id}" for s in example.sentences]
    for s, m in zip(en["sentences"], example.sentences, strict=True):
        doc_file, _, target = s["corresp"].partition("#")
        assert doc_file == f"{example.id}.zh.xml" and target == m.id and target in zh_ids
        # no model in tests: the English is the word gloss, marked as such
        assert (s["type"], s["text"]) == (("gloss", m.gloss) if m.gloss else ("untranslated", None))
    assert en["links"] == [[f"{example.id}.zh.xml#{s.id}", f"#en.{s.id}"] for s in example.sentences]
    assert not (en["ids"] & zh_ids)  # both files can be loaded together


def test_flags_naming_chinese_words_get_distinct_ids():
    """An LLM draft's flags name what is missing (name-missing:上海, name-missing:东京): each
    needs its own xml:id, or the TEI file is not well-formed XML (duplicate ID) and TXM refuses it."""
    doc = mixed_origins()
    missing = ["name-missing:上海", "name-missing:东京", "number-missing:200万", "repetition"]
    doc.sentences[0].translation.flags = missing
    en = read_tei_en(tei_documents(doc, sample_glossary())[1])
    flags = {c.get(XML_ID): c.find(f"{TEI}catDesc").text for c in en["root"].iter(f"{TEI}category")}
    head = next(s for s in en["sentences"] if s["id"] == f"en.{doc.sentences[0].id}")
    assert sorted(flags[a[1:]] for a in head["ana"].split()) == sorted(missing)


def test_english_twin_marks_how_each_sentence_was_made():
    doc = mixed_origins()
    en = read_tei_en(tei_documents(doc, sample_glossary())[1])
    resp = {r.get(XML_ID): r for r in en["root"].iter(f"{TEI}respStmt")}
    got = {s["id"]: s for s in en["sentences"]}
    head, by, para, cap = (got[f"en.{s.id}"] for s in doc.sentences)
    assert (head["type"], head["text"]) == ("mt", doc.sentences[0].translation.text)
    assert resp[head["resp"][1:]].find(f"{TEI}name").text == "tiny-zh-en 1.0"
    flags = {c.get(XML_ID): c.find(f"{TEI}catDesc").text for c in en["root"].iter(f"{TEI}category")}
    assert sorted(flags[a[1:]] for a in head["ana"].split()) == ["repetition", "untranslated-chinese"]
    assert (by["type"], by["text"]) == ("gloss", "this paper reports reporter Yang Lijuan report")
    assert "gloss" in resp[by["resp"][1:]].find(f"{TEI}resp").text
    assert (para["type"], para["text"], para["resp"][1:] in resp) == ("human", "Dalian deepened the reform.", True)
    assert (cap["type"], cap["text"], cap["gap"], cap["resp"]) == ("untranslated", None, True, None)


def test_crossing_name_and_term_keep_the_name_inline_and_the_term_stand_off():
    doc = sample_document()
    s = doc.articles[0].blocks[2].sentences[0]  # 2019年 ， 大连 深化 “ 放管服 ” ...
    s.terms.append(TermLink(entry_id="fangguanfu", surface="大连深化", start=6, end=10))
    s.entities.append(Entity(id=f"{s.id}.e3", type="ORG", start=8, end=14, text="深化“放管服"))  # crosses the term
    s.entities.append(Entity(id=f"{s.id}.e4", type="LOC", start=12, end=13, text="管"))  # inside a token: widened
    zh, _ = tei_documents(doc, sample_glossary())
    assert validate_tei(zh) == []
    got = read_tei_zh(zh)
    w = [t.id for t in s.tokens]
    root = got["root"]
    standoff = [(sp.get("ana"), sp.get("target")) for sp in root.iter(f"{TEI}span")]
    assert standoff == [(f"#{gloss_id(doc.id, 'fangguanfu')}", f"#{w[2]} #{w[3]}")]
    org = next(el for el in root.iter(f"{TEI}name") if el.get("type") == "ORG")
    assert [x.get(XML_ID) for x in org.iter(f"{TEI}w", f"{TEI}pc")] == w[3:6]
    # the original 放管服 link nests inside the widened LOC, inside the ORG
    [term] = [el for el in root.iter(f"{TEI}term") if el.get("ref")]
    assert [a.get("type") for a in term.iterancestors(f"{TEI}name")] == ["LOC", "ORG"]
    assert got["names"][("LOC", (w[5],))] == 1 and got["names"][("LOC", (w[2],))] == 1
    names, terms = expected_spans(doc, gloss_id)
    assert got["names"] == names and got["terms"] == terms


def test_control_characters_are_removed_counted_and_nothing_else_changes():
    doc = sample_document()
    doc.meta["title"] = "样例\x01版面"
    tok = doc.sentences[0].tokens[0]
    tok.text = "大\x0b连"
    doc.sentences[0].translation.text = "Dalian\x1f deepens reform"
    assert illegal_characters(doc) == 2  # title and translation; tokens are slices of the block text
    zh, en = tei_documents(doc, sample_glossary())
    assert validate_tei(zh) == [] and validate_tei(en) == []
    assert b"\x01" not in zh and b"\x0b" not in zh and b"\x1f" not in en
    assert "2 characters that XML 1.0 forbids were removed" in zh.decode()
    assert read_tei_zh(zh)["sentences"][0]["tokens"][0]["text"] == "大连"
    assert "Dalian deepens reform" in en.decode()
    assert "样例版面" in zh.decode()


def test_corpus_root_includes_every_file_and_validates(tmp_path, glossary):
    docs = [sample_document("page-b"), sample_document("page-a", translated=False)]
    for d in docs:
        write_tei(d, sample_glossary(), tmp_path)
    root_file = write_tei_corpus([(d.id, d.meta["title"]) for d in docs], tmp_path)
    assert root_file == tmp_path / "corpus.xml"
    assert validate_tei(root_file) == []  # after XInclude: IDs unique across all documents
    hrefs = [x.get("href") for x in etree.parse(str(root_file)).iter("{http://www.w3.org/2001/XInclude}include")]
    assert hrefs == ["page-a.zh.xml", "page-a.en.xml", "page-b.zh.xml", "page-b.en.xml"]
    # an error inside an included document names that document and its line
    bad = (tmp_path / "page-b.zh.xml").read_text("utf-8").replace('<s xml:id="page-b.a1.p1.s1">', '<s xml:id="page-b.a1.p1.s1" bogus="1">')
    (tmp_path / "page-b.zh.xml").write_text(bad, "utf-8")
    errors = validate_tei(root_file)
    assert errors and all(re.match(rf"{re.escape(str(tmp_path / 'page-b.zh.xml'))}:\d+: ", e) for e in errors), errors


def test_validate_tei_reports_file_and_line(tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'>\n<teiHeader>\n</TEI>\n", "utf-8")
    [err] = validate_tei(broken)
    assert err.startswith(f"{broken}:3: not well-formed")
    invalid = tmp_path / "invalid.xml"
    invalid.write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'>\n<text/>\n</TEI>\n", "utf-8")
    errors = validate_tei(invalid)
    assert errors and all(re.match(rf"{re.escape(str(invalid))}:\d+: \S", e) for e in errors)
    assert validate_tei(tmp_path / "missing.xml")[0].startswith(f"{tmp_path / 'missing.xml'}:0: cannot read")


def test_teitok_stylesheet_in_the_docs_gives_back_every_sentence(example, example_tei):
    docs = (ROOT / "docs" / "exports.md").read_text("utf-8")
    xsl = re.search(r"```xml\n(<!-- teitok.xsl.*?)```", docs, re.S).group(1)
    out = etree.XSLT(etree.XML(xsl.encode("utf-8")))(etree.fromstring(example_tei[0])).getroot()
    assert out.tag == "TEI" and not list(out.iter("{*}w"))  # no namespace, no <w> left
    sentences = {s.get(XML_ID): s for s in out.iter("s")}
    for m in example.sentences:
        toks = sentences[m.id].findall(".//tok")
        assert [t.text for t in toks] == [t.text for t in m.tokens]
        assert [t.get("lemma") for t in toks] == [t.lemma if not t.is_punct else None for t in m.tokens]
        assert "".join(sentences[m.id].itertext()).rstrip() == " ".join(m.text.split())  # spacing as in the page


# -- files -----------------------------------------------------------------------------------------
def test_writers_are_deterministic_and_atomic(tmp_path, example, glossary):
    def write_all(out: Path) -> dict[str, bytes]:
        paths = write_tei(example, glossary.entries, out / "tei")
        paths += [write_vrt(example, out / "vrt"), write_conllu(example, out / "conllu"), write_tmx(example, out / "tmx")]
        paths.append(write_tei_corpus([(example.id, example.meta["title"])], out / "tei"))
        return {str(p.relative_to(out)): p.read_bytes() for p in paths}

    first = write_all(tmp_path / "a")
    assert sorted(first) == ["conllu/dalian-daily-2019-economy.conllu", "tei/corpus.xml",
                             "tei/dalian-daily-2019-economy.en.xml", "tei/dalian-daily-2019-economy.zh.xml",
                             "tmx/dalian-daily-2019-economy.tmx", "vrt/dalian-daily-2019-economy.vrt"]
    assert write_all(tmp_path / "a") == first == write_all(tmp_path / "b")
    leftovers = [p for p in (tmp_path / "a").rglob("*") if p.is_file() and str(p.relative_to(tmp_path / "a")) not in first]
    assert leftovers == []  # no temp files
