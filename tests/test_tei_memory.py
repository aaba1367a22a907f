"""Writing TEI for one document after another does not make the process grow."""

from __future__ import annotations

import subprocess
import sys

from support import ROOT

# A fresh interpreter, so only this loop's allocations count.  Every document has token IDs of
# its own, as in a real corpus: libxml2 keeps each xml:id value in a dictionary that lasts as
# long as the thread that built the tree.
PROBE = r"""
import ctypes, json, sys
from annotate.annotation import Annotator
from annotate.export.tei import tei_documents
from annotate.ingest import ingest_file
from annotate.model import Document

libc = ctypes.CDLL("libc.so.6")

def rss_kb():
    libc.malloc_trim(0)  # count what is held, not what the allocator has yet to give back
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmRSS"))

doc = ingest_file(sys.argv[1], doc_id="page")
Annotator(ner=False).annotate(doc)
text = json.dumps(doc.to_dict(), ensure_ascii=False)
docs = [Document.from_dict(json.loads(text.replace('"page', f'"p{i:04d}'))) for i in range(160)]
tokens = sum(len(d.tokens) for d in docs[:1])
samples = []
for d in docs:
    tei_documents(d, [])
    samples.append(rss_kb())
# The least RSS of the first and the last 20 documents (after 10 to warm up lxml's own tables):
# what is held for good shows in both; what the allocator holds for a while, in neither.
print(tokens, min(samples[-20:]) - min(samples[10:30]))
"""


def test_tei_for_many_documents_keeps_memory_flat(tmp_path):
    page = ROOT / "corpus" / "raw" / "dalian-daily-2019-economy.txt"
    run = subprocess.run([sys.executable, "-c", PROBE, str(page)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    tokens, growth_kb = map(int, run.stdout.split())
    assert tokens > 1000
    # 130 documents × 2 files × `tokens` IDs held for good: +23 MB measured for the bundled page.
    assert growth_kb < 8192, f"RSS grew {growth_kb} kB over 130 documents"
