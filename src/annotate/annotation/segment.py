"""Words and their jieba tags: jieba through spaCy's ``zh`` language (``segmenter: jieba``).

spaCy's tokenizer gives the words with character offsets; the tag is jieba's own
dictionary tag for the word, which is exactly what ``jieba.posseg`` returns for a
dictionary word, so we segment once instead of twice (``jieba.posseg`` would also
split ``15.4%`` apart).  spaCy's jieba segmenter and the POS tagger share one jieba
dictionary, so the project user dictionary and the glossary terms added here reach both.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from .upos import is_punct

USER_DICT = Path(__file__).resolve().parents[1] / "data" / "userdict.txt"

NUMBER = re.compile(r"^[0-9０-９]+(?:[.,][0-9]+)*$")
_PERCENT = re.compile(r"^[0-9]+(?:\.[0-9]+)?[%‰]$")
#: A number followed by one of these is one time noun: 2019年, 5日.
DATE_UNITS = {"年", "月", "日", "号", "时"}

Word = tuple[int, int, str]  # (start, end, tag), offsets into the segmented text


@lru_cache(maxsize=1)
def _silence_jieba() -> None:
    import jieba

    jieba.setLogLevel(logging.WARNING)  # "Building prefix dict..." on stderr


class Segmenter:
    """jieba words with tags; ``extra_words`` (glossary forms) are added to the dictionary first.

    Each Segmenter has its own jieba dictionary (a ``jieba.Tokenizer``, which spaCy's
    tokenizer and the POS tagger share), so words added for one glossary never leak
    into another Annotator in the same process: output depends only on its inputs."""

    def __init__(self, extra_words: Iterable[str] = ()) -> None:
        _silence_jieba()
        import jieba
        import jieba.posseg
        import spacy

        self.words_added = sorted({w.strip() for w in extra_words if w and w.strip()})
        self._jieba = jieba.Tokenizer()
        self._jieba.load_userdict(str(USER_DICT))
        for w in self.words_added:
            # suggest_freq makes jieba prefer the whole term over its pieces.
            self._jieba.add_word(w, freq=max(self._jieba.suggest_freq(w), 3), tag="n")
        self._posseg = jieba.posseg.POSTokenizer(self._jieba)
        self._posseg.makesure_userdict_loaded()  # user tags (大连 ns) in before the first word
        self._tags: dict[str, str] = self._posseg.word_tag_tab
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
        nlp.tokenizer.jieba_seg = self._jieba  # spaCy calls .cut(text, cut_all=False) on it
        self._tokenizer = nlp.tokenizer

    @staticmethod
    @lru_cache(maxsize=4)
    def shared(extra_words: tuple[str, ...] = ()) -> Segmenter:
        """One Segmenter per word list and process (building one loads jieba's dictionary, ~1 s)."""
        return Segmenter(extra_words)

    def words(self, text: str) -> list[Word]:
        """The words of ``text`` (whitespace dropped) with their jieba tags."""
        out: list[Word] = []
        for tok in self._tokenizer(text):
            if tok.is_space or not tok.text.strip():
                continue
            out.append((tok.idx, tok.idx + len(tok.text), self.tag(tok.text)))
        return merge_dates(out, text)

    def posseg(self, text: str) -> list[tuple[str, str]]:
        """``jieba.posseg.lcut`` with this dictionary: (word, tag) pairs (benchmarks and comparisons)."""
        return [(p.word, p.flag) for p in self._posseg.lcut(text)]

    def tag(self, word: str) -> str:
        """jieba's tag for one word; its HMM tagger only for words outside the dictionary."""
        tag = self._tags.get(word)
        if tag:
            return tag
        if NUMBER.match(word) or _PERCENT.match(word):
            return "m"
        if word.isascii() and any(c.isalpha() for c in word):
            return "eng"
        if is_punct(word):
            return "x"
        pairs = self._posseg.lcut(word, HMM=True)
        return pairs[0].flag if len(pairs) == 1 else "n"


def merge_dates(words: list[Word], text: str, keep_apart: Iterable[int] = ()) -> list[Word]:
    """2019 + 年 → 2019年 (a time noun, as newspapers mean it); never across ``keep_apart`` offsets."""
    keep = set(keep_apart)
    out: list[Word] = []
    for w in words:
        if out and out[-1][1] == w[0] and w[0] not in keep and text[w[0] : w[1]] in DATE_UNITS and NUMBER.match(text[out[-1][0] : out[-1][1]]):
            out[-1] = (out[-1][0], w[1], "t")
        else:
            out.append(w)
    return out
