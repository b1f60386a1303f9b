"""Stage 1: find the input units and read them.

An input is a file, a directory (walked recursively in sorted order, hidden entries
skipped) or ``-`` for standard input. Each is opened, decompressed when it starts with
gzip or zstd magic (:mod:`cleaner.io.streams`), and given to the reader of its format
(:mod:`cleaner.io.readers`; the formats and their suffixes are the table
:data:`cleaner.io.formats.FORMATS`). In a directory, files no reader takes are passed
over and counted.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cleaner.config import ReadConfig
from cleaner.errors import InputError
from cleaner.io.formats import STDIN, SUFFIXES, Format, format_for_name, sniff
from cleaner.io.readers import Unit, reader_of
from cleaner.io.streams import damage, decompressed
from cleaner.models import Reject, Skip


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file to read: its path (or ``-``), the name shown as ``source``, its format
    (``None``: sniff the content)."""

    path: str
    source: str
    format: Format | None


RUN_MANIFEST = ".cleaner-run.json"
"""The file that marks a directory of part files as a cleaner run's output (it holds
the run's plan and settings, for ``--resume``). A directory input never reads such a
directory: a run's output is not its input."""


def expand_inputs(inputs: Iterable[str], config: ReadConfig) -> Iterator[InputFile | Skip]:
    """The files named by ``inputs``, in order; a missing input raises :class:`InputError`.

    Files named directly are always read (by suffix, else by content); in a directory
    only files whose suffix names a format are read, the others are yielded as skips,
    and so are the run's own outputs (``config.exclude``) and the part-file directories
    of cleaner runs (:data:`RUN_MANIFEST`).
    """
    forced: Format | None = None if config.format == "auto" else config.format
    excluded = {os.path.realpath(path) for path in config.exclude}
    for item in inputs:
        if item == STDIN:
            yield InputFile(STDIN, "<stdin>", forced)
            continue
        path = Path(item)
        if path.is_dir():
            found = _walk(path, excluded)
            for child in sorted(
                found, key=lambda c: c.source if isinstance(c, Skip) else c.as_posix()
            ):
                if isinstance(child, Skip):
                    yield child
                elif (fmt := forced or format_for_name(child.name)) is None:
                    yield Skip(
                        child.as_posix(), f"file with no reader ({child.suffix or 'no suffix'})"
                    )
                else:
                    yield InputFile(str(child), child.as_posix(), fmt)
        elif path.exists():
            yield InputFile(str(path), path.as_posix(), forced or format_for_name(path.name))
        else:
            raise InputError(f"no such file or directory: {item}")


def _walk(directory: Path, excluded: set[str]) -> Iterator[Path | Skip]:
    """The files under ``directory`` (hidden entries passed over), and a skip for each
    excluded file and each cleaner output directory."""
    for child in directory.iterdir():
        if child.name.startswith("."):
            continue
        if os.path.realpath(child) in excluded:
            yield Skip(child.as_posix(), "this run's own output")
        elif child.is_dir():
            if (child / RUN_MANIFEST).exists():
                yield Skip(child.as_posix(), "the output directory of a cleaner run")
            else:
                yield from _walk(child, excluded)
        elif child.is_file():
            yield child


def check_inputs(inputs: Iterable[str], config: ReadConfig | None = None) -> None:
    """Fail early, before any output is written, if an input does not exist, or if the
    inputs are only directories that hold no file a reader takes (an empty directory, a
    folder of images): a run over them would write an empty output and look fine."""
    inputs = list(inputs)
    for item in inputs:
        if item != STDIN and not Path(item).exists():
            raise InputError(f"no such file or directory: {item}")
    forced = config is not None and config.format != "auto"
    if any(item == STDIN or not Path(item).is_dir() for item in inputs):
        return
    if not any(_holds_input(Path(item), forced) for item in inputs):
        suffixes = ", ".join(sorted({s for s in SUFFIXES if s.count(".") == 1}))
        where = inputs[0] if len(inputs) == 1 else f"{len(inputs)} directories"
        said = f"{where} holds no file with a reader ({suffixes}, or these compressed)"
        raise InputError(f"no input to clean: {said}")


def _holds_input(directory: Path, forced: bool) -> bool:
    """Whether a walk of ``directory`` would find a file to read (stops at the first)."""
    return any(
        isinstance(found, Path) and (forced or format_for_name(found.name) is not None)
        for found in _walk(directory, set())
    )


def read_stream(
    stream: BinaryIO, source: str, fmt: Format | None, config: ReadConfig
) -> Iterator[Unit]:
    """The units of one opened input."""
    content = decompressed(stream)
    fmt = fmt or sniff(content.peek(4096))
    reported = False
    for unit in reader_of(fmt, config)(content, source, config.max_unit_bytes):
        reported = reported or (isinstance(unit, Reject) and unit.reason == "truncated_archive")
        yield unit
    if not reported and (problem := damage(content)):
        yield Reject(
            source=source,
            reason="truncated_archive",
            detail=f"{problem}; every unit before the damage was read",
        )


def read_input(item: InputFile, config: ReadConfig) -> Iterator[Unit]:
    """The units of one input file; an unreadable file is one reject."""
    if item.path == STDIN:
        yield from read_stream(sys.stdin.buffer, item.source, item.format, config)
        return
    try:
        with Path(item.path).open("rb") as stream:
            yield from read_stream(stream, item.source, item.format, config)
    except OSError as exc:
        yield Reject(source=item.source, reason="unreadable", detail=exc.strerror or str(exc))


def read_units(inputs: Iterable[str], config: ReadConfig | None = None) -> Iterator[Unit]:
    """Every unit of every input, in input order."""
    config = config or ReadConfig()
    for item in expand_inputs(inputs, config):
        if isinstance(item, Skip):
            yield item
        else:
            yield from read_input(item, config)
