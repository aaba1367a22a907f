"""Argos translation packages: where they live, installing one from a file, listing them.

A ``.argosmodel`` is a zip holding one folder with ``metadata.json`` (type
``translate``, ``from_code``, ``to_code``, ``package_version`` …), a CTranslate2
model in ``model/`` and ``sentencepiece.model``.  We validate all of that before
installing, install atomically (extract into a hidden temporary folder next to the
target, then rename), and never contact the Argos package index: nothing is
downloaded, ever.  Users fetch the file themselves from the index (INDEX_URL).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import EnvironmentProblem, InputError

FROM, TO = "zh", "en"
INDEX_URL = "https://www.argosopentech.com/argospm/index/"
#: The official package's file name on the index (version 1.9 when this was written).
OFFICIAL_FILE = "translate-zh_en-1_9.argosmodel"
REQUIRED = ("metadata.json", "model/model.bin", "sentencepiece.model")


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
        """``"name version"``: what Translation.model records and the cache is keyed by."""
        return f"{self.name} {self.version}".strip()


def packages_dir(configured: Path | None = None) -> Path:
    """The configured folder, else ARGOS_PACKAGES_DIR, else ``<user data dir>/annotate/argos-packages``."""
    if configured:
        return Path(configured)
    if os.environ.get("ARGOS_PACKAGES_DIR"):
        return Path(os.environ["ARGOS_PACKAGES_DIR"])
    return user_data_dir() / "annotate" / "argos-packages"


def user_data_dir() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def missing_model_hint(configured: Path | None = None) -> str:
    """The one-line message for 'no model', with the command that fixes it."""
    return (
        f"no zh→en translation model installed in {packages_dir(configured)} "
        f"(run: annotate models install PATH/{OFFICIAL_FILE}; get the file from the Argos package index, {INDEX_URL})"
    )


def _info(folder: Path) -> ModelInfo | None:
    try:
        meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict):
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
    """Every installed package (any direction) with readable metadata, sorted by folder name."""
    root = packages_dir(dest)
    if not root.is_dir():
        return []
    found = [_info(p) for p in sorted(root.iterdir()) if p.is_dir() and not p.name.startswith(".")]
    return [m for m in found if m is not None]


def find_model(dest: Path | None = None) -> ModelInfo | None:
    """The installed, complete zh→en model (the newest version if there are several), or None."""
    models = [m for m in list_models(dest) if (m.from_code, m.to_code) == (FROM, TO) and _complete(m.path)]
    return max(models, key=lambda m: (_version_key(m.version), m.name)) if models else None


def _version_key(version: str) -> tuple:
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(version))
    except InvalidVersion:
        return (0, version)


def _complete(folder: Path) -> bool:
    return all((folder / part).is_file() for part in REQUIRED[1:])


def install_model(archive: Path, dest: Path | None = None) -> ModelInfo:
    """Validate and install a ``.argosmodel`` file; refuses broken or wrong-direction packages.

    Raises InputError naming the file for anything wrong with the archive, and
    EnvironmentProblem when the packages folder cannot be written.  A package that
    is already installed under the same folder name is replaced."""
    archive = Path(archive)
    if not archive.is_file():
        raise InputError("no such file", path=archive, hint="give the path of a .argosmodel file")
    try:
        with zipfile.ZipFile(archive) as zf:
            top = _validate(zf, archive)
            return _extract(zf, top, packages_dir(dest), archive)
    except zipfile.BadZipFile:
        raise InputError("not a zip archive (the file is truncated, or is not an .argosmodel)",
                         path=archive, hint="download the file again") from None
    except (EOFError, zipfile.LargeZipFile) as exc:
        raise InputError(f"cannot read the archive ({exc})", path=archive, hint="download the file again") from None


def _validate(zf: zipfile.ZipFile, archive: Path) -> str:
    """The package's top folder, after checking layout, metadata and checksums."""
    names = [n for n in zf.namelist() if n.strip("/")]
    for n in names:
        p = PurePosixPath(n)
        if p.is_absolute() or ".." in p.parts or "\\" in n:
            raise InputError(f"unsafe path {n!r} in the archive", path=archive, hint="this is not an Argos package")
    tops = {n.split("/", 1)[0] for n in names}
    if len(tops) != 1 or not all("/" in n for n in names):
        raise InputError("an .argosmodel must hold exactly one folder", path=archive, hint="this is not an Argos package")
    top = tops.pop()
    if top.startswith("."):
        raise InputError(f"package folder {top!r} is hidden", path=archive)
    for required in REQUIRED:
        if f"{top}/{required}" not in names:
            raise InputError(f"missing {required} in the package", path=archive,
                             hint="this is not an Argos translation package, or it is damaged")
    try:
        meta = json.loads(zf.read(f"{top}/metadata.json").decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise InputError("metadata.json is not valid JSON", path=archive) from None
    if not isinstance(meta, dict):
        raise InputError("metadata.json is not a JSON object", path=archive)
    if meta.get("type", "translate") != "translate":
        raise InputError(f"package type is {meta.get('type')!r}, not 'translate'", path=archive)
    if (meta.get("from_code"), meta.get("to_code")) != (FROM, TO):
        raise InputError(
            f"this package translates {meta.get('from_code')}→{meta.get('to_code')}, not zh→en",
            path=archive, hint="install the zh→en package (translate-zh_en)",
        )
    try:
        bad = zf.testzip()  # CRC of every member: catches a damaged download the central directory does not
    except (zlib.error, EOFError, OSError) as exc:
        bad = f"({exc})"
    if bad:
        raise InputError(f"damaged archive member {bad}", path=archive, hint="download the file again")
    return top


def _extract(zf: zipfile.ZipFile, top: str, root: Path, archive: Path) -> ModelInfo:
    try:
        root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".install-", dir=root))
    except OSError as exc:
        raise EnvironmentProblem(f"cannot create the packages folder: {exc.strerror}", path=root,
                                 hint="pass --model-dir or set ARGOS_PACKAGES_DIR to a writable folder") from None
    target = root / top
    old = root / f".old-{top}-{os.getpid()}"
    try:
        zf.extractall(tmp)
        if target.exists():
            os.replace(target, old)  # keep the old copy until the new one is in place
        os.replace(tmp / top, target)
    except OSError as exc:
        if old.exists() and not target.exists():
            os.replace(old, target)
        raise EnvironmentProblem(f"cannot install {archive.name}: {exc.strerror}", path=root) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    info = _info(target)
    if info is None:  # pragma: no cover - validated above
        raise InputError("metadata.json unreadable after install", path=archive)
    return info
