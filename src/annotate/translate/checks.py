"""Checks on every translation, whatever made it (an NMT model, a language model, a person).

Each check compares the English with its Chinese and returns flags (names and their
meaning: :mod:`annotate.translate.flags`); a flag is a warning for the reader, never a
reason to hide the English.  In a fixed order:

* ``empty`` — no English for a source with words in it (and nothing else is checked);
* ``untranslated-chinese`` — Chinese characters left in the English;
* ``repetition`` — a unit of one to eight words repeated back to back (a decoding loop);
* ``truncated`` — the Chinese ends a sentence and the English stops mid-way (no closing
  punctuation), or the English was cut at the decoder's length cap;
* ``length-ratio`` — the English is far shorter or longer than such Chinese usually
  becomes (bounds measured on WMT news references, docs/translation.md);
* ``wrong-magnitude:<zh>`` — a number whose digits are in the English at another
  magnitude (200万 is 2 million; "200,000" is a tenth of it);
* ``number-missing:<zh>``, ``percent-missing:<zh>``, ``year-missing:<zh>`` — a value
  the Chinese states that the English does not (in digits or words);
* ``date-missing:<zh>`` — a month (by name) or day of a Chinese date absent from the English;
* ``name-missing:<zh>`` — a named entity CC-CEDICT knows as a proper name ("Dalian")
  whose English form is absent (glossary terms are checked by term adherence instead).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..zh import SENTENCE_END, count_han, has_han
from .numbers import chinese_dates, chinese_quantities, english_months, english_values, same_value, significant

_WORD = re.compile(r"\w+")
_EN_WORD = re.compile(r"[a-z0-9]+")
#: English characters per Chinese character, outside which a translation is flagged
#: ``length-ratio``: the 0.1st and 99.9th percentiles on WMT18 zh→en references
#: (3,960 sentence pairs; docs/translation.md has the measurement).
RATIO_LOW, RATIO_HIGH = 1.5, 9.5
#: Sentences with fewer Chinese characters than this are not held to the ratio
#: (a headline of four characters may well become one word or ten).
RATIO_MIN_HAN = 12
_FINAL = tuple(SENTENCE_END) + (".", "!", "?", "…", '"', "'", "”", "’", ")", "]")


def has_repetition(text: str) -> bool:
    """A unit of n words (1 ≤ n ≤ 8) repeated back to back: four times for one word, three for longer."""
    words = _WORD.findall(text.lower())
    for n in range(1, 9):
        # A unit of n words repeated k times back to back is a run of (k-1)·n positions
        # where a word equals the word n places on.
        needed = (3 if n == 1 else 2) * n
        run = 0
        for i in range(len(words) - n):
            run = run + 1 if words[i] == words[i + n] else 0
            if run >= needed:
                return True
    return False


def is_truncated(source: str, english: str) -> bool:
    """The Chinese is a whole sentence and the English does not end like one."""
    src, en = source.rstrip(), english.rstrip()
    return bool(src and en) and src.endswith(tuple(SENTENCE_END)) and not en.endswith(_FINAL)


def length_ratio_off(source: str, english: str) -> bool:
    han = count_han(source)
    if han < RATIO_MIN_HAN:
        return False
    ratio = len(english.strip()) / han
    return not RATIO_LOW <= ratio <= RATIO_HIGH


def number_flags(source: str, english: str) -> list[str]:
    """Values, percentages, years and dates of the Chinese that the English lacks or changes."""
    flags: list[str] = []
    values = english_values(english)
    for q in chinese_quantities(source):
        if any(same_value(x, v) for x in (q.value, *q.also) for v in values):
            continue
        if q.value == 1 and q.kind == "number" and re.search(r"\b(?:a|an|one|single)\b", english, re.IGNORECASE):
            continue  # 1名 → "a"
        if q.value >= 1000 and any(significant(v) == significant(q.value) and v >= 10 for v in values):
            flags.append(f"wrong-magnitude:{q.surface}")
        else:
            flags.append(f"{'number' if q.kind == 'number' else q.kind}-missing:{q.surface}")
    months = english_months(english)
    if re.search(r"\bmonth", english, re.IGNORECASE):  # "the 10th month" (of the lunar calendar)
        months |= {int(v) for v in values if v in range(1, 13)}
    for d in chinese_dates(source):
        month_ok = all(m in months for m in d.months)
        if len(d.months) == 2 and d.months[0] == 1:  # 1-9月: "January to September" or "the first nine months"
            month_ok = month_ok or d.months[1] in months or any(same_value(d.months[1], v) for v in values)
        day_ok = d.day is None or any(same_value(d.day, v) for v in values)
        if not (month_ok and day_ok):
            flags.append(f"date-missing:{d.surface}")
    return flags


def _name_matches(rendering: str, words: Sequence[str]) -> bool:
    """The rendering's words in order, each the start of an English word (China ~ Chinese, Moscow ~ Moscow's)."""
    parts = _EN_WORD.findall(rendering.lower())
    if not parts:
        return False
    stems = [p[:-1] if len(p) > 4 else p for p in parts]
    n = len(stems)
    return any(all(words[i + k].startswith(stems[k]) for k in range(n)) for i in range(len(words) - n + 1))


def name_flags(english: str, names: Sequence[str]) -> list[str]:
    """Names CC-CEDICT renders (as proper names) whose English form is absent."""
    from ..glossary.cedict import name_renderings

    words = _EN_WORD.findall(english.lower())
    flags: list[str] = []
    for name in dict.fromkeys(names):
        renderings = name_renderings(name)
        if renderings and not any(_name_matches(r, words) for r in renderings):
            flags.append(f"name-missing:{name}")
    return flags


def check_translation(source: str, english: str, *, names: Sequence[str] = (), raw: str | None = None,
                      cut: bool = False) -> list[str]:
    """Every flag for one translated sentence, in a fixed order.

    ``names``: the sentence's named entities (their Chinese) that are not glossary
    terms; ``raw``: the model's text before glossary English was put in (the loop check
    reads it, so a term the source repeats is no loop); ``cut``: the output was cut at
    the decoder's length cap."""
    flags: list[str] = []
    if not english.strip():
        return ["empty"] if _WORD.search(source) else []
    if has_han(english):
        flags.append("untranslated-chinese")
    if has_repetition(english if raw is None else raw):
        flags.append("repetition")
    if cut or is_truncated(source, english):
        flags.append("truncated")
    if length_ratio_off(source, english):
        flags.append("length-ratio")
    flags += number_flags(source, english)
    flags += name_flags(english, names)
    return flags
