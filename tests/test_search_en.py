"""English search in a real browser: what readers abroad type finds the measures that mean it.

The queries and what each means are in tests/search_queries_en.yaml. The truth for a query is computed
from the content: the measures whose English page (title, source, category, topics, units, scope,
translated text) writes one of its `means` phrases. Search must find them (recall) and put them first
(precision of the first ten), though the reader typed an inflection, an American spelling, an
abbreviation the termbase knows, or the Chinese term.
"""

from __future__ import annotations

import re
import statistics

import pytest
import yaml

from handbook.convert.converter import convert_content, edition_converter
from handbook.editions import BY_CODE
from handbook.site.index import Index
from tests.browser import launch_browser
from tests.conftest import ROOT, real_handbook
from tests.test_search import searching

QUERIES = yaml.safe_load((ROOT / "tests/search_queries_en.yaml").read_text(encoding="utf-8"))["queries"]
# Means over the queries, as the issue asks (recall 0.95, top-ten precision 0.90), and R-precision: of the
# first as many results as a query has answers, the share that are answers (what a reader sees first).
RECALL, FIRST, PRECISION = 0.95, 0.95, 0.90


def phrase(words: str) -> re.Pattern:
    """A `means` phrase: its words in order, each matched as a word start (licence: licences)."""
    return re.compile(r"\b" + r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", words)), re.I)


def page_text(ref) -> str:
    m, s = ref.measure, ref.source
    parts = [m.title, s.title, s.number or "", ref.category.name if ref.category else "",
             *(t.name for t in ref.topics), *(u.name for u in ref.units), m.scope or "", m.text]
    return "\n".join(parts)


def truth() -> dict[str, set[str]]:
    content = convert_content(real_handbook().content, edition_converter(BY_CODE["en"]))
    texts = {ref.measure.id: page_text(ref) for ref in Index(content).refs}
    return {q["q"]: {id for id, text in texts.items() if any(phrase(p).search(text) for p in q["means"])}
            for q in QUERIES}


@pytest.fixture(scope="module")
def search_page(real_site):
    with launch_browser() as browser, searching(real_site(), browser) as search:
        yield search


def test_the_queries_are_many_distinct_and_all_mean_something():
    assert len(QUERIES) >= 40 and len({q["q"] for q in QUERIES}) == len(QUERIES)
    expected = truth()
    for q in QUERIES:
        assert expected[q["q"]], f'{q["q"]}: no English measure page writes {q["means"]}'


def test_every_measure_is_searched_in_english():
    """The truth is English only if every measure is translated: an untranslated one shows its Chinese."""
    assert all(m.translation == "current" for m in
               convert_content(real_handbook().content, edition_converter(BY_CODE["en"])).measures)


def test_english_recall_and_precision(search_page):
    expected = truth()
    recalls, precisions, firsts, misses = [], [], [], []
    for q in QUERIES:
        found = search_page("en", q["q"])
        want = expected[q["q"]]
        recalls.append(len(want & set(found)) / len(want))
        top = found[:10]
        precisions.append(len(want & set(top)) / len(top) if top else 0.0)
        shown_first = found[:min(len(want), 10)]  # what the reader sees first: as many places as there are answers
        firsts.append(len(want & set(shown_first)) / len(shown_first) if shown_first else 0.0)
        if recalls[-1] < 1 or firsts[-1] < 1:
            misses.append(f'{q["q"]}: recall {recalls[-1]:.2f}, R-precision {firsts[-1]:.2f}, P@10 {precisions[-1]:.2f}, '
                          f"missed {sorted(want - set(found))[:5]}, extra {sorted(set(top) - want)[:5]}")
    recall, precision, first = statistics.mean(recalls), statistics.mean(precisions), statistics.mean(firsts)
    line = (f"en pages: recall {recall:.3f}, R-precision {first:.3f}, P@10 {precision:.3f} "
            f"({len(QUERIES)} queries)")
    print(line, *("   " + m for m in misses), sep="\n")
    assert recall >= RECALL and first >= FIRST and precision >= PRECISION, "\n".join([line] + misses)


def notes(search, query: str) -> str:
    search("en", query)
    return search.page.inner_text("#search-notes")


def test_a_latin_key_is_a_whole_word_of_the_query(search_page):
    """ip is a key of the termbase (intellectual property), but not inside equipment or ship."""
    assert "intellectual" not in notes(search_page, "special equipment").lower()
    assert "intellectual property" in notes(search_page, "IP").lower()


def test_american_spelling_and_macau_are_searched_as_the_text_spells_them(search_page):
    assert "licence" in notes(search_page, "license")
    assert "macao" in notes(search_page, "Macau").lower()
    assert set(search_page("en", "labor disputes")) == set(search_page("en", "labour disputes")) != set()


def test_a_page_found_by_its_stem_only_is_left_out(search_page):
    """customs and customised share Pagefind's stem custom: the customised-only pages are not customs."""
    content = convert_content(real_handbook().content, edition_converter(BY_CODE["en"]))
    texts = {ref.measure.id: page_text(ref) for ref in Index(content).refs}
    stem_only = {id for id, text in texts.items() if re.search(r"\bcustomis", text, re.I)
                 and not re.search(r"\bcustoms\b", text, re.I)}
    assert stem_only, "the content should hold a page that writes customised but not customs"
    found = set(search_page("en", "customs"))
    assert found and not found & stem_only


def test_a_term_searched_is_not_offered_as_related(search_page):
    """Typed as the termbase writes it, intellectual property is what was searched, not a related term."""
    assert "intellectual property" not in notes(search_page, "intellectual property").lower()
