"""Check parsed content files against the JSON Schemas in handbook/schemas/.

The same schemas drive editors (the `# yaml-language-server: $schema=…` line
at the top of each file), so completion in the editor and errors from
`build.py check` never disagree. This module turns jsonschema's errors into
diagnostics that say which field, where, and how to fix it.

Editors read a schema's patterns as JavaScript (ECMA-262) regular
expressions, and so does the check: `$` is the very end of the text (in
Python's `re` it also matches before a final line break, which would let
`id: |` through), and `\\d`, `\\w` are ASCII (not fullwidth digits).
"""

from __future__ import annotations

import difflib
import json
import re
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError

from ..diagnostics import Diagnostic
from .yamlfile import YamlDocument, field_name  # field_name is used through this module too

SCHEMA_DIR = Path(__file__).parent.parent / "schemas"  # handbook/schemas/: content files name it
KINDS = ("measure", "source", "units", "topics", "site", "conversion", "terms", "review", "translation")
_TYPE_NAMES = {"string": "text", "integer": "a whole number", "boolean": "true or false",
               "array": "a list", "object": "a set of fields", "number": "a number"}
_ID_HINT = "ids use lowercase letters a-z, digits and single hyphens, e.g. nansha-batch6-07"


def schema_path(kind: str) -> Path:
    return SCHEMA_DIR / f"{kind}.schema.json"


@cache
def schema(kind: str) -> dict:
    return json.loads(schema_path(kind).read_text(encoding="utf-8"))


# An escape, a character class (its escapes inside), or `$`: the parts of a pattern read differently.
_PATTERN_PART = re.compile(r"\\.|\[(?:\\.|[^\]\\])*\]|\$", re.S)
_ECMA_ESCAPES = {r"\d": "[0-9]", r"\D": "[^0-9]", r"\w": "[A-Za-z0-9_]", r"\W": "[^A-Za-z0-9_]"}
_ECMA_IN_CLASS = {r"\d": "0-9", r"\w": "A-Za-z0-9_"}


def ecma_pattern(pattern: str) -> str:
    """A schema pattern in Python's syntax, meaning what it means to editors (ECMA-262)."""
    def python(part: re.Match) -> str:
        text = part[0]
        if text == "$":
            return r"\Z"
        if text.startswith("["):
            return re.sub(r"\\.", lambda escape: _ECMA_IN_CLASS.get(escape[0], escape[0]), text)
        return _ECMA_ESCAPES.get(text, text)
    return _PATTERN_PART.sub(python, pattern)


@cache
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(ecma_pattern(pattern))


