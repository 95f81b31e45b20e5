"""Interface wording filled in: the {name} placeholders of templates/strings.yaml, and dates as each language writes them.

Pure functions, used by the templates as the filters `fill` and `cndate` and by citation.py.
"""

from __future__ import annotations

import datetime
import re

# A placeholder is a name in braces, as in "第{n}项" or "第{first}至{last}项，共{total}项".
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def fill(pattern: str, /, **values) -> str:
    """The pattern with each {name} given in values replaced by str(value), in one pass.

    What a value brings in is not read again: fill("第{n}项", n="{n}") is "第{n}项". A placeholder
    not given stays as written, and text without placeholders comes back unchanged. The result is
    plain text (in a template, autoescaping escapes it as it would the pattern).
    """
    def value(match: re.Match) -> str:
        name = match.group(1)
        return str(values[name]) if name in values else match.group(0)
    return _PLACEHOLDER.sub(value, pattern)


def cndate(d: datetime.date) -> str:
    """A date as Chinese text writes it: 2022年3月9日 (no leading zeros)."""
    return f"{d.year}年{d.month}月{d.day}日"


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def written_date(d: datetime.date, lang: str) -> str:
    """A date as the edition's language writes it: 2022年3月9日 in Chinese, 9 March 2022 in English."""
    if lang.startswith("zh"):
        return cndate(d)
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def file_size(size: int) -> str:
    """A file's size as download links give it, the same in every language: 812 B, 14.2 KB, 3.1 MB (1 KB = 1,024 B)."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"
