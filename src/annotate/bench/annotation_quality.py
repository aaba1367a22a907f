"""Quality of the linguistic layer against the hand-checked gold set (tests/gold/gold.txt).

    annotate bench annotation_quality

Token F1 compares word spans; UPOS accuracy is over tokens whose span matches gold;
entity F1 compares (type, span) exactly.
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


def _spans(forms: list[str]) -> list[tuple[int, int]]:
    out, pos = [], 0
    for f in forms:
        out.append((pos, pos + len(f)))
        pos += len(f)
    return out


def _f1(tp: int, pred: int, gold: int) -> float:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(annotator=None) -> dict[str, float]:
    from ..annotation import Annotator
    from ..glossary import load_glossary
    from ..ingest import ingest_text

    if annotator is None:
        g = load_glossary(GOLD.parents[2] / "glossary")
        annotator = Annotator(extra_words=g.forms())
    tok_tp = tok_pred = tok_gold = 0
    pos_ok = pos_n = 0
    ent_tp = ent_pred = ent_gold = 0
    for gs in read_gold():
        doc = ingest_text(gs.text + "\n", "gold")
        block = next(b for b in doc.blocks())
        block.kind = "paragraph"
        block.text = gs.text.replace(" ", "")
        annotator.annotate_block(block)
        toks = [t for s in block.sentences for t in s.tokens]
        pred = {(t.start, t.end): t.upos for t in toks}
        gold_spans = _spans([f for f, _ in gs.tokens])
        gold = {sp: u for sp, (_, u) in zip(gold_spans, gs.tokens, strict=True)}
        common = set(pred) & set(gold)
        tok_tp += len(common)
        tok_pred += len(pred)
        tok_gold += len(gold)
        pos_n += len(common)
        pos_ok += sum(pred[sp] == gold[sp] for sp in common)
        pe = Counter((e.type, e.text) for s in block.sentences for e in s.entities)
        ge = Counter(gs.entities)
        ent_tp += sum((pe & ge).values())
        ent_pred += sum(pe.values())
        ent_gold += sum(ge.values())
    return {
        "sentences": len(read_gold()),
        "gold_tokens": tok_gold,
        "token_f1": _f1(tok_tp, tok_pred, tok_gold),
        "upos_accuracy": pos_ok / pos_n if pos_n else 0.0,
        "entity_f1": _f1(ent_tp, ent_pred, ent_gold),
        "entities_gold": ent_gold,
    }


_JIEBA_NER = {"nr": "PER", "nrfg": "PER", "nrt": "PER", "ns": "LOC", "nt": "ORG", "t": "TIME"}


def jieba_entity_f1() -> float:
    """The alternative to LAC: entities from jieba.posseg's tags (nr/ns/nt/t), same gold."""
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    tp = n_pred = n_gold = 0
    for gs in read_gold():
        pred = Counter((_JIEBA_NER[p.flag], p.word) for p in jieba.posseg.lcut(gs.text) if p.flag in _JIEBA_NER)
        gold = Counter(gs.entities)
        tp += sum((pred & gold).values())
        n_pred += sum(pred.values())
        n_gold += sum(gold.values())
    return _f1(tp, n_pred, n_gold)


def run(argv: list[str]) -> int:
    r = evaluate()
    print(f"gold: {r['sentences']} sentences, {r['gold_tokens']} tokens, {r['entities_gold']} entities")
    print(f"token F1 {r['token_f1']:.3f}   UPOS accuracy {r['upos_accuracy']:.3f} (on matching tokens)   entity F1 {r['entity_f1']:.3f}")
    print(f"for comparison, entities from jieba.posseg tags (nr/ns/nt/t): entity F1 {jieba_entity_f1():.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
