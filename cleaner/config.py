"""Explicit configuration objects.

Every choice the pipeline makes that a user may want to change lives here, with its
default written out, instead of being buried as a hidden default in the code.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any, Literal, get_args

import ftfy
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from cleaner.io.formats import Format
from cleaner.text.dates import parse_offset


class RepairConfig(BaseModel):
    """What ftfy may change in a text.

    These mirror :class:`ftfy.TextFixerConfig` one to one, with two deliberate departures
    from ftfy's defaults:

    * ``uncurl_quotes`` is off: a corpus keeps the typographic quotes (“ ” ‘ ’) that
      Indonesian newsrooms use; ftfy would turn them into straight ASCII quotes.
    * ``explain`` is off: we never need ftfy's explanation, and it costs time.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    unescape_html: Literal["auto"] | bool = "auto"
    remove_terminal_escapes: bool = True
    fix_encoding: bool = True
    restore_byte_a0: bool = True
    replace_lossy_sequences: bool = True
    decode_inconsistent_utf8: bool = True
    fix_c1_controls: bool = True
    fix_latin_ligatures: bool = True
    fix_character_width: bool = True
    uncurl_quotes: bool = False
    fix_line_breaks: bool = True
    fix_surrogates: bool = True
    remove_control_chars: bool = True
    normalization: Literal["NFC", "NFKC", "NFD", "NFKD"] | None = "NFC"
    max_decode_length: int = 1_000_000

    def to_ftfy(self) -> ftfy.TextFixerConfig:
        """The equivalent ftfy configuration object."""
        return ftfy.TextFixerConfig(**self.model_dump(), explain=False)


InputFormat = Literal["auto", Format]
"""A format of :data:`cleaner.io.formats.FORMATS`, or ``auto``: by suffix, else by content."""


InputField = Literal[
    "text", "html", "id", "url", "title", "published_at", "authors", "outlet", "domain"
]
"""The fields the cleaner reads from a JSONL record: the one list of them (``--key``)."""
INPUT_FIELDS: tuple[InputField, ...] = get_args(InputField)

Paths = tuple[str, ...]


class InputKeys(BaseModel):
    """Where a JSONL record holds each field: the paths tried in turn, the first that
    gives a value winning. A path is a key, or keys joined by dots into nested objects
    (``metadata.date``); a key that itself holds a dot is found first. A field given no
    path is not read; one path may be given as a string (``InputKeys(title="headline")``).

    The defaults are a flat record's keys, then datatrove's and dolma's ``metadata``
    object. Not read as a publication date: ``metadata.date`` (datatrove's readers put
    the crawl's WARC-Date there), dolma's ``added`` (when the document entered the
    corpus) and ``created`` (a best guess): map them when a corpus means otherwise.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: Paths = ("text",)
    html: Paths = ("html",)
    id: Paths = ("id",)
    url: Paths = ("url", "metadata.url")
    title: Paths = ("title", "metadata.title")
    published_at: Paths = (
        *("published_at", "date", "published"),
        *("metadata.published_at", "metadata.published"),
    )
    authors: Paths = ("authors", "author", "metadata.authors", "metadata.author")
    outlet: Paths = ("outlet",)
    domain: Paths = ("domain", "outlet_domain", "site", "hostname", "metadata.domain")

    def of(self, field: InputField) -> Paths:
        """The paths of one field."""
        paths: Paths = getattr(self, field)
        return paths

    @field_validator("*", mode="before")
    @classmethod
    def _one_path(cls, value: Any) -> Any:
        """One path may be a string, and an empty string is no path."""
        return ((value,) if value else ()) if isinstance(value, str) else value

    @field_validator("*")
    @classmethod
    def _paths(cls, value: Paths) -> Paths:
        """A path with an empty key in it (``a..b``, ``.a``) is a typing mistake."""
        for path in value:
            if not path or "" in path.split("."):
                raise ValueError(f"{path!r} is not a key or a dotted path")
        return value

    @model_validator(mode="after")
    def _some_content(self) -> InputKeys:
        """A record is read for its text or its page: one of them must have a key."""
        if not self.text and not self.html:
            raise ValueError("text and html cannot both go unread: a record needs one")
        return self


assert tuple(InputKeys.model_fields) == INPUT_FIELDS


class ReadConfig(BaseModel):
    """How inputs are read.

    ``format`` forces one input format; ``auto`` goes by the file name's suffix (after
    ``.gz``/``.zst``) and, when that says nothing, by the content. ``max_unit_bytes``
    bounds one unit (a file, a JSON line, a WARC record) after decompression: anything
    larger is a ``too_large`` reject, read past without being held in memory, so a
    compression bomb costs nothing. ``keys`` says where a JSONL record holds each field.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: InputFormat = "auto"
    exclude: tuple[Path, ...] = ()
    """Paths never read from a directory input: the run's own outputs (its output file,
    rejects and learned table, or its part-file directory), so that an output inside an
    input directory is not read back by the next run. Set by the run, not by users."""
    max_unit_bytes: int = Field(32 * 1024 * 1024, gt=0)
    """The cap; the command line's default is scaled to the machine
    (:func:`default_max_unit_bytes`)."""
    keys: InputKeys = Field(default_factory=InputKeys)
    """Where a JSONL record holds each field (``keys={"title": "headline"}`` changes the
    title's alone)."""


