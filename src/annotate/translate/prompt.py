"""What an instruction LLM is told: the translation request, the repair request, and cleaning its answer.

The request is the sentence, with the approved English of its glossary terms in place of
the Chinese terms, and its article headline as context (where the pipeline has
one, in the system message), in the model's own chat template
(llm.py).  The repair request names the terms a first answer left out and gives that
answer back to be corrected: one more short call instead of translating again.

Small models wrap their answer in chat artefacts ("Translation:", quotes around the
whole sentence, a code fence, a note after a blank line); :func:`clean_answer` strips
them, and nothing else.  ``PROMPT_VERSION`` is part of the cache key: change it with
any change to the wording here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

PROMPT_VERSION = "p9"

SYSTEM = (
    "You translate official Chinese government and newspaper texts into English, in the style of the "
    "official English versions (Xinhua, the State Council). Translate the whole sentence the user gives, "
    "faithfully: add nothing, drop nothing, explain nothing. Keep every number and its magnitude exactly: "
    "万 is ten thousand and 亿 is a hundred million, so 3500万 is 35 million, 2800亿 is 280 billion and "
    "2.6万亿 is 2.6 trillion. A sentence without a subject is a statement by the government: write it "
    "with \"we\" (\"We will ...\" for plans). 我国 is \"China\", 党中央 is \"the Party Central Committee\". "
    "Write Chinese names of people, places and companies in pinyin. Some terms already stand in English inside "
    "the Chinese: keep that English exactly as written. Answer with the English translation only."
)

# p7's repair ("Correct this English translation ... so that it uses exactly these English terms")
# gave back the first answer unchanged, or without the term, for all 22 repairs of the bundled
# page; naming the draft and asking for the terms "in place of the draft's words for them"
# put the term in 7 of the first 13 of those sentences (docs/translation.md).
REPAIR = "Rewrite the draft so that it uses {terms}, in place of the draft's words for those terms. " \
    "Change nothing else. Answer with the rewritten English only."


def translation_messages(text: str, *, context: str = "") -> list[dict]:
    """The request for ``text``, whose glossary terms already stand in English (placeholders.english_in_place).

    No glossary lines beside it (p8 had both): they repeated English the sentence already holds,
    and with them the bundled page's first 32 answers took 8.1 s a sentence against p7's 6.7 s."""
    # The headline goes in the system message: given in the user's turn (p6), the 1.5B default
    # model translated it instead of the sentence, label and all, in 20 of the bundled page's 137
    # sentences ("Headline of the article (context only, ...): ..."), running each to its length
    # cap; in the system message it echoed 0 of 8 of those sentences, with 40 % fewer tokens.
    system = SYSTEM
    if context and context != text:
        system += f" The sentence is from a news article headlined “{context}”: use it only to understand the sentence."
    return [{"role": "system", "content": system}, {"role": "user", "content": f"Chinese: {text}"}]


def repair_messages(text: str, draft: str, missing: Sequence[tuple[str, str]]) -> list[dict]:
    terms = "; ".join(f"“{en}” for {zh}" for zh, en in missing)
    user = f"Chinese: {text}\nDraft English: {draft}\n{REPAIR.format(terms=terms)}"
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


_LABEL = re.compile(r"^\s*(?:\*\*)?(?:english(?: translation)?|translation|corrected(?: english)?(?: translation)?|"
                    r"answer|output)(?:\*\*)?\s*[:：]\s*", re.IGNORECASE)
_FENCE = re.compile(r"^```[a-z]*\s*|\s*```$")
_NOTE = re.compile(r"\n\s*\n|\n\s*(?:\(?note|explanation|\*\*note)", re.IGNORECASE)
_SPECIAL = re.compile(r"<\|[a-z_]+\|>")
_QUOTES = {'"': '"', "“": "”", "'": "'"}


def clean_answer(answer: str, source: str = "") -> str:
    """The English of a model's answer: without labels, fences, wrapping quotes, notes or control tokens."""
    text = _SPECIAL.sub("", answer).strip()
    text = _FENCE.sub("", text).strip()
    cut = _NOTE.search(text)
    if cut and cut.start() > 0:
        text = text[:cut.start()]
    text = _LABEL.sub("", text).strip()
    if len(text) >= 2 and _QUOTES.get(text[0]) == text[-1] and not source.startswith(("“", '"', "‘")):
        inner = text[1:-1]
        if text[0] not in inner:
            text = inner.strip()
    return " ".join(text.split())
