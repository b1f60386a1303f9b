"""Fixed-bin histograms of the articles' signals, for ``cleaner report``.

A corpus builder picks thresholds (``--quality``, or a ``jq`` filter afterwards) from how
a signal is spread over the corpus, so the report shows each signal's distribution. The
bins are fixed per signal (:data:`SIGNAL_BINS`), chosen where the values of news text
fall and fine enough near the published thresholds, so that a histogram is a few dozen
counters however many articles there are, and two corpora's histograms line up. The
first and last bins also hold what lies beyond them. Quantiles are read off the
histogram (interpolated within a bin): exact to a bin's width, which is all a threshold
needs.
"""

from __future__ import annotations

import html
import math
from array import array
from typing import Any

import numpy as np
from pydantic import BaseModel

SIGNAL_BINS: dict[str, tuple[float, float, int, bool]] = {
    "word_count": (1, 1e6, 60, True),
    "language_score": (0, 1, 40, False),
    "stopword_ratio": (0, 1, 40, False),
    "duplicate_line_fraction": (0, 1, 40, False),
    "top_ngram_share.2": (0, 0.4, 40, False),
    "top_ngram_share.3": (0, 0.4, 40, False),
    "top_ngram_share.4": (0, 0.4, 40, False),
    "punctuated_line_share": (0, 1, 40, False),
    "mean_word_length": (2, 12, 40, False),
    "alpha_word_share": (0.5, 1, 40, False),
    "newline_ratio": (0, 0.4, 40, False),
}
"""Per signal: the low and high ends, the number of bins and whether they are spaced on a
log scale (word counts run from a handful to tens of thousands: ten bins a decade)."""

QUANTILES = (0.05, 0.5, 0.95)


class Histogram(BaseModel):
    """Counts of values in fixed bins between ``lo`` and ``hi``."""

    lo: float
    hi: float
    log: bool = False
    counts: list[int]

    @classmethod
    def for_signal(cls, name: str) -> Histogram:
        lo, hi, bins, log = SIGNAL_BINS[name]
        return cls(lo=lo, hi=hi, log=log, counts=[0] * bins)

    @property
    def total(self) -> int:
        return sum(self.counts)

    def ends(self) -> tuple[float, float]:
        """``lo`` and ``hi`` on the scale the bins are even on (their log for a log
        histogram)."""
        return (math.log10(self.lo), math.log10(self.hi)) if self.log else (self.lo, self.hi)

    def position(self, value: float) -> float:
        """Where ``value`` falls, in bins from ``lo``."""
        low, high = self.ends()
        if self.log:
            value = math.log10(value) if value > 0 else low
        return (value - low) / (high - low) * len(self.counts)

    def value_at(self, position: float) -> float:
        """The value at ``position`` (in bins from ``lo``): :meth:`position` undone."""
        low, high = self.ends()
        value = low + position / len(self.counts) * (high - low)
        return float(10**value) if self.log else value

    def edge(self, i: int) -> float:
        """The lower edge of bin ``i`` (``i`` = the number of bins: ``hi``)."""
        return self.value_at(i)

    def add(self, value: float) -> None:
        at = int(self.position(value))
        self.counts[min(max(at, 0), len(self.counts) - 1)] += 1

    def quantile(self, p: float) -> float | None:
        """The value below which a share ``p`` of the counts lie, interpolated within its
        bin (on the log scale for a log histogram); ``None`` when empty."""
        total = self.total
        if not total:
            return None
        target, seen = p * total, 0
        for i, count in enumerate(self.counts):
            if count and seen + count >= target:
                return self.value_at(i + (target - seen) / count)
            seen += count
        return self.hi

    def span(self) -> tuple[int, int]:
        """The first bin that holds a value and the one after the last (0, 0: none)."""
        held = [i for i, count in enumerate(self.counts) if count]
        return (held[0], held[-1] + 1) if held else (0, 0)


