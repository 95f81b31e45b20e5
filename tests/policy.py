"""What in a page's markup the site's Content-Security-Policy (handbook.commands.serve) would refuse.

The browser finds a violation only on the pages it loads; this reads every
page's HTML for what the policy forbids, directive by directive, so that
all pages are checked in a second while Chromium loads one page of each
kind (tests/test_csp.py, which also shows both checks catch each breach).
What scripts do at run time is the browser's part: the same scripts run on
every page of a kind.

    default-src 'none'            no frame, object, media, manifest or font from anywhere
    script-src 'self'             scripts from the site's own files; inline only as a data block (JSON-LD)
    style-src 'self'              stylesheets from the site; no <style>, no style attribute
    img-src data:                 images (the favicon) as data: URLs only
    base-uri 'none'               no <base>
    form-action 'self'            forms send to the site
    (no 'unsafe-inline')          no onclick=… handlers, no javascript: URLs
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

DATA_BLOCKS = {"application/ld+json", "application/json"}  # <script> types that are data, never run
EMBEDDED = {"iframe", "frame", "object", "embed", "video", "audio", "source", "track", "portal"}
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "poster", "srcset")


def _own(url: str, origin: str) -> bool:
    """Whether `url`, in a page of `origin` (scheme://host:port), is the site's own."""
    parts = urlsplit(url.strip())
    if not parts.scheme and not parts.netloc:
        return True  # a relative or root-relative URL
    return f"{parts.scheme}://{parts.netloc}" == origin


class _Breaches(HTMLParser):
    def __init__(self, origin: str):
        super().__init__(convert_charrefs=True)
        self.origin, self.found = origin, []

    def breach(self, directive: str, what: str) -> None:
        line, column = self.getpos()
        self.found.append(f"{line}:{column + 1}: {directive} refuses {what}")

    def handle_starttag(self, tag, attrs):
        a = {name: value or "" for name, value in attrs}
        for name, value in a.items():
            if name.startswith("on"):
                self.breach("script-src", f"the inline handler {name}= on <{tag}>")
            if name == "style":
                self.breach("style-src", f"a style attribute on <{tag}>")
            if name in URL_ATTRIBUTES and value.strip().lower().startswith("javascript:"):
                self.breach("script-src", f"a javascript: URL in <{tag} {name}>")
        if tag == "script":
            if "src" in a:
                if not _own(a["src"], self.origin):
                    self.breach("script-src", f"the script {a['src']}")
            elif a.get("type", "").strip().lower() not in DATA_BLOCKS:
                self.breach("script-src", "an inline script")
        elif tag == "style":
            self.breach("style-src", "a <style> element")
        elif tag == "link":
            rels = set(a.get("rel", "").lower().split())
            href = a.get("href", "")
            if "stylesheet" in rels and not _own(href, self.origin):
                self.breach("style-src", f"the stylesheet {href}")
            if rels & {"icon", "apple-touch-icon"} and not href.startswith("data:"):
                self.breach("img-src", f"the icon {href}")
            if rels & {"preload", "modulepreload", "prefetch", "manifest"}:
                self.breach("default-src", f"<link rel={a['rel']}> {href}")
        elif tag == "img" or (tag == "input" and a.get("type") == "image"):
            for name in ("src", "srcset"):
                if name in a and not a[name].startswith("data:"):
                    self.breach("img-src", f"the image {a[name]}")
        elif tag in EMBEDDED:
            self.breach("default-src", f"<{tag}>")
        elif tag == "base":
            self.breach("base-uri", "<base>")
        elif tag == "form" and "action" in a and not _own(a["action"], self.origin):
            self.breach("form-action", f"a form sent to {a['action']}")
        if "formaction" in a and not _own(a["formaction"], self.origin):
            self.breach("form-action", f"a button sending the form to {a['formaction']}")


def policy_breaches(html: str, origin: str) -> list[str]:
    """What the policy would refuse in a page served from `origin`, as "line:column: directive refuses what"."""
    reader = _Breaches(origin)
    reader.feed(html)
    reader.close()
    return reader.found