def keys_given(options: list[str]) -> InputKeys:
    """The keys written ``FIELD=PATH`` (the command line's ``--key``): PATH one path,
    several comma-separated, or none; the last for a field wins, the other fields keep
    their defaults. A bad one raises a :class:`ValueError` saying what is wrong in one
    line."""
    keys: dict[str, Paths] = {}
    for item in options:
        name, sep, paths = item.partition("=")
        if not sep or name.strip() not in INPUT_FIELDS:
            raise ValueError(f"{item}: give FIELD=PATH, FIELD one of {', '.join(INPUT_FIELDS)}")
        keys[name.strip()] = tuple(path.strip() for path in paths.split(",") if path.strip())
    try:
        return InputKeys.model_validate(keys)
    except ValidationError as exc:
        name, problem = first_problem(exc)
        raise ValueError(f"{name}: {problem}" if name else problem) from None


MEMORY_PER_BYTE = 43
"""Peak memory of cleaning one unit, per byte of it: a 30 MB record used 1.28 GB (the
decoded text, lxml's tree, trafilatura's copies of it, the text at every stage)."""
MEMORY_SHARE = 0.5
"""The share of the machine's memory the workers' largest units may take together; the
rest is for the system, other programs and the workers themselves (rules, libraries:
about 200 MB each)."""
MAX_UNIT_BYTES_RANGE = (1024 * 1024, 32 * 1024 * 1024)
"""The scaled default stays within these: below 1 MiB a long news page (300 KB of HTML
is common) would be refused, and above 32 MiB a unit is no news page at all."""


def default_max_unit_bytes(workers: int, memory: int | None = None) -> int:
    """The largest unit to clean when ``--max-bytes`` is not given: ``workers`` units of
    this size cleaned at once, at :data:`MEMORY_PER_BYTE` each, must fit in
    :data:`MEMORY_SHARE` of ``memory`` (default: this machine's, :func:`machine_memory`).
    Rounded down to whole MiB, within :data:`MAX_UNIT_BYTES_RANGE`. Without it, the cap
    times every core could take more memory than there is, and the kernel would kill a
    worker or the run.

    The machine's memory, not what is free at the moment: the bound is part of a run's
    settings, which ``--resume`` requires to be the same, and the same command on the
    same machine must give the same output."""
    low, high = MAX_UNIT_BYTES_RANGE
    memory = machine_memory() if memory is None else memory
    if memory is None:
        return high
    mib = int(memory * MEMORY_SHARE) // (max(workers, 1) * MEMORY_PER_BYTE) // (1024 * 1024)
    return max(low, min(high, mib * 1024 * 1024))


_CGROUP_LIMITS = (
    "/sys/fs/cgroup/memory.max",  # cgroup v2; "max" when there is no limit
    "/sys/fs/cgroup/memory/memory.limit_in_bytes",  # cgroup v1
)


