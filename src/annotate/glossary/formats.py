"""Exchange formats besides TBX: CSV (every column) and OmegaT's glossary TSV (source, target, comment).

Every importer returns entries and problems the same way the TSV reader does (line
numbers included); :func:`import_glossary` picks the format from the file name.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from ..errors import InputError
from ..export.languages import CAT_SOURCE_LANG, CAT_TARGET_LANG
from ..fsutil import write_bytes_atomic, write_text_atomic
from ..model import GlossaryEntry
from .cells import Row
from .problems import Problem
from .tbx import import_tbx, tbx_bytes
from .tsv import COLUMNS, decode, entry_row, parse_rows, parse_tsv

FORMATS = ("tbx", "csv", "omegat", "tsv")
_SUFFIXES = {".tbx": "tbx", ".xml": "tbx", ".csv": "csv", ".txt": "omegat", ".tab": "omegat", ".utf8": "omegat", ".tsv": "tsv"}


def _entries(glossary) -> list[GlossaryEntry]:
    return list(glossary.entries if hasattr(glossary, "entries") else glossary)


# -- CSV ------------------------------------------------------------------------------
def csv_text(entries: Iterable[GlossaryEntry]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(entry_row(e) for e in entries)
    return buf.getvalue()


def export_csv(glossary, path: str | Path) -> Path:
    """Every column, header first, RFC 4180 quoting (opens in any spreadsheet)."""
    return write_text_atomic(path, csv_text(_entries(glossary)))


def read_csv(path: str | Path) -> tuple[list[GlossaryEntry], list[Problem]]:
    text = _read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[Row] = []
    start = 1
    try:
        for cells in reader:
            # a quoted cell may span lines: name the line the row starts on.  The csv module
            # has undone the quoting already, so no cell counts as quoted.
            rows.append(Row(start, cells, [False] * len(cells), reader.line_num))
            start = reader.line_num + 1
    except csv.Error as exc:
        return [], [Problem(str(path), reader.line_num, "error", f"broken CSV: {exc}", "check the quotation marks")]
    return parse_rows(rows, str(path))


def import_csv(path: str | Path) -> list[GlossaryEntry]:
    return _or_raise(*read_csv(path))


# -- OmegaT ---------------------------------------------------------------------------
def omegat_text(entries: Iterable[GlossaryEntry]) -> str:
    """OmegaT's glossary: UTF-8, tab-separated source, target, comment, no header row (OmegaT
    reads every row as an entry) and no quoting (OmegaT takes cells literally)."""
    return "".join("\t".join(" ".join(c.split()) for c in (e.source, e.target, e.comment)) + "\n" for e in entries)


#: Names OmegaT loads as tab-separated glossaries: ``.utf8`` is read as UTF-8 by every
#: version; ``.txt`` by its encoding detector.  OmegaT skips ``.tsv`` without a word.
OMEGAT_SUFFIXES = (".utf8", ".txt")


def export_omegat(glossary, path: str | Path) -> Path:
    """OmegaT's glossary format, for the project's ``glossary/`` folder (see glossary/README.md)."""
    if Path(path).suffix.lower() not in OMEGAT_SUFFIXES:
        raise InputError("OmegaT loads glossary files named .utf8 or .txt and skips others without a word", path=path,
                         hint=f"name it {Path(path).stem}.utf8")
    return write_text_atomic(path, omegat_text(_entries(glossary)))


def read_omegat(path: str | Path) -> tuple[list[GlossaryEntry], list[Problem]]:
    """An OmegaT glossary: source, target, comment; no header; ``#`` starts a comment line.

    Cells are split at tabs and taken literally, as OmegaT does (it knows no quoting)."""
    text = _read_text(path).replace("\r\n", "\n").replace("\r", "\n")
    header = Row(0, list(COLUMNS[:3]), [False] * 3, 0)  # so the TSV rules (and their messages) apply
    rows = [Row(n, cells, [False] * len(cells), n) for n, cells in
            ((n, line.split("\t")) for n, line in enumerate(text.split("\n"), 1))]
    return parse_rows([header, *rows], str(path))


def import_omegat(path: str | Path) -> list[GlossaryEntry]:
    return _or_raise(*read_omegat(path))


# -- dispatch ---------------------------------------------------------------------------
def export_glossary(glossary, path: str | Path, fmt: str, *, source_lang: str = CAT_SOURCE_LANG,
                    target_lang: str = CAT_TARGET_LANG) -> Path:
    """Write ``glossary`` (a Glossary or entries) as ``fmt``: tbx, csv, omegat or tsv.

    ``source_lang``/``target_lang``: the TBX language codes (:mod:`annotate.export.languages`)."""
    entries = _entries(glossary)
    if fmt == "tbx":
        return write_bytes_atomic(path, tbx_bytes(entries, source_lang=source_lang, target_lang=target_lang))
    if fmt == "csv":
        return export_csv(entries, path)
    if fmt == "omegat":
        return export_omegat(entries, path)
    if fmt == "tsv":
        from .tsv import write_tsv

        return write_tsv(entries, path)
    raise InputError(f"unknown glossary format {fmt!r}", hint="choose " + ", ".join(FORMATS))


def format_of(path: str | Path) -> str:
    """The exchange format a file name suggests."""
    fmt = _SUFFIXES.get(Path(path).suffix.lower())
    if fmt is None:
        raise InputError("cannot tell the format from the file name", path=path,
                         hint="name it .tbx, .csv, .tsv or .txt (OmegaT), or pass --format")
    return fmt


def read_glossary_file(path: str | Path, fmt: str | None = None) -> tuple[list[GlossaryEntry], list[Problem]]:
    """Entries and problems of a TBX, CSV, OmegaT or glossary TSV file."""
    fmt = fmt or format_of(path)
    if not Path(path).is_file():
        raise InputError("no such file", path=path)
    if fmt == "tbx":
        return import_tbx(path), []
    if fmt == "csv":
        return read_csv(path)
    if fmt == "omegat":
        return read_omegat(path)
    if fmt == "tsv":
        text = _read_text(path)
        first = next((ln for ln in text.splitlines() if ln.strip() and not ln.lstrip('"').startswith("#")), "")
        if "source" in [c.strip().strip('"').lower() for c in first.split("\t")]:  # our header, quoted or not
            return parse_tsv(text, str(path))
        return read_omegat(path)  # a .tsv without our header: OmegaT's three columns
    raise InputError(f"unknown glossary format {fmt!r}", hint="choose " + ", ".join(FORMATS))


def import_glossary(path: str | Path, fmt: str | None = None) -> list[GlossaryEntry]:
    """Entries of an exchange file; raises :class:`InputError` naming the first bad line."""
    return _or_raise(*read_glossary_file(path, fmt))


def _read_text(path: str | Path) -> str:
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=path) from None
    try:
        return decode(raw)
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 (byte {exc.start})", path=path, line=raw.count(b"\n", 0, exc.start) + 1,
                         hint="save the file as UTF-8") from None


def _or_raise(entries: list[GlossaryEntry], problems: list[Problem]) -> list[GlossaryEntry]:
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        more = f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else ""
        raise InputError(errors[0].message + more, path=errors[0].path, line=errors[0].line or None, hint=errors[0].hint)
    return entries
