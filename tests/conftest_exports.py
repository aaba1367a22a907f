"""Helpers for the export tests: read the exports back, and check them the way their tools do.

Imported explicitly by tests/test_export*.py (not a pytest conftest).
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Any

from lxml import etree

from annotate.export.xmlsafe import clean
from annotate.model import Document

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@lru_cache(maxsize=1)
def annotator() -> Any:
    """One Annotator (spaCy, jieba, LAC) for every export test, with the bundled glossary's words."""
    from pathlib import Path

    from annotate.annotation import Annotator
    from annotate.glossary import load_glossary

    return Annotator(extra_words=load_glossary(Path(__file__).resolve().parents[1] / "glossary").forms())


# -- TEI, read back ---------------------------------------------------------------------------
def _msd(el: Any) -> dict[str, str]:
    return dict(kv.split("=", 1) for kv in (el.get("msd") or "").split("|") if "=" in kv)


def read_tei_zh(data: bytes) -> dict[str, Any]:
    """Sentences with their tokens, names and terms (inline and stand-off), as a TEI reader sees them."""
    root = etree.fromstring(data)
    sentences = []
    names: Counter = Counter()
    terms: Counter = Counter()
    for s in root.iter(f"{TEI}s"):
        tokens = []
        for w in s.iter(f"{TEI}w", f"{TEI}pc"):
            msd = _msd(w)
            tokens.append({
                "id": w.get(XML_ID), "text": w.text or "", "pos": w.get("pos"), "lemma": w.get("lemma") or "",
                "pinyin": msd.get("Pinyin", "").replace("_", " "), "join": w.get("join"), "tag": w.tag[len(TEI):],
            })
        sentences.append({"id": s.get(XML_ID), "tokens": tokens, "text": s.text if not tokens else None})
        for el in s.iter(f"{TEI}name"):
            names[(el.get("type"), tuple(w.get(XML_ID) for w in el.iter(f"{TEI}w", f"{TEI}pc")))] += 1
        for el in s.iter(f"{TEI}term"):
            terms[(el.get("ref")[1:], tuple(w.get(XML_ID) for w in el.iter(f"{TEI}w", f"{TEI}pc")))] += 1
        for grp in s.iter(f"{TEI}spanGrp"):
            for sp in grp.iter(f"{TEI}span"):
                ids = tuple(t[1:] for t in sp.get("target").split())
                if grp.get("type") == "names":
                    names[(sp.get("type"), ids)] += 1
                else:
                    terms[(sp.get("ana")[1:], ids)] += 1
    return {"root": root, "sentences": sentences, "names": names, "terms": terms}


def expected_spans(doc: Document, gloss_id: Any) -> tuple[Counter, Counter]:
    """The names and terms of ``doc`` over whole tokens, as the TEI must carry them."""
    names: Counter = Counter()
    terms: Counter = Counter()
    for s in doc.sentences:
        inline, standoff = s.spans()
        for sp in inline + standoff:
            ids = tuple(t.id for t in s.tokens[sp.first:sp.end])
            if sp.kind == "name":
                names[(sp.value, ids)] += 1
            else:
                terms[(gloss_id(doc.id, sp.value), ids)] += 1
    return names, terms


def token_ranges(s: Any, start: int, end: int) -> tuple[str, ...]:
    return tuple(t.id for t in s.tokens if t.start < end and start < t.end)


def read_tei_en(data: bytes) -> dict[str, Any]:
    root = etree.fromstring(data)
    sentences = [{"id": s.get(XML_ID), "type": s.get("type"), "resp": s.get("resp"), "ana": s.get("ana"),
                  "corresp": s.get("corresp"), "text": s.text if s.text and s.text.strip() else None,
                  "gap": s.find(f"{TEI}gap") is not None}
                 for s in root.iter(f"{TEI}s")]
    links = [ln.get("target").split() for ln in root.iter(f"{TEI}link")]
    ids = {el.get(XML_ID) for el in root.iter() if el.get(XML_ID)}
    return {"root": root, "sentences": sentences, "links": links, "ids": ids}


def all_ids(root: Any) -> set[str]:
    return {el.get(XML_ID) for el in root.iter() if el.get(XML_ID)}


# -- VRT, as cwb-encode reads it ------------------------------------------------------------
_TAG = re.compile(r'<(/?)([A-Za-z_][\w.-]*)((?:\s+[\w.-]+="[^"<&]*(?:&(?:amp|lt|gt|quot|apos);[^"<&]*)*")*)\s*(/?)>$')


def vrt_problems(text: str, columns: int) -> list[str]:
    """What cwb-encode -xsB would trip over: unbalanced or malformed tags, wrong column counts,
    empty or padded values, raw '<' or '&' in a token line, lines that are not LF-terminated."""
    problems: list[str] = []
    if not text.endswith("\n") or "\r" in text:
        problems.append("file must use LF line ends and end with one")
    stack: list[str] = []
    for n, line in enumerate(text.split("\n")[:-1], 1):
        if line.startswith("<"):
            m = _TAG.match(line)
            if not m:
                problems.append(f"{n}: malformed tag {line!r}")
                continue
            closing, name, _attrs, empty = m.groups()
            if empty:
                continue
            if closing:
                if not stack or stack.pop() != name:
                    problems.append(f"{n}: unbalanced </{name}>")
            else:
                stack.append(name)
            continue
        cols = line.split("\t")
        if len(cols) != columns:
            problems.append(f"{n}: {len(cols)} columns, expected {columns}: {line!r}")
        for c in cols:
            if not c or c != c.strip() or "  " in c:
                problems.append(f"{n}: empty or padded value {c!r}")
            if "<" in c or re.search(r"&(?!(amp|lt|gt|quot|apos);)", c):
                problems.append(f"{n}: unescaped markup character in {c!r}")
    if stack:
        problems.append(f"unclosed {stack}")
    return problems


def xml_unescape(v: str) -> str:
    return v.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")


# -- CoNLL-U, through the official UD validator (udtools) ------------------------------------
@lru_cache(maxsize=4)
def _validator(level: int) -> tuple[Any, io.StringIO]:
    # Building a Validator loads the UD data files (a quarter of a second): once per level.
    from udtools.validator import Validator

    out = io.StringIO()
    return Validator(lang="zh", level=level, output=out), out


def ud_errors(text: str, level: int = 1) -> list[str]:
    """The official UD validator's errors for ``text`` at ``level`` (language zh); level 1 by default:
    without a parser HEAD and DEPREL are ``_``, which level 2 rejects."""
    from udtools.state import State

    validator, out = _validator(level)
    out.seek(0)
    out.truncate()
    state = State()
    state.current_file_name = "export.conllu"
    validator.validate_file_handle(io.StringIO(text, newline=""), state)
    validator.validate_end(state)
    if state.passed():
        return []
    return [ln for ln in out.getvalue().splitlines() if ln.strip()] or [str(state)]


def nfc_safe(doc: Document) -> bool:
    """False where UD's NFC rule cannot hold: NFC of the joined forms differs from the joined NFC forms
    (a word that starts with a combining mark or a Hangul jamo that composes with the word before)."""
    for s in doc.sentences:
        forms = [unicodedata.normalize("NFC", clean(t.text)) for t in s.tokens]
        if unicodedata.normalize("NFC", "".join(forms)) != "".join(forms):
            return False
    return True
