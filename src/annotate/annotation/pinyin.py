"""Pinyin for tokens, chosen in context.

pypinyin resolves polyphones from its phrase dictionary, so it must see whole words:
a token in that dictionary goes to pypinyin as a pre-segmented word, which gives
银行 yín háng, 增长 zēng zhǎng.  A token the dictionary lacks (重庆市, 音乐节,
商业银行, or a piece UD splitting cut from a phrase: 还|有) would be read character by
character with each character's default reading, so for those the reading comes from
pypinyin run on the whole sentence, where its own phrase matching sees the context
(:func:`sentence_pinyin`).  pypinyin cannot see parts of speech, so for
single-character words whose reading follows the POS (地 de/dì, 长 cháng/zhǎng,
为 wèi/wéi, 了 le/liǎo) the tagger's UPOS decides, and a short table fixes the few
newspaper words its dictionary gets wrong.  Numbered tones for search come from the
same result (``háng`` → ``hang2``, neutral tone ``de5``).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from pypinyin import Style, pinyin
from pypinyin.constants import PHRASES_DICT, PINYIN_DICT
from pypinyin.contrib.tone_convert import to_tone3

from ..zh import HAN_CHAR, has_han


def is_han(ch: str) -> bool:
    return HAN_CHAR.match(ch) is not None  # the regular expression is much faster than zh.is_han's loop

#: Single-character words read by part of speech: (character, UPOS) → reading.
POS_READINGS: dict[tuple[str, str], str] = {
    ("地", "PART"): "de", ("得", "PART"): "de",
    ("长", "ADJ"): "cháng", ("长", "VERB"): "zhǎng", ("长", "NOUN"): "zhǎng",
    ("为", "ADP"): "wèi", ("为", "VERB"): "wéi", ("为", "AUX"): "wéi",
    ("还", "ADV"): "hái", ("还", "VERB"): "huán",
    ("了", "PART"): "le", ("了", "AUX"): "le", ("了", "VERB"): "liǎo",
    ("着", "PART"): "zhe", ("着", "AUX"): "zhe",
    ("的", "PART"): "de", ("的", "SCONJ"): "de",
    ("得", "VERB"): "dé", ("地", "NOUN"): "dì",
    ("种", "VERB"): "zhòng", ("种", "NOUN"): "zhǒng",
    ("数", "VERB"): "shǔ", ("数", "NOUN"): "shù",
    ("处", "VERB"): "chǔ", ("处", "NOUN"): "chù",
    ("只", "ADV"): "zhǐ", ("只", "NOUN"): "zhī",
    ("重", "ADJ"): "zhòng",
}  # fmt: skip

#: Words pypinyin's phrase dictionary lacks, read wrongly character by character.
CORRECTIONS: dict[str, tuple[str, ...]] = {
    "图为": ("tú", "wéi"),  # photo captions: "pictured is"
    "世行": ("shì", "háng"),  # World Bank
    "重整": ("chóng", "zhěng"),
    "长兴岛": ("cháng", "xīng", "dǎo"),  # Dalian's Changxing Island
}


#: Degree adverb + one character, written as one word by jieba (很长, 最为): the second
#: character is then an adjective or the copula 为, whatever its default reading.
_DEGREE = set("很太更最较挺极颇尤")
_AFTER_DEGREE = {"长": "cháng", "为": "wéi", "重": "zhòng"}


def sentence_pinyin(text: str, spans: Sequence[tuple[int, int]], upos: Sequence[str]) -> list[tuple[str, str]]:
    """(tone marks, numbered) for each token span of a sentence ``text``.

    A token pypinyin's phrase dictionary lacks that has a polyphonic character, and is
    not a single character read by its POS, takes the reading pypinyin gives that
    stretch of the whole sentence (computed once, and only when a token needs it)."""
    out: list[tuple[str, str]] = []
    runs: dict[int, tuple[str, ...]] = {}  # start of a Han run → pypinyin's readings of the run
    for (s, e), u in zip(spans, upos, strict=True):
        word = text[s:e]
        if not _needs_context(word, u, text, s):
            out.append(token_pinyin(word, u))
            continue
        marks = _token_marks(word, _context_readings(text, s, e, runs))
        out.append((" ".join(marks), " ".join(_tone3(m) for m in marks)))
    return out


def _context_readings(text: str, s: int, e: int, runs: dict[int, tuple[str, ...]]) -> list[str]:
    """The readings of ``text[s:e]`` as pypinyin gives them in the whole sentence.

    pypinyin cuts its input into runs of Han characters and matches phrases within each run
    only, so the runs the token touches give the same readings as the whole sentence, at a
    fraction of the cost (a clause instead of the sentence, each run read once)."""
    out: list[str] = []
    i = s
    while i < e:
        if not is_han(text[i]):
            out.append("")
            i += 1
            continue
        a = i
        while a > 0 and is_han(text[a - 1]):
            a -= 1
        if a not in runs:
            b = i
            while b < len(text) and is_han(text[b]):
                b += 1
            runs[a] = _run_readings(text[a:b])
        readings = runs[a]
        while i < e and i - a < len(readings):
            out.append(readings[i - a])
            i += 1
    return out


def _needs_context(word: str, upos: str, text: str, s: int) -> bool:
    """True where pypinyin's reading of the whole sentence can differ from the word's own:
    a word its phrase dictionary lacks, with a polyphonic character; for a single character,
    only where a phrase of the dictionary crosses into a neighbour (还|有: 还有 hái yǒu)."""
    if len(word) == 1:
        if (word, upos) in POS_READINGS or not _polyphonic(word) or word in CORRECTIONS or word in PHRASES_DICT:
            return False
        return any(text[a : a + n] in PHRASES_DICT for n in (2, 3, 4) for a in range(max(0, s - n + 1), s + 1) if a + n <= len(text))
    return _word_needs_context(word)


@lru_cache(maxsize=65536)
def _word_needs_context(word: str) -> bool:
    """A word of two or more characters that pypinyin's phrase dictionary lacks, with a polyphonic character."""
    if word in PHRASES_DICT or word in CORRECTIONS or not has_han(word):
        return False
    return any(_polyphonic(c) for c in word)


