"""A page's furniture as classes: bylines, sign-offs, related links, copyright lines,
share bars and promos the rules for every document leave.

A related link becomes the whole ``Baca juga`` family with any headline; a byline its
role word and separators with any capitalised names captured as ``authors``; an editor's
line alone a drop rule of its shape; sign-off initials ``editor_initials``; a copyright
line, share bar or promo the line itself anchored at both ends, any number and link a
class. Each comes with counter-examples: article sentences its class must leave alone.
"""

from __future__ import annotations

import re

from cleaner.authoring.leadin import Brands
from cleaner.authoring.learn import literal_pattern
from cleaner.authoring.proposal import HEAD_LINES, MAX_LINE, Proposal, Proposals, escape
from cleaner.rules.document import Line

NAMES = r"[A-Z][\w.'’-]*(?:(?:\s*[,&/]\s*|\s+dan\s+|\s+)[A-Z][\w.'’-]*){0,7}"
"""One or more names, each capitalised: a byline, never a sentence."""
CONTRIBUTOR = r"(?:Kontributor [A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,2},\s*)?"
"""``Kontributor Lhokseumawe,`` before a name: a place, not an author."""
RELATED_LEADS = (
    r"(?:baca|simak|lihat|tonton|saksikan|cek)(?:\s+(?:juga|pula|selanjutnya|lainnya))?"
    r"(?:\s+(?:video|berita|artikel))?"
    r"|(?:artikel|berita)\s+(?:terkait|lainnya|menarik|pilihan)|pilihan\s+(?:editor|redaksi)"
)
"""The lead words of a related link, lower case (patterns match them case-insensitively)."""
RELATED_SEPARATORS = (":", "»", ">>", ">", "|", "--", "-", "–", "—")
SHARE_WORDS = (
    "bagikan|share|facebook|twitter|whatsapp|telegram|line|linkedin|email|e-mail|"
    "pinterest|tweet|salin|copy|link|tautan|print|cetak|komentar"
)

_AUTHOR_ROLES = "penulis|reporter|wartawan|pewarta|kontributor|laporan wartawan|laporan|oleh"
_OTHER_ROLES = "editor|redaktur|penyunting|fotografer|videografer|editing"
_CREDIT = re.compile(
    rf"(?P<role>(?i:{_AUTHOR_ROLES}|{_OTHER_ROLES}))\b(?P<sep>\s*\|?\s*:\s*|\s+)(?P<rest>.+)"
)
_INITIALS = re.compile(r"\((?P<initials>[A-Za-z]{2,5}(?:/[A-Za-z]{2,5}){0,3})\)")
QUOTE = "[\"'“‘]"
"""An opening quote a teaser may start with."""
RELATED = (
    rf"{QUOTE}?(?i:{RELATED_LEADS})\s*(?:{'|'.join(map(re.escape, RELATED_SEPARATORS))})"
    rf"\s*{QUOTE}?[A-Z0-9].{{0,{MAX_LINE}}}[^.]$"
)
"""A related link of the family: the lead words, a separator, a headline (a capital or a
digit first, no closing full stop). One pattern, whichever member the sample was."""
_RELATED = re.compile(RELATED)
_COPYRIGHT = re.compile(r"(?i).*(?:copyright|hak cipta|\(c\)|©|all rights reserved)")
_SHARE_BAR = re.compile(rf"(?i)(?:(?:{SHARE_WORDS})\b[\s:|,/!.()\d]*){{2,}}")
_PROMO = re.compile(
    r"(?i)(?:ikuti|follow|dapatkan|download|unduh|gabung|bergabung|join|berlangganan|"
    r"subscribe|klik|cek|simak|baca|tonton|pantau|update)\b"
)
_PLATFORMS = re.compile(
    r"(?i)\b(?:whatsapp|telegram|google news|instagram|facebook|twitter|youtube|tiktok|"
    r"aplikasi|app store|play store|newsletter|channel|saluran)\b|https?://"
)
_URL = re.compile(r"https?://\S+")
_DIGITS = re.compile(r"\d+")

