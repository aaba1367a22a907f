"""Shared by the ingest_eval_extract_* scripts: an article's paragraphs as the truth needs them.

The archives hold what the web pages showed: besides the article, contact lines of the press
office (發稿人：…  電話：…), links (附件檔案：, 網址：http…), the headline repeated over the
text, and, inside longer items, the headings of the news items they bundle (CCTV 国际人士：…,
### …).  Those headings are the article's section headings, not paragraphs; the rest is not
the article.  What cannot be told apart (a notice's signature and date lines) makes the whole
article unusable, and it is left out.
"""

from __future__ import annotations

import re

SENTENCE_END = "。！？!?…"
CLOSERS = "”’」』）)》】\"' "
#: Lines of a press office's header or footer: who to call, when it was sent, attachments, links.
OFFICE_LINE = re.compile(
    r"發稿人|新聞連繫人|新聞聯繫人|新聞連絡人|新聞聯絡人|聯絡人|連絡人|承辦人|承辦單位|發言人[：:]|電話|傳真|分機|"
    r"發稿日期|發稿單位|新聞提供單位|新聞稿$|^附件|^※|https?:|www\."
)


def ends_sentence(text: str) -> bool:
    t = text.rstrip(CLOSERS)
    return bool(t) and t[-1] in SENTENCE_END


def heading_like(text: str) -> bool:
    """A short line that is a heading: no sentence end, no clause punctuation inside or at the end."""
    t = text.strip()
    return 2 <= len(t) <= 40 and not ends_sentence(t) and not any(c in t for c in "。，；,;") and t[-1] not in "：:、"


def _squash(text: str) -> str:
    return re.sub(r"[\s　「」『』“”\"'·•.!！?？]", "", text)


def clean(headline: str, paragraphs: list, *, dateline: str = "") -> list | None:
    """The article's body as truth: paragraphs (str) and section headings ({"section": …}), or
    None when the text is not an article this evaluation can use.

    ``dateline`` (央视网消息（新闻联播）：) printed as a paragraph of its own is joined to the
    paragraph after it, as the page prints it."""
    body: list = []
    pending_dateline = ""
    for p in paragraphs:
        if not isinstance(p, str):
            body.append(p)
            continue
        p = p.strip().removeprefix("### ").strip()
        if not any(c.isalnum() for c in p) or (OFFICE_LINE.search(p) and not ends_sentence(p)):
            continue
        if dateline and p == dateline:
            pending_dateline = p
            continue
        if pending_dateline:
            p, pending_dateline = pending_dateline + p, ""
        body.append(p)
    # The headline repeated over the text (after an issuing office's byline, if any).
    first = next((k for k, p in enumerate(body) if isinstance(p, str)), len(body))
    while first < len(body) and isinstance(body[first], str) and len(body[first]) <= 80 and (
        _squash(body[first]) in _squash(headline) or _squash(headline) in _squash(body[first]) and not ends_sentence(body[first])
    ):
        body.pop(first)
    out: list = []
    for k, p in enumerate(body):
        if isinstance(p, str) and heading_like(p):
            inside = 0 < k < len(body) - 1 and isinstance(body[k + 1], str) and not heading_like(body[k + 1])
            if not inside:
                return None  # a signature, a date line, a title over the text: not an article
            out.append({"section": p})
        else:
            out.append(p)
    paragraphs_left = [p for p in out if isinstance(p, str)]
    if len(paragraphs_left) < 2 or not ends_sentence(paragraphs_left[-1]) and len(paragraphs_left[-1]) < 40:
        return None
    return out