def machine_memory() -> int | None:
    """Bytes of physical memory, or the container's limit (its cgroup's) when lower;
    ``None`` when the system does not say."""
    found: list[int] = []
    with contextlib.suppress(AttributeError, OSError, ValueError):  # not on this system
        found.append(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    for path in _CGROUP_LIMITS:
        try:
            found.append(int(Path(path).read_text(encoding="ascii")))
            break
        except (OSError, ValueError):
            continue
    found = [size for size in found if size > 0]
    return min(found) if found else None


FINEWEB2_IND_STOPWORDS = (
    *("dan", "yang", "di", "pada", "dari", "ini", "dengan", "adalah", "untuk", "dalam"),
)


class QualityConfig(BaseModel):
    """Thresholds of the ``--quality`` filter. The defaults are FineWeb-2's for
    ``ind_Latn`` (and the Gopher word limits it keeps); ``languages`` and
    ``min_language_score`` apply to CLD2's answer, whose score is a share of the text
    rather than GlotLID's probability, so FineWeb-2's 0.685 is a starting point."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = False
    languages: tuple[str, ...] = ("id",)
    min_language_score: float = Field(0.685, ge=0, le=1)
    min_words: int = 50
    max_words: int = 100_000
    min_mean_word_length: float = 3
    max_mean_word_length: float = 11
    min_alpha_word_share: float = 0.805
    min_stopwords: int = 2
    stopwords: tuple[str, ...] = FINEWEB2_IND_STOPWORDS
    max_duplicate_line_fraction: float = 0.25
    max_top_ngram_share: tuple[tuple[int, float], ...] = ((2, 0.088), (3, 0.104), (4, 0.12))
    """``(n, share)``: the most frequent word n-gram may cover at most this share."""
    min_punctuated_line_share: float = 0.25
    punctuation_min_lines: int = Field(3, ge=1)
    """``min_punctuated_line_share`` judges texts of at least this many lines: a text
    collapsed into one or two lines (what many crawlers leave) is whole paragraphs per
    line, and whether its last line ends in a full stop says nothing of its quality."""
    max_newline_ratio: float = 0.222


class LearnConfig(BaseModel):
    """What counts as a site's boilerplate, and what counting may hold in memory."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    """Learn at all: a run over files first counts what each site repeats (``--no-learn``
    turns it off; standard input, read once, is never learned from)."""
    html: bool = False
    """Count HTML pages too. Off by default: their extraction would run twice, and
    trafilatura already leaves most of a template's furniture out."""
    site_key: str | None = None
    """A field of the input records (JSONL) naming each document's site, when the URL
    does not (``--site-key``)."""
    min_docs: int = Field(5, ge=2)
    """A segment must be seen in at least this many distinct documents of a site: fewer
    is a coincidence (a quote two articles share, a recurring name)."""
    min_share: float = Field(0.0, ge=0, le=1)
    """... and in at least this share of the site's documents: raise it to keep only the
    template (every page) and leave recurring phrases (a weekly column's sign-off)."""
    prose_share: float = Field(0.02, ge=0, le=1)
    """A segment that reads as prose (a sentence, not a label) must also be in this share
    of the site's documents: running stories repeat a background paragraph in a few of
    them, while a disclaimer is on a good part of all."""
    min_site_docs: int = Field(20, ge=1)
    """Sites with fewer documents learn nothing: a handful of pages cannot tell a
    template from a topic they happen to share."""
    memory_mb: int = Field(64, ge=8)
    """The bound on what counting and combining hold in memory; the rest goes to disk.
    Also sizes the near-duplicate window (see the module's docstring), so every part of
    one corpus must be counted with the same value."""
    carry_mb: int = Field(32, ge=0)
    """What the texts the learning pass normalized may hold in memory, kept for the
    cleaning pass (only texts normalizing changed: repairing them is what costs); the
    rest are normalized again. 0 keeps none
    (:class:`~cleaner.text.normalize.NormalizedTexts`)."""
    max_chars: int = Field(400, ge=1)
    """Segments longer than this are never learned: a long paragraph repeated across
    documents is syndicated body, not boilerplate. (400 is also where a line is split
    into sentences: :data:`cleaner.rules.repeats.LINE_SEGMENT_CHARS`.)"""


