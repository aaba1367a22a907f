"""Small, fully populated documents built by hand, as input for export and reader tests.

Every layer is filled (blocks, sentences, tokens with UPOS/pinyin/gloss, entities,
term links, translations) so a writer can be tested without running the heavy
stages.  End-to-end tests run the real pipeline on real pages instead.
"""

from __future__ import annotations

from annotate.model import (
    Article,
    Block,
    Document,
    Entity,
    GlossaryEntry,
    Sentence,
    TermLink,
    Token,
    Translation,
)

# (text, upos, xpos, pinyin, pinyin_num, gloss)
_S1 = [
    ("本报讯", "NOUN", "n", "běn bào xùn", "ben3 bao4 xun4", "this paper reports"),
    ("记者", "NOUN", "n", "jì zhě", "ji4 zhe3", "reporter"),
    ("杨丽娟", "PROPN", "nr", "yáng lì juān", "yang2 li4 juan1", "Yang Lijuan"),
    ("报道", "VERB", "v", "bào dào", "bao4 dao4", "report"),
]
_S2 = [
    ("2019年", "NOUN", "t", "2019 nián", "2019 nian2", "2019"),
    ("，", "PUNCT", "x", "", "", ""),
    ("大连", "PROPN", "ns", "dà lián", "da4 lian2", "Dalian"),
    ("深化", "VERB", "v", "shēn huà", "shen1 hua4", "deepen"),
    ("“", "PUNCT", "x", "", "", ""),
    ("放管服", "NOUN", "n", "fàng guǎn fú", "fang4 guan3 fu2", "streamline administration"),
    ("”", "PUNCT", "x", "", "", ""),
    ("改革", "NOUN", "vn", "gǎi gé", "gai3 ge2", "reform"),
    ("，", "PUNCT", "x", "", "", ""),
    ("银行", "NOUN", "n", "yín háng", "yin2 hang2", "bank"),
    ("增长", "VERB", "v", "zēng zhǎng", "zeng1 zhang3", "grow"),
    ("15.4%", "NUM", "m", "15.4%", "15.4%", "15.4%"),
    ("。", "PUNCT", "x", "", "", ""),
]


def _sentence(sid: str, base: int, rows: list[tuple[str, ...]]) -> Sentence:
    tokens: list[Token] = []
    pos = base
    for i, (text, upos, xpos, py, pyn, gloss) in enumerate(rows, 1):
        tokens.append(
            Token(
                id=f"{sid}.w{i}",
                text=text,
                start=pos,
                end=pos + len(text),
                upos=upos,
                xpos=xpos,
                lemma=text.lower(),
                pinyin=py,
                pinyin_num=pyn,
                is_punct=upos == "PUNCT",
                gloss=gloss,
            )
        )
        pos += len(text)
    text = "".join(r[0] for r in rows)
    return Sentence(id=sid, start=base, end=base + len(text), text=text, tokens=tokens)


def sample_glossary() -> list[GlossaryEntry]:
    return [
        GlossaryEntry(
            id="fangguanfu",
            source="放管服",
            target="streamline administration, delegate power, improve regulation and upgrade services",
            alternatives=["delegating power, improving regulation and upgrading services"],
            variants=["放管服改革"],
            pos="noun",
            domain="governance",
            definition="The State Council's reform programme of cutting red tape.",
            source_ref="Report on the Work of the Government 2019 (official English)",
            status="approved",
        )
    ]


