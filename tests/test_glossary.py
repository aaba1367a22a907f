"""The glossary: reading and checking with file:line, linking (longest match, variants, over text), reports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotate.cli import main as cli_main
from annotate.glossary import Glossary, check_glossary, load_glossary
from annotate.glossary.report import term_report
from annotate.ingest import ingest_file, ingest_text
from annotate.model import Article, Block, Document, GlossaryEntry, Sentence
from support import ROOT

CASES = ROOT / "tests" / "glossary_cases"
SHIPPED = ROOT / "glossary"
EXAMPLE = ROOT / "corpus" / "raw" / "dalian-daily-2019-economy.txt"
HEADER = "source\ttarget\tcomment\tid\tstatus\talternatives\tvariants\tpos\tdomain\tdefinition\treference"


def check_output(capsys, path: Path) -> tuple[int, list[str]]:
    code = cli_main(["glossary", "check", str(path)])
    return code, capsys.readouterr().out.splitlines()


def glossary_of(tmp_path: Path, *rows: str, name: str = "g.tsv") -> Glossary:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", "utf-8")
    return load_glossary(path)


# -- checking ----------------------------------------------------------------------------

#: One broken file per problem: (case, file with the problem, line, severity, words of the message).
CASE_TABLE = [
    ("column-count.tsv", "column-count.tsv", 3, "error", "12 cells but the header has 11"),
    ("empty-source.tsv", "empty-source.tsv", 3, "error", "empty source; the row is not used"),
    ("empty-target.tsv", "empty-target.tsv", 4, "error", "empty target for 营商环境"),
    ("dup-across", "dup-across/b.tsv", 3, "error", "source 营商环境 is also at"),
    ("dup-same", "dup-same/b.tsv", 2, "warning", "(same target); this row is not used"),
    ("variant-is-source.tsv", "variant-is-source.tsv", 2, "error", "variant 简政放权 is also the source of jian-zheng-fang-quan"),
    ("variant-shared.tsv", "variant-shared.tsv", 3, "error", "variant 自贸区 is also a variant of zi-mao-shi-yan-qu"),
    ("latin-source.tsv", "latin-source.tsv", 3, "error", "source 'BRI' has no Chinese characters; the row is not used"),
    ("whitespace.tsv", "whitespace.tsv", 2, "warning", "stray whitespace in target 'streamline  administration'"),
    ("space-in-term.tsv", "space-in-term.tsv", 2, "warning", "space inside the Chinese term '营商 环境'"),
    ("quoted-tab.tsv", "quoted-tab.tsv", 3, "warning", "comment holds a tab; read as a space"),
    ("quoted-cell.tsv", "quoted-cell.tsv", 2, "warning", "cell 2 (target) is wrapped in quotation marks"),
    ("quote-unclosed.tsv", "quote-unclosed.tsv", 3, "error", "cell 3 opens a quotation mark that is never closed"),
    ("quote-runs-on.tsv", "quote-runs-on.tsv", 2, "error", "cell 3 opens a quotation mark that is not closed before line 3"),
    ("quote-then-text.tsv", "quote-then-text.tsv", 3, "warning", "cell 3 (comment) starts with a quotation mark but is not a quoted cell"),
    ("control-char.tsv", "control-char.tsv", 3, "error", "target holds the control character U+0001"),
    ("width-english.tsv", "width-english.tsv", 2, "warning", "full-width letters, digits or spaces in English target"),
    ("width-chinese.tsv", "width-chinese.tsv", 2, "warning", "half-width punctuation in Chinese variants '河(库)长制'"),
    ("width-digits.tsv", "width-digits.tsv", 2, "warning", "full-width digits in Chinese source '５Ｇ网络'"),
    ("id-reused.tsv", "id-reused.tsv", 3, "error", "id fang-guan-fu is already used at"),
    ("id-missing.tsv", "id-missing.tsv", 2, "error", "no id for 营商环境; the row is not used"),
    ("id-invalid.tsv", "id-invalid.tsv", 2, "error", "invalid id 'Fang Guan Fu'; the row is not used"),
    ("status-unknown.tsv", "status-unknown.tsv", 2, "error", "unknown status 'aproved'; the row is not used"),
    ("header-missing.tsv", "header-missing.tsv", 1, "error", "invalid header: the first row is an entry"),
    ("header-duplicate.tsv", "header-duplicate.tsv", 1, "error", "invalid header: column(s) id named twice"),
    ("header-order.tsv", "header-order.tsv", 1, "warning", "the first three columns are not source, target, comment"),
    ("one-char.tsv", "one-char.tsv", 2, "warning", "one-character form 党"),
    ("not-utf8.tsv", "not-utf8.tsv", 2, "error", "not UTF-8"),
]


@pytest.mark.parametrize(("case", "where", "line", "severity", "words"), CASE_TABLE, ids=[c[0] for c in CASE_TABLE])
def test_check_names_file_line_and_problem(capsys, case, where, line, severity, words):
    code, out = check_output(capsys, CASES / case)
    expected = f"{CASES / where}:{line}: {severity}: "
    assert any(o.startswith(expected) and words in o for o in out), "\n".join(out)
    assert out[-1].endswith("warnings") and " errors, " in out[-1]
    errors = int(out[-1].split(": ")[-1].split()[0])
    assert code == (1 if errors else 0)
    assert (errors > 0) == (severity == "error")  # each case has exactly its own kind of problem
    # every problem line says what to do
    assert all(o.endswith(")") for o in out[:-1])


def test_every_problem_kind_of_the_issue_has_a_case():
    names = {c[0] for c in CASE_TABLE}
    assert len(names) == len(list(CASES.glob("*.tsv"))) + len([d for d in CASES.iterdir() if d.is_dir()])


def test_problems_sorted_by_file_and_line_and_printed_once_each():
    problems = check_glossary(CASES)
    keys = [(p.path, p.line) for p in problems]
    assert keys == sorted(keys)
    assert len({str(p) for p in problems}) == len(problems)


def test_problem_string_is_one_line_with_file_line_severity_and_hint():
    problems = check_glossary(CASES / "empty-source.tsv")
    assert [str(p) for p in problems] == [
        f"{CASES / 'empty-source.tsv'}:3: error: empty source; the row is not used (write the Chinese term in the source column)"
    ]


def test_rows_beside_a_broken_one_are_kept():
    # never silently drops an entry: the good row of each file is used, the bad one reported
    for case in ("column-count.tsv", "empty-source.tsv", "empty-target.tsv", "quote-unclosed.tsv",
                 "control-char.tsv", "latin-source.tsv", "id-reused.tsv"):
        g = load_glossary(CASES / case)
        assert [e.source for e in g.entries] == ["放管服"], case
        assert g.errors, case
    # the row after a quoted cell that ran on is read afresh
    g = load_glossary(CASES / "quote-runs-on.tsv")
    assert [e.source for e in g.entries] == ["营商环境"]
    assert g.entries[0].comment == 'See the "Doing Business" report.'


def test_rows_reported_as_errors_are_not_used():
    # issue 13, case 11: every error says "the row is not used", and it is not
    for case in [c for c in CASE_TABLE if c[3] == "error"]:
        g = load_glossary(CASES / case[0])
        bad = {(Path(p.path).name, p.line) for p in g.errors}
        used = {(Path(e.file).name, e.line) for e in g.entries}
        assert not bad & used, case[0]
        assert all("not used" in p.message or p.line == 0 or "header" in p.message or "UTF-8" in p.message
                   for p in g.errors), case[0]


def test_cells_are_read_as_the_check_says():
    g = load_glossary(CASES / "whitespace.tsv")
    assert (g.entries[0].source, g.entries[0].target) == ("放管服", "streamline administration")
    assert load_glossary(CASES / "space-in-term.tsv").entries[0].source == "营商环境"
    entry = load_glossary(CASES / "quoted-cell.tsv").entries[0]
    assert (entry.target, entry.comment) == ("business environment", 'Say "business environment", not climate')
    assert load_glossary(CASES / "quoted-tab.tsv").entries[1].comment == "the climate for business"
    assert load_glossary(CASES / "quote-then-text.tsv").entries[1].comment == '"one-stop" is the usual form'


def test_a_broken_folder_still_gives_every_usable_entry(tmp_path):
    (tmp_path / "a.tsv").write_text(f"{HEADER}\n放管服\tstreamline administration\t\tfang-guan-fu\tapproved\n", "utf-8")
    (tmp_path / "b.tsv").write_bytes((CASES / "not-utf8.tsv").read_bytes())
    (tmp_path / "c.tsv").write_text("营商环境\tbusiness environment\n", "utf-8")  # no header
    (tmp_path / "notes.txt").write_text("not a glossary file", "utf-8")
    g = load_glossary(tmp_path)
    assert [e.source for e in g.entries] == ["放管服"]
    assert sorted(Path(p.path).name for p in g.errors) == ["b.tsv", "c.tsv"]


def test_crlf_bom_comments_blank_lines_and_short_rows(tmp_path):
    text = "\ufeff# a comment\r\n\r\n" + HEADER + "\r\n放管服\tstreamline administration\t\tfang-guan-fu\r\n# another\r\n营商环境\tbusiness environment\t\tying-shang-huan-jing\r\n"
    (tmp_path / "g.tsv").write_bytes(text.encode("utf-8"))
    g = load_glossary(tmp_path / "g.tsv")
    assert [(e.source, e.target, e.line) for e in g.entries] == [
        ("放管服", "streamline administration", 4), ("营商环境", "business environment", 6)]
    assert g.problems == []


def test_missing_glossary_is_a_warning_not_a_crash(tmp_path):
    g = load_glossary(tmp_path / "nowhere")
    assert g.entries == [] and [p.severity for p in g.problems] == ["warning"]


def test_check_command_on_a_missing_path_is_a_one_line_error(capsys, tmp_path):
    assert cli_main(["glossary", "check", str(tmp_path / "nowhere")]) == 3
    err = capsys.readouterr().err.strip()
    assert err == f"annotate: error: {tmp_path / 'nowhere'}: no such file or folder (give a glossary .tsv or a folder of them)"


def test_shipped_glossary_passes_check():
    if not list(SHIPPED.glob("*.tsv")):
        pytest.skip("glossary/ has no .tsv yet (the curated entries are being written)")
    out = subprocess.run([sys.executable, "-m", "annotate", "glossary", "check", str(SHIPPED)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout
    assert " 0 errors, " in out.stdout.splitlines()[-1]
    g = load_glossary(SHIPPED)
    assert len(g.entries) >= 40
    sources = {e.source for e in g.entries}
    for required in ("双轮驱动", "放管服", "不见面审批", "营商环境", "一网通办", "自贸试验区", "规模以上工业增加值",
                     "新旧动能", "证照分离", "服务秘书", "乡村振兴", "高质量发展"):
        assert required in sources, required
    # approved entries cite where the rendering comes from; drafts have no invented source
    assert all(e.source_ref for e in g.entries if e.status == "approved")


# -- linking -------------------------------------------------------------------------------


def one_sentence_doc(text: str) -> Document:
    block = Block(id="d.a1.p1", kind="paragraph", text=text, sentences=[Sentence(id="d.a1.p1.s1", start=0, end=len(text), text=text)])
    return Document(id="d", articles=[Article(id="d.a1", blocks=[block])])


def links(g: Glossary, text: str) -> list[tuple[str, str, int, int]]:
    doc = one_sentence_doc(text)
    g.link_document(doc)
    return [(t.surface, t.entry_id, t.start, t.end) for t in doc.terms]


def test_longest_match_wins_and_variants_link_to_their_entry(tmp_path):
    g = glossary_of(tmp_path,
                    "放管服\tstreamline administration\t\tfang-guan-fu\tapproved\t\t放管服改革",
                    "自贸试验区\tpilot free trade zone\t\tzi-mao-shi-yan-qu\tapproved\t\t自贸区",
                    "辽宁自贸试验区大连片区\tDalian Area\t\tda-lian-pian-qu\tdraft")
    text = "深化“放管服”改革，放管服改革和辽宁自贸试验区大连片区、自贸区建设。"
    assert links(g, text) == [
        ("放管服", "fang-guan-fu", 3, 6),
        ("放管服改革", "fang-guan-fu", 10, 15),  # the variant, not 放管服 inside it
        ("辽宁自贸试验区大连片区", "da-lian-pian-qu", 16, 27),  # not 自贸试验区 inside it
        ("自贸区", "zi-mao-shi-yan-qu", 28, 31),
    ]


def test_overlaps_resolved_longest_then_leftmost_then_id(tmp_path):
    g = glossary_of(tmp_path,
                    "甲乙丙\tabc\t\tz-abc\tdraft",
                    "乙丙丁\tbcd\t\ta-bcd\tdraft",  # same length, lower ID, but further right
                    "丁戊己庚\tdefg\t\tm-defg\tdraft",  # longer: beats 乙丙丁 even though that starts earlier
                    "己庚\tfg\t\tb-fg\tdraft")
    assert links(g, "甲乙丙丁") == [("甲乙丙", "z-abc", 0, 3)]
    assert links(g, "乙丙丁戊己庚") == [("丁戊己庚", "m-defg", 2, 6)]


def test_link_belongs_to_the_sentence_it_starts_in_with_block_offsets(tmp_path):
    g = glossary_of(tmp_path, "营商环境\tbusiness environment\t\tying-shang-huan-jing\tapproved")
    text = "优化营商环境。营商环境好。"
    block = Block(id="d.a1.p1", kind="paragraph", text=text, sentences=[
        Sentence(id="d.a1.p1.s1", start=0, end=7, text=text[:7]), Sentence(id="d.a1.p1.s2", start=7, end=13, text=text[7:])])
    doc = Document(id="d", articles=[Article(id="d.a1", blocks=[block])])
    assert g.link_document(doc) == 2
    s1, s2 = block.sentences
    assert [(t.start, t.end) for t in s1.terms] == [(2, 6)] and [(t.start, t.end) for t in s2.terms] == [(7, 11)]
    assert all(text[t.start:t.end] == t.surface for t in doc.terms)
    assert "terms" in doc.layers and doc.tools["glossary"] == g.fingerprint[:12]
    assert g.link_document(doc) == 2 and len(doc.terms) == 2  # re-linking replaces, never duplicates


def test_a_term_that_jieba_splits_is_still_linked(tmp_path):
    import jieba

    text = "坚持改造提升传统产业和培育发展新兴产业双轮驱动"
    words = jieba.Tokenizer().lcut(text)  # jieba's own dictionary, without the glossary
    assert "双轮驱动" not in words and "双轮" in words and "驱动" in words
    g = glossary_of(tmp_path, "双轮驱动\tdual drivers\t\tshuang-lun-qu-dong\tdraft")
    assert links(g, text) == [("双轮驱动", "shuang-lun-qu-dong", 19, 23)]


#: Counted by hand on the example page (corpus/raw/dalian-daily-2019-economy.txt), headlines
#: and captions included, terms broken across print lines counted once.
HAND_COUNT = {
    "营商环境": 18,  # one of them inside 大连市营商环境建设局
    "放管服": 2,
    "双轮驱动": 2,
    "高质量发展": 2,
    "自贸试验区": 9,  # five inside 辽宁自贸试验区大连片区 / 辽宁自贸试验区 / its plan
    "规模以上工业增加值": 3,
    "服务秘书": 4,
    "不见面审批": 2,
    "一网通办": 1,
    "证照分离": 1,
    "乡村振兴": 1,
    "新旧动能": 1,
}


@pytest.fixture(scope="module")
def example_doc():
    from annotate.annotation import split_sentences

    doc = ingest_file(EXAMPLE)
    for b in doc.blocks():
        b.sentences = [Sentence(id=f"{b.id}.s{i}", start=s, end=e, text=b.text[s:e])
                       for i, (s, e) in enumerate(split_sentences(b.text), 1)]
    return doc


def test_hand_counts_agree_with_the_raw_page():
    raw = "".join(EXAMPLE.read_text("utf-8").split())  # line breaks and print spaces removed
    assert {t: raw.count(t) for t in HAND_COUNT} == HAND_COUNT


def test_every_occurrence_of_the_shipped_terms_on_the_example_page_is_linked(example_doc):
    if not list(SHIPPED.glob("*.tsv")):
        pytest.skip("glossary/ has no .tsv yet")
    g = load_glossary(SHIPPED)
    g.link_document(example_doc)
    terms = example_doc.terms
    for term, n in HAND_COUNT.items():
        # each occurrence lies inside exactly one link: its own entry's, or a longer term's
        assert sum(t.surface.count(term) for t in terms) == n, term
    entry = next(e for e in g.entries if e.source == "营商环境")
    inside_longer = sum(1 for t in terms if "营商环境" in t.surface and t.entry_id != entry.id)
    assert sum(1 for t in terms if t.entry_id == entry.id) == 18 - inside_longer
    for t in terms:
        block = next(b for b in example_doc.blocks() if any(t in s.terms for s in b.sentences))
        assert block.text[t.start:t.end] == t.surface and t.surface in g.by_id[t.entry_id].forms


def naive_links(entries: list[GlossaryEntry], text: str) -> list[tuple[int, int, str]]:
    """Reference: every occurrence of every form, by a loop over entries; then the same priorities."""
    owner: dict[str, str] = {}
    for e in entries:
        owner.setdefault(e.source, e.id)
    for e in entries:
        for v in e.variants:
            owner.setdefault(v, e.id)
    found = [(i, i + len(f), eid, f) for f, eid in owner.items() for i in range(len(text)) if text.startswith(f, i)]
    found.sort(key=lambda m: (-(m[1] - m[0]), m[0], m[2], m[3]))
    chosen: list[tuple[int, int, str]] = []
    for s, e, eid, _ in found:
        if all(e <= cs or ce <= s for cs, ce, _ in chosen):
            chosen.append((s, e, eid))
    return sorted(chosen)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text("甲乙丙丁", min_size=1, max_size=4), st.lists(st.text("甲乙丙丁", min_size=1, max_size=3), max_size=2)),
                min_size=1, max_size=8),
       st.text("甲乙丙丁戊", max_size=40))
def test_automaton_linking_equals_a_loop_over_entries(spec, text):
    entries, seen = [], set()
    for i, (source, variants) in enumerate(spec):
        if source in seen:
            continue
        seen.add(source)
        entries.append(GlossaryEntry(id=f"e{len(spec) - i:02d}", source=source, target="x", variants=variants))
    g = Glossary(entries, [])
    assert [(t.start, t.end, t.entry_id) for t in g.matches(text)] == naive_links(entries, text)


def test_forms_and_fingerprint(tmp_path):
    g = glossary_of(tmp_path, "放管服\tstreamline administration\t\tfang-guan-fu\tapproved\t\t放管服改革 | 简政放权、放管结合、优化服务")
    assert g.forms() == sorted(["放管服", "放管服改革", "简政放权、放管结合、优化服务"])
    same = glossary_of(tmp_path, "", "放管服\tstreamline administration\t\tfang-guan-fu\tapproved\t\t放管服改革 | 简政放权、放管结合、优化服务",
                       name="moved.tsv")
    assert same.fingerprint == g.fingerprint  # moving an entry to another file or line changes nothing
    changed = glossary_of(tmp_path, "放管服\tstreamline administration\t\tfang-guan-fu\tdraft\t\t放管服改革", name="c.tsv")
    assert changed.fingerprint != g.fingerprint


# -- report --------------------------------------------------------------------------------


def test_term_report_counts_where_and_how_often(tmp_path):
    from annotate.annotation import split_sentences

    g = glossary_of(tmp_path,
                    "营商环境\tbusiness environment\t\tying-shang-huan-jing\tapproved",
                    "放管服\tstreamline administration\t\tfang-guan-fu\tapproved\t\t放管服改革",
                    "乡村振兴\trural revitalization\t\txiang-cun-zhen-xing\tapproved")
    docs = []
    for doc_id, text in [("p1", "优化营商环境。深化放管服改革。今天下雨。\n"), ("p2", "营商环境好，营商环境更好。\n")]:
        doc = ingest_text(text, doc_id)
        for b in doc.blocks():
            b.sentences = [Sentence(id=f"{b.id}.s{i}", start=s, end=e, text=b.text[s:e])
                           for i, (s, e) in enumerate(split_sentences(b.text), 1)]
        g.link_document(doc)
        docs.append(doc)
    rep = term_report(docs, g)
    d = rep.to_dict()
    assert {k: d[k] for k in ("entries", "entries_used", "entry_coverage", "sentences", "sentences_with_terms",
                              "sentence_coverage", "links")} == {
        "entries": 3, "entries_used": 2, "entry_coverage": 0.6667, "sentences": 4, "sentences_with_terms": 3,
        "sentence_coverage": 0.75, "links": 4}
    assert d["occurrences"] == {"fang-guan-fu": 1, "ying-shang-huan-jing": 3}
    assert d["by_document"] == {"p1": {"fang-guan-fu": 1, "ying-shang-huan-jing": 1}, "p2": {"ying-shang-huan-jing": 2}}
    assert d["documents"]["p1"] == {"sentences": 3, "sentences_with_terms": 2, "sentence_coverage": 0.6667, "links": 2,
                                    "entries_used": 2}
    terms = {t["id"]: t for t in d["terms"]}
    assert terms["ying-shang-huan-jing"]["documents"] == {"p1": 1, "p2": 2}
    assert terms["ying-shang-huan-jing"]["sentences"] == ["p1.a1.p1.s1", "p2.a1.p1.s1"]  # two links, one sentence
    assert terms["fang-guan-fu"]["surfaces"] == {"放管服改革": 1}
    assert [t["id"] for t in d["terms"]] == ["ying-shang-huan-jing", "fang-guan-fu"]  # most frequent first
    assert [u["id"] for u in d["unused"]] == ["xiang-cun-zhen-xing"]
    text = rep.render()
    assert text.startswith("2 of 3 entries occur (67%); 3 of 4 sentences contain a term (75%); 4 links in 2 document(s)")
    assert "never occur (1):\n  乡村振兴  [xiang-cun-zhen-xing]" in text
    assert json.loads(rep.to_json()) == d


def test_report_command_links_a_corpus_and_prints_json(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "p.txt").write_text("本报讯 大连持续优化营商环境，深化“放管服”改革。\n\n营商环境建设成效明显。\n", "utf-8")
    (tmp_path / "g.tsv").write_text(f"{HEADER}\n营商环境\tbusiness environment\t\tying-shang-huan-jing\tapproved\n"
                                    "放管服\tstreamline administration\t\tfang-guan-fu\tapproved\n"
                                    "乡村振兴\trural revitalization\t\txiang-cun-zhen-xing\tapproved\n", "utf-8")
    (tmp_path / "annotate.toml").write_text('cache = "cache"\nner = false\n', "utf-8")
    out = subprocess.run([sys.executable, "-m", "annotate", "glossary", "report", "corpus", "--glossary", "g.tsv", "--json"],
                         capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    assert d["occurrences"] == {"fang-guan-fu": 1, "ying-shang-huan-jing": 2}
    assert [u["id"] for u in d["unused"]] == ["xiang-cun-zhen-xing"]
    assert list(d["by_document"]) == ["p"]
