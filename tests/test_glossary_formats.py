"""Glossary exchange: TBX, CSV and OmegaT export and import, round trips, and the CLI.

The TBX export against the official TBX v3 schemas: tests/test_tbx.py; OmegaT itself:
tests/test_omegat.py."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from annotate.glossary import export_tbx, import_tbx, load_glossary
from annotate.glossary.formats import (
    export_csv,
    export_glossary,
    export_omegat,
    import_csv,
    import_glossary,
    import_omegat,
)
from annotate.model import GlossaryEntry
from support import ROOT, run_annotate

SHIPPED = ROOT / "glossary"
FIELDS = ("id", "source", "target", "comment", "alternatives", "variants", "pos", "domain", "definition", "source_ref", "status")

def fields(e: GlossaryEntry) -> tuple:
    return tuple(getattr(e, f) for f in FIELDS)


@pytest.fixture(scope="module")
def glossary():
    """The shipped glossary plus entries exercising every field and awkward characters."""
    g = load_glossary(SHIPPED)
    g.entries = list(g.entries) + [
        GlossaryEntry(id="qu-bie", source="区别", target='a "quoted" <tag> & ampersand', comment="note, with; commas\nand a line",
                      alternatives=["x, y", "z"], variants=["区分", "区隔"], pos="verb", domain="test",
                      definition="Defined; with a tab\there.", source_ref="https://example.org/?a=1&b=2", status="approved"),
        GlossaryEntry(id="kong-bai", source="空白", target="blank", status="draft"),  # every optional field empty
    ]
    return g


def normalised(e: GlossaryEntry) -> tuple:
    # Tabs and line breaks cannot live in a cell; every format turns them into spaces.
    return tuple(" ".join(v.split()) if isinstance(v, str) else v for v in fields(e))


def test_tbx_round_trip_keeps_every_field(tmp_path, glossary):
    back = import_tbx(export_tbx(glossary, tmp_path / "g.tbx"))
    assert [fields(e) for e in back] == [normalised(e) for e in glossary.entries]


def test_csv_round_trip_keeps_every_field(tmp_path, glossary):
    back = import_csv(export_csv(glossary, tmp_path / "g.csv"))
    assert [fields(e) for e in back] == [normalised(e) for e in glossary.entries]


def test_omegat_round_trip_keeps_source_target_comment(tmp_path, glossary):
    path = export_omegat(glossary, tmp_path / "g.utf8")
    assert not path.read_text("utf-8").startswith("source\t")  # OmegaT would read a header row as a term
    back = import_omegat(path)
    assert [(e.source, e.target, e.comment) for e in back] == [normalised(e)[1:4] for e in glossary.entries]


def test_exports_are_byte_identical_when_repeated(tmp_path, glossary):
    for fmt, suffix in (("tbx", "tbx"), ("csv", "csv"), ("omegat", "utf8")):
        a = export_glossary(glossary, tmp_path / f"a.{suffix}", fmt).read_bytes()
        b = export_glossary(glossary, tmp_path / f"b.{suffix}", fmt).read_bytes()
        assert a == b, fmt


def test_omegat_export_refuses_a_name_omegat_skips(tmp_path, glossary):
    from annotate.errors import InputError

    with pytest.raises(InputError, match=r"named \.utf8 or \.txt.*\(name it g\.utf8\)"):
        export_omegat(glossary, tmp_path / "g.tsv")
    assert not (tmp_path / "g.tsv").exists()


def test_import_reads_tbx_written_by_translate_toolkit(tmp_path):
    from translate.storage.tbx import tbxfile

    store = tbxfile(sourcelanguage="zh-CN", targetlanguage="en-US")
    unit = store.addsourceunit("放管服")
    unit.setid("fang-guan-fu")
    unit.set_source_terms(["放管服", "放管服改革"])
    unit.set_target_terms(["streamline administration", "delegate power"])
    unit.addnote("Often shortened.")
    (tmp_path / "tt.tbx").write_bytes(bytes(store))
    [e] = import_tbx(tmp_path / "tt.tbx")
    assert fields(e) == ("fang-guan-fu", "放管服", "streamline administration", "Often shortened.", ["delegate power"],
                         ["放管服改革"], "", "", "", "", "draft")


TBX_V3 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>from another tool</p></sourceDesc></fileDesc></tbxHeader>
  <text><body>
    <conceptEntry id="c1">
      <descrip type="subjectField">trade</descrip>
      <langSec xml:lang="zh-Hans">
        <termSec><term>自贸区</term><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></termSec>
        <termSec><term>自贸试验区</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
          <termNote type="partOfSpeech">noun</termNote></termSec>
      </langSec>
      <langSec xml:lang="en-GB">
        <descrip type="definition">Where reforms are tried first.</descrip>
        <termSec><term>pilot free trade zone</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
        <termSec><term>free trade area</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec>
      </langSec>
    </conceptEntry>
  </body></text>
</tbx>
"""


def test_import_reads_tbx_v3_preferred_term_first_and_keeps_deprecated_in_the_comment(tmp_path):
    (tmp_path / "v3.tbx").write_text(TBX_V3, "utf-8")
    [e] = import_tbx(tmp_path / "v3.tbx")
    # the preferred English term is the approved target (TBX-Basic has no working status)
    assert fields(e) == ("c1", "自贸试验区", "pilot free trade zone", "deprecated: free trade area", [], ["自贸区"], "noun",
                         "trade", "Where reforms are tried first.", "", "approved")
    assert e.line == 5


