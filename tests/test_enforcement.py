"""Glossary terms in the English whatever the model does: a model that never copies a placeholder.

The model is a seeded piece-for-piece cipher built here (annotate.translate.cipher_model):
BPE SentencePiece without byte fallback, a target vocabulary of English words only, the
reading done by the last of two decoder layers.  It writes its own words for every
placeholder, so each term must be found through the model's attention.
"""

from __future__ import annotations

import re
import sqlite3

import pytest

from annotate.cli import main
from annotate.model import GlossaryEntry, TermLink
from annotate.translate import SentenceIn, Translator
from annotate.translate.align import aligned_span, piece_spans
from annotate.translate.models import find_model
from annotate.translate.placeholders import protect
from support import CORPUS, corpus_text, run_annotate

HQD = GlossaryEntry(id="hqd", source="高质量发展", target="high-quality development", status="approved")
DUAL = GlossaryEntry(id="dual", source="双轮驱动", target="dual drivers", status="approved")
ENTRIES = {e.id: e for e in (HQD, DUAL)}


def item(text: str, *entries: GlossaryEntry, sid: str = "s") -> SentenceIn:
    terms = []
    for e in entries:
        for m in re.finditer(re.escape(e.source), text):
            terms.append(TermLink(e.id, e.source, m.start(), m.end()))
    return SentenceIn(sid, text, sorted(terms, key=lambda t: t.start), ENTRIES)


@pytest.fixture(scope="session")
def cipher_archive(tmp_path_factory):
    from annotate.translate.cipher_model import build_cipher_model

    return build_cipher_model(tmp_path_factory.mktemp("cipher"), corpus_text(), seed=20240917)


@pytest.fixture(scope="session")
def cipher_dir(tmp_path_factory, cipher_archive, argos_home):
    folder = tmp_path_factory.mktemp("cipher-models")
    assert main(["models", "install", str(cipher_archive), "--model-dir", str(folder)]) == 0  # probe included
    return folder


@pytest.fixture
def cipher(cipher_dir, tmp_path):
    made = []

    def make(**kw) -> Translator:
        t = Translator(find_model(cipher_dir), cache_path=tmp_path / "cache.sqlite", **kw)
        made.append(t)
        return t

    yield make
    for t in made:
        t.close()


def test_the_cipher_never_copies_a_placeholder(cipher):
    t = cipher(enforce="none")
    raw = t.backend.engine.translate([" ZXQ0 推动 ZXQ1 2019 "])[0].text
    assert raw and not re.search(r"[A-Z0-9]", raw)  # no letter or digit of the source survives


def test_terms_are_enforced_by_alignment_in_one_pass(cipher):
    t = cipher()
    text = "双轮驱动带动制造业高质量发展，高质量发展靠双轮驱动。"
    [r] = t.translate([item(text, HQD, DUAL)])
    assert r.text.lower().count("dual drivers") == 2 and r.text.count("high-quality development") == 2
    assert r.enforced_by == {DUAL.id: "alignment", HQD.id: "alignment"} and r.missing_terms == []
    assert not any(f.startswith("term-not-enforced") for f in r.flags)
    s = t.last_stats
    assert (s.model_calls, s.model_sentences, s.aligned, s.not_enforced) == (1, 1, 4, 0)


def test_the_aligned_span_is_what_the_model_wrote_for_the_term(cipher):
    """Piece for piece, the English aligned to a placeholder is the model's English for the placeholder alone."""
    t = cipher(enforce="none")
    p = protect("全力推动制造业高质量发展。", item("全力推动制造业高质量发展。", HQD).terms, ENTRIES)
    out = t.backend.engine.translate([p.text])[0]
    span = aligned_span(out.alignment, *p.slots[0].span, out.text)
    assert span is not None
    aligned = out.text[span[0]:span[1]]
    # alone, SentencePiece puts a word-start piece before it (the model writes a word for that too)
    alone = t.backend.engine.translate([p.text[p.slots[0].span[0]:p.slots[0].span[1]]])[0].text
    assert aligned and alone.endswith(aligned) and len(aligned.split()) >= len(alone.split()) - 1
    # the words after it are the model's words for the "。" after it, untouched
    assert out.text[span[1]:].split() == out.text.split()[len(out.text[:span[1]].split()):]


