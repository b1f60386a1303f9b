"""``make bench``: how fast the cleaner is, against the libraries it is built on.

A synthetic corpus is built from the fixtures (our own text in the outlets' templates):
every text dump and HTML page, grown to a realistic article length with paragraphs
drawn from the fixtures' expected texts, some turned into mojibake or given stray
invisible characters, so no two documents are alike. Then, in one run and on the same
documents:

* the text path (a JSONL file of text dumps, read, cleaned and written as JSONL) with
  one worker and with every core, against ``ftfy.fix_text`` alone on the same texts;
* the HTML path (a JSONL file of pages) the same way, against ``trafilatura.extract``
  alone on the same pages;
* peak memory (the resident set of all the run's processes, sampled) cleaning a large
  JSONL file with the default settings, as a user's ``cleaner clean`` would.

The figures are ratios within one run on one machine; they are printed as a table and
written to ``docs/benchmarks.md``. This is not a test: tests never assert timings.
"""

from __future__ import annotations

import argparse
import functools
import gc
import json
import platform
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import ftfy
import trafilatura

from cleaner.config import CleanerConfig
from cleaner.engine import LocalEngine, LocalSettings, default_workers
from cleaner.fixtures import EXPECTED_SUFFIX

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

# --- the synthetic corpus -----------------------------------------------------------


