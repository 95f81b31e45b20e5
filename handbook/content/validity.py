"""A measure's validity (status, effective, expires, superseded_by) checked across the handbook.

The fields are optional and declared by the maintainer: the build never
reads the clock, so a status is what the file says. What the schema cannot
see is checked here: a superseded measure names a successor that exists (and
is not itself, nor superseded in a circle back to it), only a superseded
measure names one, and a measure expires after it takes effect.
"""

from __future__ import annotations

import difflib

from ..diagnostics import Diagnostic
from .load import Loaded


def check_validity(loaded: Loaded, known_measures: dict) -> list[Diagnostic]:
    """Each measure's validity fields against the others' (`known_measures`: id -> measure)."""
    problems: list[Diagnostic] = []
    for measure in loaded.content.measures:
        if measure.status is None and measure.superseded_by is None and measure.expires is None:
            continue  # the usual case: nothing declared
        problems += _one(loaded, measure, known_measures)
    return problems


def _one(loaded: Loaded, measure, known: dict) -> list[Diagnostic]:
    out = []
    successor = measure.superseded_by
    if measure.status == "superseded" and successor is None:
        out.append(loaded.at(measure, ("status",), "a superseded measure names the measure that replaces it",
                             "add superseded_by: <the id of that measure>, or write status: expired "
                             "if nothing replaces it"))
    if successor is not None:
        if measure.status != "superseded":
            out.append(loaded.at(measure, ("superseded_by",), "only a superseded measure names a successor",
                                 "add status: superseded, or remove superseded_by"))
        if successor == measure.id:
            out.append(loaded.at(measure, ("superseded_by",), "a measure cannot supersede itself",
                                 "write the id of the measure that replaces this one"))
        elif successor not in known:
            if not loaded.incomplete("measure"):  # else it may be a measure whose file did not load
                close = difflib.get_close_matches(successor, list(known), n=1, cutoff=0.8)
                out.append(loaded.at(measure, ("superseded_by",), f'"{successor}" is not a measure',
                                     f'did you mean "{close[0]}"?' if close else
                                     "write the id of a measure in content/measures/ (the id: line of its file)"))
        elif _circle(measure.id, known):
            out.append(loaded.at(measure, ("superseded_by",), f"{measure.id} and {successor} supersede each "
                                 "other (in a circle)", "one of them is the newer: remove superseded_by "
                                 "from that one"))
    if measure.effective and measure.expires and measure.expires <= measure.effective:
        out.append(loaded.at(measure, ("expires",), f"{measure.expires.isoformat()} is not after the day it "
                             f"takes effect ({measure.effective.isoformat()})", "check both dates"))
    return out


def _circle(start: str, known: dict) -> bool:
    """Whether following superseded_by from `start` comes back to it."""
    seen, at = set(), known[start].superseded_by
    while at is not None and at in known and at not in seen:
        if at == start:
            return True
        seen.add(at)
        at = known[at].superseded_by
    return False
