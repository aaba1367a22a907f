"""What many test files share: the project's paths and a command-line runner.

Fixtures live in conftest.py; plain helpers live here so test modules import them
explicitly (``from support import ROOT, run_annotate``).
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

from annotate.zh import has_han

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
PAGE = CORPUS / "raw" / "dalian-daily-2019-economy.txt"
TEST_PAGES = ROOT / "tests" / "pages"
GLOSSARY = ROOT / "glossary"


def run_annotate(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, input: str | None = None
) -> subprocess.CompletedProcess:
    """``python -m annotate ARGS`` in a subprocess, as a user runs it.

    No translation model unless the caller's ``env`` names one: argos is pointed at an
    empty folder, so a model installed on the developer's machine never leaks in."""
    full_env = {**os.environ, **(env or {})}
    full_env.setdefault("ARGOS_PACKAGES_DIR", str((cwd or ROOT) / ".no-models"))
    return subprocess.run(
        [sys.executable, "-m", "annotate", *args], capture_output=True, text=True, cwd=cwd or ROOT, env=full_env,
        input=input,
    )


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (relative path → sha256), for byte-identity checks."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def corpus_text() -> str:
    return PAGE.read_text(encoding="utf-8")


def corpus_sentences(limit: int | None = None) -> list[str]:
    """Sentences of the bundled page: lines joined, cut after 。！？ (good enough for test input)."""
    text = re.sub(r"\s*\n\s*", "", corpus_text())
    out = [s.strip() for s in re.findall(r"[^。！？]+[。！？]?", text) if has_han(s)]
    return out[:limit] if limit else out
