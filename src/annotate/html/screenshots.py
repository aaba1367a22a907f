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


def take_screenshots(page_path: Path, out_dir: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out_dir.mkdir(parents=True, exist_ok=True)
    shots = []
    with sync_playwright() as p:
        browser = launch(p)
        for name, width, height in (("reader-desktop", 1280, 900), ("reader-phone", 390, 844)):
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(page_path.resolve().as_uri())
            term = page.locator("article a.term").first
            if width > 600 and term.count():
                term.scroll_into_view_if_needed()
                page.evaluate("window.scrollBy(0, -200)")
                term.hover()
            target = out_dir / f"{name}.png"
            page.screenshot(path=str(target))
            shots.append(target)
            page.close()
        browser.close()
    return shots


if __name__ == "__main__":
    for shot in take_screenshots(Path(sys.argv[1]), Path(sys.argv[2])):
        print(shot)
