"""VRT for CWB: each file read the way ``cwb-encode -c utf8 -x -s -B`` reads it, and the recipe in
docs/exports.md checked against the writer (and run verbatim where CWB is installed).

CWB is not packaged for Debian or PyPI, so :func:`cwb_encode_read` applies the rules of
CWB's ``utils/cwb-encode.c`` (3.4/3.5) that decide what a line becomes: tags, element
attributes, token columns, blanks, entities, the line length limit.  Where cwb-encode would
silently change a value (a missing column becomes ``__UNDEF__``, an extra one is dropped,
``&foo;`` is kept as is) or print a warning, the reader reports it.  It was checked against
a real cwb-encode 3.4.16 built from the CWB sources: the bundled page encodes with no
warning into the same counts (3,177 tokens, 137 s, 53 p, 5 articles, 1 text).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field

import pytest

from annotate.export.vrt import P_ATTRIBUTES, vrt_text, write_vrt
from annotate.glossary import load_glossary
from annotate.ingest import ingest_file
from annotate.translate.gloss import Glosser
from conftest_exports import annotator
from sample_docs import sample_document
from support import GLOSSARY, PAGE, ROOT

#: The -S declarations of docs/exports.md: element → its attributes.
S_ATTRIBUTES = {"text": ("id", "title", "date", "source"), "article": ("id",), "p": ("id", "type"), "s": ("id",)}
NULL_ATTRIBUTES = {"g"}  # -0 g: glue tags are dropped
MAX_LINE = 65536 - 2  # MAX_INPUT_LINE_LENGTH in cwb-encode.c, in bytes
_NAME = re.compile(r"[A-Za-z0-9\-_\x80-\U0010ffff]*")  # cl_xml_is_name_char
_ENTITY = re.compile(r"&(lt|gt|amp|quot|apos);")  # the five cl_xml_entity_decode knows


@dataclass
class Encoded:
    tokens: list[list[str]] = field(default_factory=list)  # decoded p-attribute values per token
    regions: dict[str, list[tuple[int, int, dict[str, str]]]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _decode(value: str, where: str, problems: list[str]) -> str:
    if re.search(r"&(?!(lt|gt|amp|quot|apos);)", value):
        problems.append(f"{where}: '&' that is not one of the five XML entities is kept as is: {value!r}")
    return _ENTITY.sub(lambda m: {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}[m.group(1)], value)


def cwb_encode_read(text: str, p_attributes=P_ATTRIBUTES, s_attributes=S_ATTRIBUTES, null=NULL_ATTRIBUTES) -> Encoded:
    """What cwb-encode makes of ``text`` with ``-c utf8 -x -s -B``, -P per p-attribute, -S name:0+atts, -0 null."""
    out = Encoded(regions={name: [] for name in s_attributes})
    problems = out.problems
    is_open: dict[str, tuple[int, dict[str, str]]] = {}
    if "\r" in text:
        problems.append("CR in the file (cwb-encode strips CR only before LF)")
    if not text.endswith("\n"):
        problems.append("no line end after the last line")
    for n, line in enumerate(text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"), 1):
        where = f"line {n}"
        if len(line.encode("utf-8")) >= MAX_LINE:
            problems.append(f"{where}: longer than cwb-encode's {MAX_LINE} bytes (encoding aborts)")
        buf = line.lstrip(" ")  # -B
        if buf != line:
            problems.append(f"{where}: leading blanks (stripped)")
        if not buf:
            problems.append(f"{where}: empty line (skipped by -s)")
            continue
        if buf.startswith(("<?", "<!")):
            problems.append(f"{where}: XML declaration or comment (skipped by -x)")
            continue
        looks_like_token = buf.count("\t") + 1 == len(p_attributes)
        if buf[0] == "<":
            k = 2 if buf[1:2] == "/" else 1
            name = _NAME.match(buf, k).group()
            after = buf[k + len(name):k + len(name) + 1]
            if name and after in (" ", "\t", ">", "/"):
                if name in null:
                    continue
                if name in s_attributes:
                    if k == 2:
                        if buf != f"</{name}>":
                            problems.append(f"{where}: material in or after the end tag: {buf!r}")
                        if name not in is_open:
                            problems.append(f"{where}: </{name}> closes no region")
                        else:
                            start, attrs = is_open.pop(name)
                            if start == len(out.tokens):
                                problems.append(f"{where}: empty <{name}> region (dropped)")
                            out.regions[name].append((start, len(out.tokens) - 1, attrs))
                        continue
                    if not buf.rstrip(" \t").endswith(">"):
                        problems.append(f"{where}: tag does not end with > (annotations ignored)")
                    body = buf[k + len(name):].rstrip(" \t")[:-1]
                    attrs = {}
                    for m in re.finditer(r'\s*([^\s=]+)\s*=\s*"([^"]*)"|\s*(\S+)', body):
                        if m.group(3):
                            problems.append(f"{where}: attribute syntax cwb-encode does not read: {m.group(3)!r}")
                            continue
                        att, value = m.group(1), m.group(2)
                        if att not in s_attributes[name]:
                            problems.append(f"{where}: undeclared attribute <{name} {att}=…> (ignored)")
                        elif att in attrs:
                            problems.append(f"{where}: duplicate attribute {att} (ignored)")
                        else:
                            attrs[att] = _decode(value, where, problems)
                    missing = [a for a in s_attributes[name] if a not in attrs]
                    if missing:
                        problems.append(f"{where}: <{name}> without {missing} (encoded as empty)")
                    if name in is_open:
                        problems.append(f"{where}: <{name}> inside <{name}> (declared :0, not nested)")
                    is_open[name] = (len(out.tokens), attrs)
                    continue
                if not looks_like_token:
                    problems.append(f"{where}: undeclared tag <{name}> inserted literally as a token")
            elif not looks_like_token:
                problems.append(f"{where}: malformed tag inserted literally as a token")
        cells = buf.split("\t")
        if len(cells) != len(p_attributes):
            problems.append(f"{where}: {len(cells)} columns for {len(p_attributes)} attributes "
                            "(missing ones become __UNDEF__, extra ones are dropped)")
        values = []
        for att, cell in zip(p_attributes, cells, strict=False):
            if cell != cell.strip(" "):
                problems.append(f"{where}: blanks around the {att} value (stripped by -B)")
            if not cell.strip(" "):
                problems.append(f"{where}: empty {att} (encoded as __UNDEF__)")
            if "<" in cell or ">" in cell:
                problems.append(f"{where}: raw < or > in {att}")
            values.append(_decode(cell.strip(" "), where, problems))
        out.tokens.append(values)
    for name in is_open:
        problems.append(f"end of file: <{name}> not closed (cwb-encode closes it)")
    return out


@pytest.fixture(scope="module")
def example():
    glossary = load_glossary(GLOSSARY)
    doc = annotator().annotate(ingest_file(PAGE))
    glossary.link_document(doc)
    Glosser(glossary.by_id).gloss_document(doc)
    return doc


def test_bundled_page_encodes_without_a_warning(example):
    enc = cwb_encode_read(vrt_text(example))
    assert enc.problems == []
    # A real cwb-encode 3.4.16 counted 3,177 tokens and these regions for this page (see the module
    # doc) before the UD token layer (issue 15) split numbers from units: 3,277 tokens since.
    counts = {name: len(r) for name, r in enc.regions.items()}
    assert (len(enc.tokens), counts) == (len(example.tokens), {"text": 1, "article": 5, "p": 53, "s": 137})
    assert len(enc.tokens) == 3277
    assert [t[0] for t in enc.tokens] == [t.text for t in example.tokens]
    row = next(t for t in enc.tokens if t[0] == "双轮驱动")
    assert row[:6] == ["双轮驱动", "NOUN", "双轮驱动", "shuāng lún qū dòng", "shuang1 lun2 qu1 dong4", "shuang-lun-qu-dong"]
    assert {t[6] for t in enc.tokens} <= {"_", "PER", "LOC", "ORG", "TIME"} and any(t[6] == "PER" for t in enc.tokens)
    (start, end, attrs), = enc.regions["text"]
    assert (start, end) == (0, 3276) and attrs["id"] == example.id and attrs["title"] == example.meta["title"]
    assert [a["id"] for _, _, a in enc.regions["s"]] == [s.id for s in example.sentences if s.tokens]


def test_committed_vrt_encodes_without_a_warning():
    for path in sorted((ROOT / "exports" / "vrt").glob("*.vrt")):
        assert cwb_encode_read(path.read_text("utf-8")).problems == [], path


def test_markup_and_whitespace_come_back_as_written():
    doc = sample_document()
    doc.meta["title"] = "A \"quoted\" <title> & 'more' &amp; done"
    tok = doc.sentences[0].tokens[0]
    tok.text, tok.lemma, tok.xpos, tok.pinyin = "<&>", "a\tb\nc", "", "&lt;"
    enc = cwb_encode_read(vrt_text(doc))
    assert enc.problems == []
    assert enc.regions["text"][0][2]["title"] == doc.meta["title"]  # entities decoded back to the text
    first = enc.tokens[0]
    assert (first[0], first[2], first[3], first[7]) == ("<&>", "a b c", "&lt;", "_")  # "_" marks an empty value


def test_reader_catches_what_cwb_encode_would_change():
    # the checks bite: each broken line is reported, so an empty list above means something
    good = vrt_text(sample_document())
    token = next(ln for ln in good.splitlines() if not ln.startswith("<"))
    cases = {
        "columns": (token, token + "\textra"),
        "empty": (token, "\t".join(["", *token.split("\t")[1:]])),
        "entity": (token, "AT&T" + token[token.index("\t"):]),
        "tag": ('<s id="', '<s id="x" lang="zh" id2="'),
        "glue": ("<g/>", "<glue/>"),
    }
    for what, (old, new) in cases.items():
        assert cwb_encode_read(good.replace(old, new, 1)).problems, what


# -- the recipe in docs/exports.md -----------------------------------------------------------
def recipe() -> str:
    text = (ROOT / "docs" / "exports.md").read_text("utf-8")
    section = text[text.index("### CWB and CQPweb"):]
    return re.search(r"```sh\n(.*?)```", section, re.S).group(1)


def test_recipe_uses_core_cwb_tools_and_creates_its_folders():
    sh = recipe()
    lines = [ln for ln in sh.replace("\\\n", " ").splitlines() if ln.strip() and not ln.startswith("#")]
    commands = {part.split()[0] for ln in lines for part in re.sub(r"'[^']*'", "''", ln).split("|")}
    assert commands <= {"mkdir", "cwb-encode", "cwb-makeall", "cqp", "cwb-describe-corpus", "echo"}, commands
    assert {"cwb-encode", "cwb-makeall", "cqp"} <= commands and "cwb-make" not in commands
    mkdir = next(ln for ln in lines if ln.startswith("mkdir -p "))
    assert "~/cwb/registry" in mkdir.split() and "~/cwb/data/annotate" in mkdir.split()  # the folders -d and -R name
    assert "-d ~/cwb/data/annotate" in sh and "-R ~/cwb/registry/annotate" in sh


def test_recipe_declares_exactly_what_the_writer_writes():
    flat = recipe().replace("\\\n", " ")
    assert re.findall(r"-P (\w+)", flat) == list(P_ATTRIBUTES[1:])  # word is the default first attribute
    declared = dict(re.findall(r"-S (\w+):0\+?([\w+]*)", flat))
    assert {k: tuple(v.split("+")) for k, v in declared.items()} == S_ATTRIBUTES
    assert "-0 g" in flat and " -x" in flat and "-c utf8" in flat


@pytest.mark.skipif(shutil.which("cwb-encode") is None, reason="CWB is not installed (it is not packaged for Debian or PyPI)")
def test_recipe_runs_verbatim_with_cwb(tmp_path, example):
    exports = tmp_path / "exports"
    write_vrt(example, exports / "vrt")
    home = tmp_path / "home"
    home.mkdir()
    out = subprocess.run(["bash", "-e", "-c", recipe()], cwd=tmp_path, capture_output=True, text=True, timeout=600,
                         env={**os.environ, "HOME": str(home)})
    assert out.returncode == 0, out.stderr
    described = subprocess.run(["cwb-describe-corpus", "-r", str(home / "cwb" / "registry"), "-s", "ANNOTATE"],
                               capture_output=True, text=True, check=True).stdout
    assert re.search(r"size \(tokens\):\s+3177", described)
    for name, n in {"text": 1, "article": 5, "p": 53, "s": 137}.items():
        assert re.search(rf"s-ATT {name}\s+{n} regions", described), name
    assert "Warning" not in out.stdout + out.stderr and "warning" not in out.stderr
    assert "放管服" in out.stdout  # the recipe's cqp query printed its hits
