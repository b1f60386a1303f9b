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
import multiprocessing as mp
import os
import platform
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import ftfy
import orjson
import trafilatura
import yaml
from trafilatura.meta import reset_caches

from cleaner.authoring.fixtures import EXPECTED_SUFFIX
from cleaner.authoring.propose import generic_rulebook
from cleaner.config import CleanerConfig
from cleaner.engines.local import LocalEngine, LocalSettings, default_workers
from cleaner.io.sinks import JsonlWriter
from cleaner.models import RawDocument, Reject
from cleaner.pipeline import Cleaner
from cleaner.rules.load import bundled_rules_dir, load_rulebook
from cleaner.text.language import identify
from cleaner.text.signals import measure

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


def _sources(fixtures: Path, suffix: str) -> list[Path]:
    return sorted(fixtures.rglob(f"*{suffix}"))


def source_outlets(fixtures: Path, suffix: str, count: int) -> list[str]:
    """The outlet (fixture folder) each of the first ``count`` synthetic documents of
    :func:`synthetic_documents` is grown from."""
    outlets = [p.parent.name for p in _sources(fixtures, suffix)]
    return [outlets[i % len(outlets)] for i in range(count)]


def synthetic_documents(
    fixtures: Path, suffix: str, count: int, seed: int, target: tuple[int, int]
) -> Iterator[str]:
    """``count`` documents grown from the fixtures of one kind, about ``target`` chars."""
    rng = random.Random(seed)
    pool = _paragraph_pool(fixtures)
    sources = [p.read_text(encoding="utf-8") for p in _sources(fixtures, suffix)]
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


