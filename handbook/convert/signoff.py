"""The review's paperwork: the report's sections, the CSV a reviewer signs, and the sign-offs it gives.

review.py finds the decisions and says which are signed off; this module is
what `python3 build.py review` reads and writes about them. A reviewer gets a
CSV per edition, writes yes in sign_off, and hands it back; the rows that
name a decision of the content become a sign-off appended to
content/review.yaml. Only the note comes from the CSV: the lines are made
from the decisions themselves.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict

from .review import Decision

CSV_COLUMNS = ("edition", "digest", "character", "choice", "counterparts", "decided_by", "rule", "word",
               "simplified", "converted", "places", "first_place", "reviewed", "sign_off", "note")


def csv_report(found: list[Decision], edition: str) -> str:
    """The decisions of one edition, for a reviewer: write yes in sign_off (and a note if needed), hand it back."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for d in sorted((d for d in found if d.first.edition == edition), key=_order):
        p = d.first
        writer.writerow((p.edition, p.digest, p.char, p.chosen, " ".join(p.counterparts), p.decided_by, p.rule,
                         p.context, p.shown[0], p.shown[1], len(d.places), d.where, "yes" if d.reviewed else "",
                         "", d.note))
    return out.getvalue()


def _order(d: Decision) -> tuple:
    return (d.first.char, d.first.chosen, d.first.context)


def grouped_for_report(found: list[Decision]) -> dict[str, dict[str, dict[str, list[Decision]]]]:
    """edition -> Simplified character -> chosen character -> decisions: the report's sections."""
    out: dict = {}
    for d in sorted(found, key=lambda d: (d.first.edition, *_order(d))):
        p = d.first
        out.setdefault(p.edition, {}).setdefault(p.char, {}).setdefault(p.chosen, []).append(d)
    return out


def signed_from_csv(data: str) -> dict[tuple[str, str], str]:
    """(edition, digest) -> note ("" if none) of each row a reviewer signed off (sign_off says yes)."""
    rows = csv.DictReader(io.StringIO(data))
    missing = set(CSV_COLUMNS) - set(rows.fieldnames or ())
    if missing:
        raise ValueError(f"not a review CSV (python3 build.py review writes them): no column {', '.join(sorted(missing))}")
    return {((row["edition"] or "").strip(), (row["digest"] or "").strip()): " ".join((row["note"] or "").split())
            for row in rows if (row["sign_off"] or "").strip().lower() in ("yes", "y", "ok", "✓", "是", "对", "對")}


def sign_off_entries(found: list[Decision], signed: dict[tuple[str, str], str]) -> tuple[dict[str, list[str]], Counter]:
    """The review.yaml lines for the signed rows that name a decision not yet signed off, by edition,
    and per edition how many rows name no decision of the content (its text changed since the report).
    The lines are made from the decisions, so nothing but the note comes from the CSV."""
    by_key = {(d.first.edition, d.first.digest): d for d in found}
    entries: dict[str, list[str]] = defaultdict(list)
    stale: Counter = Counter()
    for (edition, digest), note in signed.items():
        decision = by_key.get((edition, digest))
        if decision is None:
            stale[edition] += 1
        elif not decision.reviewed:
            entries[edition].append(decision.entry + (f" — {note}" if note else ""))
    return entries, stale


def with_sign_offs(review_text: str, entries: dict[str, list[str]], by: str, date: str) -> str:
    """content/review.yaml with a sign-off appended per edition (appended as text, so its comments and
    earlier sign-offs stay as they were)."""
    text = review_text.replace("sign_offs: []", "sign_offs:")
    if not text.endswith("\n"):
        text += "\n"
    for edition, lines in sorted(entries.items()):
        text += f"  - edition: {edition}\n    by: {_quoted(' '.join(by.split()))}\n    date: \"{date}\"\n    reviewed:\n"
        text += "".join(f"      - {_quoted(line)}\n" for line in lines)
    return text


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

