"""Checks of the translated editions: each translation complete, consistent and in step with the Chinese.

A translation (content/translations/<edition>/<source>/<NN>.yaml) is
editorial: it is never compared with the seeds and never replaces the
Chinese. What the build can check without reading English as a person
would, it checks, as warnings located in the translation file:

- in step: the digest it records (`translated_from`) is the digest of the
  Chinese title, text and scope now; if not, what changed in the Chinese
  (history.py finds the text it was made from in git);
- numbers: every number of the Chinese, 万 and 亿 multiplied out, is a
  number of the English (1万平方米: 10,000 square metres; 10.9亿: 1.09 billion);
- terms: where the Chinese writes a concept of the termbase, the English
  writes the termbase's rendering of it (plural and hyphenation aside);
- paragraphs: as many as the Chinese;
- script: no Chinese characters outside quotation marks (a name kept in
  Chinese is quoted).

Errors, which stop the build, are only what makes a translation unusable: a
folder that is no translated edition, a measure that does not exist, a file
not at its measure's path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..diagnostics import Diagnostic
from ..editions import CJK_CHARACTERS, Edition, Translation
from ..model import (Category, Measure, MeasureTranslation, Source, Term, Topic, Unit, same_objects,
                     text_digest as digest)
from ..history.translated import chinese_change
from .load import TRANSLATIONS_DIR, Loaded


def translated_editions(editions: tuple[Edition, ...]) -> tuple[Edition, ...]:
    return tuple(e for e in editions if isinstance(e.text, Translation))


@dataclass(frozen=True)
class TranslationSummary:
    """How far one translated edition is: what check prints, and the about page shows."""

    measures: int
    translated: int  # current or stale
    stale: int  # made from an earlier Chinese text
    warnings: int  # of the translation rules (numbers, terms, paragraphs, script)

    @property
    def untranslated(self) -> int:
        return self.measures - self.translated


# -- numbers ----------------------------------------------------------------------------------------

_CHINESE_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(万亿|亿|万)?")
_MULTIPLIERS = {"万": 10**4, "亿": 10**8, "万亿": 10**12}
_ENGLISH_NUMBER = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s*(thousand|million|billion|trillion)\b)?",
                             re.I)
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_MONTH = re.compile(r"\b(" + "|".join(_MONTHS) + r")\b", re.I)


def _value(number: float) -> float:
    return float(f"{number:.6g}")  # 10.9 × 10⁸ and 1.09 × 10⁹ are the same number


_AND_A_HALF = re.compile(r"个?(?:年|月|天|日|小时|周|倍)?半")  # 1年半: one and a half years, 1.5 years


def chinese_numbers(text: str) -> list[tuple[str, float]]:
    """(as written, value) of every number of a Chinese text, 万 and 亿 multiplied out; a number and a half
    (1年半) is its value plus 0.5."""
    out = []
    for m in _CHINESE_NUMBER.finditer(text):
        value = float(m.group(1)) * _MULTIPLIERS.get(m.group(2) or "", 1)
        half = not m.group(2) and _AND_A_HALF.match(text, m.end())
        out.append((text[m.start():half.end()] if half else m.group(0).strip(), _value(value + 0.5 * bool(half))))
    return out


def english_numbers(text: str) -> set[float]:
    """The values of the numbers of an English text (10,000; 1.09 billion; a month's name is its number)."""
    found = {_value(float(m.group(1).replace(",", "") + (m.group(2) or "")) * _SCALES.get((m.group(3) or "").lower(), 1))
             for m in _ENGLISH_NUMBER.finditer(text)}
    return found | {float(_MONTHS.index(m.group(1).lower()) + 1) for m in _MONTH.finditer(text)}


def missing_numbers(chinese: str, english: str) -> list[str]:
    """The numbers of the Chinese (as written there) that the English lacks."""
    present = english_numbers(english)
    if re.search(r"\band a half\b", english):  # one and a half years: the whole number is written too
        present |= {_value(v + 0.5) for v in present}
    return list(dict.fromkeys(written for written, value in chinese_numbers(chinese) if value not in present))


# -- terms ------------------------------------------------------------------------------------------

_INFLECTIONS = ("ing", "ed", "es", "s")


@lru_cache(maxsize=4096)
def _rendering_pattern(rendering: str) -> re.Pattern:
    """The termbase's rendering as running English writes it: any case, inflected (listing: listed,
    licence: licences, property: properties, survey: surveys), possessive, with a hyphen or a space between its words."""
    def word(w: str) -> str:
        if w.endswith("y") and len(w) > 3:
            return re.escape(w[:-1]) + "(?:y|ys|yed|ying|ies|ied)" + "(?:['’]s?)?"  # surveys, properties, applied
        stem = next((w[:-len(end)] for end in _INFLECTIONS if w.endswith(end) and len(w) - len(end) >= 4), w)
        return re.escape(stem) + "(?:ing|ed|es|s|e)?(?:['’]s?)?"
    words = re.split(r"[\s-]+", rendering.strip())
    return re.compile(r"\b" + r"[\s-]+".join(word(w) for w in words) + r"\b", re.I)


def missing_terms(terms: tuple[Term, ...], code: str, chinese: str, english: str) -> list[tuple[Term, str]]:
    """(term, its rendering) of each termbase concept the Chinese writes whose rendering the English lacks.

    A term the Chinese writes only inside a longer term (港澳 in 粤港澳大湾区, 智能 in 人工智能) is that
    longer term's concern: its English need not hold the shorter term's rendering."""
    spans = {term.id: term.spans(chinese) for term in terms}
    longer = [(span, term) for term in terms for span in spans[term.id]]
    out = []
    for term in terms:
        rendering = term.form(code)
        if not rendering or not spans[term.id]:
            continue
        alone = [(a, b) for a, b in spans[term.id]
                 if not any(x <= a and b <= y and y - x > b - a for (x, y), other in longer)]
        if alone and not _rendering_pattern(rendering).search(english):
            out.append((term, rendering))
    return out


# -- script and paragraphs --------------------------------------------------------------------------

CHINESE = re.compile(f"[{CJK_CHARACTERS}]+")
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]*’|「[^」]*」")