@dataclass
class Chunk:
    """A slice of one kind of document: in memory, and as a JSONL file."""

    docs: list[str]
    path: Path

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def chunked(docs: list[str], field: str, directory: Path, count: int) -> list[Chunk]:
    """``docs`` cut into ``count`` slices, each also written as a JSONL file."""
    size = max(1, -(-len(docs) // count))
    chunks = []
    for n, start in enumerate(range(0, len(docs), size)):
        path = directory / f"{field}-{n:03d}.jsonl"
        chunks.append(Chunk(_write_jsonl(path, field, docs[start : start + size]), path))
    return chunks


def run_engine(engine: LocalEngine, path: Path, out: Path) -> int:
    """Clean one file with ``engine``, writing the articles as JSONL; returns units."""
    n = 0
    with JsonlWriter(out) as writer:
        for outcome in engine.run([str(path)]):
            n += 1
            if outcome.kind == "article":
                writer.write_line(outcome.line)
    return n


@dataclass
class Timing:
    """Seconds spent by each contender on the same documents."""

    docs: int = 0
    size: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, what: str, work: Callable[[], object]) -> None:
        # trafilatura keeps caches of lines it has seen: every contender starts without
        # them, so that none gains from another's work on the same documents
        reset_caches()
        gc.collect()
        start = time.perf_counter()
        work()
        self.seconds[what] = self.seconds.get(what, 0.0) + time.perf_counter() - start


def _each(call: Callable[[str], object], docs: list[str]) -> None:
    for doc in docs:
        call(doc)


def race(
    chunks: list[Chunk],
    baseline: tuple[str, Callable[[str], object]],
    engines: dict[str, LocalEngine],
    out: Path,
) -> Timing:
    """Time ``baseline`` on each document and every engine on each chunk file, taking
    turns chunk by chunk, so that a slow spell of the machine falls on all of them."""
    timing = Timing()
    name, call = baseline
    for chunk in chunks:
        timing.docs += len(chunk.docs)
        timing.size += chunk.size
        timing.add(name, functools.partial(_each, call, chunk.docs))
        for what, engine in engines.items():
            timing.add(what, functools.partial(run_engine, engine, chunk.path, out))
    return timing


def _clean_all(cleaner: Cleaner, docs: list[RawDocument]) -> float:
    start = time.perf_counter()
    for doc in docs:
        cleaner.clean(doc).model_dump_json()
    return time.perf_counter() - start


def _clean_in_child(docs: list[RawDocument], _: int) -> float:
    return _clean_all(Cleaner(CleanerConfig()), docs)


def machine_scaling(docs: list[RawDocument], workers: int) -> float:
    """How much more ``workers`` processes get done than one on this machine, each
    cleaning the same documents on its own (no engine, nothing shared): the ceiling
    for any engine's speedup here. Virtual machines often share more than they show."""
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    with ctx.Pool(workers) as pool:
        pool.map(functools.partial(_clean_in_child, docs[:50]), range(workers))  # warm up
        alone = pool.apply(_clean_in_child, (docs, 0))
        start = time.perf_counter()
        pool.map(functools.partial(_clean_in_child, docs), range(workers))
        together = time.perf_counter() - start
    return workers * alone / together


def fallback_everywhere(directory: Path) -> list[str]:
    """Write into ``directory`` a copy of each bundled rule file that turns trafilatura's
    fallback extractors off, with them on; returns those outlets. With these files the
    cleaner shows what the fallback costs on the same pages."""
    outlets = []
    for outlet, rules in sorted(load_rulebook().outlets.items()):
        if rules.html is not None and not rules.html.fallback:
            source = bundled_rules_dir() / f"{outlet}.yaml"
            data = yaml.safe_load(source.read_text(encoding="utf-8"))
            data["html"]["fallback"] = True
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
            (directory / source.name).write_text(text, encoding="utf-8")
            outlets.append(outlet)
    return outlets


FTFY_ALONE = "ftfy.fix_text alone"
TRAFILATURA_ALONE = "trafilatura.extract alone"
PER_DOCUMENT = "cleaner (per-document function)"
"""The contenders' names, as the report's rows and the targets' ratios give them."""


# --- the real corpora (../shared/corpora) ---------------------------------------------


def corpora_records(corpora: Path) -> list[bytes]:
    """Every record with a non-empty text of the JSONL corpora in ``corpora`` (real
    crawls: one outlet, and a long tail of sites), as its JSON line, in file order."""
    records = []
    for path in sorted(corpora.glob("*.jsonl")):
        with path.open("rb") as lines:
            for line in lines:
                text = orjson.loads(line).get("text") if line.strip() else None
                if isinstance(text, str) and text.strip():
                    records.append(line if line.endswith(b"\n") else line + b"\n")
    return records


def texts_of(records: list[bytes]) -> list[str]:
    """The texts of records read by :func:`corpora_records`."""
    return [orjson.loads(record)["text"] for record in records]


def corpora_texts(corpora: Path) -> list[str]:
    """The texts of :func:`corpora_records`."""
    return texts_of(corpora_records(corpora))


AS_CRAWLED = "cleaner clean --workers 1, the records as crawled (url, title, date)"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _command_cpu(args: list[str]) -> float:
    """CPU seconds of a whole command (it and its children), as the kernel counts them."""
    before = _children_cpu()
    subprocess.run(args, check=True, capture_output=True)
    return _children_cpu() - before


def _floor(path: Path, out: Path) -> None:
    """What any tool pays: every line read and parsed, a record dumped and written."""
    with path.open("rb") as lines, out.open("wb") as sink:
        for line in lines:
            record = orjson.loads(line)
            sink.write(orjson.dumps({"id": "x", "text": record["text"]}) + b"\n")


def corpora_race(
    texts: list[str], work: Path, rounds: int, records: list[bytes] | None = None
) -> dict[str, float]:
    """Best-of-``rounds`` CPU seconds of each contender on ``texts``, taking turns round
    by round: ``ftfy.fix_text`` alone (in this process, on texts in memory), the read and
    write floor, and whole ``cleaner clean --workers 1`` commands (start-up, reading,
    learning, cleaning, writing: what a user runs). The issue's measure gives the
    commands the texts alone; ``records``, the same documents as the crawl left them,
    adds a command on those: with its URL every document has a site, so the corpus
    learning has the work to do that texts without one skip."""
    source = work / "corpora.jsonl"
    _write_jsonl(source, "text", texts)
    out = work / "corpora-out.jsonl"

    def clean(path: Path, *options: str) -> list[str]:
        return [sys.executable, "-m", "cleaner", "clean", str(path), "-o", str(out), "-q", *options]

    contenders: dict[str, Callable[[], float]] = {
        FTFY_ALONE: lambda: _process_cpu(lambda: [ftfy.fix_text(t) for t in texts]),
        "read + write floor (orjson)": lambda: _process_cpu(lambda: _floor(source, out)),
        "cleaner clean --workers 1": lambda: _command_cpu(clean(source, "--workers", "1")),
        "cleaner clean --workers 1 --no-learn": lambda: _command_cpu(
            clean(source, "--workers", "1", "--no-learn")
        ),
    }
    if records is not None:
        crawled = work / "corpora-records.jsonl"
        crawled.write_bytes(b"".join(records))
        contenders[AS_CRAWLED] = lambda: _command_cpu(clean(crawled, "--workers", "1"))
    return _best_of(contenders, rounds)


def _best_of(contenders: Mapping[str, Callable[[], float]], rounds: int) -> dict[str, float]:
    """Each contender's least seconds over ``rounds``, taking turns round by round (a
    contender returns the seconds it took)."""
    best: dict[str, float] = {}
    for _ in range(rounds):
        for name, run in contenders.items():
            reset_caches()  # trafilatura's, so no turn inherits another's
            gc.collect()
            seconds = run()
            best[name] = min(best.get(name, seconds), seconds)
    return best


def realpages(directory: Path) -> list[bytes]:
    """The HTML pages of ``directory`` (../shared/realpages: real pages of real outlets),
    as bytes, in name order."""
    return [path.read_bytes() for path in sorted(directory.glob("*.html"))]


NO_OUTLET_RULES = "cleaner, no outlet rules (an outlet nobody wrote rules for)"


def realpages_race(pages: list[bytes], rounds: int) -> dict[str, float]:
    """Best-of-``rounds`` CPU seconds of ``trafilatura.extract`` alone and of the
    cleaner's per-document function over every page, taking turns round by round, all
    in this process, warmed up, from the pages' bytes (the issue's measure: whole
    commands would add the cleaner's start-up to a few seconds of pages). The cleaner
    runs with the bundled rules (every page here is of an outlet with a rule file) and
    without any outlet's rules, as a page of most sites in a crawl goes through it,
    with and without the page search for undeclared bylines, categories and tags."""
    cleaner = Cleaner(CleanerConfig())
    unseen = Cleaner(CleanerConfig(), generic_rulebook())
    unsearched = Cleaner(CleanerConfig(page_search=False), generic_rulebook())
    docs = [RawDocument(source=f"page{i}", data=page, kind="html") for i, page in enumerate(pages)]
    work: dict[str, Callable[[], object]] = {
        TRAFILATURA_ALONE: lambda: [trafilatura.extract(page) for page in pages],
        PER_DOCUMENT: lambda: [cleaner.clean(doc) for doc in docs],
        NO_OUTLET_RULES: lambda: [unseen.clean(doc) for doc in docs],
        f"{NO_OUTLET_RULES}, --no-page-search": lambda: [unsearched.clean(doc) for doc in docs],
    }
    for run in work.values():
        run()
    timed = {name: functools.partial(_process_cpu, run) for name, run in work.items()}
    return _best_of(timed, rounds)


_COUNTED = """
import sys, orjson
mode, path, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
texts = [orjson.loads(line)["text"] for line in open(path, "rb")][:n]
import ftfy
from cleaner import Cleaner, CleanerConfig
from cleaner.models import RawDocument
cleaner = Cleaner(CleanerConfig())
cleaner.clean(RawDocument(source="warm", data=texts[0], kind="text"))
if mode == "ftfy":
    for text in texts:
        ftfy.fix_text(text)
elif mode.startswith("cleaner"):
    for _ in range(int(mode[len("cleaner"):])):
        for i, text in enumerate(texts):
            cleaner.clean(RawDocument(source=f"x:{i}", data=text, kind="text")).model_dump_json()
"""
"""One process under callgrind: start-up, the texts read, and then the work of ``mode``
(``none`` does no work: the others' counts less its count are their work alone;
``cleanerN`` cleans the texts N times over)."""


def instruction_counts(texts: list[str], work: Path) -> dict[str, int] | None:
    """Instructions per document for ``ftfy.fix_text`` alone and for the cleaner's whole
    per-document function (cleaned and dumped as JSON), on a first pass over the texts
    (patterns compiled and memos filled as the texts need them: over a real corpus that
    is paid once) and warm (a second pass), counted by callgrind: the same
    count whatever else the machine is doing, unlike seconds. ``None`` without valgrind."""
    if shutil.which("valgrind") is None:
        return None
    source = work / "counted.jsonl"
    _write_jsonl(source, "text", texts)
    modes = ("none", "ftfy", "cleaner1", "cleaner2")
    totals = _callgrind_totals(work / "counted.py", _COUNTED, modes, str(source), str(len(texts)))
    return {
        FTFY_ALONE: (totals["ftfy"] - totals["none"]) // len(texts),
        f"{PER_DOCUMENT}, first pass": (totals["cleaner1"] - totals["none"]) // len(texts),
        f"{PER_DOCUMENT}, warm": (totals["cleaner2"] - totals["cleaner1"]) // len(texts),
    }


_PAGES_COUNTED = """
import sys
from pathlib import Path
mode, directory = sys.argv[1], Path(sys.argv[2])
pages = [path.read_bytes() for path in sorted(directory.glob("*.html"))]
import trafilatura
from cleaner import Cleaner, CleanerConfig
from cleaner.models import RawDocument
cleaner = Cleaner(CleanerConfig())
docs = [RawDocument(source=f"page{i}", data=page, kind="html") for i, page in enumerate(pages)]
for page, doc in zip(pages, docs):  # every process warms both up alike
    trafilatura.extract(page)
    cleaner.clean(doc)
if mode == "trafilatura":
    for page in pages:
        trafilatura.extract(page)
elif mode == "cleaner":
    for doc in docs:
        cleaner.clean(doc)
"""
"""One process under callgrind: start-up, the pages read, one warm-up pass of each
contender, and then one more pass of ``mode`` (``none``: no more): the difference of two
counts is that pass alone."""


def page_instruction_counts(directory: Path, work: Path) -> dict[str, int] | None:
    """Instructions per page of ``trafilatura.extract`` alone and of the cleaner's
    per-document function over the HTML pages of ``directory``, both warm, counted by
    callgrind (the realpages ratio in seconds moves by a few hundredths from run to run
    on this shared machine; the counts do not). ``None`` without valgrind or pages.

    Callgrind overstates one of the cleaner's costs: the SHA-256 of a document's id runs
    without the CPU's SHA instructions under valgrind (3 M instructions for a 120 kB
    page; 0.07 ms in fact)."""
    count = len(list(directory.glob("*.html")))
    if shutil.which("valgrind") is None or not count:
        return None
    modes = ("none", "trafilatura", "cleaner")
    totals = _callgrind_totals(work / "pages_counted.py", _PAGES_COUNTED, modes, str(directory))
    return {
        TRAFILATURA_ALONE: (totals["trafilatura"] - totals["none"]) // count,
        PER_DOCUMENT: (totals["cleaner"] - totals["none"]) // count,
    }


def _callgrind_totals(
    script: Path, source: str, modes: Iterable[str], *args: str
) -> dict[str, int]:
    """``source`` written to ``script`` and run under callgrind once per mode (its first
    argument, ``args`` after it): each run's instruction count, by mode."""
    script.write_text(source, encoding="utf-8")
    return {mode: _callgrind_total([str(script), mode, *args]) for mode in modes}


def _callgrind_total(args: list[str]) -> int:
    """The instructions callgrind counts in one Python process running ``args``."""
    ran = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, *args],
        capture_output=True,
        text=True,
        check=True,
        # One hash seed: set and dict orders, and so the work and the collector's
        # passes, would otherwise move the counts by a tenth from run to run.
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    found = re.search(r"Collected : (\d+)", ran.stderr)
    assert found is not None, ran.stderr[-500:]
    return int(found.group(1))


