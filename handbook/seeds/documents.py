"""Parse the seed documents (scraped official texts) into plain records.

Two layouts exist, named by a source file's `seed.format`:

- `numbered-list`: page chrome, a 序号/名称/具体内容 header, then per
  measure a number line, a title line and a text paragraph, separated by
  blank lines, up to the "相关附件" chrome.
- `pipe-table`: a notice (number, title, addressees, sections 一 and 二,
  issuer, date) and an attachment table
  `分类 | 序号 | 项目名称 | 实施内容 | 市层面责任单位 | 推广范围 |`,
  whose empty 分类 cells inherit the category of the row above.

Anything that does not fit the layout raises `SeedError` with the line, so
a damaged seed is never half-read; a seed that is not a regular file (a
link, a named pipe) is never read at all (`UnreadableSeed`). Every text field comes out with the
punctuation repair applied; that is the form content is checked against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..reading import UnreadableFile, read_regular
from .punctuation import repair

SENTENCE_END = "。！？”）；"
MAX_SEED_BYTES = 16 * 1024 * 1024  # the real seeds are under 100 KB


class SeedError(Exception):
    def __init__(self, line: int, message: str):
        self.line, self.message = line, message
        super().__init__(f"line {line}: {message}")


class UnreadableSeed(SeedError):
    """The seed is not a regular file the build may read, or is too large: `message` says which."""

    def __init__(self, message: str, hint: str):
        super().__init__(0, message)
        self.hint = hint


@dataclass(frozen=True)
class SeedMeasure:
    number: int
    title: str
    text: str
    category: str | None = None
    units: tuple[str, ...] = ()
    scope: str | None = None

    @property
    def truncated(self) -> bool:
        """The source breaks off mid-sentence (measure 39 of the 开发区 list)."""
        return not self.text.endswith(tuple(SENTENCE_END))


@dataclass(frozen=True)
class SeedDocument:
    measures: tuple[SeedMeasure, ...]
    metadata: dict[str, str] = field(default_factory=dict)
    # pipe-table notices: (area name, stated count) from section 一's headings,
    # and the area names as its opening sentence lists them.
    area_counts: tuple[tuple[str, int], ...] = ()
    area_names_in_summary: tuple[str, ...] = ()


def load_seed(path: Path, layout: str) -> SeedDocument:
    try:
        data = read_regular(path, MAX_SEED_BYTES)
    except UnreadableFile as error:
        raise UnreadableSeed(error.refused.reason, error.refused.hint) from None
    if len(data) > MAX_SEED_BYTES:
        raise UnreadableSeed(f"is larger than {MAX_SEED_BYTES // 2**20} MB", "is this the right file?")
    return PARSERS[layout](data.decode("utf-8"))


def parse_numbered_list(text: str) -> SeedDocument:
    lines = text.split("\n")
    try:
        start = next(i for i in range(len(lines) - 4)
                     if [lines[i], lines[i + 2], lines[i + 4]] == ["序号", "名称", "具体内容"])
    except StopIteration:
        raise SeedError(1, "no 序号 / 名称 / 具体内容 table header") from None
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("相关附件")), len(lines))
    metadata = {"title": _first_after(lines, 0, start, lambda l: l.endswith("清单"))}
    for line in lines[:start]:
        if match := re.match(r"信息来源[:：](\S+)\s+时间[:：](\d{4}-\d{2}-\d{2})", line):
            metadata["origin"], metadata["published"] = match[1], match[2]  # the web page's time stamp

    measures = []
    i = start + 5
    while i < end:
        if not lines[i].strip():
            i += 1
            continue
        number, title, body = lines[i], _next_text(lines, i + 1, end), None
        if not number.isdigit():
            raise SeedError(i + 1, f"expected a measure number, found {number[:20]!r}")
        if title is None:
            raise SeedError(i + 1, f"measure {number} has no title")
        body = _next_text(lines, title + 1, end)
        if body is None:
            raise SeedError(title + 1, f"measure {number} has no text")
        measures.append(SeedMeasure(int(number), repair(lines[title].strip()), repair(lines[body].strip())))
        i = body + 1
    _check_numbering(measures)
    return SeedDocument(tuple(measures), metadata)


def parse_pipe_table(text: str) -> SeedDocument:
    lines = text.split("\n")
    header = next((i for i, l in enumerate(lines) if l.startswith("分类 | 序号 |")), None)
    if header is None:
        raise SeedError(1, "no `分类 | 序号 | …` table header")
    metadata = {"number": lines[0].strip(), "title": repair(lines[1].strip())}
    areas, summary_names = [], ()
    for n, line in enumerate(lines[:header], 1):
        if match := re.fullmatch(r"\(([一二三四五六七八九十]+)\)(.+?)领域\((\d+)项\)。", line.strip()):
            areas.append((match[2], int(match[3])))
        elif match := re.search(r"主要包括(.+?)等\d+方面内容", line):
            summary_names = tuple(match[1].split("、"))
        elif match := re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", line.strip()):
            metadata["written"] = f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}"  # the signature's date
            metadata["issuer"] = lines[n - 2].strip()

    measures, category = [], None
    for n in range(header + 1, len(lines)):
        line = lines[n]
        if not line.strip():
            continue
        cells = [cell.strip() for cell in line.split(" | ")]
        if cells[-1].endswith("|"):
            cells[-1] = cells[-1][:-1].strip()
        if len(cells) == 5:  # 分类 left empty: inherit from the row above
            cells.insert(0, "")
        if len(cells) != 6 or not cells[1].isdigit():
            raise SeedError(n + 1, f"expected 6 cells (分类 | 序号 | 项目名称 | 实施内容 | 责任单位 | 推广范围), found {len(cells)}")
        category = cells[0] or category
        if category is None:
            raise SeedError(n + 1, "the first row has no 分类")
        measures.append(SeedMeasure(
            number=int(cells[1]), title=repair(cells[2]), text=repair(cells[3]), category=category,
            units=tuple(unit.strip() for unit in cells[4].split("、") if unit.strip()),
            scope=re.sub(r"\s+", "", cells[5]) or None,
        ))
    _check_numbering(measures)
    return SeedDocument(tuple(measures), metadata, tuple(areas), summary_names)


PARSERS = {"numbered-list": parse_numbered_list, "pipe-table": parse_pipe_table}


def _next_text(lines: list[str], start: int, end: int) -> int | None:
    return next((i for i in range(start, end) if lines[i].strip()), None)


def _first_after(lines: list[str], start: int, end: int, wanted) -> str:
    return next((l.strip() for l in lines[start:end] if wanted(l.strip())), "")


def _check_numbering(measures: list[SeedMeasure]) -> None:
    for expected, measure in enumerate(measures, 1):
        if measure.number != expected:
            raise SeedError(0, f"measures are not numbered 1, 2, 3 …: found {measure.number} where {expected} was expected")
