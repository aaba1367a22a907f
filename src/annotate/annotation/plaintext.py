"""Plain text → a Document for the linguistic layer, without the newspaper ingestion.

``annotate tag`` reads any UTF-8 text, one paragraph per line, like spaCy or UDPipe
on plain text: each non-blank line becomes one paragraph block of a single article.
Nothing is guessed (no headlines, bylines or captions) and nothing is changed but
the line ends and a leading BOM; text is put in Unicode NFC, as CoNLL-U requires.
Input that cannot be tagged without losing characters (invalid UTF-8, NUL bytes,
control characters, U+FFFD left by an earlier bad decoding) is refused with
``file:line`` for every bad line, so the forms of the output always spell the input.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from ..corpus import slug_id
from ..errors import InputError
from ..model import Article, Block, Document
from ..textio import XML_ILLEGAL


@dataclass
class BadLine:
    """One line that cannot be tagged, as ``path:line: message``."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class PlainTextError(InputError):
    """Every bad line of a plain-text input; ``str()`` is the first, ``problems`` all of them."""

    def __init__(self, problems: list[BadLine]) -> None:
        first = problems[0]
        more = f" (and {len(problems) - 1} more lines)" if len(problems) > 1 else ""
        super().__init__(first.message + more, path=first.path, line=first.line)
        self.problems = problems


def decode_plaintext(data: bytes, path: str) -> str:
    """Strict UTF-8 (a BOM allowed), LF line ends; refuses what would lose characters."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")  # safe on UTF-8 bytes
    problems: list[BadLine] = []
    for n, raw in enumerate(data.split(b"\n"), 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(BadLine(path, n, f"invalid UTF-8 at byte {exc.start + 1} of the line ({raw[exc.start:exc.start + 4]!r}); give UTF-8 text"))
            continue
        col = _first_bad(line)
        if col is not None:
            ch = line[col]
            what = ("a U+FFFD replacement character (the text was decoded with errors before)" if ch == "\ufffd"
                    else f"control character U+{ord(ch):04X}")
            problems.append(BadLine(path, n, f"{what} at column {col + 1}; remove it: the output must spell the input"))
    if problems:
        raise PlainTextError(problems)
    return unicodedata.normalize("NFC", data.decode("utf-8"))


def _first_bad(line: str) -> int | None:
    m = XML_ILLEGAL.search(line)
    bad = [i for i in (m.start() if m else -1, line.find("\ufffd")) if i >= 0]
    return min(bad) if bad else None


def plaintext_document(text: str, doc_id: str = "text", source_path: str = "", first_line: int = 1) -> Document:
    """One paragraph block per non-blank line; ``text`` starts at line ``first_line`` of its file.

    Block IDs carry the line number (``<doc>.a1.p12`` is line 12), so IDs stay the same
    whether a file is tagged whole or a chunk at a time; ``block.lines`` says it too."""
    doc_id = slug_id(doc_id)
    article = Article(id=f"{doc_id}.a1")
    for n, line in enumerate(text.split("\n"), first_line):
        if line.strip():
            article.blocks.append(Block(id=f"{article.id}.p{n}", kind="paragraph", text=line, lines=(n, n)))
    return Document(id=doc_id, source_path=source_path, articles=[article] if article.blocks else [], layers=["plaintext"])


def jsonl_records(doc: Document) -> list[dict[str, Any]]:
    """One record per paragraph (input line) for ``annotate tag --format jsonl``."""
    from ..export._tokens import token_entities

    out: list[dict[str, Any]] = []
    for block in doc.blocks():
        sentences = []
        for s in block.sentences:
            ents = token_entities(s)
            sentences.append({
                "id": s.id, "text": s.text, "start": s.start, "end": s.end,
                "tokens": [
                    {"id": t.id, "form": t.text, "start": t.start, "end": t.end, "upos": t.upos, "xpos": t.xpos,
                     "pinyin": t.pinyin, "pinyin_num": t.pinyin_num, "space_after": t.space_after,
                     "ne": (f"{'B' if first else 'I'}-{etype}" if etype else "O")}
                    for t, (etype, first) in zip(s.tokens, ents, strict=True)
                ],
                "entities": [{"type": e.type, "start": e.start, "end": e.end, "text": e.text} for e in s.entities],
            })
        out.append({"id": block.id, "line": block.lines[0], "text": block.text, "sentences": sentences})
    return out
