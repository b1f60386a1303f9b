"""Expected errors.

Everything a user can cause (a bad rule file, a missing input, an unknown outlet name)
raises a :class:`CleanerError`. The command line prints its one-line message and exits
with :attr:`CleanerError.exit_code`; it never shows a traceback for these.
"""

from __future__ import annotations

import signal
import sys
from typing import Any


class CleanerError(Exception):
    """A usage or configuration error with a one-line message (exit code 2)."""

    exit_code = 2


class RuleFileError(CleanerError):
    """A rule file that cannot be used; the message names the file and the line.

    ``problems`` lists every problem found as ``(line, message)``, the first of which is
    the one in the message (``cleaner rules check`` shows them all).
    """

    def __init__(
        self,
        path: str,
        line: int | None,
        message: str,
        problems: list[tuple[int | None, str]] | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.message = message
        self.problems = problems or [(line, message)]
        more = len(self.problems) - 1
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}" + (f" (and {more} more)" if more else ""))


class InputError(CleanerError):
    """An input named on the command line that does not exist or cannot be opened."""


class OutputError(CleanerError):
    """An output that cannot be written (disk full, no permission, a clash with an
    input): one line, exit 2, and no half-written file left behind."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is (see :func:`terminate`), so that what it was
    writing is cleaned away as after Ctrl-C (files written under temporary names are
    removed) and it exits 143."""


def terminate(signum: int, frame: object) -> None:
    """The command line's SIGTERM handler: raise :class:`Terminated`; a second SIGTERM
    ends the program at once."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    raise Terminated


def handle_signals() -> None:
    """What the command line does with signals, installed before it loads anything:
    SIGTERM raises :class:`Terminated` (:func:`terminate`), and a Ctrl-C or SIGTERM that
    lands where Python swallows exceptions is raised again.

    Python raises the exception of a signal wherever the main thread is. When that is an
    object's ``__del__``, a weakref or garbage-collector callback or an at-fork hook,
    Python prints "Exception ignored" and goes on, and the run would finish as if no one
    had pressed Ctrl-C. Such exceptions go through :data:`sys.unraisablehook`: for a
    Ctrl-C or SIGTERM, the hook here raises it again a moment later (from SIGALRM), in
    the program's own code.
    """
    signal.signal(signal.SIGTERM, terminate)
    previous = sys.unraisablehook
    if getattr(previous, "raises_signals_again", False):
        return

    def again(unraisable: Any) -> None:
        stop = unraisable.exc_value
        if not isinstance(stop, KeyboardInterrupt):
            previous(unraisable)
            return

        def raise_it(signum: int, frame: object) -> None:
            raise stop

        signal.signal(signal.SIGALRM, raise_it)
        signal.setitimer(signal.ITIMER_REAL, 0.01)

    again.raises_signals_again = True  # type: ignore[attr-defined]
    sys.unraisablehook = again