def _process_cpu(work: Callable[[], object]) -> float:
    start = time.process_time()
    work()
    return time.process_time() - start


STAGES = ("decode, repair, detect", "rules", "metadata, validation", "language, signals", "JSON")


def stage_costs(docs: list[RawDocument]) -> dict[str, float]:
    """Milliseconds per document spent in each stage of the text path, one process."""
    cleaner = Cleaner(CleanerConfig(signals=False))
    _clean_all(cleaner, docs[:100])
    totals = dict.fromkeys(STAGES, 0.0)
    for doc in docs:
        marks = [time.perf_counter()]
        prepared = cleaner.prepare(doc)
        marks.append(time.perf_counter())
        if isinstance(prepared, Reject):
            continue
        cleaned = cleaner.apply(prepared)
        marks.append(time.perf_counter())
        result = cleaner.finish(doc, prepared, cleaned)
        marks.append(time.perf_counter())
        identify(cleaned.text)
        measure(cleaned.text)
        marks.append(time.perf_counter())
        result.model_dump_json()
        marks.append(time.perf_counter())
        for stage, start, end in zip(STAGES, marks[:-1], marks[1:], strict=True):
            totals[stage] += end - start
    return {stage: seconds / len(docs) * 1000 for stage, seconds in totals.items()}


