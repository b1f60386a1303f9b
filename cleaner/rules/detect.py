"""Stage 3: which outlet published a document.

In order: the outlet the user forced (``--outlet``) or the input record named; the outlet whose
domain the document's URL is on; the outlet with the most fingerprints found in the text
(at least its ``min_fingerprints``; ties go to the outlet id that sorts first, so the
choice is deterministic). A document no rule file claims gets the generic rules only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from cleaner.rules.compile import OutletRules, Rulebook

Method = Literal["forced", "input", "url", "fingerprint"]
"""``forced``: ``--outlet``; ``input``: the input record's ``outlet`` field."""


@dataclass(frozen=True, slots=True)
class Detection:
    """The outlet chosen for a document, and why."""

    rules: OutletRules | None
    method: Method | None = None
    evidence: tuple[str, ...] = ()
    """The domain, or the fingerprint patterns that were found."""

    @property
    def outlet(self) -> str | None:
        return self.rules.outlet if self.rules else None


UNKNOWN = Detection(None)
_HOSTNAME = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+\.?")


def host_of(url: str) -> str | None:
    """The hostname of ``url``, or ``None`` when it has none."""
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:
        return None
    if not host or not _HOSTNAME.fullmatch(host):
        return None
    return host


def detect(
    text: str,
    url: str | None,
    rulebook: Rulebook,
    forced: str | None = None,
    forced_by: Method = "forced",
) -> Detection:
    """Choose the outlet rules for one document."""
    if forced is not None:
        return Detection(rulebook.outlets[forced], forced_by, (forced,))
    if url and (host := host_of(url)):
        rules = rulebook.for_domain(host)
        if rules is not None:
            return Detection(rules, "url", (host,))
    patterns, owners = rulebook.fingerprints
    found: dict[str, list[str]] = {}
    for index in sorted(patterns.matches(text.encode("utf-8", "surrogatepass"))):
        rules, pattern = owners[index]
        found.setdefault(rules.outlet, []).append(pattern)
    best: Detection = UNKNOWN
    best_score = 0
    for outlet, evidence in sorted(found.items()):
        rules = rulebook.outlets[outlet]
        if len(evidence) >= rules.min_fingerprints and len(evidence) > best_score:
            best, best_score = Detection(rules, "fingerprint", tuple(evidence)), len(evidence)
    return best
