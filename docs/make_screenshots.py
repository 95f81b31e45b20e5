"""Screenshots for the README: a measure page in each edition, desktop and phone, and the ways in
(the home page, the list of all measures, the search page) on a phone.

Run with `make screenshots`: builds the site, serves it on 127.0.0.1 and
has headless Chromium (Debian's package) photograph the page. Needs a CJK
font (Debian: fonts-noto-cjk), which `make test-deps` installs.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handbook.build.builder import build  # noqa: E402
from devtools.browser import launch_browser, serve as serving  # noqa: E402
from handbook.editions import EDITIONS  # noqa: E402

MEASURE = "nansha-batch6-09"
SIZES = {"desktop": (1280, 1500), "phone": (390, 1900)}
WAYS_IN = {"home-zh-hk": "zh-hk/", "measures-zh-tw": "zh-tw/measures/", "search-en": "en/search/?q=customs"}
CHROMIUM = ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


def main() -> None:
    site = ROOT / "build" / "screenshot-site"
    build(ROOT, ROOT / "content", site, "http://127.0.0.1/")
    out = ROOT / "docs" / "screenshots"
    out.mkdir(exist_ok=True)
    with serving(site) as base:
        for variant in EDITIONS:
            for name, (width, height) in SIZES.items():
                target = out / f"measure-{variant.code}-{name}.png"
                subprocess.run(CHROMIUM + [f"--window-size={width},{height}", f"--screenshot={target}",
                                           f"{base}{variant.code}/measures/{MEASURE}/"],
                               check=True, capture_output=True, timeout=60)
                print(target.relative_to(ROOT))
        with launch_browser() as browser:  # Playwright, to wait for the search results
            page = browser.new_page(viewport={"width": 390, "height": 1200})
            for name, path in WAYS_IN.items():
                target = out / f"{name}-phone.png"
                page.goto(f"{base}{path}")
                if "search/" in path:
                    page.wait_for_selector("#search[data-ready] #search-results li")
                page.screenshot(path=str(target))
                print(target.relative_to(ROOT))


if __name__ == "__main__":
    main()
