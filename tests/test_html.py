"""The reader in a real browser (Debian's Chromium through Playwright): layout, pairing,
pinyin, term cards, search, layers, escaping; and the pages' HTML itself."""

from __future__ import annotations

import html.parser
import shutil
from pathlib import Path

import pytest

from annotate.annotation import Annotator
from annotate.glossary import load_glossary
from annotate.html import HtmlSite
from annotate.html.screenshots import CHROMIUM, launch
from annotate.ingest import ingest_file
from annotate.model import GlossaryEntry
from annotate.translate.gloss import Glosser
from sample_docs import sample_document, sample_glossary

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "corpus" / "raw" / "dalian-daily-2019-economy.txt"
HOSTILE = ['<script>alert(1)</script>', '"onmouseover="alert(2)', "&amp;", "]]>", "</script><script>alert(3)</script>"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("html")
    g = load_glossary(ROOT / "glossary")
    doc = Annotator(extra_words=g.forms()).annotate(ingest_file(EXAMPLE))
    g.link_document(doc)
    Glosser(g.by_id).gloss_document(doc)
    s = HtmlSite(out, g.entries)
    s.add(doc)
    s.finish()
    mt = HtmlSite(out / "mt", sample_glossary())
    mt.add(sample_document())
    mt.finish()
    return out


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("hostile")
    bad = " ".join(HOSTILE)
    doc = sample_document("evil")
    doc.meta.update(title=bad, source=bad)
    for block in doc.blocks():
        block.text = bad
    for s in doc.sentences:
        s.gloss = bad
        if s.translation:
            s.translation.text = bad
        for t in s.tokens:
            t.text, t.pinyin, t.gloss = t.text + bad, bad, bad
    entry = sample_glossary()[0]
    evil = GlossaryEntry(id=entry.id, source=entry.source, target=bad, alternatives=[bad], definition=bad,
                         source_ref="javascript:alert(4)", comment=bad, status="approved")
    site = HtmlSite(out, [evil])
    site.add(doc)
    site.finish()
    return out


def test_pages_are_wellformed_html5(site):
    for page in ("index.html", "glossary.html", "dalian-daily-2019-economy.html"):
        text = (site / page).read_text("utf-8")
        assert text.startswith("<!DOCTYPE html>") and '<html lang="en">' in text
        parser = html.parser.HTMLParser()
        parser.feed(text)
        assert 'lang="zh-Hans"' in text
    doc = (site / "dalian-daily-2019-economy.html").read_text("utf-8")
    # nothing is fetched from the network: local stylesheet and script only
    assert 'src="http' not in doc and '<link rel="stylesheet" href="assets/reader.css">' in doc
    assert '<script src="assets/reader.js"></script>' in doc
    assert (site / "dalian-daily-2019-economy.html").stat().st_size < 1_500_000


def test_rendering_is_deterministic(site, tmp_path):
    a = HtmlSite(tmp_path, sample_glossary())
    a.add(sample_document())
    a.finish()
    for name in ("sample-page.html", "index.html", "glossary.html"):
        assert (tmp_path / name).read_bytes() == (site / "mt" / name).read_bytes()


needs_browser = pytest.mark.skipif(shutil.which("chromium") is None and not Path(CHROMIUM).exists(),
                                   reason="Debian's chromium is not installed (.ci/run installs it)")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


def open_page(browser, path: Path, width: int = 1280):
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    page = ctx.new_page()
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.resolve().as_uri())
    return ctx, page, errors, dialogs


@needs_browser
def test_columns_side_by_side_then_stacked(browser, site):
    for width, side_by_side in ((1280, True), (390, False)):
        ctx, page, errors, _ = open_page(browser, site / "dalian-daily-2019-economy.html", width)
        row = page.locator(".kind-paragraph").first
        zh, en = row.locator(".zh").bounding_box(), row.locator(".en").bounding_box()
        if side_by_side:
            assert en["x"] >= zh["x"] + zh["width"] - 1 and abs(en["y"] - zh["y"]) < 5
        else:
            assert en["y"] >= zh["y"] + zh["height"] - 1 and abs(en["x"] - zh["x"]) < 40
        assert errors == []
        ctx.close()


@needs_browser
def test_hover_highlights_twin_and_click_pins(browser, site):
    ctx, page, errors, _ = open_page(browser, site / "dalian-daily-2019-economy.html")
    zh = page.locator(".kind-paragraph .s").first
    sid = zh.get_attribute("data-s")
    twin = page.locator(f'.s-en[data-s="{sid}"]')
    assert "hl" not in (twin.get_attribute("class") or "")
    zh.hover()
    assert "hl" in twin.get_attribute("class")
    zh.click(position={"x": 2, "y": 25})
    assert page.evaluate("location.hash") == f"#{sid}" and "pinned" in twin.get_attribute("class")
    assert errors == []
    ctx.close()