class CleanerConfig(BaseModel):
    """Settings for one :class:`cleaner.Cleaner`.

    ``rules_dirs`` are searched after the bundled rules; a file there replaces the bundled
    file of the same outlet name. ``outlet`` forces one outlet's rules on every document.
    ``default_timezone`` is the UTC offset given to a date that names no zone: Indonesian
    outlets publish in Western Indonesian Time (WIB, UTC+07:00) unless they say otherwise.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    rules_dirs: tuple[Path, ...] = ()
    outlet: str | None = None
    default_timezone: str = "+07:00"
    repair: RepairConfig = Field(default_factory=RepairConfig)
    read: ReadConfig = Field(default_factory=ReadConfig)
    signals: bool = True
    """Measure language and quality signals (about as long again as the rest of the text
    path: turn off for speed when they are not wanted)."""
    page_search: bool = True
    """Search an HTML page for a byline and for category and tag links (trafilatura's
    page-wide searches) when neither its declarations nor the rules give those fields.
    On pages of sites without a rule file they take about a fifth of the page's time;
    turn them off for speed when authors, category and tags are not wanted (a rule file
    turns them off for its outlet with ``html.search: []``)."""
    quality: QualityConfig = Field(default_factory=QualityConfig)
    learn: LearnConfig = Field(default_factory=LearnConfig)
    """Learning, over a whole run, what each site repeats (:mod:`cleaner.engines.learn`)."""
    learned: Path | None = None
    """A table of learned site repeats to apply (written by a run's learning pass, or by
    an earlier run: ``--learned``); ``None``: none."""
    time_limit: float = Field(20.0, ge=0)
    """Seconds of CPU time one document may take to clean (``--time-limit``; 0: no
    limit); a document that takes longer is a ``too_slow`` reject. A news page takes well
    under a second, but extraction can grow faster than the page (a page of 160,000
    paragraphs once took 84 s, a 20 MB one over 300 s), and one such page would hold up
    a worker, or a whole run, without end. CPU time rather than the clock, so that a
    busy machine or more workers than cores do not change which documents pass.

    The engines enforce it (:func:`cleaner.engines.outcome.outcome_of`) with a timer
    signal, so only in the main thread of a process: the local engine, in its worker
    processes or in this one. Dask runs tasks in threads, where it is not enforced;
    nor does :meth:`cleaner.Cleaner.clean` called directly enforce it (a library must
    not take over its caller's signals). The limit is checked between Python steps: a
    single call into C code (lxml, a regular expression) ends before it is noticed."""

    @model_validator(mode="after")
    def _quality_needs_signals(self) -> CleanerConfig:
        if self.quality.enabled and not self.signals:
            raise ValueError("the quality filter needs the signals: do not turn them off")
        return self

    @field_validator("default_timezone")
    @classmethod
    def _check_offset(cls, value: str) -> str:
        parse_offset(value)
        return value


def read_config_file(path: Path) -> dict[str, Any]:
    """The settings a TOML file gives, as :class:`CleanerConfig`'s fields (tables for
    ``[read]``, ``[quality]``, ``[learn]``, ``[repair]``), not yet checked: the command
    line merges its own options in first (:func:`merge_settings`). Relative paths in
    ``rules_dirs`` and ``learned`` are taken from the file's folder, so a project's
    configuration works from anywhere. An unreadable file raises :class:`ValueError`
    with one line."""
    import tomllib

    try:
        settings = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: not TOML: {exc}") from None
    home = path.parent
    if isinstance(dirs := settings.get("rules_dirs"), list):
        settings["rules_dirs"] = [home / d if isinstance(d, str) else d for d in dirs]
    if isinstance(learned := settings.get("learned"), str):
        settings["learned"] = home / learned
    return settings


def merge_settings(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``changes`` laid over it, table by table (a change to
    ``quality.min_words`` keeps the file's other ``quality`` settings)."""
    merged = dict(base)
    for name, value in changes.items():
        if isinstance(value, dict) and isinstance(merged.get(name), dict):
            merged[name] = merge_settings(merged[name], value)
        else:
            merged[name] = value
    return merged


def first_problem(exc: ValidationError) -> tuple[str, str]:
    """The first thing pydantic refused, for a one-line message: its dotted place
    (``quality.min_words``; empty for the whole object) and what is wrong."""
    first = exc.errors()[0]
    place = ".".join(str(part) for part in first["loc"])
    return place, str(first["msg"]).removeprefix("Value error, ")


class SettingError(ValueError):
    """A setting :class:`CleanerConfig` refuses: ``name`` is its dotted place
    (``quality.min_words``), ``problem`` what is wrong, in one line."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{name}: {problem}")
        self.name = name
        self.problem = problem


def config_from(settings: dict[str, Any]) -> CleanerConfig:
    """:class:`CleanerConfig` from merged settings; a wrong one raises
    :class:`SettingError` naming the first wrong setting."""
    try:
        return CleanerConfig.model_validate(settings)
    except ValidationError as exc:
        name, problem = first_problem(exc)
        raise SettingError(name or "settings", problem) from None
