"""The head of a page: its lead-in, its date line and its headline, as classes.

A lead-in (``JAKARTA, KOMPAS.com -``, ``Liputan6.com, Jakarta -``, ``Mataram, NTB
(ANTARA News) -``, ``Jakarta -``) becomes a strip rule capturing any place as the
``dateline``, the outlet's name escaped, and the name a fingerprint; a date line
(``Selasa 16 Jun 2015, 14:05 WIB``) its shape with every number, day and month a class,
into ``published_at``; the headline above the lead-in the ``title``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cleaner.authoring.proposal import HEAD_LINES, Proposal, Proposals, escape
from cleaner.rules.document import Line
from cleaner.rules.lines import is_headline, is_timestamp

DASH = r"(?:-{1,2}|–|—)"
PLACE = r"[A-Z][A-Za-z.'’-]*(?: [A-Z][A-Za-z.'’-]*){0,3}"
"""A place as datelines print it: one to four capitalised words (``JAKARTA``, ``Kebayoran
Lama``, ``Bandar Lampung``)."""
DATE = r"\d{1,2} [A-Z][a-z]+ \d{4}"
DAY = r"(?:Senin|Selasa|Rabu|Kamis|Jumat|Jum'at|Sabtu|Minggu|Ahad)"
_DAYS = {"senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu", "ahad"}
_ZONES = {"WIB", "WITA", "WIT"}
_LEAD_END = rf"\s*(?P<dash>{DASH})(?:\s+|$)"
_BRAND_WORDS = r"[A-Za-z][\w-]*(?:\.[A-Za-z]{2,})+|[A-Z][\w]*(?: [A-Z][\w]*){0,2}"
_LEAD_INS = (
    (
        # Mataram, NTB (ANTARA News) -    ISTANBUL, 23 Februari 2016 (Antara/PRNewswire) --
        "paren",
        re.compile(
            rf"(?P<place>{PLACE}(?:\s*,\s*{PLACE})?)(?:\s*,\s*(?P<date>{DATE}))?"
            rf"\s*\((?P<brand>[^()]{{2,40}})\){_LEAD_END}"
        ),
    ),
    (
        # JAKARTA, KOMPAS.com -    Jakarta, CNBC Indonesia -
        "place-brand",
        re.compile(
            rf"(?P<place>{PLACE}(?:\s*,\s*{PLACE})?)\s*,\s*(?P<brand>{_BRAND_WORDS}){_LEAD_END}"
        ),
    ),
    (
        # Liputan6.com, Jakarta -    REPUBLIKA.CO.ID, JAKARTA --    KOMPAS.com -
        "brand-place",
        re.compile(rf"(?P<brand>{_BRAND_WORDS})(?:\s*,\s*(?P<place>{PLACE}))?{_LEAD_END}"),
    ),
    (
        # Jakarta -    Mataram, NTB -
        "place",
        re.compile(rf"(?P<place>{PLACE}(?:\s*,\s*{PLACE})?){_LEAD_END}"),
    ),
)


class Brands:
    """How the outlet may name itself: its id, its domains' names and the domains."""

    def __init__(self, name: str, domains: Sequence[str]) -> None:
        keys = {_squash(name)}
        for domain in domains:
            keys |= {_squash(domain), _squash(domain.removeprefix("www.").split(".")[0])}
        self.keys = {k for k in keys if len(k) >= 3}
        labels = [d.removeprefix("www.").split(".")[0] for d in domains]
        self.spelled = {name.lower(), *(d.lower() for d in [*domains, *labels])}
        """What the outlet's ``name`` and ``domains`` already spell (brands are matched as
        written, case aside: ``CNBC Indonesia`` is not ``cnbcindonesia``)."""

    def names(self, text: str) -> bool:
        """Whether ``text`` names the outlet: a domain-like word, or its squashed
        letters beginning with one of the outlet's (``ANTARA News``, ``KOMPAS.com``)."""
        if _domain_like(text):
            return True
        squashed = _squash(text)
        return any(squashed.startswith(key) or key.startswith(squashed) for key in self.keys)

    def first_word(self, text: str) -> str:
        """The word of ``text`` that names the outlet (``ANTARA`` of ``ANTARA News``)."""
        words = re.findall(r"[A-Za-z0-9]+", text)
        return next((w for w in words if self.names(w)), words[0] if words else text)


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def lead_in(lines: list[Line], brands: Brands, found: Proposals) -> int | None:
    """A dateline lead-in opening one of the first lines: a strip rule capturing the
    place, and a fingerprint when it names the outlet. Returns the line's index."""
    for index, line in enumerate(lines[:HEAD_LINES]):
        if line.removed_by is not None:
            continue
        for form, finder in _LEAD_INS:
            # what the rules for every document left: a lead-in they cut (generic/dateline)
            # is theirs already; the outlet's rule will meet it first, in the line as printed
            m = finder.match(line.text)
            if m is None or not line.original.startswith(m.group(0)):
                continue
            if form != "place" and not brands.names(m.group("brand")):
                continue
            pattern, fingerprint = _lead_in_pattern(form, m, brands)
            cut = m.group(0)
            rest = " ".join(line.original[len(cut) :].split()[:8])
            found.rules.append(
                Proposal(
                    "strip_prefixes",
                    "lead-in",
                    "a dateline lead-in",
                    "The lead-in opening the first paragraph; the place becomes the dateline.",
                    pattern,
                    line.original,
                    (("within", max(4, index + 3)),),
                    ((cut + rest, rest),),
                )
            )
            if fingerprint:
                found.fingerprints.append(fingerprint)
            brand = (m.groupdict().get("brand") or "").split("/")[0].strip()
            if brand and not _domain_like(brand) and brand.lower() not in brands.spelled:
                found.brands.append(brand)
            return index
    return None


