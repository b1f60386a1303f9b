"""Guarding a run's outputs before anything is written.

* :func:`check_outputs`: no output may be an input or another output (``-o`` equal to
  the input would replace it, ``--rejects`` equal to ``-o`` would overwrite the
  articles), and a directory of part files may not hold the inputs. Each is a one-line
  :class:`~cleaner.errors.OutputError` (exit 2) before the first byte is written.
* :class:`OutputLock`: one run at a time into one output. The lock is an ``flock`` on a
  small file beside the output that names the process holding it; the kernel releases
  it when that process dies however it dies, so a lock left by a killed run is stale by
  construction, and the file's PID says which run holds a live one.
* :func:`remove_stale_temps`: the temporary files a killed run left beside an output,
  removed by the next run into the same place (only once it holds the lock, so never a
  live run's).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import glob
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType

from cleaner.errors import OutputError
from cleaner.io.formats import STDIN

Named = tuple[str, Path]
"""An output and what names it on the command line (``-o``, ``--rejects``…)."""


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _same(a: Path, b: Path) -> bool:
    """Whether two paths name one file (through symlinks and hard links too)."""
    if _real(a) == _real(b):
        return True
    try:
        return a.samefile(b)
    except OSError:
        return False


def _inside(path: Path, directory: Path) -> bool:
    return _real(path).is_relative_to(_real(directory))


def check_outputs(
    inputs: Iterable[str], outputs: Sequence[Named], out_dir: Path | None = None
) -> None:
    """Refuse, with one line, outputs that clash with an input or with each other, and a
    part-file directory (``out_dir``) that is or holds an input.

    An output file inside an input directory is allowed: the readers never read the
    run's own outputs (:data:`cleaner.config.ReadConfig.exclude`).
    """
    files = [Path(item) for item in inputs if item != STDIN]
    for _, path in [*outputs, *([("-o", out_dir / DIR_LOCK)] if out_dir is not None else [])]:
        _check_place(path)
    for n, (name, path) in enumerate(outputs):
        for item in files:
            if item.is_file() and _same(path, item):
                raise OutputError(f"{name} {path} is also an input: it would be overwritten")
            if item.is_dir() and _same(path, item):
                raise OutputError(f"{name} {path} is an input directory")
        for other_name, other in outputs[:n]:
            if _same(path, other):
                raise OutputError(
                    f"{name} {path} is also {other_name}: one would overwrite the other"
                )
    if out_dir is not None:
        for item in files:
            if _inside(item, out_dir):
                raise OutputError(
                    f"the output directory {out_dir} holds the input {item}: "
                    "give a directory outside the inputs"
                )


def _check_place(path: Path) -> None:
    """Fail now, not after an hour's run, where a file cannot be made: the nearest
    existing folder above ``path`` is not a folder, or cannot be written."""
    place = path.parent
    while not place.exists() and place != place.parent:
        place = place.parent
    if not place.is_dir():
        raise OutputError(f"cannot write {path}: {place} is not a directory")
    if not os.access(place, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {path}: permission denied in {place}")


class OutputLock:
    """Hold the output at ``path`` for this run (a context manager).

    The lock file is ``path`` itself for a directory's lock (``DIR/.cleaner.lock``), as
    :func:`lock_path_for` names it. A second run fails at once with a one-line
    :class:`OutputError` naming the process that holds it.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def __enter__(self) -> OutputLock:
        while True:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                raise OutputError(f"cannot write {self._what()}: {exc.strerror or exc}") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _holder(fd)
                os.close(fd)
                raise OutputError(
                    f"{self._what()} is being written by another cleaner run ({holder}): "
                    "wait for it to finish, or stop it"
                ) from None
            # The file may have been removed (and another made) by the run that held it
            # between our open and our lock: hold the file that is at the path now.
            try:
                if self.path.stat().st_ino == os.fstat(fd).st_ino:
                    break
            except FileNotFoundError:
                pass
            os.close(fd)
        started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps({"pid": os.getpid(), "started": started}).encode())
        self._fd = fd
        return self

    def _what(self) -> Path:
        """The output the lock guards."""
        return self.path.parent if self.path.name == DIR_LOCK else _target(self.path)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                self.path.unlink()
            os.close(self._fd)
            self._fd = None


DIR_LOCK = ".cleaner.lock"
"""The lock file of a part-file directory, inside it."""


def lock_path_for(output: Path, *, directory: bool = False) -> Path:
    """``out/corpus.jsonl`` → ``out/.corpus.jsonl.lock``; a directory → ``DIR/.cleaner.lock``."""
    return output / DIR_LOCK if directory else output.with_name(f".{output.name}.lock")


def _target(lock: Path) -> Path:
    return lock.with_name(lock.name.removeprefix(".").removesuffix(".lock"))


def _holder(fd: int) -> str:
    """Who holds a lock, from what its file says: ``pid 4242, started …``."""
    try:
        said = json.loads(os.pread(fd, 4096, 0) or b"{}")
        pid, started = int(said["pid"]), str(said["started"])
    except (OSError, ValueError, KeyError, TypeError):
        return "its process is not named in the lock file yet"
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return f"pid {pid}, started {started}, is gone; its worker processes still hold the lock"
    except PermissionError:
        pass  # alive, another user's
    return f"pid {pid}, started {started}"


def remove_stale_temps(outputs: Iterable[Path]) -> int:
    """Remove the temporary files that killed runs left beside ``outputs`` (those
    :class:`~cleaner.io.sinks.JsonlWriter` and :func:`write_atomically` make:
    ``.NAME.XXXX.tmp``); how many. Call it holding the output's lock."""
    removed = 0
    for output in outputs:
        if not output.parent.is_dir():
            continue
        for stale in output.parent.glob(f".{glob.escape(output.name)}.*.tmp"):
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()
                removed += 1
    return removed
