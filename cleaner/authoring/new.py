"""``cleaner rules new``: a commented rule file for a new outlet and a first fixture.

With a sample page, :mod:`cleaner.authoring.propose` reads it as the rules will and
proposes classes of lines (related links, credits, the lead-in, copyright lines, share
bars, promos), each marked ``REVIEW`` with the sample line it was made from and carrying
that line as an example, so ``cleaner rules check`` runs it. The file is written so that
it passes ``rules check`` as it stands.
"""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from pathlib import Path

from cleaner.authoring.proposal import Proposal, Proposals
from cleaner.authoring.propose import propose
from cleaner.errors import RuleFileError
from cleaner.io.formats import resolved
from cleaner.io.sources import read_units
from cleaner.models import RawDocument

SCHEMA_FILE = "rules.schema.json"
MODELINE = f"# yaml-language-server: $schema={SCHEMA_FILE}"


def scaffold(
    name: str,
    domains: list[str],
    rules_dir: Path,
    fixtures_root: Path,
    sample: Path | None = None,
) -> list[Path]:
    """Write ``rules_dir/NAME.yaml`` and ``fixtures_root/NAME/``; return the paths written.

    With a ``sample``, the rules proposed from it (:func:`cleaner.authoring.propose.propose`)
    are written marked ``REVIEW``, and the sample becomes the fixture; without one, the
    fixture is a made-up article signed by the outlet.
    """
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", name):
        raise RuleFileError(name, None, "an outlet id is lower case: a-z, 0-9, - and _")
    rule_path = rules_dir / f"{name}.yaml"
    case_dir = fixtures_root / name
    doc = _first_document(sample) if sample is not None else None
    proposals = propose(doc, name, domains) if doc is not None else Proposals()
    fixture = _fixture(sample, doc, proposals, name, domains)
    target = case_dir / fixture[0]
    for path in (rule_path, target):
        if path.is_symlink():  # dangling or not: writing would land wherever it points
            raise RuleFileError(str(path), None, "is a symbolic link; refusing to write through it")
    if rule_path.exists():
        raise RuleFileError(str(rule_path), None, "already exists; edit it instead")
    rules_dir.mkdir(parents=True, exist_ok=True)
    try:
        # "x" (O_EXCL): never through a link, nor over a file made in the meantime
        with rule_path.open("x", encoding="utf-8") as out:
            out.write(_template(name, domains, proposals))
    except FileExistsError:
        raise RuleFileError(str(rule_path), None, "already exists; edit it instead") from None
    written = [rule_path]
    case_dir.mkdir(parents=True, exist_ok=True)
    if isinstance(fixture[1], Path):
        shutil.copyfile(fixture[1], target)
    else:
        target.write_text(fixture[1], encoding="utf-8")
    written.append(target)
    return written


def _fixture(
    sample: Path | None,
    doc: RawDocument | None,
    proposals: Proposals,
    name: str,
    domains: list[str],
) -> tuple[str, Path | str]:
    """The fixture's file name and what it holds: the sample as it is (a file to copy);
    when nothing in the sample names the outlet, the sample as a JSONL record with a URL
    on the outlet's domain, as a crawl would give it, so that ``rules check`` finds the
    outlet's page; without a sample, a made-up article signed by the outlet."""
    if sample is None or doc is None:
        return "example.txt", _example(name, domains)
    if proposals.recognised or not domains or sample.name.endswith((".jsonl", ".warc")):
        return sample.name, sample
    return sample.name.split(".")[0] + ".jsonl", _as_record(doc, domains[0])


def _first_document(sample: Path) -> RawDocument:
    """The first document of ``sample``, which the proposals are learned from."""
    doc = next((u for u in read_units([str(sample)]) if isinstance(u, RawDocument)), None)
    if doc is None:
        raise RuleFileError(str(sample), None, "holds no document to learn from")
    return doc


def _as_record(doc: RawDocument, domain: str) -> str:
    """``doc`` as one JSONL record with a URL on ``domain`` (a made-up path)."""
    data = doc.data if isinstance(doc.data, str) else doc.data.decode("utf-8", "replace")
    key = "html" if resolved(doc).kind == "html" else "text"
    record = {"url": f"https://{domain}/contoh-halaman", key: data}
    return json.dumps(record, ensure_ascii=False) + "\n"


def _yaml(text: str) -> str:
    """``text`` as a single-quoted YAML scalar (a pattern's backslashes stay as written)."""
    return "'" + text.replace("'", "''") + "'"


