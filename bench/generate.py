#!/usr/bin/env python3
"""Generate a synthetic handbook of N measures, to measure how the build scales.

    python bench/generate.py N OUT [--force]

writes OUT/content/ and OUT/seeds/, a tree that `python3 build.py --content
OUT/content check` accepts (the build finds seeds/ beside content/). It is a
pure function of N and the real content: no clock, no randomness.

Why it is built from the real content: the build's cost depends on the text
itself (OpenCC conversion, Markdown, Pagefind's Chinese segmentation), so
the synthetic measures reuse the real ones' titles, texts, topics, units and
scope, and units.yaml, topics.yaml, site.yaml, review.yaml, conversion.yaml and
terms.yaml are copied as they are (the last two less what no measure uses). Measure k (1-based) is real measure (k - 1) mod 57 in
(source, number) order, its title suffixed with （第k项） so that titles stay
unique; texts repeat.

Layout: the measures are split into synthetic source documents of at most
100 measures (synthetic-0001, synthetic-0002, …), each with a seed in the
`numbered-list` format that handbook/seeds.py parses, so `check` compares
every title and text with its seed exactly as it does for the real content.
The real content is already punctuation-repaired and the repair leaves
full-width punctuation alone, so the seed holds the same text; the generator
asserts that repair() changes nothing rather than assuming it.
"""

from __future__ import annotations

import argparse
import datetime
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # `python bench/generate.py` puts bench/, not the root, on the path

from handbook.content.load import (CONVERSION_FILE, MEASURES_DIR, REVIEW_FILE, SITE_FILE, SOURCES_DIR,  # noqa: E402
                              TERMS_FILE, TOPICS_FILE, UNITS_FILE, load, schema_comment)
from handbook.model import Measure  # noqa: E402
from handbook.seeds.punctuation import repair  # noqa: E402
from handbook.seeds.documents import SeedMeasure  # noqa: E402
from handbook.content.yamlwrite import FlowList, dump_yaml  # noqa: E402

PER_SOURCE = 100  # measures per synthetic source document
FIRST_DATE = datetime.date(2022, 1, 1)  # of synthetic document 1; each next one a day later
COPIED_AS_IS = (UNITS_FILE, TOPICS_FILE, SITE_FILE, REVIEW_FILE)


class GenerateError(Exception):
    """The real content cannot be turned into a valid synthetic tree."""


def source_id(index: int) -> str:
    return f"synthetic-{index:04d}"


def document_date(index: int) -> datetime.date:
    return FIRST_DATE + datetime.timedelta(days=index - 1)


def real_measures(content_dir: Path) -> tuple[Measure, ...]:
    """The real measures, in (source, number) order; stops if the real content is invalid."""
    loaded = load(content_dir)
    if loaded.diagnostics or not loaded.content.measures:
        first = loaded.diagnostics[0] if loaded.diagnostics else "no measures"
        raise GenerateError(f"the real content in {content_dir} does not load cleanly: {first}")
    return loaded.content.measures


def synthetic_measure(real: Measure, source: str, number: int, k: int) -> Measure:
    """Measure k of the synthetic handbook, made from a real one."""
    title = f"{real.title}（第{k}项）"
    for name, text in (("title", title), ("text", real.text)):
        if repair(text) != text:  # the seed holds this text; check compares repair(seed) with content
            raise GenerateError(f"{real.id}: the punctuation repair changes its {name}; "
                                "it cannot be copied into a seed unchanged")
    # The check derives `truncated` from the seed text; keep the two in step.
    truncated = SeedMeasure(number, title, real.text).truncated
    if truncated != real.truncated:
        raise GenerateError(f"{real.id}: truncated is {real.truncated} but its text says {truncated}")
    return Measure(id=f"{source}-{number:03d}", source=source, number=number, title=title, text=real.text,
                   topics=real.topics, units=real.units, scope=real.scope, truncated=truncated)


def measure_file(measure: Measure) -> tuple[str, str]:
    """(path relative to content/, text), in the importer's field order."""
    relative = f"{MEASURES_DIR}/{measure.source}/{measure.number:03d}.yaml"
    fields: dict = {"id": measure.id, "source": measure.source, "number": measure.number, "title": measure.title}
    if measure.units:
        fields["units"] = FlowList(measure.units)
    if measure.scope:
        fields["scope"] = measure.scope
    fields["topics"] = FlowList(measure.topics)
    if measure.truncated:
        fields["truncated"] = True
    fields["text"] = measure.text + "\n"
    return relative, dump_yaml(schema_comment("measure", relative), fields)


def source_file(index: int, count: int) -> tuple[str, str]:
    """(path relative to content/, text) of synthetic source document `index` with `count` measures."""
    sid = source_id(index)
    relative = f"{SOURCES_DIR}/{sid}.yaml"
    fields = {
        "id": sid,
        "title": seed_title(index),
        "short_title": f"合成经验做法第{index}批",
        "issuer": "基准测试（合成数据）",
        "published": document_date(index),  # a numbered-list seed gives the web page's time stamp
        "kind": "经验做法清单（合成）",
        "description": f"基准测试用的合成文件，收录{count}项措施，其标题和内容取自本手册的真实措施。",
        "seed": {"file": f"seeds/{sid}.txt", "format": "numbered-list"},
    }
    return relative, dump_yaml(schema_comment("source", relative), fields)