def chinese_outside_quotes(text: str) -> list[tuple[int, str]]:
    """(offset, run) of Chinese characters (and full-width punctuation) that no quotation marks enclose."""
    quoted = [m.span() for m in _QUOTED.finditer(text)]
    return [(m.start(), m.group()) for m in CHINESE.finditer(text)
            if not any(a < m.start() and m.end() < b for a, b in quoted)]


def paragraphs(text: str) -> int:
    return len([p for p in re.split(r"\n\s*\n", text) if p.strip()])


# -- the check --------------------------------------------------------------------------------------

class TranslationMemo:
    """Each measure's translation problems in each edition, kept while the measure, its translation and
    the termbase are the very same objects: a rebuild judges again only what an edit changed (10,000
    untranslated measures were 0.25 s of every rebuild)."""

    def __init__(self):
        self.terms: tuple = ()
        self.kept: dict[tuple[str, int], tuple] = {}  # (edition, id(measure)) -> (measure, translation, judged)

    def judged(self, loaded: Loaded, measure: Measure, tr: MeasureTranslation | None, code: str,
               fresh: dict) -> tuple[list[Diagnostic], int, int]:
        key = (code, id(measure))
        hit = self.kept.get(key)
        # a stale one is judged again: what its message says changed comes from git, which moves on its own
        if hit is None or hit[0] is not measure or hit[1] is not tr or hit[2][1]:
            hit = (measure, tr, _judge(loaded, measure, tr, code))
        fresh[key] = hit
        return hit[2]


def check_translations(loaded: Loaded, editions: tuple[Edition, ...], memo: TranslationMemo | None = None
                       ) -> tuple[list[Diagnostic], dict[str, TranslationSummary]]:
    """Every diagnostic of the translations, and each translated edition's summary; `memo`: the last
    check's judgements (a rebuild)."""
    content, problems = loaded.content, []
    memo = memo or TranslationMemo()
    if not same_objects(memo.terms, content.terms):
        memo.terms, memo.kept = content.terms, {}
    fresh: dict = {}
    translated = {e.code: e for e in translated_editions(editions)}
    measures = {m.id: m for m in content.measures}
    found: dict[str, dict[str, MeasureTranslation]] = {code: {} for code in translated}
    for tr in content.translations:
        problem = _misplaced(loaded, tr, translated, measures)
        if problem:
            problems.append(problem)
        else:
            found[tr.edition][tr.measure] = tr
    summaries = {}
    for code, edition in translated.items():
        stale = rules = 0
        for measure in content.measures:
            judged, was_stale, found_rules = memo.judged(loaded, measure, found[code].get(measure.id), code, fresh)
            problems += judged
            stale += was_stale
            rules += found_rules
        problems += _wording_problems(loaded, edition)
        summaries[code] = TranslationSummary(len(content.measures), len(found[code]), stale, rules)
    memo.kept = fresh
    return problems, summaries


