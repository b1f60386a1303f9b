"""Stage 3: which outlet published a document, on evidence.

In order: the outlet the user forced (``--outlet``) or the input record named; the outlet
whose domain the document's URL is on, or the input's domain field; for an HTML page,
the outlet its ``<head>`` names as its own site (feeds, AMP and short links, icons: see
:func:`cleaner.text.html.self_links`); else the weight of the signs found anywhere in the
text (:attr:`Rulebook.signs`): each outlet's fingerprints, and the generic file's
evidence patterns naming it by its brands (a copyright line, a lead-in, a channel promo).
An outlet is chosen only when its signs weigh :data:`CLAIM` or more and :data:`MARGIN`
more than any other outlet's: applying a wrong outlet's rules does more harm than
applying none, so an unclear case gets the generic rules, and its evidence is kept for
``cleaner explain``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from cleaner.models import DetectionMethod as Method
from cleaner.rules.compile import OutletRules, Rulebook
from cleaner.rules.patterns import compile_pattern

CLAIM = 1.0
"""What the signs of an outlet must weigh to claim a document."""
MARGIN = 0.5
"""How much more than the next outlet's they must weigh."""


@dataclass(frozen=True, slots=True)
class Detection:
    """The outlet chosen for a document, and why."""

    rules: OutletRules | None
    method: Method | None = None
    evidence: tuple[str, ...] = ()
    """The domain, or each sign found, as ``kind (weight): pattern``; when no outlet is
    chosen, the signs of the two that came closest, as ``outlet: kind (weight): pattern``."""
    score: float = 0.0
    """What the signs weigh (1 for a domain or a forced outlet)."""

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
    domain: str | None = None,
    markup: Iterable[str] = (),
) -> Detection:
    """Choose the outlet rules for one document; ``markup``: the URLs an HTML page's
    head gives for its own site (:func:`cleaner.text.html.self_links`)."""
    if forced is not None:
        return Detection(rulebook.outlets[forced], forced_by, (forced,), 1.0)
    for method, where in (("url", url), ("domain", domain)):
        if where and (host := host_of(where)):
            rules = rulebook.for_domain(host)
            if rules is not None:
                return Detection(rules, method, (host,), 1.0)  # type: ignore[arg-type]
    if (named := _named_by_markup(markup, rulebook)) is not None:
        return named
    patterns, signs = rulebook.signs
    data = text.encode("utf-8", "surrogatepass")
    found: list[tuple[int, tuple[int, int]]] = []  # the signs present, and where
    for i in patterns.candidates(data):  # the prefilter's few, each searched once
        if (required := signs[i].required) and not compile_pattern(f"(?m){required}").search(data):
            continue  # it cannot match: what all its matches hold is not there
        match = compile_pattern(f"(?m){signs[i].searched}").search(data)
        if match:
            found.append((i, (match.start(), match.end())))
    found.sort(key=lambda f: (signs[f[0]].rules.outlet, -signs[f[0]].weight, f[0]))
    scores: dict[str, float] = {}
    evidence: dict[str, list[str]] = {}
    taken: dict[str, list[tuple[int, int]]] = {}
    for i, span in found:  # per outlet, heaviest first (then in the rule files' order)
        sign = signs[i]
        outlet = sign.rules.outlet
        if any(a < span[1] and span[0] < b for a, b in taken.get(outlet, ())):
            continue  # the same words as a sign already counted (one lead-in, two patterns)
        taken.setdefault(outlet, []).append(span)
        scores[outlet] = scores.get(outlet, 0.0) + sign.weight
        evidence.setdefault(outlet, []).append(f"{sign.kind} ({sign.weight:g}): {sign.pattern}")
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    if not ranked:
        return UNKNOWN
    outlet, score = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if score >= CLAIM and score - runner_up >= MARGIN:
        return Detection(rulebook.outlets[outlet], "fingerprint", tuple(evidence[outlet]), score)
    close = tuple(f"{name}: {e}" for name, _ in ranked[:2] for e in evidence[name])
    return Detection(None, None, close, score)


def _named_by_markup(links: Iterable[str], rulebook: Rulebook) -> Detection | None:
    """The outlet whose domains the page's links to its own site are on, when they name
    exactly one: a page that names two (a syndicated story, a network's shared feed) is
    left to its text. One link is enough, as one canonical link is for ``url``."""
    hosts: dict[str, set[str]] = {}
    for link in links:
        if (host := host_of(link)) and (rules := rulebook.for_domain(host)) is not None:
            hosts.setdefault(rules.outlet, set()).add(host)
    if len(hosts) != 1:
        return None
    [(outlet, named)] = hosts.items()
    return Detection(rulebook.outlets[outlet], "markup", tuple(sorted(named)), 1.0)
