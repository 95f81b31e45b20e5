"""Search: the Pagefind index, and the tables that make queries script-blind.

Pagefind indexes each variant's measure pages into an index of its own (one
per `<html lang>`), and never matches Simplified to Traditional. So the
search page converts the reader's query into the page's script before it
searches. The conversion tables are made here, at build time, from the
content itself: every variant's text is the Simplified text converted
character for character (OpenCC plus content/conversion.yaml), so lining
them up gives exactly the mapping the index was built with, including the
reviewed fixes, and only for characters the handbook uses. A character with
more than one counterpart (制 → 制 or 製) is decided by its neighbour, as in
the content.
"""

from __future__ import annotations

import base64
import contextlib
import fnmatch
import hashlib
import json
import os
import re
import subprocess
import tempfile
import threading
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..convert.converter import Converter
from ..files import write_tree
from ..model import Content, Handbook
from ..variants import SIMPLIFIED, VARIANTS

PAGEFIND_VERSION = "1.6.0"
# Measures per index bundle while previewing (`serve`): an edit re-indexes one bundle, the browser
# merges them. A published build makes one bundle per variant: a reader's first search at 10,000
# measures fetches 0.4 MB in 132 responses from one, 1.4 to 2.0 MB in 400 from 40 (bench/RESULTS.md).
PREVIEW_SHARD_SIZE = 100
# What Pagefind writes that the search page never loads: its own interfaces (all bundles) and,
# in merged bundles, the code (the first bundle's runs the search).
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
CODE = ("pagefind.js", "pagefind-worker.js", "wasm.*.pagefind")


class SearchIndexError(Exception):
    """Pagefind is missing or failed."""


def searchable_texts(content: Content, convert=lambda text: text) -> list[str]:
    """The text of every record that reaches the index or the facets, in a fixed order, each field
    passed through `convert` (a variant's Converter gives that variant's text of the same fields)."""
    c = convert
    texts = [f"{c(m.title)}\n{c(m.text)}\n{c(m.scope or '')}" for m in content.measures]
    texts += [f"{c(s.title)}\n{c(s.short_title)}\n{c(s.number or '')}\n" + "\n".join(c(cat.name) for cat in s.categories)
              for s in content.sources]
    texts += [c(u.name) for u in content.units] + [c(t.name) for t in content.topics]
    return texts


def _table(source: str, target: str, pairs: Counter) -> dict:
    """Character mapping from aligned texts: {map, next, prev} for the JavaScript converter.

    `pairs` counts (source character, target character) over the two texts:
    counted once in C (Counter over zip()) for both directions, as a
    10,000-measure handbook is a few million characters.
    """
    counts: dict[str, Counter] = defaultdict(Counter)
    for (a, b), n in pairs.items():
        counts[a][b] += n
    default = {a: c.most_common(1)[0][0] for a, c in counts.items()}
    table = {"map": {a: b for a, b in sorted(default.items()) if a != b}, "next": {}, "prev": {}}
    ambiguous = {a for a, c in counts.items() if len(c) > 1}
    if not ambiguous:
        return table
    sides: dict[str, Counter] = {"next": Counter(), "prev": Counter()}
    padded = f"\n{source}\n"
    # only where an ambiguous character stands: found by a regular expression, in C
    for match in re.finditer("[" + "".join(map(re.escape, sorted(ambiguous))) + "]", source):
        at, a = match.start(), match.group()
        sides["next"][(a + padded[at + 2], target[at])] += 1
        sides["prev"][(padded[at] + a, target[at])] += 1
    for side, found in sides.items():
        seen: dict[str, set] = defaultdict(set)
        for (pair, b) in found:
            seen[pair].add(b)
        char_at = 0 if side == "next" else 1
        for pair in sorted(seen):
            if len(seen[pair]) == 1 and "\n" not in pair:
                (b,) = seen[pair]
                if b != default[pair[char_at]]:
                    table[side][pair] = b
    return table


