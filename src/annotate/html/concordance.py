"""The concordance's data: one compact script per document, and a small global term index
that tells the concordance which documents a query can match, so it loads only those.

Chromium refuses ``fetch()`` of local files from a ``file://`` page, but runs a local
``<script src>``; so every data file is a script calling a function of ``search.html``:

* ``search/<doc>.js``: ``annotateIndex({...})``, written with the document's page.  The
  document's distinct words are a vocabulary in columns (``w`` the words, ``p`` their
  numbered pinyin, ``u`` one UPOS letter each, ``g`` their gloss, strings joined by a tab);
  a sentence is ``[id suffix, word numbers, English, origin, entities, terms, text,
  offsets]``: the word numbers are a string of fixed-width base-64 digits (``k`` per word),
  the Chinese is the words joined (given as ``text`` with token ``offsets`` only when the
  words do not cover it exactly), the English is 0 when it is the word gloss (the glosses
  joined by ``sep``), entities are flat ``start, end, type number`` triples (``et``) and
  terms ``start, end, term number`` (``tm``), offsets relative to the sentence.
* ``search/docs.js``: ``annotateDocs({docs, shards, unknown, han})``, the documents in order
  (``han``: the code point ranges the term index counts as Han).
* ``search/terms-<n>.js``: ``annotateTerms(n, {key: documents})``, the global term index in
  ``shards`` shards: for every Han character (``营``), toneless pinyin syllable (``~ying``),
  ASCII word of the English or suffix of an ASCII word of the Chinese (``.2019``, ``.019``)
  and glossary term (``#ying-shang-huan-jing``), the numbers of the documents that have it,
  as base-36 gaps or, where that is shorter, a base-64 bitmap (``=...``).  A document
  containing a query contains every Han character of it, the syllables of one way of
  reading it as pinyin, or an ASCII word starting with its first word, so the concordance
  loads only the documents in every list (or, for other queries, all of them).

The corpus-level files are written at the end from the documents' index files, which
``write_document_index`` has already written; a document whose file cannot be read is
listed as ``unknown`` and always searched.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from array import array
from collections.abc import Iterable, Sequence
from operator import attrgetter
from pathlib import Path
from typing import Any

from ..corpus import code_fingerprint
from ..fsutil import write_text_atomic
from ..model import Document, Sentence
from ..textio import XML_ILLEGAL
from ..zh import HAN_CHAR, HAN_RANGES, has_han

UPOS = ("ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN", "PUNCT",
        "SCONJ", "SYM", "VERB", "X")
UPOS_LETTERS = {u: chr(ord("A") + i) for i, u in enumerate(UPOS)}
UNKNOWN_UPOS = "Q"
ORIGIN_LETTERS = {"mt": "m", "llm": "l", "gloss": "g", "human": "h"}
ENTITY_TYPES = ("PER", "LOC", "ORG", "TIME")
INDEX_DIR = "search"
DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"  # JSON-safe, one byte each
SEP = "\t"  # between the vocabulary's strings: JSON writes it as two bytes, and no word has one
FORMAT = 2


_ASCII_WORD = re.compile(r"[a-z0-9]+")
_SYLLABLE = re.compile(r"[a-zv]+(?=[1-5])")


def _number(n: int, width: int) -> str:
    out = []
    for _ in range(width):
        n, d = divmod(n, 64)
        out.append(DIGITS[d])
    return "".join(reversed(out))


_CODES: dict[int, list[str]] = {}  # width -> the word numbers written so far, kept for the process


def _codes(width: int, count: int) -> list[str]:
    """The first ``count`` (at least) word numbers of ``width`` digits: a page has a thousand
    or more, and each page's index used to write them all again."""
    codes = _CODES.setdefault(width, [])
    codes.extend(_number(n, width) for n in range(len(codes), count))
    return codes


