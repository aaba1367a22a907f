"""Machine translation through the real argostranslate, SentencePiece and CTranslate2 code.

The model is a tiny zh→en Argos package built in the session (gibberish English,
Latin and digits copied through, see annotate.translate.tiny_model); every test
below loads it the way a real package is loaded.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from annotate.cli import main
from annotate.errors import InputError
from annotate.model import Document, GlossaryEntry, Sentence, TermLink
from annotate.translate import AdherenceReport, SentenceIn, Translator
from annotate.translate.argos import OneSentence, argos_translation, argos_version
from annotate.translate.cache import TranslationCache
from annotate.translate.engine import Engine, RawOutput
from annotate.translate.models import find_model, install_model, list_models, missing_model_hint
from annotate.zh import has_han
from sample_docs import sample_document, sample_glossary
from support import ROOT, corpus_sentences

HQD = GlossaryEntry(id="gao-zhi-liang-fa-zhan", source="高质量发展", target="high-quality development",
                    alternatives=["high quality development"], status="approved")
DUAL = GlossaryEntry(id="shuang-lun-qu-dong", source="双轮驱动", target="dual drivers", status="draft")
ENTRIES = {e.id: e for e in (HQD, DUAL)}


def item(text: str, *entries: GlossaryEntry, sid: str = "s1") -> SentenceIn:
    """A sentence with a link for every occurrence of each entry's source."""
    terms = []
    for e in entries:
        i = text.find(e.source)
        while i >= 0:
            terms.append(TermLink(e.id, e.source, i, i + len(e.source)))
            i = text.find(e.source, i + 1)
    return SentenceIn(sid, text, sorted(terms, key=lambda t: t.start), ENTRIES)


def visible(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) if folder.exists() else []


# -- models: install, list, refuse --------------------------------------------------------


def test_install_list_and_find(tmp_path, tiny_archive, capsys):
    dest = tmp_path / "models"
    assert main(["models", "install", str(tiny_archive), "--model-dir", str(dest)]) == 0
    assert "installed argos model tiny-zh_en 1.0 (zh→en" in capsys.readouterr().out
    [info] = list_models(dest)
    assert (info.name, info.version, info.from_code, info.to_code) == ("tiny-zh_en", "1.0", "zh", "en")
    assert info.size > 1_000_000 and (info.path / "model" / "model.bin").is_file()
    assert find_model(dest) == info and info.model_id == "tiny-zh_en 1.0"
    assert main(["models", "list", "--model-dir", str(dest)]) == 0
    header, line = capsys.readouterr().out.strip().splitlines()
    assert header.startswith("kind\tname\tversion")
    assert line.startswith("argos\ttiny-zh_en\t1.0\tzh→en\t") and line.endswith("\t*")
    # Reinstalling replaces the folder; no temporary folder is left behind.
    install_model(tiny_archive, dest)
    assert os.listdir(dest) == [info.path.name]


def _rewrite(src: Path, dst: Path, *, drop: tuple[str, ...] = (), replace: dict | None = None,
             add: dict | None = None) -> Path:
    replace, add = replace or {}, add or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            rel = info.filename.split("/", 1)[1]
            if rel in drop:
                continue
            zout.writestr(info.filename, replace.get(rel, zin.read(info.filename)))
        for name, data in add.items():
            zout.writestr(name, data)
    return dst


def _metadata(**changes) -> bytes:
    meta = {"type": "translate", "package_version": "1.0", "from_code": "zh", "to_code": "en"}
    return json.dumps({**meta, **changes}).encode()


def _flip_member(src: Path, dst: Path) -> Path:
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as zf:
        info = zf.getinfo(next(n for n in zf.namelist() if n.endswith("model/model.bin")))
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 200
    data[start:start + 64] = bytes(255 - b for b in data[start:start + 64])
    dst.write_bytes(bytes(data))
    return dst


