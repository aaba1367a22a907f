"""A page's tables are freed when the page is written, not left for the cyclic garbage collector."""

from __future__ import annotations

import gc

from annotate.html import write_document_page
from annotate.ingest import ingest_text


def test_writing_a_page_leaves_no_cyclic_garbage(tmp_path):
    doc = ingest_text("营商环境持续改善。北京市政府发布新规。\n\n改革开放以来，经济快速增长。\n", "d")
    from annotate.annotation import Annotator

    Annotator().annotate(doc)
    write_document_page(doc, [], tmp_path)  # warm-up: caches kept for the process are not garbage
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        write_document_page(doc, [], tmp_path)
        assert gc.collect() == 0  # everything the page built was freed by reference counting
    finally:
        if was_enabled:
            gc.enable()
    assert (tmp_path / "d.html").is_file()
