"""Pinyin for tokens, chosen in context.

pypinyin resolves polyphones from its phrase dictionary, so it must see whole words:
we pass the sentence's Chinese tokens as a list (pypinyin's "already segmented" input),
which gives 银行 yín háng, 重庆 chóng qìng, 增长 zēng zhǎng.  Numbered tones for
search come from the same result (``háng`` → ``hang2``, neutral tone ``de5``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import Style, pinyin
from pypinyin.contrib.tone_convert import to_tone3

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None


def tokens_pinyin(words: list[str]) -> list[tuple[str, str]]:
    """(tone marks, numbered) for each word; words without Chinese pass through unchanged."""
    return [word_pinyin(w) for w in words]


@lru_cache(maxsize=200_000)
def word_pinyin(word: str) -> tuple[str, str]:
    """Pinyin of one segmented word.

    pypinyin looks each word of a pre-segmented list up in its phrase dictionary on its
    own, so the reading of a word does not depend on its neighbours: caching per word
    gives exactly what a call on the whole sentence would, at a fraction of the cost."""
    if not has_han(word):
        return word, word
    marks = [s[0] for s in pinyin([word], style=Style.TONE, errors="default")]
    return " ".join(marks), " ".join(_tone3(m) for m in marks)


@lru_cache(maxsize=4096)
def _tone3(syllable: str) -> str:
    return to_tone3(syllable, neutral_tone_with_five=True) if syllable and not syllable[0].isdigit() else syllable
