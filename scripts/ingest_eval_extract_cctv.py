"""One-off: take articles from a snapshot of DuckBurnIncense/xin-wen-lian-bo (CCTV 新闻联播
transcripts, one Markdown file a day) into tests/ingest_eval/sources/cctv-xinwenlianbo.jsonl.

    python scripts/ingest_eval_extract_cctv.py /path/to/xin-wen-lian-bo.git

Reads the git objects directly (``git show HEAD:news/DAY.md``); deterministic: every 4th day
file in name order, items with 2 to 9 paragraphs and at most 1,600 characters, first 320.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "tests" / "ingest_eval" / "sources" / "cctv-xinwenlianbo.jsonl"
ITEM = re.compile(r"^### (.+?)\n\n(.+?)\n\n\[查看原文\]\((\S+)\)", re.M | re.S)


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
        for n, m in enumerate(ITEM.finditer(md), 1):
            title, body, url = m.group(1).strip(), m.group(2), m.group(3)
            paras = paragraphs(body)
            if "快讯" in title or not 2 <= len(paras) <= 9 or sum(map(len, paras)) > 1600 or len(title) > 40:
                continue
            out.append({"id": f"cctv-{Path(name).stem}-{n}", "source": "cctv", "url": url, "headline": title, "paragraphs": paras})
        if len(out) >= 320:
            break
    OUT.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in out[:320]), "utf-8")
    print(f"{len(out[:320])} articles -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
