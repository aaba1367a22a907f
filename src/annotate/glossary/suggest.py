"""Candidate terms the glossary lacks, as draft rows a translator can review and paste in.

Four kinds of candidate, typical of Chinese policy language:

* ``quoted``: expressions in Chinese quotation marks (“双轮驱动”, “不见面审批”): news
  writing quotes a slogan or policy name the first times it uses it;
* ``abbreviation``: shortened forms of existing entries found in the text, as Chinese
  abbreviates: the first and the last character of the entry and, between them, the
  first or last characters of some of its words, in order (自贸区 for 自由贸易试验区,
  规上企业 for 规模以上企业), standing as a word of its own in the text;
* ``new-word``: words jieba finds with its HMM but its dictionary does not know;
* ``compound``: two dictionary words that keep appearing together, in at least half
  the uses of each (营商 + 环境; not 同比 + 增长, as 增长 is everywhere).

Occurrences inside a linked glossary term do not count.  The frequency is the number
of occurrences anywhere in the corpus outside glossary terms.  Works on ingested text
(no annotation, no translation model): sentences come from the splitter, words from
jieba.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Document, GlossaryEntry
from ..zh import ONLY_HAN, count_han
from .core import Glossary

KINDS = ("quoted", "abbreviation", "new-word", "compound")

_QUOTED = re.compile(r"[“「『]([^“”「」『』，。；！？、,;!?\s]{2,16})[”」』]")


@dataclass
class Candidate:
    term: str
    kind: str  # one of KINDS
    count: int  # occurrences in the corpus outside glossary terms
    example: str  # a sentence where it occurs
    where: str  # ID of the example's sentence
    gloss: str = ""  # draft English
    gloss_source: str = ""  # how: "CC-CEDICT", "CC-CEDICT, via …", "CC-CEDICT, word by word", "the English of …"
    related: str = ""  # for an abbreviation: the ID of the entry it shortens

    def as_entry(self, entry_id: str) -> GlossaryEntry:
        """A draft glossary row: frequency and example in the comment, CC-CEDICT as reference."""
        note = f"suggested ({self.kind}), {self.count}x; e.g. {self.where}: {self.example}"
        if self.related:
            note += f"; abbreviation of {self.related}?"
        if self.gloss_source:
            note += f"; draft English: {self.gloss_source}"
        ref = "CC-CEDICT (CC BY-SA 4.0), https://cc-cedict.org" if self.gloss_source.startswith("CC-CEDICT") else ""
        return GlossaryEntry(
            id=entry_id,
            source=self.term,
            target=self.gloss or "TODO",  # never empty: an empty target would make the pasted row an error
            comment=note,
            status="draft",
            variants=[],
            source_ref=ref,
        )


def suggest(docs: Iterable[Document], glossary: Glossary, *, limit: int = 50, min_count: int = 2) -> list[Candidate]:
    """Ranked candidates: by kind (quoted, abbreviation, new word, compound), then frequency.

    ``min_count`` applies to new words and compounds (found by statistics, so one
    occurrence says little); a quoted expression or an abbreviation counts from one."""
    import jieba

    from ..annotation.sentences import split_sentences

    jieba.initialize()
    known = set(glossary.forms())
    found: dict[str, tuple[str, str]] = {}  # term → (kind, related entry ID)
    examples: dict[str, tuple[str, str]] = {}  # term → (sentence, where)
    word_counts: Counter = Counter()
    pair_counts: Counter = Counter()
    new_words: Counter = Counter()
    abbreviations = _AbbreviationFinder(glossary.entries, known)
    texts: list[tuple[str, list[tuple[int, int]], str, list[tuple[int, int, str]]]] = []

    for doc in docs:
        for block in doc.blocks():
            text = block.text
            masked = [(t.start, t.end) for t in glossary.matches(text)]
            sentences = [(s, e, f"{block.id}.s{i}") for i, (s, e) in enumerate(split_sentences(text), 1)]
            texts.append((text, masked, block.id, sentences))
            free = _free(len(text), masked)
            for m in _QUOTED.finditer(text):
                term = m.group(1)
                if count_han(term) >= 2 and term not in known and all(free[m.start(1):m.end(1)]):
                    found.setdefault(term, ("quoted", ""))
            words_at: list[tuple[int, str]] = []  # (start, word) of every word of the block
            for s, e, _ in sentences:
                words_at += _words(jieba, text, s, e)
            bounds = {a for a, _ in words_at} | {a + len(w) for a, w in words_at}
            for term, entry_id in abbreviations.find(text, free, bounds):
                found.setdefault(term, ("abbreviation", entry_id))
            usable = [w if ONLY_HAN.match(w) and all(free[a:a + len(w)]) else "" for a, w in words_at]
            word_counts.update(w for w in usable if w)
            for (a, wa), (b, _), ua, ub in zip(words_at, words_at[1:], usable, usable[1:], strict=False):
                if ua and ub and a + len(wa) == b:
                    pair_counts[(ua, ub)] += 1
            for w in usable:
                if len(w) >= 2 and w not in jieba.dt.FREQ:
                    new_words[w] += 1

    for w, n in new_words.items():
        if n >= min_count and w not in known:
            found.setdefault(w, ("new-word", ""))
    for (a, b), n in pair_counts.items():
        term = a + b
        # Cohesion: the pair makes up at least half the uses of each of its words, so
        # it is a unit (营商环境), not two common words that often meet (同比 增长).
        if (n >= min_count and len(a) >= 2 and len(b) >= 2 and len(term) <= 8 and term not in known
                and term not in jieba.dt.FREQ and n * 2 >= max(word_counts[a], word_counts[b])):
            found.setdefault(term, ("compound", ""))

    counts = _count(found, texts, examples)
    rank = {k: i for i, k in enumerate(KINDS)}
    # A quoted ordinary word (“加法”, scare quotes) ranks after quoted coinages.
    ranked = sorted((t for t in found if counts.get(t)),
                    key=lambda t: (rank[found[t][0]], t in jieba.dt.FREQ, -counts[t], t))[:limit]
    from .cedict import draft_gloss

    out: list[Candidate] = []
    for term in ranked:
        kind, related = found[term]
        if related:
            gloss, how = glossary.by_id[related].target, f"the English of {related}"
        else:
            gloss, how = draft_gloss(term)
        sentence, where = examples[term]
        out.append(Candidate(term, kind, counts[term], sentence, where, gloss, how, related))
    return out


def draft_entries(candidates: list[Candidate], glossary: Glossary) -> list[GlossaryEntry]:
    """Draft rows with IDs that clash with no glossary ID (pinyin of the term)."""
    from .ids import pinyin_id

    taken = set(glossary.by_id)
    rows = []
    for c in candidates:
        entry_id = pinyin_id(c.term, taken)
        taken.add(entry_id)
        rows.append(c.as_entry(entry_id))
    return rows


def _free(n: int, masked: list[tuple[int, int]]) -> bytearray:
    """1 where a character is outside every glossary term, 0 inside one."""
    free = bytearray(b"\1" * n)
    for s, e in masked:
        free[s:e] = bytes(e - s)
    return free


def _words(jieba, text: str, start: int, end: int) -> list[tuple[int, str]]:
    """jieba's words of the sentence text[start:end], with their offsets in ``text``."""
    out: list[tuple[int, str]] = []
    pos = start
    for w in jieba.cut(text[start:end], HMM=True):
        out.append((pos, w))
        pos += len(w)
    return out