class TreeMemory:
    """Peak memory of a process and its children (proportional set size, summed),
    sampled every 50 ms."""

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
        """The process's proportional set size: its private pages plus its share of the
        pages it shares (forked workers share much of their parent's memory, which a
        sum of resident sizes would count once per process)."""
        for name, field_name in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
            try:
                for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
                    if line.startswith(field_name):
                        return int(line.split()[1]) * 1024
            except OSError:
                continue
        return 0

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, sum(self._rss(p) for p in self._tree()))


def big_file(path: Path, source: Path, size: int) -> int:
    """A JSONL file of about ``size`` bytes: ``source`` repeated, ids made unique."""
    lines = source.read_text(encoding="utf-8").splitlines()
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
class Target:
    what: str
    measured: float
    goal: str
    met: bool


def counted(
    what: str,
    counts: dict[str, int],
    per: str,
    rows: list[list[str]],
    ratio: tuple[str, str],
    goal: tuple[str, float],
) -> Target:
    """Instruction ``counts`` (per ``per``) added to ``rows`` as report rows, and the
    target ``what``: the ratio of two of them, ``ratio[0] / ratio[1]``, against ``goal``
    (``("≥", 1.5)`` or ``("≤", 1.0)``)."""
    for name, count in counts.items():
        rows.append([f"{name}: instructions per {per}", "", f"{count:,}"])
    value = counts[ratio[0]] / counts[ratio[1]]
    sign, bound = goal
    return Target(what, value, f"{sign} {bound}", value >= bound if sign == "≥" else value <= bound)


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def section(intro: str, header: list[str], rows: list[list[str]]) -> list[str]:
    """A paragraph and its table, as report lines; nothing when there are no rows (the
    material was absent)."""
    return [intro, "", table(header, rows), ""] if rows else []


