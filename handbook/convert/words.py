"""Where words begin and end in Chinese text, so a conversion fix never fires inside other words.

A reviewed fix such as 准营 → 准營 is right in 食品准营 but would turn
高标准营造 into 高標准營造: there its two characters are the end of one word
and the start of the next (高标准 | 营造). OpenCC's dictionaries know only
the phrases whose conversion is special, not where words end, so the words
come from jieba's dictionary (rjieba, the maintained Rust port of jieba:
0.1 s to load, once per process, and only when a fix has to be placed).

A phrase stands in a text in one of three ways:

- "words": both its ends are word edges (食品|准营): it is whole words;
- "part": one end is (内制度 in 行内|制度, 复议 in the one word 行政复议);
- "inside": neither is (准营 in 高标准|营造): it is pieces of other words.

A fix applies only to whole words, or in a context its entry lists
(convert.placement); `check` names every other place, so that a maintainer
confirms the context one way or the other. jieba's sub-words of a long word
are not edges: they make pieces look like words (高标 is one, so 准营 in
高标准营造 would start on an edge).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

# jieba cuts text into runs of these characters before it looks for words; a run is segmented on its own.
_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fffA-Za-z0-9+#&._%\-]+")


@cache
def _jieba():
    import rjieba

    return rjieba.Jieba()


@lru_cache(maxsize=1 << 14)
def _edges(run: str) -> frozenset[int]:
    """Offsets in `run` where one of jieba's words ends and the next begins (0 and len(run) too)."""
    edges, at = {0}, 0
    for word in _jieba().cut(run):
        at += len(word)
        edges.add(at)
    return frozenset(edges)


def run_at(text: str, at: int) -> tuple[int, int]:
    """The run of word characters holding text[at], as (start, end); (at, at) outside any run."""
    begin = at
    while begin > 0 and _RUN.match(text, begin - 1, begin):
        begin -= 1
    match = _RUN.match(text, begin)
    return (begin, match.end()) if match and match.end() > at else (at, at)


def _is_edge(text: str, at: int, inside: int) -> bool:
    """True when offset `at` falls between two words of the run holding text[inside]."""
    begin, stop = run_at(text, inside)
    return not begin < at < stop or (at - begin) in _edges(text[begin:stop])


def standing(text: str, start: int, end: int) -> str:
    """How text[start:end] stands among the words around it: "words", "part" or "inside"."""
    edges = _is_edge(text, start, start) + _is_edge(text, end, end - 1)
    return ("inside", "part", "words")[edges]


def word_at(text: str, at: int) -> tuple[int, int]:
    """(start, end) of jieba's word holding text[at]; the character alone outside any run."""
    begin, stop = run_at(text, at)
    if begin == stop:
        return at, at + 1
    edges = sorted(_edges(text[begin:stop]))
    start = max(e for e in edges if e <= at - begin)
    return begin + start, begin + min(e for e in edges if e > at - begin)


def words_around(text: str, start: int, end: int) -> str:
    """The words of the run(s) around text[start:end], separated by |, for messages: 高标准|营造."""
    begin = run_at(text, start)[0]
    stop = max(run_at(text, start)[1], run_at(text, end - 1)[1], end)
    return "|".join(_jieba().cut(text[begin:stop]))