BROKEN = {
    "truncated": (lambda a, p: p.write_bytes(a.read_bytes()[: a.stat().st_size // 2]) and p, "not a zip archive"),
    "not-a-zip": (lambda a, p: p.write_text("hello, not a model") and p, "not a zip archive"),
    "wrong-direction": (lambda a, p: _rewrite(a, p, replace={"metadata.json": _metadata(from_code="en", to_code="zh")}),
                        "translates en→zh, not zh→en"),
    "wrong-type": (lambda a, p: _rewrite(a, p, replace={"metadata.json": _metadata(type="sbd")}), "not 'translate'"),
    "bad-json": (lambda a, p: _rewrite(a, p, replace={"metadata.json": b"{"}), "metadata.json is not valid JSON"),
    "no-metadata": (lambda a, p: _rewrite(a, p, drop=("metadata.json",)), "missing metadata.json"),
    "no-model": (lambda a, p: _rewrite(a, p, drop=("model/model.bin",)), "missing model/model.bin"),
    "no-sentencepiece": (lambda a, p: _rewrite(a, p, drop=("sentencepiece.model",)), "missing sentencepiece.model"),
    "two-folders": (lambda a, p: _rewrite(a, p, add={"other/readme.txt": b"x"}), "exactly one folder"),
    "path-escape": (lambda a, p: _rewrite(a, p, add={"translate-tiny-zh_en-1_0/../../evil.txt": b"x"}), "unsafe path"),
    "damaged-member": (_flip_member, "damaged archive member"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_packages_are_refused(tmp_path, tiny_archive, capsys, case):
    make, message = BROKEN[case]
    archive = make(tiny_archive, tmp_path / "bad.argosmodel")
    dest = tmp_path / "models"
    assert main(["models", "install", str(archive), "--model-dir", str(dest)]) == 3
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err and "bad.argosmodel" in err, err
    assert not dest.exists() or os.listdir(dest) == []  # nothing installed, no temporary folder left
    with pytest.raises(InputError):
        install_model(archive, dest)


def test_no_model_says_how_to_fix(tmp_path, tiny_archive):
    assert find_model(tmp_path / "absent") is None
    hint = missing_model_hint(tmp_path / "absent")
    assert "no zh→en translation model installed" in hint and "\n" not in hint
    assert "annotate models install --default" in hint and "PATH/translate-zh_en-1_9.argosmodel" in hint
    # A folder without its CTranslate2 weights, or for another direction, is not a usable model.
    dest = tmp_path / "models"
    info = install_model(tiny_archive, dest)
    (info.path / "model" / "model.bin").unlink()
    assert visible(dest) == [info.path.name] and find_model(dest) is None


def test_translate_command_without_model_exits_4(tmp_path, capsys):
    code = main(["translate", str(ROOT / "corpus"), "--model-dir", str(tmp_path / "none"),
                 "--cache", str(tmp_path / "cache")])
    err = capsys.readouterr().err.strip()
    assert code == 4 and len(err.splitlines()) == 1 and "annotate models install" in err


# -- translating ---------------------------------------------------------------------------


def test_every_sentence_gets_english(make_translator, tmp_path):
    sents = corpus_sentences(60)
    t = make_translator()
    out = t.translate([SentenceIn(f"s{i}", s) for i, s in enumerate(sents)])
    assert len(out) == len(sents)
    for r in out:
        assert r.origin == "mt" and r.model == "tiny-zh_en 1.0" and r.engine.startswith("ctranslate2 ")
        # no decoding failure (the gibberish has no closing punctuation: "truncated" is fair)
        assert r.text.strip() and not has_han(r.text) and not set(r.flags) & {"repetition", "too-long", "empty"}
    # Deterministic: a fresh translator with its own cache gives the same English.
    again = make_translator(cache=tmp_path / "other.sqlite").translate([SentenceIn(f"s{i}", s) for i, s in enumerate(sents)])
    assert [r.text for r in again] == [r.text for r in out]
    # Digits are copied through, as real models do.
    [num] = t.translate([SentenceIn("n", "预计规模以上工业企业营业利润增长 15%。")])
    assert "15" in num.text
    # A sentence without Chinese is copied, not translated.
    calls = t.stats.model_sentences
    [latin] = t.translate([SentenceIn("l", "2019.12.31 ")])
    assert latin.text == "2019.12.31" and t.stats.model_sentences == calls


def test_same_english_as_argos_translate(model, make_translator):
    """Our batched path gives exactly what argos's own translate() gives, sentence by sentence."""
    sents = corpus_sentences(12)
    ours = make_translator(beam_size=2).translate([SentenceIn(str(i), s) for i, s in enumerate(sents)])
    argos = argos_translation(model, beam_size=2)
    assert isinstance(argos.underlying.sentencizer, OneSentence)
    assert [argos.translate(s) for s in sents] == [r.text for r in ours]
    stanza = sys.modules["stanza"]
    assert getattr(stanza, "__file__", None) is None  # our stub: stanza (and torch) never installed


def test_batched_output_equals_one_by_one(model, argos_home):
    sents = corpus_sentences(40)
    engine = Engine(model, batch_size=8)
    batched = engine.translate(sents)
    assert engine.calls == 1
    one_by_one = [engine.translate([s])[0] for s in sents]
    assert batched == one_by_one
    assert [o.source_pieces for o in batched] == [len(engine.tokenizer.encode(s)) for s in sents]


def test_runaway_output_is_cut_and_counted(model, argos_home):
    engine = Engine(model)
    out = engine._output(["▁a", "▁b"], ["▁port"] * 40)  # what a looping model returns for a 2-piece input
    assert out.output_pieces == 40 and out.source_pieces == 2
    assert out.text == " ".join(["port"] * 16) + " …"  # cut at 3 × 2 + 10 pieces, and marked


# -- cache -----------------------------------------------------------------------------------


def test_rerun_makes_no_model_calls(make_translator):
    items = [SentenceIn(f"s{i}", s) for i, s in enumerate(corpus_sentences(30))]
    first = make_translator()
    out = first.translate(items)
    assert first.last_stats.model_sentences == len({i.text for i in items}) and first.last_stats.cache_hits == 0
    second = make_translator()  # a new process would see the same: the cache is on disk
    assert second.translate(items) == out
    s = second.last_stats
    assert (s.model_calls, s.model_sentences, s.sentences_translated, s.cache_hits) == (0, 0, 0, len(items))
    assert not second.backend.loaded  # all from the cache: the model was never even loaded


def test_changed_sentence_is_retranslated_alone(make_translator):
    texts = corpus_sentences(30)
    before = make_translator().translate([SentenceIn(f"s{i}", s) for i, s in enumerate(texts)])
    texts[7] = texts[7].replace("大连", "沈阳", 1) if "大连" in texts[7] else "沈阳" + texts[7]
    t = make_translator()
    after = t.translate([SentenceIn(f"s{i}", s) for i, s in enumerate(texts)])
    s = t.last_stats
    assert (s.model_sentences, s.sentences_translated, s.cache_hits) == (1, 1, 29)
    assert [i for i, (x, y) in enumerate(zip(before, after, strict=True)) if x != y] == [7]


def test_decoding_settings_are_part_of_the_key(make_translator):
    items = [SentenceIn(f"s{i}", s) for i, s in enumerate(corpus_sentences(10))]
    make_translator(beam_size=2).translate(items)
    other = make_translator(beam_size=3)
    other.translate(items)
    assert other.last_stats.model_sentences == len(items)


def test_corrupt_cache_is_reported_and_rebuilt(tmp_path, make_translator, capsys):
    path = tmp_path / "cache" / "translations.sqlite"
    path.parent.mkdir()
    garbage = b"not a database, just garbage " * 200
    path.write_bytes(garbage)
    t = make_translator(cache=path)
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("annotate: warning:") and str(path) in err[0] and "rebuilt" in err[0]
    assert (tmp_path / "cache" / "translations.sqlite.corrupt").read_bytes() == garbage
    items = [SentenceIn(f"s{i}", s) for i, s in enumerate(corpus_sentences(5))]
    t.translate(items)
    again = make_translator(cache=path)
    again.translate(items)
    assert again.last_stats.model_calls == 0 and capsys.readouterr().err == ""


def test_damaged_database_pages_are_rebuilt(tmp_path, capsys):
    path = tmp_path / "c.sqlite"
    cache = TranslationCache(path)
    cache.put_many("m 1", "k", [(f"source {i} " * 20, RawOutput(f"output {i} " * 20, 3, 3)) for i in range(3000)])
    cache.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    cache.close()
    data = bytearray(path.read_bytes())
    for page in range(3, len(data) // 4096, 2):  # keep the header page, scribble over the tree pages
        data[page * 4096 + 100:page * 4096 + 400] = b"\xff" * 300
    path.write_bytes(bytes(data))
    reopened = TranslationCache(path)
    assert len(reopened.warnings) == 1 and "moved aside" in reopened.warnings[0]
    assert reopened.count() == 0
    reopened.put_many("m 1", "k", [("a", RawOutput("b", 1, 1))])
    assert reopened.get_many("m 1", "k", ["a"]) == {"a": RawOutput("b", 1, 1)}
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_unwritable_cache_folder_falls_back_to_memory(tmp_path, make_translator, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    t = make_translator(cache=blocker / "translations.sqlite")
    assert "not kept for the next run" in capsys.readouterr().err
    [r] = t.translate([SentenceIn("a", corpus_sentences(1)[0])])
    assert r.text


def test_a_failing_batch_is_rolled_back(tmp_path):
    cache = TranslationCache(tmp_path / "c.sqlite")
    with pytest.raises(sqlite3.IntegrityError):
        cache.put_many("m", "k", [("a", RawOutput("fine", 1, 1)), ("b", RawOutput(None, 1, 1))])  # type: ignore[arg-type]
    assert cache.count() == 0  # all or nothing
    cache.put_many("m", "k", [("a", RawOutput("fine", 1, 1))])
    assert cache.count() == 1 and cache.warnings == []


_WRITER = """
import sys
from pathlib import Path
from annotate.translate import SentenceIn, Translator
from annotate.translate.models import find_model
t = Translator(find_model(Path(sys.argv[1])), cache_path=Path(sys.argv[2]), batch_size=1)
base = sys.argv[3]
i = 0
while True:  # until killed: 2 commits per call (chunks of 4 sentences)
    t.translate([SentenceIn(str(i + k), f"{base}{i + k}号") for k in range(8)])
    i += 8
"""


def test_killed_writer_leaves_a_usable_cache(tmp_path, models_dir, argos_home, make_translator):
    path = tmp_path / "killed.sqlite"
    env = {**os.environ, "XDG_DATA_HOME": str(argos_home)}
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(models_dir), str(path), corpus_sentences(1)[0]],
                            env=env, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        rows = 0
        while rows < 40 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
            try:
                with sqlite3.connect(path, timeout=5) as probe:
                    rows = probe.execute("SELECT count(*) FROM mt").fetchone()[0]
            except sqlite3.Error:
                rows = 0
    finally:
        proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate()
    assert rows >= 40, err.decode()
    cache = TranslationCache(path)  # integrity checked on open
    assert cache.warnings == [] and cache.count() >= rows
    sources = [r[0] for r in cache.conn.execute("SELECT source FROM mt")]
    cache.close()
    t = make_translator(cache=path, batch_size=1)
    t.translate([SentenceIn(str(i), s) for i, s in enumerate(sources)])
    assert t.last_stats.model_calls == 0 and t.last_stats.cache_hits == len(sources)


# -- glossary enforcement --------------------------------------------------------------------

SENTENCE = "全力推动制造业高质量发展。"


def test_glossary_english_is_enforced(make_translator):
    t = make_translator()
    [r] = t.translate([item(SENTENCE, HQD)])
    assert "high-quality development" in r.text and "ZXQ" not in r.text.upper()
    assert (r.enforced_terms, r.enforced_by, r.missing_terms) == ([HQD.id], {HQD.id: "placeholder"}, [])
    assert not [f for f in r.flags if f.startswith("term-not-enforced")]
    assert t.last_stats.enforced == 1 and t.last_stats.adherence_ok == t.last_stats.adherence_total == 1
    # Without enforcement the (gibberish) model does not produce the term: enforcement did it.
    [plain] = make_translator(enforce="none").translate([item(SENTENCE, HQD)])
    assert "development" not in plain.text and plain.enforced_terms == [] and plain.missing_terms == [HQD.id]


def test_enforcement_at_start_and_for_repeated_terms(make_translator):
    text = "双轮驱动带动高质量发展，高质量发展靠双轮驱动。"
    [r] = make_translator().translate([item(text, HQD, DUAL)])
    assert r.text.startswith("Dual drivers ")  # sentence-initial: capitalised
    assert r.text.count("high-quality development") == 2 and r.text.lower().count("dual drivers") == 2
    assert r.enforced_terms == [DUAL.id, HQD.id] and r.missing_terms == []


def test_sentence_of_only_terms_needs_no_model(make_translator):
    t = make_translator()
    [heading, bracketed, listed] = t.translate([item("高质量发展", HQD), item("（高质量发展）", HQD),
                                                item("双轮驱动、高质量发展。", HQD, DUAL)])
    assert heading.text == "High-quality development" and heading.enforced_terms == [HQD.id]
    assert bracketed.text == "(high-quality development)"
    assert listed.text == "Dual drivers, high-quality development." and listed.missing_terms == []
    assert t.last_stats.model_sentences == 0 and t.last_stats.copied == 3


def test_enforce_approved_only(make_translator):
    [r] = make_translator(enforce="approved").translate([item("双轮驱动带动高质量发展。", HQD, DUAL)])
    assert r.enforced_terms == [HQD.id] and r.missing_terms == [DUAL.id]


def test_lost_placeholder_is_repaired_from_the_same_output(make_translator, lossy_model):
    t = make_translator(m=lossy_model)
    [r] = t.translate([item(SENTENCE, HQD)])
    assert "high-quality development" in r.text and "ZXQ" not in r.text.upper()
    assert r.enforced_by == {HQD.id: "alignment"} and r.missing_terms == []
    assert not [f for f in r.flags if f.startswith("term-not-enforced")]
    assert t.last_stats.aligned == 1 and t.last_stats.model_sentences == 1  # translated once, repaired


def test_block_offsets_are_converted_to_sentence_offsets(make_translator):
    block_text = "我们要" + SENTENCE
    start = 3
    s = Sentence(id="b.s2", start=start, end=len(block_text), text=SENTENCE,
                 terms=[TermLink(HQD.id, HQD.source, block_text.find(HQD.source), block_text.find(HQD.source) + 5)])
    converted = SentenceIn.from_sentence(s, ENTRIES)
    assert SENTENCE[converted.terms[0].start:converted.terms[0].end] == HQD.source
    # Offsets that do not point at the surface: the term is found by its surface.
    wrong = SentenceIn("w", SENTENCE, [TermLink(HQD.id, HQD.source, 0, 5)], ENTRIES)
    [r] = make_translator().translate([wrong])
    assert r.enforced_terms == [HQD.id]


def test_repetition_loop_is_flagged(make_translator):
    [r] = make_translator().translate([SentenceIn("r", "好好好好好好好好好好好好。")])
    assert "repetition" in r.flags and r.text  # flagged, not hidden


# -- documents ---------------------------------------------------------------------------------


def test_translate_document_fills_every_sentence(make_translator):
    doc = sample_document(translated=False)
    entries = {e.id: e for e in sample_glossary()}
    t = make_translator()
    stats = t.translate_document(doc, entries)
    assert stats.sentences == len(doc.sentences) == 4 and stats.sentences_translated == 4
    for s in doc.sentences:
        assert s.translation is not None and s.translation.origin == "mt" and s.translation.text
    para = next(s for s in doc.sentences if s.terms)
    assert para.translation.enforced_terms == ["fangguanfu"] and entries["fangguanfu"].target in para.translation.text
    assert doc.tools["argostranslate"] == argos_version() and doc.tools["translation-model"] == "tiny-zh_en 1.0"
    t.translate_document(doc, entries)
    assert doc.layers.count("translate") == 1 and t.last_stats.cache_hits == 4
    restored = Document.from_dict(json.loads(json.dumps(doc.to_dict())))
    assert [s.translation for s in restored.sentences] == [s.translation for s in doc.sentences]
    report = AdherenceReport()
    report.add_document(doc, entries)
    assert (report.checked, report.ok, report.rate) == (1, 1, 1.0)


def test_adherence_report_lists_misses(make_translator):
    doc = sample_document(translated=False)
    entries = {e.id: e for e in sample_glossary()}
    make_translator(enforce="none").translate_document(doc, entries)
    report = AdherenceReport()
    report.add_document(doc, entries)
    assert (report.checked, report.ok) == (1, 0)
    text = report.render(verbose=True)
    lines = text.splitlines()
    assert lines[0].startswith("glossary adherence: 0.0% (0 of 1")
    assert lines[1].startswith("sample-page.a1.p3.s1: 放管服 [fangguanfu] expected: streamline administration")
    assert report.render() == lines[0]


def test_translator_rejects_bad_settings(model, tmp_path, argos_home):
    with pytest.raises(ValueError):
        Translator(model, cache_path=tmp_path / "c.sqlite", enforce="some")
    with pytest.raises(ValueError):
        Translator(model, cache_path=tmp_path / "c.sqlite", beam_size=0)