def rows_of(timing: Timing) -> list[list[str]]:
    return [
        [
            what,
            f"{timing.docs:,}",
            f"{timing.docs / seconds:,.0f}",
            f"{timing.size / seconds / 1e6:,.2f}",
            f"{seconds / timing.docs * 1000:.3f}",
        ]
        for what, seconds in timing.seconds.items()
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__)
    parser.add_argument(
        "--full",
        action="store_true",
        help="the long run (16,000 text and 4,000 HTML documents, 8 turns, 1 GB for memory; "
        "about 25 minutes here) instead of the quick one (a fifth of it, 200 MB)",
    )
    parser.add_argument("--text-docs", type=int, help="default: 3,200 (--full: 16,000)")
    parser.add_argument("--html-docs", type=int, help="default: 800 (--full: 4,000)")
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--chunks", type=int, help="turns the contenders take (4; --full: 8)")
    parser.add_argument(
        "--memory-mb", type=int, help="size of the peak-memory run (200; --full: 1,024; 0: skip)"
    )
    parser.add_argument(
        "--corpora",
        type=Path,
        default=ROOT.parent / "shared" / "corpora",
        help="real JSONL corpora for the text path's ratio to ftfy (skipped when absent)",
    )
    parser.add_argument("--copies", type=int, help="times the corpora are repeated (1; --full: 3)")
    parser.add_argument(
        "--realpages",
        type=Path,
        default=ROOT.parent / "shared" / "realpages",
        help="real HTML pages for the HTML path's ratio to trafilatura (skipped when absent)",
    )
    parser.add_argument(
        "--page-copies", type=int, default=8, help="times the real pages are repeated (8)"
    )
    parser.add_argument(
        "--instructions",
        type=int,
        default=0,
        help="also count instructions per document with callgrind on this many real "
        "texts (e.g. 100: about 3 minutes; 0: skip), and per real page (4 more minutes)",
    )
    parser.add_argument("--write", type=Path, help="also write the report (Markdown) here")
    parser.add_argument("--workdir", type=Path, help="keep the corpus here (default: temporary)")
    args = parser.parse_args(argv)
    full = {"text_docs": 16_000, "html_docs": 4_000, "chunks": 8, "memory_mb": 1024, "copies": 3}
    quick = {"text_docs": 3_200, "html_docs": 800, "chunks": 4, "memory_mb": 200, "copies": 1}
    for name, value in (full if args.full else quick).items():
        if getattr(args, name) is None:
            setattr(args, name, value)

    with tempfile.TemporaryDirectory(prefix="cleaner-bench-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        print(f"building {args.text_docs:,} text and {args.html_docs:,} HTML documents…")
        corpus = build_corpus(work, args.text_docs, args.html_docs)
        text_chars = sum(len(t) for t in corpus.texts) / len(corpus.texts)
        text_chunks = chunked(corpus.texts, "text", work, args.chunks)
        html_chunks = chunked(corpus.pages, "html", work, args.chunks)
        config = CleanerConfig()
        one, many = "cleaner, 1 worker", f"cleaner, {args.workers} workers"
        lean = "cleaner --no-signals, 1 worker"
        careful = "cleaner, 1 worker, trafilatura's fallback on every page"
        overrides = work / "fallback-everywhere"
        overrides.mkdir(exist_ok=True)
        fast_outlets = fallback_everywhere(overrides)
        fixer = ftfy.TextFixerConfig()
        out = work / "out.jsonl"
        with (
            LocalEngine(config, LocalSettings(workers=1)) as single,
            LocalEngine(config.model_copy(update={"signals": False}), LocalSettings()) as bare,
            LocalEngine(config, LocalSettings(workers=args.workers)) as pool,
            LocalEngine(
                config.model_copy(update={"rules_dirs": (overrides,)}), LocalSettings()
            ) as with_fallback,
        ):
            engines = {one: single, lean: bare}
            if args.workers > 1:
                engines[many] = pool
            for engine in [*engines.values(), with_fallback]:  # warm up: rules compiled
                run_engine(engine, text_chunks[0].path, out)
                run_engine(engine, html_chunks[0].path, out)
            print("text path…")
            text = race(
                text_chunks,
                (FTFY_ALONE, lambda t: ftfy.fix_text(t, fixer)),
                engines,
                out,
            )
            print("HTML path…")
            pages = race(
                html_chunks,
                (TRAFILATURA_ALONE, trafilatura.extract),
                {**engines, careful: with_fallback},
                out,
            )

        targets = [
            Target(
                f"text: ftfy.fix_text time / {name} time",
                text.seconds[FTFY_ALONE] / text.seconds[name],
                "≥ 3",
                text.seconds[FTFY_ALONE] / text.seconds[name] >= 3,
            )
            for name in (one, lean)
        ]
        targets += [
            Target(
                "HTML: cleaner time (1 worker) / trafilatura.extract time",
                pages.seconds[one] / pages.seconds[TRAFILATURA_ALONE],
                "≤ 1.15",
                pages.seconds[one] / pages.seconds[TRAFILATURA_ALONE] <= 1.15,
            ),
        ]
        page_rows: list[list[str]] = []
        if args.realpages.is_dir() and (real_pages := realpages(args.realpages)):
            real_pages = real_pages * args.page_copies
            print(f"real pages: {len(real_pages):,} pages against trafilatura…")
            best_pages = realpages_race(real_pages, rounds=3 if args.full else 2)
            alone = best_pages[TRAFILATURA_ALONE]
            for name, seconds in best_pages.items():
                times = f": {seconds / alone:.2f} × trafilatura"
                label = name if name == TRAFILATURA_ALONE else name + times
                page_rows.append(
                    [label, f"{seconds:.2f}", f"{seconds / len(real_pages) * 1000:.2f}"]
                )
            ratio = best_pages[PER_DOCUMENT] / alone
            targets.append(
                Target(
                    f"HTML real pages ×{args.page_copies}: cleaner / trafilatura.extract (CPU)",
                    ratio,
                    "≤ 1.0",
                    ratio <= 1.0,
                )
            )
            if args.instructions:
                print("instructions per real page (callgrind)…")
                counts = page_instruction_counts(args.realpages, work)
                if counts is not None:
                    targets.append(
                        counted(
                            "HTML real pages: cleaner / trafilatura.extract, instructions per page",
                            counts,
                            "page",
                            page_rows,
                            (PER_DOCUMENT, TRAFILATURA_ALONE),
                            ("≤", 1.0),
                        )
                    )
        page_outlets = source_outlets(FIXTURES, ".html", len(corpus.pages))
        fast_pages = sum(1 for outlet in page_outlets if outlet in fast_outlets)
        text_docs = [
            RawDocument(source="bench", data=t, kind="text", meta={"id": str(i)})
            for i, t in enumerate(text_chunks[0].docs[:1000])
        ]
        print("stages of the text path…")
        stages = stage_costs(text_docs)
        real_rows: list[list[str]] = []
        real_stages: dict[str, float] = {}
        if args.corpora.is_dir() and (records := corpora_records(args.corpora)):
            records = records * args.copies
            real = texts_of(records)
            print(f"real corpora: {len(real):,} texts, whole commands against ftfy…")
            best = corpora_race(real, work, rounds=3 if args.full else 2, records=records)
            for name, seconds in best.items():
                label = name
                if name == AS_CRAWLED:
                    label = f"{name}: ftfy.fix_text / it {best[FTFY_ALONE] / seconds:.2f}"
                real_rows.append([label, f"{seconds:.2f}", f"{seconds / len(real) * 1000:.3f}"])
            ftfy_cpu = best[FTFY_ALONE]
            for name in ("cleaner clean --workers 1", "cleaner clean --workers 1 --no-learn"):
                targets.append(
                    Target(
                        f"real corpora ×{args.copies}: ftfy.fix_text / {name} (CPU)",
                        ftfy_cpu / best[name],
                        "≥ 1.5",
                        ftfy_cpu / best[name] >= 1.5,
                    )
                )
            targets.append(
                Target(
                    f"real corpora: {'cleaner clean --workers 1'} / read + write floor (CPU)",
                    best["cleaner clean --workers 1"] / best["read + write floor (orjson)"],
                    "(×, lower is better)",
                    True,
                )
            )
            real_docs = [
                RawDocument(source="bench", data=t, kind="text", meta={"id": str(i)})
                for i, t in enumerate(real[:2000])
            ]
            real_stages = stage_costs(real_docs)
            if args.instructions:
                print(f"instructions per document (callgrind, {args.instructions} texts)…")
                counts = instruction_counts(real[: args.instructions], work)
                if counts is not None:
                    targets.append(
                        counted(
                            "real corpora: ftfy.fix_text / cleaner (warm), instructions per "
                            "document",
                            counts,
                            "document",
                            real_rows,
                            (FTFY_ALONE, f"{PER_DOCUMENT}, warm"),
                            ("≥", 1.5),
                        )
                    )
        ceiling = 0.0
        if args.workers > 1:
            print("the machine's own scaling…")
            ceiling = machine_scaling(text_docs[:500], args.workers)
            goal = 0.9 * args.workers
            for label, timing in (("text", text), ("HTML", pages)):
                speedup = timing.seconds[one] / timing.seconds[many]
                targets.append(
                    Target(
                        f"{label}: {args.workers} workers' throughput / 1 worker's",
                        speedup,
                        f"≥ {goal:.1f} (this machine's ceiling: {ceiling:.2f})",
                        speedup >= goal,
                    )
                )
        memory_rows: list[list[str]] = []
        if args.memory_mb:
            print(f"peak memory: cleaning a {args.memory_mb:,} MB JSONL file…")
            big = work / "big.jsonl"
            units = big_file(big, corpus.text_file, args.memory_mb * 1024 * 1024)
            peak, seconds = peak_memory(big, work / "big-out.jsonl")
            big.unlink()
            memory_rows.append(
                [
                    f"`cleaner clean` on {args.memory_mb:,} MB of JSONL ({args.workers} workers)",
                    f"{units:,}",
                    f"{units / seconds:,.0f}",
                    f"{args.memory_mb * 1024 * 1024 / seconds / 1e6:,.2f}",
                    f"{seconds / units * 1000:.3f}",
                ]
            )
            targets.append(
                Target(
                    "peak memory of all its processes (PSS), MB", peak / 1e6, "< 300", peak < 300e6
                )
            )
        header = ["run", "docs", "docs/s", "MB/s", "ms/doc"]
        report = "\n".join(
            [
                f"Text dumps: {text.docs:,} documents, {text_chars:,.0f} characters on average, "
                f"{text.size / 1e6:.1f} MB of JSONL.",
                "",
                table(header, rows_of(text)),
                "",
                f"HTML pages: {pages.docs:,} documents, {pages.size / 1e6:.1f} MB of JSONL. "
                f"{fast_pages / len(corpus.pages):.0%} of them are pages of outlets whose rule "
                f"files skip trafilatura's fallback extractors ({', '.join(fast_outlets)}); "
                "the row with the fallback on every page shows what that saves.",
                "",
                table(header, rows_of(pages)),
                "",
                *section(
                    f"Real pages ({args.realpages.name}/, every HTML page "
                    f"×{args.page_copies}): best CPU seconds of each, taking turns, all in "
                    "one process on the pages' bytes. Every page here is of an outlet with "
                    "a rule file; the cleaner also runs without any outlet's rules, as on "
                    "most sites of a crawl.",
                    ["run", "CPU s", "ms/page"],
                    page_rows,
                ),
                *([table(header, memory_rows), ""] if memory_rows else []),
                *section(
                    f"Real corpora ({args.corpora.name}/, every text ×{args.copies}): best CPU "
                    "seconds of each, taking turns; the cleaner's rows are whole `cleaner "
                    "clean` commands.",
                    ["run", "CPU s", "ms/doc"],
                    real_rows,
                ),
                "Where one worker's time goes on the text path (ms per document; the "
                "synthetic texts, and the real corpora's first 2,000):",
                "",
                table(
                    ["stage", "synthetic", "real corpora"],
                    [
                        [stage, f"{ms:.3f}", f"{real_stages[stage]:.3f}" if real_stages else "-"]
                        for stage, ms in stages.items()
                    ],
                ),
                "",
                table(
                    ["target", "measured", "goal", "met"],
                    [
                        [t.what, f"{t.measured:.2f}", t.goal, "yes" if t.met else "**no**"]
                        for t in targets
                    ],
                ),
                "",
                "The corpus is grown from the fixtures (3% of the texts turned into mojibake, "
                "3% given invisible characters or HTML entities). The cleaner's rows are whole "
                "runs: the JSONL file read, every document cleaned, the articles written; the "
                "libraries' rows are the one call alone on documents already in memory. The "
                f"contenders take turns over {args.chunks} slices of the corpus. The machine's "
                "ceiling is what that many processes get done, each cleaning the same "
                "documents on its own, against one.",
                "",
                f"Measured on {platform.machine()}, {default_workers()} cores, Python "
                f"{platform.python_version()}, ftfy {ftfy.__version__}, trafilatura "
                f"{trafilatura.__version__}.",
            ]
        )
        print()
        print(report)
        if args.write:
            args.write.write_text(
                "# Benchmarks\n\nWritten by `make bench` (`python -m tools.bench`): one run "
                "on one machine, so read the ratios rather than the absolute figures.\n\n"
                + report
                + "\n",
                encoding="utf-8",
            )
        return 0 if all(t.met for t in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