class _Numbers(dict):
    """A token's (text, numbered pinyin, UPOS, gloss) -> its word number in ``vocab``, whose
    keys are the words as the index writes them (pinyin run together, UPOS as a letter)."""

    def __init__(self, vocab: dict[tuple[str, str, str, str], int]) -> None:
        super().__init__()
        self.vocab = vocab

    def __missing__(self, raw: tuple[str, str, str, str]) -> int:
        text, pinyin_num, upos, gloss = raw
        pinyin = "".join(pinyin_num.split()) if pinyin_num and has_han(text) else ""
        n = self[raw] = self.vocab.setdefault((text, pinyin, UPOS_LETTERS.get(upos, UNKNOWN_UPOS), gloss),
                                              len(self.vocab))
        return n


# Per-token fields read in C (map over attrgetter), not in a Python loop: the index is written
# for every page, and a page has tens of thousands of tokens.
_WORD_KEY = attrgetter("text", "pinyin_num", "upos", "gloss")
_START, _END = attrgetter("start"), attrgetter("end")


class IndexWords:
    """The index's vocabulary and each sentence's word numbers, as the page writer meets the
    words (``render.Lexicon``): one look-up per token serves the page and the index."""

    def __init__(self) -> None:
        self.vocab: dict[tuple[str, str, str, str], int] = {}  # the words as the index writes them
        self.number = _Numbers(self.vocab)  # a token's (text, numbered pinyin, UPOS, gloss) -> its number
        # sentence ID -> its tokens' numbers, and whether their offsets run on without a gap
        self.of_sentence: dict[str, tuple[Sequence[int], bool]] = {}

    def add_sentence(self, s: Sentence, numbers: Sequence[int]) -> None:
        """Keep a sentence's word numbers, and check its offsets now, while the page writer
        has just read its tokens: read again for the whole page later, they are cold in memory."""
        self.of_sentence[s.id] = (numbers, _contiguous(s))


def _contiguous(s: Sentence) -> bool:
    """Each token starts where the one before it ends, from the sentence's start to its end."""
    toks = s.tokens
    if not toks:
        return True
    starts, ends = list(map(_START, toks)), list(map(_END, toks))
    return starts[0] == s.start and ends[-1] == s.end and starts[1:] == ends[:-1]


def document_index(doc: Document, words: IndexWords | None = None) -> str:
    """The text of ``search/<doc>.js`` for one document (with the words the page writer
    already numbered, if given)."""
    from ..translate.gloss import SEPARATOR

    words = words or IndexWords()
    vocab, seen, known = words.vocab, words.number, words.of_sentence
    numbered: list[tuple[Sequence[int], bool]] = []  # per sentence: its tokens' word numbers, contiguous
    for s in doc.sentences:
        got = known.get(s.id)
        numbered.append(got if got is not None else ([seen[k] for k in map(_WORD_KEY, s.tokens)], _contiguous(s)))
    columns = list(zip(*vocab, strict=True)) if vocab else [(), (), (), ()]
    # A sentence's texts and glosses read through its word numbers: list indexing, not attributes.
    texts, glosses = columns[0], columns[3]
    width = 1
    while 64 ** width < len(vocab):
        width += 1
    codes = _codes(width, len(vocab))
    terms: dict[str, int] = {}
    rows: list[list[Any]] = []
    uses_gloss = False
    for s, (ids, contiguous) in zip(doc.sentences, numbered, strict=True):
        gloss = SEPARATOR.join(filter(None, map(glosses.__getitem__, ids)))
        # the words tile the text: the text is their words joined, and no offsets are needed
        tiled = contiguous and "".join(map(texts.__getitem__, ids)) == s.text
        base = s.start
        en = s.english
        origin = ORIGIN_LETTERS.get(en.origin, "g") if en is not None else "g"
        english: str | int = en.text if en is not None else ""
        if origin == "g" and english == gloss:
            english, uses_gloss = 0, True
        ents: list[int] = []
        for e in s.entities:
            if e.type in ENTITY_TYPES:
                ents += (e.start - base, e.end - base, ENTITY_TYPES.index(e.type))
        links: list[int] = []
        for link in s.terms:
            links += (link.start - base, link.end - base, terms.setdefault(link.entry_id, len(terms)))
        sid = s.id[len(doc.id) + 1:] if s.id.startswith(doc.id + ".") else s.id
        row: list[Any] = [sid, "".join(map(codes.__getitem__, ids)), english, origin, ents, links]
        if not tiled:
            row += [s.text, [x for t in s.tokens for x in (t.start - base, t.end - base)]]
        while row[-1] in ([], ""):  # trailing empty fields are left out
            row.pop()
        rows.append(row)
    data: dict[str, Any] = {
        "v": FORMAT, "id": doc.id, "title": doc.meta.get("title") or doc.id, "source": doc.meta.get("source", ""),
        "date": doc.meta.get("date") or doc.meta.get("covers", ""), "k": width,
        "w": SEP.join(texts), "p": SEP.join(columns[1]), "u": "".join(columns[2]),
    }
    if uses_gloss:
        data.update(g=SEP.join(glosses), sep=SEPARATOR)
    data.update(et=list(ENTITY_TYPES), tm=list(terms), s=rows)
    return "annotateIndex(" + _json(data) + ");\n"


