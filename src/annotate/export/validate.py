"""Validation of TEI files against the vendored TEI P5 RELAX NG schema (``schema/tei_all.rng``).

Compiling ``tei_all.rng`` takes seconds (it is 21,000 lines), so the compiled schema is
built once per process and reused.  A corpus root (``corpus.xml``) is validated after
XInclude expansion, as ``xmllint --xinclude --relaxng`` would: the schema does not know
``xi:include``, and the expanded tree is what TEI tools read.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

SCHEMA = Path(__file__).resolve().parents[1] / "schema" / "tei_all.rng"
_XI = "{http://www.w3.org/2001/XInclude}include"


@lru_cache(maxsize=1)
def tei_schema() -> Any:
    """The compiled TEI P5 schema (an ``lxml.etree.RelaxNG``), built on first use."""
    from lxml import etree

    return etree.RelaxNG(etree.parse(str(SCHEMA)))


_schema = tei_schema  # the name the benchmark and older callers use


def parse_xml(source: Path | str | bytes, name: str = "") -> tuple[Any, str, list[str]]:
    """(tree, label, errors) for a path or the bytes of a file: the tree is None and the one
    ``label:line: message`` error says why when it cannot be read or is not well-formed."""
    from lxml import etree

    is_path = not isinstance(source, bytes)
    label = name or (str(source) if is_path else "<bytes>")
    try:
        tree = etree.parse(str(source)) if is_path else etree.fromstring(source).getroottree()  # type: ignore[arg-type]
    except OSError as exc:
        return None, label, [f"{label}:0: cannot read: {exc}"]
    except etree.XMLSyntaxError as exc:
        return None, label, [f"{label}:{exc.lineno}: not well-formed: {exc.msg}"]
    return tree, label, []


def validate_tei(source: Path | str | bytes, name: str = "") -> list[str]:
    """Schema errors as ``file:line: message``; an empty list means valid.

    ``source`` is a path or the bytes of a file (``name`` labels the messages).
    """
    from lxml import etree

    tree, label, errors = parse_xml(source, name)
    if tree is None:
        return errors
    includes = [x.get("href") for x in tree.getroot().iter(_XI)]
    if includes:
        try:
            tree.xinclude()
        except etree.XIncludeError as exc:
            return [f"{label}:{exc.lineno or 0}: XInclude failed: {exc.msg}"]
    schema = tei_schema()
    if schema.validate(tree):
        return []
    errors = [f"{label}:{e.line}: {e.message}" for e in schema.error_log]
    if includes and not isinstance(source, bytes):
        # libxml2 reports errors in included files under the root's name: validate each
        # included file on its own so the messages name the file where the error is.
        base = Path(str(source)).parent
        own = [e for href in includes if href for e in validate_tei(base / href)]
        return own or errors  # none of them alone is invalid: a corpus-level problem (duplicate IDs)
    return errors