def _shown(text: str, width: int = 50) -> str:
    """A sample line in a comment: one line, cut short."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def _rule(proposal: Proposal) -> str:
    """One proposed rule as a YAML list item, marked REVIEW with its class and sample."""
    rule = proposal.as_rule()
    out = [
        f"  - id: {rule.pop('id')}  # REVIEW: {proposal.kind}, from the sample's line "
        f"'{_shown(proposal.sample)}'"
    ]
    for key, value in rule.items():
        if isinstance(value, list):
            out.append(f"    {key}:")
            for item in value:
                if isinstance(item, dict):
                    out.append(f"      - text: {_yaml(item['text'])}")
                    out.append(f"        rest: {_yaml(item['rest'])}")
                else:
                    out.append(f"      - {_yaml(item)}")
        elif isinstance(value, str):
            out.append(f"    {key}: {_yaml(value)}")
        else:
            out.append(f"    {key}: {str(value).lower() if isinstance(value, bool) else value}")
    return "\n".join(out)


def _section(proposals: Proposals, section: str, placeholder: str) -> str:
    """A section's proposed rules, or its commented placeholder, then what was dropped."""
    rules = [_rule(p) for p in proposals.section(section)]
    dropped = [
        f"  # not proposed: {_shown(why, 200)}"
        for where, why in proposals.dropped
        if where == section
    ]
    return "\n".join(rules or [placeholder]) + "".join(f"\n{line}" for line in dropped)


def _covered(proposals: Proposals) -> str:
    """A comment naming the rules for every document that already remove lines of the
    sample: nothing to write for those."""
    if not proposals.covered:
        return ""
    named = ", ".join(
        f"{rule} ({count} line{'s' if count > 1 else ''})"
        for rule, count in sorted(proposals.covered.items())
    )
    return "\n".join(
        f"  # {line}"
        for line in textwrap.wrap(
            f"Nothing proposed for what the rules for every document remove already: {named}.",
            86,
            break_on_hyphens=False,
        )
    )


_FIELD_PLACEHOLDERS = """\
  # - id: date
  #   within: 4
  #   pattern: '(?P<published_at>\\w+, \\d{1,2} \\w+ \\d{4} \\d{1,2}:\\d{2} WIB)$'
  # - id: title
  #   relative_to: date
  #   offset: -1
  #   pattern: '(?P<title>.{5,250})$'
"""
"""What a rule file's fields may look like, for a file no page proposed any for."""


def _template(name: str, domains: list[str], proposals: Proposals) -> str:
    domain_list = ", ".join(domains)
    brands = (
        f"brands: [{', '.join(_yaml(b) for b in proposals.brands)}]  # REVIEW: as the sample's "
        "lead-in names the outlet\n"
        if proposals.brands
        else ""
    )
    fingerprints = [
        f"  - {_yaml(f)}  # REVIEW: the sample's lead-in" for f in proposals.fingerprints
    ] or ["  # - '^KABAR\\.ID, '   # text that only this outlet's pages carry"]
    if not proposals.recognised:
        fingerprints.append(
            "  # REVIEW: nothing here tells the sample is this outlet's page (no URL on one "
            "of\n  # the domains, no lead-in naming the outlet): the fixture is the sample as a "
            "JSONL\n  # record with a URL on the domain; add a fingerprint to recognise such "
            "pages without one"
        )
    strip = _section(
        proposals,
        "strip_prefixes",
        "  # - id: lead-in\n  #   within: 4\n  #   pattern: 'KABAR\\.ID, (?P<dateline>[A-Z]+) - '",
    )
    fields = "".join(f"{_rule(p)}\n" for p in proposals.section("fields"))
    fields += "".join(
        f"  # not proposed: {_shown(why, 200)}\n"
        for where, why in proposals.dropped
        if where == "fields"
    )
    suffixes = (
        f"\nstrip_suffixes:\n{_section(proposals, 'strip_suffixes', '')}\n"
        if proposals.section("strip_suffixes")
        else ""
    )
    drops = _section(
        proposals, "drop_lines", "  # - id: share-bar\n  #   pattern: 'Bagikan artikel ini$'"
    )
    covered = _covered(proposals)
    return f"""{MODELINE}
# {name}: rules for the outlet's pages. Every key is documented in docs/rules.md.
# Lines marked REVIEW were proposed by `cleaner rules new`: keep, edit or delete each.
name: {name.title()}
domains: [{domain_list}]
{brands}
fingerprints:
{chr(10).join(fingerprints)}

strip_prefixes:
{strip}

fields:
{fields}{_FIELD_PLACEHOLDERS if not proposals.section("fields") else ""}{suffixes}
drop_lines:
{covered + chr(10) if covered else ""}{drops}
"""


def _example(name: str, domains: list[str]) -> str:
    """A made-up article signed by the outlet (its copyright line names its domain, or
    its name): cleaned, it is recognised as the outlet and becomes an article, so the
    scaffold passes ``rules check`` as written. Replace it with a page in the outlet's
    template."""
    brand = domains[0] if domains else name.title()
    return f"""Warga kota memadati taman pada Minggu pagi untuk lomba lari
Jakarta - Ribuan warga memadati taman kota pada Minggu pagi untuk mengikuti lomba lari
yang digelar pemerintah kota bersama sejumlah komunitas olahraga setempat.
Panitia mencatat lebih dari seribu peserta dari berbagai kelompok umur, mulai dari
pelajar sekolah dasar hingga para pensiunan yang datang bersama keluarga mereka.
"Kami ingin warga hidup lebih sehat dan saling mengenal," kata ketua panitia kepada
wartawan seusai acara.
Lomba serupa akan digelar lagi tahun depan dengan rute yang lebih panjang.
Copyright © 2026 {brand}
"""