def _judge(loaded: Loaded, measure: Measure, tr: MeasureTranslation | None, code: str
           ) -> tuple[list[Diagnostic], int, int]:
    """One measure's translation for one edition: its problems, whether it is stale (1) and how many
    of the problems are the translation rules'."""
    if tr is None:
        return [_untranslated(loaded, measure, code)], 0, 0
    problems, stale = [], 0
    if tr.translated_from != digest(measure):
        stale = 1
        problems.append(_stale(loaded, measure, tr) if tr.translated_from else _unrecorded(loaded, measure, tr))
    found_rules = translation_rules(loaded, measure, tr, loaded.content.terms)
    return problems + found_rules, stale, len(found_rules)


def _measure_path(loaded: Loaded, measure: Measure) -> str:
    """<source>/<NN>.yaml: where a measure's file is below measures/, and its translations below theirs."""
    parts = Path(loaded.document(measure).path).parts
    return "/".join(parts[-2:])


def _untranslated(loaded: Loaded, measure: Measure, code: str) -> Diagnostic:
    where = f"{TRANSLATIONS_DIR}/{code}/{_measure_path(loaded, measure)}"
    return Diagnostic(loaded.document(measure).path, 0, 0, "", f"not translated for the {code} edition yet: "
                      "its page there shows the Chinese, with a notice",
                      f"write content/{where} (README: Translating)", "warning")


def _misplaced(loaded: Loaded, tr: MeasureTranslation, translated: dict, measures: dict) -> Diagnostic | None:
    if tr.edition not in translated:
        return loaded.at(tr, (), f'is in {TRANSLATIONS_DIR}/{tr.edition}/, but "{tr.edition}" is no translated '
                         "edition", f"translated editions: {', '.join(translated) or 'none'} (handbook/editions.py)")
    measure = measures.get(tr.measure)
    if measure is None:
        return loaded.at(tr, ("measure",), f'"{tr.measure}" is no measure', "give the id of the measure translated")
    expected = f"{TRANSLATIONS_DIR}/{tr.edition}/{_measure_path(loaded, measure)}"
    if not Path(loaded.document(tr).path).as_posix().endswith(expected):
        return loaded.at(tr, ("measure",), f"translates {tr.measure}, whose translation belongs in content/{expected}",
                         "move the file there")
    return None


def _stale(loaded: Loaded, measure: Measure, tr: MeasureTranslation) -> Diagnostic:
    change = chinese_change(Path(loaded.document(measure).path), tr.translated_from, digest, measure)
    return Diagnostic(*_spot(loaded, tr, ("translated_from",)), "translated_from",
                      f"out of date: the Chinese of {measure.id} changed since this translation was made; {change}",
                      f"update the translation, then run: python3 build.py translated {measure.id}", "warning")


def _unrecorded(loaded: Loaded, measure: Measure, tr: MeasureTranslation) -> Diagnostic:
    return Diagnostic(*_spot(loaded, tr, ()), "", "records no translated_from: which Chinese it was made from is "
                      "unknown, so its page says it may predate the current Chinese",
                      f"once it translates the current Chinese, run: python3 build.py translated {measure.id}", "warning")


