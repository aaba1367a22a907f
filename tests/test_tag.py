"""`annotate tag`: plain text in, CoNLL-U or JSON lines out, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from annotate.annotation import Annotator
from annotate.commands import tag as tag_cmd
from conftest_exports import ud_errors

TEXT = "大连市实施营商环境建设“一把手”工程。记者杨丽娟报道。\n\n  2019年，大连港完成 VLCC 吞吐量876万标准箱。\n"


def annotate_tag(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "annotate", "tag", *args], input=stdin, capture_output=True, check=False)


@pytest.fixture(scope="module")
def conllu() -> str:
    proc = annotate_tag(stdin=TEXT.encode())
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.decode()


def rows(text: str) -> list[list[str]]:
    return [ln.split("\t") for ln in text.splitlines() if ln and not ln.startswith("#")]


def test_forms_spell_the_input(conllu):
    assert "".join(r[1] for r in rows(conllu)) == "".join(TEXT.split())


def test_conllu_as_ud_treebanks_write_it(conllu):
    assert ud_errors(conllu) == []
    lines = conllu.splitlines()
    assert lines[0] == "# newdoc id = stdin"
    assert "# sent_id = stdin.a1.p1.s1" in lines and "# sent_id = stdin.a1.p3.s1" in lines  # p<line number>
    assert "# text = 记者杨丽娟报道。" in lines
    by = {r[1]: r for r in rows(conllu)}
    misc = lambda w: dict(kv.split("=", 1) for kv in by[w][9].split("|") if "=" in kv)  # noqa: E731
    assert misc("杨丽娟")["NE"] == "B-PER" and by["杨丽娟"][3] == "PROPN"
    assert misc("报道")["Translit"] == "bàodào" and misc("报道")["SpaceAfter"] == "No"
    assert "SpaceAfter" not in misc("VLCC")  # a space follows it in the input
    assert by["2019"][3] == "NUM" and by["年"][3] == "NOUN"  # UD: number and unit apart
    from annotate.zh import has_han

    assert all("Translit=" in r[9] for r in rows(conllu) if has_han(r[1]))  # digits and Latin need none


def test_jsonl_one_record_per_paragraph(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = annotate_tag(str(src), "--format", "jsonl", "-o", str(out), "--no-ner")
    assert proc.returncode == 0 and proc.stdout == b"", proc.stderr
    records = [json.loads(ln) for ln in out.read_text("utf-8").splitlines()]
    assert [r["line"] for r in records] == [1, 3]
    for r in records:
        for s in r["sentences"]:
            assert all(r["text"][t["start"]:t["end"]] == t["form"] for t in s["tokens"])
            assert s["entities"] == []  # --no-ner


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xe5\xa4\xa7\xe8\xbf\x9e\n\xff\xfe\n", "in.txt:2: invalid UTF-8"),
        (b"\xe5\xa4\xa7\x01\xe8\xbf\x9e\n", "in.txt:1: control character U+0001 at column 2"),
        ("好\n坏\ufffd\n".encode(), "in.txt:2: a U+FFFD replacement character"),
    ],
)
def test_bad_input_is_refused_with_file_and_line(tmp_path, data, message):
    src = tmp_path / "in.txt"
    src.write_bytes(data)
    out = tmp_path / "out.conllu"
    proc = annotate_tag(str(src), "-o", str(out))
    err = proc.stderr.decode()
    assert proc.returncode == 3 and message in err and len(err.strip().splitlines()) == 1, err
    assert not out.exists()


def test_every_bad_line_is_named(tmp_path):
    src = tmp_path / "in.txt"
    src.write_bytes(b"ok\n\x02\nfine\n\x03\n")
    err = annotate_tag(str(src)).stderr.decode().strip().splitlines()
    assert [e.split(": ")[2] for e in err] == [f"{src}:2", f"{src}:4"]


def test_chunks_give_the_same_output_as_one_document(monkeypatch):
    annotator = Annotator(ner=False)
    text = "\n".join(["第一段。有两句。", "", "第二段在第三行。", "第三段。"] * 3) + "\n"
    whole = "".join(tag_cmd.tag_text(text, "t", annotator))
    monkeypatch.setattr(tag_cmd, "CHUNK_LINES", 3)
    assert "".join(tag_cmd.tag_text(text, "t", annotator)) == whole
