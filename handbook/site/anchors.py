"""Paragraph and sentence anchors in a measure's text: #p1, #p1-s3, the same in every edition.

Readers cite a measure by its sentences (第5项 第3句): today every measure is one long paragraph. The
numbers count the text's own paragraphs and sentences, so an anchor stays on its sentence when another
sentence's wording changes; the Traditional editions, converted character by character, number exactly
as the Simplified does. A sentence ends at 。！？ (or . ! ? before a capital, in English) with the
closing marks that follow, outside any emphasis or link: an end inside markup does not split.

A translation numbers its sentences the same way only where it has as many as the Chinese paragraph
it translates; where it does not, the paragraph carries the Chinese sentences' anchors at its start,
so a link to 第3句 still lands on the right paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable
from html import escape

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_CLOSERS = "”’」』）)》〉\"'"
_CHINESE_END = re.compile(f"[。！？]+[{_CLOSERS}]*")
_ENGLISH_END = re.compile(f"[.!?]+[{_CLOSERS}]*(?=\\s+[A-Z0-9“‘\"'(（\u4e00-\u9fff])")
_NOT_A_START = "，、；：。！？）」』”’),;:"  # a mark that continues the sentence: 。”； ends a quote, not it


def sentence_ends(text: str) -> list[int]:
    """The offsets in `text` just after each sentence that ends in it (the last may run on)."""
    ends = []
    for pattern in (_CHINESE_END, _ENGLISH_END):
        for m in pattern.finditer(text):
            after = text[m.end():].lstrip()
            if not after or after[0] not in _NOT_A_START:
                ends.append(m.end())
    return sorted(set(ends))


def sentences(text: str) -> list[str]:
    """A plain paragraph's sentences, as the anchors count them."""
    out, start = [], 0
    for end in sentence_ends(text) + [len(text)]:
        if text[start:end].strip():
            out.append(text[start:end].strip())
        start = end
    return out


@dataclass(frozen=True)
class Labels:
    """How an edition names a measure's sentences and paragraphs (render.py fills its wording: 第5项 第3句,
    "Item 5, sentence 3"), and, in a translated edition, how many sentences each paragraph of the Chinese
    has: the anchors a translation must carry."""

    sentence: Callable[[int, int], str]  # (paragraph, sentence) -> its name
    paragraph: Callable[[int], str]
    chinese_counts: tuple[int, ...] | None = None


def _html(content: str) -> Token:
    token = Token("html_inline", "", 0)
    token.content = content
    return token


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _pieces(children: list[Token]) -> list[list[Token]]:
    """The inline tokens of a paragraph cut into sentences (whitespace between them as their own pieces)."""
    pieces: list[list[Token]] = [[]]
    depth = 0
    for token in children:
        if token.type in ("softbreak", "hardbreak") and not depth and _is_blank(pieces[-1]):
            pieces[-1].append(token)  # between sentences: a piece of its own, outside both
            pieces.append([])
            continue
        if token.type != "text" or depth:
            pieces[-1].append(token)
            depth += token.nesting
            continue
        start = 0
        for end in sentence_ends(token.content):
            pieces[-1].append(_text(token.content[start:end]))
            pieces.append([])
            start = end
        if token.content[start:]:
            pieces[-1].append(_text(token.content[start:]))
    return [piece for piece in pieces if piece]


def _wrap(piece: list[Token], anchor: str, label: str) -> list[Token]:
    """A sentence as a span with its id, led by the link that names it (empty: the name is shown by CSS,
    and copying the text copies only the text)."""
    lead = []
    if piece and piece[0].type == "text" and piece[0].content != piece[0].content.lstrip():
        stripped = piece[0].content.lstrip()
        lead = [_text(piece[0].content[:len(piece[0].content) - len(stripped)])]
        piece = [_text(stripped)] + piece[1:]
    name = escape(label)
    return lead + [_html(f'<span class="s" id="{anchor}"><a class="ref" href="#{anchor}" aria-label="{name}" '
                         f'data-ref="{name}"></a>')] + piece + [_html("</span>")]


def _is_blank(piece: list[Token]) -> bool:
    return all(t.type in ("softbreak", "hardbreak") or (t.type == "text" and not t.content.strip()) for t in piece)


def _anchor(state: StateCore) -> None:
    labels: Labels | None = state.env.get("anchors")
    if labels is None:
        return
    p = 0
    for i, token in enumerate(state.tokens):
        if token.type != "paragraph_open":
            continue
        p += 1
        token.attrSet("id", f"p{p}")
        inline = state.tokens[i + 1]
        pieces = _pieces(inline.children or [])
        said = [piece for piece in pieces if not _is_blank(piece)]
        wanted = labels.chinese_counts[p - 1] if labels.chinese_counts and p <= len(labels.chinese_counts) \
            else None
        out: list[Token] = []
        if wanted is not None and wanted != len(said):  # a translation that does not follow sentence by sentence
            out += [_html(f'<span id="p{p}-s{s}"></span>') for s in range(1, wanted + 1)]
            out += [t for piece in pieces for t in piece]
        else:
            s = 0
            for piece in pieces:
                if _is_blank(piece):
                    out += piece
                    continue
                s += 1
                out += _wrap(piece, f"p{p}-s{s}", labels.sentence(p, s))
        name = escape(labels.paragraph(p))
        out.append(_html(f'<a class="ref para" href="#p{p}" aria-label="{name}" data-ref="{name}"></a>'))
        inline.children = out


def anchors_plugin(md: MarkdownIt) -> None:
    """Number a text's paragraphs and sentences when render() is given env={"anchors": Labels(...)}."""
    md.core.ruler.push("sentence_anchors", _anchor)


def paragraph_sentence_counts(md: MarkdownIt, text: str) -> tuple[int, ...]:
    """How many sentences each paragraph of a Markdown text has, as the anchors count them."""
    counts, tokens = [], md.parse(text)
    for i, token in enumerate(tokens):
        if token.type == "paragraph_open":
            counts.append(sum(1 for piece in _pieces(tokens[i + 1].children or []) if not _is_blank(piece)))
    return tuple(counts)
