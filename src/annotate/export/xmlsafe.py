"""Text that XML 1.0 can carry: the characters it forbids removed, and counted.

Ingestion already drops them from the page, but a later stage (a translation model, a
glossary file, metadata) may bring one back; every XML writer passes its text through
:class:`Cleaner` so the output is always well-formed, and reports how many it removed.
Nothing else is altered.
"""

from __future__ import annotations

from ..model import Document
from ..textio import XML_ILLEGAL


def clean(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids."""
    return XML_ILLEGAL.sub("", text)


class Cleaner:
    """``clean`` that counts what it removed (one instance per output file)."""

    def __init__(self) -> None:
        self.removed = 0

    def __call__(self, text: str) -> str:
        out, n = XML_ILLEGAL.subn("", text)
        self.removed += n
        return out


def illegal_characters(doc: Document) -> int:
    """XML-forbidden characters in the document's texts: metadata, blocks, translations, glosses.

    0 after a normal ingest; the exports remove whatever this counts (tokens are
    slices of the block text, so they are not counted twice).
    """
    n = sum(len(XML_ILLEGAL.findall(v)) for v in doc.meta.values())
    for b in doc.blocks():
        n += len(XML_ILLEGAL.findall(b.text))
        for s in b.sentences:
            if s.translation is not None:
                n += len(XML_ILLEGAL.findall(s.translation.text))
            n += len(XML_ILLEGAL.findall(s.gloss))
    return n
