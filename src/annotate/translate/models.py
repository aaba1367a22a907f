"""Argos translation packages: where they live, installing one from a file, listing them.

A ``.argosmodel`` is a zip holding one folder with ``metadata.json`` (type
``translate``, ``from_code``, ``to_code``), a CTranslate2 model in ``model/`` and
``sentencepiece.model``.  We validate all of that before installing, install
atomically (extract to a temporary folder, then rename), and never contact the
Argos package index: nothing is downloaded, ever.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import EnvironmentProblem, InputError

FROM, TO = "zh", "en"
INDEX_URL = "https://www.argosopentech.com/argospm/index/"


@dataclass(frozen=True)
class ModelInfo:
    name: str
    version: str
    from_code: str
    to_code: str
    path: Path
    size: int  # bytes on disk

    @property
    def model_id(self) -> str:
        return f"{self.name} {self.version}"


def packages_dir(configured: Path | None = None) -> Path:
    """The configured folder, else ARGOS_PACKAGES_DIR, else the user data dir."""
    if configured:
        return Path(configured)
    if os.environ.get("ARGOS_PACKAGES_DIR"):
        return Path(os.environ["ARGOS_PACKAGES_DIR"])
    data = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data / "annotate" / "argos-packages"


def missing_model_hint(configured: Path | None = None) -> str:
    return (
        f"no zh→en translation model installed in {packages_dir(configured)}; the English layer is a word gloss "
        f"(install one: annotate models install translate-zh_en.argosmodel — the file comes from the Argos package index, {INDEX_URL})"
    )


def _read_metadata(folder: Path) -> dict:
    with open(folder / "metadata.json", encoding="utf-8") as fh:
        return json.load(fh)


def _info(folder: Path) -> ModelInfo | None:
    try:
        meta = _read_metadata(folder)
    except (OSError, ValueError):
        return None
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    return ModelInfo(
        name=str(meta.get("package_name") or meta.get("name") or folder.name),
        version=str(meta.get("package_version", "")),
        from_code=str(meta.get("from_code", "")),
        to_code=str(meta.get("to_code", "")),
        path=folder,
        size=size,
    )


def list_models(dest: Path | None = None) -> list[ModelInfo]:
    root = packages_dir(dest)
    if not root.is_dir():
        return []
    found = [_info(p) for p in sorted(root.iterdir()) if p.is_dir() and not p.name.startswith(".")]
    return [m for m in found if m is not None]


def find_model(dest: Path | None = None) -> ModelInfo | None:
    """The installed zh→en model (the newest version if there are several), or None."""
    models = [m for m in list_models(dest) if (m.from_code, m.to_code) == (FROM, TO) and _complete(m.path)]
    return max(models, key=lambda m: (m.version, m.name)) if models else None


def _complete(folder: Path) -> bool:
    return (folder / "model" / "model.bin").is_file() and (folder / "sentencepiece.model").is_file()


def install_model(archive: Path, dest: Path | None = None) -> ModelInfo:
    """Validate and install a ``.argosmodel`` file; refuses broken or wrong-direction packages."""
    archive = Path(archive)
    if not archive.is_file():
        raise InputError("no such file", path=archive, hint="give the path of a .argosmodel file")
    try:
        with zipfile.ZipFile(archive) as zf:
            bad = zf.testzip()
            if bad:
                raise InputError(f"damaged archive member {bad}", path=archive, hint="download the file again")
            names = [n for n in zf.namelist() if n.strip("/")]
            tops = {n.split("/", 1)[0] for n in names}
            if len(tops) != 1 or not all("/" in n for n in names):
                raise InputError("an .argosmodel must hold exactly one folder", path=archive)
            top = tops.pop()
            for required in ("metadata.json", "model/model.bin", "sentencepiece.model"):
                if f"{top}/{required}" not in names:
                    raise InputError(f"missing {required} in the package", path=archive, hint="this is not an Argos translation package")
            try:
                meta = json.loads(zf.read(f"{top}/metadata.json").decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                raise InputError("metadata.json is not valid JSON", path=archive) from None
            if meta.get("type", "translate") != "translate":
                raise InputError(f"package type is {meta.get('type')!r}, not 'translate'", path=archive)
            if (meta.get("from_code"), meta.get("to_code")) != (FROM, TO):
                raise InputError(
                    f"this package translates {meta.get('from_code')}→{meta.get('to_code')}, not zh→en", path=archive,
                    hint="install the zh→en package (translate-zh_en)",
                )
            root = packages_dir(dest)
            root.mkdir(parents=True, exist_ok=True)
            target = root / top
            tmp = Path(tempfile.mkdtemp(prefix=".install-", dir=root))
            try:
                zf.extractall(tmp)
                if target.exists():
                    shutil.rmtree(target)
                os.replace(tmp / top, target)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
    except zipfile.BadZipFile:
        raise InputError("not a zip archive (truncated or not an .argosmodel file)", path=archive,
                         hint="download the file again") from None
    except OSError as exc:
        raise EnvironmentProblem(f"cannot install: {exc.strerror}", path=packages_dir(dest)) from None
    info = _info(target)
    assert info is not None
    return info
