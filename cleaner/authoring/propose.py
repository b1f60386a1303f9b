"""Rules proposed from one page of a new outlet (``cleaner rules new --from``), each
shown to act on the page.

The page goes through the pipeline as a page of the outlet whose rule file is still
empty: extracted with the settings it will have, cleaned by the rules for every document
only (the lexicon and the generic file). What those leave that looks like a template's
furniture becomes a proposal, written as a *class* of lines, never the one line the page
printed: the head of the page (:mod:`cleaner.authoring.leadin`: the lead-in, the date
line, the headline) and its furniture (:mod:`cleaner.authoring.furniture`: bylines,
sign-offs, related links, copyright lines, share bars, promos).

Each proposal carries an example made from its sample line (and counter-examples of
article text it must leave alone), and is kept only when, run alone as ``cleaner rules
check`` runs examples, it acts on that line and leaves the counter-examples; all the
proposals are then applied to the page together, and one that no longer acts on its
line there is left out too. What was left out is said, so the rule file can say it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from cleaner.authoring.furniture import credits, fixed_lines, initials, related
from cleaner.authoring.leadin import Brands, date_line, lead_in, title
from cleaner.authoring.proposal import Proposal, Proposals
from cleaner.config import CleanerConfig
from cleaner.errors import CleanerError
from cleaner.models import RawDocument
from cleaner.pipeline import Cleaner
from cleaner.rules.compile import Rulebook, compile_rules
from cleaner.rules.document import Line
from cleaner.rules.examples import ExampleCase, failures, outcome
from cleaner.rules.load import load_rulebook
from cleaner.rules.schema import RuleFile
from cleaner.text.dates import ZONES


def generic_rulebook() -> Rulebook:
    """The bundled rules for every document, without any outlet's own: what a page of an
    outlet nobody wrote rules for goes through."""
    book = load_rulebook()
    return Rulebook(outlets={}, generic=book.generic, lexicon=book.lexicon)


def propose(
    doc: RawDocument, name: str, domains: Sequence[str], base: Rulebook | None = None
) -> Proposals:
    """Rules for the outlet ``name`` proposed from one of its pages, each checked on it.

    The page is cleaned as one of the outlet's with a rule file still empty: it is
    extracted with the settings it will have once the file exists, and only the rules for
    every document act on it."""
    base = base or generic_rulebook()
    found = Proposals()
    path = Path(f"{name}.yaml")
    claimed = CleanerConfig(outlet=name)
    trace = Cleaner(claimed, _with_outlet(base, found, name, domains, path)).trace(doc)
    if trace.cleaned is None:
        return found
    lines = trace.cleaned.lines
    brands = Brands(name, domains)
    lead = lead_in(lines, brands, found)
    credits(lines, found)
    date_line(lines, found)
    initials(lines, found)
    related(lines, found)
    fixed_lines(lines, brands, found)
    title(lines, lead, found)
    _settle(doc, name, domains, base, found)
    shared = tuple(f"{rules.outlet}/" for rules in base.everywhere)
    samples = {p.sample for p in found.rules}
    for line in lines:
        if (line.removed_by or "").startswith(shared) and line.original not in samples:
            found.covered[line.removed_by or ""] += 1
    return found


# --- every proposal acts on its own sample ---------------------------------------------


def _settle(
    doc: RawDocument, name: str, domains: Sequence[str], base: Rulebook, found: Proposals
) -> None:
    """Keep the proposals that act on their own sample: each alone on its examples (as
    ``cleaner rules check`` runs them) and on the sample line; then all of them together
    on the page, until every one left acts there. Set whether the page is recognised."""
    path = Path(f"{name}.yaml")
    kept: list[Proposal] = []
    for proposal in found.rules:
        why = _fails_alone(proposal, name, path)
        if why is None:
            kept.append(proposal)
        else:
            found.dropped.append((proposal.section, _dropped(proposal, why)))
    found.rules = kept
    for _ in range(len(kept) + 1):
        ids = {p.id for p in found.rules}
        missed = [p for p in found.rules if dict(p.keys).get("relative_to", p.id) not in ids]
        if not missed:
            book = _with_outlet(base, found, name, domains, path)
            cleaned = Cleaner(CleanerConfig(outlet=name), book).trace(doc).cleaned
            acted = _acted(cleaned.lines if cleaned else [], name)
            missed = [p for p in found.rules if p.sample not in acted.get(p.id, ())]
        if not missed:
            break
        for proposal in missed:
            found.rules.remove(proposal)
            found.dropped.append(
                (proposal.section, _dropped(proposal, "on the page, it did not act on that line"))
            )
    book = _with_outlet(base, found, name, domains, path)
    detected = Cleaner(CleanerConfig(), book).trace(doc).prepared
    found.recognised = detected is not None and detected.detection.outlet == name


def _acted(lines: list[Line], name: str) -> dict[str, set[str]]:
    """Per rule id of the outlet ``name``, the lines (as the page printed them) it
    removed or cut."""
    acted: dict[str, set[str]] = {}
    prefix = f"{name}/"
    for line in lines:
        rules = [line.removed_by or "", *(rule for rule, _ in line.stripped)]
        for rule in rules:
            if rule.startswith(prefix):
                acted.setdefault(rule.removeprefix(prefix), set()).add(line.original)
    return acted


def _fails_alone(proposal: Proposal, name: str, path: Path) -> str | None:
    """Why ``proposal`` fails on its own: an example or counter-example it gets wrong, or
    its sample line left as it was; ``None`` when it holds."""
    if proposal.keys and dict(proposal.keys).get("relative_to"):
        return None  # only the page itself can show it (checked with the others)
    try:
        spec = RuleFile.model_validate({"name": name, proposal.section: [proposal.as_rule()]})
        problems = [message for _, message in failures(spec, path, ZONES["WIB"])]
        case = ExampleCase(
            f"{name}/{proposal.id}", (proposal.section, 0, "examples", 0), proposal.sample, None
        )
        if outcome(spec, path, case, ZONES["WIB"]) == proposal.sample:
            problems.append("it did not act on that line")
    except (ValidationError, CleanerError) as exc:
        return f"not a valid rule ({str(exc).splitlines()[0]})"
    return problems[0] if problems else None


def _with_outlet(
    base: Rulebook, found: Proposals, name: str, domains: Sequence[str], path: Path
) -> Rulebook:
    """``base`` with the proposals as the rule file of the outlet ``name``."""
    spec = RuleFile.model_validate(found.rule_file(name, domains))
    rules = compile_rules(spec, path, {}, bundled=False)
    index = {**base.domain_index, **dict.fromkeys(rules.domains, name)}
    return Rulebook({**base.outlets, name: rules}, base.generic, index, base.lexicon)


def _dropped(proposal: Proposal, why: str) -> str:
    sample = proposal.sample if len(proposal.sample) <= 60 else proposal.sample[:57] + "..."
    return f"{proposal.kind} from the sample's line {sample!r}: {why}"