def _pattern(validator, pattern: str, instance, _schema):
    if validator.is_type(instance, "string") and not _compiled(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


# Draft 2020-12, with every `pattern` of every schema read as editors read it
Validator = validators.extend(Draft202012Validator, {"pattern": _pattern})


@cache
def _validator(kind: str) -> Draft202012Validator:
    return Validator(schema(kind), format_checker=FormatChecker())


FILL_IN = "待填写"  # what `new` writes where only the maintainer knows the value: check refuses it


def _unfilled(document: YamlDocument, fields: dict) -> list[Diagnostic]:
    """A field `new` left for the maintainer (待填写), said as that, not as a wrong value."""
    out = []
    for name, value in document.value.items():
        values = value if isinstance(value, list) else [value]
        left = next((v for v in values if isinstance(v, str) and v.startswith(FILL_IN)), None)
        if left is not None:
            spot = document.spot((name,))
            out.append(Diagnostic(document.path, spot.line, spot.col, name, f"fill in {name}: it still says “{left}”",
                                  _describe_field(fields.get(name, {})) or "see docs/content.md"))
    return out


def validate(document: YamlDocument, kind: str) -> list[Diagnostic]:
    """Every schema problem of a document, each at the line of the field concerned."""
    if not isinstance(document.value, dict):
        spot = document.spot(())
        return [Diagnostic(document.path, spot.line, spot.col, "",
                           f"expected a set of fields (`name: value` lines), got {_describe(document.value)}",
                           f"see {schema_path(kind).name} or docs/content.md for the fields")]
    fields = schema(kind).get("properties", {})
    unfilled = _unfilled(document, fields)
    left = {d.field for d in unfilled}
    diagnostics = list(unfilled)
    for error in _validator(kind).iter_errors(document.value):
        diagnostics.extend(d for d in _explain(document, error, fields)
                           if d.field.split(".")[0].split("[")[0] not in left)
    # A misspelt field is also a missing one: say it once, where the misspelling is.
    misspelt = {(d.field.rpartition(".")[0], d.hint.split('"')[1]) for d in diagnostics
                if d.message == "unknown field" and d.hint.startswith("did you mean")}
    # A date in another form fails its pattern and its format: say it once, with the pattern's hint.
    misformed = {(d.line, d.field) for d in diagnostics if d.message.endswith("is not a date written YYYY-MM-DD")}
    diagnostics = [d for d in diagnostics
                   if not (d.message.endswith("is not a real date") and (d.line, d.field) in misformed)]
    # An old field renamed is also the missing new one: say it once, at the old field.
    renamed = {f"needs {' or '.join(RENAMED[d.field][0])} (or both)" for d in diagnostics
               if d.message == "unknown field" and d.field in RENAMED and d.hint == RENAMED[d.field][1]}
    return [d for d in diagnostics
            if not (d.message == "required field is missing" and d.field.rpartition(".")[::2] in misspelt)
            and d.message not in renamed]


def _explain(document: YamlDocument, error: ValidationError, fields: dict) -> list[Diagnostic]:
    """jsonschema's error as diagnostics a maintainer can act on, by the keyword the value failed
    (`fields`: the document's properties, for a rule that names several)."""
    path = tuple(error.absolute_path)
    spot = document.spot(path)

    def at(message: str, hint: str = "", where=path, key=False) -> Diagnostic:
        s = document.spot(where, key=key)
        return Diagnostic(document.path, s.line, s.col, field_name(where), message, hint)

    kind, value, instance = error.validator, error.validator_value, error.instance
    if kind == "additionalProperties":
        return _unknown_fields(error, at, path)
    if kind == "required":
        missing = [name for name in value if name not in instance]
        return [Diagnostic(document.path, spot.line, spot.col, field_name(path + (name,)),
                           "required field is missing",
                           _describe_field(error.schema["properties"].get(name, {})))
                for name in missing]
    if kind == "dependentRequired":  # fields that come together (a licence: its name, address, attribution)
        out = []
        for having, needed in value.items():
            s = document.spot(path + (having,), key=True)  # said where the field that needs them is
            out += [Diagnostic(document.path, s.line, s.col, field_name(path + (name,)),
                               f"required field is missing (with {having})", _describe_field(fields.get(name, {})))
                    for name in needed if having in instance and name not in instance]
        return out
    if kind == "anyOf" and all(list(option) == ["required"] for option in value):
        names = [option["required"][0] for option in value]  # one of several fields (issuer or publisher)
        labels = [f"{name} ({fields.get(name, {}).get('description', '').split(':')[0]})" for name in names]
        example = fields.get(names[0], {}).get("examples", ["…"])[0]
        return [at(f"needs {' or '.join(names)} (or both)",
                   f"add {' or '.join(labels)}, e.g. `{names[0]}: {example}`")]
    if kind == "type":
        wanted = " or ".join(_TYPE_NAMES.get(name, name) for name in ([value] if isinstance(value, str) else value))
        return [at(f"expected {wanted}, got {_describe(instance)}", _describe_field(error.schema))]
    if kind == "pattern":
        return [at(*_mismatch(error))]
    if kind == "format":
        return [at(f'"{instance}" is not a real date', "write dates as YYYY-MM-DD, e.g. 2022-08-09")]
    if kind == "enum":
        return [at(f'"{instance}" is not allowed', _enum_hint(error))]
    if kind == "minLength":
        return [at("must not be empty", _describe_field(error.schema))]
    if kind in ("minItems", "maxItems"):
        low, high = error.schema.get("minItems", 0), error.schema.get("maxItems")
        wanted = f"{low} to {high}" if high else f"at least {low}"
        return [at(f"has {len(instance)} item{'s' * (len(instance) != 1)}; give {wanted}")]
    if kind == "uniqueItems":
        return [at(f'"{_repeated(instance)}" is listed twice', "remove the repetition")]
    if kind == "minimum":
        return [at(f"must be at least {value}, got {instance}")]
    return [at(error.message)]


def _enum_hint(error: ValidationError) -> str:
    """Which value was meant: a maintainer often writes the Chinese (已失效 for expired), which the field's
    description gives beside each value: `expired (已失效, 废止)`."""
    values, instance = error.validator_value, str(error.instance).strip()
    names = dict(re.findall(r"\b([a-z][a-z-]*) \(([^)]*)\)", error.schema.get("description", "")))
    meant = [v for v in values if instance in re.split(r"[,，、:;]\s*", names.get(v, ""))]
    if meant:
        return f"write it as {error.absolute_path[-1]}: {meant[0]}" if error.absolute_path else f"write {meant[0]}"
    return "use one of: " + ", ".join(f"{v} ({names[v].split(',')[0]})" if v in names else str(v) for v in values)


# Fields of an earlier layout, and what took their place.
RENAMED = {"date": (("written", "published"), "rename it: written (成文日期, the date the document bears) or "
                                              "published (发布日期, the day it was put online)")}


def _unknown_fields(error: ValidationError, at, path: tuple) -> list[Diagnostic]:
    """One diagnostic per field the schema does not allow, at its key, naming the field meant if it is close."""
    allowed = list(error.schema.get("properties", {}))
    out = []
    for key in error.instance:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.75)
            hint = (RENAMED[key][1] if key in RENAMED and set(RENAMED[key][0]) <= set(allowed)
                    else f'did you mean "{close[0]}"?' if close else "allowed fields: " + ", ".join(allowed))
            out.append(at("unknown field", hint, where=path + (key,), key=True))
    return out