@pytest.mark.parametrize(("content", "line", "words"), [
    ("<martif><text><body><termEntry id='a'>\n<langSet xml:lang='en'><tig><term>x</term></tig></langSet></termEntry>"
     "</body></text></martif>", 1, "lacks a usable Chinese or English term"),
    ("<martif>\n<text>\n<body></martif>", 3, "not well-formed XML"),
    ("<html/>", 1, "not a TBX file"),
])
def test_broken_tbx_is_a_one_line_error_with_its_line(tmp_path, content, line, words):
    from annotate.errors import InputError

    (tmp_path / "bad.tbx").write_text(content, "utf-8")
    with pytest.raises(InputError) as err:
        import_tbx(tmp_path / "bad.tbx")
    assert err.value.line == line and words in str(err.value) and "\n" not in str(err.value)


def test_tbx_import_does_not_expand_entities(tmp_path):
    (tmp_path / "x.tbx").write_text(
        '<?xml version="1.0"?><!DOCTYPE martif [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        "<martif><text><body><termEntry id='a'><langSet xml:lang='zh'><tig><term>甲&e;</term></tig></langSet>"
        "<langSet xml:lang='en'><tig><term>a</term></tig></langSet></termEntry></body></text></martif>", "utf-8")
    [e] = import_tbx(tmp_path / "x.tbx")
    assert "root" not in e.source


def test_csv_import_reports_bad_rows_with_the_line_they_start_on(tmp_path):
    from annotate.errors import InputError

    (tmp_path / "g.csv").write_text('source,target,comment\n放管服,streamline,"a note\nover two lines"\n营商环境,,\n', "utf-8")
    with pytest.raises(InputError) as err:
        import_csv(tmp_path / "g.csv")
    assert err.value.line == 4 and "empty target for 营商环境" in str(err.value)


def run_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return run_annotate(*args, cwd=tmp_path)


def test_export_and_import_commands(tmp_path):
    glossary = tmp_path / "glossary"
    glossary.mkdir()
    (glossary / "a.tsv").write_text(
        "source\ttarget\tcomment\tid\tstatus\tvariants\n营商环境\tbusiness environment\t\tying-shang-huan-jing\tapproved\n", "utf-8")
    out = run_cli(tmp_path, "glossary", "export", "--format", "tbx", "-o", "g.tbx", "--glossary", "glossary")
    assert out.returncode == 0 and "1 entries written to g.tbx" in out.stdout, out.stderr
    # An OmegaT file from a translator: no IDs; one term is the glossary's, one clashes with a taken ID.
    (tmp_path / "theirs.utf8").write_text("营商环境\tbusiness climate\n放管服\tstreamline administration\tthe usual\n", "utf-8")
    (tmp_path / "other.tsv").write_text("source\ttarget\tid\n外部\tx\tfang-guan-fu\n", "utf-8")
    out = run_cli(tmp_path, "glossary", "import", "theirs.utf8", "-o", "glossary/imported.tsv", "--glossary", "glossary")
    assert out.returncode == 0, out.stderr
    assert "2 entries written to glossary/imported.tsv (2 given new IDs from pinyin)" in out.stdout
    rows = [r.split("\t") for r in (glossary / "imported.tsv").read_text("utf-8").splitlines() if not r.startswith("#")]
    assert [r[:4] for r in rows[1:]] == [["营商环境", "business climate", "", "ying-shang-huan-jing-2"],
                                         ["放管服", "streamline administration", "the usual", "fang-guan-fu"]]
    # The merged glossary now has 营商环境 twice with different English: check says so.
    out = run_cli(tmp_path, "glossary", "check", "glossary")
    assert out.returncode == 1 and "imported.tsv:3: error: source 营商环境 is also at" in out.stdout


def test_import_command_writes_nothing_when_the_file_has_errors(tmp_path):
    (tmp_path / "g.csv").write_text("source,target\n放管服,\n", "utf-8")
    out = run_cli(tmp_path, "glossary", "import", "g.csv", "-o", "out.tsv")
    assert out.returncode == 3 and not (tmp_path / "out.tsv").exists()
    assert "g.csv:2: error: empty target for 放管服" in out.stdout
    assert out.stderr.strip() == "annotate: error: g.csv: 1 errors; nothing written (fix the lines above and import again)"


def test_import_needs_a_known_format(tmp_path):
    (tmp_path / "g.xlsx").write_bytes(b"PK")
    out = run_cli(tmp_path, "glossary", "import", "g.xlsx", "-o", "out.tsv")
    assert out.returncode == 3 and "cannot tell the format from the file name" in out.stderr
    assert import_glossary is not None  # the same dispatch the command uses


def test_import_reads_a_spreadsheet_quoted_tsv_as_a_glossary(tmp_path):
    (tmp_path / "g.tsv").write_text('"source"\t"target"\t"comment"\t"id"\n"营商环境"\t"business environment"\t'
                                    '"Say ""business"", not ""climate""."\t"ying-shang-huan-jing"\n', "utf-8")
    [e] = import_glossary(tmp_path / "g.tsv")
    assert (e.source, e.target, e.comment, e.id) == ("营商环境", "business environment", 'Say "business", not "climate".',
                                                     "ying-shang-huan-jing")


def test_import_does_not_replace_an_existing_file_without_force(tmp_path):
    (tmp_path / "theirs.utf8").write_text("营商环境\tbusiness environment\n", "utf-8")
    (tmp_path / "out.tsv").write_text("keep me\n", "utf-8")
    out = run_cli(tmp_path, "glossary", "import", "theirs.utf8", "-o", "out.tsv")
    assert out.returncode == 3 and "out.tsv: the output file exists; nothing written" in out.stderr
    assert (tmp_path / "out.tsv").read_text("utf-8") == "keep me\n"
    assert run_cli(tmp_path, "glossary", "import", "theirs.utf8", "-o", "out.tsv", "--force").returncode == 0
    assert "营商环境" in (tmp_path / "out.tsv").read_text("utf-8")
