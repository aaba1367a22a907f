"""TMX 1.4 translation memory of zh→en sentence pairs, one file per document, via translate-toolkit.

Only real translations become units: machine translations (a translation model's or a
language model's) and human ones, should a stage supply them.  A word-by-word gloss is
not a translation a CAT tool should offer, so gloss-only and untranslated sentences are
left out.  Each ``<tu>`` has ``tuid`` = the sentence ID, ``creationid`` = the model (CAT
tools show it as the author), and ``<prop type="x-origin">machine-translation</prop>``
(or ``human-translation``), ``x-model``, ``x-engine`` and ``x-document`` so matches can be
filtered or penalised.

Languages are ``zh-CN`` and ``en`` unless the settings say otherwise
(:mod:`.languages`): TMX 1.4 takes RFC 3066 codes, and CAT tools match ``zh-CN`` to
simplified-Chinese projects (OmegaT warns about ``zh-Hans`` in a ``zh-CN`` project).

Nothing inside a TMX file makes a CAT tool treat its units as machine translation; the
folder it is put in does (OmegaT's ``tm/mt/``, docs/exports.md).  translate-toolkit writes
no timestamps (``creationdate`` is optional), so re-runs are byte-identical.
"""

from __future__ import annotations

from pathlib import Path

from .. import __version__
from ..fsutil import write_bytes_atomic
from ..model import Document
from .languages import CAT_SOURCE_LANG, CAT_TARGET_LANG
from .xmlsafe import clean

SOURCE_LANG = CAT_SOURCE_LANG
TARGET_LANG = CAT_TARGET_LANG
_ORIGINS = {"mt": "machine-translation", "llm": "machine-translation", "human": "human-translation"}


def tmx_bytes(doc: Document, *, source_lang: str = CAT_SOURCE_LANG, target_lang: str = CAT_TARGET_LANG) -> bytes:
    """The TMX of ``doc``'s translated sentences; ``source_lang``/``target_lang`` are the codes written."""
    from lxml import etree
    from translate.storage.tmx import tmxfile

    tmx = tmxfile(sourcelanguage=source_lang, targetlanguage=target_lang)
    header = tmx.document.getroot().find("header")
    header.set("creationtool", "annotate")
    header.set("creationtoolversion", __version__)
    header.set("o-tmf", "annotate")
    for s in doc.sentences:
        tr = s.english
        if tr is None or not tr.is_translation or not clean(s.text).strip():
            continue
        unit = tmx.addsourceunit(clean(s.text))
        unit.target = clean(tr.text)
        tu = unit.xmlelement
        tu.set("tuid", s.id)
        if tr.model:
            tu.set("creationid", clean(tr.model))
        # TMX wants <prop> before the <tuv>s.
        fields = (("x-origin", _ORIGINS[tr.origin]), ("x-model", tr.model), ("x-engine", tr.engine), ("x-document", doc.id))
        props = [(k, v) for k, v in fields if v]
        for i, (key, value) in enumerate(props):
            prop = etree.Element("prop", type=key)
            prop.text = clean(value)
            tu.insert(i, prop)
    return bytes(tmx)


def write_tmx(doc: Document, out_dir: Path, *, source_lang: str = CAT_SOURCE_LANG,
              target_lang: str = CAT_TARGET_LANG) -> Path:
    """Write ``out_dir/<doc.id>.tmx`` (a TMX with an empty body when nothing is translated)."""
    return write_bytes_atomic(out_dir / f"{doc.id}.tmx", tmx_bytes(doc, source_lang=source_lang, target_lang=target_lang))
