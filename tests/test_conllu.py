"""CoNLL-U: the bundled page's export and the hand-built sample through the official UD validator
(level 1: there is no parser, so HEAD/DEPREL are _), the columns, the English comments on every
sentence, and one token formatter shared with `annotate tag`."""

from __future__ import annotations

import pytest

from annotate.export.conllu import conllu_text, token_rows
from annotate.glossary import load_glossary
from annotate.ingest import ingest_file
from annotate.model import Translation
from annotate.translate.gloss import Glosser
from conftest_exports import annotator, ud_errors
from sample_docs import mixed_origins, sample_document
from support import ROOT

EXAMPLE = ROOT / "corpus" / "raw" / "dalian-daily-2019-economy.txt"
BUNDLED = ROOT / "exports" / "conllu" / "dalian-daily-2019-economy.conllu"


@pytest.fixture(scope="module")
def example():
    """The bundled page through every stage but MT (no model is installed in tests): gloss only."""
    glossary = load_glossary(ROOT / "glossary")
    doc = annotator().annotate(ingest_file(EXAMPLE))
    glossary.link_document(doc)
    Glosser(glossary.by_id).gloss_document(doc)
    return doc


def sentences(text: str) -> list[tuple[dict[str, str], list[list[str]]]]:
    out = []
    for block in text.rstrip("\n").split("\n\n"):
        lines = block.split("\n")
        comments = dict(ln[2:].split(" = ", 1) for ln in lines if ln.startswith("# ") and " = " in ln)
        out.append((comments, [ln.split("\t") for ln in lines if not ln.startswith("#")]))
    return out


def test_conllu_passes_the_ud_validator_level_1(example):
    for doc in (example, sample_document(), mixed_origins(), sample_document(translated=False)):
        assert ud_errors(conllu_text(doc)) == [], doc.id
    broken = conllu_text(sample_document()).replace("\tPROPN\t", "\t\t", 1)
    assert ud_errors(broken)  # the validator bites: an empty column


def test_no_made_up_syntax(example):
    """No parser: HEAD, DEPREL and DEPS are _, and the file says so."""
    text = conllu_text(example)
    assert "no dependency parse: HEAD, DEPREL and DEPS are _" in text.split("\n", 2)[1]
    for _, rows in sentences(text):
        assert all(r[6:9] == ["_", "_", "_"] for r in rows)


def test_conllu_content(example):
    text = conllu_text(example)
    parsed = sentences(text)
    ours = [s for s in example.sentences if s.tokens]
    assert len(parsed) == len(ours)
    assert text.startswith(f"# newdoc id = {example.id}\n")
    for (comments, rows), m in zip(parsed, ours, strict=True):
        assert comments["sent_id"] == m.id and comments["text"] == " ".join(m.text.split())
        assert [r[1] for r in rows] == [t.text for t in m.tokens]
        assert [r[3] for r in rows] == [t.upos for t in m.tokens]
        assert [r[4] for r in rows] == [t.xpos or "_" for t in m.tokens]
        for r, t in zip(rows, m.tokens, strict=True):
            misc = dict(kv.split("=", 1) for kv in r[9].split("|")) if r[9] != "_" else {}
            if t.pinyin and t.pinyin != t.text:
                assert misc["Translit"] == t.pinyin.replace(" ", "")
                assert misc["TranslitNum"] == t.pinyin_num.replace(" ", "")
    assert "Term=" in text and "NE=B-PER" in text and "NER=" not in text


def test_every_sentence_has_its_english(example):
    """Issue 18: `# text_en` or `# gloss_en` on every sentence, in the bundled export too."""
    for text in (conllu_text(example), BUNDLED.read_text("utf-8")):
        for comments, _ in sentences(text):
            assert "text_en" in comments or "gloss_en" in comments, comments["sent_id"]


def test_a_heading_without_glossable_words_still_gets_english():
    doc = sample_document(translated=False)
    s = doc.sentences[0]
    for t in s.tokens:
        t.gloss = ""
    s.gloss = ""
    s.translation = Translation(text="", origin="gloss")
    comments = dict(sentences(conllu_text(doc))[0][0])
    assert comments.get("gloss_en"), comments


def test_conllu_carries_the_translation():
    text = conllu_text(mixed_origins())
    assert "# text_en = Dalian deepened the reform.\n# text_en_origin = human translation" in text
    assert "# gloss_en = this paper reports reporter Yang Lijuan report" in text
    assert text.count("# gloss_en = ") >= 1


def test_tag_and_export_share_one_token_formatter(example):
    """The rows of the export are exactly what token_rows gives (annotate tag calls it too)."""
    text = conllu_text(example)
    parsed = sentences(text)
    blocks = [b for b in example.blocks() if any(s.tokens for s in b.sentences)]
    k = 0
    for b in blocks:
        live = [s for s in b.sentences if s.tokens]
        for i, s in enumerate(live):
            rows, _ = token_rows(s, more_in_block=i < len(live) - 1)
            assert ["\t".join(r) for r in parsed[k][1]] == rows
            k += 1


def test_an_llm_draft_names_its_model_and_engine():
    doc = sample_document()
    s = doc.sentences[0]
    s.translation = Translation(text="Dalian deepened the reform.", origin="llm", model="qwen2.5-1.5b 0.2.0",
                                engine="llama.cpp (llama-cpp-python 0.3.16)")
    comments = dict(sentences(conllu_text(doc))[0][0])
    assert comments["text_en"] == "Dalian deepened the reform."
    assert comments["text_en_origin"] == ("machine draft (language model) (qwen2.5-1.5b 0.2.0, "
                                          "llama.cpp (llama-cpp-python 0.3.16))")