# Article text each class must leave alone (made up, in the shape of a news report).
_COUNTER: dict[str, tuple[str, ...]] = {
    "related-link": (
        "Baca juga buku panduannya sebelum mendaftar, kata petugas.",
        "Lihat: warga diminta memeriksa data pemilih sebelum Sabtu.",
        "Berita terkait banjir itu dimuat di halaman depan koran pagi.",
    ),
    "credit": (
        "{role} buku itu hadir di Garut bersama para pembacanya.",
        "{role}: kami belum menerima konfirmasi dari kepolisian, katanya.",
    ),
    "credit-oleh": ("Oleh karena itu, warga diminta tetap waspada.",),
    "copyright": ("Hak cipta lagu itu kini dipegang oleh ahli waris penciptanya.",),
    "share-bar": ("Komentar warganet di media sosial beragam sejak pagi.",),
}


def credits(lines: list[Line], found: Proposals) -> None:
    """Bylines into ``authors`` (the first form met), and an editor's line alone.

    A byline is proposed even where the lexicon takes it: the outlet's rules run first,
    and the title rule relative to the lead-in must not find the byline in its place.
    An editor's line the lexicon already removes needs nothing."""
    taken: set[str] = set()
    for index, line in enumerate(lines):
        text = line.original
        m = _CREDIT.fullmatch(text)
        if m is None or len(text) > MAX_LINE:
            continue
        role = m.group("role")
        author = role.lower() in _AUTHOR_ROLES.split("|")
        rule_id = "credit" if author else "editor-credit"
        if rule_id in taken or (not author and line.removed_by is not None):
            continue
        keys = _window(index, len(lines))
        colon = ":" in m.group("sep")
        if not colon and not keys:
            continue  # "Oleh X" anywhere in a page could open a sentence
        pattern = _credit_pattern(role, m.group("sep"), m.group("rest"), author)
        if pattern is None:
            continue
        taken.add(rule_id)
        counter = (
            _COUNTER["credit-oleh"]
            if role.lower() == "oleh"
            else tuple(c.format(role=role) for c in _COUNTER["credit"])
        )
        found.rules.append(
            Proposal(
                "fields" if author else "drop_lines",
                rule_id,
                "a byline" if author else "an editor's credit",
                f"{role} and the names; the names become the authors."
                if author
                else f"The {role.lower()}'s credit on its own line.",
                pattern,
                text,
                keys,
                (text,),
                counter if colon else counter[:1],
            )
        )


def _window(index: int, count: int) -> tuple[tuple[str, int | str | bool], ...]:
    """Where a line at ``index`` of ``count`` sits, as a window with some slack (another
    page has a line more or less): among the first lines or the last, whichever is
    nearer; nowhere in particular, ``()``."""
    top, bottom = index, count - 1 - index
    if top < HEAD_LINES and (top <= bottom or bottom >= 6):
        return (("within", max(4, top + 3)),)
    if bottom < 6:
        return (("within_last", max(4, bottom + 3)),)
    return ()


def _credit_pattern(role: str, sep: str, rest: str, author: bool) -> str | None:
    """``Penulis | : Kontributor Garut, Asep | Editor: Dede`` → the role word as written
    (in any case), the sample's separator, the names as a class, each further ``|``
    part as any text."""
    parts = [p.strip() for p in rest.split("|")]
    first = parts[0].lstrip(":").strip()
    contributor = CONTRIBUTOR if first.startswith("Kontributor ") else ""
    names = f"(?P<authors>{NAMES})" if author else NAMES
    if not re.fullmatch(CONTRIBUTOR + NAMES, first):
        return None
    separator = (r"\s*\|?\s*:\s*" if "|" in sep else r"\s*:\s*") if ":" in sep else r"\s+"
    tail = rf"(?:\s*\|\s*[^|]{{2,80}}?){{0,{len(parts) - 1}}}" if len(parts) > 1 else ""
    return rf"(?i:{escape(role)}){separator}{contributor}{names}{tail}\s*$"


def initials(lines: list[Line], found: Proposals) -> None:
    """Sign-off initials the generic rules leave (capitalised, ``(Cas/Isk)``): alone on
    the line into ``editor_initials``, or closing the last paragraph, cut off."""
    kept = [line for line in lines if line.removed_by is None]
    for line in reversed(kept[-3:]):
        text = line.original
        if (m := _INITIALS.fullmatch(text)) and _initials_class(m.group("initials")):
            found.rules.append(
                Proposal(
                    "fields",
                    "editor-initials",
                    "the editor's sign-off",
                    "The editor's initials alone on the last line.",
                    rf"\((?P<editor_initials>{_initials_class(m.group('initials'))})\)$",
                    text,
                    (("within_last", 3),),
                    (text,),
                )
            )
            return
    # on what the rules for every document left: lower-case initials are theirs
    last = kept[-1].text if kept else ""
    if (m := re.search(rf"\s+{_INITIALS.pattern}$", last)) and _initials_class(m.group("initials")):
        text = kept[-1].original
        rest = " ".join(last[: m.start()].split()[-6:])
        found.rules.append(
            Proposal(
                "strip_suffixes",
                "editor-initials-tail",
                "the editor's sign-off",
                "The editor's initials closing the last paragraph.",
                rf"\s+\((?P<editor_initials>{_initials_class(m.group('initials'))})\)$",
                text,
                (("within_last", 1),),
                ((f"{rest} ({m.group('initials')})", rest),),
            )
        )


