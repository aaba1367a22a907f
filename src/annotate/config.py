"""Project settings: ``annotate.toml`` (or ``[tool.annotate]`` in pyproject.toml).

Command-line flags override the file; the file overrides these defaults.  Paths in
the file are relative to the file's directory.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import InputError

EXPORT_LAYERS: tuple[str, ...] = ("tei", "vrt", "conllu", "tmx", "tbx", "html")


@dataclass(frozen=True)
class Config:
    corpus: Path = Path("corpus")
    glossary: Path = Path("glossary")
    exports: Path = Path("exports")
    cache: Path = Path(".annotate-cache")  # stage results and the translation cache
    model_dir: Path | None = None  # argos packages dir; None: ARGOS_PACKAGES_DIR or the user data dir
    beam_size: int = 2
    threads: int = 0  # CTranslate2 intra-op threads; 0 lets it choose
    batch_size: int = 32
    jobs: int = 1
    ner: bool = True
    layers: tuple[str, ...] = EXPORT_LAYERS
    extra: dict[str, Any] = field(default_factory=dict)

    def with_overrides(self, **overrides: Any) -> Config:
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


_PATH_KEYS = {"corpus", "glossary", "exports", "cache", "model_dir"}


def find_config(start: Path | None = None) -> Path | None:
    """annotate.toml, or a pyproject.toml with [tool.annotate], in ``start`` or above."""
    here = (start or Path.cwd()).resolve()
    for d in (here, *here.parents):
        if (d / "annotate.toml").is_file():
            return d / "annotate.toml"
        pp = d / "pyproject.toml"
        if pp.is_file():
            try:
                if "annotate" in tomllib.loads(pp.read_text("utf-8")).get("tool", {}):
                    return pp
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                pass
    return None


def load_config(path: Path | None = None) -> Config:
    path = path or find_config()
    if path is None:
        return Config()
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"invalid TOML: {exc}", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read config: {exc.strerror}", path=path) from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("annotate", {})
    known = {f.name for f in fields(Config)} - {"extra"}
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in data.items():
        k = key.replace("-", "_")
        if k not in known:
            extra[k] = value
            continue
        if k in _PATH_KEYS:
            value = (path.parent / value) if value else None
        elif k == "layers":
            bad = [v for v in value if v not in EXPORT_LAYERS]
            if bad:
                raise InputError(f"unknown export layer(s) {bad}; choose from {list(EXPORT_LAYERS)}", path=path)
            value = tuple(value)
        values[k] = value
    return Config(**values, extra=extra)
