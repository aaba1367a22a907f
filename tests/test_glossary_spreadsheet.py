"""Glossary files as spreadsheets write them (issue 18), and hostile glossary cells (issue 13, cases 4 and 11).

The round trips go through Debian's LibreOffice Calc (``soffice --headless --convert-to``)
with the settings glossary/README.md recommends, and with the "quote all text cells" the
issue found rejecting every file.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from annotate.cli import main as cli_main
from annotate.glossary import load_glossary, write_tsv
from annotate.glossary.tbx_validate import validate_tbx
from annotate.model import Article, Block, Document, GlossaryEntry, Sentence
from support import GLOSSARY, TEST_PAGES, run_annotate

HEADER = "source\ttarget\tcomment\tid\tstatus\talternatives\tvariants\tpos\tdomain\tdefinition\treference"
FIELDS = ("id", "source", "target", "comment", "alternatives", "variants", "pos", "domain", "definition", "source_ref", "status")
SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (apt install libreoffice-calc-nogui)")


def fields(entries: list[GlossaryEntry]) -> list[tuple]:
    return [tuple(getattr(e, f) for f in FIELDS) for e in entries]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def links(glossary, text: str) -> list[tuple[str, str]]:
    block = Block(id="d.a1.p1", kind="paragraph", text=text, sentences=[Sentence(id="d.a1.p1.s1", start=0, end=len(text), text=text)])
    doc = Document(id="d", articles=[Article(id="d.a1", blocks=[block])])
    glossary.link_document(doc)
    return [(t.surface, t.entry_id) for t in doc.terms]


# -- what spreadsheets write ----------------------------------------------------------------------
def test_reads_quoted_cells_doubled_quotes_trailing_tabs_bom_and_crlf(tmp_path):
    quoted_header = "\t".join(f'"{c}"' for c in HEADER.split("\t"))
    text = ("\ufeff" + '"# Places."' + "\t" * 10 + "\r\n" + quoted_header + "\r\n"
            '"辽宁自贸试验区"\t"China (Liaoning) Pilot Free Trade Zone"\t"Often written ""Liaoning FTZ""."\t'
            '"liao-ning-zi-mao-shi-yan-qu"\t"approved"\t\t\t\t\t\t\r\n'
            '"营商环境"\t"business environment"\t"two lines\r\nin one cell"\t"ying-shang-huan-jing"\t"draft"\t\t\r\n')
    g = load_glossary(write(tmp_path / "g.tsv", text))
    assert [(e.source, e.target, e.comment, e.status, e.line) for e in g.entries] == [
        ("辽宁自贸试验区", "China (Liaoning) Pilot Free Trade Zone", 'Often written "Liaoning FTZ".', "approved", 3),
        ("营商环境", "business environment", "two lines in one cell", "draft", 4)]
    assert [(p.line, p.severity) for p in g.problems] == [(4, "warning")]  # only the line break is worth saying
    assert "comment (lines 4-5) holds a line break; read as a space" in g.problems[0].message


def test_reads_excel_unicode_text(tmp_path):
    # Excel's "Unicode Text (*.txt)": UTF-16 with a byte-order mark, tab-separated
    g = load_glossary(write(tmp_path / "g.tsv", "\ufeff" + HEADER + "\r\n营商环境\tbusiness environment\t\tying-shang-huan-jing\r\n", "utf-16-le"))
    assert [(e.source, e.target) for e in g.entries] == [("营商环境", "business environment")] and g.problems == []


def test_our_writer_quotes_what_the_reader_would_take_for_quoting(tmp_path):
    entry = GlossaryEntry(id="yi-zhan-shi", source="一站式", target="one-stop", comment='"One-stop" is the usual form',
                          definition='Said "yi zhan shi".')
    path = write_tsv([entry], tmp_path / "g.tsv")
    assert '\t"""One-stop"" is the usual form"\t' in path.read_text("utf-8")
    back = load_glossary(path)
    assert fields(back.entries) == fields([entry]) and back.problems == []


# -- a real LibreOffice round trip ----------------------------------------------------------------
def awkward_entries() -> list[GlossaryEntry]:
    """Cells a spreadsheet likes to change: quotation marks, numbers, dates, fractions, leading zeros."""
    return [
        GlossaryEntry(id="liao-ning-ftz", source="辽宁自贸区", target="Liaoning FTZ", comment='Often written "Liaoning FTZ".',
                      alternatives=["Liaoning Pilot FTZ", "the FTZ"], status="approved", source_ref="https://example.org/a?b=1&c=2"),
        GlossaryEntry(id="yi-zhan-shi", source="一站式", target="one-stop", comment='"One-stop" is the usual form'),
        GlossaryEntry(id="zeng-zhang", source="增长率", target="growth rate", comment="15.4%", definition="2019-05-01"),
        GlossaryEntry(id="ban-nian", source="半年", target="half a year", comment="1/2", definition="0012"),
        GlossaryEntry(id="wu-g", source="5G网络", target="5G network", pos="noun", domain="industry"),
    ]


def libreoffice(files: list[Path], out: Path, *, quote_all: bool, text_columns: bool) -> Path:
    """Open each file in LibreOffice Calc as tab-separated UTF-8 and save it back the same way, into ``out``."""
    columns = "/".join(f"{i}/2" for i in range(1, 12)) if text_columns else ""  # 2 = column type Text
    infilter = f"CSV:9,34,76,1,{columns}"
    outfilter = f"csv:Text - txt - csv (StarCalc):9,34,76,1,,0,{'true' if quote_all else 'false'},true"
    work = out.parent / f"{out.name}-work"
    (work / "in").mkdir(parents=True)
    for f in files:
        shutil.copy(f, work / "in" / (f.stem + ".csv"))  # the CSV filter wants a .csv name
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{work / 'profile'}", f"--infilter={infilter}",
                    "--convert-to", outfilter, "--outdir", str(work / "saved"), *sorted(map(str, (work / "in").glob("*.csv")))],
                   capture_output=True, text=True, timeout=600, check=True)
    out.mkdir()
    for f in files:
        (out / f.name).write_bytes((work / "saved" / (f.stem + ".csv")).read_bytes())
    return out


