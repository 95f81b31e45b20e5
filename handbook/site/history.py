"""An edition's view of the content's history: each measure's revisions, its history page, the changes list
and the feed of changes.

A revision is one commit's changes to one measure, as one edition shows
them: a conversion change only in its own edition, a translation only in
the translated one; an official-text change everywhere, side by side in the
edition's script (converted with today's rules), the Chinese on an English
page. Pure, like pages.py.
"""

from __future__ import annotations

from collections import defaultdict

from ..editions import Edition
from ..model import CHANGE_KINDS, Change, History
from ..urls import PageKey
from .index import Index
from .wording import fill
from .views import ChangesView, Diff, HistoryView, MeasureHistory, MeasureRef, Page, Revision

CHANGES_PAGE_SIZE = 50


def edition_revisions(history: History, edition: Edition, convert, source_lang: str) -> dict[str, MeasureHistory]:
    """Each measure's history as the edition shows it (measure id -> MeasureHistory; measures without
    revisions have none). `convert`: the edition's text converter."""
    grouped: dict[tuple[str, str], list[Change]] = defaultdict(list)
    for change in history.changes:  # newest first: a dict keeps that order
        if not change.edition or change.edition == edition.code:
            grouped[(change.commit, change.measure)].append(change)
    revisions: dict[str, list[Revision]] = defaultdict(list)
    for (commit, measure), changes in grouped.items():
        kinds = tuple(k for k in CHANGE_KINDS if any(c.kind == k for c in changes))
        diffs = tuple(_diff(c, edition, convert, source_lang) for c in changes if c.before or c.after)
        revisions[measure].append(Revision(commit, changes[0].when, measure, kinds, diffs))
    return {id: MeasureHistory(tuple(found), history.state, history.since) for id, found in revisions.items()}


def _diff(change: Change, edition: Edition, convert, source_lang: str) -> Diff:
    if change.kind != "text":  # a translation or a conversion: already as the edition shows it
        return Diff(change.kind, change.before, change.after)
    if edition.translated:  # the official text changed: the Chinese, on an English page
        return Diff("text", change.before, change.after, source_lang)
    return Diff("text", tuple(map(convert, change.before)), tuple(map(convert, change.after)))


def measure_history(histories: dict[str, MeasureHistory], history: History, measure_id: str) -> MeasureHistory:
    return histories.get(measure_id) or MeasureHistory((), history.state, history.since)


def history_pages(refs: list[MeasureRef], histories: dict[str, MeasureHistory],
                  strings: dict[str, str]) -> tuple[Page, ...]:
    """The history page of each of these measures that has revisions."""
    return tuple(Page(PageKey("history", ref.measure.id), "history.html",
                      fill(strings["history_title"], title=ref.measure.title), HistoryView(ref, histories[ref.measure.id]))
                 for ref in refs if ref.measure.id in histories)


def newest_revisions(index: Index, histories: dict[str, MeasureHistory],
                     history: History) -> tuple[tuple[Revision, MeasureRef], ...]:
    """Every revision of every measure, newest commit first (as git has them), then in handbook order."""
    rank: dict[str, int] = {}
    for change in history.changes:
        rank.setdefault(change.commit, len(rank))
    entries = [(r, index.by_id[id]) for id, h in histories.items() if id in index.by_id for r in h.revisions]
    entries.sort(key=lambda e: (rank[e[0].commit], index.order[e[1].measure.id]))
    return tuple(entries)


def changes_pages(entries: tuple[tuple[Revision, MeasureRef], ...], history: History, title: str,
                  paginated) -> tuple[Page, ...]:
    """changes/: what changed, newest first, a page at a time (`paginated`: pages.paginated)."""
    return tuple(Page(PageKey("changes", "", pagination.number), "changes.html", title,
                      ChangesView(chunk, pagination, history.state, history.since))
                 for pagination, chunk in paginated(entries, CHANGES_PAGE_SIZE))
