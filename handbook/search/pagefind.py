"""Pagefind: each edition's index documents indexed through Pagefind's service, bundle by bundle.

What Pagefind reads is not the page but its index document (index_document:
the article alone); the bundles are search.shards'; the files Pagefind makes
come back in memory and are written by files.py, like every other file.
"""

from __future__ import annotations

import base64
import contextlib
import fnmatch
import json
import os
import re
import subprocess
import tempfile
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..files import write_tree
from .shards import Shard

PAGEFIND_VERSION = "1.6.0"
# What Pagefind writes that the search page never loads: its own interfaces (all bundles) and,
# in merged bundles, the code (the first bundle's runs the search).
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
CODE = ("pagefind.js", "pagefind-worker.js", "wasm.*.pagefind")


class SearchIndexError(Exception):
    """Pagefind is missing or failed."""


def pagefind_binary(root: Path) -> Path:
    """The extended Pagefind binary (Chinese segmentation) installed by `npm ci`."""
    if os.environ.get("PAGEFIND_BINARY_PATH"):
        return Path(os.environ["PAGEFIND_BINARY_PATH"])
    found = sorted((root / "node_modules" / "@pagefind").glob("*/bin/pagefind_extended"))
    if not found:
        raise SearchIndexError("the Pagefind binary is not installed: run `make setup` (npm ci installs "
                               f"pagefind {PAGEFIND_VERSION}), or set PAGEFIND_BINARY_PATH")
    return found[0]


def index_document(html: bytes, lang: str) -> bytes:
    """What Pagefind reads of a measure page: the article alone, with the page's language.

    Pagefind parses every byte it is given; the header, navigation and
    footer it would ignore anyway cost it 40% of its time.
    """
    start, end = html.find(b"<article"), html.find(b"</article>")
    article = html[start:end + len(b"</article>")] if start >= 0 and end > start else b""
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title></title></head><body>'
            .encode() + article + b"</body></html>\n")


_HINT = b"data-pagefind-"
# Each attribute of a tag, with its value: a value that mentions a hint is part of its attribute.
_ATTRIBUTE = re.compile(rb"""\s+([^\s=>/]+)(?:="[^"]*"|='[^']*'|=[^\s>]+)?""")


def without_index_hints(html: bytes) -> bytes:
    """The page as readers get it: Pagefind's attributes, which only the index document needs, removed.

    They are about 5% of a measure page. Each mention is looked up with
    bytes.find (a page without one costs a single scan) and only the tag
    around it is read, attribute by attribute, so text or a value that
    mentions `data-pagefind-ignore` keeps it.
    """
    hit = html.find(_HINT)
    if hit < 0:
        return html
    out, done = [], 0
    while hit >= 0:
        start = html.rfind(b"<", done, hit)
        end = html.find(b">", hit)
        if start < 0 or end < 0 or html.find(b">", start, hit) >= 0 or not html[start + 1:start + 2].isalpha():
            hit = html.find(_HINT, hit + len(_HINT))  # in text, not in a tag: left as it is
            continue
        out += (html[done:start], _ATTRIBUTE.sub(_kept_attribute, html[start:end + 1]))
        done = end + 1
        hit = html.find(_HINT, done)
    out.append(html[done:])
    return b"".join(out)


def _kept_attribute(attribute: re.Match) -> bytes:
    return b"" if attribute[1].startswith(_HINT) else attribute[0]


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


# Pagefind's peak memory for each measure page one run indexes: 1.78 GB over an edition's 10,000
# (bench/RESULTS.md), about proportional to the pages.
MEMORY_PER_PAGE = 180_000


def runs_at_once(wanted: int, pages: int, available: int | None) -> int:
    """How many Pagefind runs of about `pages` pages each to keep side by side: `wanted`, fewer if
    their peaks would take more than half the `available` memory (the rest is the build's own and
    the machine's); at least one. `available` None: unknown, so `wanted`."""
    if available is None:
        return max(1, wanted)
    return max(1, min(wanted, available // 2 // max(1, pages * MEMORY_PER_PAGE)))


def available_memory() -> int | None:
    """The memory the kernel can give without swapping (MemAvailable), in bytes; None off Linux."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


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
