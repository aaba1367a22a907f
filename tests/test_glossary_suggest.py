"""`annotate glossary suggest`: candidate terms the glossary lacks, with CC-CEDICT drafts."""

from __future__ import annotations

import shutil

import pytest

from annotate.cli import main as cli_main
from annotate.glossary import load_glossary
from annotate.glossary.cedict import draft_gloss
from annotate.glossary.suggest import draft_entries, suggest
from annotate.ingest import ingest_file, ingest_text
from support import ROOT

SHIPPED = ROOT / "glossary"
EXAMPLE = ROOT / "corpus" / "raw" / "dalian-daily-2019-economy.txt"
HEADER = "source\ttarget\tcomment\tid\tstatus\talternatives\tvariants\tpos\tdomain\tdefinition\treference"

PAGE = """本报讯 全市推进“一事一议”，坚持“双轮驱动”。今年推进“一事一议”改革，扩大“双轮驱动”成果。
在全国自贸区排名中，大连自由贸易试验区位居前列。
大连持续深化证照分离，证照分离改革取得实效。
"""
GLOSSARY = f"""{HEADER}
双轮驱动\tdual drivers\t\tshuang-lun-qu-dong\tdraft
自由贸易试验区\tpilot free trade zone\t\tzi-you-mao-yi-shi-yan-qu\tapproved
"""


@pytest.fixture
def small(tmp_path):
    (tmp_path / "g.tsv").write_text(GLOSSARY, "utf-8")
    return load_glossary(tmp_path / "g.tsv"), ingest_text(PAGE, "p")


def test_quoted_expressions_abbreviations_and_compounds(small):
    glossary, doc = small
    found = {c.term: c for c in suggest([doc], glossary)}
    assert "双轮驱动" not in found  # already in the glossary, quoted or not
    quoted = found["一事一议"]
    assert (quoted.kind, quoted.count) == ("quoted", 2)
    assert quoted.where == "p.a1.p2.s1" and "“一事一议”" in quoted.example
    assert quoted.gloss and quoted.gloss_source.startswith("CC-CEDICT")
    abbreviation = found["自贸区"]
    assert (abbreviation.kind, abbreviation.related, abbreviation.count) == ("abbreviation", "zi-you-mao-yi-shi-yan-qu", 1)
    assert abbreviation.gloss == "pilot free trade zone"  # the English of the entry it shortens
    compound = found["证照分离"]  # two words that occur only together
    assert (compound.kind, compound.count) == ("compound", 2)
    # ranked by kind, then frequency
    kinds = [c.kind for c in suggest([doc], glossary)]
    assert kinds == sorted(kinds, key=["quoted", "abbreviation", "new-word", "compound"].index)


def test_draft_rows_paste_into_the_glossary_without_errors(small, tmp_path):
    glossary, doc = small
    rows = draft_entries(suggest([doc], glossary), glossary)
    assert rows and all(r.status == "draft" and r.target for r in rows)
    row = next(r for r in rows if r.source == "一事一议")
    assert row.id == "yi-shi-yi-yi"
    assert row.comment.startswith("suggested (quoted), 2x; e.g. p.a1.p2.s1: 全市推进“一事一议”")
    assert row.source_ref.startswith("CC-CEDICT (CC BY-SA 4.0)")
    from annotate.glossary.tsv import write_tsv

    write_tsv(rows, tmp_path / "suggested.tsv")
    merged = load_glossary(tmp_path)
    assert merged.errors == [] and len(merged.entries) == 2 + len(rows)


def test_cedict_drafts():
    assert draft_gloss("零容忍") == ("zero tolerance", "CC-CEDICT")
    assert draft_gloss("自贸区") == ("free trade zone", "CC-CEDICT, via 自由贸易区")  # an abbreviation entry, followed
    gloss, how = draft_gloss("一窗受理")
    assert how == "CC-CEDICT, word by word" and gloss.split(" + ")[1:] == ["window", "to accept to hear a case"]
    assert draft_gloss("龘龘龘龘") == ("", "")


def test_suggest_on_the_example_page_lists_real_candidates(tmp_path):
    if not list(SHIPPED.glob("*.tsv")):
        pytest.skip("glossary/ has no .tsv yet")
    glossary = load_glossary(SHIPPED)
    doc = ingest_file(EXAMPLE)
    candidates = suggest([doc], glossary, limit=500)
    assert len(candidates) >= 10
    assert {"quoted", "compound"} <= {c.kind for c in candidates}
    forms = set(glossary.forms())
    texts = [b.text for b in doc.blocks()]
    for c in candidates:
        assert c.term not in forms
        # the count is every occurrence outside a linked glossary term, counted here another way
        n = 0
        for text in texts:
            linked = [(t.start, t.end) for t in glossary.matches(text)]
            i = text.find(c.term)
            while i != -1:
                n += all(i + len(c.term) <= s or e <= i for s, e in linked)
                i = text.find(c.term, i + 1)
        assert n == c.count, c.term
        assert c.term in c.example
    with_cedict = [c for c in candidates if c.gloss_source.startswith("CC-CEDICT")]
    assert len(with_cedict) >= len(candidates) // 2


def test_suggest_command_writes_a_deterministic_draft_file(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "p.txt").write_text(PAGE, "utf-8")
    (tmp_path / "g.tsv").write_text(GLOSSARY, "utf-8")
    args = ["glossary", "suggest", str(corpus), "--glossary", str(tmp_path / "g.tsv"), "-o", str(tmp_path / "s.tsv")]
    assert cli_main(args) == 0
    first = (tmp_path / "s.tsv").read_bytes()
    assert cli_main(args) == 0
    assert (tmp_path / "s.tsv").read_bytes() == first
    lines = first.decode("utf-8").splitlines()
    assert lines[0].startswith("# Draft entries suggested by 'annotate glossary suggest'")
    header = next(ln for ln in lines if not ln.startswith("#"))
    assert header == HEADER
    assert "candidates written to" in capsys.readouterr().out
    # the file is a valid glossary file on its own
    glossary_dir = tmp_path / "glossary"
    glossary_dir.mkdir()
    shutil.copy(tmp_path / "s.tsv", glossary_dir / "s.tsv")
    assert load_glossary(glossary_dir).errors == []


def test_cedict_index_is_kept_and_a_broken_one_is_rebuilt(tmp_path, monkeypatch):
    """Every process used to parse CC-CEDICT (3-5 s); the index is now kept in the user's cache folder."""
    import marshal

    from annotate.glossary import cedict

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = cedict._index_path()
    assert path is not None and path.parent == tmp_path / "annotate"
    path.parent.mkdir()
    path.write_bytes(b"not a marshal file")
    cedict._index.cache_clear()
    try:
        assert cedict.senses("窗")[:1] == ["window"] and "Dalian" in cedict.name_renderings("大连")
        fmt, by_word, _ = marshal.loads(path.read_bytes())  # rebuilt in place
        assert fmt == cedict._INDEX_FORMAT and "窗" in by_word
    finally:
        cedict._index.cache_clear()
