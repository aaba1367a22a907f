"""``annotate glossary check|report|suggest|export|import``: the translators' term base."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ._common import encoding


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("glossary", help="check, report on, grow and exchange the glossary (glossary/*.tsv)",
                       description="Work with the translators' term base in glossary/*.tsv (format: glossary/README.md).")
    g = p.add_subparsers(dest="glossary_command", metavar="ACTION", required=True)

    c = g.add_parser("check", help="validate glossary files: every problem with file:line; exit 1 on errors",
                     description="Check a glossary file or folder. Prints each problem as FILE:LINE: error|warning: "
                                 "message (what to do), then a summary. Exit 1 if there are errors; warnings do not fail.")
    c.add_argument("path", nargs="?", type=Path, help="a .tsv file or a folder of them (default: glossary/)")
    c.set_defaults(func=check)

    r = g.add_parser("report", help="which entries occur where and how often, which never occur, coverage",
                     description="Link the corpus (cached like annotate run) and report term use per document and overall.")
    r.add_argument("corpus", nargs="?", type=Path, help="a page .txt or a corpus folder (default: corpus/)")
    r.add_argument("--glossary", type=Path, help="glossary file or folder (default: glossary/)")
    r.add_argument("--json", action="store_true", help="print the report as JSON")
    r.add_argument("--encoding", type=encoding, help="encoding of the pages (default: detect)")
    r.set_defaults(func=report)

    s = g.add_parser("suggest", help="candidate terms the glossary lacks, as draft TSV rows with CC-CEDICT glosses",
                     description="Find terms the glossary lacks: expressions in Chinese quotation marks, abbreviations "
                                 "of entries, words and compounds jieba's dictionary lacks. Writes draft rows in the "
                                 "glossary format (status draft; frequency and an example in the comment).")
    s.add_argument("corpus", nargs="?", type=Path, help="a page .txt or a corpus folder (default: corpus/)")
    s.add_argument("--glossary", type=Path, help="glossary file or folder (default: glossary/)")
    s.add_argument("-o", "--output", type=Path, help="write the rows to this .tsv (default: print them)")
    s.add_argument("--limit", type=int, default=50, help="at most this many candidates (default 50)")
    s.add_argument("--min-count", type=int, default=2,
                   help="occurrences a new word or compound needs (default 2; quoted terms and abbreviations need 1)")
    s.add_argument("--encoding", type=encoding, help="encoding of the pages (default: detect)")
    s.set_defaults(func=suggest)

    e = g.add_parser("export", help="export the glossary as TBX, CSV or an OmegaT glossary",
                     description="Write the usable entries (rows with errors are left out) for a CAT tool, term base "
                                 "or spreadsheet. See glossary/README.md for pointing OmegaT at the file.")
    e.add_argument("--format", choices=("tbx", "csv", "omegat"), required=True,
                   help="tbx: TBX v3 (ISO 30042:2019) TBX-Basic, every field; csv: every column; "
                        "omegat: source, target, comment, no header (name the file .utf8)")
    e.add_argument("-o", "--output", type=Path, required=True, help="file to write")
    e.add_argument("--glossary", type=Path, help="glossary file or folder (default: glossary/)")
    e.add_argument("--source-lang", help="TBX language code of the Chinese (default: [cat_tools] source_lang, else zh-CN)")
    e.add_argument("--target-lang", help="TBX language code of the English (default: [cat_tools] target_lang, else en)")
    e.set_defaults(func=export)

    i = g.add_parser("import", help="turn a TBX, CSV or OmegaT file into a glossary .tsv",
                     description="Read a TBX, CSV or OmegaT glossary and write it in the glossary format. Entries "
                                 "without a usable ID get one from the pinyin of the term.")
    i.add_argument("file", type=Path, help="a .tbx, .csv, or .txt/.tsv (OmegaT) file")
    i.add_argument("-o", "--output", type=Path, required=True, help="the glossary .tsv to write, e.g. glossary/imported.tsv")
    i.add_argument("--format", choices=("tbx", "csv", "omegat", "tsv"), help="the file's format (default: from its name)")
    i.add_argument("--glossary", type=Path, help="existing glossary whose IDs new IDs must not reuse (default: glossary/)")
    i.add_argument("--force", action="store_true", help="replace the output file if it exists")
    i.set_defaults(func=import_)


def _glossary_path(args: argparse.Namespace) -> Path:
    from ..cli import config_from

    return getattr(args, "glossary", None) or config_from(args).glossary


def _load(path: Path):
    """The glossary, its problems printed to stderr (a broken row never stops a command)."""
    from ..glossary import load_glossary

    glossary = load_glossary(path)
    if glossary.problems:
        errors = len(glossary.errors)
        print(f"annotate: glossary {path}: {errors} errors, {len(glossary.problems) - errors} warnings "
              f"(see: annotate glossary check {path})", file=sys.stderr)
    return glossary


def check(args: argparse.Namespace) -> int:
    from ..errors import EXIT_FINDINGS, InputError
    from ..glossary.core import load_glossary
    from ..glossary.tsv import glossary_files

    path = args.path or _glossary_path(args)
    if not path.exists():
        raise InputError("no such file or folder", path=path, hint="give a glossary .tsv or a folder of them")
    glossary = load_glossary(path)
    problems = sorted(glossary.problems, key=lambda p: p.sort_key)  # what check_glossary() returns
    for p in problems:
        print(p)
    errors = sum(p.severity == "error" for p in problems)
    print(f"{len(glossary.entries)} entries in {len(glossary_files(path))} file(s): "
          f"{errors} errors, {len(problems) - errors} warnings")
    return EXIT_FINDINGS if errors else 0


def _options(args: argparse.Namespace, corpus: Path | None):  # -> Config
    from ..cli import config_from

    config = config_from(args)
    return config.with_overrides(corpus=corpus, encoding=getattr(args, "encoding", None))


def report(args: argparse.Namespace) -> int:
    from ..glossary.report import term_report
    from ..pipeline import load_documents

    glossary = _load(_glossary_path(args))
    options = _options(args, args.corpus)
    docs = load_documents(options.corpus, glossary=glossary, config=options)
    rep = term_report(docs, glossary)
    sys.stdout.write(rep.to_json() if args.json else rep.render())
    return 0


def suggest(args: argparse.Namespace) -> int:
    from ..glossary.suggest import draft_entries
    from ..glossary.suggest import suggest as find
    from ..glossary.tsv import tsv_text, write_tsv
    from ..pipeline import load_documents

    glossary = _load(_glossary_path(args))
    options = _options(args, args.corpus)
    docs = load_documents(options.corpus, upto="ingest", config=options)
    candidates = find(docs, glossary, limit=args.limit, min_count=args.min_count)
    rows = draft_entries(candidates, glossary)
    note = (f"Draft entries suggested by 'annotate glossary suggest' for {options.corpus}.\n"
            "Review each row: correct the English, fill in definition, pos, domain and reference, set status to\n"
            "approved when checked, then paste the rows into a glossary/*.tsv file. Draft English from CC-CEDICT\n"
            "(CC BY-SA 4.0) where the reference column says so.")
    if args.output:
        write_tsv(rows, args.output, comment=note)
        print(f"{len(rows)} candidates written to {args.output}")
    else:
        sys.stdout.write(tsv_text(rows, comment=note))
    return 0


def export(args: argparse.Namespace) -> int:
    from ..cli import config_from
    from ..export.languages import cat_languages, check_language_tag
    from ..glossary.formats import export_glossary

    source_lang, target_lang = cat_languages(config_from(args))
    source_lang = check_language_tag(args.source_lang, "--source-lang") if args.source_lang else source_lang
    target_lang = check_language_tag(args.target_lang, "--target-lang") if args.target_lang else target_lang
    path = _glossary_path(args)
    glossary = _load(path)
    if not glossary.entries:
        from ..errors import InputError

        raise InputError("the glossary has no usable entries; nothing to export", path=path,
                         hint="see annotate glossary check")
    export_glossary(glossary, args.output, args.format, source_lang=source_lang, target_lang=target_lang)
    print(f"{len(glossary.entries)} entries written to {args.output}")
    return 0


def import_(args: argparse.Namespace) -> int:
    from ..errors import InputError
    from ..glossary.core import load_glossary
    from ..glossary.formats import read_glossary_file
    from ..glossary.ids import ID_RE, pinyin_id
    from ..glossary.tsv import write_tsv

    if args.output.exists() and not args.force:
        raise InputError("the output file exists; nothing written", path=args.output,
                         hint="choose another name, or pass --force to replace it")
    entries, problems = read_glossary_file(args.file, args.format)
    for p in problems:
        print(p)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise InputError(f"{len(errors)} errors; nothing written", path=args.file, hint="fix the lines above and import again")
    if not entries:
        raise InputError("no entries found; nothing written", path=args.file)
    # New IDs must not clash with the glossary the file will join (its other files).
    existing = _glossary_path(args)
    out = args.output.resolve()
    owners = {e.id: e.source for e in load_glossary(existing).entries if Path(e.file).resolve() != out} if existing.exists() else {}
    taken = set(owners)
    made = 0
    for e in entries:
        # An ID the glossary gives to the same term is the same entry coming back: keep it.
        if not e.id or not ID_RE.match(e.id) or owners.get(e.id, e.source) != e.source or e.id in taken - set(owners):
            e.id = pinyin_id(e.source, taken)
            made += 1
        taken.add(e.id)
    write_tsv(entries, args.output, comment=f"Imported from {args.file.name} by 'annotate glossary import'.")
    print(f"{len(entries)} entries written to {args.output}" + (f" ({made} given new IDs from pinyin)" if made else ""))
    print(f"next: annotate glossary check {args.output.parent if args.output.parent != Path('.') else args.output}")
    return 0
