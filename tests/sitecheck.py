"""Read a built site as a crawler would: pages, their links, their language.

Helpers for the tests, not tests themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit


@dataclass
class PageFacts:
    lang: str = ""
    links: list[tuple[str, str, dict]] = field(default_factory=list)  # (tag, url, attributes)
    text: list[str] = field(default_factory=list)
    variant_links: list[str] = field(default_factory=list)  # hrefs in the edition switch


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.facts = PageFacts()
        self.in_variants = 0
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.facts.lang = attributes.get("lang", "")
        if tag in ("script", "style"):
            self.skip += 1
        if tag == "nav" and "variants" in (attributes.get("class") or ""):
            self.in_variants = 1
        for name in ("href", "src"):
            if attributes.get(name):
                self.facts.links.append((tag, attributes[name], attributes))
                if self.in_variants and tag == "a":
                    self.facts.variant_links.append(attributes[name])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1
        if tag == "nav":
            self.in_variants = 0

    def handle_data(self, data):
        if not self.skip:
            self.facts.text.append(data)


def read_page(path: Path) -> PageFacts:
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader.facts


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def target_file(site: Path, prefix: str, url: str) -> Path | None:
    """The file a same-site URL points at, or None for another site's URL."""
    parts = urlsplit(url)
    if parts.scheme and parts.netloc and not parts.path.startswith(prefix):
        return None
    path = parts.path
    assert path.startswith(prefix), f"{url} is outside the site prefix {prefix}"
    relative = path[len(prefix):]
    target = site / relative
    return target / "index.html" if path.endswith("/") else target


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", "（": "）"}


def nested_marks(text: str) -> list[str]:
    """Where a quotation mark (or full-width parenthesis) opens inside one of the same shape.

    Chinese typography alternates shapes: 「…『…』…」, “…‘…’…”. A closing mark without an opening
    one is left alone (measure 27 of the source has one); only same-shape nesting is reported.
    """
    closers = {close: open_ for open_, close in PAIRS.items()}
    depth = dict.fromkeys(PAIRS, 0)
    found = []
    for at, char in enumerate(text):
        if char in PAIRS:
            if depth[char]:
                found.append(text[max(0, at - 20):at + 20])
            depth[char] += 1
        elif char in closers and depth[closers[char]]:
            depth[closers[char]] -= 1
    return found
