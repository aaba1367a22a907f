"""What ``annotate glossary check`` looks for, cell by cell and across entries.

Cell checks run while a file is read (they need the raw cell); entry checks run on
the merged glossary.  Both return :class:`Problem` objects with file and line; none
raises.  An *error* means the row is not used (linking, translation and exports never
see it); a *warning* means the row is used as read (a doubled space removed, quotation
marks a spreadsheet added taken off).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..model import GlossaryEntry
from ..textio import XML_ILLEGAL
from ..zh import FULLWIDTH_ALNUM_SPACE, FULLWIDTH_PUNCT, HAN, HAN_CHAR, has_han
from .ids import ID_RE, pinyin_id
from .problems import Problem

CHINESE_COLUMNS = ("source", "variants")
ENGLISH_COLUMNS = ("target", "alternatives", "definition")

_HALFWIDTH_PUNCT = re.compile(r"[,;:()!?]")
_FULLWIDTH_DIGITS = re.compile("[\uff10-\uff19\uff05]")  # ingestion turns ０-９ and ％ into ASCII
_SPACE_IN_HAN = re.compile(f"(?<=[{HAN}])[ \u00a0\u3000]+(?=[{HAN}])")
_STRAY = re.compile(r"^\s|\s$|\s\s|[\u00a0\u3000]")


def normalise_cell(column: str, value: str) -> str:
    """The value the toolkit uses: whitespace trimmed and collapsed; no spaces inside Chinese terms."""
    value = " ".join(value.split())
    if column in CHINESE_COLUMNS:
        value = _SPACE_IN_HAN.sub("", value)
    return value


def cell_problems(path: str, line: int, column: str, value: str) -> list[Problem]:
    """Characters XML cannot carry (an error), stray whitespace and full-width/half-width mix-ups."""
    out: list[Problem] = []

    def warn(message: str, hint: str) -> None:
        out.append(Problem(path, line, "warning", message, hint))

    if not value:
        return out
    bad = XML_ILLEGAL.search(value)
    if bad:
        # TBX, TEI and TMX could not carry the cell, and it is invisible in most editors.
        out.append(Problem(path, line, "error", f"{column} holds the control character U+{ord(bad.group()):04X} "
                           f"(after {value[:bad.start()][-20:]!r}); the row is not used",
                           "delete it: it is invisible in most editors, and XML exports cannot carry it"))
        return out
    if _STRAY.search(value):
        warn(f"stray whitespace in {column} {value!r}", "remove leading, trailing and double spaces")
    elif column in CHINESE_COLUMNS and _SPACE_IN_HAN.search(value):
        warn(f"space inside the Chinese term {value!r}; read without it",
             "the texts have no spaces between Chinese characters, so the term would never be found")
    if column in ENGLISH_COLUMNS:
        if FULLWIDTH_ALNUM_SPACE.search(value):
            warn(f"full-width letters, digits or spaces in English {column} {value!r}",
                 "use half-width (ordinary) letters, digits and spaces in English")
        elif column != "definition" and FULLWIDTH_PUNCT.search(value):
            warn(f"full-width punctuation in English {column} {value!r}", "use half-width punctuation ( , ; : ( ) \" ) in English")
    if column in CHINESE_COLUMNS:
        if _HALFWIDTH_PUNCT.search(value):
            warn(f"half-width punctuation in Chinese {column} {value!r}", "use full-width punctuation (，；：（）！？) in Chinese")
        if _FULLWIDTH_DIGITS.search(value):
            warn(f"full-width digits in Chinese {column} {value!r}",
                 "ingestion turns ０-９ and ％ into 0-9 and %, so write them half-width or the term is never found")
    if column in ("variants", "alternatives") and "｜" in value:
        warn(f"full-width ｜ separates {column}", "separate them with a half-width | (read the same way for now)")
    return out


def entry_problems(entries: list[GlossaryEntry]) -> tuple[list[GlossaryEntry], list[Problem]]:
    """Checks across entries and files: IDs, sources, variants.

    Returns the entries linking can use, in order, and the problems.  An entry with an
    error is not used (its message says so): a made-up ID would change the links and
    exports as soon as the translator fixes it, a source without Chinese characters
    (``AI``) would link inside English words (``SAID``), and a variant that belongs to
    two entries has no right owner.  Of two entries with the same ID or source, the first
    is kept and the second reported."""
    problems: list[Problem] = []

    def report(e: GlossaryEntry, severity: str, message: str, hint: str = "") -> None:
        problems.append(Problem(e.file, e.line, severity, message, hint))  # type: ignore[arg-type]

    taken = {e.id for e in entries if e.id}
    usable: list[GlossaryEntry] = []
    for e in entries:
        if not e.id:
            report(e, "error", f"no id for {e.source}; the row is not used",
                   f"give every entry a stable id, e.g. {pinyin_id(e.source, taken)} (lowercase pinyin joined by hyphens)")
        elif not ID_RE.match(e.id):
            report(e, "error", f"invalid id {e.id!r}; the row is not used",
                   f"an id is lowercase ASCII letters, digits and hyphens, starting with a letter, e.g. {pinyin_id(e.source, taken)}")
        elif not has_han(e.source):
            report(e, "error", f"source {e.source!r} has no Chinese characters; the row is not used",
                   "the source column holds the Chinese term, the target the English; columns swapped?")
        else:
            usable.append(e)

    ids: dict[str, GlossaryEntry] = {}
    sources: dict[str, GlossaryEntry] = {}
    kept: list[GlossaryEntry] = []
    for e in usable:
        if e.id in ids:
            first = ids[e.id]
            report(e, "error", f"id {e.id} is already used at {first.file}:{first.line} ({first.source}); the row is not used",
                   f"give this entry its own id, e.g. {pinyin_id(e.source, taken)}; never reuse an id, links and exports depend on it")
            continue
        if e.source in sources:
            first = sources[e.source]
            if first.target.casefold() != e.target.casefold():
                report(e, "error", f"source {e.source} is also at {first.file}:{first.line} with target {first.target!r}; "
                       "the row is not used", "keep one entry and move the other English to its alternatives")
            else:
                report(e, "warning", f"source {e.source} is also at {first.file}:{first.line} (same target); this row is not used",
                       "delete one of the two rows")
            continue
        ids[e.id] = sources[e.source] = e
        kept.append(e)

    owner: dict[str, GlossaryEntry] = {}
    final: list[GlossaryEntry] = []
    for e in kept:
        clash = False
        for v in e.variants:
            if v == e.source:
                report(e, "warning", f"variant {v} repeats the source", "remove it from variants")
            elif v in sources:
                other = sources[v]
                report(e, "error", f"variant {v} is also the source of {other.id} ({other.file}:{other.line}); "
                       "the row is not used", "a Chinese form belongs to one entry: remove the variant or merge the entries")
                clash = True
            elif v in owner:
                other = owner[v]
                report(e, "error", f"variant {v} is also a variant of {other.id} ({other.file}:{other.line}); "
                       "the row is not used", "a Chinese form belongs to one entry: remove it from one of them")
                clash = True
        if clash:
            continue
        for v in e.variants:
            owner.setdefault(v, e)
        final.append(e)
        for form in e.forms:
            if len(form) == 1 and HAN_CHAR.match(form):
                report(e, "warning", f"one-character form {form} links every {form} in the texts",
                       "use a longer form, or accept that it matches inside other words")
    return final, problems


def check_glossary(path: str | Path) -> list[Problem]:
    """Every problem of a glossary file or folder, sorted by file and line."""
    from .core import load_glossary

    return sorted(load_glossary(path).problems, key=lambda p: p.sort_key)