def translation_rules(loaded: Loaded, measure: Measure, tr: MeasureTranslation, terms) -> list[Diagnostic]:
    """The warnings of one translation against its measure: numbers, terms, paragraphs, script."""
    out = []
    chinese = "\n".join(filter(None, (measure.title, measure.text, measure.scope)))
    english = "\n".join(filter(None, (tr.title, tr.text, tr.scope)))
    for written in missing_numbers(chinese, english):
        out.append(_warn(loaded, tr, ("text",), f'lacks the number "{written}" of the Chinese',
                         "write every number of the Chinese in digits, 万 and 亿 multiplied out "
                         "(1万: 10,000; 10.9亿: 1.09 billion)"))
    for term, rendering in missing_terms(terms, tr.edition, chinese, english):
        out.append(_warn(loaded, tr, ("text",), f'the Chinese writes {term.simplified} ({term.id}), but the '
                         f'translation lacks its rendering "{rendering}"',
                         f"use the termbase's rendering, or change the term's {tr.edition} field in content/terms.yaml"))
    if paragraphs(tr.text) != paragraphs(measure.text):
        out.append(_warn(loaded, tr, ("text",), f"has {paragraphs(tr.text)} paragraph(s), the Chinese "
                         f"{paragraphs(measure.text)}", "translate paragraph by paragraph (blank lines between)"))
    if bool(measure.scope) != bool(tr.scope):
        out.append(_warn(loaded, tr, ("scope",) if tr.scope else (),
                         "has a scope the measure has not" if tr.scope else "lacks the scope of the measure",
                         "translate the measure's scope, and only it"))
    for name in ("title", "text", "scope"):
        for offset, run in chinese_outside_quotes(getattr(tr, name) or ""):
            out.append(Diagnostic(*_spot(loaded, tr, (name,), offset), name, f'Chinese characters "{run}" outside '
                                  "quotation marks", "translate them; a name kept in Chinese goes in quotation "
                                  "marks after its English or pinyin", "warning"))
    return out


def _wording_problems(loaded: Loaded, edition: Edition) -> list[Diagnostic]:
    """What the edition's wording of sources, categories, units, topics and terms lacks or has in Chinese."""
    out = []
    content, code = loaded.content, edition.code
    needed = {Source: ("title", "short_title", "issuer", "publisher", "kind", "description", "notes"), Category: ("name",),
              Unit: ("name",), Topic: ("name", "description")}
    records = [*content.sources, *[c for s in content.sources for c in s.categories], *content.units, *content.topics]
    for record in records:
        wording = {name: text for c, name, text in record.regional if c == code}
        owner = next((s for s in content.sources if record in s.categories), None) if isinstance(record, Category) else None
        for name in needed[type(record)]:
            if getattr(record, name) and name not in wording:
                out.append(_record_warning(loaded, record, owner, code, f"has no {code} {name}",
                                           f"add `{code}: {{{name}: …}}` to it"))
            for text in (wording.get(name) if isinstance(wording.get(name), tuple) else (wording.get(name) or "",)):
                for _, run in chinese_outside_quotes(text):
                    out.append(_record_warning(loaded, record, owner, code, f'{code} {name}: Chinese characters '
                                               f'"{run}" outside quotation marks', "translate them"))
        if isinstance(record, Source) and record.notes and len(wording.get("notes", ())) != len(record.notes):
            out.append(_record_warning(loaded, record, None, code, f"has {len(record.notes)} notes, its {code} "
                                       f"wording {len(wording.get('notes', ()))}", "translate each note"))
    for term in content.terms:
        if not term.form(code):
            out.append(_warn(loaded, term, (code,), f"term {term.id} has no {code} rendering",
                             f"fill its {code} field: the translations must use it"))
    return out


def _record_warning(loaded: Loaded, record, owner, code: str, message: str, hint: str) -> Diagnostic:
    if owner is not None:  # a category: placed inside its source
        at = owner.categories.index(record)
        return _warn(loaded, owner, ("categories", at), message, hint)
    return _warn(loaded, record, (), message, hint)


def _spot(loaded: Loaded, record, field: tuple, offset: int | None = None) -> tuple[str, int, int]:
    document, prefix = loaded.origins[id(record)]
    spot = document.spot(prefix + field) if offset is None else document.char_spot(prefix + field, offset)
    return document.path, spot.line, spot.col


def _warn(loaded: Loaded, record, field: tuple, message: str, hint: str) -> Diagnostic:
    d = loaded.at(record, field, message, hint)
    return Diagnostic(d.path, d.line, d.col, d.field, d.message, d.hint, "warning")
