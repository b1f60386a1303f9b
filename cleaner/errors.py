"""Expected errors.

Everything a user can cause (a bad rule file, a missing input, an unknown outlet name)
raises a :class:`CleanerError`. The command line prints its one-line message and exits
with :attr:`CleanerError.exit_code`; it never shows a traceback for these.
"""

from __future__ import annotations

import signal


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
