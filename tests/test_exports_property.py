"""Property tests: whatever a document holds (any characters, XML-forbidden ones included;
names and terms that cross, nest or end inside a word; blocks in any order; every kind of
English), every export is well-formed and valid for its tool, and the TEI gives back the tokens,
names, terms and translation pairs."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree

from annotate.export.conllu import conllu_text
from annotate.export.tei import gloss_id, tei_documents
from annotate.export.tmx import tmx_bytes
from annotate.export.validate import validate_tei
from annotate.export.vrt import P_ATTRIBUTES, vrt_text
from annotate.export.xmlsafe import clean
from annotate.model import (
    BLOCK_KINDS,
    ENTITY_TYPES,
    Article,
    Block,
    Document,
    Entity,
    GlossaryEntry,
    Sentence,
    TermLink,
    Token,
    Translation,
)
from conftest_exports import annotator, expected_spans, nfc_safe, read_tei_en, read_tei_zh, ud_errors, vrt_problems

UPOS = ["NOUN", "VERB", "PROPN", "NUM", "PUNCT", "ADJ", "X"]
ENTRIES = [GlossaryEntry(id="t1", source="大连", target="Dalian", status="approved"),
           GlossaryEntry(id="odd id/2", source="改革", target="reform <&>", status="needs review")]

# Any character at all (lone surrogates and XML-forbidden controls included), weighted towards
# the ones that break writers.
chars = st.one_of(
    st.characters(),
    st.sampled_from("大连深化改革，。“”\x00\x01\x0b\x1f\ufffe\uffff\ud800 \t\n\r\u3000\xa0<&>\"'|=_#"),
)
texts = st.text(alphabet=chars, max_size=24)


@st.composite
def sentences(draw, block_id: str, text: str, start: int, end: int, n: int) -> Sentence:
    sid = f"{block_id}.s{n}"
    size = draw(st.integers(1, 4))
    tokens = []
    for i, m in enumerate(re.finditer(rf"\S{{1,{size}}}", text[start:end]), 1):
        a, b = start + m.start(), start + m.end()
        upos = draw(st.sampled_from(UPOS))
        tokens.append(Token(
            id=f"{sid}.w{i}", text=text[a:b], start=a, end=b, upos=upos, xpos=draw(st.sampled_from(["n", "", "a b|c=d", "\x01x"])),
            lemma=draw(st.one_of(st.just(text[a:b]), texts)), pinyin=draw(st.sampled_from(["", "dà lián", "gǎi gé", "x"])),
            pinyin_num=draw(st.sampled_from(["", "da4 lian2"])), is_punct=upos == "PUNCT",
            space_after=b < len(text) and text[b].isspace(), gloss=draw(st.sampled_from(["", "Dalian", "a  b"])),
        ))
    spans = st.tuples(st.integers(start, end), st.integers(0, 8)).map(lambda p: (p[0], min(end, p[0] + p[1])))
    entities = [Entity(id=f"{sid}.e{k}", type=draw(st.sampled_from(ENTITY_TYPES)), start=a, end=b, text=text[a:b])
                for k, (a, b) in enumerate(draw(st.lists(spans, max_size=3)), 1)]
    terms = [TermLink(entry_id=draw(st.sampled_from(["t1", "odd id/2", "not-in-glossary"])), surface=text[a:b], start=a, end=b)
             for a, b in draw(st.lists(spans, max_size=3))]
    origin = draw(st.sampled_from(["none", "mt", "gloss", "human", "empty"]))
    translation = None
    if origin != "none":
        translation = Translation(text="" if origin == "empty" else draw(texts), origin="mt" if origin == "empty" else origin,
                                  model=draw(st.sampled_from(["", "argos zh-en 1.9"])),
                                  flags=draw(st.lists(st.sampled_from(["repetition", "empty", "odd flag", "name-missing:上海", "name-missing:东京"]), max_size=2)))
    return Sentence(id=sid, start=start, end=end, text=text[start:end], tokens=tokens, entities=entities, terms=terms,
                    translation=translation, gloss=draw(st.sampled_from(["", "Dalian deepen", "\x02"])))


@st.composite
def blocks(draw, block_id: str, kind: str) -> Block:
    text = draw(texts)
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=2)))
    bounds = [0, *cuts, len(text)]
    b = Block(id=block_id, kind=kind, text=text)
    if draw(st.booleans()):  # annotated, or not (the TEI then carries the block text)
        b.sentences = [draw(sentences(block_id, text, a, z, n)) for n, (a, z) in enumerate(zip(bounds, bounds[1:], strict=False), 1)]
    return b


@st.composite
def documents(draw) -> Document:
    doc = Document(id="h", meta={"title": draw(texts), "source": draw(texts), "date": draw(st.sampled_from(["", "2019-12-30", "去年"])),
                                 "licence": draw(texts)},
                   content_hash="ab" * 32, tools={"jieba": "0.42.1", "glossary": "7eda6a108400", "3rd tool": "x 1.0"})
    for a in range(1, draw(st.integers(0, 2)) + 1):
        kinds = draw(st.lists(st.sampled_from([k for k in BLOCK_KINDS if k != "caption"]), max_size=5))
        doc.articles.append(Article(id=f"h.a{a}", blocks=[draw(blocks(f"h.a{a}.p{i}", k)) for i, k in enumerate(kinds, 1)]))
    doc.captions = [draw(blocks(f"h.c{i}", "caption")) for i in range(1, draw(st.integers(0, 2)) + 1)]
    return doc


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(documents())
def test_any_document_gives_valid_exports_and_a_faithful_tei(doc):
    zh, en = tei_documents(doc, ENTRIES)
    assert validate_tei(zh, "zh") == [] and validate_tei(en, "en") == []

    got = read_tei_zh(zh)
    assert [s["id"] for s in got["sentences"]] == [s.id for s in doc.sentences]
    for s, m in zip(got["sentences"], doc.sentences, strict=True):
        assert [(t["id"], t["text"]) for t in s["tokens"]] == [(t.id, clean(t.text)) for t in m.tokens]
        if not m.tokens:
            assert (s["text"] or "") == clean(m.text)
    names, terms = expected_spans(doc, gloss_id)
    assert got["names"] == names and got["terms"] == terms
    cats = {c.get("{http://www.w3.org/XML/1998/namespace}id") for c in got["root"].iter("{http://www.tei-c.org/ns/1.0}category")}
    assert {ref for ref, _ in terms} <= cats  # every term reference resolves

    english = read_tei_en(en)
    assert len(english["links"]) == len(english["sentences"]) == len(doc.sentences)
    for s, m in zip(english["sentences"], doc.sentences, strict=True):
        tr = m.translation
        if tr is not None and tr.origin in ("mt", "human") and clean(tr.text).strip():
            assert (s["type"], s["text"]) == (tr.origin, clean(tr.text))
        elif s["type"] == "gloss":
            assert s["text"].strip()
        else:
            assert s["type"] == "untranslated" and s["gap"]

    assert vrt_problems(vrt_text(doc), len(P_ATTRIBUTES)) == []

    conllu = conllu_text(doc)
    if nfc_safe(doc):
        assert ud_errors(conllu) == []

    tmx = etree.fromstring(tmx_bytes(doc))  # well-formed
    assert len(list(tmx.iter("tu"))) == sum(1 for s in doc.sentences if s.translation and s.translation.origin in ("mt", "human")
                                           and clean(s.translation.text).strip() and clean(s.text).strip())


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=80))
def test_any_page_through_ingest_and_annotation_gives_valid_tei(text):
    from annotate.ingest import ingest_text

    doc = ingest_text("标题\n\n" + text + "。\n", "p")
    assume(doc.articles or doc.captions)
    annotator().annotate(doc)
    zh, en = tei_documents(doc, [])
    assert validate_tei(zh, "zh") == [] and validate_tei(en, "en") == []
    assert vrt_problems(vrt_text(doc), len(P_ATTRIBUTES)) == []
    if nfc_safe(doc):
        assert ud_errors(conllu_text(doc)) == []
