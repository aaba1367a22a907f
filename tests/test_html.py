"""The reader in a real browser (Debian's Chromium through Playwright): layout, pairing,
pinyin, term cards, search, layers, escaping; and the pages' HTML itself."""

from __future__ import annotations

import html.parser
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    page.check("#opt-pinyin")
    page.check("#opt-tone-num")
    after = page.evaluate("getComputedStyle(document.querySelector('article rt'), '::after').content")
    assert re.fullmatch(r'"[a-z]+[1-5]"', after), after  # numbered tones shown instead of tone marks
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
        for el in page.locator(".s, a.term").all()[:10]:
            el.scroll_into_view_if_needed()
            el.hover()
        assert dialogs == [] and errors == []
        assert "<script>alert(1)</script>" in page.inner_text("body")
        assert page.evaluate("document.querySelectorAll('script').length") == 1  # only reader.js
        assert page.locator('[onmouseover]').count() == 0
        assert page.locator('a[href^="javascript:"]').count() == 0
        ctx.close()


def _hex(c: str) -> tuple[float, float, float]:
    c = c.lstrip("#")
    return tuple(int(c[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _luminance(c: str) -> float:
    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(v) for v in _hex(c))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_colours_meet_wcag_aa_in_light_and_dark():
    css = (ROOT / "src" / "annotate" / "templates" / "assets" / "reader.css").read_text("utf-8")
    themes = re.findall(r":root\s*\{([^}]*)\}", css)
    assert len(themes) == 2  # light, and dark inside prefers-color-scheme
    for theme in themes:
        v = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", theme))
        pairs = [("fg", "bg"), ("muted", "bg"), ("link", "bg"), ("term", "term-bg"), ("term", "bg"), ("per", "bg"),
                 ("loc", "bg"), ("org", "bg"), ("time", "bg"), ("missing", "bg"), ("card-fg", "card-bg"), ("fg", "hl"),
                 ("fg", "pin"), ("fg", "panel"), ("muted", "panel")]
        for fg, bg in pairs:
            assert contrast(v[fg], v[bg]) >= 4.5, (fg, bg, round(contrast(v[fg], v[bg]), 2))


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: set[str] = set()
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs.update(k for k, _ in attrs)
        self.scripts += tag == "script"


ALLOWED_TAGS = {"html", "head", "meta", "title", "link", "body", "a", "header", "nav", "form", "label", "input", "select",
                "option", "span", "main", "h1", "h2", "h3", "p", "strong", "code", "article", "div", "ruby", "rt", "b",
                "section", "footer", "script", "ol", "li", "br", "table", "thead", "tbody", "tr", "th", "td", "button", "small"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("<>&\"'=/ scriptonmouseover大连javascript:]]!-")), min_size=1, max_size=60))
def test_any_text_in_any_field_stays_text(tmp_path, text):
    doc = sample_document("p")
    doc.meta["title"] = text
    for block in doc.blocks():
        block.text = text
    for s in doc.sentences:
        s.gloss = text
        s.translation.text = text
        s.tokens[0].text = text
        s.tokens[0].pinyin = text
    entry = sample_glossary()[0]
    entry.target, entry.definition, entry.source_ref, entry.alternatives = text, text, text, [text]
    site = HtmlSite(tmp_path / "h", [entry])
    site.add(doc)
    site.finish()
    for page in ("p.html", "index.html", "glossary.html"):
        parser = _Tags()
        parser.feed((tmp_path / "h" / page).read_text("utf-8"))
        assert parser.tags <= ALLOWED_TAGS, parser.tags - ALLOWED_TAGS
        assert not any(a.startswith("on") for a in parser.attrs)
        assert parser.scripts == 1
