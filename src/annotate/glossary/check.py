"""What ``annotate glossary check`` looks for, cell by cell and across entries.

Cell checks run while a file is read (they need the raw cell); entry checks run on
the merged glossary.  Both return :class:`Problem` objects with file and line; none
raises.  The toolkit keeps using every entry it can: a problem that leaves an entry
usable (a made-up ID, a doubled space) is fixed in memory and reported.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..model import GlossaryEntry
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
    """Stray whitespace and full-width/half-width mix-ups in one cell."""
    out: list[Problem] = []

    def warn(message: str, hint: str) -> None:
        out.append(Problem(path, line, "warning", message, hint))

    if not value:
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

    Returns the entries linking can use, in order, with missing, invalid or reused IDs
    replaced, and the problems.  Of two entries with the same source the first is kept
    and the second reported."""
    problems: list[Problem] = []
    kept: list[GlossaryEntry] = []
    ids: dict[str, GlossaryEntry] = {}
    sources: dict[str, GlossaryEntry] = {}

    def report(e: GlossaryEntry, severity: str, message: str, hint: str = "") -> None:
        problems.append(Problem(e.file, e.line, severity, message, hint))  # type: ignore[arg-type]

    taken = {e.id for e in entries if e.id}
    for e in entries:
        if not e.id:
            e.id = pinyin_id(e.source, taken)
            taken.add(e.id)
            report(e, "error", f"no id for {e.source}; using {e.id} for now",
                   f"give every entry a stable id, e.g. {e.id} (lowercase pinyin joined by hyphens)")
        elif not ID_RE.match(e.id):
            bad = e.id
            e.id = pinyin_id(e.source, taken)
            taken.add(e.id)
            report(e, "error", f"invalid id {bad!r}; using {e.id} for now",
                   "an id is lowercase ASCII letters, digits and hyphens, starting with a letter, e.g. fang-guan-fu")
        if e.id in ids:
            first = ids[e.id]
            reused = e.id
            e.id = pinyin_id(e.source, taken | set(ids))
            taken.add(e.id)
            report(e, "error", f"id {reused} is already used at {first.file}:{first.line} ({first.source}); using {e.id} for now",
                   "give this entry its own id; never reuse an id, links and exports depend on it")
        ids[e.id] = e

        if not has_han(e.source):
            report(e, "error", f"source {e.source!r} has no Chinese characters",
                   "the source column holds the Chinese term, the target the English; columns swapped?")
        if e.source in sources:
            first = sources[e.source]
            if first.target.casefold() != e.target.casefold():
                report(e, "error", f"source {e.source} is also at {first.file}:{first.line} with target {first.target!r}; "
                       "this row is not used", "keep one entry and move the other English to its alternatives")
            else:
                report(e, "warning", f"source {e.source} is also at {first.file}:{first.line} (same target); this row is not used",
                       "delete one of the two rows")
            continue
        sources[e.source] = e
        kept.append(e)

    owner: dict[str, GlossaryEntry] = {}
    for e in kept:
        for v in e.variants:
            if v == e.source:
                report(e, "warning", f"variant {v} repeats the source", "remove it from variants")
            elif v in sources:
                other = sources[v]
                report(e, "error", f"variant {v} is also the source of {other.id} ({other.file}:{other.line}); "
                       f"it links to {other.id}", "a Chinese form belongs to one entry: remove the variant or merge the entries")
            elif v in owner and owner[v] is not e:
                other = owner[v]
                report(e, "error", f"variant {v} is also a variant of {other.id} ({other.file}:{other.line}); "
                       f"it links to {other.id}", "a Chinese form belongs to one entry: remove it from one of them")
            else:
                owner.setdefault(v, e)
        for form in e.forms:
            if len(form) == 1 and HAN_CHAR.match(form):
                report(e, "warning", f"one-character form {form} links every {form} in the texts",
                       "use a longer form, or accept that it matches inside other words")
    return kept, problems


def check_glossary(path: str | Path) -> list[Problem]:
    """Every problem of a glossary file or folder, sorted by file and line."""
    from .core import load_glossary

    return sorted(load_glossary(path).problems, key=lambda p: p.sort_key)
