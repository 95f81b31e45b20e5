"""The interface strings of templates/strings.yaml, checked, and each edition's wording of them."""

from __future__ import annotations

from pathlib import Path

from ..content import schema
from ..content.yamlfile import MAX_BYTES, parse_yaml
from ..convert.converter import Converter
from ..diagnostics import ContentError, Diagnostic, display_path, refusal
from ..editions import EDITIONS, Edition, source_edition
from ..reading import UnreadableFile, read_regular


TRANSLATED = "strings-{code}.yaml"  # a translated edition's own strings, beside strings.yaml


def _read(path: Path, kind: str):
    try:
        data = read_regular(path, MAX_BYTES)
    except UnreadableFile as error:
        raise ContentError([refusal(error.refused)]) from None
    document, problems = parse_yaml(data, display_path(path))
    problems = problems or schema.validate(document, kind)
    if problems:
        raise ContentError(problems)
    return document


def load_strings(templates: Path, editions: tuple[Edition, ...] = EDITIONS) -> dict:
    """templates/strings.yaml, read and checked like a content file: a broken one is ContentError, located.

    A translated edition's strings (strings-<code>.yaml: every key, in the same order) are merged in as
    that edition's wording of each key, so edition_strings treats every edition alike."""
    strings = dict(_read(templates / "strings.yaml", "strings").value)
    source = source_edition(editions).code
    for edition in editions:
        if not edition.translated:
            continue
        path = templates / TRANSLATED.format(code=edition.code)
        own = _read(path, "translated-strings")
        if list(own.value) != list(strings):
            raise ContentError([_key_problem(own, strings, display_path(path))])
        for key, text in own.value.items():
            value = strings[key]
            strings[key] = {**(value if isinstance(value, dict) else {source: value}), edition.code: text}
    return strings


def _key_problem(own, strings: dict, shown: str) -> Diagnostic:
    missing = [k for k in strings if k not in own.value]
    extra = [k for k in own.value if k not in strings]
    if extra:
        spot = own.spot((extra[0],), key=True)
        return Diagnostic(shown, spot.line, spot.col, extra[0], "is no key of strings.yaml",
                          "remove it, or add it to strings.yaml first")
    if missing:
        return Diagnostic(shown, 0, 0, "", f"lacks the key{'s' * (len(missing) > 1)} {', '.join(missing)}",
                          "give every key of strings.yaml its wording here")
    first = next(k for k, j in zip(own.value, strings) if k != j)
    spot = own.spot((first,), key=True)
    return Diagnostic(shown, spot.line, spot.col, first, "is out of order",
                      "keep the keys in strings.yaml's order, so the two files read side by side")


def edition_strings(strings: dict, edition: Edition, convert: Converter, source: Edition) -> dict[str, str]:
    """Interface strings for an edition: its own wording where given, else the source's, converted."""
    out = {}
    for key, value in strings.items():
        if isinstance(value, dict):
            out[key] = value.get(edition.code) or convert(value[source.code])
        else:
            out[key] = convert(value)
    return out
