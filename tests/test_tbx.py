"""TBX v3 (ISO 30042:2019), TBX-Basic dialect: the export against the official LTAC schemas.

The core structure is checked with lxml and with Debian's jing (RELAX NG); the TBX-Basic
Schematron (XPath 2) with the ISO Schematron skeleton and Debian's Saxon-HE running it as
XSLT 2.0 (annotate.glossary.tbx_validate says how).  Each check is also shown to reject a
file that breaks its rules, so a passing test means something.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from annotate.glossary import export_tbx, import_tbx, load_glossary
from annotate.glossary.tbx import ADMITTED, PREFERRED, TBX_NS, tbx_bytes
from annotate.glossary.tbx_validate import CORE_RNG, SAXON_JAR, schematron_failures, validate_tbx
from annotate.model import GlossaryEntry
from support import GLOSSARY, ROOT

T = f"{{{TBX_NS}}}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
COMMITTED = ROOT / "exports" / "tbx" / "glossary.tbx"

needs_jing = pytest.mark.skipif(shutil.which("jing") is None, reason="Debian's jing is not installed (apt install jing)")
needs_saxon = pytest.mark.skipif(
    shutil.which("java") is None or not SAXON_JAR.exists(),
    reason="Saxon-HE is needed for the XPath 2 Schematron (apt install libsaxonhe-java)")


def awkward_entries() -> list[GlossaryEntry]:
    """Every field filled, markup characters, a control character, parts of speech TBX-Basic cannot say."""
    return [
        GlossaryEntry(id="qu-bie", source="区别", target='a "quoted" <tag> & ampersand', comment="note & <b>",
                      alternatives=["x, y", "z"], variants=["区分"], pos="proper noun", domain="test & trial",
                      definition="Defined\x01 here.", source_ref="https://example.org/?a=1&b=2", status="approved"),
        GlossaryEntry(id="kong-bai", source="空白", target="blank", pos="verb phrase", status="draft"),
        GlossaryEntry(id="liang-ci", source="量词", target="measure word", pos="classifier"),
    ]


@pytest.fixture(scope="module")
def shipped_tbx(tmp_path_factory) -> Path:
    return export_tbx(load_glossary(GLOSSARY), tmp_path_factory.mktemp("tbx") / "glossary.tbx")


def jing(schema: Path, document: Path) -> tuple[int, list[str]]:
    out = subprocess.run(["jing", str(schema), str(document)], capture_output=True, text=True, timeout=300)
    # Debian's wrapper warns about optional jars it cannot find; those are not findings.
    lines = [ln for ln in (out.stdout + out.stderr).splitlines() if ln.strip() and not ln.startswith("[warning]")]
    return out.returncode, lines


def broken(path: Path, tmp_path: Path, old: str, new: str) -> Path:
    text = path.read_text("utf-8")
    assert old in text
    bad = tmp_path / f"broken-{abs(hash(old + new))}.tbx"
    bad.write_text(text.replace(old, new, 1), "utf-8")
    return bad


# -- the core structure ----------------------------------------------------------------------
def test_shipped_glossary_is_valid_tbx_v3_core_structure(shipped_tbx):
    assert validate_tbx(shipped_tbx) == []


def test_committed_export_is_valid_tbx_v3_core_structure():
    assert validate_tbx(COMMITTED) == []
    root = etree.parse(str(COMMITTED)).getroot()
    assert (root.tag, root.get("type"), root.get("style"), root.get(XML_LANG)) == (f"{T}tbx", "TBX-Basic", "dca", "en")


def test_core_schema_rejects_the_2008_format_and_misplaced_elements(tmp_path, shipped_tbx):
    old = tmp_path / "old.tbx"
    old.write_text('<martif type="TBX" xml:lang="en"><martifHeader/><text><body/></text></martif>', "utf-8")
    assert validate_tbx(old)
    # a note after the language sections of an entry is not allowed
    bad = broken(shipped_tbx, tmp_path, "</langSec>\n      </conceptEntry>", "</langSec>\n<note>late</note></conceptEntry>")
    assert any(":" in e for e in validate_tbx(bad))


@needs_jing
def test_jing_finds_no_error_against_the_core_schema(shipped_tbx, tmp_path):
    assert jing(CORE_RNG, shipped_tbx) == (0, [])
    assert jing(CORE_RNG, COMMITTED) == (0, [])
    code, lines = jing(CORE_RNG, broken(shipped_tbx, tmp_path, 'style="dca"', 'style="basic"'))
    assert code == 1 and any("style" in ln for ln in lines)


# -- the TBX-Basic dialect ---------------------------------------------------------------------
#: Faults of the old 2008-style export (issue 18), each put into a good file: (old, new, message).
FAULTS = [
    ('type="partOfSpeech">noun<', 'type="partOfSpeech">proper noun<', "/partOfSpeech/ type may be"),
    ('type="customerSubset"', 'type="elementWorkingStatus"', "Permitted type value(s): customerSubset"),
    ('type="TBX-Basic"', 'type="TBX"', "The name of this dialect should be TBX-Basic"),
    ('<descrip type="definition">', '<descrip type="subjectField">', "/subjectField/ may only appear at level(s): conceptEntry"),
]


@needs_saxon
def test_tbx_basic_schematron_has_no_failed_assert_and_catches_each_fault(shipped_tbx, tmp_path):
    awkward = export_tbx(awkward_entries(), tmp_path / "awkward.tbx")
    faulty = [broken(shipped_tbx, tmp_path, old, new) for old, new, _ in FAULTS]
    found = schematron_failures([shipped_tbx, COMMITTED, awkward, *faulty])  # one Saxon run
    assert found[shipped_tbx] == [] and found[COMMITTED] == [] and found[awkward] == []
    assert validate_tbx(awkward) == []
    for path, (_, _, words) in zip(faulty, FAULTS, strict=True):
        assert found[path] and all(words in m for m in found[path]), (words, found[path][:3])


# -- what the file says -----------------------------------------------------------------------
def test_fields_map_to_tbx_basic_data_categories():
    root = etree.fromstring(tbx_bytes(awkward_entries()))
    entry = root.find(f".//{T}conceptEntry[@id='qu-bie']")
    assert entry.findtext(f"{T}admin[@type='customerSubset']") == "test & trial"
    assert entry.findtext(f"{T}note") == "note & <b>"
    zh, en = entry.findall(f"{T}langSec")
    assert (zh.get(XML_LANG), en.get(XML_LANG)) == ("zh-CN", "en")
    source = zh.find(f"{T}termSec")
    assert source.findtext(f"{T}term") == "区别"
    assert source.findtext(f"{T}termNote[@type='administrativeStatus']") == PREFERRED
    assert source.findtext(f"{T}termNote[@type='partOfSpeech']") == "noun"  # the picklist has no proper noun …
    assert source.findtext(f"{T}note") == "part of speech: proper noun"  # … so the word is kept beside it
    assert [t.findtext(f"{T}termNote[@type='administrativeStatus']") for t in zh.findall(f"{T}termSec")] == [PREFERRED, ADMITTED]
    assert en.findtext(f"{T}descrip[@type='definition']") == "Defined here."  # U+0001 dropped: the file stays XML
    target = en.find(f"{T}termSec")
    assert target.findtext(f"{T}admin[@type='source']") == "https://example.org/?a=1&b=2"
    assert [t.findtext(f"{T}term") for t in en.findall(f"{T}termSec")] == ['a "quoted" <tag> & ampersand', "x, y", "z"]
    # a draft's target is admitted, not preferred: a CAT tool shows that it is not approved
    draft = root.find(f".//{T}conceptEntry[@id='kong-bai']")
    en_terms = draft.findall(f"{T}langSec")[1].findall(f"{T}termSec")
    assert en_terms[0].findtext(f"{T}termNote[@type='administrativeStatus']") == ADMITTED
    zh_term = draft.find(f"{T}langSec/{T}termSec")
    assert [n.text for n in zh_term.findall(f"{T}termNote")] == [PREFERRED, "verb", "phrase"]
    assert b"<!DOCTYPE" not in tbx_bytes(awkward_entries())  # nothing for a reader to fetch


def test_language_codes_can_be_chosen():
    root = etree.fromstring(tbx_bytes(awkward_entries()[:1], source_lang="zh-Hans", target_lang="en-US"))
    assert [ls.get(XML_LANG) for ls in root.iter(f"{T}langSec")] == ["zh-Hans", "en-US"]
    assert root.get(XML_LANG) == "en-US"


def test_round_trip_through_tbx_keeps_every_field(tmp_path):
    entries = [e for e in load_glossary(GLOSSARY).entries] + awkward_entries()
    back = import_tbx(export_tbx(entries, tmp_path / "g.tbx"))
    fields = ("id", "source", "target", "comment", "alternatives", "variants", "pos", "domain", "definition", "source_ref", "status")
    clean = lambda v: re.sub("\x01", "", v) if isinstance(v, str) else v  # noqa: E731
    assert [tuple(getattr(e, f) for f in fields) for e in back] == [tuple(clean(getattr(e, f)) for f in fields) for e in entries]


def test_import_reads_the_tbx_2008_format(tmp_path):
    (tmp_path / "old.tbx").write_text("""<?xml version="1.0"?>
