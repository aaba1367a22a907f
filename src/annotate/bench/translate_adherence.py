"""Glossary adherence and model calls per backend, and which placeholder forms survive, on the bundled page.

    annotate bench translate --adherence

Backends: the tiny test models built in a temporary folder (``tiny``: copies Latin
and digits, as real NMT copies acronyms; ``tiny-lossy``: the same network mapping
Latin to words; ``cipher``: :mod:`annotate.translate.cipher_model`, seeded, never
copies anything).  For each: the bundled page translated with the curated glossary,
term adherence (the ``glossary adherence`` line of ``annotate translate --report``),
how each term got in (placeholder, alignment, not enforced), model calls and
sentences sent to the model (each sentence once), flags.

Placeholder forms: each linked term of the page replaced by one form (``ZXQ0``,
``[0]``, ``[T0]``, ``<t0/>``, ``⟦T0⟧``, ``TERMA``) and the share of placeholders found
in the model's output (ignoring case and spaces inside).
"""

from __future__ import annotations

import re
import string
import tempfile
from collections import Counter
from pathlib import Path

FORMS: dict[str, tuple[str, str]] = {  # name → (pattern with {n}, regex that finds it tolerantly)
    "Latin capitals + digit (ZXQ0)": ("ZXQ{n}", r"z\s?x\s?q\s?{n}(?!\d)"),
    "bracketed ID ([0])": ("[{n}]", r"\[\s?{n}\s?\]"),
    "bracketed ID ([T0])": ("[T{n}]", r"\[\s?t\s?{n}\s?\]"),
    "XML-like tag (<t0/>)": ("<t{n}/>", r"<\s?t\s?{n}\s?/\s?>"),
    "white brackets (⟦T0⟧)": ("⟦T{n}⟧", r"⟦\s?t\s?{n}\s?⟧"),
    "Latin capitals only (TERMA)": ("TERM{a}", r"t\s?e\s?r\s?m\s?{a}(?![a-z])"),
}


def _form(pattern: str, n: int) -> str:
    return pattern.format(n=n, a=string.ascii_uppercase[n % 26])


def _models(root: Path, page_text: str) -> dict[str, object]:
    from ..translate.cipher_model import build_cipher_model
    from ..translate.models import install_model
    from ..translate.tiny_model import build_tiny_model

    archives = {
        "tiny": build_tiny_model(root / "b1", page_text),
        "tiny-lossy": build_tiny_model(root / "b2", page_text, copy_latin=False, name="tiny-lossy"),
        "cipher": build_cipher_model(root / "b3", page_text, seed=20240917),
    }
    return {name: install_model(a, root / f"m-{name}") for name, a in archives.items()}


def run_adherence(page: Path, glossary_dir: Path) -> None:
    from ..glossary import load_glossary
    from ..pipeline import load_documents
    from ..translate import AdherenceReport, SentenceIn, Translator
    from ..translate import argos as argos_glue
    from ..translate.engine import Engine

    glossary = load_glossary(glossary_dir)
    [doc] = load_documents(page, glossary=glossary)
    with tempfile.TemporaryDirectory(prefix="bench-adherence-") as tmp:
        root = Path(tmp)
        with argos_glue._environment({"XDG_DATA_HOME": str(root / "xdg")}):
            argos_glue.import_package_module()
        models = _models(root, page.read_text(encoding="utf-8"))
        print(f"glossary adherence per backend: {page.name}, {len(doc.sentences)} sentences, "
              f"{len(glossary.by_id)} glossary entries")
        print(f"  {'backend':<12} {'adherence':>22} {'placeholder':>11} {'alignment':>9} {'not enf.':>8} "
              f"{'model calls':>11} {'sent':>5} {'flagged':>7}")
        for name, model in models.items():
            t = Translator(model, cache_path=root / f"cache-{name}.sqlite")
            stats = t.translate_document(doc, glossary.by_id)
            report = AdherenceReport()
            report.add_document(doc, glossary.by_id)
            how = Counter(h for s in doc.sentences if s.translation for h in s.translation.enforced_by.values())
            adherence = f"{report.ok}/{report.checked} ({100 * (report.rate or 0):.1f}%)"
            print(f"  {name:<12} {adherence:>22} {how['placeholder']:>11} {how['alignment']:>9} "
                  f"{how['not-enforced']:>8} {stats.model_calls:>11} {stats.model_sentences:>5} {stats.flagged:>7}")
            t.close()
        # Placeholder survival: every linked term of the page replaced by each form, sentence by sentence.
        items = [SentenceIn.from_sentence(s, glossary.by_id) for s in doc.sentences if s.terms]
        print(f"placeholder forms kept by each model ({sum(len(i.located_terms()) for i in items)} placeholders "
              f"in {len(items)} sentences):")
        engines = {name: Engine(m) for name, m in models.items()}
        print(f"  {'form':<32} " + " ".join(f"{name:>11}" for name in engines))
        for label, (pattern, regex) in FORMS.items():
            texts, wanted = [], []
            for it in items:
                parts, pos, slots = [], 0, []
                for n, t in enumerate(sorted(it.located_terms(), key=lambda t: t.start)):
                    if t.start < pos:
                        continue
                    parts += [it.text[pos:t.start], f" {_form(pattern, n)} "]
                    slots.append(n)
                    pos = t.end
                parts.append(it.text[pos:])
                texts.append(" ".join("".join(parts).split()))
                wanted.append(slots)
            total = sum(len(w) for w in wanted)
            cells = []
            for engine in engines.values():
                outs = engine.translate(texts)
                kept = sum(
                    len(re.findall(regex.format(n=n, a=string.ascii_lowercase[n % 26]), o.text, re.IGNORECASE)) == 1
                    for o, slots in zip(outs, wanted, strict=True) for n in slots)
                cells.append(f"{kept}/{total}")
            print(f"  {label:<32} " + " ".join(f"{c:>11}" for c in cells))