def sample_document(doc_id: str = "sample-page", *, translated: bool = True) -> Document:
    """One article (headline, byline, one paragraph) and one caption, all layers filled."""
    headline = Block(id=f"{doc_id}.a1.p1", kind="headline", text="大连深化改革", lines=(5, 5))
    headline.sentences = [
        _sentence(
            f"{headline.id}.s1",
            0,
            [
                ("大连", "PROPN", "ns", "dà lián", "da4 lian2", "Dalian"),
                ("深化", "VERB", "v", "shēn huà", "shen1 hua4", "deepen"),
                ("改革", "NOUN", "vn", "gǎi gé", "gai3 ge2", "reform"),
            ],
        )
    ]
    headline.sentences[0].entities = [Entity(id=f"{headline.id}.s1.e1", type="LOC", start=0, end=2, text="大连")]

    byline = Block(id=f"{doc_id}.a1.p2", kind="byline", text="本报讯记者杨丽娟报道", lines=(1, 1))
    byline.sentences = [_sentence(f"{byline.id}.s1", 0, _S1)]
    byline.sentences[0].entities = [Entity(id=f"{byline.id}.s1.e1", type="PER", start=5, end=8, text="杨丽娟")]

    para = Block(id=f"{doc_id}.a1.p3", kind="paragraph", text="".join(r[0] for r in _S2), lines=(2, 4))
    s = _sentence(f"{para.id}.s1", 0, _S2)
    s.entities = [
        Entity(id=f"{s.id}.e1", type="TIME", start=0, end=5, text="2019年"),
        Entity(id=f"{s.id}.e2", type="LOC", start=6, end=8, text="大连"),
    ]
    s.terms = [TermLink(entry_id="fangguanfu", surface="放管服", start=11, end=14)]
    para.sentences = [s]

    caption = Block(id=f"{doc_id}.c1", kind="caption", text="群众在大厅办理业务。（资料片）", lines=(7, 7))
    caption.sentences = [
        _sentence(
            f"{caption.id}.s1",
            0,
            [
                ("群众", "NOUN", "n", "qún zhòng", "qun2 zhong4", "the public"),
                ("在", "ADP", "p", "zài", "zai4", "at"),
                ("大厅", "NOUN", "n", "dà tīng", "da4 ting1", "hall"),
                ("办理", "VERB", "v", "bàn lǐ", "ban4 li3", "handle"),
                ("业务", "NOUN", "n", "yè wù", "ye4 wu4", "business"),
                ("。", "PUNCT", "x", "", "", ""),
                ("（", "PUNCT", "x", "", "", ""),
                ("资料片", "NOUN", "n", "zī liào piàn", "zi1 liao4 pian4", "file photo"),
                ("）", "PUNCT", "x", "", "", ""),
            ],
        )
    ]

    doc = Document(
        id=doc_id,
        source_path=f"corpus/raw/{doc_id}.txt",
        meta={"title": "样例版面", "source": "大连日报", "date": "2020-01-02", "language": "zh-Hans"},
        articles=[Article(id=f"{doc_id}.a1", blocks=[headline, byline, para])],
        captions=[caption],
        content_hash="0" * 64,
        layers=["ingest", "annotate", "terms"],
    )
    for sent in doc.sentences:
        sent.gloss = " ".join(t.gloss for t in sent.tokens if t.gloss)
        if translated:
            sent.translation = Translation(text=f"[en] {sent.gloss}", origin="mt", model="tiny-zh-en 1.0")
    if translated:
        s.translation = Translation(
            text="In 2019 Dalian deepened the reform to streamline administration, delegate power, improve "
            "regulation and upgrade services; bank growth 15.4%.",
            origin="mt",
            model="tiny-zh-en 1.0",
            enforced_terms=["fangguanfu"],
        )
        doc.layers.append("translate")
    return doc


def mixed_origins() -> Document:
    """The sample with one sentence of each kind of English: MT (flagged), gloss, human, none."""
    doc = sample_document()
    s_head, s_by, s_para, s_cap = doc.sentences
    s_head.translation.flags = ["repetition", "untranslated-chinese"]
    s_by.translation = Translation(text="this paper reports reporter Yang Lijuan report", origin="gloss")
    s_by.gloss = ""
    s_para.translation = Translation(text="Dalian deepened the reform.", origin="human")
    s_cap.translation = None
    s_cap.gloss = ""
    return doc
