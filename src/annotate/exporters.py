"""Every export format, declared once: the exporter registry.

An exporter has a ``layer`` (the name users pick with ``--layers``), a ``scope``
(``document``: one call per document inside the worker; ``corpus``: one call at the
end, from the per-document summaries) and a ``write()`` that returns the files it
wrote.  ``code`` names the modules whose source is part of the cache key, so output
made by older code is never kept.  Adding a format is one class here plus its writer
module; the pipeline, ``--layers``, ``annotate.toml`` and the contract tests in
tests/test_exporters.py pick it up from the registry.

Writers are imported inside ``write()``: this module is imported by the command line,
which must stay instant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:  # pragma: no cover
    from .glossary import Glossary
    from .model import Document


@dataclass(frozen=True)
class ExportTarget:
    """Where and with what the exporters write: the exports folder, the glossary, and the
    language codes CAT tools match (TMX, TBX)."""

    out: Path
    glossary: Glossary
    cat_languages: tuple[str, str] = ("zh-CN", "en")
    cache: Path | None = None  # the run's cache folder, for what corpus-level writers keep between runs


class Exporter:
    layer: ClassVar[str]
    scope: ClassVar[str]  # "document" or "corpus"
    code: ClassVar[tuple[str, ...]]

    def write(self, item: Any, target: ExportTarget) -> list[Path]:  # pragma: no cover - interface
        raise NotImplementedError


class DocumentExporter(Exporter):
    scope = "document"

    def write(self, item: Document, target: ExportTarget) -> list[Path]:  # pragma: no cover - interface
        raise NotImplementedError


class CorpusExporter(Exporter):
    """Writes corpus-level files from the per-document summaries (see ``html.summarise_document``).

    The summaries may be read from disk one at a time as they are iterated (the pipeline's
    ``StoredSummaries``): a writer iterates them, as often as it needs, and keeps only what
    its file needs, never the list."""

    scope = "corpus"

    def write(self, item: Sequence[dict[str, Any]], target: ExportTarget) -> list[Path]:  # pragma: no cover
        raise NotImplementedError


EXPORTERS: list[Exporter] = []


def register_exporter(cls: type[Exporter]) -> type[Exporter]:
    EXPORTERS.append(cls())
    return cls


@register_exporter
class TeiExporter(DocumentExporter):
    """TEI P5: ``<doc>.zh.xml`` (the annotated text) and its English twin ``<doc>.en.xml``."""

    layer = "tei"
    code = ("export/tei.py", "export/xmlsafe.py")

    def write(self, item: Document, target: ExportTarget) -> list[Path]:
        from .export.tei import write_tei

        return write_tei(item, target.glossary.entries, target.out / "tei")


@register_exporter
class VrtExporter(DocumentExporter):
    """CWB vertical text for CQPweb / NoSketch Engine."""

    layer = "vrt"
    code = ("export/vrt.py", "export/_tokens.py")

    def write(self, item: Document, target: ExportTarget) -> list[Path]:
        from .export.vrt import write_vrt

        return [write_vrt(item, target.out / "vrt")]


@register_exporter
class ConlluExporter(DocumentExporter):
    """CoNLL-U (UD columns; HEAD/DEPREL empty: there is no parser)."""

    layer = "conllu"
    code = ("export/conllu.py", "export/_tokens.py")

    def write(self, item: Document, target: ExportTarget) -> list[Path]:
        from .export.conllu import write_conllu

        return [write_conllu(item, target.out / "conllu")]


@register_exporter
class TmxExporter(DocumentExporter):
    """TMX sentence pairs for CAT tools (translations only, never the gloss)."""

    layer = "tmx"
    code = ("export/tmx.py", "export/xmlsafe.py")

    def write(self, item: Document, target: ExportTarget) -> list[Path]:
        from .export.tmx import write_tmx

        source, target_lang = target.cat_languages
        return [write_tmx(item, target.out / "tmx", source_lang=source, target_lang=target_lang)]


@register_exporter
class HtmlDocumentExporter(DocumentExporter):
    """The reader's page for one document."""

    layer = "html"
    code = ("html", "templates")

    def write(self, item: Document, target: ExportTarget) -> list[Path]:
        from .html import write_document_page

        return [write_document_page(item, target.glossary.entries, target.out / "html")]


@register_exporter
class HtmlCorpusExporter(CorpusExporter):
    """The reader's index and glossary pages (and its assets)."""

    layer = "html"
    code = ("html", "templates")

    def write(self, item: Sequence[dict[str, Any]], target: ExportTarget) -> list[Path]:
        from .html import write_corpus_pages

        return write_corpus_pages(item, target.glossary.entries, target.out / "html",
                                  cache=target.cache / "html" if target.cache else None)


@register_exporter
class TbxExporter(CorpusExporter):
    """The glossary as a term base for CAT tools."""

    layer = "tbx"
    code = ("glossary",)

    def write(self, item: Sequence[dict[str, Any]], target: ExportTarget) -> list[Path]:
        from .glossary import export_tbx

        source, target_lang = target.cat_languages
        return [export_tbx(target.glossary, target.out / "tbx" / "glossary.tbx", source_lang=source,
                           target_lang=target_lang)]


@register_exporter
class TeiCorpusExporter(CorpusExporter):
    """The ``teiCorpus`` root that XIncludes every document."""

    layer = "tei"
    code = ("export/tei.py",)

    def write(self, item: Sequence[dict[str, Any]], target: ExportTarget) -> list[Path]:
        from .export.tei import write_tei_corpus

        docs = [(s["id"], s.get("title", s["id"])) for s in item]
        return [write_tei_corpus(docs, target.out / "tei")]


def in_id_order(summaries: Sequence[dict[str, Any]]) -> Sequence[dict[str, Any]]:
    """The summaries in document-ID order: a sequence that is so already (``sorted_by_id``, the
    pipeline's summaries read from disk) as it is, without reading it; any other one sorted."""
    if getattr(summaries, "sorted_by_id", False):
        return summaries
    return sorted(summaries, key=lambda d: d["id"])


#: Every layer name, in the order the registry declares them (``--layers``, ``annotate.toml``).
LAYERS: tuple[str, ...] = tuple(dict.fromkeys(e.layer for e in EXPORTERS))


def exporters(layers: Sequence[str], scope: str) -> list[Exporter]:
    """The registered exporters of ``scope`` whose layer is in ``layers``, in registry order."""
    return [e for e in EXPORTERS if e.scope == scope and e.layer in layers]


def layer_folders(layers: Sequence[str]) -> list[str]:
    """The exports sub-folders the layers write to (for clean-up): ``tei``, ``html``, …"""
    return [layer for layer in LAYERS if layer in layers]


def fingerprint_parts(layers: Sequence[str]) -> tuple[str, ...]:
    """The source paths of every exporter the layers use (a part of the pipeline's final key)."""
    return tuple(sorted({c for e in EXPORTERS if e.layer in layers for c in e.code}))