def test_enforced_words_replace_only_the_term(cipher):
    t = cipher()
    text = "全力推动制造业高质量发展。"
    [r] = t.translate([item(text, HQD)])
    [plain] = cipher(enforce="none").translate([SentenceIn("p", " ".join(protect(text, item(text, HQD).terms,
                                                                                ENTRIES).text.split()))])
    prefix = plain.text.split()[:4]  # the words for 全力推动制造业 are untouched
    assert r.text.lower().split()[:4] == [w.lower() for w in prefix]
    assert r.text.endswith("high-quality development") or "high-quality development " in r.text


def test_piece_spans_survive_unknown_pieces():
    # <unk> stands for the text between its neighbours; a byte-fallback run shares its character
    assert piece_spans(["\u2581", "全", "力", "\u2581", "<unk>", "\u2581", "。"], "全力 ZXQ0 。") == [
        (0, 0), (0, 1), (1, 2), (2, 2), (3, 7), (2, 2), (8, 9)]
    assert piece_spans(["<0xE4>", "<0xB8>", "<0x80>", "\u2581a"], "一 a") == [(0, 1), (0, 1), (0, 1), (2, 3)]


def test_a_wrong_magnitude_from_a_model_is_flagged(make_translator):
    """The tiny model copies digits and writes a word for 万: 200万 comes out as "200 <word>"."""
    [r] = make_translator().translate([SentenceIn("m", "全市投资200万元。")])
    assert "200" in r.text and "wrong-magnitude:200万" in r.flags


def test_run_then_report_with_a_cipher_model(cipher_dir, tmp_path):
    """The issue's "done when", end to end through the command line, on the bundled corpus."""
    env = {"ARGOS_PACKAGES_DIR": str(cipher_dir)}
    cache = tmp_path / "cache"
    run = run_annotate("run", str(CORPUS), "-o", str(tmp_path / "exports"), "--cache", str(cache),
                       "--layers", "tei", env=env)
    assert run.returncode == 0, run.stderr
    found = re.search(r"English: (\d+) sentences translated", run.stderr)  # the summary goes to stderr
    assert found, run.stdout + run.stderr
    translated = int(found.group(1))
    report = run_annotate("translate", str(CORPUS), "--cache", str(cache), "--report", env=env)
    assert report.returncode == 0, report.stderr
    m = re.search(r"^glossary adherence: ([\d.]+)% \((\d+) of (\d+) term uses", report.stdout, re.MULTILINE)
    assert m and int(m.group(3)) >= 150 and int(m.group(2)) / int(m.group(3)) >= 0.95, report.stdout[:400]
    assert "0 translated" in report.stdout  # the report came from the cache: no model call
    with sqlite3.connect(cache / "translations.sqlite") as db:
        rows = db.execute("SELECT count(*) FROM mt").fetchone()[0]
    assert rows == translated  # one model output per sentence: none was translated twice
    assert re.search(r"^translation flags: \d+ of \d+ sentences flagged", report.stdout, re.MULTILINE)


def test_terms_sharing_a_word_are_both_enforced():
    """A model that glues pieces into one word: each term's own pieces are replaced."""
    from annotate.translate.align import Alignment
    from annotate.translate.enforce import enforce_terms

    p = protect("高质量发展双轮驱动", item("高质量发展双轮驱动", HQD, DUAL).terms, ENTRIES)
    assert p.text == "ZXQ0 ZXQ1"
    output = "foobar baz"  # "foo" from ZXQ0, "bar" from ZXQ1, "baz" from nothing in particular
    alignment = Alignment(source=((0, 4), (5, 9)), target=((0, 3), (3, 6), (7, 10)), links=(0, 1, -1))
    enforced = enforce_terms(output, p, alignment)
    assert enforced.by_slot == ["alignment", "alignment"]
    assert enforced.text == "High-quality development dual drivers baz"  # sentence-initial: capitalised
    assert enforced.text.endswith("baz")
