"""annotate: Chinese newspaper pages to annotated bilingual corpora.

Notebook use::

    import annotate
    docs = annotate.load("corpus/")          # ingest + annotate (cached), list of Document
    doc = docs[0]
    doc.sentences[0].tokens[0].pinyin

Heavy libraries load on first use, not on import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

    from .model import Document


def load(path: str | Path, *, annotate: bool = True, glossary: str | Path | None = None) -> list[Document]:
    """Ingest a page or a corpus folder and (by default) add the linguistic layer and term links.

    ``glossary`` is a glossary file or folder (default: from annotate.toml, else ``glossary/``).
    Results come from the pipeline's cache when the input is unchanged.
    """
    from .pipeline import load_documents

    upto = "terms" if annotate else "ingest"
    if glossary is not None:
        from .glossary import load_glossary

        return load_documents(path, upto=upto, glossary=load_glossary(glossary))
    return load_documents(path, upto=upto)
