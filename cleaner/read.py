"""Stage 1: find the input units and read their bytes.

An input is a file, a directory (walked recursively in sorted order, hidden entries
skipped) or ``-`` for standard input. A *reader* turns one opened input into documents;
it is chosen by the file's suffix. Plain text is one document per file. Readers yield
:class:`~cleaner.models.RawDocument` or, for a unit they cannot read, a
:class:`~cleaner.models.Reject`, so no unit is ever dropped without a trace.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from cleaner.errors import InputError
from cleaner.models import RawDocument, Reject

STDIN = "-"


class Reader(Protocol):
    """Turns one opened input into documents."""

    name: str
    suffixes: tuple[str, ...]

    def read(self, stream: BinaryIO, source: str) -> Iterator[RawDocument | Reject]: ...


class TextReader(Reader):
    """A text dump: the whole file is one document."""

    name = "text"
    suffixes = (".txt", ".text")

    def read(self, stream: BinaryIO, source: str) -> Iterator[RawDocument | Reject]:
        yield RawDocument(source=source, data=stream.read())


READERS: tuple[Reader, ...] = (TextReader(),)
DEFAULT_READER: Reader = READERS[0]


def reader_for(path: str) -> Reader | None:
    """The reader for a file name, by suffix; ``None`` when no reader claims it."""
    lowered = path.lower()
    for reader in READERS:
        if lowered.endswith(reader.suffixes):
            return reader
    return None


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file to read: its path (or ``-``) and the name shown as ``source``."""

    path: str
    source: str
    reader: Reader


@dataclass
class Skipped:
    """Files a directory walk passed over because no reader takes their suffix."""

    paths: list[str]


def expand_inputs(inputs: Iterable[str], skipped: Skipped | None = None) -> Iterator[InputFile]:
    """The files named by ``inputs``, in order. Missing inputs raise :class:`InputError`.

    Files named directly are read even with an unknown suffix (as plain text);
    in a directory only files some reader claims are read, the others are listed in
    ``skipped``.
    """
    for item in inputs:
        if item == STDIN:
            yield InputFile(STDIN, "<stdin>", DEFAULT_READER)
            continue
        path = Path(item)
        if path.is_dir():
            for child in sorted(_walk(path), key=lambda p: p.as_posix()):
                reader = reader_for(child.name)
                if reader is None:
                    if skipped is not None:
                        skipped.paths.append(child.as_posix())
                    continue
                yield InputFile(str(child), child.as_posix(), reader)
        elif path.exists():
            yield InputFile(str(path), path.as_posix(), reader_for(path.name) or DEFAULT_READER)
        else:
            raise InputError(f"no such file or directory: {item}")


def _walk(directory: Path) -> Iterator[Path]:
    for child in directory.iterdir():
        if child.name.startswith("."):
            continue
        if child.is_dir():
            yield from _walk(child)
        elif child.is_file():
            yield child


def check_inputs(inputs: Iterable[str]) -> None:
    """Fail early, before any output is written, if an input does not exist."""
    for item in inputs:
        if item != STDIN and not Path(item).exists():
            raise InputError(f"no such file or directory: {item}")


def read_input(item: InputFile) -> Iterator[RawDocument | Reject]:
    """The documents of one input file; an unreadable file is one reject."""
    if item.path == STDIN:
        yield from item.reader.read(sys.stdin.buffer, item.source)
        return
    try:
        with Path(item.path).open("rb") as stream:
            yield from item.reader.read(stream, item.source)
    except OSError as exc:
        yield Reject(source=item.source, reason="unreadable", detail=exc.strerror or str(exc))


def read_documents(
    inputs: Iterable[str], skipped: Skipped | None = None
) -> Iterator[RawDocument | Reject]:
    """Every document of every input, in input order."""
    for item in expand_inputs(inputs, skipped):
        yield from read_input(item)
