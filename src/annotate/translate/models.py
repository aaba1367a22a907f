"""Installed translation models: where they live, which are usable, which is used.

Two kinds live side by side in the packages folder, one folder each:

* ``argos``: a ``.argosmodel`` is a zip holding one folder with ``metadata.json`` (type
  ``translate``, ``from_code``, ``to_code``, ``package_version`` …), a CTranslate2
  model in ``model/`` and ``sentencepiece.model``;
* ``gguf``: an instruction LLM, ``model.gguf`` and a ``metadata.json`` that install.py
  writes (``kind`` "gguf", name, version, licence, the file's sha256).

When both kinds are installed, the LLM is used (it translates better than the Argos
zh→en package); within a kind the newest version.  Installing one (install.py) checks
and tests it first and records what it verified in a marker file; a folder that was
copied in by hand, or changed since, is tested when a run first opens it.  A broken
folder is listed with its problem and skipped, never fatal.  Nothing here contacts
the Argos package index: nothing is downloaded, ever.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, replace
from pathlib import Path

FROM, TO = "zh", "en"
INDEX_URL = "https://www.argosopentech.com/argospm/index/"
#: The official package's file name on the index (version 1.9 when this was written).
OFFICIAL_FILE = "translate-zh_en-1_9.argosmodel"
REQUIRED = ("metadata.json", "model/model.bin", "sentencepiece.model")
GGUF_FILE = "model.gguf"
REQUIRED_BY_KIND = {"argos": REQUIRED, "gguf": ("metadata.json", GGUF_FILE)}
#: Preference when several kinds are installed: first listed first.
KIND_ORDER = ("gguf", "argos")
#: Written by ``models install`` once the model has loaded and translated a probe.
VERIFIED_MARKER = ".annotate-verified.json"


@dataclass(frozen=True)
class ModelInfo:
    name: str
    version: str
    from_code: str
    to_code: str
    path: Path
    size: int  # bytes on disk
    problem: str = ""  # why the folder cannot be used ("" when it can)
    kind: str = "argos"  # "argos" (CTranslate2 package) or "gguf" (an instruction LLM)
    license: str = ""
    sha256: str = ""  # of the model file, for GGUF models (recorded at install)

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
        f"(run: annotate models install --default, which downloads the default LLM translator, 1.1 GB; "
        f"or annotate models install FILE.gguf|PATH/{OFFICIAL_FILE} from a file)"
    )


def read_info(folder: Path) -> ModelInfo:
    """What a package folder holds; ``problem`` says why it cannot be used, if it cannot."""
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    broken = ModelInfo(name=folder.name, version="", from_code="", to_code="", path=folder, size=size)
    try:
        meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    except OSError:
        return _broken(broken, "no readable metadata.json")
    except ValueError:
        return _broken(broken, "metadata.json is not valid JSON")
    if not isinstance(meta, dict):
        return _broken(broken, "metadata.json is not a JSON object")
    info = ModelInfo(
        name=str(meta.get("package_name") or meta.get("name") or folder.name),
        version=str(meta.get("package_version", "")),
        from_code=str(meta.get("from_code", "")),
        to_code=str(meta.get("to_code", "")),
        path=folder,
        size=size,
        kind=str(meta.get("kind", "argos")),
        license=str(meta.get("license", "")),
        sha256=str(meta.get("sha256", "")),
    )
    if info.kind not in REQUIRED_BY_KIND:
        return _broken(info, f"unknown model kind {info.kind!r}")
    required = REQUIRED_BY_KIND[info.kind]
    missing = [part for part in required[1:] if not (folder / part).is_file() or (folder / part).stat().st_size == 0]
    if missing:
        return _broken(info, f"missing or empty {', '.join(missing)}")
    return info


def _broken(info: ModelInfo, problem: str) -> ModelInfo:
    return replace(info, problem=problem)


def list_models(dest: Path | None = None) -> list[ModelInfo]:
    """Every package folder (any direction, broken ones too, with their problem), sorted by folder name."""
    root = packages_dir(dest)
    if not root.is_dir():
        return []
    return [read_info(p) for p in sorted(root.iterdir()) if p.is_dir() and not p.name.startswith(".")]


def usable_models(dest: Path | None = None) -> list[ModelInfo]:
    """The zh→en models without a problem, best first: an LLM before an Argos package, then the newest version."""
    models = [m for m in list_models(dest) if not m.problem and (m.from_code, m.to_code) == (FROM, TO)]
    models.sort(key=lambda m: (_version_key(m.version), m.name), reverse=True)
    return sorted(models, key=lambda m: KIND_ORDER.index(m.kind))


def find_model(dest: Path | None = None) -> ModelInfo | None:
    """The zh→en model translation uses (the newest usable one), or None."""
    models = usable_models(dest)
    return models[0] if models else None


def _version_key(version: str) -> tuple:
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(version), "")
    except InvalidVersion:
        return (0, Version("0"), version)


def _stamp(folder: Path) -> dict[str, list[int]]:
    """Size and modification time of every file: what the verification marker vouches for."""
    out: dict[str, list[int]] = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file() and p.name != VERIFIED_MARKER:
            st = p.stat()
            out[p.relative_to(folder).as_posix()] = [st.st_size, st.st_mtime_ns]
    return out


def mark_verified(folder: Path) -> None:
    (folder / VERIFIED_MARKER).write_text(json.dumps(_stamp(folder), sort_keys=True), encoding="utf-8")


def is_verified(folder: Path) -> bool:
    """True when the folder is exactly as it was when a probe translation succeeded."""
    try:
        return json.loads((folder / VERIFIED_MARKER).read_text(encoding="utf-8")) == _stamp(folder)
    except (OSError, ValueError):
        return False


def install_model(path: Path, dest: Path | None = None) -> ModelInfo:
    """Validate, test and install a model file (see install.py)."""
    from .install import install_model as install

    return install(path, dest)


def select_model(dest: Path | None = None) -> tuple[ModelInfo | None, list[str]]:
    """The model a run uses, and a warning for each broken one skipped on the way.

    A model verified at install is taken as it is (it loads lazily, so a cached re-run
    never loads it); any other is loaded and tested once here, and marked verified."""
    from ..errors import InputError
    from .install import probe_model

    warnings = [f"skipped the model folder {m.path}: {m.problem}" for m in list_models(dest) if m.problem]
    for m in usable_models(dest):
        if is_verified(m.path):
            return m, warnings
        try:
            probe_model(m, m.path)
        except InputError as exc:
            warnings.append(f"skipped the model {m.model_id} in {m.path}: {exc.message}")
            continue
        with contextlib.suppress(OSError):  # a read-only packages folder: test it again next time
            mark_verified(m.path)
        return m, warnings
    return None, warnings
