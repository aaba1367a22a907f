"""The quantities, years and dates a sentence states, in Chinese and in English, as values.

Chinese: Arabic numbers with their magnitude (``200万`` = 2,000,000, ``13.21万亿`` =
13.21 × 10¹², ``15.4%``), runs of Chinese numerals that cn2an reads (``十五``,
``二〇一九``, ``三千万``; a lone numeral character is skipped: 一 and 万 are also parts of
words such as 统一 and 万众一心), ``百分之…`` percentages, ``2019年`` years and
``12月3日`` dates.  English: numbers in digits or words (text2num turns "two
million" into digits), with a magnitude word after them ("2.5 billion", "200
thousand", "3m"), percentages, month names and ordinals ("3rd").

A check then asks whether every Chinese value occurs among the English ones
(:mod:`annotate.translate.checks`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

#: Chinese magnitudes, longest first so 万亿 wins over 万.
_ZH_MAGNITUDE = {"万亿": 10**12, "千亿": 10**11, "百亿": 10**10, "亿": 10**8, "千万": 10**7, "百万": 10**6,
                 "十万": 10**5, "万": 10**4, "千": 10**3}
_EN_MAGNITUDE = {"trillion": 10**12, "billion": 10**9, "bn": 10**9, "million": 10**6, "mn": 10**6, "m": 10**6,
                 "thousand": 10**3, "k": 10**3, "hundred": 100}
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
_MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(MONTHS)} | {"sept": 9}

_NUM = r"\d+(?:[,，]\d{3})*(?:\.\d+)?"
#: A number, "more than" (多/余) before its magnitude (500多万 = over 5 million), a percent sign.
#: Digits glued to Latin letters after them are part of a name (7FRESH, 4Corners7Seas).
#: 千 before 米/克/瓦 is kilo-, not a thousand of them (10千米 is 10 km).
_ZH_QUANTITY = re.compile(rf"(?<![\d.])({_NUM})(?![\d.]*[A-Za-z])\s*[多余]?\s*(?:个(?=[万亿]))?"
                          rf"((?:{'|'.join(_ZH_MAGNITUDE)})(?![米克瓦]))?\s*(%)?")
#: 20世纪70年代: the 1970s (one value, not a 20 and a 70).
_ZH_DECADE = re.compile(r"(\d{2})\s*世纪\s*(\d{2})\s*年代")
_ZH_NUMERALS = re.compile(r"第?([零〇一二两三四五六七八九十百千万亿点]{2,})([多余]?)(万亿|亿|万)?")
#: What follows a run of Chinese numerals that is a quantity (八一大楼, a name, is none).
_COUNTED = re.compile(r"[多余]?(?:个|年|岁|家|名|位|项|次|倍|元|人|条|座|所|天|周|场|件|种|亩|吨|户|辆|台|批|公里|米|%)")
_ZH_PERCENT = re.compile(r"百分之([零〇一二两三四五六七八九十百千点]+)")
_ZH_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)\s*年")
_ZH_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*(?:[-—–~至到]\s*(\d{1,2})\s*)?月(?:份)?(?:\s*(\d{1,2})\s*[日号])?")
_ZH_DAY = re.compile(r"(?<![\d月])(\d{1,2})\s*[日号]")
_EN_QUANTITY = re.compile(
    rf"(?<![\d.])({_NUM})(?:st|nd|rd|th)?(?:\s*(?:-\s*)?({'|'.join(_EN_MAGNITUDE)})\b)?\s*(%|percent|per cent)?",
    re.IGNORECASE)


@dataclass(frozen=True)
class Quantity:
    """One stated value: ``surface`` as written, ``value`` with the magnitude applied."""

    surface: str
    value: float
    kind: str = "number"  # "number", "percent", "year"
    #: Other values that render it: 70年代 is "the 1970s", 18世纪 "the 1700s".
    also: tuple[float, ...] = ()


@dataclass(frozen=True)
class Date:
    surface: str
    months: tuple[int, ...]  # one month, or the two ends of a range
    day: int | None = None


def _float(digits: str) -> float:
    return float(digits.replace(",", "").replace("，", ""))


@lru_cache(maxsize=1)
def _cn2an():
    import cn2an

    return cn2an


def numeral_value(run: str) -> float | None:
    """cn2an's reading of a run of Chinese numerals (``二〇一九`` → 2019), or None."""
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = _cn2an().cn2an(run, "smart")
    except (ValueError, KeyError, TypeError):  # cn2an raises ValueError for what is not a number
        return None
    return float(value)


_NUMERAL_DATE = re.compile(r"([〇零一二三四五六七八九十]{1,3})(?=[月日号])")


def _numeral_dates(text: str) -> str:
    """Chinese numerals of months and days as digits (十一月二号 → 11月2号)."""
    def digits(m: re.Match) -> str:
        value = numeral_value(m.group(1)) if len(m.group(1)) > 1 or m.group(1) != "十" else 10.0
        return str(int(value)) if value is not None else m.group(1)

    return _NUMERAL_DATE.sub(digits, text)


