"""A page's tables are freed when the page is written, not left for the cyclic garbage collector."""

from __future__ import annotations

import subprocess
import sys

# In a fresh interpreter: in the test process, threads and objects other tests left behind (a
# browser driver, a Dask client, a LAC reader thread) make cyclic garbage of their own while the
# collector is off, which this count cannot tell from the writer's.
PROBE = r"""
import gc, sys
from pathlib import Path
from annotate.annotation import Annotator
from annotate.html import write_document_page
from annotate.ingest import ingest_text

out = Path(sys.argv[1])
doc = ingest_text("营商环境持续改善。北京市政府发布新规。\n\n改革开放以来，经济快速增长。\n", "d")
Annotator().annotate(doc)
write_document_page(doc, [], out)  # warm-up: caches kept for the process are not garbage
gc.collect()
gc.disable()
write_document_page(doc, [], out)
print(gc.collect())  # objects only the cyclic collector could free
"""


def test_writing_a_page_leaves_no_cyclic_garbage(tmp_path):
    run = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["0"]  # everything the page built was freed by reference counting
    assert (tmp_path / "d.html").is_file()