class SignalTally:
    """Bins the signals of every article as the corpus streams by, into
    :meth:`Histogram.add`'s bins. It runs a dozen times an article, so values wait in
    arrays (those of :data:`BATCH` articles at most) and are binned with NumPy a batch
    at a time."""

    BATCH = 1 << 16

    def __init__(self) -> None:
        self._histograms = {name: Histogram.for_signal(name) for name in SIGNAL_BINS}
        self._pending = {name: array("d") for name in SIGNAL_BINS}
        self._held = 0

    def add(self, record: dict[str, Any]) -> None:
        """Count the values of :data:`SIGNAL_BINS` an article's record holds (its
        ``signals`` are null with ``--no-signals``: then its word count alone)."""
        pending = self._pending
        for name in ("word_count", "language_score"):
            value = record.get(name)
            if isinstance(value, int | float):
                pending[name].append(value)
        signals = record.get("signals")
        if isinstance(signals, dict):
            for name, value in signals.items():
                if isinstance(value, dict):  # top_ngram_share: per n
                    for n, share in value.items():
                        if isinstance(share, int | float) and (key := f"{name}.{n}") in pending:
                            pending[key].append(share)
                elif isinstance(value, int | float) and name in pending:
                    pending[name].append(value)
        self._held += 1
        if self._held >= self.BATCH:
            self._settle()

    def _settle(self) -> None:
        """Bin the values waiting, as :meth:`Histogram.add` would one by one."""
        for name, values in self._pending.items():
            if not values:
                continue
            histogram = self._histograms[name]
            low, high = histogram.ends()
            bins = len(histogram.counts)
            data = np.frombuffer(values, dtype=np.float64)
            if histogram.log:
                data = np.log10(data, out=np.full_like(data, low), where=data > 0)
            place = np.clip((data - low) / (high - low) * bins, 0, bins - 1).astype(np.int64)
            counts = np.bincount(place, minlength=bins) + np.array(histogram.counts)
            histogram.counts = counts.tolist()
            self._pending[name] = array("d")
        self._held = 0

    def histograms(self) -> dict[str, Histogram]:
        self._settle()
        return {name: h.model_copy(deep=True) for name, h in self._histograms.items()}


def show(name: str, value: float) -> str:
    """A signal's value for people: a count as a whole number, a share to 3 places."""
    if name == "word_count":
        return f"{round(value):,}"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


SPARKS = " ▁▂▃▄▅▆▇█"


def sparkbar(histogram: Histogram, width: int = 24) -> tuple[str, float, float]:
    """The bins that hold values as a line of block characters (adjacent bins added up
    to fit ``width``), and the range it covers. A bin that holds anything shows, however
    small."""
    start, end = histogram.span()
    if start == end:
        return "", histogram.lo, histogram.hi
    step = math.ceil((end - start) / width)
    groups = [sum(histogram.counts[i : i + step]) for i in range(start, end, step)]
    top = max(groups)
    bars = "".join(
        SPARKS[max(1, round(count / top * (len(SPARKS) - 1)))] if count else SPARKS[0]
        for count in groups
    )
    return bars, histogram.edge(start), histogram.edge(min(start + step * len(groups), end))


def svg_chart(name: str, histogram: Histogram) -> str:
    """The bins that hold values as an SVG column chart, with the p5, p50 and p95 marked
    (a line each) and the range written under it."""
    width, height, pad = 380, 90, 16
    start, end = histogram.span()
    if start == end:
        return "<p>(none)</p>"
    top = max(histogram.counts) or 1
    column = width / (end - start)
    bars = []
    for i in range(start, end):
        count = histogram.counts[i]
        if not count:
            continue
        tall = max(1.0, height * count / top)
        low, high = show(name, histogram.edge(i)), show(name, histogram.edge(i + 1))
        bars.append(
            f'<rect x="{(i - start) * column:.1f}" y="{height - tall:.1f}" '
            f'width="{max(column - 1, 1):.1f}" height="{tall:.1f}">'
            f"<title>{low} to {high}: {count:,}</title></rect>"
        )
    marks = []
    for p in QUANTILES:
        value = histogram.quantile(p)
        assert value is not None
        x = (histogram.position(value) - start) * column
        label = f"p{round(p * 100)} {show(name, value)}"
        marks.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="0" y2="{height}"><title>{label}</title></line>'
        )
    first, last = show(name, histogram.edge(start)), show(name, histogram.edge(end))
    axis = (
        f'<text x="0" y="{height + pad - 3}">{html.escape(first)}</text>'
        f'<text x="{width}" y="{height + pad - 3}" text-anchor="end">{html.escape(last)}</text>'
    )
    return (
        f'<svg class="histogram" width="{width}" height="{height + pad}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(bars)}{"".join(marks)}{axis}</svg>'
    )
