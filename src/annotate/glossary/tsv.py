"""Reading and writing the glossary's TSV files (format: glossary/README.md).

Reading never raises for a bad row and never drops one silently: every problem is
returned with its file and line, and rows that cannot be used are left out only
after being reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..model import GlossaryEntry

#: Column order: OmegaT reads the first three as source, target, comment.
COLUMNS = ("source", "target", "comment", "id", "status", "alternatives", "variants", "pos", "domain", "definition", "reference")
REQUIRED = ("source", "target")
LIST_SEP = " | "
STATUSES = ("approved", "draft")
ID_RE = re.compile(r"^[a-z][a-z0-9-]*$")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    severity: str  # "error" or "warning"
    message: str
    hint: str = ""

    def __str__(self) -> str:
        hint = f" ({self.hint})" if self.hint else ""
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message}{hint}"


def glossary_files(path: str | Path) -> list[Path]:
    p = Path(path)
    return sorted(p.glob("*.tsv")) if p.is_dir() else [p]


def read_tsv(path: Path) -> tuple[list[GlossaryEntry], list[Problem]]:
    """Entries and problems of one file."""
    problems: list[Problem] = []
    entries: list[GlossaryEntry] = []
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return [], [Problem(name, 0, "error", f"cannot read file: {exc.strerror}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return [], [Problem(name, line, "error", "not UTF-8", "save the file as UTF-8 (in a spreadsheet: 'Unicode (UTF-8)', tab-separated)")]
    header: list[str] | None = None
    for lineno, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = [c.strip().lower() for c in cells]
            missing = [c for c in REQUIRED if c not in header]
            unknown = [c for c in header if c not in COLUMNS]
            if missing:
                problems.append(Problem(name, lineno, "error", f"header lacks column(s) {', '.join(missing)}",
                                        f"the first row must name the columns: {chr(9).join(COLUMNS)}"))
                return [], problems
            if unknown:
                problems.append(Problem(name, lineno, "warning", f"unknown column(s) {', '.join(unknown)} are ignored",
                                        f"known columns: {', '.join(COLUMNS)}"))
            continue
        if len(cells) > len(header):
            problems.append(Problem(name, lineno, "error", f"{len(cells)} cells but the header has {len(header)}",
                                    "a tab inside a cell? remove it, or add the column to the header"))
            continue
        row = {h: c for h, c in zip(header, cells, strict=False) if h in COLUMNS}
        for col, value in row.items():
            if value != value.strip() or "  " in value:
                problems.append(Problem(name, lineno, "warning", f"stray whitespace in {col} {value!r}", "remove leading, trailing or double spaces"))
        row = {k: " ".join(v.split()) for k, v in row.items()}
        if not row.get("source"):
            problems.append(Problem(name, lineno, "error", "empty source", "write the Chinese term in the first column"))
            continue
        if not row.get("target"):
            problems.append(Problem(name, lineno, "error", f"empty target for {row['source']}", "write the English rendering in the second column"))
            continue
        status = row.get("status", "") or "draft"
        if status not in STATUSES:
            problems.append(Problem(name, lineno, "warning", f"unknown status {status!r}, treated as draft", "use approved or draft"))
            status = "draft"
        entries.append(
            GlossaryEntry(
                id=row.get("id", ""),
                source=row["source"],
                target=row["target"],
                comment=row.get("comment", ""),
                alternatives=_split(row.get("alternatives", "")),
                variants=_split(row.get("variants", "")),
                pos=row.get("pos", ""),
                domain=row.get("domain", ""),
                definition=row.get("definition", ""),
                source_ref=row.get("reference", ""),
                status=status,
                file=name,
                line=lineno,
            )
        )
    if header is None:
        problems.append(Problem(name, 0, "warning", "no header and no entries", "an empty glossary file"))
    return entries, problems


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


def entry_row(e: GlossaryEntry) -> list[str]:
    return [e.source, e.target, e.comment, e.id, e.status, LIST_SEP.join(e.alternatives), LIST_SEP.join(e.variants),
            e.pos, e.domain, e.definition, e.source_ref]


def write_tsv(entries: list[GlossaryEntry], path: Path) -> Path:
    from ..fsutil import write_text_atomic

    lines = ["\t".join(COLUMNS)] + ["\t".join(c.replace("\t", " ").replace("\n", " ") for c in entry_row(e)) for e in entries]
    return write_text_atomic(path, "\n".join(lines) + "\n")
