"""Stage 7: write records as JSON Lines.

A file is written under a temporary name beside its target and renamed into place only
when the run completes, so an interrupted run never leaves a half-written file that
looks whole. Without a path (or with ``-``), records go to standard output as they are
made; a path that is not a plain regular file (``/dev/stdout``, a named pipe, a
symbolic link) is written to directly, never replaced.

A path ending in ``.gz`` or ``.zst`` is compressed. gzip output carries no timestamp or
file name, so the same records give the same bytes on every run.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import sys
import tempfile
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import zstandard
from pydantic import BaseModel

from cleaner.errors import OutputError


def _mode_for(path: Path) -> int:
    """The permissions a plainly created file would get (mkstemp makes it 0600)."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _failed(path: Path | None, exc: OSError) -> OutputError:
    where = path if path is not None else "standard output"
    return OutputError(f"cannot write {where}: {exc.strerror or exc}")


class JsonlWriter:
    """Writes one JSON object per line; ``path=None`` writes to standard output.

    A file that cannot be written (the disk fills, a directory without permission)
    raises :class:`OutputError` and leaves no temporary file behind.
    """

    def __init__(self, path: Path | None) -> None:
        self.count = 0
        self._tmp: Path | None = None
        self._layers: list[Any] = []  # what to close, outermost first
        if path is None or str(path) == "-":
            self.path = None
            self._stream: IO[str] = sys.stdout
            return
        self.path = path
        try:
            self._open(path)
        except OSError as exc:
            self.abort()
            raise _failed(path, exc) from None

    def _open(self, path: Path) -> None:
        if path.is_symlink() or (path.exists() and not path.is_file()):
            mode = "wb" if path.is_file() else "ab"  # never truncate what a device points at
            raw: Any = path.open(mode)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            self._tmp = Path(tmp)
            raw = os.fdopen(fd, "wb")
        self._layers = [raw]
        if path.name.endswith(".gz"):
            raw = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0)
            self._layers.insert(0, raw)
        elif path.name.endswith(".zst"):
            raw = zstandard.ZstdCompressor().stream_writer(raw, closefd=False)
            self._layers.insert(0, raw)
        self._stream = io.TextIOWrapper(raw, encoding="utf-8", newline="\n", write_through=False)
        self._layers.insert(0, self._stream)

    def write(self, record: BaseModel) -> None:
        self.write_line(record.model_dump_json())

    def write_line(self, line: str) -> None:
        """Write one record already serialized as a JSON line (without its newline)."""
        try:
            self._stream.write(f"{line}\n")
        except BrokenPipeError:
            raise  # the reader went away: the caller ends quietly
        except OSError as exc:
            self.abort()
            raise _failed(self.path, exc) from None
        self.count += 1

    def _close(self) -> None:
        for layer in self._layers:  # text wrapper, compressor, file: each flushes into the next
            if not layer.closed:
                layer.close()
        self._layers = []

    def commit(self) -> None:
        """Finish: flush everything and move a finished file into place."""
        try:
            if not self._layers:
                self._stream.flush()
            self._close()
            if self._tmp is not None:
                assert self.path is not None
                self._tmp.chmod(_mode_for(self.path))
                self._tmp.replace(self.path)
                self._tmp = None
        except BrokenPipeError:
            raise
        except OSError as exc:
            self.abort()
            raise _failed(self.path, exc) from None

    def abort(self) -> None:
        """Give up: a temporary file is removed and the target left untouched, whatever
        closing the layers says (a full disk fails their last flush too)."""
        for layer in self._layers:
            with contextlib.suppress(OSError, ValueError):
                layer.close()
        self._layers = []
        if self._tmp is not None:
            self._tmp.unlink(missing_ok=True)
            self._tmp = None

    def __enter__(self) -> JsonlWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()


def rejects_path_for(output: Path) -> Path:
    """``out/corpus.jsonl`` → ``out/corpus.rejects.jsonl`` (``.jsonl.gz`` stays gzipped)."""
    return _beside(output, "rejects", keep_compression=True)


def learned_path_for(output: Path) -> Path:
    """``out/corpus.jsonl.gz`` → ``out/corpus.learned.jsonl``: the site repeats a run
    learned, kept beside its output (``cleaner clean --learned`` applies them again)."""
    return _beside(output, "learned", keep_compression=False)


def _beside(output: Path, what: str, *, keep_compression: bool) -> Path:
    name = output.name
    compression = next((c for c in (".gz", ".zst") if name.endswith(c)), "")
    name = name.removesuffix(compression)
    stem = name.removesuffix(".jsonl") if name.endswith(".jsonl") else Path(name).stem
    return output.with_name(f"{stem}.{what}.jsonl{compression if keep_compression else ''}")


def write_atomically(path: Path, data: bytes) -> None:
    """Write a small file whole (a learned table, a run's stats): under a temporary name
    moved into place, so a failure (one-line :class:`OutputError`) leaves neither a
    half-written file nor the temporary one."""
    tmp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        tmp = Path(name)
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        tmp.chmod(_mode_for(path))
        tmp.replace(path)
        tmp = None
    except OSError as exc:
        raise _failed(path, exc) from None
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


OUTPUT_SUFFIXES = (".jsonl", ".ndjson", ".json")
"""What an output file may be called (before ``.gz``/``.zst``): JSON Lines, or a name
with no suffix. Anything else (``out.parquet``, ``out.csv``) would get JSON Lines under a
name that says otherwise."""


def check_output_name(path: Path, option: str = "-o") -> None:
    """Refuse, in one line, an output file whose suffix names another format."""
    name = path.name
    for compression in (".gz", ".zst"):
        name = name.removesuffix(compression)
    suffix = Path(name).suffix
    if suffix and suffix not in OUTPUT_SUFFIXES:
        raise OutputError(
            f"{option} {path}: cleaner writes JSON Lines, not {suffix}; name it .jsonl "
            "(.jsonl.gz or .jsonl.zst to compress)"
        )
