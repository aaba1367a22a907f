"""What each translation flag means: one table for the report, the reader, TEI and the docs.

A flag is a short name stored in ``Translation.flags``.  ``term-not-enforced:<entry id>``
style flags carry an argument after the colon; the table is keyed by the part before it.
"""

from __future__ import annotations

FLAG_DESCRIPTIONS: dict[str, str] = {
    # the output as a whole (annotate.translate.checks, guards)
    "empty": "the model returned nothing for a sentence with words in it",
    "untranslated-chinese": "Chinese characters are left in the English",
    "repetition": "the output repeats a word or phrase back to back: a decoding loop",
    "too-long": "the output is far longer than the source, or the model was stopped at its length cap; it was cut (…)",
    "truncated": "the English stops before the end of the sentence (no closing punctuation, or cut at the length cap)",
    "length-ratio": "the English is far shorter or longer than a translation of this much Chinese usually is",
    # numbers, dates and names (annotate.translate.checks, numbers)
    "wrong-magnitude": "a number's digits are in the English at another magnitude (200万 is 2 million, not 200,000)",
    "number-missing": "a number of the Chinese (with its 万/亿 magnitude) is not in the English",
    "percent-missing": "a percentage of the Chinese is not in the English",
    "year-missing": "a year of the Chinese is not in the English",
    "date-missing": "the month or day of a Chinese date is not in the English",
    "name-missing": "a name CC-CEDICT knows (a place, person or organisation) is not in the English in its usual form",
    # glossary enforcement (annotate.translate.enforce)
    "term-not-enforced": "a glossary term's approved English could not be put into the output (placeholder lost "
                         "and no English aligned to it; for a language model: missing after the prompt and one repair)",
    "placeholder-lost": "the model did not keep a glossary placeholder; the sentence was translated without protection "
                        "(older runs only: the English is now repaired by alignment)",
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
