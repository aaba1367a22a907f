"""Importing argostranslate offline, lean and predictably.

Three things about argostranslate 1.11 shape this module:

* ``argostranslate.settings`` reads its settings once, at import: the environment
  (``ARGOS_PACKAGES_DIR``, ``ARGOS_CHUNK_TYPE``, ``ARGOS_MODEL_PROVIDER`` …), then
  ``settings.json`` under ``$XDG_CONFIG_HOME``, and it creates folders under the XDG
  data, config and cache dirs.  We import it once, with the XDG dirs pointed at a
  private folder (``<user data dir>/annotate/argos-home``) so a user's own argos
  ``settings.json`` cannot switch us to a remote provider or a downloading sentence
  splitter, and with the provider and splitter pinned to offline values.  The
  environment is restored right after the import.
* ``argostranslate.sbd`` does ``import stanza`` at module level, and stanza pulls in
  torch (gigabytes with CUDA).  We install argostranslate with ``--no-deps`` and,
  when stanza is not importable, put a stub ``stanza`` module in ``sys.modules``
  before importing argos; the stub raises if anything ever calls it.  Nothing does:
  we never use argos's sentence splitters (each would download a model), we hand
  argos one of our own sentences at a time.
* ``argostranslate.translate`` imports spaCy (for a splitter we do not use), so the
  batched path only imports ``argostranslate.package``; the full module is loaded
  only for :func:`argos_translation`, argos's own per-sentence ``translate()``.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import types
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import EnvironmentProblem
from .models import ModelInfo, user_data_dir

#: Settings pinned while argos's settings module is imported: never a remote provider,
#: and a splitter whose constructor does not download (we replace it anyway).
_PINNED = {"ARGOS_MODEL_PROVIDER": "OPENNMT", "ARGOS_CHUNK_TYPE": "MINISBD", "ARGOS_DEBUG": "0"}


def argos_home() -> Path:
    """Where argos may create its data/config/cache folders."""
    return user_data_dir() / "annotate" / "argos-home"


@contextmanager
def _environment(values: dict[str, str]):
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def install_stanza_stub() -> bool:
    """Put a stub ``stanza`` in sys.modules unless the real one is importable; True if stubbed."""
    if "stanza" in sys.modules or importlib.util.find_spec("stanza") is not None:
        return False
    stub = types.ModuleType("stanza")
    stub.__doc__ = "Stub from annotate.translate.argos: stanza is not installed (argostranslate imports it eagerly)."

    def Pipeline(*args: Any, **kwargs: Any) -> Any:  # noqa: N802 - mirrors stanza.Pipeline
        raise EnvironmentProblem("argostranslate tried to use stanza, which is not installed",
                                 hint="annotate never uses argos's sentence splitters; please report this")

    stub.Pipeline = Pipeline  # type: ignore[attr-defined]
    sys.modules["stanza"] = stub
    return True


def _import_settings() -> types.ModuleType:
    if "argostranslate.settings" in sys.modules:
        return sys.modules["argostranslate.settings"]
    home = argos_home()
    env = {
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        # argos creates this folder; we load packages by path, so its own list is unused.
        "ARGOS_PACKAGES_DIR": os.environ.get("ARGOS_PACKAGES_DIR") or str(home / "packages"),
        **_PINNED,
    }
    try:
        with _environment(env):
            import argostranslate.settings as settings
    except OSError as exc:
        raise EnvironmentProblem(f"argostranslate cannot create its folders: {exc.strerror}", path=home,
                                 hint="set XDG_DATA_HOME to a writable folder") from None
    except ImportError as exc:
        raise EnvironmentProblem(f"argostranslate is not installed ({exc})",
                                 hint="pip install --no-deps argostranslate (see docs/translation.md)") from None
    return settings


def import_package_module() -> types.ModuleType:
    """``argostranslate.package`` (argos's package loader and tokenizers), imported offline."""
    _import_settings()
    import argostranslate.package as package

    return package


def import_translate_module() -> types.ModuleType:
    """``argostranslate.translate``, with the stanza stub and an offline splitter setting."""
    settings = _import_settings()
    install_stanza_stub()
    if "argostranslate.sbd" not in sys.modules and settings.chunk_type == settings.ChunkType.SPACY:
        # Set before our import (settings was imported by someone else): sbd would
        # download a spaCy model at import time.
        settings.chunk_type = settings.ChunkType.MINISBD
    import argostranslate.translate as translate

    return translate


def load_package(model: ModelInfo) -> Any:
    """argos's ``Package`` for an installed model folder (metadata, tokenizer, target prefix)."""
    package = import_package_module()
    try:
        pkg = package.Package(model.path)
    except (OSError, ValueError) as exc:
        raise EnvironmentProblem(f"cannot load the translation package: {exc}", path=model.path,
                                 hint="reinstall it with annotate models install") from None
    if getattr(pkg, "tokenizer", None) is None:
        raise EnvironmentProblem("the package has no sentencepiece.model or bpe.model", path=model.path,
                                 hint="reinstall it with annotate models install")
    return pkg


class OneSentence:
    """An argos sentence splitter that returns its input whole.

    argos's own splitters (MiniSBD, stanza, spaCy) download models on first use and
    may cut a sentence differently from our annotation layer; we feed argos one
    annotated sentence at a time instead."""

    def split_sentences(self, text: str) -> list[str]:
        return [text]

    def __str__(self) -> str:
        return "OneSentence (annotate)"


def argos_translation(model: ModelInfo, *, beam_size: int | None = None) -> Any:
    """argos's own zh→en translation object for ``model``, as ``argostranslate.translate.translate()`` uses it.

    ``get_installed_languages()`` wraps each package's ``PackageTranslation`` in a
    ``CachedTranslation``; we build the same pair directly from the package folder,
    so the model is the one we chose (argos would take the first zh→en package in
    its folder and keep it for the process) and no global package list is touched.
    The splitter is replaced by :class:`OneSentence`.  ``beam_size`` sets argos's
    process-wide ``settings.beam_size`` (argos has no per-call option)."""
    translate = import_translate_module()
    pkg = load_package(model)
    zh = translate.Language(pkg.from_code, pkg.from_name or "Chinese")
    en = translate.Language(pkg.to_code, pkg.to_name or "English")
    translation = translate.CachedTranslation(translate.PackageTranslation(zh, en, pkg))
    translation.underlying.sentencizer = OneSentence()
    if beam_size is not None:
        sys.modules["argostranslate.settings"].beam_size = beam_size
    return translation


def argos_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("argostranslate")
    except PackageNotFoundError:  # pragma: no cover
        return "unknown"
