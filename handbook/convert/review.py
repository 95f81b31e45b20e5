"""The conversion review: every one-to-many choice the Traditional editions make, for a reviewer.

Where a Simplified character has more than one Traditional counterpart
(发: 發 or 髮; 台: 臺, 檯, 颱 or 台) or a region writes its own form (税: 稅),
something chose one: OpenCC, a regional form or a reviewed fix
(content/conversion.yaml). Each such place is a `Place`. Places of the same
character in the same word, converted the same way, are one `Decision`
(发 → 發 in 开发区), named by a digest of the word in both scripts: a
reviewer signs off decisions (content/review.yaml), and an edit that changes
the word around a place, or how it is converted, changes the digest, so the
place comes back for review. `check` warns of decisions nobody signed off;
`python3 build.py review` writes the report (HTML, and a CSV per edition to
sign off: signoff.py).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from .converter import QUOTES, Converter, opencc_engine
from ..diagnostics import Diagnostic
from ..model import Override, SignOff
from .opencc_data import one_to_many
from .words import word_at

SHOWN = 8  # characters on each side that the report shows
LISTED = 12  # unreviewed decisions `check` names one by one, per edition; the rest are counted
OPENCC, REGIONAL, OVERRIDE = "OpenCC", "regional form", "override"
_QUOTES = frozenset(chr(c) for c in QUOTES)


@dataclass(frozen=True)
class Place:
    """One converted character whose Traditional form was a choice."""

    edition: str
    offset: int  # in its text
    char: str  # Simplified
    chosen: str  # what the edition writes
    counterparts: tuple[str, ...]  # what it could have been: OpenCC's candidates and the region's form
    decided_by: str  # OPENCC, REGIONAL or OVERRIDE
    rule: str  # the regional form or override that decided, in short ("" for OpenCC)
    context: str  # the Simplified word it is in (words.word_at), the character in [brackets]
    converted: str  # the same word in the edition
    shown: tuple[str, str]  # wider context (SHOWN each side), Simplified and the edition's, char in [ ]

    @cached_property
    def digest(self) -> str:
        key = f"{self.edition}\n{self.context}\n{self.converted}".encode()
        return hashlib.blake2b(key, digest_size=5).hexdigest()

    @property
    def choice(self) -> str:
        return f"{self.char}→{self.chosen}"


@dataclass(frozen=True)
class Decision:
    """Places of one character in one word, converted alike: one line of the report, signed off once."""

    places: tuple[Place, ...]
    where: str  # path:line:col of the first place
    reviewed: bool
    note: str = ""

    @property
    def first(self) -> Place:
        return self.places[0]

    @property
    def entry(self) -> str:
        """The line content/review.yaml keeps for it: digest, choice, word (the rest is for people)."""
        return f"{self.first.digest} {self.first.choice} {self.first.context}"


def _window(text: str, at: int, start: int, end: int) -> str:
    """text[start:end] with the character at `at` in [brackets]."""
    return (text[max(0, start):at] + "[" + text[at] + "]" + text[at + 1:end]).replace("\n", "⏎")


def text_places(text: str, converter: Converter) -> list[Place]:
    """The places of one text in the converter's edition."""
    ambiguous = one_to_many()
    converted, decisions = converter.convert(text)
    standard = opencc_engine("s2t").convert(text)  # before the region's own forms: what they changed shows
    written = opencc_engine(converter.edition.opencc).convert(text)
    decided = {}
    for decision in decisions:
        for at in range(decision.start, decision.end):
            if at not in decided or isinstance(decision.rule, Override):
                decided[at] = decision
    wanted = {at for at, char in enumerate(text) if char in ambiguous}
    wanted |= {at for at, (a, b) in enumerate(zip(written, standard)) if a != b}
    wanted |= {at for at, d in decided.items() if isinstance(d.rule, Override) or d.opencc[at - d.start] != converted[at]}
    places = []
    for at in sorted(wanted):
        char = text[at]
        if char in _QUOTES:
            continue
        decision = decided.get(at)
        if decision and (isinstance(decision.rule, Override) or decision.opencc[at - decision.start] != converted[at]):
            override = isinstance(decision.rule, Override)
            decided_by = OVERRIDE if override else REGIONAL
            rule = decision.rule.simplified if override else f"{decision.rule.opencc}→{decision.rule.writes}"
        else:
            decided_by, rule = OPENCC, ""
        counterparts = tuple(dict.fromkeys((*ambiguous.get(char, (standard[at],)), written[at], converted[at])))
        start, end = word_at(text, at)
        places.append(Place(converter.edition.code, at, char, converted[at], counterparts, decided_by, rule,
                            _window(text, at, start, end), _window(converted, at, start, end),
                            (_window(text, at, at - SHOWN, at + 1 + SHOWN),
                             _window(converted, at, at - SHOWN, at + 1 + SHOWN))))
    return places


