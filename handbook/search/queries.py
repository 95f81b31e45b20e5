"""The tables that make queries script-blind.

Pagefind indexes each edition's measure pages into an index of its own (one
per `<html lang>`), and never matches Simplified to Traditional. So the
search page converts the reader's query into the page's script before it
searches. The conversion tables are made here, at build time, from the
content itself: every converted edition's text is the source converted
character for character (OpenCC plus content/conversion.yaml), so lining
them up gives exactly the mapping the index was built with, including the
reviewed fixes, and only for characters the handbook uses. A character with
more than one counterpart (制 → 制 or 製) is decided by its neighbour, as in
the content.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict

from ..convert.converter import Converter
from ..model import SEARCHED_FIELDS, Content, Handbook
from ..urls import search_data_path


def searchable_texts(content: Content, convert=lambda text: text) -> list[str]:
    """The text of every record that reaches the index or the facets, in a fixed order, each field
    passed through `convert` (an edition's Converter gives that edition's text of the same fields)."""
    def text(record) -> str:
        return "\n".join(convert(getattr(record, name) or "") for name in SEARCHED_FIELDS[type(record)])

    texts = [text(m) for m in content.measures]
    texts += [text(s) + "\n" + "\n".join(text(c) for c in s.categories) for s in content.sources]
    return texts + [text(u) for u in content.units] + [text(t) for t in content.topics]


def searched_values(content: Content) -> tuple:
    """What searchable_texts() is made of, by field: equal exactly when its texts are, and cheaper to
    compare (an unchanged record gives the very same strings) than the texts are to make."""
    def values(record) -> tuple:
        return tuple(getattr(record, name) for name in SEARCHED_FIELDS[type(record)])

    return (tuple(map(values, content.measures)),
            tuple((values(s), tuple(map(values, s.categories))) for s in content.sources),
            tuple(map(values, content.units)), tuple(map(values, content.topics)))


def _table(source: str, target: str, pairs: Counter) -> dict:
    """Character mapping from aligned texts: {map, next, prev} for the JavaScript converter.

    `pairs` counts (source character, target character) over the two texts:
    counted once in C (Counter over zip()) for both directions, as a
    10,000-measure handbook is a few million characters.
    """
    counts: dict[str, Counter] = defaultdict(Counter)
    for (a, b), n in pairs.items():
        counts[a][b] += n
    default = {a: c.most_common(1)[0][0] for a, c in counts.items()}
    table = {"map": {a: b for a, b in sorted(default.items()) if a != b}, "next": {}, "prev": {}}
    ambiguous = {a for a, c in counts.items() if len(c) > 1}
    if not ambiguous:
        return table
    sides: dict[str, Counter] = {"next": Counter(), "prev": Counter()}
    padded = f"\n{source}\n"
    # only where an ambiguous character stands: found by a regular expression, in C
    for match in re.finditer("[" + "".join(map(re.escape, sorted(ambiguous))) + "]", source):
        at, a = match.start(), match.group()
        sides["next"][(a + padded[at + 2], target[at])] += 1
        sides["prev"][(padded[at] + a, target[at])] += 1
    for side, found in sides.items():
        seen: dict[str, set] = defaultdict(set)
        for (pair, b) in found:
            seen[pair].add(b)
        char_at = 0 if side == "next" else 1
        for pair in sorted(seen):
            if len(seen[pair]) == 1 and "\n" not in pair:
                (b,) = seen[pair]
                if b != default[pair[char_at]]:
                    table[side][pair] = b
    return table


def query_tables(handbook: Handbook, converter=None) -> dict[str, dict]:
    """Per edition code: {"toSimplified": table, "fromSimplified": table} for queries.

    `converter(edition, rules)` may hand out remembered Converters (a rebuild's cache).
    """
    converter = converter or Converter
    simplified = searchable_texts(handbook.content)
    # Each field converted as the pages are, but without an edition's own wording (a topic named 數位政府
    # where the Simplified says 数字政府): the tables map characters, and wording is not a conversion.
    converted = {v.code: searchable_texts(handbook.content, converter(v, handbook.conversion))
                 for v in handbook.editions if v.converted}
    for code, texts in converted.items():
        for a, b in zip(simplified, texts):
            if len(a) != len(b):  # conversion is character for character; the tables rely on it
                raise ValueError(f"{code} conversion changed the length of: {a[:40]}")
    source = "\n".join(simplified)
    joined = {code: "\n".join(texts) for code, texts in converted.items()}
    counts = {code: Counter(zip(source, text)) for code, text in joined.items()}
    back: Counter = Counter()
    for found in counts.values():
        back.update({(b, a): n for (a, b), n in found.items()})
    to_simplified = _table("\n".join(joined.values()), "\n".join([source] * len(joined)), back)
    tables = {handbook.source_edition.code: {"toSimplified": to_simplified, "fromSimplified": _table("", "", Counter())}}
    for edition in handbook.editions:  # a Chinese query on a translated edition is read as Simplified (the termbase's)
        if edition.translated:
            tables[edition.code] = tables[handbook.source_edition.code]
    for code, text in joined.items():
        tables[code] = {"toSimplified": to_simplified, "fromSimplified": _table(source, text, counts[code])}
    return tables


def query_table_files(handbook: Handbook, converter=None) -> dict[str, bytes]:
    return {search_data_path(code, "script.json"):
            json.dumps(table, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
            for code, table in query_tables(handbook, converter).items()}
