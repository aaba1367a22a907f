"""jieba's (and LAC's) ICTCLAS/PKU-style tags → Universal POS (the table is documented in docs/annotation.md).

The original tag is kept as XPOS.  A few word-level rules refine the table where the
tag alone is wrong for UD: the copula 是 is AUX, numerals tagged ``m`` are NUM but
units and classifiers tagged ``m`` (万元, 个) are NOUN, punctuation is PUNCT.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

UPOS_TABLE: dict[str, str] = {
    # nouns
    "n": "NOUN", "ng": "NOUN", "nl": "NOUN", "nz": "PROPN", "j": "NOUN", "g": "NOUN",
    "nr": "PROPN", "nr1": "PROPN", "nr2": "PROPN", "nrj": "PROPN", "nrf": "PROPN", "nrfg": "PROPN", "nrt": "PROPN",
    "ns": "PROPN", "nsf": "PROPN", "nt": "PROPN", "t": "NOUN", "tg": "NOUN", "s": "NOUN",
    "vn": "NOUN", "an": "NOUN", "l": "NOUN",
    # verbs
    "v": "VERB", "vd": "VERB", "vg": "VERB", "vi": "VERB", "vq": "VERB", "vf": "VERB", "vx": "VERB", "vl": "VERB",
    "i": "VERB",
    # adjectives and adverbs
    "a": "ADJ", "ag": "ADJ", "zg": "ADJ", "al": "ADJ", "b": "ADJ", "bl": "ADJ", "z": "ADJ", "ad": "ADV",
    "d": "ADV", "dg": "ADV", "df": "ADV", "o": "ADV",
    # function words
    "m": "NUM", "mq": "NUM", "mg": "NUM", "q": "NOUN", "qv": "NOUN", "qt": "NOUN",
    "r": "PRON", "rr": "PRON", "rz": "PRON", "ry": "PRON", "rg": "PRON",
    "p": "ADP", "f": "ADP", "c": "CCONJ", "cc": "CCONJ",
    "u": "PART", "uj": "PART", "ul": "PART", "uz": "PART", "ud": "PART", "ug": "PART", "uv": "PART", "y": "PART",
    "h": "PART", "k": "PART", "xc": "PART", "e": "INTJ",
    # other
    "eng": "X", "x": "X", "w": "PUNCT",
}

_NUMERALS = set("0123456789.,%‰+-一二三四五六七八九十百千万亿两零〇几余多半数")


@lru_cache(maxsize=65536)
def is_punct(text: str) -> bool:
    return all(unicodedata.category(c)[0] in "PS" for c in text)


def to_upos(word: str, xpos: str) -> str:
    if is_punct(word):
        return "PUNCT" if any(unicodedata.category(c)[0] == "P" for c in word) else "SYM"
    if word == "是":
        return "AUX"
    if xpos in ("m", "mq", "mg"):
        return "NUM" if all(c in _NUMERALS for c in word) else "NOUN"
    if xpos == "eng":
        return "PROPN" if word[:1].isupper() else "X"
    return UPOS_TABLE.get(xpos, "X")
