"""Reading and writing the glossary's TSV files (the format: glossary/README.md).

Reading never raises for a bad row and never drops one silently: every problem comes
back as a :class:`Problem` with its file and line.  A row with an *error* (no source,
no target, too many cells, a cell that cannot be split or that holds a character XML
cannot carry, ...) is left out, and says so; a row with only warnings is used.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..model import GlossaryEntry
from ..zh import has_han
from .cells import Row, split_rows
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
        text = decode(raw)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return [], [Problem(name, line, "error", f"not UTF-8 (byte {exc.start})", _SAVE_HINT)]
    return parse_tsv(text, name)


def decode(raw: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), or UTF-16 when a byte-order mark says so
    (Excel's "Unicode Text"); raises UnicodeDecodeError otherwise."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    return raw.decode("utf-8-sig")


def parse_tsv(text: str, name: str) -> tuple[list[GlossaryEntry], list[Problem]]:
    """Entries and problems of the text of one glossary file (``name`` is used in messages).

    Cells are split as spreadsheets write them (:mod:`.cells`): quoted cells, doubled
    quotation marks, line breaks inside quoted cells, trailing tabs, CRLF."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    rows, problems = split_rows(text, name)
    entries, more = parse_rows(rows, name)
    return entries, sorted(problems + more, key=lambda p: p.line)


def parse_rows(rows: Iterable[Row], name: str) -> tuple[list[GlossaryEntry], list[Problem]]:
    """Entries from rows, the first real row being the header.

    Shared by the TSV reader and the CSV importer, so both apply the same rules.  A row
    with an error is reported and not used; a row with warnings is used as read."""
    problems: list[Problem] = []
    entries: list[GlossaryEntry] = []
    header: list[str] | None = None
    quote_all = False
    for row in rows:
        cells, lineno = row.cells, row.line
        if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
            continue
        if header is None:
            header = _header(cells, name, lineno, problems)
            if header is None:
                return [], problems
            # "Quote all text cells": every cell of the header is quoted, so quotes mean nothing.
            quote_all = all(q for c, q in zip(cells, row.quoted, strict=True) if c)
            continue
        if len(cells) > len(header):
            extra = [c for c in cells[len(header):] if c.strip()]
            if extra:
                problems.append(Problem(name, lineno, "error", f"{len(cells)} cells but the header has {len(header)}; "
                                        "the row is not used",
                                        "a tab inside a cell? replace it with a space, or add the column to the header"))
                continue
            cells = cells[: len(header)]  # empty cells after the last column: harmless
        found: list[Problem] = []
        row_dict: dict[str, str] = {}
        for i, (column, value) in enumerate(zip(header, cells, strict=False)):
            if column not in COLUMNS:
                continue
            found += _quoting_problems(name, row, i, column, value, quote_all)
            found += cell_problems(name, lineno, column, value)
            row_dict[column] = normalise_cell(column, value)
        if any(p.severity == "error" for p in found):
            problems += found
            continue
        entry = _entry(row_dict, name, lineno, found)
        problems += found
        if entry is not None:
            entries.append(entry)
    if header is None:
        problems.append(Problem(name, 0, "warning", "empty file: no header and no entries",
                                "the first row names the columns: " + " ".join(COLUMNS)))
    return entries, problems


def _quoting_problems(name: str, row: Row, i: int, column: str, value: str, quote_all: bool) -> list[Problem]:
    """What a spreadsheet's quoting did to a cell that a translator should know about."""
    if i in row.literal:
        return [Problem(name, row.line, "warning", f"cell {i + 1} ({column}) starts with a quotation mark but is not "
                        f"a quoted cell; read as it stands: {value[:40]!r}",
                        "if the quotation marks are text, write them as \u201c\u201d; else remove them")]
    if i >= len(row.quoted):
        return []
    if not row.quoted[i]:
        if quote_all and value.strip():
            # "Quote all text cells" quotes every text cell: one it did not quote, it took for a
            # number or a date, and may have rewritten (15.4% → 15.40%, 1/2 → 01/02/26, 0012 → 12).
            return [Problem(name, row.line, "warning", f"cell {i + 1} ({column}) {value[:40]!r} is not quoted where every "
                            "text cell is: the spreadsheet took it for a number or date and may have changed it",
                            "check the value; open the file with every column's type set to Text (glossary/README.md)")]
        return []
    out: list[Problem] = []
    if "\n" in value:
        out.append(Problem(name, row.line, "warning", f"{column} (lines {row.line}-{row.last_line}) holds a line break; "
                           "read as a space", "keep each cell on one line"))
    elif "\t" in value:
        out.append(Problem(name, row.line, "warning", f"{column} holds a tab; read as a space", "use a space, not a tab"))
    elif '"' not in value and not quote_all:
        out.append(Problem(name, row.line, "warning",
                           f"cell {i + 1} ({column}) is wrapped in quotation marks; read as {value[:40]!r}",
                           "remove the quotation marks, or if they belong to the text write them as \u201c\u201d"))
    return out


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
        problems.append(Problem(name, lineno, "error", f"unknown status {row['status']!r}; the row is not used",
                                "write approved or draft"))
        return None
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
        lines.append("\t".join(tsv_cell(c) for c in entry_row(e)))
    return "\n".join(lines) + "\n"


def tsv_cell(value: str) -> str:
    """A cell as the reader reads it back: whitespace runs as one space (a tab or line break
    cannot mean anything in a cell), and quoted, as a spreadsheet would, when it starts with
    a quotation mark (which the reader takes for the start of a quoted cell)."""
    value = " ".join(value.split())
    return '"' + value.replace('"', '""') + '"' if value.startswith('"') else value


def write_tsv(entries: Iterable[GlossaryEntry], path: str | Path, comment: str = "") -> Path:
    """Write a glossary TSV atomically."""
    from ..fsutil import write_text_atomic

    return write_text_atomic(path, tsv_text(entries, comment))
