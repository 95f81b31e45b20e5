"""Counts behind docs/regional-usage.md, and its table of regional forms.

    .venv/bin/python docs/measure_regional.py          # print the counts
    .venv/bin/python docs/measure_regional.py --write  # also rewrite them and the table in the page

For each Traditional edition: in how many characters of the converted content
its OpenCC configuration (s2hk, s2tw), and OpenCC's standard s2t, write
another form than the edition does with its regional forms. The overrides
are left out: they fix the same mistakes whatever the base.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handbook.content import load  # noqa: E402
from handbook.convert import QUOTES, Converter, opencc_engine  # noqa: E402
from handbook.model import ConversionRules  # noqa: E402
from handbook.variants import BY_CODE, VARIANTS  # noqa: E402

PAGE = ROOT / "docs" / "regional-usage.md"
TABLE = ("<!-- regional-table -->", "<!-- /regional-table -->")
COUNTS = ("<!-- regional-counts -->", "<!-- /regional-counts -->")


def departures(texts: list[str], rules: ConversionRules, code: str, base: str) -> Counter:
    """(what `base` writes, what the edition writes) -> how many characters."""
    convert = Converter(BY_CODE[code], ConversionRules(rules.regional, ()))
    found: Counter = Counter()
    for text in texts:
        ours = convert.convert(text)[0]
        theirs = opencc_engine(base).convert(text).translate(QUOTES)
        found.update((a, b) for a, b in zip(theirs, ours) if a != b)
    return found


def table(rules: ConversionRules) -> str:
    rows = ["| edition | OpenCC writes | the edition writes | example | evidence |", "|---|---|---|---|---|"]
    rows += [f"| `{f.edition}` | {f.opencc} | {f.writes} | {f.example} | {f.why} |" for f in rules.regional]
    return "\n".join(rows)


def counts(texts: list[str], rules: ConversionRules) -> str:
    """The decision's numbers, as the page shows them."""
    rows = ["| edition | base | characters to correct | with `s2t` instead |", "|---|---|---|---|"]
    lines = []
    for variant in VARIANTS:
        if not variant.traditional:
            continue
        found = {base: departures(texts, rules, variant.code, base) for base in (variant.opencc, "s2t")}
        rows.append(f"| `{variant.code}` | `{variant.opencc}` and the regional forms | "
                    f"{sum(found[variant.opencc].values())} | {sum(found['s2t'].values())} |")
        for base, pairs in found.items():
            shown = ", ".join(f"{a}→{b} {n}" for (a, b), n in pairs.most_common())
            lines.append(f"- `{variant.code}`, `{base}`: {shown}.")
    return (f"On {sum(map(len, texts)):,} characters of converted content:\n\n" + "\n".join(rows)
            + "\n\nBy character (what the base writes → what the edition writes, how often):\n\n" + "\n".join(lines))


def rewrite(page: str, markers: tuple[str, str], body: str) -> str:
    before, rest = page.split(markers[0], 1)
    return f"{before}{markers[0]}\n{body}\n{markers[1]}{rest.split(markers[1], 1)[1]}"


def main() -> None:
    loaded = load(ROOT / "content")
    texts = [text for _, _, text in loaded.texts()]
    shown = counts(texts, loaded.conversion)
    print(shown)
    if "--write" in sys.argv:
        page = rewrite(PAGE.read_text(encoding="utf-8"), TABLE, table(loaded.conversion))
        PAGE.write_text(rewrite(page, COUNTS, shown), encoding="utf-8")
        print(f"wrote the counts and the table in {PAGE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
