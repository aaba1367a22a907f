"""Reading and writing the glossary's TSV files (the format: glossary/README.md).

Reading never raises for a bad row and never drops one silently: every problem comes
back as a :class:`Problem` with its file and line, and a row that cannot be used at
all (no source, no target, too many cells) is left out only after being reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..model import GlossaryEntry
from ..zh import has_han
from .check import cell_problems, normalise_cell
from .problems import Problem

#: Column order.  OmegaT reads the first three as source, target, comment.
COLUMNS = ("source", "target", "comment", "id", "status", "alternatives", "variants", "pos", "domain", "definition", "reference")
REQUIRED = ("source", "target")
LIST_COLUMNS = ("alternatives", "variants")
LIST_SEP = " | "
STATUSES = ("approved", "draft")

_SAVE_HINT = "save it as UTF-8 text, tab-separated (in a spreadsheet: 'Text CSV', character set 'Unicode (UTF-8)', field delimiter {Tab})"


def glossary_files(path: str | Path) -> list[Path]:
    """The ``*.tsv`` files of a folder sorted by name, or the one file given."""
    p = Path(path)
    return sorted(q for q in p.glob("*.tsv") if q.is_file() and not q.name.startswith(".")) if p.is_dir() else [p]


def read_tsv(path: str | Path) -> tuple[list[GlossaryEntry], list[Problem]]:
    """Entries and problems of one file; an unreadable file is a problem, not an exception."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        return [], [Problem(name, 0, "error", f"cannot read file: {exc.strerror}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return [], [Problem(name, line, "error", f"not UTF-8 (byte {exc.start})", _SAVE_HINT)]
    return parse_tsv(text, name)


