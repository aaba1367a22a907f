"""What each translation flag means: one table for the report, the reader, TEI and the docs.

A flag is a short name stored in ``Translation.flags``.  ``term-not-enforced:<entry id>``
style flags carry an argument after the colon; the table is keyed by the part before it.
"""

from __future__ import annotations

FLAG_DESCRIPTIONS: dict[str, str] = {
    "repetition": "the output repeats a word or phrase back to back: a decoding loop",
    "too-long": "the output is far longer than the source, or the model was stopped at its length cap; it was cut (…)",
    "empty": "the model returned nothing for a sentence with words in it",
    "untranslated-chinese": "Chinese characters are left in the English",
    "placeholder-lost": "the model did not keep a glossary placeholder; the sentence was translated without protection",
    "term-not-enforced": "a glossary term's approved English could not be put into the output (for an LLM: "
                         "missing after the prompt and one repair request)",
}


def flag_name(flag: str) -> str:
    """``term-not-enforced:gao-zhi-liang`` → ``term-not-enforced``."""
    return flag.split(":", 1)[0]


def describe(flag: str) -> str:
    """A one-line description of a flag for people (unknown flags describe themselves)."""
    name = flag_name(flag)
    arg = flag[len(name) + 1:]
    text = FLAG_DESCRIPTIONS.get(name, name.replace("-", " "))
    return f"{text} ({arg})" if arg else text
