"""Lookups over one edition's content, built once, and updated in place after an edit.

No page scans all measures: lists, positions and related measures come
from an Index. A rebuild after measures changed in place derives the new
index from the old (Index.updated), copying only the lists they are or were on.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from copy import copy

from ..model import STATUSES, Content, Measure, Term
from ..urls import PageKey
from .views import Coverage, Counted, MeasureRef, Named, Section

RELATED_LIMIT = 6
LIST_KINDS = ("source", "topic", "unit", "category", "status")


class Index:
    """Lookups over one edition's content, built once: no page scans all measures."""

    def __init__(self, content: Content, known: dict[str, MeasureRef] | None = None,
                 status_names: dict[str, str] | None = None):
        """`known` (measure id -> ref, read only: the last build's Index.by_id) lets an unchanged
        measure keep its ref object, so pages that show it compare equal to the last build's.
        `status_names`: what the edition calls each status (STATUSES), an interface string."""
        self.content = content
        self.status_names = status_names or {s: s for s in STATUSES}
        self.sources = {s.id: s for s in content.sources}
        self.topics = {t.id: t for t in content.topics}
        self.units = {u.id: u for u in content.units}
        self.terms = {t.id: t for t in content.terms}
        self.categories = {c.id: (s, c) for s in content.sources for c in s.categories}
        self.known = known or {}
        self.refs = tuple(self.ref_of(m) for m in content.measures)
        self.by_id = {r.measure.id: r for r in self.refs}
        self.order = {r.measure.id: i for i, r in enumerate(self.refs)}
        self._counted: dict[str, tuple[Counted, ...]] = {}
        self._coverage: dict[str, Coverage] = {}
        self._named: dict[str, tuple[Named, ...]] = {}
        self.by_source, self.by_topic, self.by_unit, self.by_category, self.by_status = (defaultdict(list)
                                                                                        for _ in range(5))
        self.supersedes: dict[str, list[str]] = defaultdict(list)  # measure id -> ids of the measures it replaces
        self.position: dict[tuple[str, str], int] = {}  # (topic, measure id) -> place in by_topic
        for ref in self.refs:
            m = ref.measure
            self.by_source[m.source].append(ref)
            for t in m.topics:
                self.position[(t, m.id)] = len(self.by_topic[t])
                self.by_topic[t].append(ref)
            for u in m.units:
                self.by_unit[u].append(ref)
            if m.category:
                self.by_category[m.category].append(ref)
            if m.status:
                self.by_status[m.status].append(ref)
            if m.superseded_by:
                self.supersedes[m.superseded_by].append(m.id)

    def ref_of(self, m: Measure) -> MeasureRef:
        """The measure's ref: the last build's object while measure, document, category, topics and units are."""
        source = self.sources[m.source]
        owner, category = self.categories.get(m.category, (None, None))
        category = category if owner is source else None
        topics, units = tuple(self.topics[t] for t in m.topics), tuple(self.units[u] for u in m.units)
        ref = self.known.get(m.id)
        if not (ref and ref.measure is m and ref.source is source and ref.category is category
                and ref.topics == topics and ref.units == units):
            ref = MeasureRef(m, source, category, topics, units)
        return ref

    def updated(self, content: Content, changed: list[int]) -> Index:
        """This index for `content`, whose measures at `changed` changed in place (layout.changed_in_place):
        the lists they are or were on are copied and edited, everything else is shared."""
        new = copy(self)
        new.content, new._counted, new._named, new._coverage = content, {}, {}, {}
        new.known, new.by_id = self.by_id, dict(self.by_id)
        refs = list(self.refs)
        groups = {kind: defaultdict(list, self.lists(kind)) for kind in LIST_KINDS}
        copied: set[Section] = set()
        for i in changed:
            before, m = self.refs[i], content.measures[i]
            refs[i] = new.by_id[m.id] = ref = new.ref_of(m)
            now = memberships(m)
            for section in set(memberships(before.measure)) | set(now):
                members = groups[section.kind][section.id]
                if section not in copied:
                    members = groups[section.kind][section.id] = list(members)
                    copied.add(section)
                at = bisect_left(members, self.order[m.id], key=lambda r: self.order[r.measure.id])
                present = at < len(members) and members[at].measure.id == m.id
                if section in now:
                    members[at:at + present] = [ref]
                elif present:
                    del members[at]
        new.refs = tuple(refs)
        new.by_source, new.by_topic, new.by_unit, new.by_category, new.by_status = (groups[kind] for kind in LIST_KINDS)
        new.position = dict(self.position)
        for section in copied:
            if section.kind == "topic":
                for ref in self.by_topic.get(section.id, ()):
                    new.position.pop((section.id, ref.measure.id), None)
                for at, ref in enumerate(new.by_topic[section.id]):
                    new.position[(section.id, ref.measure.id)] = at
        return new

    def lists(self, kind: str) -> dict[str, list[MeasureRef]]:
        """The measures of each source document, topic, unit or category (a LIST_KINDS kind), by its id."""
        return {"source": self.by_source, "topic": self.by_topic, "unit": self.by_unit,
                "category": self.by_category, "status": self.by_status}[kind]

    def counted(self, kind: str) -> tuple[Counted, ...]:
        """Each topic, unit or category with its number of measures (computed once per kind)."""
        if kind not in self._counted:
            if kind == "topic":
                items = (Counted(PageKey("topic", t.id), t.name, len(self.by_topic[t.id])) for t in self.content.topics)
            elif kind == "unit":
                items = (Counted(PageKey("unit", u.id), u.name, len(self.by_unit[u.id])) for u in self.content.units)
            elif kind == "status":  # only those some measure declares
                items = (Counted(PageKey("status", s), self.status_names[s], len(self.by_status[s]))
                         for s in STATUSES if self.by_status.get(s))
            else:
                items = (Counted(PageKey("category", c.id), c.name, len(self.by_category[c.id]), s.short_title)
                         for s in self.content.sources for c in s.categories)
            self._counted[kind] = tuple(items)
        return self._counted[kind]

    def coverage(self, kind: str) -> Coverage:
        """How many measures the lists of a kind (topic, category, unit) cover, and from which documents
        (worked out once per kind: the home page and the kind's index both say it)."""
        if kind in self._coverage:
            return self._coverage[kind]
        on = {"topic": lambda m: m.topics, "unit": lambda m: m.units,
              "category": lambda m: (m.category,) if m.category else ()}[kind]
        covered = [ref for ref in self.refs if on(ref.measure)]
        sources = {ref.source.id: ref.source for ref in covered}
        self._coverage[kind] = Coverage(len(covered), len(self.refs), tuple(sources.values()),
                                        any(len(on(ref.measure)) > 1 for ref in covered))
        return self._coverage[kind]

    def named(self, kind: str) -> tuple[Named, ...]:
        """Each topic, unit or category by name (worked out once per kind)."""
        if kind not in self._named:
            self._named[kind] = tuple(Named(c.key, c.name, c.detail) for c in self.counted(kind))
        return self._named[kind]

    def related(self, ref: MeasureRef) -> tuple[MeasureRef, ...]:
        """Measures sharing the most topics with this one, nearest in handbook order first.

        Candidates are the RELATED_LIMIT measures on each side of this one in
        each of its topics' lists, so the work per measure does not grow
        with the size of the handbook.
        """
        shared: dict[str, int] = defaultdict(int)
        found = {}
        for topic in ref.measure.topics:
            members = self.by_topic[topic]
            at = self.position[(topic, ref.measure.id)]
            for other in members[max(0, at - RELATED_LIMIT): at + RELATED_LIMIT + 1]:
                if other.measure.id != ref.measure.id:
                    shared[other.measure.id] += 1
                    found[other.measure.id] = other
        here = self.order[ref.measure.id]
        ranked = sorted(found, key=lambda i: (-shared[i], abs(self.order[i] - here), self.order[i]))
        return tuple(found[i] for i in ranked[:RELATED_LIMIT])


    def related_in_place(self, ref: MeasureRef) -> tuple[MeasureRef, ...]:
        """What related() gives for `ref`, a measure of this index changed in place (its topics, say), in
        the index updated() would make: read from this index's lists where the measure stands or would
        stand, without copying them (serve's preview: build/preview.py)."""
        id, order = ref.measure.id, self.order
        here = order[id]
        shared: dict[str, int] = defaultdict(int)
        found = {}
        for topic in ref.measure.topics:
            members = self.by_topic.get(topic, ())
            at = bisect_left(members, here, key=lambda r: order[r.measure.id])
            before = [r for r in members[max(0, at - RELATED_LIMIT): at] if r.measure.id != id]
            after = [r for r in members[at: at + RELATED_LIMIT + 1] if r.measure.id != id][:RELATED_LIMIT]
            for other in before + after:
                shared[other.measure.id] += 1
                found[other.measure.id] = other
        ranked = sorted(found, key=lambda i: (-shared[i], abs(order[i] - here), order[i]))
        return tuple(found[i] for i in ranked[:RELATED_LIMIT])


def memberships(m: Measure) -> list[Section]:
    """The lists a measure is on."""
    return ([Section("source", m.source)] + [Section("topic", t) for t in m.topics]
            + [Section("unit", u) for u in m.units] + ([Section("category", m.category)] if m.category else [])
            + ([Section("status", m.status)] if m.status else []))


def term_ids(measure: Measure, terms: tuple[Term, ...]) -> tuple[str, ...]:
    """The ids of the terms a measure writes (title or text), in the order it first writes them."""
    text = f"{measure.title}\n{measure.text}"
    found = sorted((spans[0][0], term.id) for term in terms if (spans := term.spans(text)))
    return tuple(term for _, term in found)


def related_ids(index: Index) -> dict[str, tuple[str, ...]]:
    """Each measure's related measures, by id: the same in every edition, so worked out once."""
    return {ref.measure.id: tuple(other.measure.id for other in index.related(ref)) for ref in index.refs}
