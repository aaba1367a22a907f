"""Checks across entries and files: IDs, duplicated sources, variants, widths, Latin-only terms.

Returns the entries that linking can use (with IDs made unique) and the problems;
nothing is dropped without a problem naming its file and line.
"""

from __future__ import annotations

import hashlib
import re

from ..model import GlossaryEntry
from .tsv import ID_RE, Problem

_FULLWIDTH_LATIN = re.compile("[\uff01-\uff5e\u3000]")  # Ａ-ｚ, ０-９, full-width punctuation, ideographic space
_HALFWIDTH_IN_CHINESE = re.compile(r"[,;:()!?]")
_HAN = re.compile(r"[\u3400-\u9fff]")


def cross_entry_problems(entries: list[GlossaryEntry]) -> tuple[list[GlossaryEntry], list[Problem]]:
    problems: list[Problem] = []
    kept: list[GlossaryEntry] = []
    ids: dict[str, GlossaryEntry] = {}
    sources: dict[str, GlossaryEntry] = {}

    def add(e: GlossaryEntry, severity: str, message: str, hint: str = "") -> None:
        problems.append(Problem(e.file, e.line, severity, message, hint))

    for e in entries:
        if not e.id:
            e.id = "g-" + hashlib.sha1(e.source.encode()).hexdigest()[:8]
            add(e, "warning", f"no id for {e.source}; using {e.id}", "give every entry a stable id (lowercase pinyin, e.g. fang-guan-fu)")
        elif not ID_RE.match(e.id):
            add(e, "error", f"invalid id {e.id!r}", "ids are lowercase ASCII letters, digits and hyphens, starting with a letter")
            e.id = "g-" + re.sub(r"[^a-z0-9-]", "-", e.id.lower()).strip("-")
        if e.id in ids:
            first = ids[e.id]
            add(e, "error", f"id {e.id} is already used at {first.file}:{first.line}", "give this entry its own id")
            e.id = f"{e.id}-{e.line}"
        ids[e.id] = e
        if not _HAN.search(e.source):
            add(e, "error" if e.source.isascii() else "warning", f"source {e.source!r} has no Chinese characters",
                "the source column holds the Chinese term; swapped columns?")
        if _FULLWIDTH_LATIN.search(e.target) or any(_FULLWIDTH_LATIN.search(a) for a in e.alternatives):
            add(e, "warning", f"full-width characters in the English of {e.source}", "use half-width letters, digits and punctuation in English")
        for form in e.forms:
            if _HALFWIDTH_IN_CHINESE.search(form):
                add(e, "warning", f"half-width punctuation in Chinese form {form!r}", "use full-width punctuation (，；：（）) in Chinese")
        if e.source in sources:
            first = sources[e.source]
            if first.target.casefold() != e.target.casefold():
                add(e, "error", f"source {e.source} is also at {first.file}:{first.line} with target {first.target!r}",
                    "keep one entry, and move the other rendering to alternatives")
                continue
            add(e, "warning", f"source {e.source} is also at {first.file}:{first.line} (same target)", "remove the duplicate")
            continue
        sources[e.source] = e
        kept.append(e)
    for e in kept:
        for v in e.variants:
            if v in sources and sources[v] is not e:
                other = sources[v]
                add(e, "error", f"variant {v} is also the source of {other.id} ({other.file}:{other.line})",
                    "a Chinese form may belong to one entry only")
    return kept, problems
