"""Import the seed documents into content/, once, without losing an edit.

`python3 build.py import-seeds` turns seeds/ into one YAML file per source
document and per measure, plus the units registry. The seeds do not say
everything a page needs (ids, a short title, what the document is), so
that editorial knowledge sits here, in SEED_DOCUMENTS, UNIT_IDS and
CATEGORY_IDS, and the import fails loudly on anything they do not cover.

Running it again is safe: it writes only what is missing, keeps editorial
fields of existing files (a measure's topics; the editions' own wording of a
document, its categories and the units, in `<code>:` blocks), and refuses to overwrite a file
whose other content differs from what the seeds give (a maintainer's edit)
unless told to with --force. topics.yaml is editorial and never written.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from ..content.load import MEASURES_DIR, SOURCES_DIR, TOPICS_FILE, UNITS_FILE, schema_comment
from ..editions import EDITIONS, source_edition
from ..files import write_atomic
from .documents import SeedDocument, SeedError, SeedMeasure, load_seed
from ..content.yamlfile import parse_yaml
from ..content.yamlwrite import FlowList, dump_yaml

EDITORIAL_FIELDS = ("topics",)
# The editions' own wording of a record (`en: {name: …}`): editorial, kept over a re-import.
WORDING_BLOCKS = tuple(e.code for e in EDITIONS if e is not source_edition(EDITIONS))


@dataclass(frozen=True)
class SeedSpec:
    """What the handbook knows about a seed document beyond its text."""

    id: str
    file: str
    format: str
    short_title: str
    kind: str
    description: str
    publisher: str | None = None  # 发布机构: who published it, when the text does not say who issued it


SEED_DOCUMENTS = (
    SeedSpec(
        id="gzdd-2022",
        file="seeds/gzdd-2022-reform-practices.txt",
        format="numbered-list",
        short_title="广州开发区营商环境改革创新经验做法",
        kind="经验做法清单",
        publisher="广东省发展和改革委员会",
        description="广州开发区（黄埔区）优化营商环境的39项改革创新经验做法，由广东省发展和改革委员会"
                    "在其网站“政务公开 > 公告公示 > 业务公告”栏目公布。",
    ),
    SeedSpec(
        id="nansha-batch6",
        file="seeds/nansha-batch6-suifuhan-2022-183.txt",
        format="pipe-table",
        short_title="南沙新区片区第六批改革创新经验",
        kind="通知（附改革创新经验清单）",
        description="广州市人民政府通知各区人民政府、市政府各部门，在全市推广实施中国（广东）自由贸易试验区"
                    "广州南沙新区片区总结形成的第六批18项改革创新经验，附件为经验清单，列明市层面责任单位和推广范围。",
    ),
)

CATEGORY_IDS = {
    "政府职能转变": "government-functions",
    "投资便利化": "investment-facilitation",
    "贸易便利化": "trade-facilitation",
    "金融开放创新": "financial-opening",
    "法治环境建设": "rule-of-law-environment",
    "深化港澳合作": "hong-kong-macao-cooperation",
}

UNIT_IDS = {
    "市人力资源社会保障局": "human-resources-social-security",
    "市规划和自然资源局": "planning-natural-resources",
    "市市场监管局": "market-regulation",
    "市发展改革委": "development-reform",
    "广州市税务局": "tax",
    "市水务局": "water",
    "市商务局": "commerce",
    "广州海关": "guangzhou-customs",
    "黄埔海关": "huangpu-customs",
    "市地方金融监管局": "financial-regulation",
    "市法院": "court",
    "市检察院": "procuratorate",
    "市司法局": "justice",
    "市政务服务数据管理局": "government-services-data",
    "市教育局": "education",
    "市财政局": "finance",
    "市卫生健康委": "health",
}


class ImportFailure(Exception):
    """The seeds do not say what the importer expects; nothing was written."""


@dataclass(frozen=True)
class ImportResult:
    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    refused: tuple[str, ...]  # changed by a maintainer; kept


def measure_path(source_id: str, number: int) -> str:
    return f"{MEASURES_DIR}/{source_id}/{number:02d}.yaml"


def import_seeds(root: Path, content_dir: Path, *, force: bool = False) -> ImportResult:
    """Write content/ from seeds/; write nothing at all if any file would lose an edit."""
    planned = plan(root, content_dir)
    written, unchanged, refused = [], [], []
    for relative, text in planned.items():
        target = content_dir / relative
        current = target.read_bytes() if target.exists() else None
        if current == text.encode():
            unchanged.append(relative)
        elif current is None or force:
            written.append(relative)
        else:
            refused.append(relative)
    if refused:
        return ImportResult((), tuple(unchanged), tuple(refused))
    for relative in written:
        write_atomic(content_dir / relative, planned[relative].encode())
    return ImportResult(tuple(written), tuple(unchanged), ())


def plan(root: Path, content_dir: Path) -> dict[str, str]:
    """Every file the seeds give, as relative path -> text (editorial fields carried over)."""
    files: dict[str, str] = {}
    units: dict[str, str] = {}
    for spec in SEED_DOCUMENTS:
        try:
            seed = load_seed(root / spec.file, spec.format)
        except SeedError as error:
            raise ImportFailure(f"{spec.file}:{error.line}: {error.message}") from None
        categories = _categories(spec, seed)
        relative = f"{SOURCES_DIR}/{spec.id}.yaml"
        fields = _with_wording(_source_fields(spec, seed, categories), _existing(content_dir / relative))
        files[relative] = dump_yaml(schema_comment("source", relative), fields)
        for measure in seed.measures:
            for name in measure.units:
                if name not in UNIT_IDS:
                    raise ImportFailure(f"{spec.file}: measure {measure.number}: unit {name} has no id; "
                                        f"add it to UNIT_IDS in handbook/importer.py")
                units.setdefault(UNIT_IDS[name], name)
            relative = measure_path(spec.id, measure.number)
            editorial = _editorial_fields(content_dir / relative)
            files[relative] = dump_yaml(schema_comment("measure", relative), _measure_fields(spec, measure, editorial))
    existing = _existing(content_dir / UNITS_FILE) or {}
    unit_list = _with_wording({"units": [{"id": id, "name": name} for id, name in sorted(units.items())]},
                              existing)["units"]
    files[UNITS_FILE] = dump_yaml(schema_comment("units", UNITS_FILE), {"units": unit_list})
    assert TOPICS_FILE not in files  # editorial: never written by the importer
    return files


def _categories(spec: SeedSpec, seed: SeedDocument) -> list[dict]:
    """The document's categories, cross-checked against the counts its notice states."""
    in_table: dict[str, int] = {}
    for measure in seed.measures:
        if measure.category:
            in_table[measure.category] = in_table.get(measure.category, 0) + 1
    if not in_table:
        return []
    stated = dict(seed.area_counts)
    if stated != in_table or list(stated) != list(in_table):
        raise ImportFailure(f"{spec.file}: section 一 states categories {seed.area_counts}, "
                            f"the table has {tuple(in_table.items())}")
    missing = [name for name in stated if name not in CATEGORY_IDS]
    if missing:
        raise ImportFailure(f"{spec.file}: categories {missing} have no id; add them to CATEGORY_IDS")
    return [{"id": CATEGORY_IDS[name], "name": name, "count": count} for name, count in stated.items()]