def query_tables(handbook: Handbook, converter=None) -> dict[str, dict]:
    """Per variant code: {"toSimplified": table, "fromSimplified": table} for queries.

    `converter(variant, rules)` may hand out remembered Converters (a rebuild's cache).
    """
    converter = converter or Converter
    simplified = searchable_texts(handbook.content)
    # Each field converted as the pages are, but without an edition's own wording (a topic named 數位政府
    # where the Simplified says 数字政府): the tables map characters, and wording is not a conversion.
    converted = {v.code: searchable_texts(handbook.content, converter(v, handbook.conversion))
                 for v in VARIANTS if v.traditional}
    for code, texts in converted.items():
        for a, b in zip(simplified, texts):
            if len(a) != len(b):  # conversion is character for character; the tables rely on it
                raise ValueError(f"{code} conversion changed the length of: {a[:40]}")
    source = "\n".join(simplified)
    joined = {code: "\n".join(texts) for code, texts in converted.items()}
    counts = {code: Counter(zip(source, text)) for code, text in joined.items()}
    back: Counter = Counter()
    for found in counts.values():
        back.update({(b, a): n for (a, b), n in found.items()})
    to_simplified = _table("\n".join(joined.values()), "\n".join([source] * len(joined)), back)
    tables = {SIMPLIFIED.code: {"toSimplified": to_simplified, "fromSimplified": _table("", "", Counter())}}
    for code, text in joined.items():
        tables[code] = {"toSimplified": to_simplified, "fromSimplified": _table(source, text, counts[code])}
    return tables


def query_table_files(handbook: Handbook, converter=None) -> dict[str, bytes]:
    return {f"{code}/search/script.json": json.dumps(table, ensure_ascii=False, separators=(",", ":"),
                                                     sort_keys=True).encode()
            for code, table in query_tables(handbook, converter).items()}


def pagefind_binary(root: Path) -> Path:
    """The extended Pagefind binary (Chinese segmentation) installed by `npm ci`."""
    if os.environ.get("PAGEFIND_BINARY_PATH"):
        return Path(os.environ["PAGEFIND_BINARY_PATH"])
    found = sorted((root / "node_modules" / "@pagefind").glob("*/bin/pagefind_extended"))
    if not found:
        raise SearchIndexError("the Pagefind binary is not installed: run `make setup` (npm ci installs "
                               f"pagefind {PAGEFIND_VERSION}), or set PAGEFIND_BINARY_PATH")
    return found[0]


@dataclass(frozen=True, order=True)
class Shard:
    """One Pagefind bundle: the measure pages of one variant whose ids hash to `number`.

    Pagefind cannot update an index, only build one, so while previewing, a
    large handbook's index is cut into bundles of about PREVIEW_SHARD_SIZE
    measures (by a hash of the id, so adding a measure touches one bundle)
    and the search page merges them. Bundle 0 is the one the page loads first.
    """

    code: str  # variant
    number: int

    @property
    def folder(self) -> str:
        """Below pagefind/ in the site, and below the index documents' folder."""
        return f"{self.code}/{self.number}"


