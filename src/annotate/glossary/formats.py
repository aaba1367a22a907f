"""Exchange formats: TBX (all fields), CSV (all columns), OmegaT TSV (source, target, comment)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..errors import InputError
from ..fsutil import write_bytes_atomic, write_text_atomic
from ..model import GlossaryEntry
from .tbx import import_tbx, tbx_bytes
from .tsv import COLUMNS, entry_row, read_tsv


def export_glossary(entries: list[GlossaryEntry], path: Path, fmt: str) -> Path:
    if fmt == "tbx":
        return write_bytes_atomic(path, tbx_bytes(entries))
    buf = io.StringIO()
    if fmt == "csv":
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(COLUMNS)
        w.writerows(entry_row(e) for e in entries)
    elif fmt == "omegat":
        # OmegaT glossaries: tab-separated source, target, comment; no header row.
        for e in entries:
            buf.write("\t".join(c.replace("\t", " ") for c in (e.source, e.target, e.comment)) + "\n")
    else:
        raise InputError(f"unknown glossary format {fmt!r}", hint="tbx, csv or omegat")
    return write_text_atomic(path, buf.getvalue())


def import_glossary(path: Path) -> list[GlossaryEntry]:
    suffix = path.suffix.lower()
    if suffix in (".tbx", ".xml"):
        return import_tbx(path)
    if suffix == ".csv":
        return _import_csv(path)
    if suffix in (".tsv", ".txt", ".utf8"):
        return _import_omegat(path)
    raise InputError("unknown glossary file type", path=path, hint="use .tbx, .csv or .tsv/.txt (OmegaT)")


def _import_csv(path: Path) -> list[GlossaryEntry]:
    tmp_rows = list(csv.reader(io.StringIO(path.read_text("utf-8-sig"))))
    if not tmp_rows or "source" not in tmp_rows[0]:
        raise InputError("CSV has no header row with a 'source' column", path=path, line=1)
    text = "\n".join("\t".join(c.replace("\t", " ") for c in row) for row in tmp_rows)
    entries, problems = read_tsv_text(text, path)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise InputError(errors[0].message, path=path, line=errors[0].line, hint=errors[0].hint)
    return entries


def _import_omegat(path: Path) -> list[GlossaryEntry]:
    entries: list[GlossaryEntry] = []
    for n, line in enumerate(path.read_text("utf-8-sig").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) < 2 or not cells[0].strip() or not cells[1].strip():
            raise InputError("an OmegaT row needs source and target separated by a tab", path=path, line=n)
        entries.append(GlossaryEntry(id="", source=cells[0].strip(), target=cells[1].strip(),
                                     comment=cells[2].strip() if len(cells) > 2 else "", file=str(path), line=n))
    return entries


def read_tsv_text(text: str, path: Path):
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".tsv", encoding="utf-8", delete=True) as f:
        f.write(text)
        f.flush()
        entries, problems = read_tsv(Path(f.name))
    for e in entries:
        e.file = str(path)
    return entries, [type(p)(str(path), p.line, p.severity, p.message, p.hint) for p in problems]
