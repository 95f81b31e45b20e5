"""Counts behind docs/regional-usage.md, and its table of regional forms.

    .venv/bin/python docs/measure_regional.py          # print the counts
    .venv/bin/python docs/measure_regional.py --write  # also rewrite the table in the page

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
START, END = "<!-- regional-table -->", "<!-- /regional-table -->"


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


def main() -> None:
    loaded = load(ROOT / "content")
    texts = [text for _, _, text in loaded.texts()]
    print(f"{sum(map(len, texts)):,} characters of converted content")
    for variant in VARIANTS:
        if not variant.traditional:
            continue
        for base in (variant.opencc, "s2t"):
            found = departures(texts, loaded.conversion, variant.code, base)
            shown = ", ".join(f"{a}→{b} {n}" for (a, b), n in found.most_common())
            print(f"{variant.code}: {base} departs in {sum(found.values())}: {shown}")
    if "--write" in sys.argv:
        page = PAGE.read_text(encoding="utf-8")
        before, rest = page.split(START, 1)
        after = rest.split(END, 1)[1]
        PAGE.write_text(f"{before}{START}\n{table(loaded.conversion)}\n{END}{after}", encoding="utf-8")
        print(f"wrote the table in {PAGE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
