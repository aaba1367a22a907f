"""Installing a translation model from a file, safely.

An archive comes from outside and is not trusted.  Installation therefore:

* reads the archive's directory first and refuses, before anything is written, any
  member that is absolute, climbs out with ``..``, uses a backslash or a drive, is a
  symlink, device or FIFO, or lies outside one top folder with an ordinary name;
* caps what the archive may unpack to (:data:`MAX_UNPACKED_BYTES` in all, a
  compression ratio of :data:`MAX_RATIO`, :data:`MAX_MEMBERS` members), so a zip bomb
  is refused from its directory, and counts the bytes actually written as well;
* unpacks into a fresh temporary folder *inside* the packages folder, loads the model
  there and translates a probe sentence with it, and only then renames it into place
  (an older copy of the same package is moved into the temporary folder first, and
  moved back if the rename fails);
* removes nothing but that temporary folder, which it created itself.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from ..errors import EnvironmentProblem, InputError
from .gguf_file import MAGIC, inspect_gguf
from .models import FROM, GGUF_FILE, REQUIRED, TO, ModelInfo, mark_verified, packages_dir, read_info

#: Limits on what an archive may unpack to.  The official Argos zh→en package unpacks
#: to about 0.1 GB and model weights barely compress (about 1.1×); a text vocabulary
#: compresses about 4×.
MAX_UNPACKED_BYTES = 8 * 2**30
#: Largest GGUF file we install (a 32B-parameter model at 4 bits is about 20 GB).
MAX_GGUF_BYTES = 64 * 2**30
MAX_RATIO = 50
MAX_MEMBERS = 10_000
#: Members this small are not held to the ratio (empty-ish files compress absurdly well).
_RATIO_FLOOR = 1 << 20
PROBE = "这是一个测试。"
_CHUNK = 1 << 20


def install_model(path: Path, dest: Path | None = None) -> ModelInfo:
    """Validate, test and install a model file; refuses anything broken or unsafe.

    Raises InputError naming the file for anything wrong with it, and
    EnvironmentProblem when the packages folder cannot be written.  A package already
    installed under the same folder name is replaced only once the new one works."""
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file", path=path, hint="give the path of a .gguf or .argosmodel file")
    if path.suffix.lower() == ".gguf" or _starts_with(path, MAGIC):
        return install_gguf(path, dest)
    try:
        with zipfile.ZipFile(path) as zf:
            top = check_archive(zf, path)
            return _install(packages_dir(dest), top, lambda tmp: _unpack(zf, tmp, path), path)
    except zipfile.BadZipFile:
        raise InputError("not a zip archive (the file is truncated, or is not an .argosmodel)",
                         path=path, hint="download the file again") from None
    except (EOFError, zipfile.LargeZipFile) as exc:
        raise InputError(f"cannot read the archive ({exc})", path=path, hint="download the file again") from None


# -- the archive, before anything is written -------------------------------------------------
def check_archive(zf: zipfile.ZipFile, archive: Path) -> str:
    """The package's top folder, after checking every member, the sizes and the metadata."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise InputError(f"the archive has {len(infos):,} members (at most {MAX_MEMBERS:,})", path=archive,
                         hint="this is not an Argos package")
    tops: set[str] = set()
    total = 0
    for info in infos:
        _check_member(info, archive)
        tops.add(PurePosixPath(info.filename).parts[0])
        total += info.file_size
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise InputError(
                f"{info.filename!r} would unpack to {info.file_size / 2**20:,.0f} MiB from "
                f"{info.compress_size / 2**20:,.1f} MiB (more than {MAX_RATIO}× compression: a zip bomb?)",
                path=archive, hint="this is not an Argos package")
    if total > MAX_UNPACKED_BYTES:
        raise InputError(f"the archive would unpack to {total / 2**30:.1f} GiB (at most {MAX_UNPACKED_BYTES / 2**30:.0f} GiB)",
                         path=archive, hint="this is not an Argos package")
    if len(tops) != 1 or any(PurePosixPath(i.filename).parts == (next(iter(tops)),) and not i.is_dir() for i in infos):
        raise InputError("an .argosmodel must hold exactly one folder", path=archive, hint="this is not an Argos package")
    top = tops.pop()
    names = {i.filename.rstrip("/") for i in infos}
    for required in REQUIRED:
        if f"{top}/{required}" not in names:
            raise InputError(f"missing {required} in the package", path=archive,
                             hint="this is not an Argos translation package, or it is damaged")
    meta = _metadata(zf, f"{top}/metadata.json", archive)
    if meta.get("type", "translate") != "translate":
        raise InputError(f"package type is {meta.get('type')!r}, not 'translate'", path=archive)
    if (meta.get("from_code"), meta.get("to_code")) != (FROM, TO):
        raise InputError(f"this package translates {meta.get('from_code')}→{meta.get('to_code')}, not zh→en",
                         path=archive, hint="install the zh→en package (translate-zh_en)")
    return top


