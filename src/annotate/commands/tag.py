"""``annotate tag [FILE|-]``: the linguistic layer on any UTF-8 text, one paragraph per line.

No newspaper ingestion: every non-blank line is a paragraph, split into sentences and
tagged (words, UPOS, XPOS, pinyin, entities) as ``annotate run`` tags a page.  The
forms of the output, joined, spell the input without its whitespace.
"""

from __future__ import annotations

import argparse
from pathlib import Path

#: Paragraphs tagged as one Document: LAC's batches fill up, memory stays bounded, and LAC on the
#: next chunk (in its own process, for inputs longer than one chunk) overlaps the tagging of
#: this one (annotator.annotate_stream).
CHUNK_LINES = 500


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "tag",
        help="tag plain text (one paragraph per line) as CoNLL-U or JSON lines, without newspaper ingestion",
        description="Tag any UTF-8 text, one paragraph per line: sentences, words, UPOS, XPOS, pinyin (Translit), "
        "named entities (NE=B-PER). Bad input (invalid UTF-8, control characters) is refused with file:line, exit 3.",
    )
    p.add_argument("input", nargs="?", default="-", help="a UTF-8 text file, or - for standard input (default)")
    p.add_argument("--format", choices=("conllu", "jsonl"), default="conllu", help="output format (default conllu)")
    p.add_argument("-o", "--output", type=Path, help="write here (atomically) instead of standard output")
    p.add_argument("--no-ner", dest="ner", action="store_false", help="skip named-entity recognition (faster)")
    p.add_argument("--glossary", type=Path, help="keep this glossary's terms whole (a .tsv file or folder; default: none)")
    p.add_argument("--id", dest="doc_id", help="document ID for sent_id (default: the file name, or 'stdin')")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    import sys

    from ..annotation import Annotator
    from ..annotation.plaintext import PlainTextError, decode_plaintext
    from ..errors import InputError

    if args.input == "-":
        data, path, doc_id = sys.stdin.buffer.read(), "<stdin>", args.doc_id or "stdin"
    else:
        src = Path(args.input)
        try:
            data = src.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}", path=src) from None
        path, doc_id = str(src), args.doc_id or src.stem
    try:
        text = decode_plaintext(data, path)
    except PlainTextError as err:  # every bad line, one line each, in order; nothing is written
        *first, last = err.problems
        for problem in first:
            print(f"annotate: error: {problem}", file=sys.stderr)
        raise InputError(last.message, path=last.path, line=last.line) from None
    words: list[str] = []
    if args.glossary:
        from ..glossary import load_glossary

        words = load_glossary(args.glossary).forms()
    # LAC in a process of its own pays once the input is long enough to hide its start-up
    annotator = Annotator(extra_words=words, ner=args.ner, lac_process=args.ner and text.count("\n") > CHUNK_LINES)
    try:
        out = "".join(tag_text(text, doc_id, annotator, args.format))
    finally:
        annotator.close()
    if args.output:
        from ..fsutil import write_text_atomic

        write_text_atomic(args.output, out)
    else:
        sys.stdout.write(out)
        sys.stdout.flush()
    return 0


def tag_text(text: str, doc_id: str, annotator, fmt: str = "conllu"):  # -> Iterator[str]
    """The output for ``text``, a chunk of paragraphs at a time."""
    from ..annotation.plaintext import plaintext_document

    lines = text.split("\n")

    def chunks():  # -> Iterator[list[Document]]
        for first in range(0, max(1, len(lines)), CHUNK_LINES):
            doc = plaintext_document("\n".join(lines[first : first + CHUNK_LINES]), doc_id, first_line=first + 1)
            if doc.articles:
                yield [doc]

    # LAC on the next chunk runs while this one is segmented and tagged (annotator.py)
    for n, (doc,) in enumerate(annotator.annotate_stream(chunks())):
        yield _format(doc, fmt, newdoc=n == 0)


def _format(doc, fmt: str, newdoc: bool) -> str:
    if fmt == "conllu":
        from ..export.conllu import conllu_text

        return conllu_text(doc, newdoc=newdoc)
    import json

    from ..annotation.plaintext import jsonl_records

    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in jsonl_records(doc))