@pytest.fixture(scope="module")
def originals(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("originals")
    for f in sorted(GLOSSARY.glob("*.tsv")):
        shutil.copy(f, folder / f.name)
    write_tsv(awkward_entries(), folder / "zz-awkward.tsv")
    return sorted(folder.glob("*.tsv"))


@needs_soffice
@pytest.mark.parametrize("quote_all", [False, True], ids=["default", "quote-all"])
def test_libreoffice_round_trip_with_the_recommended_settings_loses_nothing(tmp_path, originals, quote_all):
    saved = libreoffice(originals, tmp_path / "glossary", quote_all=quote_all, text_columns=True)
    before, after = load_glossary(originals[0].parent), load_glossary(saved)
    assert fields(after.entries) == fields(before.entries)
    assert len(after.entries) == 131 + len(awkward_entries())
    assert after.problems == before.problems == []


@needs_soffice
def test_quote_all_with_standard_columns_is_read_and_every_changed_cell_is_reported(tmp_path, originals):
    # what the issue did: "quote all text cells", columns left as "Standard"
    saved = libreoffice(originals, tmp_path / "glossary", quote_all=True, text_columns=False)
    before, after = load_glossary(originals[0].parent), load_glossary(saved)
    assert not after.errors and len(after.entries) == len(before.entries)  # every file is read
    changed = {e.line for e, b in zip(after.entries, before.entries, strict=True) if fields([e]) != fields([b])}
    assert changed  # LibreOffice did rewrite numbers and dates …
    warned = {p.line for p in after.warnings if Path(p.path).name == "zz-awkward.tsv" and "number or date" in p.message}
    assert changed <= warned  # … and each rewritten row is reported, none silently
    shipped = [e for e in after.entries if Path(e.file).name != "zz-awkward.tsv"]
    assert fields(shipped) == fields([e for e in before.entries if Path(e.file).name != "zz-awkward.tsv"])


# -- issue 13, case 4: a control character in a cell ------------------------------------------
def control_glossary(tmp_path: Path) -> Path:
    folder = tmp_path / "glossary"
    folder.mkdir()
    write(folder / "g.tsv", f"{HEADER}\n放管服\tstreamline administration\t\tfang-guan-fu\tapproved\n"
                            "营商环境\tbusiness\x01 environment\t\tying-shang-huan-jing\tapproved\n")
    return folder


def test_control_character_is_an_error_with_file_and_line(tmp_path, capsys):
    folder = control_glossary(tmp_path)
    assert cli_main(["glossary", "check", str(folder)]) == 1
    out = capsys.readouterr().out
    assert f"{folder / 'g.tsv'}:3: error: target holds the control character U+0001" in out
    assert [e.source for e in load_glossary(folder).entries] == ["放管服"]


def test_tbx_export_of_a_glossary_with_a_control_character_is_valid(tmp_path):
    folder = control_glossary(tmp_path)
    out = run_annotate("glossary", "export", "--format", "tbx", "-o", str(tmp_path / "g.tbx"), "--glossary", str(folder), cwd=tmp_path)
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    assert "1 entries written" in out.stdout and "1 errors" in out.stderr
    assert validate_tbx(tmp_path / "g.tbx") == []


def test_run_with_a_control_character_in_the_glossary_finishes_and_its_exports_are_valid(tmp_path):
    folder = control_glossary(tmp_path)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(TEST_PAGES / "several-short-articles.txt", corpus)
    out = run_annotate("run", str(corpus), "-o", str(tmp_path / "exports"), "--cache", str(tmp_path / "cache"),
                       "--glossary", str(folder), "--layers", "tbx,tei,tmx", cwd=tmp_path)
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    assert "U+0001" in out.stdout + out.stderr  # the skipped row is named
    assert validate_tbx(tmp_path / "exports" / "tbx" / "glossary.tbx") == []
    from annotate.export.validate import validate_tei

    assert all(validate_tei(p) == [] for p in (tmp_path / "exports" / "tei").glob("*.xml"))


# -- issue 13, case 11: rows with errors are not used ------------------------------------------
def test_error_rows_do_not_link_inside_english_words(tmp_path):
    g = load_glossary(write(tmp_path / "g.tsv", f"{HEADER}\nAI\tartificial intelligence\t\tai\tapproved\n"
                                                 "G\tgiga\t\tg\tdraft\n放管服\tstreamline administration\t\tfang-guan-fu\tapproved\n"))
    assert {p.line for p in g.errors} == {2, 3}
    assert links(g, "He SAID the AGV fleet follows 放管服.") == [("放管服", "fang-guan-fu")]


def test_spreadsheet_quoted_cells_link(tmp_path):
    quoted = "\t".join(f'"{c}"' for c in HEADER.split("\t")) + "\n" + '"营商环境"\t"business environment"\t""\t"ying-shang-huan-jing"\n'
    g = load_glossary(write(tmp_path / "g.tsv", quoted))
    assert g.problems == []
    assert links(g, "优化营商环境。") == [("营商环境", "ying-shang-huan-jing")]
