"""``python -m cleaner`` and the ``cleaner`` command start here."""

from __future__ import annotations

import sys

from cleaner.errors import Terminated, handle_signals


def main() -> None:
    """Console-script entry point. Loading the program takes most of a second; Ctrl-C or
    SIGTERM in that time end it as they do later: one line, exit 130 or 143, no
    traceback."""
    handle_signals()
    try:
        from cleaner.cli import main as run
    except KeyboardInterrupt as stop:
        terminated = isinstance(stop, Terminated)
        sys.stderr.write(f"cleaner: {'terminated' if terminated else 'interrupted'}\n")
        raise SystemExit(143 if terminated else 130) from None
    run()


if __name__ == "__main__":
    main()
