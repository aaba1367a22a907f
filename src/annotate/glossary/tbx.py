"""TBX (ISO 30042, TBX-Basic style ``martif``) export and import of the glossary.

Mapping: one ``termEntry`` per entry (``id``); subject field = domain; ``definition``;
``note`` = comment; working status ``finalizedElement`` (approved) or
``workingElement`` (draft); Chinese ``langSet`` with the source as preferred term and
the variants as admitted terms; English ``langSet`` with the target as preferred term
(its ``source`` admin = the reference) and the alternatives as admitted terms.
Written with lxml: translate-toolkit's TBX class stores only source/target pairs and
would drop variants, definitions and status.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ..fsutil import write_bytes_atomic
from ..model import GlossaryEntry

if TYPE_CHECKING:
    from .core import Glossary

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_STATUS = {"approved": "finalizedElement", "draft": "workingElement"}
_STATUS_BACK = {v: k for k, v in _STATUS.items()}


def tbx_bytes(entries: list[GlossaryEntry]) -> bytes:
    from lxml import etree

    E = etree.Element
    S = etree.SubElement
    root = E("martif", type="TBX")
    root.set(XML_LANG, "en")
    header = S(S(S(root, "martifHeader"), "fileDesc"), "sourceDesc")
    S(header, "p").text = "annotate glossary (glossary/*.tsv)"
    body = S(S(root, "text"), "body")
    for e in entries:
        entry = S(body, "termEntry", id=e.id)
        if e.domain:
            S(entry, "descrip", type="subjectField").text = e.domain
        if e.definition:
            S(entry, "descrip", type="definition").text = e.definition
        S(entry, "admin", type="elementWorkingStatus").text = _STATUS.get(e.status, "workingElement")
        if e.comment:
            S(entry, "note").text = e.comment
        zh = S(entry, "langSet")
        zh.set(XML_LANG, "zh")
        for k, form in enumerate(e.forms):
            tig = S(zh, "tig")
            S(tig, "term").text = form
            if e.pos and k == 0:
                S(tig, "termNote", type="partOfSpeech").text = e.pos
            S(tig, "termNote", type="administrativeStatus").text = "preferredTerm-admn-sts" if k == 0 else "admittedTerm-admn-sts"
        en = S(entry, "langSet")
        en.set(XML_LANG, "en")
        for k, rendering in enumerate(e.renderings):
            tig = S(en, "tig")
            S(tig, "term").text = rendering
            S(tig, "termNote", type="administrativeStatus").text = "preferredTerm-admn-sts" if k == 0 else "admittedTerm-admn-sts"
            if k == 0 and e.source_ref:
                S(tig, "admin", type="source").text = e.source_ref
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def export_tbx(glossary: Glossary, path: Path) -> Path:
    return write_bytes_atomic(path, tbx_bytes(glossary.entries))


def import_tbx(path: Path) -> list[GlossaryEntry]:
    from lxml import etree

    try:
        root = etree.parse(str(path)).getroot()
    except (OSError, etree.XMLSyntaxError) as exc:
        raise InputError(f"not a readable TBX file: {exc}", path=path) from None
    entries: list[GlossaryEntry] = []
    for te in root.iter("termEntry"):
        def text(xpath: str, node=te) -> str:
            found = node.xpath(xpath)
            return found[0].text or "" if found else ""

        zh = [t.text or "" for t in te.xpath("langSet[@xml:lang='zh']/tig/term")]
        en = [t.text or "" for t in te.xpath("langSet[@xml:lang='en']/tig/term")]
        if not zh or not en:
            raise InputError(f"termEntry {te.get('id')} lacks a Chinese or English term", path=path, line=te.sourceline)
        entries.append(
            GlossaryEntry(
                id=te.get("id", ""),
                source=zh[0],
                target=en[0],
                comment=text("note"),
                alternatives=en[1:],
                variants=zh[1:],
                pos=text("langSet[@xml:lang='zh']/tig[1]/termNote[@type='partOfSpeech']"),
                domain=text("descrip[@type='subjectField']"),
                definition=text("descrip[@type='definition']"),
                source_ref=text("langSet[@xml:lang='en']/tig[1]/admin[@type='source']"),
                status=_STATUS_BACK.get(text("admin[@type='elementWorkingStatus']"), "draft"),
                file=str(path),
                line=te.sourceline or 0,
            )
        )
    return entries