def _source_fields(spec: SeedSpec, seed: SeedDocument, categories: list[dict]) -> dict:
    meta = seed.metadata
    fields = {
        "id": spec.id,
        "title": meta["title"],
        "short_title": spec.short_title,
        **{name: meta[name] for name in ("issuer",) if name in meta},
        **({"publisher": spec.publisher} if spec.publisher else {}),
        **({"number": meta["number"]} if "number" in meta else {}),
        **{name: datetime.date.fromisoformat(meta[name]) for name in ("written", "published") if name in meta},
        "kind": spec.kind,
        "description": spec.description,
        "seed": {"file": spec.file, "format": spec.format},
    }
    if categories:
        fields["categories"] = categories
    notes = _wording_notes(seed) + [
        f"原文第{m.number}项“{m.title}”的内容在“……{m.text[-8:]}”处中断，其后文字未能保存；本手册照原样收录，不作补写。"
        for m in seed.measures if m.truncated]
    if notes:
        fields["notes"] = notes
    return fields


def _wording_notes(seed: SeedDocument) -> list[str]:
    """Where the notice's summary sentence names an area differently from its heading and table."""
    headings = [name for name, _ in seed.area_counts]
    if len(seed.area_names_in_summary) != len(headings):
        return []
    return [f"通知第一部分的开头一句称第{_ordinal(i + 1)}个领域为“{said}”，该领域的标题和附件清单均称“{named}”；"
            f"本手册采用“{named}”。"
            for i, (said, named) in enumerate(zip(seed.area_names_in_summary, headings)) if said != named]


def _ordinal(n: int) -> str:
    return "一二三四五六七八九十"[n - 1] if 1 <= n <= 10 else str(n)


def _measure_fields(spec: SeedSpec, measure: SeedMeasure, editorial: dict) -> dict:
    fields: dict = {"id": f"{spec.id}-{measure.number:02d}", "source": spec.id, "number": measure.number,
                    "title": measure.title}
    if measure.category:
        fields["category"] = CATEGORY_IDS[measure.category]
    if measure.units:
        fields["units"] = FlowList(UNIT_IDS[name] for name in measure.units)
    if measure.scope:
        fields["scope"] = measure.scope
    fields["topics"] = FlowList(editorial.get("topics", []))
    if measure.truncated:
        fields["truncated"] = True
    fields["text"] = measure.text + "\n"
    return fields


def _existing(path: Path) -> dict | None:
    """An existing content file's mapping, if it can be read."""
    if not path.is_file():
        return None
    document, _ = parse_yaml(path.read_bytes(), str(path))
    return document.value if document is not None and isinstance(document.value, dict) else None


def _editorial_fields(path: Path) -> dict:
    """Editorial fields of an existing measure file, if it can be read."""
    return {key: value for key, value in (_existing(path) or {}).items()
            if key in EDITORIAL_FIELDS and isinstance(value, list) and all(isinstance(v, str) for v in value)}


def _with_wording(fields: dict, old: dict | None) -> dict:
    """`fields` with the editions' wording blocks of `old` carried over: its own, and those of the
    records of its lists (categories, units), matched by id."""
    if not old:
        return fields
    fields = {**fields, **{code: old[code] for code in WORDING_BLOCKS if code in old}}
    for key, items in fields.items():
        if isinstance(items, list) and isinstance(old.get(key), list):
            by_id = {item.get("id"): item for item in old[key] if isinstance(item, dict)}
            fields[key] = [_with_wording(item, by_id.get(item.get("id"))) if isinstance(item, dict) else item
                           for item in items]
    return fields
