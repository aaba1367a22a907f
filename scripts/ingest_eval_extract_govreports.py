"""One-off: take the openings of the 2026 provincial government work reports into tests/ingest_eval/sources/.

    python scripts/ingest_eval_extract_govreports.py REPORTS_GIT

REPORTS_GIT is a snapshot of johncodes404/china-provincial-gov-reports-2026: the 政府工作报告
of China's 31 provincial governments, 2026, one CSV a province (``output/2026_raw_text/``,
fields province, year, title, source_url, publish_date, full_text), the text as the provincial
papers and government sites printed it, one paragraph a line.  The git objects are read
directly (``git show HEAD:…``).

A report is a speech of 10,000 to 30,000 characters in numbered sections (一、…, （一）…);
the papers print it whole under its title, the date-and-occasion line and the speaker.  Each
report gives one article as a paper prints its opening: the title as the headline, the
occasion line (——2026年1月25日在…会议上) as the subheadline, the speaker (北京市市长 殷勇) as a
byline of its own, and the text from the address to the deputies on, section headings
included (as section headings, numbers kept), as far as it fits in 1,800 characters.  What is
not the report is dropped: the page furniture of the web copy (下载, 打印, 【字号：…】, 当前位置：),
the source and date lines, the photo caption and the address itself (各位代表：).  A report
whose header does not have exactly this form is left out (23 of 31 are taken).
Deterministic: provinces in file-name order.

(Cutting a report into one article per section heading would give more articles, but it would
print the report's section headings as headlines, which no paper does, and teach the tagger
that a short heading over a paragraph is a headline: that version broke the hand-checked
Dalian page.)
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

from ingest_eval_sources import ends_sentence

from annotate.ingest.patterns import STANDALONE_BYLINE

OUT = Path(__file__).resolve().parents[1] / "tests" / "ingest_eval" / "sources" / "gov-report-cn.jsonl"
MAX_CHARS = 1800
#: A section heading of the report: 一、… or （一）…, short, no sentence end.
HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])\s*\S.{1,38}$")
#: The line under the title that names the occasion: ——2026年1月25日在…人民代表大会第四次会议上.
OCCASION = re.compile(r"^[—―（(]*(?:\d{4}年|二〇)\S*在\S*人民代表大会")
#: Lines of the web copy's header that are not the report: source, time, sharing, a photo caption.
NOT_REPORT = re.compile(r"^(?:来源|时间|分享|\d{4}-\d\d-\d\d)|摄$|。")
#: Where the report ends and its glossary or the page's links begin.
GLOSSARY = re.compile(r"^(?:名词解释|注释|附[:：件]|相关报道|相关链接|责任编辑|［\d+］|\[\d+\]|\d+[.．、]\S{1,20}[:：]$)")


def _git(repo: str, *args: str) -> bytes:
    return subprocess.run(["git", "-C", repo, *args], capture_output=True, check=True).stdout


def opening(title: str, text: str) -> dict | None:
    """The report's opening as a paper prints it, or None when its header cannot be read."""
    lines = [ln.strip() for ln in text.replace("\r", "").split("\n") if ln.strip()]
    address = next((k for k, ln in enumerate(lines) if ln in ("各位代表：", "各位代表:")), None)
    occasion = next((k for k, ln in enumerate(lines[:address]) if OCCASION.match(ln)), None) if address else None
    if occasion is None:
        return None
    sub = lines[occasion]
    if "会议上" not in sub and "会议上" in lines[occasion + 1]:
        occasion += 1
        sub += lines[occasion]  # the line broken on the web page
    # The speaker: the one line between the occasion and the address that is neither source,
    # time nor caption (北京市市长 殷勇, 省长 胡玉亭, 毛伟明).
    speakers = [ln for ln in lines[occasion + 1 : address] if not NOT_REPORT.search(ln) and len(ln) <= 20]
    # (A speaker line in another form, a bare name or a letter-spaced one, is not one a reader
    # could tell for a byline: that report is left out rather than teach the tagger otherwise.)
    if "会议上" not in sub or len(speakers) != 1 or not STANDALONE_BYLINE.match(speakers[0]):
        return None
    body: list = []
    for ln in lines[address + 1 :]:
        if GLOSSARY.match(ln):
            break
        if HEADING.match(ln) and not ends_sentence(ln):
            item: str | dict = {"section": ln}
        elif ends_sentence(ln) and len(ln) >= 20:
            item = ln
        else:
            break  # not the report's running text
        if sum(len(p) if isinstance(p, str) else len(p["section"]) for p in body) + len(ln) > MAX_CHARS:
            break
        body.append(item)
    while body and not isinstance(body[-1], str):
        body.pop()  # a heading whose text did not fit
    if sum(isinstance(p, str) for p in body) < 2:
        return None
    return {"headline": title, "subheadline": sub, "paragraphs": [{"byline": speakers[0]}, *body]}


def articles(repo: str) -> list[dict]:
    csv.field_size_limit(1 << 24)
    names = [n for n in _git(repo, "ls-tree", "-z", "--name-only", "HEAD", "output/2026_raw_text/").decode().split("\0") if n.endswith("政府工作报告.csv")]
    out = []
    for name in sorted(names):
        row = next(csv.DictReader(io.StringIO(_git(repo, "show", f"HEAD:{name}").decode("utf-8-sig"))))
        art = opening(row["title"].strip(), row["full_text"])
        if art:
            out.append({"id": f"govreport-{row['province']}", "source": "gov-report-cn", "url": row["source_url"], **art})
    return out


def main(repo: str) -> int:
    rows = articles(repo)
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    print(f"{len(rows)} articles -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
