"""Translation through the real argostranslate registry, CTranslate2 and SentencePiece, with a tiny
model the tests build (it translates into gibberish, deterministically); placeholders, adherence, guards."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from annotate.model import GlossaryEntry, TermLink
from annotate.translate.adherence import adherence
from annotate.translate.translator import guard_flags, protect, restore

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "corpus" / "raw" / "dalian-daily-2019-economy.txt"


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict[str, str]:
    """Argos reads its settings (and creates folders) at import: everything points into a temp dir."""
    base = tmp_path_factory.mktemp("argos")
    e = {**os.environ, "ARGOS_PACKAGES_DIR": str(base / "packages"), "XDG_DATA_HOME": str(base / "data"),
         "XDG_CACHE_HOME": str(base / "cache"), "XDG_CONFIG_HOME": str(base / "config")}
    from annotate.translate.tiny_model import build_tiny_model

    archive = build_tiny_model(base / "build", PAGE.read_text("utf-8"))
    out = subprocess.run([sys.executable, "-m", "annotate", "models", "install", str(archive)], env=e,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return e


def run(env, *args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "annotate", *args], env=env, capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def translated(env, tmp_path_factory):
    work = tmp_path_factory.mktemp("mt")
    corpus = work / "corpus"
    corpus.mkdir()
    shutil.copy(PAGE, corpus / PAGE.name)
    proc = run(env, "run", str(corpus), "-o", str(work / "exports"), "--cache", str(work / "cache"),
               "--glossary", str(ROOT / "glossary"), cwd=work)
    assert proc.returncode == 0, proc.stderr
    return work, proc


def test_models_list_shows_the_tiny_model(env, tmp_path):
    out = run(env, "models", "list", cwd=tmp_path)
    assert "tiny-zh-en\t1.0\tzh→en" in out.stdout


def test_run_translates_every_sentence_and_marks_it(translated):
    work, proc = translated
    assert "no zh→en translation model" not in proc.stderr
    assert "sentences translated" in proc.stderr and "term adherence" in proc.stderr
    en = (work / "exports" / "tei" / "dalian-daily-2019-economy.en.xml").read_text("utf-8")
    assert 'type="mt"' in en and 'type="gloss"' not in en
    tmx = (work / "exports" / "tmx" / "dalian-daily-2019-economy.tmx").read_text("utf-8")
    assert tmx.count("<tu ") == 137 and "machine-translation" in tmx and "tiny-zh-en 1.0" in tmx
    html = (work / "exports" / "html" / "dalian-daily-2019-economy.html").read_text("utf-8")
    assert "No machine translation" not in html and "machine translation</strong> (tiny-zh-en 1.0" in html


def test_rerun_makes_no_model_calls_and_a_changed_sentence_is_translated_alone(env, translated):
    work, _ = translated
    args = ["run", str(work / "corpus"), "-o", str(work / "exports"), "--cache", str(work / "cache"),
            "--glossary", str(ROOT / "glossary"), "--force"]
    again = run(env, *args, cwd=work)
    assert again.returncode == 0, again.stderr
    assert "English: 0 sentences translated" in again.stderr
    page = work / "corpus" / PAGE.name
    page.write_text(page.read_text("utf-8").replace("大连工业交出一份亮眼的成", "大连工业交出一份漂亮的成"), "utf-8")
    changed = run(env, *args, cwd=work)
    assert changed.returncode == 0, changed.stderr
    assert "English: 1 sentences translated" in changed.stderr or "English: 2 sentences translated" in changed.stderr


def test_corrupt_cache_is_reported_and_rebuilt(env, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "p.txt").write_text("本报讯 记者王芳报道 大连市深化放管服改革。\n", "utf-8")
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "translations.sqlite").write_bytes(b"this is not a database" * 100)
    proc = run(env, "run", str(corpus), "-o", str(tmp_path / "out"), "--cache", str(tmp_path / "cache"), "--layers", "vrt", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "translation cache unreadable" in proc.stderr and "Traceback" not in proc.stderr
    db = sqlite3.connect(tmp_path / "cache" / "translations.sqlite")
    assert db.execute("select count(*) from translations").fetchone()[0] >= 1
    assert (tmp_path / "cache" / "translations.sqlite.corrupt").exists()


def test_batched_equals_one_by_one(env, tmp_path):
    code = f"""
