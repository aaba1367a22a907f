"""TBX export and import of the glossary.

Export: TBX v3 (ISO 30042:2019), dialect TBX-Basic, style DCA, valid against the
official core RELAX NG schema and the TBX-Basic Schematron (both vendored in
``annotate/schema/``, see its NOTICE.md; the tests run both).  One ``conceptEntry`` per
glossary entry:

=============== ==================================================================
glossary        TBX-Basic
=============== ==================================================================
id              ``conceptEntry/@id``
domain          ``conceptEntry/admin[@type='customerSubset']`` (our domains, such as
                "place" or "company", group entries; they are not all subject fields)
comment         ``conceptEntry/note``
source          ``langSec[@xml:lang=zh-CN]/termSec[1]/term``, administrativeStatus
                ``preferredTerm-admn-sts``
pos             ``termNote[@type='partOfSpeech']`` of that termSec, from the picklist
                (noun, verb, adjective, adverb, other); "phrase" adds ``termType``
                ``phrase``; words the picklist cannot say ("proper noun") are kept in
                a ``note`` "part of speech: proper noun"
variants        further Chinese ``termSec``, ``admittedTerm-admn-sts``
definition      ``langSec[@xml:lang=en]/descrip[@type='definition']``
target          ``langSec[@xml:lang=en]/termSec[1]/term``: ``preferredTerm-admn-sts``
                when the entry is approved, ``admittedTerm-admn-sts`` when it is a
                draft (TBX-Basic has no working status; this is how a CAT tool sees it)
reference       ``admin[@type='source']`` of that English termSec
alternatives    further English ``termSec``, ``admittedTerm-admn-sts``
=============== ==================================================================

The language codes are those CAT tools match (``zh-CN``, ``en``; see
:mod:`annotate.export.languages`).  Text is passed through
:func:`annotate.export.xmlsafe.clean`, so an entry built in code with a control
character still gives a well-formed file (the glossary reader already refuses such rows).

It is written with lxml, not translate-toolkit: translate-toolkit's TBX class writes
the 2008 ``martif`` form and keeps only terms, their status and notes.

Import reads TBX v3 (``tbx/text/body/conceptEntry/langSec/termSec``, namespaced or not)
and TBX 2008 (``martif/…/termEntry/langSet/tig`` or ``ntig/termGrp``), whatever tool wrote
them: languages ``zh``/``zh-CN``/``zh-Hans``… and ``en``/``en-US``…; working status from
TBX-Default's ``elementWorkingStatus`` when a file has it; subject field or customer
subset as the domain; deprecated and superseded terms kept in the comment.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ..export.languages import CAT_SOURCE_LANG, CAT_TARGET_LANG
from ..export.xmlsafe import clean
from ..fsutil import write_bytes_atomic
from ..model import GlossaryEntry

if TYPE_CHECKING:
    from .core import Glossary

TBX_NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PREFERRED = "preferredTerm-admn-sts"
ADMITTED = "admittedTerm-admn-sts"
_STATUS_2008 = {"finalizedElement": "approved", "consolidatedElement": "approved", "workingElement": "draft",
                "starterElement": "draft"}

#: Our part of speech → (TBX-Basic partOfSpeech, termType or "").  Anything else: other.
POS_TO_TBX = {
    "noun": ("noun", ""),
    "proper noun": ("noun", ""),
    "verb": ("verb", ""),
    "adjective": ("adjective", ""),
    "adverb": ("adverb", ""),
    "other": ("other", ""),
    "phrase": ("other", "phrase"),
    "noun phrase": ("noun", "phrase"),
    "verb phrase": ("verb", "phrase"),
}
_POS_BACK = {v: k for k, v in POS_TO_TBX.items() if k != "proper noun"} | {("properNoun", ""): "proper noun"}  # TBX 2008
_POS_NOTE = "part of speech: "


def tbx_pos(pos: str) -> tuple[str, str, str]:
    """(partOfSpeech, termType, note) for our ``pos``; the note keeps what the picklist cannot say."""
    key = " ".join(pos.lower().split())
    part, term_type = POS_TO_TBX.get(key, ("other", ""))
    lossless = _POS_BACK.get((part, term_type)) == key
    return part, term_type, "" if lossless else _POS_NOTE + " ".join(pos.split())


def tbx_bytes(entries: Iterable[GlossaryEntry], *, source_lang: str = CAT_SOURCE_LANG,
              target_lang: str = CAT_TARGET_LANG) -> bytes:
    """The TBX-Basic document for ``entries`` (deterministic: no dates, entries in order)."""
    from lxml import etree

    def sub(parent, tag: str, text: str | None = None, **attrs: str):
        el = etree.SubElement(parent, tag, **attrs)
        if text is not None:
            el.text = clean(text)
        return el

    root = etree.Element("tbx", nsmap={None: TBX_NS}, type="TBX-Basic", style="dca")
    root.set(XML_LANG, target_lang)
    file_desc = sub(sub(root, "tbxHeader"), "fileDesc")
    sub(sub(file_desc, "titleStmt"), "title", "annotate glossary")
    sub(sub(file_desc, "sourceDesc"), "p", "Exported by annotate from glossary/*.tsv (format: glossary/README.md).")
    body = sub(sub(root, "text"), "body")
    for e in entries:
        entry = sub(body, "conceptEntry", id=e.id)
        if e.domain:
            sub(entry, "admin", e.domain, type="customerSubset")
        if e.comment:
            sub(entry, "note", e.comment)
        zh = sub(entry, "langSec")
        zh.set(XML_LANG, source_lang)
        for k, form in enumerate(e.forms):
            term = sub(zh, "termSec")
            sub(term, "term", form)
            sub(term, "termNote", PREFERRED if k == 0 else ADMITTED, type="administrativeStatus")
            if k == 0 and e.pos:
                part, term_type, note = tbx_pos(e.pos)
                sub(term, "termNote", part, type="partOfSpeech")
                if term_type:
                    sub(term, "termNote", term_type, type="termType")
                if note:
                    sub(term, "note", note)
        en = sub(entry, "langSec")
        en.set(XML_LANG, target_lang)
        if e.definition:
            sub(en, "descrip", e.definition, type="definition")
        for k, rendering in enumerate(e.renderings):
            term = sub(en, "termSec")
            sub(term, "term", rendering)
            approved = k == 0 and e.status == "approved"
            sub(term, "termNote", PREFERRED if approved else ADMITTED, type="administrativeStatus")
            if k == 0 and e.source_ref:
                sub(term, "admin", e.source_ref, type="source")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def export_tbx(glossary: Glossary | Iterable[GlossaryEntry], path: str | Path, *, source_lang: str = CAT_SOURCE_LANG,
               target_lang: str = CAT_TARGET_LANG) -> Path:
    """Write the glossary (a :class:`Glossary` or entries) as TBX-Basic, atomically."""
    entries = glossary.entries if hasattr(glossary, "entries") else glossary
    return write_bytes_atomic(path, tbx_bytes(entries, source_lang=source_lang, target_lang=target_lang))  # type: ignore[arg-type]


# -- import ---------------------------------------------------------------------------
def import_tbx(path: str | Path) -> list[GlossaryEntry]:
    """Entries of a TBX file (v3 or 2008); an unusable file or entry raises :class:`InputError` with its line."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc}", path=path) from None
    except etree.XMLSyntaxError as exc:
        raise InputError(f"not well-formed XML: {exc.msg}", path=path, line=exc.lineno or None) from None
    if _local(root) not in ("martif", "tbx"):
        raise InputError(f"not a TBX file (root element <{_local(root)}>)", path=path, line=root.sourceline,
                         hint="expected <tbx> (TBX v3, ISO 30042:2019) or <martif> (TBX 2008)")
    return [_entry(el, str(path)) for el in root.iter() if _local(el) in ("termEntry", "conceptEntry")]


