"""Stage 7: write records as JSON Lines, or as Parquet.

A file is written under a temporary name beside its target and renamed into place only
when the run completes, so an interrupted run never leaves a half-written file that
looks whole. Without a path (or with ``-``), records go to standard output as they are
made; a path that is not a plain regular file (``/dev/stdout``, a named pipe, a
symbolic link) is written to directly, never replaced.

A path ending in ``.gz`` or ``.zst`` is compressed. gzip output carries no timestamp or
file name, so the same records give the same bytes on every run.

A path ending in ``.parquet`` is written as Parquet (:class:`ParquetSink`), with the
typed columns of the records' model (:mod:`cleaner.io.arrow`); :func:`open_sink` picks
the writer by name.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Literal, Protocol, Self

import zstandard
from pydantic import BaseModel

from cleaner.errors import OutputError
from cleaner.io.formats import COMPRESSION_SUFFIXES, FORMATS


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


class _Target:
    """The file a writer writes: a temporary file beside ``path``, moved into place by
    :meth:`commit`, or ``path`` itself when it is not a plain regular file (a device, a
    named pipe, a symbolic link), which is written through and never replaced."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp: Path | None = None
        if path.is_symlink() or (path.exists() and not path.is_file()):
            mode = "wb" if path.is_file() else "ab"  # never truncate what a device points at
            self.raw: IO[Any] = path.open(mode)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            self.tmp = Path(tmp)
            self.raw = os.fdopen(fd, "wb")

    def commit(self) -> None:
        """Move the temporary file, closed and complete, into place."""
        if self.tmp is not None:
            self.tmp.chmod(_mode_for(self.path))
            self.tmp.replace(self.path)
            self.tmp = None

    def discard(self) -> None:
        """Close the file, whatever closing says, and remove a temporary one."""
        with contextlib.suppress(OSError, ValueError):
            self.raw.close()
        if self.tmp is not None:
            self.tmp.unlink(missing_ok=True)
            self.tmp = None


class Sink(Protocol):
    """What a run writes its records through (:func:`open_sink`)."""

    count: int

    def write(self, record: BaseModel) -> None: ...
    def write_line(self, line: str) -> None: ...
    def commit(self) -> None: ...
    def abort(self) -> None: ...
    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class _Writer:
    """What the writers share: a failure to write is one line, and a context manager
    commits when its block ends normally and aborts when it raises."""

    path: Path | None

    def commit(self) -> None:
        raise NotImplementedError

    def abort(self) -> None:
        raise NotImplementedError

    @contextlib.contextmanager
    def _failing(self) -> Iterator[None]:
        """An OSError in the block aborts the writer and is an :class:`OutputError`; a
        reader that went away (BrokenPipeError) is left to the caller."""
        try:
            yield
        except BrokenPipeError:
            raise
        except OSError as exc:
            self.abort()
            raise _failed(self.path, exc) from None

    def __enter__(self) -> Self:
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


class JsonlWriter(_Writer):
    """Writes one JSON object per line; ``path=None`` writes to standard output.

    A file that cannot be written (the disk fills, a directory without permission)
    raises :class:`OutputError` and leaves no temporary file behind.
    """

    def __init__(self, path: Path | None) -> None:
        self.count = 0
        self._target: _Target | None = None
        self._layers: list[Any] = []  # what to close, outermost first
        if path is None or str(path) == "-":
            self.path = None
            self._stream: IO[str] = sys.stdout
            return
        if output_format(path) == "parquet":  # a caller that does not ask open_sink
            raise OutputError(f"cannot write {path}: JSON Lines under a .parquet name")
        self.path = path
        with self._failing():
            self._open(path)

    def _open(self, path: Path) -> None:
        self._target = _Target(path)
        raw: Any = self._target.raw
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
        with self._failing():
            self._stream.write(f"{line}\n")
        self.count += 1

    def _close(self) -> None:
        for layer in self._layers:  # text wrapper, compressor, file: each flushes into the next
            if not layer.closed:
                layer.close()
        self._layers = []

    def commit(self) -> None:
        """Finish: flush everything and move a finished file into place."""
        with self._failing():
            if not self._layers:
                self._stream.flush()
            self._close()
            if self._target is not None:
                self._target.commit()
                self._target = None

    def abort(self) -> None:
        """Give up: a temporary file is removed and the target left untouched, whatever
        closing the layers says (a full disk fails their last flush too)."""
        for layer in self._layers:
            with contextlib.suppress(OSError, ValueError):
                layer.close()
        self._layers = []
        if self._target is not None:
            self._target.discard()
            self._target = None


BATCH_ROWS = 1_000
"""Records converted to Arrow at a time: the Python objects held at once."""
ROW_GROUP_ROWS = 10_000
ROW_GROUP_BYTES = 64 * 1024 * 1024
"""A Parquet row group ends at this many rows or bytes of Arrow data, whichever comes
first: what the writer holds before writing."""


