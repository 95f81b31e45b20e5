"""What the search page knows of the termbase: every word a reader may type for a concept.

A Taiwan reader types 智慧財產權, a Hong Kong reader 網上, a mainland reader
开公司; the measures write 知识产权, 在线 and 商事登记. For each edition this
module writes `search/terms.json`: every alias of every term (its regional
forms and `also` words, each in the three scripts, normalised as the page
normalises a query) pointing at the terms it names, and for each term the
form the edition's text writes (what the search looks for), the word the
edition's readers use (what suggestions show) and the topics of the
measures that write it (what "nothing found" offers).

An alias the measures themselves write (跨境通, 营业执照) is listed as
`written`: typed, it means what the text means and is matched exactly, so
precision does not fall where a reader types the text's own words; the
terms it names are offered as related words instead of searched.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict

from ..convert.converter import Converter, convert_content, edition_converter, opencc_engine
from ..model import Handbook
from .queries import searchable_texts
from ..urls import PageKey, Urls, search_data_path
from ..convert.words import standing

TOPICS_PER_TERM = 2
_ONLY_SYMBOLS = re.compile(r"[\W\d_]*")  # an alias of digits and marks only would match any number


def normalised(text: str) -> str:
    """As the search page normalises a query (static/search.js normalise): NFKC (full-width letters and
    digits become ASCII), lower case, no white space."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def aliases(term, converters: list[Converter]) -> set[str]:
    """Every spelling of every word of a term, in every script, as a query would be normalised."""
    simplified = opencc_engine("t2s")
    words = {term.simplified, *(word for _, word in term.forms), *term.also}
    spelled = set()
    for word in words:
        base = simplified.convert(word)
        spelled |= {word, base, *(convert(base) for convert in converters)}
    return {key for key in map(normalised, spelled) if len(key) > 1 and not _ONLY_SYMBOLS.fullmatch(key)}


class WrittenWords:
    """Which words the index holds (search.searchable_texts: measures' titles, texts and scope, and the
    names of their documents, categories, units and topics), remembered per text (Simplified, normalised)."""

    def __init__(self):
        self.candidates: frozenset[str] = frozenset()
        self.memo: dict[str, dict[str, frozenset[str]]] = {}  # language -> text -> its words

    def __call__(self, texts: list[str], candidates: frozenset[str], language: str = "zh") -> set[str]:
        if candidates != self.candidates:
            self.candidates, self.memo = candidates, {}
        by_start = defaultdict(list)
        for word in candidates:
            by_start[word[:2]].append(word)
        found, memo, before = set(), {}, self.memo.get(language, {})
        for text in texts:
            if text not in memo:
                memo[text] = before[text] if text in before else frozenset(_written(*_glued(text), by_start))
            found |= memo[text]
        self.memo[language] = memo
        return found


def _glued(text: str) -> tuple[str, frozenset[int]]:
    """The text normalised as a query is (no white space), and where white space stood in it: an
    English text's word boundaries, so "customs clearance" is written as the key customsclearance."""
    parts = re.split(r"\s+", unicodedata.normalize("NFKC", text).lower())
    gaps, at = set(), 0
    for part in parts[:-1]:
        at += len(part)
        gaps.add(at)
    return "".join(parts), frozenset(gaps)


def _written(text: str, gaps: frozenset[int], by_start: dict[str, list[str]]) -> set[str]:
    """The words of `by_start` (keyed by their first two characters) that `text` holds as whole words:
    中小企 is not one in 中小企业 (words.standing), ai is not one in email; `gaps`: where white space stood."""
    def letter(i: int) -> bool:
        return 0 <= i < len(text) and text[i].isascii() and text[i].isalnum()

    out = set()
    for at in range(len(text) - 1):
        for word in by_start.get(text[at:at + 2], ()):
            if word in out or not text.startswith(word, at):
                continue
            end = at + len(word)
            if word.isascii():
                if (at in gaps or not letter(at - 1)) and (end in gaps or not letter(end)):
                    out.add(word)
            elif standing(text, at, end) == "words":
                out.add(word)
    return out


def text_forms(term, convert) -> list[str]:
    """What the edition's text writes for a term: its own form and its `text_also` words (线上, 在线)."""
    return list(dict.fromkeys(convert(word) for word in (term.simplified, *term.text_also)))


def words(handbook: Handbook, edition, converter, urls: Urls, written: set[str] = frozenset()) -> dict:
    """The vocabulary of one edition but the topics of each term: what the text and the termbase give."""
    content = handbook.content
    converters = [converter(v, handbook.conversion) for v in handbook.editions if v.converted]
    convert = converter(edition, handbook.conversion)
    keys: dict[str, list[int]] = {}
    for i, term in enumerate(content.terms):
        for key in sorted(aliases(term, converters)):
            keys.setdefault(key, []).append(i)
    names = {t.id: convert.record(t).name for t in content.topics}
    simplified = opencc_engine("t2s")
    return {
        "written": sorted(key for key in keys if normalised(simplified.convert(key)) in written),
        "forms": [[t.form(edition.code) or t.simplified] if edition.translated else text_forms(t, convert) for t in content.terms],
        "labels": [t.form(edition.code) or t.simplified for t in content.terms],
        "topicList": [[names[t.id], urls.page(edition.code, PageKey("topic", t.id))] for t in content.topics],
        "keys": dict(sorted(keys.items())),
    }


def term_topics(content, terms_of: dict[str, tuple[str, ...]]) -> list[list[int]]:
    """Each term's topics (positions in content.topics), those of most measures that write it first:
    the same in every edition, and all a topic edit changes in the vocabulary."""
    topics = {t.id: i for i, t in enumerate(content.topics)}
    used: dict[str, Counter] = {t.id: Counter() for t in content.terms}
    for m in content.measures:
        for term in terms_of.get(m.id, ()):
            used[term].update(m.topics)
    return [[topics[tid] for tid, _ in used[t.id].most_common(TOPICS_PER_TERM)] for t in content.terms]


def with_topics(words: dict, topics: list[list[int]]) -> dict:
    """An edition's vocabulary from its words and the terms' topics, its keys in the order the page has
    always been given them."""
    return {"written": words["written"], "forms": words["forms"], "labels": words["labels"], "topics": topics,
            "topicList": words["topicList"], "keys": words["keys"]}


def edition_words(handbook: Handbook, urls: Urls, converter=edition_converter,
                  written_words: WrittenWords | None = None) -> dict[str, dict]:
    """words() of every edition, by its code; `written_words` remembers what the measures write (a rebuild)."""
    content = handbook.content
    simplified = opencc_engine("t2s")
    converters = [converter(v, handbook.conversion) for v in handbook.editions if v.converted]
    candidates = frozenset(normalised(simplified.convert(key)) for term in content.terms
                           for key in aliases(term, converters))
    written_words = written_words or WrittenWords()
    chinese = written_words(searchable_texts(content), candidates)

    def written(edition) -> set[str]:
        """What the edition's own text writes: a translation's words are its own, not the Chinese."""
        if not edition.translated:
            return chinese
        own = convert_content(content, converter(edition, handbook.conversion))
        return written_words(searchable_texts(own), candidates, edition.code)

    return {v.code: words(handbook, v, converter, urls, written(v)) for v in handbook.editions}


def vocabulary_json(words_of: dict[str, dict], topics: list[list[int]]) -> dict[str, bytes]:
    """search/terms.json of every edition, from edition_words() and term_topics()."""
    return {search_data_path(code, "terms.json"):
            json.dumps(with_topics(words, topics), ensure_ascii=False, separators=(",", ":")).encode()
            for code, words in words_of.items()}