def _local(el) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el, *names: str) -> list:
    return [c for c in el if _local(c) in names]


def _typed(el, name: str, type_: str, deep: bool = False):
    """The first child (or descendant) <name type="type_">, or None."""
    nodes = el.iter() if deep else el
    return next((c for c in nodes if c is not el and _local(c) == name and c.get("type") == type_), None)


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _entry(te, path: str) -> GlossaryEntry:
    langs: dict[str, list] = {"zh": [], "en": []}
    definition = ""
    for ls in _children(te, "langSet", "langSec"):
        lang = (ls.get(XML_LANG) or ls.get("lang") or "").lower().split("-")[0]
        if lang in langs:
            langs[lang] += [_term(t) for t in _children(ls, "tig", "ntig", "termSec")]
            if lang == "en" or not definition:
                definition = _text(_typed(ls, "descrip", "definition", deep=True)) or definition
    zh, en = _ordered(langs["zh"]), _ordered(langs["en"])
    notes = [_text(n) for n in _children(te, "note")]
    if not zh or not en:
        raise InputError(f"entry {te.get('id') or '(no id)'} lacks a usable Chinese or English term", path=path,
                         line=te.sourceline, hint="each entry needs a language section zh… and one en… with a term")
    deprecated = [t["text"] for t in langs["en"] + langs["zh"] if t["status"].startswith(("deprecated", "superseded"))]
    if deprecated:
        notes.append("deprecated: " + "; ".join(deprecated))
    # TBX-Default (2008) has a working status; otherwise an approved entry's target is preferred.
    working = _text(_typed(te, "admin", "elementWorkingStatus"))
    status = _STATUS_2008.get(working, "draft") if working else ("approved" if en[0]["status"] == PREFERRED else "draft")
    domain = _text(_typed(te, "descrip", "subjectField")) or _text(_typed(te, "admin", "customerSubset"))
    return GlossaryEntry(
        id=te.get("id", ""),
        source=zh[0]["text"],
        target=en[0]["text"],
        comment=" ".join(n for n in notes if n),
        alternatives=[t["text"] for t in en[1:]],
        variants=[t["text"] for t in zh[1:]],
        pos=zh[0]["pos"],
        domain=domain,
        definition=definition or _text(_typed(te, "descrip", "definition")),
        source_ref=en[0]["source"],
        status=status,
        file=path,
        line=te.sourceline or 0,
    )


def _term(container) -> dict[str, str]:
    term = next((c for c in container.iter() if _local(c) == "term"), None)
    part = _text(_typed(container, "termNote", "partOfSpeech", deep=True))
    term_type = _text(_typed(container, "termNote", "termType", deep=True))
    pos_note = next((_text(n) for n in container.iter() if _local(n) == "note" and _text(n).startswith(_POS_NOTE)), "")
    pos = pos_note[len(_POS_NOTE):] if pos_note else _POS_BACK.get((part, term_type), part)
    return {
        "text": _text(term),
        "status": _text(_typed(container, "termNote", "administrativeStatus", deep=True)),
        "pos": pos,
        "source": _text(_typed(container, "admin", "source", deep=True)),
    }


def _ordered(terms: list[dict[str, str]]) -> list[dict[str, str]]:
    """Usable terms, the preferred one first (else file order); deprecated ones go to the comment."""
    usable = [t for t in terms if t["text"] and not t["status"].startswith(("deprecated", "superseded"))]
    return sorted(usable, key=lambda t: t["status"] != PREFERRED)
