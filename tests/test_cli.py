"""The command line: fast help, one-line errors, documented exit codes."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("spacy", "jieba", "torch", "argostranslate", "ctranslate2", "lxml", "onnxruntime", "pypinyin", "rich")


def test_help_imports_no_heavy_library():
    code = (
        "import sys\n"
        "from annotate.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print('IMPORTED=' + ','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "run" in out.stdout and "translate" in out.stdout  # the subcommands are listed
    assert out.stdout.strip().splitlines()[-1] == "IMPORTED="


def test_every_subcommand_has_help():
    from annotate.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, subparser in sub.choices.items():
        assert subparser.format_help().startswith("usage: annotate " + name), name


def test_missing_corpus_is_one_line_error(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "annotate", "run", str(tmp_path / "nope"), "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 3
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "nope" in lines[0] and "no such file or folder" in lines[0]
    assert "Traceback" not in out.stderr