def _count(found: dict[str, tuple[str, str]], texts, examples: dict[str, tuple[str, str]]) -> Counter:
    """Occurrences of every candidate outside glossary terms, and the first sentence of each."""
    import ahocorasick

    counts: Counter = Counter()
    if not found:
        return counts
    automaton = ahocorasick.Automaton()
    for term in found:
        automaton.add_word(term, term)
    automaton.make_automaton()
    for text, masked, block_id, sentences in texts:
        free = _free(len(text), masked)
        for end, term in automaton.iter(text):
            start = end + 1 - len(term)
            if not all(free[start:end + 1]):
                continue
            counts[term] += 1
            if term not in examples:
                s, e, sid = next(((s, e, sid) for s, e, sid in sentences if s <= start < e), (0, len(text), block_id))
                examples[term] = (_excerpt(text[s:e], start - s, len(term)), sid)
    return counts


def _excerpt(sentence: str, at: int, length: int, width: int = 60) -> str:
    """The sentence, or a window of it around the occurrence when it is long."""
    if len(sentence) <= width:
        return sentence
    a = max(0, min(at - (width - length) // 2, len(sentence) - width))
    return ("…" if a else "") + sentence[a:a + width] + ("…" if a + width < len(sentence) else "")


class _AbbreviationFinder:
    """Shortened forms of entries (see the module docstring for the rule)."""

    def __init__(self, entries: list[GlossaryEntry], known: set[str]) -> None:
        self.known = known
        self._entries = entries
        self._by_first: dict[str, list[tuple[str, str, list[tuple[int, int]]]]] | None = None

    def _prepare(self) -> dict[str, list[tuple[str, str, list[tuple[int, int]]]]]:
        import jieba

        by_first: dict[str, list[tuple[str, str, list[tuple[int, int]]]]] = defaultdict(list)
        for e in self._entries:
            for form in e.forms:
                if len(form) < 3 or not ONLY_HAN.match(form):
                    continue
                spans, pos = [], 0
                for w in jieba.cut(form, HMM=False):
                    # Abbreviations draw on two-character words: 自由贸易 counts as 自由|贸易.
                    step = 2 if len(w) >= 4 and len(w) % 2 == 0 else len(w)
                    for k in range(0, len(w), step):
                        spans.append((pos + k, pos + min(k + step, len(w))))
                    pos += len(w)
                if len(spans) >= 2:
                    by_first[form[0]].append((form, e.id, spans))
        return by_first

    def find(self, text: str, free: bytearray, bounds: set[int]) -> list[tuple[str, str]]:
        """(abbreviation, entry ID) for every abbreviation occurring in ``text`` outside
        glossary terms and on word boundaries (``bounds``: offsets where words start or end)."""
        if self._by_first is None:
            self._by_first = self._prepare()
        out = []
        for i in bounds:
            c = text[i] if i < len(text) else ""
            if c not in self._by_first or not free[i]:
                continue
            for form, entry_id, spans in self._by_first[c]:
                for n in range(2, min(len(form), 7)):
                    cand = text[i:i + n]
                    if (len(cand) == n and i + n in bounds and cand[-1] == form[-1] and cand not in self.known
                            and cand not in form and all(free[i:i + n]) and _abbreviates(cand, form, spans)):
                        out.append((cand, entry_id))
        return out


def _abbreviates(short: str, form: str, spans: list[tuple[int, int]]) -> bool:
    """Whether ``short`` is made of pieces of some of ``form``'s words, in order: of each
    word used, the whole word, its first or its last character; the first word and the
    last word must be used.

    规上企业 ← 规模|以上|工业|企业: 规 (first of 规模), 上 (last of 以上), 企业 (whole)."""
    words = [form[a:b] for a, b in spans]
    last = len(words) - 1

    def walk(k: int, first_word: int) -> bool:
        for j in range(first_word, len(words) if k else 1):
            for piece in {words[j], words[j][0], words[j][-1]}:
                if not short.startswith(piece, k):
                    continue
                if k + len(piece) == len(short):
                    if j == last:
                        return True
                elif walk(k + len(piece), j + 1):
                    return True
        return False

    return walk(0, 0)