def parse_tsv(text: str, name: str) -> tuple[list[GlossaryEntry], list[Problem]]:
    """Entries and problems of the text of one glossary file (``name`` is used in messages)."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return parse_rows(((n, line.split("\t")) for n, line in enumerate(lines, 1)), name)


def parse_rows(
    rows: Iterable[tuple[int, list[str]]], name: str, *, spreadsheet_quotes: bool = True
) -> tuple[list[GlossaryEntry], list[Problem]]:
    """Entries from (line number, cells) rows, the first real row being the header.

    Shared by the TSV reader and the CSV importer, so both apply the same rules.
    ``spreadsheet_quotes``: look for cells a spreadsheet quoted (TSV); CSV cells come
    already unquoted."""
    problems: list[Problem] = []
    entries: list[GlossaryEntry] = []
    header: list[str] | None = None
    for lineno, cells in rows:
        if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
            continue
        if header is None:
            header = _header(cells, name, lineno, problems)
            if header is None:
                return [], problems
            continue
        if spreadsheet_quotes:
            unquoted = _unquote(cells, name, lineno, problems)
            if unquoted is None:
                continue
            cells = unquoted
        if len(cells) > len(header):
            extra = [c for c in cells[len(header):] if c.strip()]
            if extra:
                problems.append(Problem(name, lineno, "error", f"{len(cells)} cells but the header has {len(header)}",
                                        "a tab inside a cell? replace it with a space, or add the column to the header"))
                continue
            cells = cells[: len(header)]  # empty cells after the last column: harmless
        row: dict[str, str] = {}
        for column, value in zip(header, cells, strict=False):
            if column not in COLUMNS:
                continue
            problems += cell_problems(name, lineno, column, value)
            row[column] = normalise_cell(column, value)
        entry = _entry(row, name, lineno, problems)
        if entry is not None:
            entries.append(entry)
    if header is None:
        problems.append(Problem(name, 0, "warning", "empty file: no header and no entries",
                                "the first row names the columns: " + " ".join(COLUMNS)))
    return entries, problems


def _header(cells: list[str], name: str, lineno: int, problems: list[Problem]) -> list[str] | None:
    header = [c.strip().lower() for c in cells]
    while header and not header[-1]:
        header.pop()
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        looks_like_entry = has_han("".join(cells))
        what = "the first row is an entry, not the header" if looks_like_entry else f"header lacks column(s) {', '.join(missing)}"
        problems.append(Problem(name, lineno, "error", f"invalid header: {what}",
                                "the first row must name the columns: " + " ".join(COLUMNS)))
        return None
    doubled = sorted({c for c in header if c and header.count(c) > 1})
    if doubled:
        problems.append(Problem(name, lineno, "error", f"invalid header: column(s) {', '.join(doubled)} named twice",
                                "name each column once"))
        return None
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        problems.append(Problem(name, lineno, "warning", f"unknown column(s) {', '.join(repr(c) for c in unknown)} are ignored",
                                "known columns: " + " ".join(COLUMNS)))
    if header[:3] != ["source", "target", "comment"]:
        problems.append(Problem(name, lineno, "warning", "the first three columns are not source, target, comment",
                                "OmegaT reads the first three columns as source, target, comment; keep that order"))
    return header


def _unquote(cells: list[str], name: str, lineno: int, problems: list[Problem]) -> list[str] | None:
    """Undo a spreadsheet's quoting, or report why the row cannot be read.

    A spreadsheet saving tab-separated text wraps a cell in "…" when it holds a tab, a
    line break or a quotation mark.  A tab inside such a cell splits our row in two,
    which would shift every later column: that is an error, not something to guess at."""
    out: list[str] = []
    i = 0
    while i < len(cells):
        cell = cells[i]
        if cell.startswith('"') and cell.count('"') % 2 == 1:
            j = next((k for k in range(i + 1, len(cells)) if cells[k].count('"') % 2 == 1 and cells[k].rstrip().endswith('"')), None)
            if j is None:
                problems.append(Problem(name, lineno, "error", f"a quoted cell is not closed on this line: {cell[:30]!r}",
                                        "a line break inside a cell? put the cell on one line"))
            else:
                problems.append(Problem(name, lineno, "error", f"a tab inside a quoted cell splits it into columns {i + 1}-{j + 1}",
                                        "replace the tab inside the cell with a space"))
            return None
        if len(cell) >= 2 and cell.startswith('"') and cell.endswith('"'):
            inner = cell[1:-1].replace('""', '"')
            problems.append(Problem(name, lineno, "warning", f"cell {i + 1} is wrapped in quotation marks; read as {inner[:40]!r}",
                                    "remove the quotation marks (spreadsheet: untick 'Quote all text cells')"))
            cell = inner
        out.append(cell)
        i += 1
    return out


def _entry(row: dict[str, str], name: str, lineno: int, problems: list[Problem]) -> GlossaryEntry | None:
    if not row.get("source"):
        problems.append(Problem(name, lineno, "error", "empty source; the row is not used",
                                "write the Chinese term in the source column"))
        return None
    if not row.get("target"):
        problems.append(Problem(name, lineno, "error", f"empty target for {row['source']}; the row is not used",
                                "write the English rendering in the target column"))
        return None
    status = row.get("status", "").lower() or "draft"
    if status not in STATUSES:
        problems.append(Problem(name, lineno, "error", f"unknown status {row['status']!r}; treated as draft",
                                "write approved or draft"))
        status = "draft"
    return GlossaryEntry(
        id=row.get("id", ""),
        source=row["source"],
        target=row["target"],
        comment=row.get("comment", ""),
        alternatives=split_list(row.get("alternatives", "")),
        variants=split_list(row.get("variants", "")),
        pos=row.get("pos", ""),
        domain=row.get("domain", ""),
        definition=row.get("definition", ""),
        source_ref=row.get("reference", ""),
        status=status,
        file=name,
        line=lineno,
    )


def split_list(value: str) -> list[str]:
    """'a | b' → ['a', 'b'] (a full-width ｜ is accepted too; the check warns about it)."""
    return [v.strip() for v in value.replace("｜", "|").split("|") if v.strip()]


def entry_row(e: GlossaryEntry) -> list[str]:
    """The cells of an entry in :data:`COLUMNS` order."""
    return [e.source, e.target, e.comment, e.id, e.status, LIST_SEP.join(e.alternatives), LIST_SEP.join(e.variants),
            e.pos, e.domain, e.definition, e.source_ref]


def tsv_text(entries: Iterable[GlossaryEntry], comment: str = "") -> str:
    """A glossary file: optional ``#`` comment lines, the header, one row per entry."""
    lines = [f"# {c}" if c else "#" for c in comment.splitlines()] if comment else []
    lines.append("\t".join(COLUMNS))
    for e in entries:
        # Tabs and line breaks would break the row; they cannot mean anything in a cell.
        lines.append("\t".join(" ".join(c.split()) for c in entry_row(e)))
    return "\n".join(lines) + "\n"


def write_tsv(entries: Iterable[GlossaryEntry], path: str | Path, comment: str = "") -> Path:
    """Write a glossary TSV atomically."""
    from ..fsutil import write_text_atomic

    return write_text_atomic(path, tsv_text(entries, comment))