def _paragraph_pool(fixtures: Path) -> list[str]:
    """Article paragraphs from the fixtures' expected records (long lines only)."""
    import yaml

    pool: set[str] = set()
    for path in sorted(fixtures.rglob(f"*{EXPECTED_SUFFIX}")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        records = data if isinstance(data, list) else [data]
        for record in records:
            text = record.get("text") if isinstance(record, dict) else None
            if isinstance(text, str):
                pool.update(line for line in text.split("\n") if len(line) > 120)
    return sorted(pool)


_P_CLOSE = re.compile(r"</p>", re.I)
_TAGS = re.compile(r"<[^>]+>")


def _grow_text(text: str, extra: list[str]) -> str:
    """``text`` with ``extra`` paragraphs after its longest line (a body paragraph)."""
    lines = text.split("\n")
    at = max(range(len(lines)), key=lambda i: len(lines[i]))
    return "\n".join([*lines[: at + 1], *extra, *lines[at + 1 :]])


def _grow_html(page: str, extra: list[str]) -> str:
    """``page`` with ``extra`` paragraphs after its longest ``<p>``."""
    best, best_len, start = -1, 0, 0
    for m in _P_CLOSE.finditer(page):
        opened = page.rfind("<p", start, m.start())
        length = len(_TAGS.sub("", page[opened : m.start()])) if opened >= 0 else 0
        if length > best_len:
            best, best_len = m.end(), length
        start = m.end()
    if best < 0:
        return page
    paragraphs = "".join(f"\n<p>{p}</p>" for p in extra)
    return page[:best] + paragraphs + page[best:]


def _damage(text: str, rng: random.Random) -> str:
    """What crawls do to text, now and then: mojibake, invisible characters, entities."""
    roll = rng.random()
    if roll < 0.03:  # UTF-8 read as Windows-1252
        return text.encode("utf-8").decode("cp1252", errors="replace")
    if roll < 0.05:
        return text.replace(". ", ".\u00a0", 3).replace("an ", "an\u200b", 2)
    if roll < 0.06:
        return text.replace(" & ", " &amp; ").replace("\u201c", "&ldquo;")
    return text


@dataclass(frozen=True)
class Corpus:
    texts: list[str]
    pages: list[str]
    text_file: Path
    html_file: Path

    @property
    def text_bytes(self) -> int:
        return self.text_file.stat().st_size

    @property
    def html_bytes(self) -> int:
        return self.html_file.stat().st_size


def synthetic_documents(
    fixtures: Path, suffix: str, count: int, seed: int, target: tuple[int, int]
) -> Iterator[str]:
    """``count`` documents grown from the fixtures of one kind, about ``target`` chars."""
    rng = random.Random(seed)
    pool = _paragraph_pool(fixtures)
    sources = [p.read_text(encoding="utf-8") for p in sorted(fixtures.rglob(f"*{suffix}"))]
    grow = _grow_html if suffix == ".html" else _grow_text
    for i in range(count):
        base = sources[i % len(sources)]
        body = len(_TAGS.sub("", base)) if suffix == ".html" else len(base)
        want = rng.randint(*target)
        extra: list[str] = []
        while body < want:
            paragraph = rng.choice(pool)
            extra.append(paragraph)
            body += len(paragraph) + 1
        doc = grow(base, extra)
        yield _damage(doc, rng) if suffix != ".html" else doc


def _write_jsonl(path: Path, field: str, docs: Iterable[str]) -> list[str]:
    kept = []
    with path.open("w", encoding="utf-8") as out:
        for i, doc in enumerate(docs):
            out.write(json.dumps({"id": f"b{i}", field: doc}, ensure_ascii=False) + "\n")
            kept.append(doc)
    return kept


def build_corpus(directory: Path, text_docs: int, html_docs: int, seed: int = 7) -> Corpus:
    texts = _write_jsonl(
        directory / "text.jsonl",
        "text",
        synthetic_documents(FIXTURES, ".txt", text_docs, seed, (1500, 5000)),
    )
    pages = _write_jsonl(
        directory / "html.jsonl",
        "html",
        synthetic_documents(FIXTURES, ".html", html_docs, seed + 1, (1500, 5000)),
    )
    return Corpus(texts, pages, directory / "text.jsonl", directory / "html.jsonl")


# --- measuring ------------------------------------------------------------------------


def timed(work: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def run_engine(path: Path, workers: int, out: Path) -> int:
    """Clean one file with ``workers`` processes, writing JSONL; returns units done."""
    from cleaner.write import JsonlWriter

    n = 0
    with (
        LocalEngine(CleanerConfig(), LocalSettings(workers=workers)) as engine,
        JsonlWriter(out) as writer,
    ):
        for outcome in engine.run([str(path)]):
            n += 1
            if outcome.kind == "article":
                writer.write_line(outcome.line)
    return n


class TreeMemory:
    """Peak resident memory of a process and its children, sampled every 50 ms."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry.name))
        tree, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo += children.get(pid, [])
        return tree

    @staticmethod
    def _rss(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, sum(self._rss(p) for p in self._tree()))


def big_file(path: Path, corpus: Corpus, size: int) -> int:
    """A JSONL file of about ``size`` bytes: the text corpus repeated, ids made unique."""
    lines = corpus.text_file.read_text(encoding="utf-8").splitlines()
    written, n = 0, 0
    with path.open("w", encoding="utf-8") as out:
        while written < size:
            for line in lines:
                record = json.loads(line)
                record["id"] = f"big{n}"
                n += 1
                data = json.dumps(record, ensure_ascii=False) + "\n"
                out.write(data)
                written += len(data.encode("utf-8"))
                if written >= size:
                    break
    return n


def peak_memory(path: Path, out: Path) -> tuple[int, float]:
    """Peak RSS (all processes) and seconds of ``cleaner clean PATH -o OUT``."""
    command = [sys.executable, "-m", "cleaner", "clean", str(path), "-o", str(out), "--quiet"]
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with TreeMemory(proc.pid) as memory:
        _, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"cleaner clean failed: {err.decode(errors='replace').strip()}")
    return memory.peak, time.perf_counter() - start


# --- the report -----------------------------------------------------------------------


@dataclass
class Row:
    what: str
    docs: int
    size: int
    seconds: float

    @property
    def per_doc_ms(self) -> float:
        return self.seconds / self.docs * 1000

    def cells(self) -> list[str]:
        return [
            self.what,
            f"{self.docs:,}",
            f"{self.docs / self.seconds:,.0f}",
            f"{self.size / self.seconds / 1e6:,.1f}",
            f"{self.per_doc_ms:.3f}",
        ]


@dataclass
class Target:
    what: str
    measured: float
    goal: str
    met: bool


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def report(rows: list[Row], targets: list[Target], notes: list[str]) -> str:
    header = ["run", "docs", "docs/s", "MB/s", "ms/doc"]
    parts = [table(header, [r.cells() for r in rows]), ""]
    parts.append(
        table(
            ["target", "measured", "goal", "met"],
            [[t.what, f"{t.measured:.2f}", t.goal, "yes" if t.met else "**no**"] for t in targets],
        )
    )
    parts += ["", *notes]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cleaner.bench", description=__doc__)
    parser.add_argument("--text-docs", type=int, default=16_000)
    parser.add_argument("--html-docs", type=int, default=4_000)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument(
        "--memory-mb", type=int, default=1024, help="size of the peak-memory run (0: skip)"
    )
    parser.add_argument("--write", type=Path, help="also write the report (Markdown) here")
    parser.add_argument("--workdir", type=Path, help="keep the corpus here (default: temporary)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="cleaner-bench-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        print(f"building {args.text_docs:,} text and {args.html_docs:,} HTML documents…")
        corpus = build_corpus(work, args.text_docs, args.html_docs)
        text_chars = sum(len(t) for t in corpus.texts) / len(corpus.texts)
        print(f"  text: {corpus.text_bytes / 1e6:.1f} MB, {text_chars:,.0f} chars a document")

        # warm up: rules compiled, imports done, caches filled, in this process
        run_engine(corpus.text_file, 1, work / "warm.jsonl")
        for page in corpus.pages[:20]:
            trafilatura.extract(page)

        rows: list[Row] = []
        config = ftfy.TextFixerConfig()

        def measure(what: str, docs: int, size: int, work_: Callable[[], object]) -> Row:
            row = Row(what, docs, size, timed(work_))
            print(f"  {what}: {row.seconds:.1f} s")
            rows.append(row)
            return row

        print("measuring…")
        ftfy_row = measure(
            "ftfy.fix_text alone (text)",
            len(corpus.texts),
            corpus.text_bytes,
            lambda: [ftfy.fix_text(t, config) for t in corpus.texts],
        )
        text_rows = {
            w: measure(
                f"cleaner, text path, {w} worker{'s' if w > 1 else ''}",
                len(corpus.texts),
                corpus.text_bytes,
                functools.partial(run_engine, corpus.text_file, w, work / "text-out.jsonl"),
            )
            for w in sorted({1, args.workers})
        }
        traf_row = measure(
            "trafilatura.extract alone (HTML)",
            len(corpus.pages),
            corpus.html_bytes,
            lambda: [trafilatura.extract(p) for p in corpus.pages],
        )
        html_rows = {
            w: measure(
                f"cleaner, HTML path, {w} worker{'s' if w > 1 else ''}",
                len(corpus.pages),
                corpus.html_bytes,
                functools.partial(run_engine, corpus.html_file, w, work / "html-out.jsonl"),
            )
            for w in sorted({1, args.workers})
        }

        notes = [
            f"Corpus: {len(corpus.texts):,} text dumps ({corpus.text_bytes / 1e6:.1f} MB of "
            f"JSONL, {text_chars:,.0f} characters a document on average) and "
            f"{len(corpus.pages):,} HTML pages ({corpus.html_bytes / 1e6:.1f} MB), grown from "
            "the fixtures; 3% of the texts are mojibake, 3% carry invisible characters or "
            "HTML entities.",
            "The cleaner's rows are whole runs: the JSONL file read, every document cleaned, "
            "the articles written as JSONL. The libraries' rows are the one call alone on "
            "texts already in memory.",
        ]
        one, many = text_rows[1], text_rows[max(text_rows)]
        h_one, h_many = html_rows[1], html_rows[max(html_rows)]
        targets = [
            Target(
                "ftfy.fix_text time / text path time (1 worker)",
                ftfy_row.seconds / one.seconds,
                "≥ 3",
                ftfy_row.seconds / one.seconds >= 3,
            ),
            Target(
                "HTML path time (1 worker) / trafilatura.extract time",
                h_one.seconds / traf_row.seconds,
                "≤ 1.15",
                h_one.seconds / traf_row.seconds <= 1.15,
            ),
        ]
        if args.workers > 1:
            targets += [
                Target(
                    f"text path: {args.workers} workers' throughput / 1 worker's",
                    one.seconds / many.seconds,
                    "≥ 1.8" if args.workers == 2 else f"≥ {0.9 * args.workers:.1f}",
                    one.seconds / many.seconds >= 0.9 * args.workers,
                ),
                Target(
                    f"HTML path: {args.workers} workers' throughput / 1 worker's",
                    h_one.seconds / h_many.seconds,
                    "≥ 1.8" if args.workers == 2 else f"≥ {0.9 * args.workers:.1f}",
                    h_one.seconds / h_many.seconds >= 0.9 * args.workers,
                ),
            ]
        if args.memory_mb:
            print(f"peak memory: cleaning a {args.memory_mb:,} MB JSONL file…")
            big = work / "big.jsonl"
            units = big_file(big, corpus, args.memory_mb * 1024 * 1024)
            peak, seconds = peak_memory(big, work / "big-out.jsonl")
            big.unlink()
            rows.append(Row(f"cleaner clean, {args.memory_mb:,} MB JSONL", units, 0, seconds))
            rows[-1].size = args.memory_mb * 1024 * 1024
            targets.append(
                Target(
                    f"peak RSS, all processes, MB ({args.workers} workers)",
                    peak / 1e6,
                    "< 300",
                    peak < 300e6,
                )
            )
        machine = (
            f"Measured with `make bench` on {platform.machine()}, {default_workers()} cores, "
            f"Python {platform.python_version()}, ftfy {ftfy.__version__}, "
            f"trafilatura {trafilatura.__version__}."
        )
        text = report(rows, targets, [*notes, machine])
        print()
        print(text)
        if args.write:
            args.write.write_text(
                "# Benchmarks\n\nWritten by `make bench` (`python -m cleaner.bench`); "
                "the figures are from one run on one machine, so compare the ratios.\n\n"
                + text
                + "\n",
                encoding="utf-8",
            )
        return 0 if all(t.met for t in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
