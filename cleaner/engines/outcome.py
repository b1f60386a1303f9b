"""One unit's outcome: what every engine hands back for a document.

Every engine calls :meth:`cleaner.pipeline.Cleaner.clean` on each document (through
:func:`outcome_of`) and turns the result into an :class:`Outcome`: the JSON line to
write plus what the run's summary counts (and, for a run, the document's candidates for
the samples of removed lines: :mod:`cleaner.engines.samples`). Workers send outcomes,
not objects, back to the writer, so the output of any number of workers is byte for
byte the output of one.

Here too is the time limit on one document (``CleanerConfig.time_limit``,
:func:`within_time_limit`), the one place every engine passes through.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import Literal, NamedTuple, TypeVar

from cleaner.engines.samples import Removal, pick_removals
from cleaner.engines.stats import RunStats
from cleaner.io.readers import Unit
from cleaner.models import Article, RawDocument, Reject, Skip
from cleaner.pipeline import Cleaner, document_id


class Outcome(NamedTuple):
    """One unit's result, as the writer and the summary need it."""

    kind: Literal["article", "reject", "skip"]
    line: str
    """The JSON line to write (for a skip: what was skipped)."""
    outlet: str | None
    reason: str | None
    rule_hits: dict[str, int] | None
    size: int
    """Bytes of input the unit held (for progress)."""
    id: str | None = None
    """An article's id, for the summary to count the ids that repeat."""
    removed: tuple[Removal, ...] = ()
    """At most one line a rule removed per rule that fired, offered to the run's samples
    (:func:`~cleaner.engines.samples.pick_removals`)."""


def outcome_of(unit: Unit, cleaner: Cleaner, *, samples: bool = False) -> Outcome:
    """Clean one unit (or pass a reader's reject or skip through). With ``samples``, the
    outcome also offers a few of the lines the rules removed (:attr:`Outcome.removed`),
    for a run's stats."""
    if isinstance(unit, Skip):
        return Outcome("skip", unit.what, None, None, None, 0)
    if not isinstance(unit, RawDocument):
        result: Article | Reject = unit
        removed: tuple[Removal, ...] = ()
    elif samples:
        result, lines = _clean_with_removals(unit, cleaner)
        removed = pick_removals(lines, unit.source)
    else:
        result, removed = _clean(unit, cleaner), ()
    size = len(unit.data) if isinstance(unit, RawDocument) else 0
    if isinstance(result, Article):
        hits = result.cleaning.rule_hits
        line = result.model_dump_json()
        return Outcome("article", line, result.outlet, None, hits, size, result.id, removed)
    reject = result.model_dump_json()
    return Outcome(
        "reject", reject, result.outlet, result.reason, result.rule_hits, size, None, removed
    )


def add_outcome(stats: RunStats, outcome: Outcome) -> None:
    """Count one outcome in a run's stats."""
    stats.count(
        outcome.kind,
        outcome.outlet,
        outcome.reason or outcome.line,
        outcome.rule_hits,
        doc_id=outcome.id,
    )
    for removal in outcome.removed:
        stats.removals.add(removal)


def reject_of(line: str) -> Reject:
    """A reject back from its JSON line (to show it on standard error)."""
    return Reject.model_validate_json(line)


# -- the time limit ---------------------------------------------------------------------

R = TypeVar("R")


class TooSlow(BaseException):
    """A document's time ran out (raised by the timer signal's handler). A
    BaseException, as KeyboardInterrupt is, so that the ``except Exception`` of
    trafilatura, jusText or :meth:`Cleaner.clean` (which makes an error an
    ``internal_error`` reject) let it through."""


REPEAT_SECONDS = 0.1
"""Once the time is up, the signal comes again every this many CPU seconds, in case the
code it interrupted swallowed the exception (a destructor, a bare ``except``)."""
_armed = False


def _expire(signum: int, frame: FrameType | None) -> None:
    # Never inside within_time_limit's own frame: there the timer is being set or
    # cleared, and an exception would escape its handling (and leave the timer running).
    if _armed and (frame is None or frame.f_code is not within_time_limit.__code__):
        raise TooSlow


def within_time_limit(seconds: float, work: Callable[[], R], on_timeout: Callable[[], R]) -> R:
    """``work()``, or ``on_timeout()`` when it used more than ``seconds`` of CPU time.

    A profiling timer (``ITIMER_PROF``: CPU time, so a loaded machine does not change
    the outcome) raises :class:`TooSlow` from its signal's handler, between two Python
    steps of ``work``: a single long call into C code is noticed when it returns. Python
    handles signals in the main thread only, so elsewhere (Dask's threads), with
    ``seconds`` 0, or when a timer is already running (a profiler's), there is no
    limit. The timer is always cleared, and the previous handler put back."""
    global _armed
    main = threading.current_thread() is threading.main_thread()
    if seconds <= 0 or not main or not hasattr(signal, "setitimer"):
        return work()
    if (
        signal.getitimer(signal.ITIMER_PROF) != (0.0, 0.0)
        or signal.getsignal(signal.SIGPROF) is None
    ):
        return work()  # someone else's timer, or a handler set in C that could not be put back
    try:
        previous = signal.signal(signal.SIGPROF, _expire)
    except ValueError:  # not the main interpreter: no signals here either
        return work()
    try:
        _armed = True
        signal.setitimer(signal.ITIMER_PROF, seconds, REPEAT_SECONDS)
        try:
            return work()
        except TooSlow:
            pass
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        _armed = False
        signal.signal(signal.SIGPROF, previous)
    return on_timeout()  # with the timer cleared


def too_slow(doc: RawDocument, seconds: float) -> Reject:
    """The reject of a document that took more than ``seconds`` to clean."""
    detail = f"cleaning took longer than the {seconds:g} s limit (--time-limit, CPU time)"
    return Reject(source=doc.source, reason="too_slow", detail=detail, id=document_id(doc))


def _clean(doc: RawDocument, cleaner: Cleaner) -> Article | Reject:
    """:meth:`Cleaner.clean` within the configured time limit."""
    limit = cleaner.config.time_limit
    return within_time_limit(limit, lambda: cleaner.clean(doc), lambda: too_slow(doc, limit))


def _clean_with_removals(
    doc: RawDocument, cleaner: Cleaner
) -> tuple[Article | Reject, list[tuple[str, str]]]:
    """:meth:`Cleaner.clean_with_removals` within the configured time limit (a document
    cut off removed nothing)."""
    limit = cleaner.config.time_limit
    return within_time_limit(
        limit, lambda: cleaner.clean_with_removals(doc), lambda: (too_slow(doc, limit), [])
    )