@lru_cache(maxsize=65536)
def _polyphonic(ch: str) -> bool:
    return "," in PINYIN_DICT.get(ord(ch), "")


@lru_cache(maxsize=32768)
def _run_readings(run: str) -> tuple[str, ...]:
    """:func:`_char_readings` of one run of Han characters (datelines and set phrases recur)."""
    return tuple(_char_readings(run))


def _char_readings(text: str) -> list[str]:
    """pypinyin's reading of each character of ``text`` in context ('' for non-Han)."""
    items = [s[0] for s in pinyin(text, style=Style.TONE, errors="default")]
    out: list[str] = []
    k = i = 0
    while i < len(text):
        if is_han(text[i]):
            out.append(items[k] if k < len(items) else "")
            k += 1
            i += 1
            continue
        j = i
        while j < len(text) and not is_han(text[j]):
            j += 1
        out += [""] * (j - i)
        k += 1
        i = j
    return out


def _token_marks(word: str, readings: list[str]) -> tuple[str, ...]:
    """Syllables of a token, non-Han runs kept as they are (as pypinyin gives them)."""
    out: list[str] = []
    run = ""
    for ch, r in zip(word, readings, strict=True):
        if is_han(ch):
            if run.strip():
                out.append(run.strip())
            run = ""
            out.append(r or ch)
        else:
            run += ch
    if run.strip():
        out.append(run.strip())
    return tuple(out)


def tokens_pinyin(words: Sequence[str], upos: Sequence[str] | None = None) -> list[tuple[str, str]]:
    """(tone marks, numbered) for each word; words without Chinese pass through unchanged."""
    tags = upos if upos is not None else [""] * len(words)
    return [token_pinyin(w, u) for w, u in zip(words, tags, strict=True)]


@lru_cache(maxsize=200_000)
def token_pinyin(word: str, upos: str = "") -> tuple[str, str]:
    """Pinyin of one segmented word with its UPOS, as (tone marks, numbered tones).

    pypinyin looks each word of a pre-segmented list up in its phrase dictionary on its
    own, so the reading of a word does not depend on its neighbours: caching per word
    gives exactly what a call on the whole sentence would, at a fraction of the cost."""
    if not has_han(word):
        return word, word
    marks = _readings(word)
    if len(word) == 1 and (word, upos) in POS_READINGS:
        marks = (POS_READINGS[(word, upos)],)
    elif word.endswith("为") and upos in ("VERB", "AUX") and word not in PHRASES_DICT and word not in CORRECTIONS:
        marks = (*marks[:-1], "wéi")  # 化为, 视为, 评为: "become / regard as", never wèi
    elif len(word) == 2 and word[0] in _DEGREE and word[1] in _AFTER_DEGREE and word not in PHRASES_DICT:
        marks = (marks[0], _AFTER_DEGREE[word[1]])
    return " ".join(marks), " ".join(_tone3(m) for m in marks)


@lru_cache(maxsize=200_000)
def _readings(word: str) -> tuple[str, ...]:
    if word in CORRECTIONS:
        return CORRECTIONS[word]
    return tuple(s[0] for s in pinyin([word], style=Style.TONE, errors="default"))


@lru_cache(maxsize=4096)
def _tone3(syllable: str) -> str:
    return to_tone3(syllable, neutral_tone_with_five=True) if syllable and not syllable[0].isdigit() else syllable
