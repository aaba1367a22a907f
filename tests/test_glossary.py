"""The glossary: checking with file:line, linking (longest match, variants, over text), exchange formats."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from annotate.glossary import load_glossary
from annotate.glossary.formats import export_glossary, import_glossary
from annotate.ingest import ingest_file
from annotate.model import Article, Block, Document, GlossaryEntry, Sentence

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "glossary_cases"
EXAMPLE = ROOT / "corpus" / "raw" / "dalian-daily-2019-economy.txt"


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "annotate", *args], capture_output=True, text=True, cwd=ROOT)


def test_shipped_glossary_passes_check():
    out = cli("glossary", "check", "glossary")
    assert out.returncode == 0, out.stdout
    assert "0 errors, 0 warnings" in out.stdout
    g = load_glossary(ROOT / "glossary")
    assert len(g.entries) >= 40
    for required in ("双轮驱动", "放管服", "不见面审批", "营商环境", "一网通办", "自贸试验区", "规模以上工业增加值",
                     "新旧动能", "证照分离", "服务秘书", "乡村振兴", "高质量发展"):
        assert any(e.source == required for e in g.entries), required
    # drafts explain themselves; approved entries cite where the rendering comes from
    assert all(e.source_ref for e in g.entries if e.status == "approved")
    assert all(e.definition for e in g.entries)


@pytest.mark.parametrize(
    ("case", "line", "severity", "words"),
    [
        ("column-count.tsv", 2, "error", "cells but the header has"),
        ("empty-source.tsv", 2, "error", "empty source"),
        ("empty-target.tsv", 2, "error", "empty target"),
        ("dup-across", 2, "error", "is also at"),
        ("variant-is-source.tsv", 2, "error", "is also the source of"),
        ("latin-source.tsv", 2, "error", "no Chinese characters"),
        ("whitespace.tsv", 2, "warning", "stray whitespace"),
        ("width.tsv", 2, "warning", "full-width"),
        ("id-reused.tsv", 3, "error", "is already used"),
        ("bad-id.tsv", 2, "error", "invalid id"),
        ("not-utf8.tsv", 2, "error", "not UTF-8"),
    ],
)
def test_check_names_file_and_line(case, line, severity, words):
    out = cli("glossary", "check", str(CASES / case))
    problems = [p for p in out.stdout.splitlines() if f": {severity}: " in p and words in p]
    assert problems, out.stdout
    assert f":{line}: {severity}:" in problems[0]
    assert out.returncode == (1 if severity == "error" else 0)


def test_width_check_flags_half_width_punctuation_in_chinese():
    g = load_glossary(CASES / "width.tsv")
    assert any("half-width punctuation" in p.message for p in g.problems)


def test_broken_rows_are_reported_never_silently_dropped():
    g = load_glossary(CASES / "id-reused.tsv")
    assert {e.source for e in g.entries} == {"放管服", "营商环境"}  # both kept, the second with a new id
    assert len({e.id for e in g.entries}) == 2


def _doc(text: str) -> Document:
    block = Block(id="d.a1.p1", kind="paragraph", text=text, sentences=[Sentence(id="d.a1.p1.s1", start=0, end=len(text), text=text)])
    return Document(id="d", articles=[Article(id="d.a1", blocks=[block])])


def test_longest_match_variants_and_overlaps():
    g = load_glossary(ROOT / "glossary")
    doc = _doc("持续深化“放管服”改革，放管服改革和辽宁自贸试验区大连片区建设。")
    g.link_document(doc)
    links = [(t.surface, t.entry_id) for t in doc.terms]
    assert ("放管服", "fang-guan-fu") in links
    assert ("放管服改革", "fang-guan-fu") in links  # a variant, longest match wins over 放管服
    assert ("辽宁自贸试验区大连片区", "liao-ning-zi-mao-da-lian-pian-qu") in links  # not 自贸试验区 inside it
    assert not any(s == "自贸试验区" for s, _ in links)


def test_every_occurrence_on_the_example_page_is_linked():
    g = load_glossary(ROOT / "glossary")
    doc = ingest_file(EXAMPLE)
    from annotate.annotation import split_sentences

    for b in doc.blocks():
        b.sentences = [Sentence(id=f"{b.id}.s{i}", start=s, end=e, text=b.text[s:e]) for i, (s, e) in enumerate(split_sentences(b.text), 1)]
    g.link_document(doc)
    # The reference count comes from the raw page with every line break and space removed,
    # independently of ingestion: 18 × 营商环境 (one inside 营商环境建设局), 2 × 放管服, 2 × 双轮驱动.
    raw = "".join(EXAMPLE.read_text("utf-8").split())
    assert (raw.count("营商环境"), raw.count("放管服"), raw.count("双轮驱动")) == (18, 2, 2)
    assert sum(1 for t in doc.terms if "营商环境" in t.surface) == 18
    assert sum(1 for t in doc.terms if t.entry_id == "ying-shang-huan-jing") == 17
    assert sum(1 for t in doc.terms if t.entry_id == "fang-guan-fu") == 2
    assert sum(1 for t in doc.terms if t.entry_id == "shuang-lun-qu-dong") == 2


def test_term_split_by_segmentation_still_links():
    # A term no tokenizer keeps whole: linking runs over characters, not tokens.
    g = load_glossary(ROOT / "glossary")
    doc = _doc("他说营商环境好")
    g.link_document(doc)
    assert [(t.start, t.end) for t in doc.terms] == [(2, 6)]


@pytest.mark.parametrize("fmt,suffix", [("tbx", ".tbx"), ("csv", ".csv")])
def test_export_then_import_gives_the_same_glossary(tmp_path, fmt, suffix):
    g = load_glossary(ROOT / "glossary")
    path = export_glossary(g.entries, tmp_path / f"g{suffix}", fmt)
    back = import_glossary(path)

    def fields(e: GlossaryEntry) -> tuple:
        return (e.id, e.source, e.target, e.comment, e.alternatives, e.variants, e.pos, e.domain, e.definition, e.source_ref, e.status)

    assert [fields(e) for e in back] == [fields(e) for e in g.entries]


def test_omegat_round_trip(tmp_path):
    g = load_glossary(ROOT / "glossary")
    path = export_glossary(g.entries, tmp_path / "omegat.txt", "omegat")
    back = import_glossary(path)
    assert [(e.source, e.target, e.comment) for e in back] == [(e.source, e.target, e.comment) for e in g.entries]


def test_tbx_is_wellformed_martif(tmp_path):
    from lxml import etree

    g = load_glossary(ROOT / "glossary")
    path = export_glossary(g.entries, tmp_path / "g.tbx", "tbx")
    root = etree.parse(str(path)).getroot()
    assert root.tag == "martif" and len(root.findall(".//termEntry")) == len(g.entries)


def test_suggest_lists_quoted_candidates_with_drafts(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "p.txt").write_text("本报讯 全市推进“一事一议”，推动“一事一议”和“双轮驱动”，加强“营商”建设。\n", "utf-8")
    out = subprocess.run([sys.executable, "-m", "annotate", "glossary", "suggest", str(corpus), "--glossary", str(ROOT / "glossary"),
                          "-o", str(tmp_path / "s.tsv")], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    rows = (tmp_path / "s.tsv").read_text("utf-8").splitlines()
    assert rows[0].startswith("source\ttarget\tcomment")
    terms = [r.split("\t")[0] for r in rows[1:]]
    assert "一事一议" in terms and "双轮驱动" not in terms  # already in the glossary
    row = next(r.split("\t") for r in rows[1:] if r.startswith("一事一议"))
    assert "quoted, 2x" in row[2] and row[4] == "draft"
    assert load_glossary(tmp_path / "s.tsv").errors == []  # a translator can paste the rows in