def _domain_like(text: str) -> bool:
    return re.fullmatch(r"[A-Za-z][\w-]*(?:\.[A-Za-z]{2,})+", text) is not None


def _lead_in_pattern(form: str, m: re.Match[str], brands: Brands) -> tuple[str, str | None]:
    """The strip pattern and the fingerprint for a lead-in of the given form."""
    two = "," in (m.group("place") or "")
    place = PLACE + (rf"(?:\s*,\s*{PLACE})?" if two else "")
    end = rf"\s*{DASH}(?:\s+|$)"
    if form == "paren":
        word = escape(brands.first_word(m.group("brand")))
        date = rf"(?:\s*,\s*{DATE})?"
        return (
            rf"(?P<dateline>{place}){date}\s*\((?i:{word})[^()]{{0,30}}\){end}",
            rf"\({escape(m.group('brand'))}\)\s*{DASH}",
        )
    if form == "place":
        return rf"(?P<dateline>{place}){end}", None
    brand = escape(m.group("brand"))
    if form == "place-brand":
        return rf"(?:(?P<dateline>{place})\s*,\s*)?{brand}{end}", rf",\s*{brand}\s*{DASH}"
    return (
        rf"{brand}(?:\s*,\s*(?P<dateline>{PLACE}))?{end}",
        rf"^{brand}\s*(?:,|--|-|–|—)",
    )


def date_line(lines: list[Line], found: Proposals) -> None:
    """A date line among the first lines (``Selasa 16 Jun 2015, 14:05 WIB``): its shape
    with every number, day and month as a class, into ``published_at``."""
    for index, line in enumerate(lines[:HEAD_LINES]):
        text = line.original
        if line.removed_by is None and is_timestamp(text) and any(c.isdigit() for c in text):
            shape = r"\s+".join(_date_chunk(chunk) for chunk in text.split())
            found.rules.append(
                Proposal(
                    "fields",
                    "date",
                    "the date line",
                    "The publication date and time under the headline.",
                    rf"(?P<published_at>{shape})\s*$",
                    text,
                    (("within", max(4, index + 3)),),
                    (text,),
                )
            )
            return


def _date_chunk(chunk: str) -> str:
    """One word of a date line as a class: ``2015,`` → ``\\d{4},``, ``Jun`` → a month."""
    out = []
    for token in re.findall(r"(?i:jum'at)|\d+|[^\W\d_]+|.", chunk):
        if token.isdigit():
            out.append(r"\d{4}" if len(token) == 4 else r"\d{1,2}")
        elif token.lower() in _DAYS:
            out.append(DAY)
        elif token in _ZONES:
            out.append(r"(?:WIB|WITA|WIT)")
        elif token.isalpha():
            out.append(r"[A-Za-z]{3,9}")
        else:
            out.append(escape(token))
    return "".join(out)


def title(lines: list[Line], lead: int | None, found: Proposals) -> None:
    """The headline is the line above the lead-in, when one is shaped like a headline
    there (once the proposed byline is gone)."""
    if lead is None:
        return
    taken = {p.sample for p in found.rules if p.section in ("fields", "drop_lines")}
    above = [line for line in lines[:lead] if line.original not in taken]
    headline = above[-1].original if above else ""
    if is_headline(headline) and not is_timestamp(headline) and len(headline.split()) >= 3:
        found.rules.append(
            Proposal(
                "fields",
                "title",
                "the headline",
                "The headline: the line above the lead-in.",
                r"(?P<title>[^.]{10,250})$",
                headline,
                (("relative_to", "lead-in"), ("offset", -1)),
            )
        )