class ParquetSink(_Writer):
    """Writes records as Parquet, with the columns of their ``model``
    (:func:`~cleaner.io.arrow.arrow_schema`), zstd-compressed.

    The JSON lines the engines hand over are converted :data:`BATCH_ROWS` at a time and
    written a row group at a time (:data:`ROW_GROUP_ROWS`, :data:`ROW_GROUP_BYTES`), so
    memory stays bounded on any number of records. The groups end where the records
    say, so the same records give the same bytes, from any number of workers. Like
    :class:`JsonlWriter`, it writes under a temporary name (a failure is one
    :class:`OutputError`, and leaves no file); a file with no records holds the schema.
    """

    def __init__(self, path: Path, model: type[BaseModel]) -> None:
        # pyarrow is loaded here, for Parquet only: a JSON Lines run (and every worker)
        # starts without its libraries (tens of MB)
        import pyarrow.parquet as pq

        from cleaner.io.arrow import arrow_schema

        self.path = path
        self.count = 0
        self._model = model
        self._lines: list[str] = []
        self._batches: list[Any] = []  # pyarrow RecordBatches
        self._target: _Target | None = None
        self._writer: Any = None  # a pyarrow.parquet.ParquetWriter
        schema = arrow_schema(model)
        with self._failing():
            self._target = _Target(path)
            self._writer = pq.ParquetWriter(self._target.raw, schema, compression="zstd")

    def write(self, record: BaseModel) -> None:
        self.write_line(record.model_dump_json())

    def write_line(self, line: str) -> None:
        """Write one record serialized as a JSON line (what :meth:`BaseModel.model_dump_json`
        gives)."""
        self._lines.append(line)
        self.count += 1
        if len(self._lines) >= BATCH_ROWS:
            self._convert()

    def _convert(self) -> None:
        """Turn the held lines into a batch; write a row group when one is full."""
        if self._lines:
            from cleaner.io.arrow import lines_to_batch

            self._batches.append(lines_to_batch(self._lines, self._model))
            self._lines = []
        rows = sum(batch.num_rows for batch in self._batches)
        if rows >= ROW_GROUP_ROWS or sum(b.nbytes for b in self._batches) >= ROW_GROUP_BYTES:
            self._write_group()

    def _write_group(self) -> None:
        if not self._batches:
            return
        assert self._writer is not None
        import pyarrow as pa

        group = pa.Table.from_batches(self._batches)
        self._batches = []
        with self._failing():
            self._writer.write_table(group, row_group_size=group.num_rows)

    def commit(self) -> None:
        """Finish: write what is held and the file's footer, and move it into place."""
        if self._writer is None or self._target is None:
            return
        self._convert()
        self._write_group()
        with self._failing():
            self._writer.close()
            self._target.raw.close()
            self._target.commit()
        self._writer = self._target = None

    def abort(self) -> None:
        """Give up: a temporary file is removed and the target left untouched. The file
        is closed before the writer, so that what was written to a device or through a
        symbolic link never gets the footer that would make it look whole."""
        if self._target is not None:
            self._target.discard()
            self._target = None
        if self._writer is not None:
            with contextlib.suppress(Exception):  # it cannot write to a closed file
                self._writer.close()
            self._writer = None
        self._lines, self._batches = [], []


OutputFormat = Literal["jsonl", "parquet"]
OUTPUT_FORMATS: dict[OutputFormat, tuple[str, ...]] = {
    "jsonl": FORMATS["jsonl"].suffixes,
    "parquet": (".parquet",),
}
"""What an output file may be called (before ``.gz``/``.zst`` for JSON Lines), by the
format it is written in; a name with no suffix is JSON Lines."""
OUTPUT_SUFFIXES = tuple(suffix for names in OUTPUT_FORMATS.values() for suffix in names)


def _suffixes(path: Path) -> tuple[str, str]:
    """``out.jsonl.gz`` → ``(".jsonl", ".gz")``."""
    name = path.name
    compression = next((c for c in COMPRESSION_SUFFIXES if name.endswith(c)), "")
    return Path(name.removesuffix(compression)).suffix, compression


def output_format(path: Path) -> OutputFormat:
    """The format an output named ``path`` is written in: Parquet for ``.parquet``, else
    JSON Lines."""
    suffix, _ = _suffixes(path)
    return "parquet" if suffix in OUTPUT_FORMATS["parquet"] else "jsonl"


def open_sink(path: Path | None, model: type[BaseModel]) -> Sink:
    """The writer of ``model``'s records into ``path`` (standard output for None), in
    the format its name says (:func:`output_format`)."""
    if path is not None and output_format(path) == "parquet":
        return ParquetSink(path, model)
    return JsonlWriter(path)


def rejects_path_for(output: Path) -> Path:
    """``out/corpus.jsonl`` → ``out/corpus.rejects.jsonl`` (``.jsonl.gz`` stays gzipped)."""
    return _beside(output, "rejects", keep_compression=True)


def learned_path_for(output: Path) -> Path:
    """``out/corpus.jsonl.gz`` → ``out/corpus.learned.jsonl``: the site repeats a run
    learned, kept beside its output (``cleaner clean --learned`` applies them again)."""
    return _beside(output, "learned", keep_compression=False)


def _beside(output: Path, what: str, *, keep_compression: bool) -> Path:
    _, compression = _suffixes(output)
    name = output.name.removesuffix(compression)
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


def check_output_name(
    path: Path, option: str = "-o", suffixes: tuple[str, ...] = OUTPUT_SUFFIXES
) -> None:
    """Refuse, in one line, an output file whose suffix names a format other than
    ``suffixes`` (a command that writes JSON Lines only passes ``OUTPUT_FORMATS["jsonl"]``),
    or a compressed Parquet file (Parquet compresses inside)."""
    suffix, compression = _suffixes(path)
    parquet = OUTPUT_FORMATS["parquet"]
    if suffix in parquet and compression and suffix in suffixes:
        raise OutputError(
            f"{option} {path}: Parquet is compressed inside (zstd); drop the {compression}"
        )
    if suffix and suffix not in suffixes:
        either = set(parquet) <= set(suffixes)
        raise OutputError(
            f"{option} {path}: cleaner writes JSON Lines{' or Parquet' if either else ''}, "
            f"not {suffix}; name it .jsonl (.jsonl.gz or .jsonl.zst to compress)"
            + (" or .parquet" if either else "")
        )
