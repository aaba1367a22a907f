"""Splitting a glossary file into rows of cells the way spreadsheets write tab-separated text.

LibreOffice Calc and Excel save "Text CSV" with a tab as field delimiter like this: a
cell that holds a tab, a line break or a quotation mark, or every text cell with
"Quote all text cells", is wrapped in ``"…"`` with each ``"`` inside doubled; other
cells are written as they are.  We read exactly that: a cell that *starts* with ``"``
is a quoted cell, ends at the next ``"`` that is not doubled, and must be followed by a
tab or the end of the line; any other cell is taken literally (a ``"`` inside it is
just a character).  A quoted cell may run over several lines (a line break typed in
the cell).

A cell typed by hand such as ``"one-stop" is usual`` (text after the closing quotation
mark) is read literally, quotation marks included, as LibreOffice reads it, with a
warning.  What cannot be read is refused with the line number: a quoted cell that is
never closed, or one that runs on over lines holding tabs (a stray ``"`` swallowing the
rows below it).  The row is left out and reading goes on with the next line, so one bad
cell costs one row, never the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .problems import Problem


@dataclass
class Row:
    """One row: the line it starts on, its cells, and which of them were quoted."""

    line: int
    cells: list[str]
    quoted: list[bool]
    last_line: int  # > line when a quoted cell holds a line break
    literal: list[int] = field(default_factory=list)  # 0-based cells that looked quoted but were read literally


class _Broken(Exception):
    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


_QUOTE_HINT = ("a cell that starts with \" is read as a quoted cell: put the whole cell in quotation marks and double "
               "each one inside it (\"\"\"one-stop\"\" service\"), or start the cell with another character")


def split_rows(text: str, name: str) -> tuple[list[Row], list[Problem]]:
    """Rows of ``text`` (line ends already ``\\n``) and the problems of rows that cannot be split."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final line end
    rows: list[Row] = []
    problems: list[Problem] = []
    i = 0
    while i < len(lines):
        try:
            row = _row(lines, i)
        except _Broken as exc:
            problems.append(Problem(name, i + 1, "error", f"{exc.message}; the row is not used", exc.hint))
            i += 1  # go on with the next line: one bad cell costs one row
            continue
        rows.append(row)
        i = row.last_line
    return rows, problems


def _row(lines: list[str], start: int) -> Row:
    cells: list[str] = []
    quoted: list[bool] = []
    literal: list[int] = []
    n = start
    line = lines[n]
    pos = 0
    while True:
        if not line.startswith('"', pos):
            tab = line.find("\t", pos)
            cells.append(line[pos:] if tab == -1 else line[pos:tab])
            quoted.append(False)
            if tab == -1:
                break
            pos = tab + 1
            continue
        column = len(cells) + 1
        parts: list[str] = []
        j = pos + 1
        while True:
            k = line.find('"', j)
            if k == -1:  # the cell goes on on the next line
                parts.append(line[j:] + "\n")
                n += 1
                if n == len(lines):
                    raise _Broken(f"cell {column} opens a quotation mark that is never closed", _QUOTE_HINT)
                line, j = lines[n], 0
                continue
            if line.startswith('"', k + 1):  # "" is one quotation mark
                parts.append(line[j:k + 1])
                j = k + 2
                continue
            parts.append(line[j:k])
            break
        value = "".join(parts)
        if n > start and "\t" in value:
            raise _Broken(f"cell {column} opens a quotation mark that is not closed before line {n + 1}", _QUOTE_HINT)
        after = k + 1
        if after < len(line) and line[after] != "\t":
            if n > start:  # a stray quotation mark ran on into the next lines
                raise _Broken(f"cell {column} opens a quotation mark that is not closed before line {n + 1}", _QUOTE_HINT)
            # "one-stop" is usual: the quotation marks are text, as a spreadsheet reads them
            tab = line.find("\t", pos)
            cells.append(line[pos:] if tab == -1 else line[pos:tab])
            quoted.append(False)
            literal.append(len(cells) - 1)
            if tab == -1:
                break
            pos = tab + 1
            continue
        cells.append(value)
        quoted.append(True)
        if after >= len(line):
            break
        pos = after + 1
    return Row(start + 1, cells, quoted, n + 1, literal)
