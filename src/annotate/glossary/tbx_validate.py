"""Validation of TBX files against the official TBX v3 schemas (vendored in ``annotate/schema/``).

* :func:`validate_tbx`: the core structure, ``TBXcoreStructV03.rng``, with lxml (or by
  hand: ``jing src/annotate/schema/TBXcoreStructV03.rng exports/tbx/glossary.tbx``).
* :func:`schematron_failures`: the TBX-Basic dialect's rules (data categories, picklists,
  levels), ``TBX-Basic_DCA.sch``, an ISO Schematron with XPath 2.  The schema is compiled
  with the ISO Schematron skeleton (the XSLT 1 edition that ships inside lxml, run by lxml)
  into a stylesheet that Saxon-HE (Debian's ``libsaxonhe-java``) runs as XSLT 2.0, so
  ``matches()`` and ``./local-name()`` are evaluated as written.  That edition of the
  skeleton accepts only XSLT 1 query bindings, so it is handed the schema with its
  ``queryBinding`` read as ``xslt``; nothing else is changed.  (jing's own Schematron
  support checks rules on elements only and skips the schema's rules on attributes,
  such as the permitted ``admin/@type`` values, so it is not used for this.)

By hand: ``python -m annotate.glossary.tbx_validate exports/tbx/glossary.tbx``.
The tests run both checks (tests/test_tbx.py).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import EnvironmentProblem

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schema"
CORE_RNG = SCHEMA_DIR / "TBXcoreStructV03.rng"
BASIC_SCHEMATRON = SCHEMA_DIR / "TBX-Basic_DCA.sch"
SAXON_JAR = Path("/usr/share/java/Saxon-HE.jar")
_SVRL = "{http://purl.oclc.org/dsdl/svrl}"


@lru_cache(maxsize=1)
def core_schema() -> Any:
    """The compiled TBX v3 core structure (an ``lxml.etree.RelaxNG``)."""
    from lxml import etree

    return etree.RelaxNG(etree.parse(str(CORE_RNG)))


def validate_tbx(source: Path | str | bytes, name: str = "") -> list[str]:
    """Core-structure errors as ``file:line: message``; an empty list means valid."""
    from ..export.validate import parse_xml

    tree, label, errors = parse_xml(source, name)
    if tree is None:
        return errors
    schema = core_schema()
    if schema.validate(tree):
        return []
    return [f"{label}:{e.line}: {e.message}" for e in schema.error_log]


def _skeleton() -> Path:
    import lxml.isoschematron

    return Path(lxml.isoschematron.__file__).parent / "resources" / "xsl" / "iso-schematron-xslt1"


def compile_schematron(schema: Path = BASIC_SCHEMATRON) -> bytes:
    """The validating stylesheet (XSLT 2.0) for an ISO Schematron schema; see the module doc."""
    from lxml import etree

    tree = etree.parse(str(schema))
    tree.getroot().set("queryBinding", "xslt")  # the XSLT 1 skeleton refuses "xslt2"; see above
    for step in ("iso_dsdl_include.xsl", "iso_abstract_expand.xsl", "iso_svrl_for_xslt1.xsl"):
        tree = etree.XSLT(etree.parse(str(_skeleton() / step)))(tree)
    tree.getroot().set("version", "2.0")
    return etree.tostring(tree)


def schematron_failures(paths: list[Path], schema: Path = BASIC_SCHEMATRON, saxon: Path = SAXON_JAR) -> dict[Path, list[str]]:
    """Failed asserts per file (``message [test]``); every file gets an entry, [] when it passes.

    One Saxon-HE run checks every file.  Raises :class:`EnvironmentProblem` when Java or
    Saxon-HE is missing."""
    from lxml import etree

    java = shutil.which("java")
    if java is None or not saxon.is_file():
        raise EnvironmentProblem(f"Saxon-HE ({saxon}) and java are needed to run the TBX-Basic Schematron",
                                 hint="apt install default-jre-headless libsaxonhe-java")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "in").mkdir()
        (work / "out").mkdir()
        (work / "check.xsl").write_bytes(compile_schematron(schema))
        names = {}
        for n, path in enumerate(paths):
            names[f"{n}.xml"] = Path(path)
            shutil.copyfile(path, work / "in" / f"{n}.xml")
        run = subprocess.run([java, "-jar", str(saxon), f"-s:{work / 'in'}", f"-xsl:{work / 'check.xsl'}", f"-o:{work / 'out'}"],
                             capture_output=True, text=True, timeout=600)
        if run.returncode != 0:
            raise EnvironmentProblem(f"Saxon-HE failed: {run.stderr.strip().splitlines()[-1] if run.stderr.strip() else run.returncode}")
        out: dict[Path, list[str]] = {}
        for name, path in names.items():
            report = etree.parse(str(work / "out" / name)).getroot()
            out[path] = [f"{' '.join(''.join(f.itertext()).split())} [{f.get('test')}]" for f in report.iter(f"{_SVRL}failed-assert")]
        return out


def main(argv: list[str] | None = None) -> int:
    """``python -m annotate.glossary.tbx_validate FILE.tbx …``: both checks; exit 1 on any finding."""
    from ..errors import AnnotateError

    paths = [Path(a) for a in (sys.argv[1:] if argv is None else argv)]
    problems = [e for p in paths for e in validate_tbx(p)]
    try:
        problems += [f"{p}: {m}" for p, found in schematron_failures(paths).items() for m in found]
    except AnnotateError as exc:
        print(f"annotate: error: {exc}", file=sys.stderr)
        return exc.exit_code
    for line in problems:
        print(line)
    print(f"{len(paths)} file(s): {len(problems)} problems (TBX v3 core structure and TBX-Basic Schematron)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
