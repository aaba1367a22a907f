"""The committed ``exports/`` are exactly what ``annotate run`` writes for the bundled corpus.

Users read exports/ in the repository before installing anything, and every refactor
must leave the output byte-identical: this test catches both a stale exports/ and an
unintended change of output.  Regenerate with ``annotate run`` after a deliberate change.
"""

from __future__ import annotations

import hashlib
import subprocess

from support import CORPUS, ROOT, run_annotate, tree_digest


def _committed(name: str) -> str | None:
    """sha256 of ``exports/NAME`` as committed (git HEAD), or None outside a git checkout."""
    proc = subprocess.run(["git", "show", f"HEAD:exports/{name}"], cwd=ROOT, capture_output=True)
    return hashlib.sha256(proc.stdout).hexdigest() if proc.returncode == 0 else None


def test_run_on_the_bundled_corpus_reproduces_the_committed_exports(tmp_path):
    out = run_annotate("run", str(CORPUS), "-o", str(tmp_path / "exports"), "--cache", str(tmp_path / "cache"), "-q",
                       env={"ARGOS_PACKAGES_DIR": str(tmp_path / "no-models")})
    assert out.returncode == 0, out.stderr
    written, on_disk = tree_digest(tmp_path / "exports"), tree_digest(ROOT / "exports")
    assert sorted(written) == sorted(on_disk)
    # `make demo` rewrites exports/ with the LLM's English: then the committed files are the reference.
    changed = [name for name in written if written[name] != on_disk[name] and written[name] != _committed(name)]
    assert not changed, f"exports differ from the committed ones (re-run `annotate run`?): {changed}"