import sys
from pathlib import Path
from annotate.translate.models import find_model
from annotate.translate import Translator
m = find_model()
texts = ["大连市深化改革。", "预计2019年全市规模以上工业增加值增长15.4%", "营商环境持续优化。"]
a = Translator(m, cache_path=Path(r"{tmp_path}") / "a.sqlite", batch_size=32).translate_texts(texts)
b = [Translator(m, cache_path=Path(r"{tmp_path}") / "b.sqlite", batch_size=1).translate_texts([t])[0] for t in texts]
print(a == b, len(a))
"""
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["True", "3"], out.stderr


ENTRIES = {
    "fang-guan-fu": GlossaryEntry(id="fang-guan-fu", source="放管服", target="streamline administration",
                                  alternatives=["delegating power, improving regulation and upgrading services"]),
    "ying-shang": GlossaryEntry(id="ying-shang", source="营商环境", target="business environment"),
}


def test_placeholders_carry_the_glossary_english():
    text = "深化放管服改革，优化营商环境。"
    terms = [TermLink("fang-guan-fu", "放管服", 12, 15), TermLink("ying-shang", "营商环境", 20, 24)]
    protected, mapping = protect(text, terms, 10, ENTRIES)
    assert "放管服" not in protected and "营商环境" not in protected and set(mapping) == {"TERMA", "TERMB"}
    # what an NMT model that copies the placeholders through would return:
    english, enforced, lost = restore("Deepen the TERMA reform and improve the TERMB.", mapping, ENTRIES)
    assert english == "Deepen the streamline administration reform and improve the business environment."
    assert enforced == ["fang-guan-fu", "ying-shang"] and lost == []
    english, enforced, lost = restore("Deepen the reform and improve the TERMB.", mapping, ENTRIES)
    assert enforced == ["ying-shang"] and lost == ["fang-guan-fu"]


def test_lost_placeholder_falls_back_and_is_flagged(translated):
    work, _ = translated
    import json

    doc = json.loads(next((work / "cache" / "state").glob("*.json")).read_text("utf-8"))
    assert doc["result"]["counts"]["translated"] > 0
    tei = (work / "exports" / "tei" / "dalian-daily-2019-economy.en.xml").read_text("utf-8")
    assert "term-not-enforced:" in tei  # the tiny model never copies placeholders: every term falls back
    assert "TERMA" not in tei


def test_adherence_accepts_inflection_case_and_hyphens():
    terms = [TermLink("ying-shang", "营商环境", 0, 4)]
    assert adherence("Business environments improved.", terms, ENTRIES) == [("ying-shang", True)]
    assert adherence("The business-environment improved.", terms, ENTRIES) == [("ying-shang", True)]
    assert adherence("The climate for business improved.", terms, ENTRIES) == [("ying-shang", False)]


def test_guards_flag_known_nmt_failures():
    assert "repetition" in guard_flags("", "the city the city the city the city the city", 5, 10, 256)
    assert "empty" in guard_flags("大连。", "", 3, 0, 256)
    assert "untranslated-chinese" in guard_flags("大连。", "Dalian 发展 grows", 3, 4, 256)
    assert "length-cap" in guard_flags("大连。", "word " * 256, 3, 256, 256)
    assert guard_flags("大连发展。", "Dalian develops.", 3, 4, 256) == []


def test_translate_report_lists_adherence_and_misses(env, translated):
    work, _ = translated
    out = run(env, "translate", str(work / "corpus"), "--cache", str(work / "cache"), "--glossary", str(ROOT / "glossary"),
              "--report", cwd=work)
    assert out.returncode == 0, out.stderr
    assert "0 translated" in out.stdout  # all from the cache
    assert "glossary adherence:" in out.stdout and "expected" in out.stdout


def test_cache_survives_a_process_killed_mid_transaction(tmp_path):
    from annotate.translate.cache import TranslationCache

    path = tmp_path / "t.sqlite"
    TranslationCache(path).put_many("s", [("大连。", "Dalian.", [])])
    code = f"""
import os
from annotate.translate.cache import TranslationCache
c = TranslationCache(__import__("pathlib").Path(r"{path}"))
c._db.execute("BEGIN")
c._db.executemany("INSERT INTO translations VALUES (?, ?, ?)", [(str(i), "x", "[]") for i in range(1000)])
os._exit(9)  # killed before COMMIT
"""
    assert subprocess.run([sys.executable, "-c", code]).returncode == 9
    cache = TranslationCache(path)
    assert len(cache) == 1 and cache.get("s", "大连。") == ("Dalian.", [])