def _check_member(info: zipfile.ZipInfo, archive: Path) -> None:
    name = info.filename
    parts = name.rstrip("/").split("/")  # raw: PurePosixPath would drop "." and empty parts
    unsafe = (
        not name.strip("/")
        or "\\" in name
        or "\0" in name
        or name.startswith("/")
        or (len(name) > 1 and name[1] == ":")
        or any(p in ("", ".", "..") for p in parts)
        or parts[0].startswith(".")
    )
    if unsafe:
        raise InputError(f"unsafe path {name!r} in the archive", path=archive, hint="this is not an Argos package")
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
        what = "a symbolic link" if kind == stat.S_IFLNK else "not a regular file"
        raise InputError(f"{name!r} in the archive is {what}", path=archive, hint="this is not an Argos package")


def _metadata(zf: zipfile.ZipFile, member: str, archive: Path) -> dict:
    info = zf.getinfo(member)
    if info.file_size > 1 << 20:
        raise InputError("metadata.json is larger than 1 MiB", path=archive)
    try:
        meta = json.loads(zf.read(info).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise InputError("metadata.json is not valid JSON", path=archive) from None
    except (zlib.error, zipfile.BadZipFile) as exc:
        raise InputError(f"damaged archive member metadata.json ({exc})", path=archive,
                         hint="download the file again") from None
    if not isinstance(meta, dict):
        raise InputError("metadata.json is not a JSON object", path=archive)
    return meta


# -- writing --------------------------------------------------------------------------------
def _unpack(zf: zipfile.ZipFile, tmp: Path, archive: Path) -> None:
    """Every member under ``tmp`` (already checked), counting the bytes really written."""
    written = 0
    for info in zf.infolist():
        target = tmp.joinpath(*PurePosixPath(info.filename).parts)
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with zf.open(info) as src, open(target, "xb") as out:
                while chunk := src.read(_CHUNK):
                    written += len(chunk)
                    if written > MAX_UNPACKED_BYTES:
                        raise InputError("the archive unpacks to more than it declares", path=archive)
                    out.write(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise InputError(f"damaged archive member {info.filename} ({exc})", path=archive,
                             hint="download the file again") from None


def _install(root: Path, name: str, unpack: Callable[[Path], None], source: Path,
             name_of: Callable[[], str] | None = None) -> ModelInfo:
    """Unpack into a new temporary folder in ``root``, probe the model, rename it to ``root/name``.

    ``name_of``: for an installer that learns the folder name while unpacking."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".install-", dir=root))
    except OSError as exc:
        raise EnvironmentProblem(f"cannot create the packages folder: {exc.strerror}", path=root,
                                 hint="pass --model-dir or set ARGOS_PACKAGES_DIR to a writable folder") from None
    previous = tmp / ".previous"
    try:
        unpack(tmp)
        name = name_of() if name_of else name
        target = root / name
        info = read_info(tmp / name)
        if info.problem:
            raise InputError(info.problem, path=source, hint="this is not a usable translation package")
        probe_model(info, source)
        mark_verified(tmp / name)
        if target.is_symlink() or target.exists():
            os.replace(target, previous)  # kept until the new copy is in place
        try:
            os.replace(tmp / name, target)
        except OSError:
            if previous.exists() or previous.is_symlink():
                os.replace(previous, target)
            raise
    except OSError as exc:
        raise EnvironmentProblem(f"cannot install {source.name}: {exc.strerror or exc}", path=root) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # only the folder made above (and the old copy moved into it)
    return read_info(target)


def probe_model(info: ModelInfo, source: Path) -> None:
    """Load the model and translate one sentence; refuse a package that cannot."""
    from .backend import Request, open_backend

    try:
        backend = open_backend(info, beam_size=1, threads=1, batch_size=1)
        out = backend.translate([Request(PROBE)])
    except EnvironmentProblem as exc:
        raise InputError(f"the model does not load: {exc.message}", path=source,
                         hint="the file is damaged or is not a model we can run; download it again") from None
    except Exception as exc:  # noqa: BLE001 - any failure of a foreign model file means: refuse it
        raise InputError(f"the model fails on a test sentence: {type(exc).__name__}: {exc}", path=source,
                         hint="the file is damaged; download it again") from None
    if not out or not out[0].text.strip():
        raise InputError("the model returns nothing for a test sentence", path=source,
                         hint="the file is damaged or is not a zh→en model")


# -- GGUF models --------------------------------------------------------------------------
def _starts_with(path: Path, magic: bytes) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(magic)) == magic
    except OSError:
        return False


def gguf_folder_name(name: str, version: str) -> str:
    """A folder name from the model's name: letters, digits, '-', '.', '_'."""
    import re

    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{name}-{version}" if version else name).strip("-.")
    return slug or "gguf-model"


def install_gguf(path: Path, dest: Path | None = None, *, sha256: str = "", name: str = "", version: str = "",
                 license: str = "", source: str = "", write: Callable[[Path], str] | None = None) -> ModelInfo:
    """Check, copy (hashing as it goes), probe and install a GGUF model.

    ``sha256``: the expected hash; a mismatch is refused before anything is installed.
    ``write``: fills the given path with the model and returns its sha256 (the default
    installer reassembles chunks this way); by default the file at ``path`` is copied."""
    path = Path(path)
    if write is None:
        meta = inspect_gguf(path)
        if meta.size > MAX_GGUF_BYTES:
            raise InputError(f"the model file is {meta.size / 2**30:.1f} GiB (at most {MAX_GGUF_BYTES / 2**30:.0f} GiB)",
                             path=path)
        write = lambda target: _copy_hashing(path, target)  # noqa: E731
    else:
        meta = None
    expected = sha256.lower().strip()

    def unpack(tmp: Path) -> None:
        nonlocal meta
        staging = tmp / "staging"
        staging.mkdir()
        digest = write(staging / GGUF_FILE)
        if expected and digest != expected:
            raise InputError(f"sha256 mismatch: expected {expected}, got {digest}", path=path,
                             hint="the file is damaged or is not the pinned model; nothing was installed")
        if meta is None:
            meta = inspect_gguf(staging / GGUF_FILE)
        folder = tmp / gguf_folder_name(name or meta.name, version or meta.version)
        os.replace(staging, folder)
        record = {"type": "translate", "kind": "gguf", "from_code": FROM, "to_code": TO,
                  "package_name": name or meta.name, "package_version": version or meta.version,
                  "license": license or meta.license, "architecture": meta.architecture,
                  "context_length": meta.context_length, "sha256": digest, "source": source or path.name}
        (folder / "metadata.json").write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")

    root = packages_dir(dest)
    holder: dict[str, str] = {}

    def unpack_named(tmp: Path) -> None:
        unpack(tmp)
        holder["name"] = next(p.name for p in tmp.iterdir() if p.is_dir() and not p.name.startswith("."))

    return _install(root, "", unpack_named, path, name_of=lambda: holder["name"])


def _copy_hashing(src: Path, target: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    with open(src, "rb") as fin, open(target, "xb") as out:
        while chunk := fin.read(_CHUNK):
            h.update(chunk)
            out.write(chunk)
    return h.hexdigest()