def _mismatch(error: ValidationError) -> tuple[str, str]:
    """(message, hint) for text that does not match its field's pattern: an id, a date, a seeds path, or other."""
    value, instance = error.validator_value, error.instance
    example = error.schema.get("examples", [""])[0]
    if "a-z0-9" in value:
        return f'"{instance}" is not a valid id', _ID_HINT
    if error.schema.get("format") == "date":
        return f'"{instance}" is not a date written YYYY-MM-DD', f"write it as {_iso_date(instance) or example}"
    if value.startswith("^https?://"):
        return f'"{instance}" is not a whole web address', f"write it starting with https://, like {example}"
    if value.startswith("^seeds/"):
        return f'"{instance}" is not a valid path', f"seeds paths look like {example}"
    return (f'"{instance}" is not in the form this field takes', f"{_describe_field(error.schema)}".strip()
            or f"for example {example}")


def _iso_date(text: str) -> str | None:
    """2022年8月9日, 2022/8/9 or 2022.8.9 written as YYYY-MM-DD, when it is one."""
    match = re.fullmatch(r"\s*(\d{4})\s*[年/.\-]\s*(\d{1,2})\s*[月/.\-]\s*(\d{1,2})\s*日?\s*", text)
    return f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}" if match else None


def _repeated(items: list):
    """The first item of a list that an earlier one equals (None if there is none)."""
    seen = set()
    for item in items:
        if item in seen:
            return item
        seen.add(item)
    return None


def _describe(value: object) -> str:
    if value is None:
        return "nothing (empty value)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f'text "{value[:30]}{"…" if len(value) > 30 else ""}"'
    if isinstance(value, list):
        return "a list"
    return "a set of fields"


def _describe_field(field_schema: dict) -> str:
    description = field_schema.get("description", "")
    examples = field_schema.get("examples")
    example = f" Example: {json.dumps(examples[0], ensure_ascii=False)}" if examples else ""
    return (description + example).strip()
