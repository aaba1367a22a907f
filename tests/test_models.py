"""`annotate models install/list`: hostile and broken packages change nothing, good ones work.

Every refusal is checked three ways: exit code 3 with one line naming the file, no
file anywhere under the test folder changed (a sentinel beside the packages folder and
an installed model included), and the installed model still translating.
"""

from __future__ import annotations

import json
import shutil
import stat
import zipfile
from pathlib import Path

import pytest

from support import ROOT, run_annotate, tree_digest


def cli(*args: str, models: Path) -> object:
    return run_annotate(*args, env={"ARGOS_PACKAGES_DIR": str(models)})


def rezip(archive: Path, out: Path, *, rename=None, replace: dict[str, bytes] | None = None,
          extra: list[tuple[zipfile.ZipInfo | str, bytes]] = ()) -> Path:
    """A copy of a real package with members renamed, replaced or added."""
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            name = info.filename
            data = src.read(info)
            for suffix, new in (replace or {}).items():
                if name.endswith(suffix):
                    data = new
            dst.writestr(rename(name) if rename else name, data)
        for info, data in extra:
            dst.writestr(info, data)
    return out


def top_of(archive: Path) -> str:
    with zipfile.ZipFile(archive) as zf:
        return zf.namelist()[0].split("/")[0]


@pytest.fixture
def home(tmp_path, tiny_archive):
    """A user's folder: a sentinel file, and a packages folder holding one good model."""
    (tmp_path / "precious.txt").write_text("do not delete", "utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "thesis.txt").write_text("chapter 1", "utf-8")
    models = tmp_path / "argos"
    out = cli("models", "install", str(tiny_archive), models=models)
    assert out.returncode == 0, out.stderr
    return tmp_path


def assert_refused(home: Path, archive: Path, message: str) -> None:
    before = tree_digest(home)
    out = cli("models", "install", str(archive), models=home / "argos")
    assert out.returncode == 3, out.stderr
    err = out.stderr.strip()
    assert len(err.splitlines()) == 1 and message in err and archive.name in err, err
    after = tree_digest(home)
    assert after == before, f"files changed: {set(before) ^ set(after)}"
    assert not [p for p in (home / "argos").iterdir() if p.name.startswith(".install-")]
    from annotate.translate.models import find_model, is_verified

    still = find_model(home / "argos")
    assert still is not None and is_verified(still.path)  # the installed model is untouched and usable


def test_install_then_list_marks_the_model_used(tmp_path, tiny_archive):
    models = tmp_path / "models"
    out = cli("models", "install", str(tiny_archive), models=models)
    assert out.returncode == 0, out.stderr
    assert "zh→en" in out.stdout and "installed" in out.stdout
    listed = cli("models", "list", models=models)
    line = next(ln for ln in listed.stdout.splitlines() if "zh→en" in ln)
    assert line.endswith("*")
    from annotate.translate.models import find_model, is_verified

    found = find_model(models)
    assert found is not None and is_verified(found.path)


@pytest.mark.parametrize(
    ("rename", "message"),
    [
        (lambda n: "../" + n, "unsafe path '../"),
        (lambda n: "../../" + n.split("/", 1)[-1], "unsafe path"),
        (lambda n: "./" + n.split("/", 1)[-1], "unsafe path './"),
        (lambda n: "/" + n, "unsafe path '/"),
        (lambda n: n.replace("/", "\\", 1), "unsafe path"),
        (lambda n: ".hidden/" + n.split("/", 1)[-1], "unsafe path '.hidden"),
        (lambda n: "C:" + n, "unsafe path"),
    ],
    ids=["dotdot-top", "dotdot-twice", "dot-top", "absolute", "backslash", "hidden-top", "drive"],
)
def test_crafted_member_paths_change_nothing(home, tiny_archive, rename, message):
    bad = rezip(tiny_archive, home / "evil.argosmodel", rename=rename)
    assert_refused(home, bad, message)


def test_the_same_folder_name_as_an_installed_model_with_dot_dot_inside_changes_nothing(home, tiny_archive):
    top = top_of(tiny_archive)
    bad = rezip(tiny_archive, home / "evil.argosmodel", rename=lambda n: n.replace(f"{top}/", f"{top}/../../", 1))
    assert_refused(home, bad, "unsafe path")


def test_symlink_member_is_refused(home, tiny_archive):
    link = zipfile.ZipInfo(f"{top_of(tiny_archive)}/escape")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    bad = rezip(tiny_archive, home / "link.argosmodel", extra=[(link, b"/etc/passwd")])
    assert_refused(home, bad, "is a symbolic link")


def test_zip_bomb_is_refused_from_its_directory(home, tiny_archive):
    bomb = zipfile.ZipInfo(f"{top_of(tiny_archive)}/padding.bin")
    bomb.compress_type = zipfile.ZIP_DEFLATED
    bad = rezip(tiny_archive, home / "bomb.argosmodel", extra=[(bomb, b"\0" * (64 << 20))])
    assert bad.stat().st_size < 2 << 20
    assert_refused(home, bad, "zip bomb")


def test_model_that_ctranslate2_cannot_load_is_refused(home, tiny_archive):
    bad = rezip(tiny_archive, home / "garbage.argosmodel", replace={"model/model.bin": b"not a model" * 100})
    assert_refused(home, bad, "the model does not load")


@pytest.mark.parametrize("meta", [b"[1, 2]", b'"zh-en"', b"{not json"], ids=["list", "string", "invalid"])
def test_metadata_that_is_not_an_object_is_refused(home, tiny_archive, meta):
    bad = rezip(tiny_archive, home / "meta.argosmodel", replace={"metadata.json": meta})
    assert_refused(home, bad, "metadata.json is not")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p, a: rezip(a, p, replace={"metadata.json": json.dumps(
            {"type": "translate", "from_code": "en", "to_code": "zh", "package_version": "1"}).encode()}),
         "translates en→zh, not zh→en"),
        (lambda p, a: p.write_bytes(a.read_bytes()[:1000]) and p, "not a zip archive"),
        (lambda p, a: p.write_text("hello") and p, "not a zip archive"),
    ],
    ids=["wrong-direction", "truncated", "not-zip"],
)
def test_broken_packages_are_refused(home, tiny_archive, make, message):
    assert_refused(home, make(home / "bad.argosmodel", tiny_archive), message)


