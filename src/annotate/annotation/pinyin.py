"""Pinyin for tokens, chosen in context.

pypinyin resolves polyphones from its phrase dictionary, so it must see whole words:
we pass the sentence's Chinese tokens as a list (pypinyin's "already segmented" input),
which gives 银行 yín háng, 重庆 chóng qìng, 增长 zēng zhǎng.  Numbered tones for
search come from the same result (``háng`` → ``hang2``, neutral tone ``de5``).
"""

from __future__ import annotations

import re

from pypinyin import Style, pinyin
from pypinyin.contrib.tone_convert import to_tone3

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None


def tokens_pinyin(words: list[str]) -> list[tuple[str, str]]:
    """(tone marks, numbered) for each word; words without Chinese pass through unchanged."""
    out: list[tuple[str, str]] = [(w, w) if not has_han(w) else ("", "") for w in words]
    han_idx = [i for i, w in enumerate(words) if has_han(w)]
    if not han_idx:
        return out
    # Whole-Chinese words go in one call (phrase context); mixed words (2019年) alone.
    pure = [i for i in han_idx if all(_HAN.match(c) for c in words[i])]
    if pure:
        syllables = pinyin([words[i] for i in pure], style=Style.TONE, errors="default")
        k = 0
        for i in pure:
            n = len(words[i])
            marks = [s[0] for s in syllables[k : k + n]]
            k += n
            out[i] = (" ".join(marks), " ".join(to_tone3(m, neutral_tone_with_five=True) for m in marks))
    for i in han_idx:
        if out[i] == ("", ""):
            marks = [s[0] for s in pinyin(words[i], style=Style.TONE, errors="default")]
            out[i] = (" ".join(marks), " ".join(to_tone3(m, neutral_tone_with_five=True) if has_han_syll(m) else m for m in marks))
    return out


def has_han_syll(s: str) -> bool:
    """A pinyin syllable (letters with tone marks), not a passed-through number."""
    return bool(s) and not s[0].isdigit()
