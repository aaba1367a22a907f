"""How the reader nests names and glossary terms inside a sentence's words (``render.zh_sentence``).

The page's word elements are reduced to their text, so each case reads as the nesting a
reader sees: which span opens first, and where each one closes.
"""

from __future__ import annotations

import re

from annotate.html.render import Lexicon, gloss_pairs, zh_sentence
from annotate.model import Entity, GlossaryEntry, Sentence, TermLink, Token


def _sentence(words: list[str], entities=(), terms=()) -> Sentence:
    tokens, at = [], 0
    for i, w in enumerate(words):
        tokens.append(Token(id=f"t{i}", text=w, start=at, end=at + len(w), upos="NOUN", pinyin="", gloss=f"g{i}"))
        at += len(w)
    return Sentence(id="s1", start=0, end=at, text="".join(words), tokens=tokens, entities=list(entities),
                    terms=list(terms), gloss=" ".join(t.gloss for t in tokens))


def _entry(eid: str, source: str) -> GlossaryEntry:
    return GlossaryEntry(id=eid, source=source, target=f"<{eid}>")


def _skeleton(html: str) -> str:
    """Word elements as their text; names as [TYPE ...]; terms as {id ...}."""
    html = re.sub(r'<span data-k="\d+"[^>]*>([^<]*)</span>', r"\1", html)
    html = re.sub(r'<span class="ent ent-(\w+)">', r"[\1 ", html)
    html = re.sub(r'<span class="term(?: missing)?" data-t="([\w-]+)">', r"{\1 ", html)
    return html.replace("</span>", ")")


def test_a_longer_span_opens_first_and_each_closes_after_its_last_word():
    # 北京 市 政府: the place 北京市 and the term 北京 start at the same word
    s = _sentence(["北京", "市", "政府"], entities=[Entity("e1", "LOC", 0, 3, "北京市")],
                  terms=[TermLink("beijing", "北京", 0, 2)])
    html = zh_sentence(s, {"beijing": _entry("beijing", "北京")}, Lexicon())
    assert _skeleton(html) == "[LOC {beijing 北京)市)政府"


def test_a_span_ending_where_the_next_begins_closes_before_it_opens():
    s = _sentence(["营商", "环境", "改革"], terms=[TermLink("a", "营商环境", 0, 4), TermLink("b", "改革", 4, 6)])
    html = zh_sentence(s, {"a": _entry("a", "营商环境"), "b": _entry("b", "改革")}, Lexicon())
    assert _skeleton(html) == "{a 营商环境){b 改革)"


def test_a_term_crossing_a_name_is_marked_word_by_word_inside_it():
    # the name covers words 0-1, the term words 1-2: the term crosses it and goes stand-off
    s = _sentence(["张", "三丰", "大师"], entities=[Entity("e1", "PER", 0, 3, "张三丰")],
                  terms=[TermLink("t", "三丰大师", 1, 5)])
    inline, standoff = s.spans()
    assert [sp.kind for sp in standoff] == ["term"]
    html = zh_sentence(s, {"t": _entry("t", "三丰大师")}, Lexicon())
    assert _skeleton(html) == "[PER 张{t 三丰)){t 大师)"


def test_a_term_without_a_glossary_entry_is_left_unmarked_in_both_lines():
    s = _sentence(["营商", "环境"], terms=[TermLink("gone", "营商环境", 0, 4)])
    lex = Lexicon()
    assert _skeleton(zh_sentence(s, {}, lex)) == "营商环境"
    assert "term-en" not in gloss_pairs(s, {}, lex)
    marked = gloss_pairs(s, {"gone": _entry("gone", "营商环境")}, lex)
    assert 'data-t="gone"' in marked and 'data-zh="营商环境"' in marked and "g0" not in marked
