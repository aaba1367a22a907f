"""The stage registry: requirements are checked, the chain is the documented one, the docs match it."""

from __future__ import annotations

import pytest

from annotate.config import Config
from annotate.context import Context
from annotate.stages import (
    PIPELINE,
    STAGES,
    Job,
    StageRequirementError,
    chain,
    check_requirements,
    run_stages,
    stage_table,
)
from support import PAGE, ROOT


def test_the_pipeline_is_the_registered_chain_in_order():
    assert [s.name for s in chain()] == list(PIPELINE)
    assert [s.name for s in chain("annotate")] == ["ingest", "annotate"]


def test_a_missing_requirement_names_the_stage():
    with pytest.raises(StageRequirementError, match="stage 'terms' requires sentences"):
        check_requirements([STAGES["ingest"], STAGES["terms"]])
    with pytest.raises(StageRequirementError, match="no stage 'parse'"):
        chain("parse")


def test_design_doc_shows_the_registry():
    text = (ROOT / "docs" / "design.md").read_text("utf-8")
    assert stage_table() in text


def test_the_loop_times_every_stage_and_reuses_cached_ones(tmp_path):
    from annotate.stages import StageStore

    ctx = Context(Config(cache=tmp_path / "cache", glossary=ROOT / "glossary", ner=False))
    store = StageStore(tmp_path / "cache")
    job = Job("dalian", PAGE)
    doc = run_stages(chain("terms"), ctx, job, key="k", store=store)
    assert set(job.times) == {"ingest", "annotate", "terms"}
    assert doc.layers[:3] == ["ingest", "annotate", "terms"] and doc.terms
    assert store.path("dalian", "annotate").is_file() and not store.path("dalian", "terms").exists()
    fresh = Context(Config(cache=tmp_path / "cache", glossary=ROOT / "glossary", ner=False))
    doc2 = run_stages(chain("terms"), fresh, Job("dalian", PAGE), key="k", store=store)
    assert doc2.to_dict() == doc.to_dict()
    assert fresh._annotator is None  # loaded from the cache: no segmenter was even built
    run_stages(chain("annotate"), fresh, Job("dalian", PAGE), key="another page key", store=store)
    assert fresh._annotator is not None  # a new key: annotated afresh