class Reviewer:
    """Finds the places of a handbook's texts, remembering each text's: a rebuild looks again only at
    the texts that changed (all of them when the conversion rules did)."""

    def __init__(self):
        self.rules = None
        self.memo: dict[tuple[str, str], list[Place]] = {}  # (edition code, text) -> its places

    def decisions(self, loaded, converters: dict[str, Converter], sign_offs: tuple[SignOff, ...]) -> list[Decision]:
        """Places grouped by digest, in order of first appearance, each marked reviewed or not.

        One pass over every text's (remembered) places, grouping as it goes: at 10,000 measures
        there are about 450,000 places, and a list of them all first cost a rebuild 0.7 s."""
        rules = tuple(c.rules for c in converters.values())
        if rules != self.rules:
            self.rules, self.memo = rules, {}
        memo, kept = {}, self.memo
        grouped: dict[tuple[str, str], tuple[list[Place], object, object]] = {}
        for code, converter in converters.items():
            for record, field, text in loaded.texts():
                key = (code, text)
                places = memo.get(key)
                if places is None:
                    places = memo[key] = kept[key] if key in kept else text_places(text, converter)
                for place in places:
                    group = grouped.get((place.edition, place.digest))
                    if group is None:
                        grouped[(place.edition, place.digest)] = ([place], record, field)
                    else:
                        group[0].append(place)
        self.memo = memo
        signed = {(s.edition, entry.split(" ", 1)[0]): entry for s in sign_offs for entry in s.reviewed}
        out = []
        for key, (places, record, field) in grouped.items():
            entry = signed.get(key, "")
            out.append(Decision(tuple(places), loaded.where(record, field, places[0].offset), bool(entry),
                                entry.partition(" — ")[2]))
        return out


@dataclass(frozen=True)
class Summary:
    """What the about page says of an edition's review."""

    places: int
    decisions: int
    reviewed: int  # decisions signed off


def summaries(found: list[Decision]) -> dict[str, Summary]:
    by_edition: dict[str, list[Decision]] = defaultdict(list)
    for decision in found:
        by_edition[decision.first.edition].append(decision)
    return {code: Summary(sum(len(d.places) for d in group), len(group), sum(d.reviewed for d in group))
            for code, group in by_edition.items()}


def unreviewed_warnings(found: list[Decision], review_file: str) -> list[Diagnostic]:
    """`check`'s warnings: each unreviewed decision at its first place, LISTED per edition, then a count."""
    out, left = [], defaultdict(int)
    for d in found:
        if d.reviewed:
            continue
        code = d.first.edition
        if left[code] < LISTED:
            path, line, col = d.where.rsplit(":", 2)
            out.append(Diagnostic(path, int(line), int(col), "", f"{code}: {d.first.choice} in {d.first.context} "
                                  f"({d.first.converted}, decided by {d.first.decided_by}) is not reviewed",
                                  f"python3 build.py review lists it with its context; sign it off in {review_file}",
                                  "warning"))
        left[code] += 1
    for code, count in sorted(left.items()):
        if count > LISTED:
            out.append(Diagnostic(review_file, 0, 0, "", f"{code}: {count - LISTED} more conversion decisions "
                                  "are not reviewed", "python3 build.py review lists them all", "warning"))
    return out
