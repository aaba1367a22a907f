"""Shared fixtures: a tiny real Argos package, built once per session, and its translator.

argostranslate reads its settings (and creates its folders) once per process, at
import, so the ``argos_home`` fixture imports it first with XDG_DATA_HOME pointing
at a temporary folder; subprocesses get the same variable.  Models are loaded by
path, so each test can still use its own packages folder and cache.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from support import corpus_text


@pytest.fixture(scope="session")
def argos_home(tmp_path_factory) -> Path:
    from annotate.translate import argos

    home = tmp_path_factory.mktemp("xdg")
    with argos._environment({"XDG_DATA_HOME": str(home)}):
        argos.import_package_module()
    return home


@pytest.fixture(scope="session")
def tiny_archive(tmp_path_factory) -> Path:
    from annotate.translate.tiny_model import build_tiny_model

    return build_tiny_model(tmp_path_factory.mktemp("tiny"), corpus_text())


@pytest.fixture(scope="session")
def lossy_archive(tmp_path_factory) -> Path:
    """A variant that does not copy Latin pieces: placeholders are lost."""
    from annotate.translate.tiny_model import build_tiny_model

    return build_tiny_model(tmp_path_factory.mktemp("lossy"), corpus_text(), copy_latin=False, name="tiny-lossy")


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory, tiny_archive, argos_home) -> Path:
    from annotate.translate.models import install_model

    root = tmp_path_factory.mktemp("models")
    install_model(tiny_archive, root)
    return root


@pytest.fixture(scope="session")
def model(models_dir):
    from annotate.translate.models import find_model

    found = find_model(models_dir)
    assert found is not None
    return found


@pytest.fixture(scope="session")
def lossy_model(tmp_path_factory, lossy_archive, argos_home):
    from annotate.translate.models import install_model

    return install_model(lossy_archive, tmp_path_factory.mktemp("lossy-models"))


@pytest.fixture
def make_translator(tmp_path, model):
    """Translator factory; every translator made by one test shares that test's cache file unless told otherwise."""
    from annotate.translate import Translator

    made = []

    def make(*, cache: Path | None = None, m=None, **kw):
        t = Translator(m or model, cache_path=cache or tmp_path / "cache" / "translations.sqlite", **kw)
        made.append(t)
        return t

    yield make
    for t in made:
        t.close()



@pytest.fixture(scope="session")
def tiny_gguf(tmp_path_factory) -> Path:
    """A tiny random-weight llama-architecture GGUF with Qwen's ChatML template (translate/tiny_gguf.py)."""
    from annotate.translate.tiny_gguf import build_tiny_gguf

    return build_tiny_gguf(tmp_path_factory.mktemp("gguf") / "tiny-llm.gguf")


@pytest.fixture(scope="session")
def llm_model(tmp_path_factory, tiny_gguf):
    from annotate.translate.models import install_model

    return install_model(tiny_gguf, tmp_path_factory.mktemp("llm-models"))
