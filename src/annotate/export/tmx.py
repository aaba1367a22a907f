"""TMX 1.4 translation memory of zh→en sentence pairs, via translate-toolkit.

Only sentences with a machine translation become units (a word gloss is not a
translation).  Each ``<tu>`` has ``tuid`` = the sentence ID and
``<prop type="x-origin">machine-translation</prop>`` plus the model name, so CAT
tools can filter or penalise MT matches.  No timestamps: re-runs are byte-identical.
"""

from __future__ import annotations

from pathlib import Path

from .. import __version__
from ..fsutil import write_bytes_atomic
from ..model import Document
from ..textio import XML_ILLEGAL


def tmx_bytes(doc: Document) -> bytes:
    from lxml import etree
    from translate.storage.tmx import tmxfile

    tmx = tmxfile(sourcelanguage="zh-Hans", targetlanguage="en")
    header = tmx.document.getroot().find("header")
    header.set("creationtool", "annotate")
    header.set("creationtoolversion", __version__)
    for s in doc.sentences:
        tr = s.translation
        if tr is None or tr.origin != "mt" or not tr.text:
            continue
        unit = tmx.addsourceunit(XML_ILLEGAL.sub("", s.text))
        unit.target = XML_ILLEGAL.sub("", tr.text)
        tu = unit.xmlelement
        tu.set("tuid", s.id)
        for key, value in (("x-origin", "machine-translation"), ("x-model", tr.model), ("x-document", doc.id)):
            prop = etree.Element("prop", type=key)
            prop.text = value
            tu.insert(0, prop)
    return bytes(tmx)


def write_tmx(doc: Document, out_dir: Path) -> Path:
    return write_bytes_atomic(out_dir / f"{doc.id}.tmx", tmx_bytes(doc))
