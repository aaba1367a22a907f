"""The language codes written into the files CAT tools read (TMX and TBX).

CAT tools match a translation memory or term base to a project by its language codes,
and most of them know Chinese as ``zh-CN``/``zh-TW`` (language-region), not as the BCP 47
script subtag ``zh-Hans`` the TEI files use: OmegaT warns that ``zh-Hans`` differs
from a ``zh-CN`` project, memoQ and Trados list ``zh-CN`` as "Chinese (PRC)".  So TMX and
TBX say ``zh-CN`` and ``en`` by default.  A project whose CAT tool wants something else
sets, in ``annotate.toml``::

    [cat_tools]
    source_lang = "zh-Hans"   # or zh, zh-CN, zh-SG ...
    target_lang = "en-US"

``zh-Hans`` (simplified script, any region) is the exact description of the text (the
TEI files use it); use it in TMX and TBX only if your CAT tool matches it to the project.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import InputError

CAT_SOURCE_LANG = "zh-CN"
CAT_TARGET_LANG = "en"

# BCP 47 in the shape CAT tools use: a language, then subtags (script, region, variant).
_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


def check_language_tag(value: Any, what: str) -> str:
    """``value`` if it is a language tag such as ``zh-CN``; else a one-line :class:`InputError`."""
    if not isinstance(value, str) or not _TAG.match(value):
        raise InputError(f"{what} {value!r} is not a language tag", hint="write it like zh-CN, zh-Hans, zh or en-US")
    return value


def cat_languages(config: Any = None) -> tuple[str, str]:
    """(source, target) language codes for TMX and TBX: ``[cat_tools]`` of the settings, else the defaults."""
    if config is None:
        return CAT_SOURCE_LANG, CAT_TARGET_LANG
    return config.cat_source_lang, config.cat_target_lang