def write_document_index(doc: Document, out_dir: Path, words: IndexWords | None = None) -> Path:
    return write_text_atomic(out_dir / INDEX_DIR / f"{doc.id}.js", document_index(doc, words))


def read_document_index(path: Path) -> dict[str, Any] | None:
    """A document's index as written by ``write_document_index``, or None if it cannot be read."""
    try:
        return parse_document_index(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


def parse_document_index(text: str) -> dict[str, Any] | None:
    """The data of a document's index script, or None if it is not one of this format."""
    head, tail = "annotateIndex(", ");\n"
    if not (text.startswith(head) and text.endswith(tail)):
        return None
    try:
        data = json.loads(text[len(head):-len(tail)])
    except ValueError:
        return None
    return data if isinstance(data, dict) and data.get("v") == FORMAT else None


def decoded_sentences(data: dict[str, Any]) -> Iterable[tuple[str, list[int], str, str]]:
    """(Chinese, word numbers, English, origin letter) of each sentence of an index."""
    words = data["w"].split(SEP) if data["w"] else []
    glosses = data["g"].split(SEP) if "g" in data else []
    width = data["k"]
    for row in data["s"]:
        code = row[1]
        ids = [_decode(code[i:i + width]) for i in range(0, len(code), width)]
        text = row[6] if len(row) > 6 else "".join(words[i] for i in ids)
        en = row[2] if len(row) > 2 else ""
        if en == 0:
            en = data["sep"].join(glosses[i] for i in ids if glosses[i])
        yield text, ids, en, row[3] if len(row) > 3 else "g"


def _decode(code: str) -> int:
    n = 0
    for c in code:
        n = n * 64 + DIGITS.index(c)
    return n


def index_keys(data: dict[str, Any]) -> set[str]:
    """The global term index's keys a document has (see the module docstring)."""
    keys: set[str] = set()
    pinyin = data["p"].split(SEP) if data["p"] else []
    for text, ids, en, _ in decoded_sentences(data):
        keys.update(HAN_CHAR.findall(text))
        for i in ids:
            keys.update("~" + syl for syl in _SYLLABLE.findall(pinyin[i]))
        for word in _ASCII_WORD.findall(text.lower()):
            keys.update("." + word[k:] for k in range(len(word)))
        keys.update("." + word for word in _ASCII_WORD.findall(en.lower()))
    keys.update("#" + t for t in data["tm"])
    return keys


def shard_count(documents: int) -> int:
    """Shards of the global term index: one for a small corpus, more as it grows, so a query
    reads a few small files (at most 256, about 40 documents per shard)."""
    n = 1
    while n < 256 and n * 40 < documents:
        n *= 2
    return n


def shard_of(key: str, shards: int) -> int:
    """Han characters by code point; ASCII words by their first letter (a prefix query reads
    one shard); all syllables in one shard, all terms in one (the concordance lists them)."""
    if key[0] == ".":
        return ord(key[1]) % shards
    return ord(key[0]) % shards


def _posting(numbers: Sequence[int], documents: int) -> str:
    gaps, last = [], -1
    for n in numbers:
        gaps.append(_base36(n - last - 1))
        last = n
    listed = ",".join(gaps)
    bits = bytearray((documents + 7) // 8)
    for n in numbers:
        bits[n >> 3] |= 1 << (n & 7)
    bitmap = "=" + base64.b64encode(bytes(bits)).decode("ascii")
    return bitmap if len(bitmap) < len(listed) else listed


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = digits[n % 36]
    while n >= 36:
        n //= 36
        out = digits[n % 36] + out
    return out


def write_corpus_index(summaries: Sequence[dict[str, Any]], out_dir: Path, cache: Path | None = None) -> list[Path]:
    """``search/docs.js`` and the global term index ``search/terms-<n>.js`` from the documents'
    index files; removes the index of any document no longer in the corpus.

    ``cache``: a folder where each index file's keys are kept under the file's hash, so a re-run
    reads a short list instead of decoding every document again (12-17 ms a page otherwise)."""
    folder = out_dir / INDEX_DIR
    docs = [[d["id"], d["title"], d.get("date", ""), d["sentences"]] for d in summaries]  # one pass: small rows
    live = [d[0] for d in docs]
    alive = set(live)
    shards = shard_count(len(live))
    if folder.is_dir():
        for f in sorted(folder.glob("*.js")):
            stem = f.name[:-3]
            stale_shard = stem.startswith("terms-") and not (stem[6:].isdigit() and int(stem[6:]) < shards)
            if stale_shard or (stem != "docs" and not stem.startswith("terms-") and stem not in alive):
                f.unlink()
    keys_dir = cache / f"index-keys-{FORMAT}-{code_fingerprint('html/concordance.py')}" if cache else None
    # array('I'): 4 bytes a posting; a list of ints would hold an object per document per key
    postings: dict[str, array] = {}
    unknown: list[int] = []
    used: set[str] = set()
    for n, doc_id in enumerate(live):
        keys = _document_keys(folder / f"{doc_id}.js", keys_dir, used)
        if keys is None:
            unknown.append(n)
            continue
        for key in keys:
            found = postings.get(key)
            if found is None:
                postings[key] = found = array("I")
            found.append(n)
    if keys_dir is not None and keys_dir.is_dir():
        for f in keys_dir.glob("*.json"):  # keys of index files no document has any more
            if f.name not in used:
                f.unlink(missing_ok=True)
    written = [write_text_atomic(folder / "docs.js", "annotateDocs(" + _json(
        {"docs": docs, "shards": shards, "unknown": unknown, "han": HAN_RANGES}) + ");\n")]
    keys_of: list[list[str]] = [[] for _ in range(shards)]
    for key in sorted(postings):
        keys_of[shard_of(key, shards)].append(key)
    for i, keys in enumerate(keys_of):  # one shard's text at a time
        part = {key: _posting(postings.pop(key), len(live)) for key in keys}
        written.append(write_text_atomic(folder / f"terms-{i}.js", f"annotateTerms({i}," + _json(part) + ");\n"))
    return written


def _document_keys(path: Path, keys_dir: Path | None, used: set[str]) -> list[str] | None:
    """The term-index keys of one document's index file (None if it cannot be read), from
    ``keys_dir`` when this exact file was seen before."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    stored = keys_dir / f"{hashlib.sha256(raw).hexdigest()[:32]}.json" if keys_dir else None
    if stored is not None:
        used.add(stored.name)
        try:
            keys = json.loads(stored.read_text("utf-8"))
            if isinstance(keys, list):
                return keys
        except (OSError, ValueError):
            pass  # not there yet, or broken: computed again below
    try:
        data = parse_document_index(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return None
    if data is None:
        return None
    keys = sorted(index_keys(data))
    if stored is not None:
        write_text_atomic(stored, json.dumps(keys, ensure_ascii=False))
    return keys


def _json(data: Any) -> str:
    # One line, no spaces; "<" escaped so the text is safe in any context it is pasted into;
    # characters the reader page drops (XML-illegal ones, lone surrogates) dropped here too.
    return XML_ILLEGAL.sub("", json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c"))
