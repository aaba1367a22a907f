"""A problem found in a glossary file: where it is, how bad, and what to do about it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One finding of reading or checking a glossary.

    ``line`` is 1-based; 0 means the whole file.  An *error* makes ``glossary check``
    fail; a *warning* does not.
    """

    path: str
    line: int
    severity: Severity
    message: str
    hint: str = ""

    def __str__(self) -> str:
        hint = f" ({self.hint})" if self.hint else ""
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message}{hint}"

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, 0 if self.severity == "error" else 1, self.message)
