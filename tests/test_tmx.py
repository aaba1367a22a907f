"""TMX: real translations only, origin marked, language codes CAT tools match (and settable).

OmegaT itself reading these files: tests/test_omegat.py.
"""

from __future__ import annotations

import pytest
from lxml import etree

from annotate.config import Config
from annotate.errors import InputError
from annotate.export.languages import cat_languages
from annotate.export.tmx import tmx_bytes, write_tmx
from annotate.model import Translation
from sample_docs import sample_document

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def mixed_origins():
    """The sample with one sentence of each kind of English: MT, gloss, human, none."""
    doc = sample_document()
    s_head, s_by, s_para, s_cap = doc.sentences
    s_by.translation = Translation(text="this paper reports reporter Yang Lijuan report", origin="gloss")
    s_para.translation = Translation(text="Dalian deepened the reform.", origin="human")
    s_cap.translation = None
    return doc


def test_tmx_loads_in_translate_toolkit_and_marks_origin():
    from translate.storage.tmx import tmxfile

    doc = mixed_origins()
    data = tmx_bytes(doc)
    root = etree.fromstring(data)  # well-formed
    assert root.get("version") == "1.4" and root.find("header").get("srclang") == "zh-CN"
    store = tmxfile.parsestring(data)
    units = [u for u in store.units if u.source]
    head, _by, para, _cap = doc.sentences
    assert [(u.source, u.target) for u in units] == [(head.text, head.translation.text), (para.text, para.translation.text)]
    tus = root.iter("tu")
    mt, human = next(tus), next(tus)
    props = lambda tu: {p.get("type"): p.text for p in tu.iter("prop")}  # noqa: E731
    assert props(mt) == {"x-origin": "machine-translation", "x-model": "tiny-zh-en 1.0", "x-document": doc.id}
    assert mt.get("tuid") == head.id and mt.get("creationid") == "tiny-zh-en 1.0"
    assert props(human)["x-origin"] == "human-translation"
    assert [t.get(XML_LANG) for t in mt.iter("tuv")] == ["zh-CN", "en"]
    assert b"creationdate" not in data  # nothing that changes between runs


def test_a_language_models_draft_is_machine_translation():
    doc = sample_document()
    doc.sentences[0].translation = Translation(text="Dalian deepens reform.", origin="llm", model="qwen2.5 1.5b")
    tu = next(etree.fromstring(tmx_bytes(doc)).iter("tu"))
    assert {p.get("type"): p.text for p in tu.iter("prop")}["x-origin"] == "machine-translation"


def test_gloss_only_and_untranslated_sentences_are_not_translation_memory():
    assert b"<tu" not in tmx_bytes(sample_document(translated=False))
    doc = mixed_origins()
    assert etree.fromstring(tmx_bytes(doc)).xpath("count(//tu)") == 2


def test_language_codes_are_chosen_in_the_settings(tmp_path):
    config = Config(cat_source_lang="zh-Hans", cat_target_lang="en-US")
    source, target = cat_languages(config)
    root = etree.fromstring(write_tmx(sample_document(), tmp_path, source_lang=source, target_lang=target).read_bytes())
    assert root.find("header").get("srclang") == "zh-Hans"
    assert {t.get(XML_LANG) for t in root.iter("tuv")} == {"zh-Hans", "en-US"}
    assert cat_languages(Config()) == ("zh-CN", "en")


@pytest.mark.parametrize(("section", "words"), [
    ('[cat_tools]\nsource_lang = "zh_CN"\n', "[cat_tools] source_lang 'zh_CN' is not a language tag"),
    ('[cat_tools]\ntarget = "en"\n', "[cat_tools] has unknown setting(s) target"),
    ('cat_tools = "zh-CN"\n', "[cat_tools] must be a table"),
    ('cat_source_lang = "zh-CN"\n', "unknown setting 'cat_source_lang'"),
])
def test_bad_language_settings_are_a_one_line_error(tmp_path, section, words):
    from annotate.config import load_config

    (tmp_path / "annotate.toml").write_text(section, "utf-8")
    with pytest.raises(InputError) as err:
        load_config(tmp_path / "annotate.toml")
    assert words in str(err.value) and "annotate.toml" in str(err.value) and "\n" not in str(err.value)


def test_annotate_run_writes_the_language_codes_of_annotate_toml(tmp_path):
    from support import GLOSSARY, PAGE, run_annotate

    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "p.txt").write_text(PAGE.read_text("utf-8")[:400], "utf-8")
    (tmp_path / "annotate.toml").write_text(f'glossary = "{GLOSSARY}"\nner = false\nlayers = ["tmx", "tbx"]\n'
                                            '[cat_tools]\nsource_lang = "zh-Hans"\n', "utf-8")
    out = run_annotate("run", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert 'srclang="zh-Hans"' in (tmp_path / "exports" / "tmx" / "p.tmx").read_text("utf-8")
    assert 'xml:lang="zh-Hans"' in (tmp_path / "exports" / "tbx" / "glossary.tbx").read_text("utf-8")