def seed_title(index: int) -> str:
    return f"基准测试合成改革创新经验做法第{index}批清单"  # the parser takes the title from a line ending in 清单


def seed_text(index: int, measures: list[Measure]) -> str:
    """A seed in the numbered-list layout: chrome, the 序号/名称/具体内容 header, the measures, chrome."""
    date = document_date(index)
    lines = ["网站支持IPv6", "您所在的位置: 首页 > 政务公开 > 公告公示 > 业务公告", "",
             seed_title(index), "", f"信息来源:基准测试 时间:{date.isoformat()} 00:00:00", "字体: [大] [中] [小]", "",
             "序号", "", "名称", "", "具体内容", ""]
    for measure in measures:
        lines += [str(measure.number), "", measure.title, "", measure.text, ""]
    lines += ["", "相关附件:", "", "打印文档 关闭窗口"]
    return "\n".join(lines) + "\n"


def conversion_text(original: str, measures: list[Measure]) -> str:
    """conversion.yaml as it is, less the fixes whose phrase no longer occurs (only when N < 57).

    `check` refuses a fix that applies nowhere. The entries are blocks that
    start with `  - simplified: `; the rest of the file is kept byte for byte.
    """
    texts = [f"{m.title}\n{m.text}\n{m.scope or ''}" for m in measures]
    head, *blocks = original.split("\n  - simplified: ")
    kept = [block for block in blocks if any(block.split("\n", 1)[0].strip() in text for text in texts)]
    return "\n  - simplified: ".join([head, *kept]) if len(kept) < len(blocks) else original


def terms_text(original: str, measures: list[Measure]) -> str:
    """terms.yaml as it is, less the terms no measure writes (only when N < 57): `check` refuses them.

    The entries are blocks that start with `  - id: `; the rest of the file is kept byte for byte.
    """
    official = "\n".join(f"{m.title}\n{m.text}" for m in measures)
    head, *blocks = original.split("\n  - id: ")
    entries = yaml.safe_load(original)["terms"]  # the same entries, in the same order
    kept = [block for block, entry in zip(blocks, entries)
            if all(word in official for word in (entry["zh-hans"], *entry.get("text_also", ())))]
    return "\n  - id: ".join([head, *kept]) if len(kept) < len(blocks) else original


def plan(n: int, content_dir: Path = ROOT / "content") -> dict[str, str]:
    """Every file of the synthetic tree, as path relative to OUT -> text."""
    if n < 1:
        raise GenerateError(f"N must be at least 1 (got {n})")
    real = real_measures(content_dir)
    files: dict[str, str] = {f"content/{name}": (content_dir / name).read_text(encoding="utf-8")
                             for name in COPIED_AS_IS}
    everything: list[Measure] = []
    for index, first in enumerate(range(0, n, PER_SOURCE), 1):
        sid = source_id(index)
        measures = [synthetic_measure(real[(k - 1) % len(real)], sid, number, k)
                    for number, k in enumerate(range(first + 1, min(first + PER_SOURCE, n) + 1), 1)]
        relative, text = source_file(index, len(measures))
        files[f"content/{relative}"] = text
        files[f"seeds/{sid}.txt"] = seed_text(index, measures)
        for measure in measures:
            relative, text = measure_file(measure)
            files[f"content/{relative}"] = text
        everything += measures
    files[f"content/{CONVERSION_FILE}"] = conversion_text(
        (content_dir / CONVERSION_FILE).read_text(encoding="utf-8"), everything)
    files[f"content/{TERMS_FILE}"] = terms_text((content_dir / TERMS_FILE).read_text(encoding="utf-8"), everything)
    return files


def write(out: Path, files: dict[str, str], *, force: bool = False) -> None:
    """Write the tree; an existing non-empty OUT only with force (then content/ and seeds/ are replaced)."""
    out = out.resolve()
    if out == ROOT or ROOT.is_relative_to(out):
        raise GenerateError(f"refusing to write into {out}: it holds the real project")
    if out.exists() and any(out.iterdir()):
        if not force:
            raise GenerateError(f"{out} is not empty; pass --force to replace its content/ and seeds/")
        for name in ("content", "seeds"):
            shutil.rmtree(out / name, ignore_errors=True)
    for relative, text in files.items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python bench/generate.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, metavar="N", help="number of measures")
    parser.add_argument("out", type=Path, metavar="OUT", help="folder to write content/ and seeds/ into")
    parser.add_argument("--force", action="store_true", help="replace content/ and seeds/ of a non-empty OUT")
    args = parser.parse_args(argv)
    try:
        files = plan(args.n)
        write(args.out, files, force=args.force)
    except GenerateError as error:
        print(f"generate: error: {error}", file=sys.stderr)
        return 1
    sources = sum(1 for name in files if name.startswith(f"content/{SOURCES_DIR}/"))
    print(f"generate: {args.n} measures in {sources} sources, {len(files)} files in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
