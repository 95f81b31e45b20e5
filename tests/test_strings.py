"""Interface wording per edition: the full table of strings × editions equals the reviewed copy.

docs/interface-strings.md is that copy, read by eye for each region. After a
deliberate change of templates/strings.yaml (or of a conversion rule that
touches a string), regenerate it with
`.venv/bin/python -m pytest tests/test_strings.py --update-expected` and read
the diff before committing it.
"""

from __future__ import annotations

import re

from handbook.content.checks import check_content
from handbook.site.strings import load_strings, edition_strings
from handbook.convert.converter import Converters
from handbook.editions import EDITIONS
from tests.conftest import ROOT

TABLE = ROOT / "docs" / "interface-strings.md"
HEADER = """# Interface strings, edition by edition

Every string of `templates/strings.yaml` as each edition shows it: the
Simplified original converted by OpenCC and `content/conversion.yaml`, or
the edition's own wording where its readers say it another way (搜尋 for
搜索, 資料 or 資訊 for 信息, 關鍵字 for 关键词, 依 for 按 in Taiwan). Each row
was read for Hong Kong and for Taiwan usage; `tests/test_strings.py` fails
when the strings give anything else, so a change here is always reviewed.
Line breaks show as ⏎.

"""


def table() -> str:
    handbook = check_content(ROOT / "content")
    strings, converters = load_strings(ROOT / "templates"), Converters()
    shown = {v.code: edition_strings(strings, v, converters(v, handbook.conversion), handbook.source_edition)
             for v in EDITIONS}
    rows = ["| key | " + " | ".join(f"`{v.code}`" for v in EDITIONS) + " |", "|---" * (len(EDITIONS) + 1) + "|"]
    for key in strings:
        cells = [shown[v.code][key].strip().replace("\n", "⏎").replace("|", "\\|") for v in EDITIONS]
        rows.append(f"| `{key}` | " + " | ".join(cells) + " |")
    return HEADER + "\n".join(rows) + "\n"


def test_every_string_of_every_edition_is_the_reviewed_one(request):
    current = table()
    if request.config.getoption("--update-expected"):
        TABLE.write_text(current, encoding="utf-8")
    assert current == TABLE.read_text(encoding="utf-8"), "run with --update-expected and review docs/interface-strings.md"


def test_traditional_editions_use_their_own_words_for_the_interface():
    """The mainland words the issue found (搜索, 信息, 关键词, 主导航, 当前位置, 开源软件, 全角, 构建时) are
    nowhere in the Traditional editions' interface, in either character form."""
    page = TABLE.read_text(encoding="utf-8")
    columns = {v.code: i for i, v in enumerate(EDITIONS, 1)}
    rows = [re.split(r"(?<!\\)\|", line)[1:-1] for line in page.splitlines() if line.startswith("| `") and "---" not in line]
    for code in ("zh-hk", "zh-tw"):
        text = "\n".join(row[columns[code]] for row in rows)
        for word in ("搜索", "措施信息", "關鍵詞", "主導航", "當前位置", "開源軟件" if code == "zh-tw" else "開源軟體",
                     "全角", "半角", "構建時", "發佈", "公佈", "台灣" if code == "zh-tw" else "臺灣"):
            assert word not in text, (code, word)
    assert "搜尋" in page and "資料" in page and "資訊" in page
