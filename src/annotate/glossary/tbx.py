"""TBX (ISO 30042) export and import of the glossary.

Export: the TBX core structure of ISO 30042:2008 (``martif``), the form CAT tools
(OmegaT, memoQ, Trados MultiTerm, Weblate/translate-toolkit) read, with TBX-Basic
data categories.  One ``termEntry`` per entry, ``id`` = the entry ID:

=============== ==================================================================
glossary        TBX
=============== ==================================================================
id              ``termEntry/@id``
domain          ``termEntry/descrip[@type='subjectField']``
status          ``termEntry/admin[@type='elementWorkingStatus']``: approved →
                ``finalizedElement``, draft → ``workingElement`` (ISO 12620, a
                TBX-Default category: TBX-Basic has none for an entry's status)
comment         ``termEntry/note``
source          ``langSet[@xml:lang='zh']/tig[1]/term``, administrativeStatus
                ``preferredTerm-admn-sts``
pos             ``termNote[@type='partOfSpeech']`` of that first Chinese ``tig``
variants        further Chinese ``tig``, ``admittedTerm-admn-sts``
definition      ``langSet[@xml:lang='en']/descrip[@type='definition']``
target          ``langSet[@xml:lang='en']/tig[1]/term``, ``preferredTerm-admn-sts``
reference       ``admin[@type='source']`` of that first English ``tig``
alternatives    further English ``tig``, ``admittedTerm-admn-sts``
=============== ==================================================================

It is written with lxml, not translate-toolkit: translate-toolkit's ``tbxfile``
carries terms, their administrative status and notes, but not subject field,
working status or a term's source, and it writes ``note`` after the ``langSet``s,
which the core structure does not allow.  The tests read our export back with
translate-toolkit to check that a CAT-tool reader sees every term.

Import reads this form and what other tools write: namespaced or not, ``tig`` or
``ntig/termGrp``, TBX v3 (ISO 30042:2019: ``conceptEntry/langSec/termSec``),
languages ``zh``/``zh-CN``/``zh-Hans``… and ``en``/``en-US``…
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ..fsutil import write_bytes_atomic
from ..model import GlossaryEntry

if TYPE_CHECKING:
    from .core import Glossary

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_STATUS = {"approved": "finalizedElement", "draft": "workingElement"}
_STATUS_BACK = {"finalizedElement": "approved", "consolidatedElement": "approved", "workingElement": "draft",
                "starterElement": "draft"}
PREFERRED = "preferredTerm-admn-sts"
ADMITTED = "admittedTerm-admn-sts"


def tbx_bytes(entries: Iterable[GlossaryEntry]) -> bytes:
    """The TBX document for ``entries`` (deterministic: no dates, entries in order)."""
    from lxml import etree

    sub = etree.SubElement
    root = etree.Element("martif", type="TBX")
    root.set(XML_LANG, "en")
    file_desc = sub(sub(root, "martifHeader"), "fileDesc")
    sub(sub(file_desc, "titleStmt"), "title").text = "annotate glossary"
    sub(sub(file_desc, "sourceDesc"), "p").text = (
        "Exported by annotate from glossary/*.tsv. Data categories of TBX-Basic, plus elementWorkingStatus.")
    body = sub(sub(root, "text"), "body")
    for e in entries:
        entry = sub(body, "termEntry", id=e.id)
        if e.domain:
            sub(entry, "descrip", type="subjectField").text = e.domain
        sub(entry, "admin", type="elementWorkingStatus").text = _STATUS.get(e.status, "workingElement")
        if e.comment:
            sub(entry, "note").text = e.comment
        zh = sub(entry, "langSet")
        zh.set(XML_LANG, "zh")
        for k, form in enumerate(e.forms):
            tig = sub(zh, "tig")
            sub(tig, "term").text = form
            if k == 0 and e.pos:
                sub(tig, "termNote", type="partOfSpeech").text = e.pos
            sub(tig, "termNote", type="administrativeStatus").text = PREFERRED if k == 0 else ADMITTED
        en = sub(entry, "langSet")
        en.set(XML_LANG, "en")
        if e.definition:
            sub(en, "descrip", type="definition").text = e.definition
        for k, rendering in enumerate(e.renderings):
            tig = sub(en, "tig")
            sub(tig, "term").text = rendering
            sub(tig, "termNote", type="administrativeStatus").text = PREFERRED if k == 0 else ADMITTED
            if k == 0 and e.source_ref:
                sub(tig, "admin", type="source").text = e.source_ref
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def export_tbx(glossary: Glossary | Iterable[GlossaryEntry], path: str | Path) -> Path:
    """Write the glossary (a :class:`Glossary` or entries) as TBX, atomically."""
    entries = glossary.entries if hasattr(glossary, "entries") else glossary
    return write_bytes_atomic(path, tbx_bytes(entries))  # type: ignore[arg-type]


def import_tbx(path: str | Path) -> list[GlossaryEntry]:
    """Entries of a TBX file; an unusable file or entry raises :class:`InputError` with its line."""
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
                         hint="expected <martif> (TBX 2008) or <tbx> (TBX v3)")
    entries = [_entry(el, str(path)) for el in root.iter() if _local(el) in ("termEntry", "conceptEntry")]
    return entries


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
    zh, en, notes = _ordered(langs["zh"]), _ordered(langs["en"]), [_text(n) for n in _children(te, "note")]
    if not zh or not en:
        raise InputError(f"entry {te.get('id') or '(no id)'} lacks a usable Chinese or English term", path=path,
                         line=te.sourceline, hint="each entry needs a langSet xml:lang='zh…' and one 'en…' with a term")
    deprecated = [t["text"] for t in langs["en"] + langs["zh"] if t["status"].startswith(("deprecated", "superseded"))]
    if deprecated:
        notes.append("deprecated: " + "; ".join(deprecated))
    status = _text(_typed(te, "admin", "elementWorkingStatus"))
    return GlossaryEntry(
        id=te.get("id", ""),
        source=zh[0]["text"],
        target=en[0]["text"],
        comment=" ".join(n for n in notes if n),
        alternatives=[t["text"] for t in en[1:]],
        variants=[t["text"] for t in zh[1:]],
        pos=zh[0]["pos"],
        domain=_text(_typed(te, "descrip", "subjectField")),
        definition=definition or _text(_typed(te, "descrip", "definition", deep=False)),
        source_ref=en[0]["source"],
        status=_STATUS_BACK.get(status, "draft"),
        file=path,
        line=te.sourceline or 0,
    )


def _term(container) -> dict[str, str]:
    term = next((c for c in container.iter() if _local(c) == "term"), None)
    return {
        "text": _text(term),
        "status": _text(_typed(container, "termNote", "administrativeStatus", deep=True)),
        "pos": _text(_typed(container, "termNote", "partOfSpeech", deep=True)),
        "source": _text(_typed(container, "admin", "source", deep=True)),
    }


def _ordered(terms: list[dict[str, str]]) -> list[dict[str, str]]:
    """Usable terms, the preferred one first (else file order); deprecated ones go to the comment."""
    usable = [t for t in terms if t["text"] and not t["status"].startswith(("deprecated", "superseded"))]
    return sorted(usable, key=lambda t: t["status"] != PREFERRED)
