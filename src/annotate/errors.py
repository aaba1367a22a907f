"""User-facing errors: one line, naming the file and line, saying what to do.

The CLI catches :class:`AnnotateError` and prints ``str(err)``; anything else is a
bug and keeps its traceback.  Exit codes are documented in the README.
"""

from __future__ import annotations

#: Exit codes (documented in README "Exit codes").
EXIT_OK = 0
EXIT_FINDINGS = 1  # the command ran and found problems (glossary check, TEI validation)
EXIT_USAGE = 2  # bad command line (argparse uses 2 as well)
EXIT_INPUT = 3  # an input file cannot be used (encoding, empty, binary, broken glossary row ...)
EXIT_ENVIRONMENT = 4  # something outside the input is missing or broken (model, unwritable output)
EXIT_INTERRUPTED = 130


class AnnotateError(Exception):
    """An error the user can fix; printed as one line without a traceback."""

    exit_code = EXIT_INPUT

    def __init__(self, message: str, *, path: object = None, line: int | None = None, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{self.message}{hint}"


class InputError(AnnotateError):
    """An input file cannot be read or understood."""

    exit_code = EXIT_INPUT


class EnvironmentProblem(AnnotateError):
    """A model, directory or tool the command needs is missing or unusable."""

    exit_code = EXIT_ENVIRONMENT
