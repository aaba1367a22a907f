"""Ingestion: OCR pages → articles, against hand-written expectations; nothing lost; bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotate.ingest import ingest_file, ingest_text
from annotate.textio import read_page

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "corpus" / "raw" / "dalian-daily-2019-economy.txt"
PAGES = sorted((ROOT / "tests" / "pages").glob("*.txt"))
KEYS = ("headline", "subheadline", "byline", "paragraphs")


def shape(doc) -> dict:
    got = doc.interchange()
    return {"articles": [{k: a[k] for k in KEYS} for a in got["articles"]], "captions": got["captions"]}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_matches_hand_written_expectation(page):
    expected = json.loads(page.with_name(page.name[:-4] + ".expected.json").read_text("utf-8"))
    assert shape(ingest_file(page)) == expected


def _visible(text: str) -> Counter:
    # Characters as ingestion should keep them: no whitespace, one form of digits and percent.
    table = str.maketrans("０１２３４５６７８９％", "0123456789%")
    return Counter(c for c in text.translate(table) if not c.isspace())


@pytest.mark.parametrize("page", [EXAMPLE, *PAGES], ids=lambda p: p.name)
def test_nothing_lost_nothing_invented(page):
    doc = ingest_file(page)
    blocks = Counter()
    for b in doc.blocks():
        blocks += _visible(b.text)
    assert blocks == _visible(read_page(page).text)


def test_example_page_structure():
    doc = ingest_file(EXAMPLE)
    arts = doc.interchange()["articles"]
    assert len(arts) == 4
    assert [a["headline"] for a in arts] == [
        "大连“双轮驱动”加速工业经济提质增效",
        "辽宁自贸试验区大连片区着力打造改革开放新高地",
        "“不见面审批”成为大连营商环境新名片",
        "",  # the report summary has no headline of its own
    ]
    assert arts[0]["subheadline"] == "预计2019年全市规模以上工业增加值增长15.4%，连续22个月两位数增长"
    assert arts[1]["subheadline"] == "十余项制度创新成果属全国首创"
    assert [a["byline"] for a in arts] == ["本报讯 记者杨丽娟报道", "本报讯 记者吕丽报道", "本报讯 记者杨少明报道", "本报记者 侯国政 整理"]
    summary = doc.articles[3]
    assert [b.text for b in summary.blocks if b.kind == "section"] == [
        "创新驱动", "深化改革", "现代服务业", "招商引资", "重大项目", "生态环境", "乡村振兴",
    ]
    assert [b.text for b in summary.blocks if b.kind == "note"] == ["以上摘自大连市委十二届十一次全会暨市委经济工作会议报告"]
    assert len(doc.captions) == 3 and doc.captions[1].text.endswith("摄")
    # headline first in reading order, though printed after the article
    assert doc.articles[0].blocks[0].kind == "headline" and doc.articles[0].blocks[0].lines == (114, 114)


def test_example_page_rejoins_words_and_removes_print_spacing():
    text = "\n".join(b.text for b in ingest_file(EXAMPLE).blocks())
    assert "改造提升传统产业和培育发展新兴产业“双轮驱动”" in text  # “双\n轮驱动” rejoined
    assert "2019年，大连市深入学习" in text  # 2019\n年
    assert "加快推进结构调整" in text and "工业装备轴承" in text  # broken across a column jump (blank line)
    assert "新增注册企业8500余家，同比增长67.8%" in text  # 注册 企 业 … 同 比 增 长, ％ → %
    assert "同 比" not in text and "15 个" not in text
    assert "填补国际智能VLCC空白" in text or "填补国际智能 VLCC空白" in text


def test_ids_and_provenance():
    doc = ingest_file(EXAMPLE)
    ids = [b.id for b in doc.blocks()]
    assert len(ids) == len(set(ids))
    assert ids[0] == "dalian-daily-2019-economy.a1.p1" and doc.captions[0].id == "dalian-daily-2019-economy.c1"
    lines = EXAMPLE.read_text("utf-8").split("\n")
    for b in doc.blocks():
        first, last = b.lines
        source = "".join(lines[first - 1 : last]).replace(" ", "")
        assert b.text.replace(" ", "")[:2] in source  # each block starts within its recorded lines


def test_normalisations_are_recorded():
    doc = ingest_file(EXAMPLE)
    kinds = Counter(n.kind for n in doc.normalisations)
    assert kinds["percent"] == 4 and kinds["join-line"] > 100 and kinds["print-space"] > 50


def test_metadata_is_read():
    doc = ingest_file(EXAMPLE)
    assert doc.meta["source"].startswith("大连日报") and doc.meta["language"] == "zh-Hans"


def test_unwrapped_page_keeps_one_paragraph_per_line():
    doc = ingest_text("标题在这里\n第一段很长很长的内容。\n第二段也很长的内容，继续写。\n", "t")
    assert doc.interchange()["articles"][0]["paragraphs"] == ["第一段很长很长的内容。", "第二段也很长的内容，继续写。"]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("大连市新增企业，。“”！？ \n\u3000０１２％%ABC本报讯记者王芳报道摄（）资料片")), max_size=300))
def test_any_text_loses_no_character(text):
    doc = ingest_text(text, "h")
    blocks = Counter()
    for b in doc.blocks():
        blocks += _visible(b.text)
    assert blocks == _visible(text)


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "annotate", *args], capture_output=True, text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "file is empty"),
        (b"  \n\r\n\t ", "only whitespace"),
        (bytes(range(256)) * 4, "binary"),
        ("大连市新增企业".encode() * 40 + b"\xff\xfe\xfd" + "大连".encode(), "invalid UTF-8"),
    ],
    ids=["empty", "whitespace", "binary", "corrupt-utf8"],
)
def test_bad_input_is_one_line_error(tmp_path, data, message):
    page = tmp_path / "bad.txt"
    page.write_bytes(data)
    out = cli("ingest", str(page), "--json")
    assert out.returncode == 3
    assert out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1
    assert str(page) in out.stderr and message in out.stderr


def test_encodings_bom_and_crlf(tmp_path):
    text = (ROOT / "tests" / "pages" / "xinhua-headline-first.txt").read_text("utf-8")
    expected = shape(ingest_text(text, "x"))
    for name, data in {
        "utf16.txt": text.encode("utf-16"),
        "bom.txt": b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"),
        "gbk.txt": text.encode("gbk"),
    }.items():
        (tmp_path / name).write_bytes(data)
        out = cli("ingest", str(tmp_path / name), "--json")
        assert out.returncode == 0, out.stderr
        got = json.loads(out.stdout)
        assert [{k: a[k] for k in KEYS} for a in got["articles"]] == expected["articles"], name


def test_explicit_wrong_encoding_names_line(tmp_path):
    page = tmp_path / "gb.txt"
    page.write_bytes("第一行\n第二行大连".encode("gb18030"))
    out = cli("ingest", str(page), "--encoding", "utf-8")
    assert out.returncode == 3 and f"{page}:1:" in out.stderr and "not valid utf-8" in out.stderr
