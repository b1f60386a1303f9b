"""``python -m cleaner`` and the ``cleaner`` command start here."""

from __future__ import annotations

import contextlib
import os
import sys

from cleaner.errors import Terminated, handle_signals

_STOPPED = (130, 143)
"""The exit codes of a run stopped by Ctrl-C or SIGTERM."""


def main() -> None:
    """Console-script entry point. Loading the program takes most of a second; Ctrl-C or
    SIGTERM in that time end it as they do later: one line, exit 130 or 143, no
    traceback.

    A stopped run leaves through ``os._exit`` once it has said so and cleaned up: when a
    Ctrl-C lands in code a C extension runs through ``PyRun_*`` (at import, most often),
    CPython marks the interrupt as unhandled even though the program handled it, and
    would end the process with SIGINT itself (exit status -2) instead of 130.
    """
    handle_signals()
    try:
        from cleaner.cli import main as run

        run()
    except KeyboardInterrupt as stop:  # while loading, before a command handles it
        terminated = isinstance(stop, Terminated)
        sys.stderr.write(f"cleaner: {'terminated' if terminated else 'interrupted'}\n")
        _leave(143 if terminated else 130)
    except SystemExit as done:
        if done.code in _STOPPED:
            _leave(int(done.code))
        raise


def _leave(code: int) -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
