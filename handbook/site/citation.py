"""How a measure is cited: the line readers copy, and the same facts for machines (JSON-LD)."""

from __future__ import annotations

import json

from markupsafe import Markup

from .views import MeasureView
from .wording import cndate, fill, written_date
from ..editions import Edition


# Quotation marks inside quotation marks take the other shape: “…‘…’…” in Simplified, 「…『…』…」 in Traditional.
NESTED = str.maketrans({"“": "‘", "”": "’", "‘": "“", "’": "”", "「": "『", "」": "』", "『": "「", "』": "」"})


def nested(text: str) -> str:
    """A text put inside quotation marks: its own marks become the inner shape."""
    return text.translate(NESTED)


def citation(view: MeasureView, t: dict, url: str, edition: Edition) -> str:
    """The line a reader copies to cite a measure, in the edition's wording (strings.yaml).

    The measure's title goes inside the citation's quotation marks, so its own marks are nested:
    第2項「率先實行工業項目『一個部門、一枚印章管審批』」.
    """
    source, measure = view.ref.source, view.ref.measure
    if not edition.lang.startswith("zh"):  # English: the document's title as it is, its number and date by commas
        return fill(t["citation"], title=source.title, number=f"{source.number}, " if source.number else "",
                    date=written_date(source.date, edition.lang), n=measure.number, measure=nested(measure.title),
                    url=url)
    return fill(t["citation"], title=f"《{source.title}》", number=f"{source.number}，" if source.number else "",
                date=cndate(source.date), n=measure.number, measure=nested(measure.title), url=url)


def jsonld(view: MeasureView, edition: Edition, url: str, t: dict, source_edition: Edition | None = None,
           original_url: str = "") -> Markup:
    """schema.org Legislation data for the page's <script type="application/ld+json">; a translation
    names the Chinese it translates (translationOfWork). Its identifier is what a reader cites: the
    发文字号 as issued (never converted), else the document's title, with the item's number."""
    source, measure = view.ref.source, view.ref.measure
    cited = source.number or (f"《{source.title}》" if edition.lang.startswith("zh") else source.title)
    identifier = f"{cited} {fill(t['item'], n=measure.number)}"  # as the page writes it: 穗府函〔2022〕183號 第5項
    body = {"@type": "GovernmentOrganization", "name": source.body}
    data = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "name": measure.title,
        "identifier": identifier,
        "legislationIdentifier": source.identifier or identifier,  # the official number as issued
        "inLanguage": edition.lang,
        "url": url,
        "isPartOf": {"@type": "Legislation", "name": source.title,
                     **({"legislationIdentifier": source.identifier} if source.identifier else {}),
                     **({"url": source.url} if source.url else {})},
        "publisher": {"@type": "GovernmentOrganization", "name": source.publisher or source.issuer},
        **({"legislationPassedBy": body} if source.issuer else {}),
        **({"legislationDate": source.written.isoformat()} if source.written else {}),
        **({"datePublished": source.published.isoformat()} if source.published else {}),
    }
    if measure.translation == "missing":  # the page shows the Chinese, untranslated
        data["inLanguage"] = source_edition.lang
    elif view.original is not None:
        data["translationOfWork"] = {"@type": "Legislation", "name": view.original.title,
                                     "inLanguage": source_edition.lang, "url": original_url}
    return Markup(script_json(data))


# Inside <script>, the HTML parser ends the block at "</script" and changes state at "<!--" before
# JSON is read: with <, > and & written as escapes, no text can do either (and the JSON is the same).
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                              "\u2029": "\\u2029"})


def script_json(data) -> str:
    """JSON to put inside a <script> element: no content can end the element or hide the page after it."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_SCRIPT_SAFE)
