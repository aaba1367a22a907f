"""Screenshots of a reader page at desktop and phone widths, with Debian's Chromium.

    python -m annotate.html.screenshots exports/html/dalian-daily-2019-economy.html docs/screenshots
"""

from __future__ import annotations

import sys
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium tries to reach Google at start-up;
# this machine has no network, so those attempts only add noise and delay.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def take_screenshots(html_path: Path, out_dir: Path, browser=None) -> list[Path]:
    """Desktop (1280 px) and phone (390 px) screenshots of a document page: returns the PNG paths.

    Pass an open Playwright ``browser`` to reuse it: the sync API refuses a second
    ``sync_playwright()`` while one is running in the same thread (as in the test module).
    """
    if browser is not None:
        return _shoot(browser, html_path, out_dir)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        own = launch(p)
        try:
            return _shoot(own, html_path, out_dir)
        finally:
            own.close()


def _shoot(browser, html_path: Path, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    shots = []
    for name, width, height in (("reader-desktop", 1280, 900), ("reader-phone", 390, 844)):
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(html_path.resolve().as_uri())
        word = page.locator("article .s .term [data-k]").first
        if width > 600 and word.count():  # desktop: a glossary term's popup open, as a reader sees it
            word.scroll_into_view_if_needed()
            page.evaluate("window.scrollBy(0, -200)")
            x, y = word.evaluate("e => { const r = e.getClientRects()[0]; return [r.x + 4, r.y + r.height * .7]; }")
            page.mouse.move(x, y)
        elif page.locator("article").count():  # phone: the text itself, stacked zh then en
            page.evaluate("document.querySelector('article').scrollIntoView()")
        target = out_dir / f"{name}.png"
        page.screenshot(path=str(target))
        shots.append(target)
        page.close()
    return shots


if __name__ == "__main__":
    for shot in take_screenshots(Path(sys.argv[1]), Path(sys.argv[2])):
        print(shot)