def test_reinstalling_replaces_the_old_copy_only_inside_the_packages_folder(home, tiny_archive):
    before = {k: v for k, v in tree_digest(home).items() if not k.startswith("argos/")}
    out = cli("models", "install", str(tiny_archive), models=home / "argos")
    assert out.returncode == 0, out.stderr
    assert {k: v for k, v in tree_digest(home).items() if not k.startswith("argos/")} == before
    assert [p.name for p in (home / "argos").iterdir()] == [top_of(tiny_archive)]


def test_broken_folders_on_disk_are_listed_and_skipped_by_run(home, tiny_archive, tmp_path):
    models = home / "argos"
    good = models / top_of(tiny_archive)
    # A newer-looking copy whose weights are garbage, copied in by hand (never verified).
    bad = models / "translate-zh_en-9_9"
    shutil.copytree(good, bad)
    meta = json.loads((bad / "metadata.json").read_text("utf-8"))
    (bad / "metadata.json").write_text(json.dumps({**meta, "package_version": "9.9"}), "utf-8")
    (bad / "model" / "model.bin").write_bytes(b"garbage" * 50)
    (bad / ".annotate-verified.json").unlink()
    notobj = models / "not-an-object"
    notobj.mkdir()
    (notobj / "metadata.json").write_text("[1, 2]", "utf-8")

    listed = cli("models", "list", models=models)
    assert listed.returncode == 0, listed.stderr
    assert "broken: metadata.json is not a JSON object" in listed.stdout
    assert "Traceback" not in listed.stderr

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "p.txt").write_text("本报讯 大连港吞吐量增长。\n", "utf-8")
    out = run_annotate("run", str(corpus), "-o", str(tmp_path / "out"), "--cache", str(tmp_path / "cache"),
                       "--layers", "tmx", env={"ARGOS_PACKAGES_DIR": str(models)})
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr + out.stdout
    text = out.stdout + out.stderr
    assert "skipped the model folder" in text and "not-an-object" in text
    assert "skipped the model" in text and "9.9" in text and "does not load" in text
    assert "2 sentences translated" in text
    tmx = (tmp_path / "out" / "tmx" / "p.tmx").read_text("utf-8")
    assert tmx.count("<tu ") == 2 and "tiny-zh_en 1.0" in tmx  # the good model, not the broken newer one


