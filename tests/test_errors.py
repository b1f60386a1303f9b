"""The command line's signal handling: a Ctrl-C or SIGTERM that lands where Python
swallows exceptions (an object's ``__del__``) is raised again in the program's code."""

from __future__ import annotations

import gc
import signal
import sys
import time
from collections.abc import Iterator

import pytest

from cleaner.errors import Terminated, handle_signals


@pytest.fixture
def handlers() -> Iterator[None]:
    hook, term = sys.unraisablehook, signal.getsignal(signal.SIGTERM)
    alarm = signal.getsignal(signal.SIGALRM)
    try:
        handle_signals()
        handle_signals()  # twice is once
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        sys.unraisablehook, _ = hook, signal.signal(signal.SIGTERM, term)
        signal.signal(signal.SIGALRM, alarm)


class Swallowed:
    """Raises in ``__del__``, as a signal landing there would."""

    def __init__(self, stop: KeyboardInterrupt) -> None:
        self.stop = stop

    def __del__(self) -> None:
        raise self.stop


@pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX signals")
@pytest.mark.parametrize("stop", [KeyboardInterrupt(), Terminated()])
def test_a_signal_swallowed_in_a_destructor_is_raised_again(
    handlers: None, stop: KeyboardInterrupt
) -> None:
    started = time.monotonic()
    with pytest.raises(type(stop)):
        Swallowed(stop)  # dropped at once: __del__ raises, Python swallows it
        gc.collect()
        time.sleep(5)
    assert time.monotonic() - started < 1


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_other_unraisable_errors_go_to_the_previous_hook(handlers: None) -> None:
    class Broken:
        def __del__(self) -> None:
            raise ValueError("broken destructor")

    Broken()
    gc.collect()
    time.sleep(0.05)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
