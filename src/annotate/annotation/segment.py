"""Words and their jieba tags: jieba through spaCy's ``zh`` language (``segmenter: jieba``),
then split where UD Chinese splits what jieba keeps whole.

spaCy's tokenizer gives the words with character offsets; the tag is jieba's own
dictionary tag for the word, which is exactly what ``jieba.posseg`` returns for a
dictionary word, so we segment once instead of twice (``jieba.posseg`` would also
split ``15.4%`` apart).  spaCy's jieba segmenter and the POS tagger share one jieba
dictionary, so the project user dictionary and the glossary terms added here reach both.

UD splits (:func:`ud_split_cuts`, :meth:`Segmenter.ud_words`): jieba writes 一个,
这个, 成为, 博物馆, 委员会 as one word; UD Chinese writes 一|个, 这|个, 成|为,
博物|馆, 委员|会.  Three rules, measured on UD_Chinese-GSDSimp dev: a numeral or
demonstrative + one classifier character is split; a word of 3+ characters that is a
dictionary word + one suffix character is split; and the words of ``data/ud-splits.tsv``
(learned from dev by scripts/train_upos.py: 因此 → 因|此, 位于 → 位|于) are split where the
table says.  Glossary terms and named entities are never split (the annotator passes
their spans as protected), and a number is never merged with 年/月/日 (UD writes
2009|年; the date is a TIME entity instead).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from .upos import is_punct

USER_DICT = Path(__file__).resolve().parents[1] / "data" / "userdict.txt"

UD_SPLITS = Path(__file__).resolve().parents[1] / "data" / "ud-splits.tsv"

NUMBER = re.compile(r"^[0-9０-９]+(?:[.,][0-9]+)*$")
_PERCENT = re.compile(r"^[0-9]+(?:\.[0-9]+)?[%‰]$")
#: Numerals and demonstratives that UD writes apart from a following classifier (一|个, 这|个, 第一|个).
NUMERAL_CHARS = set("0123456789０１２３４５６７８９一二三四五六七八九十百千万亿两零〇几数多半余这那每各某该此首")
#: Classifiers (and the units of dates and ages) that UD writes as their own word.  Not 些, 样,
#: 般, 切, 起, 定, 直, 道: 一些, 一样, 一般, 一切, 一起, 一定, 一直, 一道 are words of their own.
CLASSIFIERS = set("个种年岁月日号时天周座名层队部楼条门侧段支所篇人度副位次批件届家项台辆艘架只头匹本封份级类把块片根枚颗粒组场轮栋幢例笔户句章期")
#: Suffixes UD writes apart after a dictionary word of two or more characters (博物|馆, 消费|者):
#: each was split in at least 3 of 4 cases in UD_Chinese-GSDSimp dev.
SUFFIXES = set("会机法性局馆员区量赛队市化物者品省国军室教人舰语商县币家站州长场业门院生于着")

Word = tuple[int, int, str]  # (start, end, tag), offsets into the segmented text


@lru_cache(maxsize=1)
def _silence_jieba() -> None:
    import jieba

    jieba.setLogLevel(logging.WARNING)  # "Building prefix dict..." on stderr


def _pos_tokenizer(tokenizer):
    """``jieba.posseg.POSTokenizer(tokenizer)`` without parsing dict.txt a second time: importing
    jieba.posseg already read the word tags of the same default dictionary (``jieba.posseg.dt``), and
    POSTokenizer's own constructor would read all 349k lines again (~1 s a process)."""
    import jieba
    import jieba.posseg

    class SharedTags(jieba.posseg.POSTokenizer):
        def __init__(self, tok) -> None:  # noqa: ANN001 - jieba's own type
            self.tokenizer = tok
            self.word_tag_tab = dict(jieba.posseg.dt.word_tag_tab)

    if tokenizer.dictionary != jieba.dt.dictionary:  # another main dictionary: read its tags
        return jieba.posseg.POSTokenizer(tokenizer)
    return SharedTags(tokenizer)


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
        self._added = set(self.words_added)
        self._oov_tags: dict[str, str] = {}
        self._jieba = jieba.Tokenizer()
        self._jieba.load_userdict(str(USER_DICT))
        for w in self.words_added:
            # suggest_freq makes jieba prefer the whole term over its pieces.
            self._jieba.add_word(w, freq=max(self._jieba.suggest_freq(w), 3), tag="n")
        self._posseg = _pos_tokenizer(self._jieba)
        self._posseg.makesure_userdict_loaded()  # user tags (大连 ns) in before the first word
        self._tags: dict[str, str] = self._posseg.word_tag_tab
        # Built as "char" then switched to our jieba: with "jieba" spaCy would first load jieba's
        # default dictionary too (a second ~1 s load per process) only for us to replace it.
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
        nlp.tokenizer.segmenter = "jieba"
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
        return out

    def ud_words(self, words: list[Word], text: str, protected: Iterable[tuple[int, int]] = ()) -> list[Word]:
        """``words`` split as UD splits them; a word inside a protected span (a glossary term,
        a named entity) stays whole, and so does every word added to this dictionary."""
        keep = sorted(protected)
        out: list[Word] = []
        for s, e, tag in words:
            w = text[s:e]
            if len(w) < 2 or w in self._added or any(a <= s and e <= b for a, b in keep):
                out.append((s, e, tag))
                continue
            pieces = _cut(s, e, ud_split_cuts(w, self))
            for a, b in list(pieces):
                more = _ud_table().get(text[a:b])
                if more:
                    i = pieces.index((a, b))
                    pieces[i : i + 1] = _cut(a, b, more)
            if len(pieces) == 1:
                out.append((s, e, tag))
            else:
                out += [(a, b, self.tag(text[a:b])) for a, b in pieces]
        return out

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
        cached = self._oov_tags.get(word)
        if cached is None:  # jieba's HMM tagger is slow: once per word outside the dictionary
            pairs = self._posseg.lcut(word, HMM=True)
            cached = pairs[0].flag if len(pairs) == 1 else "n"
            if len(self._oov_tags) < 200_000:
                self._oov_tags[word] = cached
        return cached


def ud_split_cuts(word: str, seg: Segmenter) -> tuple[int, ...]:
    """Where the general rules split ``word`` (offsets inside it); () to keep it whole."""
    if len(word) >= 2 and word[-1] in CLASSIFIERS:
        numeral = word[:-1].removeprefix("第")
        if numeral and all(c in NUMERAL_CHARS for c in numeral):
            return (len(word) - 1,)
    if len(word) >= 3 and word[-1] in SUFFIXES and word[:-1] in seg._tags and not seg.tag(word).startswith("nr"):
        return (len(word) - 1,)
    return ()


def _cut(s: int, e: int, cuts: Iterable[int]) -> list[tuple[int, int]]:
    bounds = [s, *[s + c for c in cuts], e]
    return list(zip(bounds, bounds[1:], strict=False))


@lru_cache(maxsize=1)
def _ud_table() -> dict[str, tuple[int, ...]]:
    """data/ud-splits.tsv: word → split offsets ({} before the first training run)."""
    if not UD_SPLITS.exists():
        return {}
    table: dict[str, tuple[int, ...]] = {}
    for line in UD_SPLITS.read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            word, cuts = line.split("\t")
            table[word] = tuple(int(c) for c in cuts.split(","))
    return table
