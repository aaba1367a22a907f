"""Validation of TEI files against the vendored TEI P5 RELAX NG schema (tei_all.rng)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

SCHEMA = Path(__file__).resolve().parents[1] / "schema" / "tei_all.rng"


@lru_cache(maxsize=1)
def _schema():
    # Compiling tei_all.rng takes several seconds: once per process.
    from lxml import etree

    return etree.RelaxNG(etree.parse(str(SCHEMA)))


def validate_tei(source: Path | bytes, name: str = "") -> list[str]:
    """Schema errors as ``file:line: message`` (empty list: valid)."""
    from lxml import etree

    label = name or (str(source) if isinstance(source, Path) else "<bytes>")
    try:
        tree = etree.parse(str(source)) if isinstance(source, Path) else etree.fromstring(source).getroottree()
    except etree.XMLSyntaxError as exc:
        return [f"{label}:{exc.lineno}: not well-formed: {exc.msg}"]
    if tree.getroot().find(".//{http://www.w3.org/2001/XInclude}include") is not None:
        # A teiCorpus root includes its documents; validate the corpus as a tool would read it.
        try:
            tree.xinclude()
        except etree.XIncludeError as exc:
            return [f"{label}:0: XInclude failed: {exc}"]
    schema = _schema()
    if schema.validate(tree):
        return []
    return [f"{label}:{e.line}: {e.message}" for e in schema.error_log]