<martif type="TBX-Basic" xml:lang="en"><martifHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></martifHeader>
<text><body><termEntry id="fang-guan-fu">
  <descrip type="subjectField">governance</descrip>
  <admin type="elementWorkingStatus">workingElement</admin>
  <langSet xml:lang="zh"><tig><term>放管服</term><termNote type="partOfSpeech">properNoun</termNote></tig></langSet>
  <langSet xml:lang="en"><ntig><termGrp><term>streamline administration</term>
    <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termGrp></ntig></langSet>
</termEntry></body></text></martif>""", "utf-8")
    [e] = import_tbx(tmp_path / "old.tbx")
    assert (e.id, e.source, e.target, e.pos, e.domain, e.status) == (
        "fang-guan-fu", "放管服", "streamline administration", "proper noun", "governance", "draft")


def test_export_command_takes_language_codes_from_the_settings_and_flags(tmp_path):
    from support import run_annotate

    (tmp_path / "annotate.toml").write_text(f'glossary = "{GLOSSARY}"\n[cat_tools]\nsource_lang = "zh-Hans"\n', "utf-8")
    out = run_annotate("glossary", "export", "--format", "tbx", "-o", "a.tbx", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    langs = {ls.get(XML_LANG) for ls in etree.parse(str(tmp_path / "a.tbx")).iter(f"{T}langSec")}
    assert langs == {"zh-Hans", "en"}
    out = run_annotate("glossary", "export", "--format", "tbx", "-o", "b.tbx", "--target-lang", "en-GB", cwd=tmp_path)
    assert {ls.get(XML_LANG) for ls in etree.parse(str(tmp_path / "b.tbx")).iter(f"{T}langSec")} == {"zh-Hans", "en-GB"}
    out = run_annotate("glossary", "export", "--format", "tbx", "-o", "c.tbx", "--source-lang", "zh_CN", cwd=tmp_path)
    assert out.returncode == 3 and "--source-lang 'zh_CN' is not a language tag" in out.stderr
    assert not (tmp_path / "c.tbx").exists()