def shard_modulus(measures: int, size: int | None) -> int:
    """How many bundles a variant's index is cut into: one if `size` is None."""
    return max(1, -(-measures // size)) if size else 1


def shard_number(measure_id: str, modulus: int) -> int:
    return int.from_bytes(hashlib.blake2b(measure_id.encode(), digest_size=8).digest(), "big") % modulus


def index_document(html: bytes, lang: str) -> bytes:
    """What Pagefind reads of a measure page: the article alone, with the page's language.

    Pagefind parses every byte it is given; the header, navigation and
    footer it would ignore anyway cost it 40% of its time.
    """
    start, end = html.find(b"<article"), html.find(b"</article>")
    article = html[start:end + len(b"</article>")] if start >= 0 and end > start else b""
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title></title></head><body>'
            .encode() + article + b"</body></html>\n")


def index_site(documents: Path, binary: Path, niceness: int = 0) -> tuple[int, dict[str, bytes]]:
    """Pagefind's index of a folder of index documents (same paths as the pages): (pages, files).

    Pagefind's command line indexes pages in the order the file system lists
    them, which differs between file systems and between builds on tmpfs, and
    so do the index files it writes. Its service mode (`pagefind --service`,
    what its Node and Python APIs drive) indexes pages in the order they are
    sent: they are sent sorted by path, and the build is byte-identical
    wherever it runs. The files come back in memory and are written by
    files.py, like every other file of the site, so a full disk is the build's
    error, not Pagefind's panic. With `niceness`, Pagefind yields the
    processor to other work (a browser reloading the page just rebuilt).
    """
    pages = sorted(p.relative_to(documents).as_posix() for p in documents.rglob("*.html"))
    with _PagefindService(binary, niceness) as service:
        index = service.ask({"type": "NewIndex", "config": None})["index_id"]

        def requests():
            for page in pages:
                url = "/" + page.removesuffix("index.html")
                yield {"type": "AddFile", "index_id": index, "file_path": None, "url": url,
                       "file_contents": (documents / page).read_text(encoding="utf-8")}
            yield {"type": "GetFiles", "index_id": index}

        answers = service.exchange(requests(), len(pages) + 1)
    return len(pages), {f["path"]: base64.b64decode(f["content"]) for f in answers[-1]["files"]}


class _PagefindService:
    """A synchronous client of `pagefind --service`: base64 JSON messages, each ended by a comma.

    Requests are written by a thread while the answers are read, so that
    neither side's pipe fills up and stops the other. Pagefind answers them
    one at a time, in the order sent.
    """

    def __init__(self, binary: Path, niceness: int):
        command = [str(binary), "--service"]
        self.errors = tempfile.TemporaryFile()  # Pagefind's stderr: read only if it fails
        try:
            self.process = subprocess.Popen(["nice", "-n", str(niceness), *command] if niceness else command,
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors)
        except OSError as error:
            self.errors.close()
            raise SearchIndexError(f"cannot run {binary}: {error.strerror}") from None
        self.sent = 0
        self.pending = b""

    def __enter__(self) -> _PagefindService:
        return self

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.errors.close()

    def ask(self, payload: dict) -> dict:
        return self.exchange([payload], 1)[0]

    def exchange(self, payloads: Iterable[dict], count: int) -> list[dict]:
        """Send `count` requests and return their answers in order; an error answer raises SearchIndexError."""
        first, failed = self.sent + 1, []

        def send() -> None:
            try:
                for payload in payloads:
                    self.sent += 1
                    message = json.dumps({"message_id": self.sent, "payload": payload}, ensure_ascii=False)
                    self.process.stdin.write(base64.b64encode(message.encode()) + b",")
                self.process.stdin.flush()
            except OSError:  # Pagefind has stopped: its stderr says why
                pass
            except BaseException as error:  # a document could not be read
                failed.append(error)
                self.process.kill()

        writer = threading.Thread(target=send, name="pagefind-requests", daemon=True)
        writer.start()
        answers = []
        while len(answers) < count:
            answer = self._receive()
            if answer is None:
                writer.join()
                if failed:
                    raise failed[0]
                raise SearchIndexError(f"pagefind stopped: {self._stderr()}")
            payload = answer.get("payload", {})
            if payload.get("type") == "Error":
                raise SearchIndexError(f"pagefind failed: {payload.get('message')}")
            if answer.get("message_id") != first + len(answers):
                raise SearchIndexError(f"pagefind answered out of order: {str(answer)[:200]}")
            answers.append(payload)
        writer.join()
        return answers

    def _receive(self) -> dict | None:
        """The next answer, or None when Pagefind has closed its output."""
        chunks = [self.pending]
        while b"," not in chunks[-1]:
            chunk = self.process.stdout.read1(1 << 20)
            if not chunk:
                return None
            chunks.append(chunk)
        message, _, self.pending = b"".join(chunks).partition(b",")
        return json.loads(base64.b64decode(message))

    def _stderr(self) -> str:
        """The last line Pagefind wrote to stderr (its panic message), once it has exited."""
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        self.process.wait()
        self.errors.seek(0)
        lines = self.errors.read().decode("utf-8", "replace").strip().splitlines()
        return (lines[-1] if lines else f"exit status {self.process.returncode}")[:500]


def index_shards(documents: Path, shards, binary: Path, output: Path, workers: int, after=None,
                 niceness: int = 0) -> int:
    """Index each shard's documents into output/<shard folder>, `workers` Pagefind runs at a time.

    Pagefind keeps about 1.3 cores busy, so runs side by side use a 2-core
    machine better than one run over everything. `after(shard)` is
    called as each finishes. Returns how many pages were indexed.
    """
    def one(shard: Shard) -> int:
        pages, files = index_site(documents / shard.folder, binary, niceness)
        unused = UNUSED + (CODE if shard.number else ())
        write_tree(output / shard.folder, {path: data for path, data in files.items()
                                           if not any(fnmatch.fnmatchcase(path, pattern) for pattern in unused)})
        if after:
            after(shard)
        return pages

    with ThreadPoolExecutor(max(1, workers)) as pool:
        return sum(pool.map(one, sorted(shards)))
