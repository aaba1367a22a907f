"""One-off: take sections of the 2026 provincial government work reports into tests/ingest_eval/sources/.

    python scripts/ingest_eval_extract_govreports.py REPORTS_GIT

REPORTS_GIT is a snapshot of johncodes404/china-provincial-gov-reports-2026: the 政府工作报告
of China's 31 provincial governments, 2026, one CSV a province (``output/2026_raw_text/``,
fields province, year, title, source_url, publish_date, full_text), the text as the provincial
papers and government sites printed it, one paragraph a line.  The git objects are read
directly (``git show HEAD:…``).

A report is a speech of 10,000 to 30,000 characters in numbered sections (一、…, （一）…).
Papers print it whole or in excerpts under the section headings; here each numbered section
heading with the paragraphs under it is one article: the heading (its number dropped) is the
headline, its paragraphs the body, the first of them as many as fit in 1,800 characters (at
least 2).  What is not the report is dropped: the page furniture of the web copy (下载, 打印,
【字号：…】, 当前位置：), the title, date and speaker lines, the photo caption, the address to
the deputies (各位代表：) and the glossary after the text (名词解释, numbered notes).
Deterministic: provinces in file-name order, sections in printed order, at most 7 articles
a report, the first 160.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

from ingest_eval_sources import clean, ends_sentence

OUT = Path(__file__).resolve().parents[1] / "tests" / "ingest_eval" / "sources" / "gov-report-cn.jsonl"
TAKE = 160
PER_REPORT = 7  # so that every province's paper and style is in the set, not the first few
MAX_CHARS = 1800
#: A numbered section heading of the report: 一、… or （一）…, no sentence end.
HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])\s*(.{2,38})$")
#: Where the report ends and its glossary or the page's links begin.
GLOSSARY = re.compile(r"^(?:名词解释|注释|附[:：件]|相关报道|相关链接|责任编辑|［\d+］|\[\d+\]|\d+[.．、]\S{1,20}[:：]$)")


def _git(repo: str, *args: str) -> bytes:
    return subprocess.run(["git", "-C", repo, *args], capture_output=True, check=True).stdout


def sections(text: str) -> list[tuple[str, list[str]]]:
    """(heading, paragraphs) for each numbered section heading of a report, in printed order."""
    out: list[tuple[str, list[str]]] = []
    for line in (ln.strip() for ln in text.replace("\r", "").split("\n")):
        if not line:
            continue
        if GLOSSARY.match(line):
            break
        m = HEADING.match(line)
        if m and not ends_sentence(line):
            out.append((m.group(1).strip(), []))
        elif out and ends_sentence(line) and len(line) >= 20:
            out[-1][1].append(line)
        elif out:
            out[-1] = (out[-1][0], out[-1][1] + [None])  # a line that is no paragraph ends the section's run
    return [(h, paras[: paras.index(None)] if None in paras else paras) for h, paras in out]


def articles(repo: str) -> list[dict]:
    csv.field_size_limit(1 << 24)
    names = [n for n in _git(repo, "ls-tree", "-z", "--name-only", "HEAD", "output/2026_raw_text/").decode().split("\0") if n.endswith("政府工作报告.csv")]
    out = []
    for name in sorted(names):
        row = next(csv.DictReader(io.StringIO(_git(repo, "show", f"HEAD:{name}").decode("utf-8-sig"))))
        for n, (heading, paras) in enumerate(sections(row["full_text"])):
            body: list[str] = []
            for p in paras:
                if sum(map(len, body)) + len(p) > MAX_CHARS:
                    break
                body.append(p)
            body = clean(heading, body) if len(body) >= 2 else None
            if body is None or not 2 <= len(body) <= 9 or sum(1 for a in out if a["id"].startswith(f"govreport-{row['province']}-")) >= PER_REPORT:
                continue
            out.append({"id": f"govreport-{row['province']}-{n}", "source": "gov-report-cn", "url": row["source_url"],
                        "headline": heading, "paragraphs": body})
    return out[:TAKE]


def main(repo: str) -> int:
    rows = articles(repo)
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    print(f"{len(rows)} articles -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
