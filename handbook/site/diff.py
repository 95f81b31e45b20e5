"""Two versions of a text side by side, what was taken out marked <del> and what was put in <ins>.

Chinese is compared character by character, other writing word by word (a
word is a run of Latin letters or digits), so a changed character is one
mark and a changed English word is one word, not its letters.
"""

from __future__ import annotations

import difflib
import re

from markupsafe import Markup, escape

_TOKENS = re.compile(r"[A-Za-z0-9]+|\s+|.", re.S)


def side_by_side(before: str, after: str) -> tuple[Markup, Markup]:
    """(before with its removals marked, after with its additions marked), as HTML."""
    a, b = _TOKENS.findall(before), _TOKENS.findall(after)
    left, right = [], []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        old, new = escape("".join(a[a1:a2])), escape("".join(b[b1:b2]))
        if op == "equal":
            left.append(old)
            right.append(new)
            continue
        if old:
            left.append(Markup("<del>{}</del>").format(old))
        if new:
            right.append(Markup("<ins>{}</ins>").format(new))
    return Markup("").join(left), Markup("").join(right)
