"""Repair the punctuation the scrape of the seed documents turned into ASCII.

The published documents use full-width ，；：（）. The scraped copies have
, ; : ( ) instead. This is the one change the handbook makes to official
text, and it is made by rule, never by hand:

- `,` `;` `:` become ，；： when a Chinese character (a Han character or
  Chinese punctuation such as ”》、) stands on either side of them, unless
  they stand between two ASCII digits (17:38, 3,000 stay as they are);
- `(` becomes （ when a Chinese character stands on either side of it, and
  the `)` that closes it becomes ）; `(` `)` around ASCII-only text stay.

ASCII elsewhere stays as it is: 1+3+4, 10.9亿, “9+2”, 2019年9月, CBD, Ukey.
"""

from __future__ import annotations

import re

FULL_WIDTH = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）"}
_MARKS = re.compile(r"[,;:()]")


def is_chinese(char: str) -> bool:
    """A Han character or a piece of Chinese (full-width) punctuation."""
    code = ord(char)
    return (
        0x3400 <= code <= 0x9FFF  # CJK unified ideographs and extension A
        or 0x20000 <= code <= 0x3FFFF  # extensions B and later
        or 0x3000 <= code <= 0x303F  # CJK symbols and punctuation: 、。《》〔〕「」
        or 0xFF00 <= code <= 0xFFEF  # full-width forms: ，；：（）
        or char in "“”‘’—…·•"
    )


def repair(text: str) -> str:
    """The text with scraped ASCII punctuation turned back into full width."""
    chars = list(text)
    open_parens: list[tuple[int, bool]] = []  # index of each open "(" and whether it became （
    for match in _MARKS.finditer(text):  # only the marks: most text has none left
        i, char = match.start(), match.group()
        before = chars[i - 1] if i > 0 else ""
        after = chars[i + 1] if i + 1 < len(chars) else ""
        chinese_beside = is_chinese(before) if before else False
        chinese_beside = chinese_beside or (is_chinese(after) if after else False)
        if char in ",;:":
            between_digits = before.isascii() and before.isdigit() and after.isascii() and after.isdigit()
            if chinese_beside and not between_digits:
                chars[i] = FULL_WIDTH[char]
        elif char == "(":
            open_parens.append((i, chinese_beside))
            if chinese_beside:
                chars[i] = FULL_WIDTH[char]
        elif char == ")":
            converted = open_parens.pop()[1] if open_parens else chinese_beside
            if converted:
                chars[i] = FULL_WIDTH[char]
    return "".join(chars)