@needs_browser
def test_pinyin_toggle_hides_rt_and_is_remembered(browser, site):
    ctx, page, errors, _ = open_page(browser, site / "dalian-daily-2019-economy.html")
    rt = page.locator("article rt").first
    assert rt.is_visible()
    page.uncheck("#opt-pinyin")
    assert not rt.is_visible()
    page.reload()
    assert not page.locator("article rt").first.is_visible() and not page.is_checked("#opt-pinyin")
    page.check("#opt-tone-num")
    assert page.locator("article rt .tn").first.is_visible() is False  # pinyin still hidden
    page.check("#opt-pinyin")
    assert page.locator("article rt .tn").first.is_visible() and not page.locator("article rt .tm").first.is_visible()
    assert errors == []
    ctx.close()


@needs_browser
def test_term_card_shows_english(browser, site):
    ctx, page, errors, _ = open_page(browser, site / "dalian-daily-2019-economy.html")
    term = page.locator('article a.term[data-term="shuang-lun-qu-dong"]').first
    card = term.locator(".card")
    assert not card.is_visible()
    term.hover()
    assert card.is_visible() and "dual drivers" in card.inner_text()
    assert term.get_attribute("href") == "glossary.html#gloss-shuang-lun-qu-dong"
    assert errors == []
    ctx.close()


@needs_browser
def test_search_finds_pinyin_with_and_without_tones_and_english(browser, site):
    ctx, page, errors, _ = open_page(browser, site / "mt" / "sample-page.html")
    for query in ("fangguanfu", "fàng guǎn fú", "放管服", "streamline administration"):
        page.fill("#search", query)
        assert page.locator(".s.match").count() >= 1, query
        assert "found" in page.inner_text("#search-status")
    page.fill("#search", "zzzqqq")
    assert page.locator(".s.match").count() == 0
    assert errors == []
    ctx.close()


@needs_browser
def test_layer_control(browser, site):
    ctx, page, errors, _ = open_page(browser, site / "mt" / "sample-page.html")
    mt, gl = page.locator(".s-en .mt").first, page.locator(".s-en .gl").first
    assert mt.is_visible() and not gl.is_visible()
    page.select_option("#opt-layer", "gloss")
    assert gl.is_visible() and not mt.is_visible()
    page.select_option("#opt-layer", "both")
    assert gl.is_visible() and mt.is_visible()
    page.select_option("#opt-layer", "none")
    assert not gl.is_visible() and not mt.is_visible()
    ctx.close()
    # without a model the page says so and shows the gloss
    ctx, page, errors, _ = open_page(browser, site / "dalian-daily-2019-economy.html")
    assert "No machine translation" in page.inner_text(".notice")
    assert page.locator(".s-en .gl").first.is_visible()
    assert errors == []
    ctx.close()


@needs_browser
def test_glossary_page_sorts_filters_and_links(browser, site):
    ctx, page, errors, _ = open_page(browser, site / "glossary.html")
    rows = page.locator("#gloss-table tbody tr")
    n = rows.count()
    assert n >= 40
    page.fill("#gloss-filter", "dual drivers")
    assert page.locator("#gloss-table tbody tr:visible").count() == 1
    page.fill("#gloss-filter", "")
    page.click('button[data-sort="3"]')
    page.click('button[data-sort="3"]')  # descending by occurrences
    first = rows.first.locator("td").nth(3).get_attribute("data-n")
    assert int(first) == max(int(rows.nth(i).locator("td").nth(3).get_attribute("data-n")) for i in range(n))
    link = page.locator("#gloss-shuang-lun-qu-dong td a").first.get_attribute("href")
    assert link.startswith("dalian-daily-2019-economy.html#dalian-daily-2019-economy.")
    assert errors == []
    ctx.close()


@needs_browser
def test_hostile_text_is_shown_as_text_and_runs_nothing(browser, hostile_site):
    for page_name in ("evil.html", "index.html", "glossary.html"):
        ctx, page, errors, dialogs = open_page(browser, hostile_site / page_name)
        page.hover("body")
        for el in page.locator(".s, .s-en, a.term").all()[:10]:
            el.hover()
        assert dialogs == [] and errors == []
        assert "<script>alert(1)</script>" in page.inner_text("body")
        assert page.evaluate("document.querySelectorAll('script').length") == 1  # only reader.js
        assert page.locator('[onmouseover]').count() == 0
        assert page.locator('a[href^="javascript:"]').count() == 0
        ctx.close()
