"""The interface strings of templates/strings.yaml, checked, and each edition's wording of them."""

from __future__ import annotations

from pathlib import Path

from ..content import schema
from ..content.yamlfile import MAX_BYTES, parse_yaml
from ..convert.converter import Converter
from ..diagnostics import ContentError, display_path, refusal
from ..editions import Edition
from ..reading import UnreadableFile, read_regular


def load_strings(templates: Path) -> dict:
    """templates/strings.yaml, read and checked like a content file: a broken one is ContentError, located."""
    path = templates / "strings.yaml"
    try:
        data = read_regular(path, MAX_BYTES)
    except UnreadableFile as error:
        raise ContentError([refusal(error.refused)]) from None
    document, problems = parse_yaml(data, display_path(path))
    problems = problems or schema.validate(document, "strings")
    if problems:
        raise ContentError(problems)
    return document.value


def edition_strings(strings: dict, edition: Edition, convert: Converter, source: Edition) -> dict[str, str]:
    """Interface strings for an edition: its own wording where given, else the source's, converted."""
    out = {}
    for key, value in strings.items():
        if isinstance(value, dict):
            out[key] = value.get(edition.code) or convert(value[source.code])
        else:
            out[key] = convert(value)
    return out
