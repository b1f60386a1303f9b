"""``cleaner rules learn``: what a site repeats across a corpus, as a rule file to review.

The learning pass of a run (:func:`cleaner.engines.run.learn_repeats`) finds the lines
and sentences a site prints in many of its documents. Applied as they are, they stay a
table; written out here, they become drop rules of a proposed rule file, each marked
``REVIEW`` with how often the site printed it and carrying its sample as an example, so
``cleaner rules check`` runs it. A person keeps the template's furniture and deletes
what is article text, and the outlet's boilerplate is then removed on every run, not
only on corpora large enough to learn from.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from cleaner.errors import CleanerError
from cleaner.rules.load import bundled_rules_dir, load_rulebook
from cleaner.rules.repeats import Seen, SiteRepeats, describe

MODELINE = "# yaml-language-server: $schema=rules.schema.json"
_METACHARACTERS = re.compile(r"([.^$*+?()\[\]{}|\\])")
_DIGITS = re.compile(r"\d+")


def literal_pattern(sample: str) -> str:
    """``sample`` as an RE2 pattern for the whole line: literal, but any number where it
    has one (the learned key reads every run of digits alike: 2024 and 2025)."""
    parts = _DIGITS.split(sample)
    escaped = [_METACHARACTERS.sub(r"\\\1", part) for part in parts]
    return r"\d+".join(escaped) + "$"


def rule_id_of(site: str) -> str:
    """A rule file name for a site: ``kabar-contoh.co.id`` → ``kabar-contoh-co-id``."""
    return re.sub(r"[^a-z0-9]+", "-", site.lower()).strip("-") or "site"


def proposal(site: str, table: SiteRepeats, rules_dirs: tuple[Path, ...] = ()) -> str:
    """The YAML of a rule file proposing the site's repeats as drop rules."""
    seen = table.for_site(site)
    if not seen:
        known = ", ".join(table.sites()[:10]) or "none"
        raise CleanerError(f"nothing learned for {site!r} (sites with repeats: {known})")
    owner = _owner(site, rules_dirs)
    domains = [] if owner or site.startswith("outlet:") or "." not in site else [site]
    header = [
        MODELINE,
        f"# Proposed by `cleaner rules learn` for {site}: what it printed in many of its",
        f"# {seen[0].site_docs} documents. REVIEW every rule: keep the template's furniture,",
        "# delete what is article text (a quote or a paragraph many stories share).",
    ]
    if owner:
        header.append(f"# {site} is the outlet {owner!r}: move the rules you keep into its file.")
    body = {
        "name": site,
        "domains": domains,
        "drop_lines": [_rule(i, s, site) for i, s in enumerate(seen, 1)],
    }
    dumped = yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=100)
    return "\n".join(header) + "\n" + dumped


def _rule(number: int, seen: Seen, site: str) -> dict[str, object]:
    return {
        "id": f"learned-{number}",
        "note": f"REVIEW: {describe(seen, site)}",
        "pattern": literal_pattern(seen.sample),
        "examples": [seen.sample],
    }


def _owner(site: str, rules_dirs: tuple[Path, ...]) -> str | None:
    """The outlet whose rule file already claims the site's domain, if one does."""
    if site.startswith("outlet:"):
        return site.removeprefix("outlet:")
    rules = load_rulebook(rules_dirs).for_domain(site) if "." in site else None
    return rules.outlet if rules is not None else None


def write_proposal(
    site: str, table: SiteRepeats, directory: Path, rules_dirs: tuple[Path, ...] = ()
) -> Path:
    """Write :func:`proposal` as ``directory/<site>.yaml``; never into the bundled rules,
    never over an existing file."""
    if directory.resolve() == bundled_rules_dir().resolve():
        raise CleanerError(
            "a proposal goes to a directory of your own (--dir), not the bundled rules"
        )
    path = directory / f"{rule_id_of(site)}.yaml"
    if path.exists():
        raise CleanerError(f"{path} exists already; move it away or pick another --dir")
    text = proposal(site, table, rules_dirs)
    directory.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
