"""One-off: take articles from a snapshot of DuckBurnIncense/xin-wen-lian-bo (CCTV 新闻联播
transcripts, one Markdown file a day) into tests/ingest_eval/sources/cctv-xinwenlianbo.jsonl.

    python scripts/ingest_eval_extract_cctv.py /path/to/xin-wen-lian-bo.git

Reads the git objects directly (``git show HEAD:news/DAY.md``); deterministic: every 4th day
file in name order, items with 2 to 9 paragraphs and at most 1,600 characters, first 320.
Paragraphs are cleaned by ingest_eval_sources.clean: the headings of bundled news items
(国际人士：…) become section headings; a dateline on its own joins the paragraph it opens.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

from ingest_eval_sources import clean

OUT = Path(__file__).resolve().parents[1] / "tests" / "ingest_eval" / "sources" / "cctv-xinwenlianbo.jsonl"
# An item: its heading, its text (never running into the next item: items without text of
# their own have only the link), the link to the original.
ITEM = re.compile(r"^### (.+?)\n\n((?:(?!^### |\[查看原文\]).)+?)\n\n\[查看原文\]\((\S+)\)", re.M | re.S)
DATELINE = "央视网消息（新闻联播）："


def paragraphs(body: str) -> list[str]:
    body = re.sub(r"<br\s*/?>", "\n", body)
    body = re.sub(r"</p>\s*<p[^>]*>", "\n", body)
    text = html.unescape(re.sub(r"<[^>]+>", "", body))
    return [p.strip() for p in text.split("\n") if p.strip()]


def main(repo: str) -> int:
    names = subprocess.run(["git", "-C", repo, "ls-tree", "--name-only", "HEAD", "news/"], capture_output=True, text=True, check=True).stdout.split()
    out = []
    for name in sorted(names)[::4]:
        md = subprocess.run(["git", "-C", repo, "show", f"HEAD:{name}"], capture_output=True, text=True, check=True).stdout
        for m in ITEM.finditer(md):
            n = md.count("\n### ", 0, m.start()) + 1  # the item's number in the day's file
            title, body, url = m.group(1).strip(), m.group(2), m.group(3)
            paras = clean(title, paragraphs(body), dateline=DATELINE)
            if paras is None or "快讯" in title or not 2 <= len(paras) <= 9 or sum(map(len, map(str, paras))) > 1600 or len(title) > 40:
                continue
            out.append({"id": f"cctv-{Path(name).stem}-{n}", "source": "cctv", "url": url, "headline": title, "paragraphs": paras})
        if len(out) >= 320:
            break
    OUT.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in out[:320]), "utf-8")
    print(f"{len(out[:320])} articles -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