def _date_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _ZH_DATE.finditer(text)] + [m.span() for m in _ZH_DAY.finditer(text)]


def chinese_quantities(text: str) -> list[Quantity]:
    """Every number the Chinese states outside dates, with its magnitude applied (years are numbers too)."""
    text = unicodedata.normalize("NFKC", text)  # full-width digits and ％
    out: list[Quantity] = []
    dates = _date_spans(text)
    decades = [m.span() for m in _ZH_DECADE.finditer(text)]
    for m in _ZH_DECADE.finditer(text):
        year = (int(m.group(1)) - 1) * 100 + int(m.group(2))
        out.append(Quantity(m.group(0), float(year), "year"))
    for m in _ZH_QUANTITY.finditer(text):
        if any(a <= m.start() < b for a, b in dates + decades):
            continue  # a month or a day: checked as a date
        value = _float(m.group(1)) * _ZH_MAGNITUDE.get(m.group(2) or "", 1)
        kind = "percent" if m.group(3) else "number"
        if kind == "number" and _ZH_YEAR.match(text, m.start()):
            kind = "year"
        out.append(Quantity(m.group(0).strip(), value, kind, _also(value, text[m.end():m.end() + 2])))
    for m in _ZH_PERCENT.finditer(text):
        value = numeral_value(m.group(1))
        if value is not None:
            out.append(Quantity(m.group(0), value, "percent"))
    taken = [m.span() for m in _ZH_PERCENT.finditer(text)]
    for m in _ZH_NUMERALS.finditer(text):
        if any(a <= m.start() < b for a, b in taken) or any(a <= m.start() < b for a, b in dates):
            continue
        if not (m.group(3) or _COUNTED.match(text, m.end())):
            continue
        run = m.group(1).strip("点")
        if len(run) == 2 and not re.search("[十百千点]", run):
            continue  # 一两, 三四: "one or two", "three or four"; 八一: a name
        value = numeral_value(run)
        if value is None or value < 2:  # 一一, 一万: "one"/"a" are no numbers in the English
            continue
        value *= _ZH_MAGNITUDE.get(m.group(3) or "", 1)
        kind = "year" if text[m.end():m.end() + 1] == "年" and value >= 1800 and not m.group(3) else "number"
        out.append(Quantity(m.group(0).lstrip("第"), value, kind, _also(value, text[m.end():m.end() + 2])))
    return out


def _also(value: float, after: str) -> tuple[float, ...]:
    if after.startswith("年代") and value < 100:
        return (1900 + value, 2000 + value)
    if after.startswith("世纪") and value < 30:
        return ((value - 1) * 100,)
    return ()


def chinese_dates(text: str) -> list[Date]:
    """``12月3日``, ``1至11月``, ``8月``, ``十一月二号``; and a day alone (``9日``) as a date without month."""
    text = _numeral_dates(unicodedata.normalize("NFKC", text))
    out: list[Date] = []
    for m in _ZH_DATE.finditer(text):
        months = tuple(int(g) for g in (m.group(1), m.group(2)) if g)
        if all(1 <= x <= 12 for x in months):
            out.append(Date(m.group(0), months, int(m.group(3)) if m.group(3) else None))
    covered = [m.span() for m in _ZH_DATE.finditer(text)]
    for m in _ZH_DAY.finditer(text):
        if not any(a <= m.start() < b for a, b in covered) and 1 <= int(m.group(1)) <= 31:
            out.append(Date(m.group(0), (), int(m.group(1))))
    return out


@lru_cache(maxsize=4096)
def _digits(english: str) -> str:
    from text_to_num import alpha2digit

    try:
        return alpha2digit(english, "en", threshold=0)
    except ValueError:  # pragma: no cover - text2num refuses nothing we know of
        return english


def english_values(english: str) -> set[float]:
    """Every number the English states: as written, and with a magnitude word applied."""
    values: set[float] = set()
    for text in (english, _digits(english)):  # as written ("2.5 billion"), and words as digits ("two million")
        for m in _EN_QUANTITY.finditer(text):
            base = _float(m.group(1))
            values.add(base)
            if m.group(2):
                values.add(base * _EN_MAGNITUDE[m.group(2).lower()])
    return values


def english_months(english: str) -> set[int]:
    out = set()
    for w in re.findall(r"[A-Za-z]+", english):
        lw = w.lower()
        if lw in MONTHS:
            out.add(MONTHS.index(lw) + 1)
        elif lw in _MONTH_ABBR and (w[0].isupper()) and lw != "may":
            out.add(_MONTH_ABBR[lw])
    return out


def same_value(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def significant(value: float) -> str:
    """The significant digits of a value (2,000,000 and 200,000 → "2"): a magnitude error keeps them."""
    digits = f"{value:.10e}".split("e")[0].replace(".", "").rstrip("0")
    return digits or "0"
