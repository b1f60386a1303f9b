"""One unit's outcome: what every engine hands back for a document.

Every engine calls :meth:`cleaner.pipeline.Cleaner.clean` on each document (through
:func:`outcome_of`) and turns the result into an :class:`Outcome`: the JSON line to
write plus what the run's summary counts. Workers send outcomes, not objects, back to
the writer, so the output of any number of workers is byte for byte the output of one.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from cleaner.engines.stats import RunStats
from cleaner.io.readers import Unit
from cleaner.models import Article, RawDocument, Reject, Skip
from cleaner.pipeline import Cleaner


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


def outcome_of(unit: Unit, cleaner: Cleaner) -> Outcome:
    """Clean one unit (or pass a reader's reject or skip through)."""
    if isinstance(unit, Skip):
        return Outcome("skip", unit.what, None, None, None, 0)
    size = len(unit.data) if isinstance(unit, RawDocument) else 0
    result = cleaner.clean(unit) if isinstance(unit, RawDocument) else unit
    if isinstance(result, Article):
        hits = result.cleaning.rule_hits
        return Outcome("article", result.model_dump_json(), result.outlet, None, hits, size)
    return Outcome(
        "reject", result.model_dump_json(), result.outlet, result.reason, result.rule_hits, size
    )


def add_outcome(stats: RunStats, outcome: Outcome) -> None:
    """Count one outcome in a run's stats."""
    stats.count(outcome.kind, outcome.outlet, outcome.reason or outcome.line, outcome.rule_hits)


def reject_of(line: str) -> Reject:
    """A reject back from its JSON line (to show it on standard error)."""
    return Reject.model_validate_json(line)
