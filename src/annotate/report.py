"""Progress and the end-of-run summary for ``annotate run`` / ``annotate export``.

Progress is a rich progress bar on a terminal and silent otherwise, so CI logs stay
readable; ``-v`` prints one line per document, ``-q`` only problems and the summary.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import Any

from .config import Config
from .errors import EXIT_INPUT, EXIT_OK
from .pipeline import DocResult, RunReport, run
from .stages import PIPELINE


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def run_with_progress(options: Config, *, quiet: bool = False, verbose: bool = False) -> int:
    from rich.console import Console

    console = Console(stderr=True, highlight=False, soft_wrap=True)
    # SIGTERM stops a run like Ctrl-C does: atomic writes leave no partial files,
    # and the next run picks up where this one stopped.
    signal.signal(signal.SIGTERM, _raise_interrupt)
    show_bar = console.is_terminal and not quiet and not verbose

    def line(result: DocResult) -> None:
        if result.status == "failed":
            console.print(f"[red]failed[/]  {result.error}", markup=True, soft_wrap=True)
        elif verbose:
            c = result.counts
            console.print(
                f"{result.status:10} {result.doc_id}: {c.get('sentences', 0)} sentences, "
                f"{c.get('tokens', 0)} tokens, {c.get('terms', 0)} term links",
                markup=False,
            )

    from .corpus import find_pages

    n_pages = len(find_pages(options.corpus))
    if show_bar:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task("pages", total=n_pages, rate="")

            def tick(result: DocResult) -> None:
                line(result)
                elapsed = bar.tasks[task].elapsed or 0
                done = bar.tasks[task].completed + 1
                bar.update(task, advance=1, description=result.doc_id[:30], rate=f"{done / elapsed:.1f} pages/s" if elapsed else "")

            report = run(options, progress=tick)
    else:
        report = run(options, progress=line)

    print_summary(report, options, console, quiet=quiet)
    return EXIT_INPUT if report.failed else EXIT_OK


def print_summary(report: RunReport, options: Config, console: Any, *, quiet: bool = False) -> None:
    for problem in report.glossary_problems:
        console.print(f"glossary: {problem}", markup=False, soft_wrap=True)
    for note in report.id_notes:
        console.print(f"note: {note}", markup=False, soft_wrap=True)
    for warning in report.model_warnings:
        console.print(f"warning: {warning}", markup=False, soft_wrap=True)
    if report.translation_note:
        console.print(f"note: {report.translation_note}", markup=False, soft_wrap=True)
    for r in report.results:
        if r.counts.get("cut_sentences"):
            from .annotation.sentences import MAX_SENTENCE_CHARS

            console.print(f"warning: {r.page}: {r.counts['cut_sentences']} sentences longer than {MAX_SENTENCE_CHARS} "
                          "characters were cut at commas or spaces (text without sentence punctuation?)",
                          markup=False, soft_wrap=True)
    processed = [r for r in report.results if r.status == "processed"]
    unchanged = [r for r in report.results if r.status == "unchanged"]
    parts = [f"{len(processed)} processed", f"{len(unchanged)} unchanged"]
    if report.failed:
        parts.append(f"{len(report.failed)} failed")
    console.print(f"documents: {len(report.results)} ({', '.join(parts)})", markup=False)
    ok = [r for r in report.results if r.status != "failed"]
    totals = {k: sum(r.counts.get(k, 0) for r in ok) for k in ("sentences", "tokens", "entities", "terms", "chars")}
    console.print(
        f"corpus: {totals['chars']:,} characters, {totals['sentences']:,} sentences, {totals['tokens']:,} tokens, "
        f"{totals['entities']:,} entities, {totals['terms']:,} term links",
        markup=False,
    )
    if processed:
        translated = sum(r.counts.get("translated", 0) for r in processed)
        cached = sum(r.counts.get("cached", 0) for r in processed)
        glossed = sum(r.counts.get("glossed", 0) for r in processed)
        flagged = sum(r.counts.get("flagged", 0) for r in processed)
        adh_ok = sum(r.counts.get("adherence_ok", 0) for r in processed)
        adh_total = sum(r.counts.get("adherence_total", 0) for r in processed)
        adherence = f", term adherence {adh_ok}/{adh_total} ({adh_ok / adh_total:.0%})" if adh_total else ""
        console.print(
            f"English: {translated} sentences translated, {cached} from cache, {flagged} flagged, "
            f"{glossed} tokens glossed{adherence}",
            markup=False,
        )
        by_flag: dict[str, int] = {}
        for r in processed:
            for key, n in r.counts.items():
                if key.startswith("flag:"):
                    by_flag[key[5:]] = by_flag.get(key[5:], 0) + n
        if by_flag:
            listed = ", ".join(f"{k} {n}" for k, n in sorted(by_flag.items(), key=lambda x: (-x[1], x[0])))
            console.print(f"translation flags: {listed} (annotate translate --report lists them)", markup=False)
        stages = (*PIPELINE, "export")
        times = ", ".join(f"{s} {sum(r.times.get(s, 0.0) for r in processed):.2f}s" for s in stages)
        console.print(f"time per stage (summed over workers): {times}, corpus files {report.corpus_time:.2f}s", markup=False)
    files = sum(len(r.files) for r in processed) + len(report.corpus_files)
    console.print(f"wrote {files} files to {options.exports}/ in {report.wall:.1f}s", markup=False)


def validate_exports(exports: Path) -> list[str]:
    """Validate every TEI file under ``exports/tei``; prints and returns the errors."""
    from .export.validate import validate_tei

    errors: list[str] = []
    files = sorted((exports / "tei").glob("*.xml"))
    for f in files:
        errors += validate_tei(f)
    for e in errors:
        print(e, file=sys.stderr)
    print(f"TEI: {len(files)} files validated against tei_all.rng, {len(errors)} errors", file=sys.stderr)
    return errors
