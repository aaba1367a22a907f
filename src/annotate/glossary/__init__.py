"""The glossary: translator-edited term base (glossary/*.tsv), linking, checking, exchange formats."""

from .core import Glossary, load_glossary
from .tbx import export_tbx, import_tbx
from .tsv import COLUMNS, Problem, read_tsv, write_tsv

__all__ = ["COLUMNS", "Glossary", "Problem", "export_tbx", "import_tbx", "load_glossary", "read_tsv", "write_tsv"]
