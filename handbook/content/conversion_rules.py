"""The checks of content/conversion.yaml and content/terms.yaml: the rules that change OpenCC's conversion.

validate.check_references runs them with the rules across files. They are
apart because they judge the conversion itself, asking OpenCC and the
converter (handbook/convert/) what an edition writes: regional forms and
overrides keep the length of what they replace and apply where they are
meant to, and a term's regional forms are in its edition's characters.
"""

from __future__ import annotations

from dataclasses import replace

from .load import Loaded
from ..diagnostics import Diagnostic
from ..editions import Edition


def check_conversion(loaded: Loaded, editions: dict[str, Edition]) -> list[Diagnostic]:
    """Regional forms and overrides keep the length of what they replace; an override applies
    somewhere, and its contexts hold its phrase. Where its phrase is not whole words (准营 in
    高标准营造) it is skipped, with a warning until the context is listed in applies_in or not_in."""
    return _regional(loaded, editions) + _overrides(loaded)


def _regional(loaded: Loaded, editions: dict[str, Edition]) -> list[Diagnostic]:
    """Each regional form keeps the length of OpenCC's, is the only one for its character and edition,
    and has an example that OpenCC converts to a text holding what it replaces."""
    from ..convert.converter import opencc_engine

    problems = []
    seen: dict[tuple[str, str], object] = {}
    for form in loaded.conversion.regional:
        if len(form.writes) != len(form.opencc):
            problems.append(loaded.at(form, ("writes",), f'"{form.writes}" has {len(form.writes)} characters, '
                                      f'"{form.opencc}" has {len(form.opencc)}',
                                      "a regional form changes characters, never words: keep the same length"))
        first = seen.setdefault((form.edition, form.opencc), form)
        if first is not form:
            problems.append(loaded.at(form, ("opencc",), f'{form.edition} has a form for "{form.opencc}" already',
                                      "keep one entry per character or word and edition"))
        edition = editions.get(form.edition)
        converted = opencc_engine(edition.opencc).convert(form.example) if edition and edition.converted else ""
        if edition and form.opencc not in converted:
            problems.append(loaded.at(form, ("example",), f'OpenCC writes "{converted}" for it, without "{form.opencc}"',
                                      f'give a Simplified text that OpenCC converts to a text with "{form.opencc}"'))
    return problems


def _overrides(loaded: Loaded) -> list[Diagnostic]:
    """Each override gives some edition its words, as long as its phrase, for a phrase the content
    writes, and its contexts hold the phrase; then the places where it is not applied (_unsure)."""
    overrides, problems = loaded.conversion.overrides, []
    texts = list(loaded.texts())
    corpus = "\n".join(text for _, _, text in texts)
    for override in overrides:
        if not override.targets:
            problems.append(loaded.at(override, (), "gives no edition its words",
                                      "add the edition(s) OpenCC gets wrong, or delete the entry"))
        if not loaded.incomplete("measure") and override.simplified not in corpus:
            problems.append(loaded.at(override, ("simplified",), f'"{override.simplified}" occurs nowhere in the content',
                                      "delete the entry, or fix the phrase to match the Simplified text"))
        for code, target in override.targets:
            if len(target) != len(override.simplified):
                problems.append(loaded.at(override, (code,), f'"{target}" has {len(target)} characters, '
                                          f'"{override.simplified}" has {len(override.simplified)}',
                                          "a fix changes characters, never words: keep the same length"))
        for name in ("applies_in", "not_in"):
            for i, context in enumerate(getattr(override, name)):
                if override.simplified not in context:
                    problems.append(loaded.at(override, (name, i), f'"{context}" does not contain "{override.simplified}"',
                                              f'list a longer text that holds "{override.simplified}", as the content writes it'))
    return problems + _unsure(loaded, overrides, texts)


def _unsure(loaded: Loaded, overrides, texts: list) -> list[Diagnostic]:
    """A warning for each place where an override's phrase is part of a longer word or pieces of
    other words, in words no context of it lists: OpenCC's conversion stands there."""
    from ..convert.converter import occurrences, phrase_pattern, placement
    from ..convert.words import words_around

    pattern = phrase_pattern(o.simplified for o in overrides)
    if pattern is None:
        return []
    by_phrase = {o.simplified: o for o in overrides}
    unsure: dict[int, dict[tuple[str, str], str]] = {}  # id(override) -> {(standing, words around): where}
    for record, name, text in texts:
        for start, phrase in occurrences(pattern, text):
            override = by_phrase[phrase]
            how = placement(override, text, start)
            if how in ("part", "inside"):
                words = words_around(text, start, start + len(phrase))
                unsure.setdefault(id(override), {}).setdefault((how, words), loaded.where(record, name, start))
    problems = []
    for override in overrides:
        for (how, words), where in unsure.get(id(override), {}).items():
            context = words.replace("|", "")
            if how == "inside":
                message = (f'"{override.simplified}" is pieces of other words in {words} ({where}): '
                           "not applied there, OpenCC's conversion stands")
                hint = (f'if that is right, add "{context}" to not_in; if the fix is wanted there, '
                        f'add "{context}" to applies_in')
            else:
                message = (f'"{override.simplified}" is part of a longer word in {words} ({where}): '
                           "not applied there, OpenCC's conversion stands")
                hint = (f'if the fix is wanted there, add "{context}" to applies_in; if not, add it to not_in')
            problems.append(replace(loaded.at(override, ("simplified",), message, hint), severity="warning"))
    return problems


def check_terms(loaded: Loaded, editions: dict[str, Edition], forms: bool = True) -> list[Diagnostic]:
    """A term names a concept the measures write; its regional forms are in the edition's characters.

    The second is a warning: zh-tw written 台灣 where the Taiwan edition writes 臺灣 (or a Simplified
    character typed by mistake) is found by converting the form to Simplified and back; only with
    `forms`, when the conversion rules themselves are valid."""
    from ..convert.converter import Converter, opencc_engine

    problems = []
    if not loaded.incomplete("measure"):
        official = "\n".join(f"{m.title}\n{m.text}" for m in loaded.content.measures)
        for term in loaded.content.terms:
            if term.simplified not in official:
                problems.append(loaded.at(term, ("zh-hans",), f'"{term.simplified}" occurs in no measure',
                                          "write the concept as a measure's title or text writes it, or delete the entry"))
            for i, word in enumerate(term.text_also):
                if word not in official:
                    problems.append(loaded.at(term, ("text_also", i), f'"{word}" occurs in no measure',
                                              "list only words a measure's title or text writes for this concept"))
            for i, word in enumerate(term.not_in):
                if word not in official or term.simplified not in word:
                    problems.append(loaded.at(term, ("not_in", i), f'"{word}" is no word of the measures that '
                                              f'holds "{term.simplified}"', "list only words a measure writes in "
                                              f"which {term.simplified}'s characters mean something else"))
    if not forms:
        return problems
    converters = {e.code: Converter(e, loaded.conversion) for e in editions.values() if e.converted}
    simplified = opencc_engine("t2s")
    for term in loaded.content.terms:
        for code, convert in converters.items():
            form = term.form(code)
            expected = convert(simplified.convert(form))
            if expected != form:
                problems.append(replace(loaded.at(term, (code,), f'"{form}" is not in the characters the {code} '
                                                  f'edition writes: "{expected}"', f"write {expected}, or add a "
                                                  "regional form to content/conversion.yaml if the edition should "
                                                  "write it your way"), severity="warning"))
    return problems