def test_translate_without_model_says_how_to_fix(tmp_path):
    out = cli("translate", str(ROOT / "corpus"), models=tmp_path / "none")
    assert out.returncode == 4
    assert len(out.stderr.strip().splitlines()) == 1
    assert "no zh→en translation model installed" in out.stderr and "annotate models install" in out.stderr


# -- GGUF models -------------------------------------------------------------------------------


def test_gguf_install_then_list_shows_kind_licence_and_hash(tmp_path, tiny_gguf):
    import hashlib

    models = tmp_path / "models"
    out = cli("models", "install", str(tiny_gguf), models=models)
    assert out.returncode == 0, out.stderr
    assert "installed gguf model tiny-llm 1.0" in out.stdout
    listed = cli("models", "list", models=models).stdout.splitlines()
    assert listed[0].split("\t")[:7] == ["kind", "name", "version", "direction", "size", "licence", "sha256"]
    row = listed[1].split("\t")
    assert row[0] == "gguf" and row[1] == "tiny-llm" and row[5] == "MIT" and listed[1].endswith("*")
    assert row[6] == hashlib.sha256(tiny_gguf.read_bytes()).hexdigest()


def test_gguf_is_preferred_to_argos_and_both_are_listed(home, tiny_gguf):
    out = cli("models", "install", str(tiny_gguf), models=home / "argos")
    assert out.returncode == 0, out.stderr
    rows = [ln.split("\t") for ln in cli("models", "list", models=home / "argos").stdout.splitlines()[1:]]
    assert sorted(r[0] for r in rows) == ["argos", "gguf"]
    assert [r[0] for r in rows if r[-1] == "*"] == ["gguf"]


def _cut(src: Path, dst: Path, keep: float) -> Path:
    data = src.read_bytes()
    dst.write_bytes(data[: int(len(data) * keep)])
    return dst


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda home, g: (home / "notes.gguf").write_bytes(b"PK\x03\x04 not a model" * 100) and home / "notes.gguf",
         "not a GGUF model file"),
        (lambda home, g: _cut(g, home / "half.gguf", 0.5), "truncated GGUF file"),
        (lambda home, g: _cut(g, home / "header.gguf", 0.02), "GGUF file"),
    ],
    ids=["not-gguf", "truncated", "header-only"],
)
def test_broken_gguf_files_change_nothing(home, tiny_gguf, make, message):
    assert_refused(home, make(home, tiny_gguf), message)


def test_gguf_of_another_architecture_is_refused(home):
    from annotate.translate.tiny_gguf import build_tiny_gguf

    bad = build_tiny_gguf(home / "vision.gguf", architecture="clip")
    assert_refused(home, bad, "architecture 'clip' is not a text-generation model")


def test_gguf_without_chat_template_is_refused(home):
    from annotate.translate.tiny_gguf import build_tiny_gguf

    bad = build_tiny_gguf(home / "base.gguf", chat_template=None)
    assert_refused(home, bad, "no chat template")


def test_gguf_hash_mismatch_changes_nothing(home, tiny_gguf):
    before = tree_digest(home)
    out = cli("models", "install", str(tiny_gguf), "--sha256", "0" * 64, models=home / "argos")
    assert out.returncode == 3, out.stderr
    err = out.stderr.strip()
    assert len(err.splitlines()) == 1 and "sha256 mismatch" in err, err
    assert tree_digest(home) == before
    assert not [p for p in (home / "argos").iterdir() if p.name.startswith(".")]
