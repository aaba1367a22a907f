"""Project settings: ``annotate.toml`` (or ``[tool.annotate]`` in pyproject.toml), then flags.

One frozen :class:`Config` carries every setting through the pipeline; command-line
flags override the file (:meth:`Config.with_overrides`), the file overrides the
defaults.  Paths in the file are relative to the file's directory.  An unknown key or
a value of the wrong kind is an error naming the key and the file: a typo must not be
ignored silently.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from .errors import InputError
from .exporters import LAYERS

#: Kept for callers that spelled it so; the exporter registry is the source.
EXPORT_LAYERS = LAYERS


@dataclass(frozen=True)
class Config:
    corpus: Path = Path("corpus")
    glossary: Path = Path("glossary")
    exports: Path = Path("exports")
    cache: Path = Path(".annotate-cache")  # stage results and the translation cache
    model_dir: Path | None = None  # translation models; None: ARGOS_PACKAGES_DIR or the user data dir
    beam_size: int = 2
    threads: int = 0  # model threads; 0 lets the runtime choose
    batch_size: int = 32
    #: With an LLM translator: one repair request for a sentence whose answer lacks a glossary
    #: term. Off by default: on the bundled page it put 3 more of 185 terms in for ~185 s more
    #: model time (docs/translation.md); the English of every term is in the request anyway.
    llm_repair: bool = False
    jobs: int = 1
    cluster: str | None = None  # a Dask scheduler (tcp://HOST:PORT) or local:N; None: --jobs (cluster.py)
    ner: bool = True
    layers: tuple[str, ...] = LAYERS
    force: bool = False  # redo every stage for every page
    encoding: str | None = None  # of the pages; None: detect
    #: How lines become articles: "rules" (the default) or "tagger" (the CRF line tagger, better on
    #: other papers' pages: docs/ingest.md).
    ingest_method: str = "rules"
    #: Larger pages are refused by `run` (memory grows ~0.8 GB per MB of text; a newspaper page is
    #: 5-50 KB): a one-line error naming the page, instead of running out of memory.
    max_page_mb: int = 4
    # [cat_tools] in the file: the language codes TMX and TBX carry (see export/languages.py).
    cat_source_lang: str = "zh-CN"
    cat_target_lang: str = "en"

    def with_overrides(self, **overrides: Any) -> Config:
        """A copy with every override that is not None (flags the user did not give are None)."""
        values = {k: v for k, v in overrides.items() if v is not None}
        unknown = sorted(set(values) - {f.name for f in fields(Config)})
        if unknown:
            raise TypeError(f"not a setting: {', '.join(unknown)}")
        if "layers" in values:
            values["layers"] = tuple(values["layers"])
        return replace(self, **values)


_PATH_KEYS = {"corpus", "glossary", "exports", "cache", "model_dir"}
#: Tables of the file and the settings their keys are: ``[cat_tools] source_lang`` is ``cat_source_lang``.
SECTIONS = {"cat_tools": {"source_lang": "cat_source_lang", "target_lang": "cat_target_lang"}}
#: Lower bounds of the numeric settings (the command line checks the same bounds).
MINIMUM = {"beam_size": 1, "batch_size": 1, "jobs": 1, "threads": 0, "max_page_mb": 1}


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
            except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
                pass
    return None


def load_config(path: Path | None = None) -> Config:
    """The settings of the project file found from the working directory (or ``path``)."""
    path = path or find_config()
    if path is None:
        return Config()
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"invalid TOML: {exc}", path=path) from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", path=path, hint="save the settings file as UTF-8") from None
    except OSError as exc:
        raise InputError(f"cannot read the settings file: {exc.strerror}", path=path) from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("annotate", {})
    return Config(**{key.replace("-", "_"): value for key, value in _settings(data, path)})


def _settings(data: dict[str, Any], path: Path) -> list[tuple[str, Any]]:
    defaults = {f.name: f for f in fields(Config)}
    out: list[tuple[str, Any]] = []
    for key, value in data.items():
        name = key.replace("-", "_")
        if name in SECTIONS:
            out += _section(name, value, path)
            continue
        if name not in defaults or name in {k for t in SECTIONS.values() for k in t.values()}:
            raise InputError(f"unknown setting {key!r}; the settings are {', '.join(sorted(defaults))}", path=path,
                             hint="see the README's command reference")
        out.append((name, _value(name, value, path)))
    return out


def _section(section: str, table: Any, path: Path) -> list[tuple[str, Any]]:
    from .export.languages import check_language_tag

    keys = SECTIONS[section]
    if not isinstance(table, dict):
        raise InputError(f"[{section}] must be a table with {' and '.join(keys)}", path=path,
                         hint=f'write [{section}] then {next(iter(keys))} = "…" on its own line')
    unknown = sorted(set(table) - set(keys))
    if unknown:
        raise InputError(f"[{section}] has unknown setting(s) {', '.join(unknown)}; known: {', '.join(keys)}", path=path)
    try:
        return [(keys[k], check_language_tag(v, f"[{section}] {k}")) for k, v in table.items()]
    except InputError as exc:
        raise InputError(exc.message, path=path, hint=exc.hint) from None


def _value(name: str, value: Any, path: Path) -> Any:
    def wrong(kind: str) -> InputError:
        return InputError(f"setting {name!r} must be {kind}, not {value!r}", path=path)

    if name in _PATH_KEYS:
        if not isinstance(value, str):
            raise wrong("a path in quotes")
        return (path.parent / value) if value else None
    if name == "layers":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise wrong(f"a list of layer names ({', '.join(LAYERS)})")
        bad = [v for v in value if v not in LAYERS]
        if bad:
            raise InputError(f"unknown export layer(s) {bad}; choose from {list(LAYERS)}", path=path)
        return tuple(value)
    if name in ("ner", "force"):
        if not isinstance(value, bool):
            raise wrong("true or false")
        return value
    if name == "cluster":
        from .cluster import check_address

        if not isinstance(value, str):
            raise wrong('an address in quotes ("tcp://HOST:PORT" or "local:N")')
        try:
            return check_address(value) if value else None
        except ValueError as exc:
            raise InputError(f"setting 'cluster': {exc}", path=path) from None
    if name == "encoding":
        if not isinstance(value, str):
            raise wrong("an encoding name in quotes")
        return value or None
    if name == "ingest_method":
        from .ingest import METHODS

        if value not in METHODS:
            raise wrong(" or ".join(f'"{m}"' for m in METHODS))
        return value
    if not isinstance(value, int) or isinstance(value, bool):
        raise wrong("a whole number")
    if value < MINIMUM[name]:
        raise wrong(f"at least {MINIMUM[name]}")
    return value
