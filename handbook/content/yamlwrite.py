"""Write content files the way a person would: block text, flow id lists.

The importer (seeds.importer) and the bench's generator write content files
that people then edit; reading them back is yamlfile's job, kept apart so
that the safe reader holds nothing of writing.
"""

from __future__ import annotations

import yaml

_STR, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq"


class _Dumper(yaml.SafeDumper):
    """Writes content files the way a person would: block text, flow id lists."""


class FlowList(list):
    """A short list written on one line: `topics: [tax, credit]`."""


_Dumper.add_representer(
    str, lambda d, s: d.represent_scalar(_STR, s, style="|" if "\n" in s else None))
_Dumper.add_representer(FlowList, lambda d, seq: d.represent_sequence(_SEQ, seq, flow_style=True))


def dump_yaml(schema_line: str, mapping: dict) -> str:
    """A content file: the editor schema line, then the fields in the given order.

    Multi-line strings become literal blocks (`text: |`), so official text
    reads in the file exactly as it will on the page.
    """
    body = yaml.dump(mapping, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000)
    return f"{schema_line}\n{body}"
