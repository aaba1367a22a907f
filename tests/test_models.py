"""`annotate models install/list`: validation of .argosmodel files, and the no-model path."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest

from support import ROOT, run_annotate


def package(path: Path, *, from_code="zh", to_code="en", parts=("metadata.json", "model/model.bin", "sentencepiece.model"),
            folder="translate-zh_en-1_0") -> Path:
    """An Argos package's layout (the files' contents are not read by install)."""
    with zipfile.ZipFile(path, "w") as zf:
        for part in parts:
            data = b"\0" * 64
            if part == "metadata.json":
                data = json.dumps({"type": "translate", "from_code": from_code, "to_code": to_code,
                                   "package_version": "1.0", "package_name": "tiny zh-en"}).encode()
            zf.writestr(f"{folder}/{part}", data)
    return path


def cli(*args: str, models: Path) -> subprocess.CompletedProcess:
    return run_annotate(*args, env={"ARGOS_PACKAGES_DIR": str(models)})


def test_install_then_list(tmp_path):
    models = tmp_path / "models"
    out = cli("models", "install", str(package(tmp_path / "ok.argosmodel")), models=models)
    assert out.returncode == 0, out.stderr
    assert "installed tiny zh-en 1.0 (zh→en" in out.stdout
    listed = cli("models", "list", models=models)
    assert "tiny zh-en\t1.0\tzh→en" in listed.stdout
    from annotate.translate.models import find_model

    assert find_model(models).model_id == "tiny zh-en 1.0"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: package(p, from_code="en", to_code="zh"), "translates en→zh, not zh→en"),
        (lambda p: package(p, parts=("model/model.bin", "sentencepiece.model")), "missing metadata.json"),
        (lambda p: package(p, parts=("metadata.json", "sentencepiece.model")), "missing model/model.bin"),
        (lambda p: p.write_bytes(package(p).read_bytes()[:100]) and p, "not a zip archive"),
        (lambda p: p.write_text("hello") and p, "not a zip archive"),
    ],
    ids=["wrong-direction", "no-metadata", "no-model", "truncated", "not-zip"],
)
def test_broken_packages_are_refused(tmp_path, make, message):
    models = tmp_path / "models"
    archive = make(tmp_path / "bad.argosmodel")
    out = cli("models", "install", str(archive), models=models)
    assert out.returncode == 3
    assert len(out.stderr.strip().splitlines()) == 1 and message in out.stderr and "bad.argosmodel" in out.stderr
    assert not models.exists() or not any(p for p in models.iterdir() if not p.name.startswith("."))


def test_translate_without_model_says_how_to_fix(tmp_path):
    out = cli("translate", str(ROOT / "corpus"), models=tmp_path / "none")
    assert out.returncode == 4
    assert len(out.stderr.strip().splitlines()) == 1
    assert "no zh→en translation model installed" in out.stderr and "annotate models install" in out.stderr
