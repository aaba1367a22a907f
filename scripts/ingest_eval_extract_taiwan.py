"""One-off: take press releases of two Taiwanese government agencies into tests/ingest_eval/sources/.

    python scripts/ingest_eval_extract_taiwan.py PRESIDENT_GIT TAINAN_GIT

PRESIDENT_GIT is a snapshot of kiang/www.president.gov.tw (總統府新聞, one JSON file per
release under news_json/YEAR/), TAINAN_GIT one of kiang/www.tainan.gov.tw (臺南市政府新聞,
docs/data/YEAR/MM/DATE_ID.json).  The git objects are read directly (``git show HEAD:…``).
Deterministic: files in name order from 2019 on, every 7th (總統府) or 11th (臺南市政府),
releases of 2 to 8 paragraphs (no procurement notices: 招標, 公告, [標案…]) and at most 1,800 characters, the first 160 of each.

What is kept: headline, subtitle (總統府, as the subheadline), paragraphs, URL.  The header
block of the 臺南市政府 releases (發稿單位, 發稿時間, 發稿人, 連絡電話: office contact data, not
part of the article) is dropped; an opening line naming the issuing office (（新聞及國際關係處發布）)
is kept as a byline; paragraphs with contact data (新聞連絡人, 聯絡電話, 機關地址 …) are dropped.
The rest is cleaned by ingest_eval_sources.clean (links, the headline repeated over the text,
headings inside the text as section headings; notices with signature lines left out).
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

from ingest_eval_sources import clean

SOURCES = Path(__file__).resolve().parents[1] / "tests" / "ingest_eval" / "sources"
TAKE = 160
CONTACT = ("新聞連絡人", "新聞聯絡人", "聯絡人", "連絡人", "連絡電話", "聯絡電話", "發稿單位", "[機關", "撰稿人")
#: Procurement and other official notices are not news releases.
NOTICE = re.compile(r"[\[［]|招標|公告|決標")
ISSUER = re.compile(r"^[（(][^（）()]{2,16}發布[）)]$")


def _git(repo: str, *args: str) -> str:
    return subprocess.run(["git", "-C", repo, *args], capture_output=True, text=True, check=True).stdout


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in html.unescape(text).replace("\r", "").split("\n") if p.strip()]


def _fits(paras: list) -> bool:
    return 2 <= len(paras) <= 8 and sum(len(p) if isinstance(p, str) else len(next(iter(p.values()))) for p in paras) <= 1800


def president(repo: str) -> list[dict]:
    names = [n for n in _git(repo, "ls-tree", "-r", "--name-only", "HEAD", "news_json/").split("\n") if n.endswith(".json")]
    names = sorted(n for n in names if n.split("/")[1] >= "2019")
    out = []
    for name in names[::7]:
        row = json.loads(_git(repo, "show", f"HEAD:{name}"))
        paras = [p.strip() for p in row.get("content_paragraphs") or _paragraphs(row.get("content", "")) if p.strip()]
        title = row.get("title", "").strip()
        paras = clean(title, paras) if title else None
        if not title or len(title) > 60 or paras is None or not _fits(paras):
            continue
        rec = {"id": f"president-{row['id']}", "source": "president-tw", "url": row["url"], "headline": title, "paragraphs": paras}
        if row.get("subtitle", "").strip():
            rec["subheadline"] = row["subtitle"].strip()
        out.append(rec)
        if len(out) == TAKE:
            break
    return out


def tainan(repo: str) -> list[dict]:
    names = [n for n in _git(repo, "ls-tree", "-r", "--name-only", "HEAD", "docs/data/").split("\n") if "_" in n.rsplit("/", 1)[-1]]
    names = sorted(n for n in names if n.split("/")[2] >= "2019")
    out = []
    for name in names[::11]:
        row = json.loads(_git(repo, "show", f"HEAD:{name}"))
        body = html.unescape(row.get("content", "")).replace("\r", "")
        if body.startswith("發稿單位"):
            body = body.split("\n\n", 1)[1] if "\n\n" in body else ""
        # Contact lines (新聞連絡人：…, phone numbers) are office data, not the article.
        paras = [p for p in _paragraphs(body) if not p.startswith(CONTACT) and not any(c in p for c in CONTACT)]
        title = " ".join(row.get("title", "").split())
        if not title or len(title) > 60 or not _fits(paras) or NOTICE.search(title):
            continue
        # "（新聞及國際關係處發布）" opening the text names the issuing office: a byline of its own.
        body_parts = clean(title, [{"byline": p} if k == 0 and ISSUER.match(p) else p for k, p in enumerate(paras)])
        if body_parts is None or not _fits(body_parts):
            continue
        out.append({"id": f"tainan-{name.rsplit('_', 1)[-1][:-5]}", "source": "tainan-gov", "url": row["url"], "headline": title, "paragraphs": body_parts})
        if len(out) == TAKE:
            break
    return out


def main(president_repo: str, tainan_repo: str) -> int:
    for name, rows in (("president-tw.jsonl", president(president_repo)), ("tainan-gov.jsonl", tainan(tainan_repo))):
        (SOURCES / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
        print(f"{len(rows)} articles -> {SOURCES / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
