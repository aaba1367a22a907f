"""chrF2 (sacrebleu) of one English line per reference, and how many lines still hold Chinese.

    python eval/mt/score.py eval/mt/heldout.tsv hypotheses.txt
"""

from __future__ import annotations

import sys
from pathlib import Path


def references(tsv: Path) -> list[str]:
    rows = [ln.split("\t") for ln in tsv.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    return [r[1] for r in rows[1:]]


def main(argv: list[str]) -> int:
    import sacrebleu

    from annotate.zh import has_han

    refs = references(Path(argv[0]))
    hyps = Path(argv[1]).read_text(encoding="utf-8").splitlines()
    if len(hyps) != len(refs):
        print(f"{argv[1]}: {len(hyps)} lines for {len(refs)} references", file=sys.stderr)
        return 3
    chrf = sacrebleu.corpus_chrf(hyps, [refs])  # chrF2: character 6-grams, beta 2
    han = sum(has_han(h) for h in hyps)
    print(f"{argv[0]}: {len(refs)} sentences, chrF2 {chrf.score:.1f}, {han} outputs with Chinese left")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