def _initials_class(sample: str) -> str:
    """The class of sign-offs ``sample`` is one of, in its case: ``mas`` or ``kpl/pur``
    (lower case, one to four), ``Cas/Isk`` (capitalised), ``ANT/RUD`` (upper case); a
    capitalised or upper-case word alone is a name or an abbreviation (``(BPJS)``), not
    initials: ``""``."""
    parts = sample.split("/")
    if sample.islower():
        return r"[a-z]{2,5}(?:/[a-z]{2,5}){0,3}"
    if len(parts) < 2:
        return ""
    one = r"[A-Z]{2,5}" if sample.isupper() else r"[A-Z][a-z]{1,4}"
    return rf"{one}(?:/{one}){{1,3}}"


def related(lines: list[Line], found: Proposals) -> None:
    """Related links the lexicon leaves: one pattern for the whole family, any headline."""
    for line in lines:
        text = line.original
        if line.removed_by is not None or len(text) > MAX_LINE:
            continue
        if _RELATED.match(text):
            found.rules.append(
                Proposal(
                    "drop_lines",
                    "related-link",
                    "a related link",
                    "A related link: Baca juga, Simak juga, Artikel terkait ... and a headline.",
                    RELATED,
                    text,
                    (),
                    (text,),
                    _COUNTER["related-link"],
                )
            )
            return


def fixed_lines(lines: list[Line], brands: Brands, found: Proposals) -> None:
    """Copyright lines, share bars and promos the rules for every document leave."""
    promos = 0
    seen: set[str] = set()
    for line in lines:
        text = line.original
        if line.removed_by is not None or line.stripped or len(text) > MAX_LINE:
            continue
        pattern = literal_pattern(_DIGITS.sub("0", text))
        if pattern in seen:
            continue
        if _COPYRIGHT.match(text) and not _is_prose(text) and "copyright" not in seen:
            seen |= {pattern, "copyright"}
            found.rules.append(
                _literal("copyright", "a copyright line", text, _COUNTER["copyright"])
            )
        elif _SHARE_BAR.fullmatch(text) and "share-bar" not in seen:
            seen |= {pattern, "share-bar"}
            found.rules.append(
                Proposal(
                    "drop_lines",
                    "share-bar",
                    "a share bar",
                    "A share bar: share words and platforms only.",
                    rf"(?i:(?:{SHARE_WORDS})\b[\s:|,/!.()\d]*){{2,}}$",
                    text,
                    (),
                    (text,),
                    _COUNTER["share-bar"],
                )
            )
        elif _PROMO.match(text) and (_PLATFORMS.search(text) or _names_outlet(text, brands)):
            seen.add(pattern)
            promos += 1
            found.rules.append(_literal(f"promo-{promos}", "a promo", text))


def _names_outlet(text: str, brands: Brands) -> bool:
    return any(brands.names(word) for word in re.findall(r"[\w.-]{3,}", text))


def _is_prose(text: str) -> bool:
    """A sentence about copyright, not a notice: long, and closed by a full stop."""
    return len(text.split()) >= 8 and text.rstrip().endswith(".")


def _literal(rule_id: str, kind: str, text: str, counter: tuple[str, ...] = ()) -> Proposal:
    """The line itself, anchored at both ends, with any number and any link as a class:
    the sample's year or link changes from page to page, its words do not."""
    links = _URL.split(text)
    pattern = r"https?://\S+".join(literal_pattern(part).removesuffix("$") for part in links)
    return Proposal(
        "drop_lines",
        rule_id,
        kind,
        f"The outlet's {kind.split(' ', 1)[1]}: its words, any number or link.",
        pattern + "$",
        text,
        (),
        (text,),
        counter,
    )
