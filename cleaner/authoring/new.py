"""``cleaner rules new``: a commented rule file for a new outlet and a first fixture.

With a sample page, the rules for every document (lexicon, generic) are run on it, and
what they remove and the page's lead-in become proposed rules marked ``REVIEW``.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from cleaner.errors import RuleFileError
from cleaner.io.sources import read_units
from cleaner.models import RawDocument
from cleaner.pipeline import Cleaner
from cleaner.rules.schema import EVERY_DOCUMENT

SCHEMA_FILE = "rules.schema.json"
MODELINE = f"# yaml-language-server: $schema={SCHEMA_FILE}"


_LEAD_IN = re.compile(
    r"^(?P<name>[A-Za-z][\w-]*(?:\.[A-Za-z]{2,})+)(?:\s*,\s*[A-Z][A-Za-z .]{1,30}?)?"
    r"\s*(?:--|-|–|—)\s+\S"
)


def scaffold(
    name: str,
    domains: list[str],
    rules_dir: Path,
    fixtures_root: Path,
    sample: Path | None = None,
) -> list[Path]:
    """Write ``rules_dir/NAME.yaml`` and ``fixtures_root/NAME/``; return the paths written.

    With a ``sample``, the lexicon and generic rules are run on it: each line they remove becomes a
    proposed drop rule marked ``REVIEW``, and a lead-in such as ``Kabar.id, JAKARTA - ``
    becomes a proposed fingerprint and strip rule.
    """
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", name):
        raise RuleFileError(name, None, "an outlet id is lower case: a-z, 0-9, - and _")
    rule_path = rules_dir / f"{name}.yaml"
    case_dir = fixtures_root / name
    target = case_dir / (sample.name if sample is not None else "example.txt")
    for path in (rule_path, target):
        if path.is_symlink():  # dangling or not: writing would land wherever it points
            raise RuleFileError(str(path), None, "is a symbolic link; refusing to write through it")
    if rule_path.exists():
        raise RuleFileError(str(rule_path), None, "already exists; edit it instead")
    proposals = _proposals(sample) if sample is not None else Proposals([], [], None)
    rules_dir.mkdir(parents=True, exist_ok=True)
    try:
        # "x" (O_EXCL): never through a link, nor over a file made in the meantime
        with rule_path.open("x", encoding="utf-8") as out:
            out.write(_template(name, domains, proposals))
    except FileExistsError:
        raise RuleFileError(str(rule_path), None, "already exists; edit it instead") from None
    written = [rule_path]
    case_dir.mkdir(parents=True, exist_ok=True)
    if sample is not None:
        shutil.copyfile(sample, target)
    else:
        target.write_text(_example(name, domains), encoding="utf-8")
    written.append(target)
    return written


_CREDIT = re.compile(
    r"^(?P<role>Penulis|Reporter|Wartawan|Oleh|Kontributor|Laporan)\s*(?P<colon>:)?\s+\S"
)
_WIDGET = re.compile(
    r"^(?P<word>Editor|Redaktur|Penyunting|Bagikan|Share|Tags?|Topik|Kata [Kk]unci|Sumber)"
    r"\s*[:|]"
)
# Generic rules that read the document, not a fixed line: a copy of what they removed
# would make no sense as an outlet rule.
_CONTEXTUAL = ("generic/title-echo", "generic/headline", "generic/dateline")


@dataclass
class Proposals:
    """What ``cleaner rules new --from`` proposes, as YAML list items per section."""

    fields: list[str]
    drop_lines: list[str]
    lead_in: str | None


def _proposals(sample: Path) -> Proposals:
    cleaner = Cleaner()
    doc = next((u for u in read_units([str(sample)]) if isinstance(u, RawDocument)), None)
    if doc is None:
        raise RuleFileError(str(sample), None, "holds no document to learn from")
    trace = cleaner.trace(doc)
    found = Proposals([], [], None)
    if trace.cleaned is None:
        return found
    seen: set[str] = set()
    for line in trace.cleaned.lines:
        text = line.original
        if text in seen or len(text) > 120:
            continue
        seen.add(text)
        rule = line.removed_by
        if (m := _CREDIT.match(text)) and not found.fields:
            # The outlet's own credit rule, even where the lexicon takes the line: the
            # outlet's rules run first, and a title rule relative to the lead-in must
            # not find the byline in its place. Where the sample has a colon, the rule
            # requires it and looks at the top only: an article sentence ("Penulis buku
            # itu hadir di Garut.") is no byline.
            role = m.group("role")
            window, separator = (
                ("    within: 4\n", "\\s*:\\s*") if m.group("colon") else ("", "\\s*:?\\s+")
            )
            found.fields.append(
                f"  - id: credit  # REVIEW: the sample's line '{_quote(text)[:50]}'\n"
                f"{window}    pattern: '{role}{separator}(?P<authors>[^|]{{3,80}})$'",
            )
        elif rule is not None:
            shared = cleaner.rulebook.everywhere
            generic_field = rule in {f.id for rules in shared for f in rules.fields}
            from_shared = rule.split("/", 1)[0] in EVERY_DOCUMENT
            if from_shared and rule not in _CONTEXTUAL and not generic_field:
                found.drop_lines.append(
                    f"  - id: review-{len(found.drop_lines) + 1}  # REVIEW: {rule} already "
                    "removes it; keep to pin it for this outlet\n"
                    f"    pattern: '{_quote(text)}$'"
                )
        elif m := _WIDGET.match(text):
            word = m.group("word")
            found.drop_lines.append(
                f"  - id: {_slug(word)}  # REVIEW: the sample's line '{_quote(text)[:50]}'\n"
                f"    pattern: '{word}\\s*[:|]'"
            )
    for line in trace.cleaned.kept[:6]:
        if m := _LEAD_IN.match(line.original):
            found.lead_in = m.group("name")
            break
    return found


def _slug(word: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", word.lower()).strip("-")


def _quote(text: str) -> str:
    """``text`` as a literal RE2 pattern inside a single-quoted YAML string."""
    return re.sub(r"([.^$*+?()\[\]{}|\\])", r"\\\1", text).replace("'", "''")


def _template(name: str, domains: list[str], proposals: Proposals) -> str:
    lead_in = proposals.lead_in
    domain_list = ", ".join(domains)
    fingerprint = (
        f"  - '^{_quote(lead_in)}\\s*(?:,|--|-|–|—)'  # REVIEW: the sample's lead-in"
        if lead_in
        else ("  # - '^KABAR\\.ID, '   # text that only this outlet's pages carry")
    )
    strip = (
        "  - id: lead-in  # REVIEW: cut from the first paragraph, the place is the dateline\n"
        "    within: 4\n"
        f"    pattern: '{_quote(lead_in)}(?:\\s*,\\s*(?P<dateline>[A-Z][A-Za-z .]{{1,30}}?))?"
        "\\s*(?:--|-|–|—)\\s*'"
        if lead_in
        else (
            "  # - id: lead-in\n  #   within: 4\n"
            "  #   pattern: 'KABAR\\.ID, (?P<dateline>[A-Z]+) - '"
        )
    )
    title = (
        "  - id: title  # REVIEW: the headline is the line above the lead-in\n"
        "    relative_to: lead-in\n    offset: -1\n    pattern: '(?P<title>[^.]{10,250})$'\n"
        if lead_in
        else ""
    )
    credits = "".join(f"{item}\n" for item in proposals.fields)
    drops = (
        "\n".join(proposals.drop_lines)
        if proposals.drop_lines
        else ("  # - id: share-bar\n  #   pattern: 'Bagikan artikel ini$'")
    )
    return f"""{MODELINE}
# {name}: rules for the outlet's pages. Every key is documented in docs/rules.md.
# Lines marked REVIEW were proposed by `cleaner rules new`: keep, edit or delete each.
name: {name.title()}
domains: [{domain_list}]

fingerprints:
{fingerprint}

strip_prefixes:
{strip}

fields:
{credits}{title}  # - id: date
  #   within: 4
  #   pattern: '(?P<published_at>\\w+, \\d{{1,2}} \\w+ \\d{{4}} \\d{{1,2}}:\\d{{2}} WIB)$'
  # - id: title
  #   relative_to: date
  #   offset: -1
  #   pattern: '(?P<title>.{{5,250}})$'

drop_lines:
{drops}
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
