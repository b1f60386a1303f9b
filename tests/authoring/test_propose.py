"""``cleaner rules new --from``: rules proposed from one page are classes of lines.

Made-up pages in an outlet's template (the text is ours) show each class: a related
link becomes the whole ``Baca juga`` family with any headline, a byline its role word
and names captured as the authors, a lead-in a strip rule capturing the place, and the
furniture the lexicon does not know a line with its numbers as a class. Every proposal
acts on its own sample line; one that does not is left out and the file says so. On the
real pages of ``../shared/realpages``, rules proposed from one page of an outlet are
applied to its other pages, held out, against their reference texts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pytest
import yaml

from cleaner import Cleaner, CleanerConfig
from cleaner.authoring import furniture
from cleaner.authoring.check import check_rules
from cleaner.authoring.new import scaffold
from cleaner.authoring.proposal import Proposal, Proposals
from cleaner.authoring.propose import propose
from cleaner.models import Article, RawDocument
from cleaner.rules.document import Cleaned
from cleaner.rules.examples import ExampleCase, outcome
from cleaner.rules.load import load_rulebook
from cleaner.rules.patterns import compile_pattern
from cleaner.rules.schema import RuleFile
from cleaner.text.dates import ZONES
from tests.conftest import REALPAGES
from tools.evaluate import Page, lines_lost, load_pages, markers

NAME = "kabarcontoh"
DOMAINS = ["kabarcontoh.id"]
HEADLINE = "Harga Cabai Turun Jelang Akhir Pekan di Medan"
BODY = (
    "Harga cabai merah di pasar tradisional Medan turun Rp 5.000 per kilogram pekan ini.",
    "Pedagang menyebut pasokan dari Karo kembali lancar setelah jalan yang longsor dibuka lagi.",
    "“Pembeli mulai ramai lagi sejak Selasa,” kata Rina, pedagang di Pasar Petisah.",
    "Dinas Perdagangan mencatat harga bawang merah juga turun tipis dibanding pekan lalu.",
)


def page(
    top: tuple[str, ...] = (),
    middle: tuple[str, ...] = (),
    end: tuple[str, ...] = (),
    lead: str = "KABARCONTOH.ID, MEDAN - ",
    headline: str = HEADLINE,
) -> str:
    """A page in the made-up outlet's template: the headline, ``top`` lines, the lead-in
    paragraph, ``middle`` lines after the second paragraph, the rest, ``end`` lines."""
    first, second, *rest = BODY
    lines = [headline, *top, lead + first, second, *middle, *rest, *end]
    return "\n".join(lines) + "\n"


def kind_of(real: Page) -> Literal["html", "text"]:
    return "html" if real.kind == "raw_html" else "text"


def doc(text: str) -> RawDocument:
    return RawDocument(source="page.txt", data=text.encode(), kind="text")


def proposed(text: str, name: str = NAME, domains: list[str] = DOMAINS) -> Proposals:
    return propose(doc(text), name, domains)


def only(found: Proposals, rule_id: str) -> Proposal:
    rules = [p for p in found.rules if p.id == rule_id]
    assert len(rules) == 1, [p.id for p in found.rules]
    return rules[0]


def acts_on(proposal: Proposal, line: str) -> str:
    """What is left of ``line`` once ``proposal`` alone has acted on it."""
    spec = RuleFile.model_validate({"name": NAME, proposal.section: [proposal.as_rule()]})
    case = ExampleCase(f"{NAME}/{proposal.id}", (proposal.section, 0, "examples", 0), line, None)
    return outcome(spec, Path(f"{NAME}.yaml"), case, ZONES["WIB"])


def new_from(tmp_path: Path, text: str) -> Path:
    """``cleaner rules new kabarcontoh --from`` a page with ``text``: the rules directory."""
    sample = tmp_path / "samples" / "page.txt"
    sample.parent.mkdir(parents=True, exist_ok=True)
    sample.write_text(text, encoding="utf-8")
    scaffold(NAME, DOMAINS, tmp_path / "rules", tmp_path / "fixtures", sample)
    return tmp_path / "rules"


def cleaner_for(rules: Path, outlet: str | None = NAME) -> Cleaner:
    return Cleaner(CleanerConfig(rules_dirs=(rules,), outlet=outlet))


# --- related links: the family, any headline --------------------------------------------


def test_a_related_link_is_proposed_as_the_family_with_any_headline() -> None:
    found = proposed(page(middle=("BACA: Harga Beras Naik di Pasar Induk Medan",)))
    rule = only(found, "related-link")
    assert rule.section == "drop_lines"
    assert "Beras" not in rule.pattern and "Pasar" not in rule.pattern  # no headline pinned
    for line in (
        "Baca: Harga Gula Turun di Pasar Induk Medan",
        "Pilihan Editor: Tiga Desa Terendam Banjir",
        "Cek Juga: Daftar Sekolah Favorit di Medan",
        "Artikel Terkait: Harga Beras Naik di Pasar Induk Medan",
        "ARTIKEL TERKAIT - Jembatan Gantung Desa Sukamaju Rampung",
        "Baca juga: Warga Bantaran Sungai Deli Mulai Mengungsi",
        "BACA: Sekolah Dibuka Lagi Setelah Banjir Surut",
        "Simak Juga » 5 Pasar Murah Digelar Jelang Lebaran",
        "Lihat juga | Harga Emas Naik Rp 5.000 per Gram?",
    ):
        assert acts_on(rule, line) == "", line
    for sentence in (
        *rule.counter_examples,
        "Baca juga buku panduannya sebelum mendaftar, kata petugas.",
        "Berita terkait banjir itu dimuat di halaman depan koran pagi.",
    ):
        assert acts_on(rule, sentence) == sentence


@pytest.mark.parametrize(
    ("link", "rule"),
    [
        ("Baca juga: Harga Beras Naik di Pasar Induk Medan", "lexicon/related-link"),
        ("Artikel Terkait: Harga Beras Naik di Pasar Induk Medan", "generic/inline-related-links"),
    ],
)
def test_a_related_link_the_rules_for_every_document_remove_is_not_pinned(
    link: str, rule: str
) -> None:
    found = proposed(page(middle=(link,)))
    assert found.covered[rule] == 1
    assert not any("Beras" in p.pattern for p in found.rules)
    assert not any(p.sample == link for p in found.rules)


# --- credits: role and separators kept, the names a class ---------------------------------


def test_a_byline_with_an_editor_part_captures_the_authors_of_any_page(tmp_path: Path) -> None:
    byline = "Penulis | : Rina Wulandari | Editor: Agus Salim"
    found = proposed(page(end=(byline,)))
    rule = only(found, "credit")
    assert rule.section == "fields" and "(?P<authors>" in rule.pattern
    assert "Rina" not in rule.pattern and "Agus" not in rule.pattern
    assert dict(rule.keys) == {"within_last": 4}
    rules = new_from(tmp_path, page(end=(byline,)))
    other = page(end=("Penulis | : Dewi Lestari dan Budi Santoso | Editor: Sari Dewi",))
    article = cleaner_for(rules).clean_text(other)
    assert isinstance(article, Article)
    assert article.authors == ["Dewi Lestari", "Budi Santoso"]
    assert "Penulis" not in article.text


def test_an_editor_line_the_lexicon_leaves_is_dropped_by_its_class() -> None:
    found = proposed(page(end=("Editor | : Agus Salim",)))
    rule = only(found, "editor-credit")
    assert rule.section == "drop_lines"
    assert acts_on(rule, "Editor | : Sari Dewi Lestari") == ""
    assert acts_on(rule, "EDITOR | : Budi") == ""
    for sentence in rule.counter_examples:
        assert acts_on(rule, sentence) == sentence


def test_a_byline_without_a_colon_is_held_to_the_top_of_the_page() -> None:
    found = proposed(page(top=("Oleh Budi Santoso",)))
    rule = only(found, "credit")
    assert dict(rule.keys) == {"within": 4}
    assert acts_on(rule, "Oleh Rina Wulandari") == ""
    assert acts_on(rule, "Oleh karena itu, warga diminta tetap waspada.") != ""


def test_sign_off_initials_the_generic_rules_leave_become_the_editor_initials() -> None:
    found = proposed(page(end=("(Rin/Aga)",)))
    rule = only(found, "editor-initials")
    assert rule.section == "fields" and "(?P<editor_initials>" in rule.pattern
    assert acts_on(rule, "(Dew/Bud)") == ""
    assert acts_on(rule, "(BPJS)") == "(BPJS)"  # an abbreviation, not initials
    closing = proposed(page(end=("Harga diperkirakan stabil hingga akhir bulan. (Rin/Aga)",)))
    tail = only(closing, "editor-initials-tail")
    assert tail.section == "strip_suffixes"
    assert acts_on(tail, "Pasokan aman. (Dew/Bud)") == "Pasokan aman."


def test_a_capitalised_word_in_parentheses_is_no_sign_off() -> None:
    found = proposed(page(end=("Harga ditetapkan Badan Pangan Nasional (Bapanas)",)))
    assert not [p for p in found.rules if p.id.startswith("editor-initials")]


# --- the lead-in: the place captured, the outlet's name escaped ----------------------------


@pytest.mark.parametrize(
    ("lead", "other", "place"),
    [
        ("KABARCONTOH.ID, MEDAN - ", "KABARCONTOH.ID, BANDUNG -- ", "BANDUNG"),
        ("MEDAN, KabarContoh.id – ", "KOTA BARU, KabarContoh.id – ", "KOTA BARU"),
        ("Medan, Sumut (Kabar Contoh) - ", "Bandung, Jabar (KABAR CONTOH) - ", "Bandung, Jabar"),
        ("Medan - ", "Kota Baru - ", "Kota Baru"),
    ],
)
def test_a_lead_in_becomes_a_strip_rule_that_captures_any_place(
    tmp_path: Path, lead: str, other: str, place: str
) -> None:
    found = proposed(page(lead=lead))
    rule = only(found, "lead-in")
    assert rule.section == "strip_prefixes" and "(?P<dateline>" in rule.pattern
    assert "MEDAN" not in rule.pattern and "Medan" not in rule.pattern  # the place is a class
    rules = new_from(tmp_path, page(lead=lead))
    article = cleaner_for(rules).clean_text(page(lead=other))
    assert isinstance(article, Article)
    assert article.dateline == place
    assert article.text.startswith(BODY[0])


def test_a_lead_in_naming_the_outlet_is_a_fingerprint_and_its_name_a_brand() -> None:
    found = proposed(page(lead="Medan, Sumut (Kabar Contoh) - "))
    assert found.brands == ["Kabar Contoh"]
    assert found.fingerprints == [r"\(Kabar Contoh\)\s*(?:-{1,2}|–|—)"]
    assert proposed(page()).fingerprints == [r"^KABARCONTOH\.ID\s*(?:,|--|-|–|—)"]
    assert proposed(page(lead="Medan - ")).fingerprints == []  # names no outlet


def test_a_date_line_becomes_a_date_field_of_its_shape(tmp_path: Path) -> None:
    text = page(top=("Selasa, 16 Juni 2015 | 14:05 WIB",))
    rule = only(proposed(text), "date")
    assert rule.section == "fields" and "(?P<published_at>" in rule.pattern
    assert "Selasa" not in rule.pattern.split(")")[-1] and "2015" not in rule.pattern
    assert acts_on(rule, "Kamis, 3 Desember 2026 | 07:30 WITA") == ""
    assert acts_on(rule, "Kamis, 3 Desember 2026 pukul 07:30") != ""
    rules = new_from(tmp_path, text)
    other = page(top=("Kamis, 3 Desember 2026 | 07:30 WIB",))
    article = cleaner_for(rules).clean_text(other)
    assert isinstance(article, Article) and article.published_at is not None
    assert article.published_at.isoformat() == "2026-12-03T07:30:00+07:00"
    assert article.title == HEADLINE


def test_the_headline_above_the_lead_in_is_proposed_as_the_title() -> None:
    found = proposed(page(top=("Penulis: Rina Wulandari",)))
    title = only(found, "title")
    assert dict(title.keys) == {"relative_to": "lead-in", "offset": -1}
    assert title.sample == HEADLINE


# --- copyright lines, share bars and promos the lexicon does not know ---------------------


def test_furniture_the_lexicon_leaves_is_proposed_with_its_numbers_as_a_class() -> None:
    found = proposed(
        page(
            middle=("Facebook Twitter Email Print",),
            end=(
                "Pantau terus KabarContoh 24 jam lewat aplikasi di ponsel Anda",
                "(c) Kabar Contoh 2024",
            ),
        )
    )
    copyright_line = only(found, "copyright")
    assert acts_on(copyright_line, "(c) Kabar Contoh 2026") == ""
    share = only(found, "share-bar")
    assert acts_on(share, "Twitter Facebook WhatsApp") == ""
    assert acts_on(share, "Facebook") == "Facebook"  # a platform's name alone is no bar
    promo = only(found, "promo-1")
    assert promo.pattern.endswith("$") and r"\d+" in promo.pattern
    assert acts_on(promo, "Pantau terus KabarContoh 7 jam lewat aplikasi di ponsel Anda") == ""


def test_what_the_rules_for_every_document_remove_is_named_not_pinned(tmp_path: Path) -> None:
    text = page(end=("Editor: Agus Salim", "Copyright © 2024 Kabar Contoh"))
    found = proposed(text)
    assert found.covered == {"lexicon/editor-line": 1, "lexicon/copyright": 1}
    assert [p.id for p in found.rules] == ["lead-in", "title"]
    rules = new_from(tmp_path, text)
    written = (rules / f"{NAME}.yaml").read_text(encoding="utf-8")
    assert "lexicon/copyright (1 line)" in written and "lexicon/editor-line (1 line)" in written
    assert "Agus Salim" not in written and "Copyright" not in written


# --- every proposal acts on its own sample ------------------------------------------------

EVERY_CLASS = page(
    top=("Penulis: Rina Wulandari",),
    middle=(
        "Pilihan Editor: Harga Beras Naik di Pasar Induk Medan",
        "Facebook Twitter Email Print",
    ),
    end=(
        "Pantau terus KabarContoh 24 jam lewat aplikasi di ponsel Anda",
        "Editor | : Agus Salim",
        "(c) Kabar Contoh 2024",
        "(Rin/Aga)",
    ),
)
PAGES = [
    EVERY_CLASS,
    page(lead="Medan, Sumut (Kabar Contoh) - ", end=("Penulis | : Rina | Editor: Agus",)),
    page(lead="MEDAN, KabarContoh.id – ", top=("Oleh Budi Santoso",)),
    page(
        lead="Medan - ",
        middle=("Simak » Jembatan Gantung Desa Sukamaju Rampung",),
        end=("Copyright © 2024 kabarcontoh.id",),  # names the outlet: the page is recognised
    ),
]


def real_samples() -> Iterator[tuple[RawDocument, str, list[str]]]:
    """Each real page as a sample of its outlet (its bundled outlet id, its domain)."""
    if not (REALPAGES / "MANIFEST.tsv").exists():
        return
    book = load_rulebook()
    for real in load_pages(REALPAGES):
        owner = book.for_domain(real.outlet)
        name = owner.outlet if owner else real.outlet.split(".")[0]
        kind = kind_of(real)
        yield (
            RawDocument(source=real.path.name, data=real.path.read_bytes(), kind=kind),
            name,
            [real.outlet],
        )


@pytest.mark.parametrize("text", PAGES, ids=range(len(PAGES)))
def test_every_proposed_pattern_matches_its_own_sample_line(text: str) -> None:
    found = proposed(text)
    assert found.rules
    assert_each_acts_on_its_sample(found)


@pytest.mark.realpages
@pytest.mark.skipif(not (REALPAGES / "MANIFEST.tsv").exists(), reason="no ../shared/realpages")
def test_every_pattern_proposed_from_a_real_page_matches_its_own_sample_line() -> None:
    count = 0
    for sample, name, domains in real_samples():
        found = propose(sample, name, domains)
        count += len(found.rules)
        assert_each_acts_on_its_sample(found, name)
    assert count >= 20


def assert_each_acts_on_its_sample(found: Proposals, name: str = NAME) -> None:
    for rule in found.rules:
        compile_pattern(rule.pattern)  # RE2, as the pipeline compiles it
        if "relative_to" not in dict(rule.keys):  # a title is shown by the page alone
            spec = RuleFile.model_validate({"name": name, rule.section: [rule.as_rule()]})
            case = ExampleCase(
                f"{name}/{rule.id}", (rule.section, 0, "examples", 0), rule.sample, None
            )
            assert outcome(spec, Path(f"{name}.yaml"), case, ZONES["WIB"]) != rule.sample, rule


def test_a_proposal_that_misses_its_sample_is_left_out_and_the_file_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(furniture, "_credit_pattern", lambda *_: r"Penulis:\s*(?P<authors>Nobody)$")
    text = page(top=("Penulis: Rina Wulandari",))
    found = proposed(text)
    assert "credit" not in {p.id for p in found.rules}
    assert found.dropped[0] == (
        "fields",
        "a byline from the sample's line 'Penulis: Rina Wulandari': "
        "example not acted on by kabarcontoh/credit: 'Penulis: Rina Wulandari'",
    )
    # without it, the title rule would take the byline above the lead-in: left out too
    assert found.dropped[1][1].startswith("the headline from the sample's line")
    rules = new_from(tmp_path, text)
    written = (rules / f"{NAME}.yaml").read_text(encoding="utf-8")
    assert "  # not proposed: a byline from the sample's line 'Penulis: Rina Wulandari'" in written
    assert check_rules(rules) == []


# --- the written file: valid as written, passes the checker, cleans its sample -------------


@pytest.mark.parametrize("text", PAGES, ids=range(len(PAGES)))
def test_the_file_written_from_a_page_passes_check_and_cleans_that_page(
    tmp_path: Path, text: str
) -> None:
    rules = new_from(tmp_path, text)
    written = yaml.safe_load((rules / f"{NAME}.yaml").read_text(encoding="utf-8"))
    expected = proposed(text).rule_file(NAME, DOMAINS)
    for key in ("brands", "fingerprints", "strip_prefixes", "fields", "strip_suffixes"):
        assert written.get(key) == expected.get(key), key
    assert (written["drop_lines"] or None) == expected.get("drop_lines")
    assert check_rules(rules) == []
    article = cleaner_for(rules, outlet=None).clean_text(text)
    assert isinstance(article, Article) and article.outlet == NAME
    assert article.title == HEADLINE
    assert article.text.split("\n") == list(BODY)


def test_every_class_of_the_page_is_proposed_and_cleaned_away(tmp_path: Path) -> None:
    found = proposed(EVERY_CLASS)
    assert [p.id for p in found.rules] == [
        "lead-in",
        "credit",
        "editor-credit",
        "editor-initials",
        "related-link",
        "share-bar",
        "promo-1",
        "copyright",
        "title",
    ]
    rules = new_from(tmp_path, EVERY_CLASS)
    article = cleaner_for(rules, outlet=None).clean_text(EVERY_CLASS)
    assert isinstance(article, Article)
    assert (article.dateline, article.authors, article.editor_initials) == (
        "MEDAN",
        ["Rina Wulandari"],
        "rin/aga",
    )


def test_a_page_that_names_no_outlet_says_the_fingerprint_is_missing(tmp_path: Path) -> None:
    text = page(lead="Medan - ")
    assert not proposed(text).recognised
    assert proposed(page()).recognised
    rules = new_from(tmp_path, text)
    written = (rules / f"{NAME}.yaml").read_text(encoding="utf-8")
    assert "nothing here tells the sample is this outlet's page" in written
    # the fixture carries a URL on the outlet's domain, so the file passes as written
    (fixture,) = (tmp_path / "fixtures" / NAME).iterdir()
    record = json.loads(fixture.read_text(encoding="utf-8"))
    assert fixture.name == "page.jsonl" and record["text"] == text
    assert record["url"].startswith(f"https://{DOMAINS[0]}/")
    assert check_rules(rules) == []


# --- held out: rules proposed from one real page, applied to the outlet's others ----------


@dataclass
class HeldOut:
    """Rules proposed from ``sample`` applied to ``page``, another page of the outlet."""

    outlet: str
    sample: str
    page: str
    proposals: int
    """Rules and fingerprints proposed from the sample."""
    boilerplate: list[str]
    """Lines the proposals removed that the reference does not hold as article text."""
    wrong: list[str]
    """Lines the proposals removed that the reference holds as article text (a line the
    project counts as a boilerplate marker, such as a sign-off ``(Cas/Isk)`` some
    references keep, is not article text)."""
    lead_ins: list[str]
    """Lead-ins the proposals cut (their place goes into ``dateline``)."""
    lost: int
    """Reference lines lost with the proposals, less those lost without them."""


def held_out(root: Path, work: Path) -> Iterator[HeldOut]:
    """For each outlet with two pages or more: the rule file ``rules new --from`` writes
    for each page, applied to each other page of the outlet that has a reference (and,
    to compare, the outlet's rule file written without a sample: no rules)."""
    book = load_rulebook()
    pages = load_pages(root)
    for domain in sorted({p.outlet for p in pages}):
        mine = [p for p in pages if p.outlet == domain]
        if len(mine) < 2:
            continue
        owner = book.for_domain(domain)
        name = owner.outlet if owner else domain.split(".")[0]
        without = outlet_cleaner(name, [domain], work / f"{name}-empty", None)
        for sample in mine:
            with_rules = outlet_cleaner(name, [domain], work / sample.path.stem, sample.path)
            rules = with_rules.rulebook.outlets[name]
            count = len(list(rules.compiled_rules())) + len(rules.fingerprints)
            for other in mine:
                if other is not sample and other.reference is not None:
                    yield measure(name, sample.path.name, other, count, with_rules, without)


def outlet_cleaner(name: str, domains: list[str], where: Path, sample: Path | None) -> Cleaner:
    """A cleaner with the rule file ``rules new`` writes (in place of a bundled one)."""
    scaffold(name, domains, where / "rules", where / "fixtures", sample)
    return Cleaner(CleanerConfig(rules_dirs=(where / "rules",), outlet=name))


def measure(
    name: str, sample: str, other: Page, count: int, with_rules: Cleaner, without: Cleaner
) -> HeldOut:
    """What the rules proposed from ``sample`` do on ``other``, against its reference."""
    assert other.reference is not None
    kind = kind_of(other)
    unit = RawDocument(source=other.path.name, data=other.path.read_bytes(), kind=kind)
    after, before = with_rules.trace(unit).cleaned, without.trace(unit).cleaned
    assert after is not None and before is not None
    reference = " ".join(other.reference.split()).casefold()
    mine = f"{name}/"
    boilerplate: list[str] = []
    wrong: list[str] = []
    lead_ins: list[str] = []
    for line in after.lines:
        cuts = [cut for rule, cut in line.stripped if rule.startswith(mine)]
        lead_ins += cuts
        if (line.removed_by or "").startswith(mine) and not cuts:
            held = " ".join(line.original.split()).casefold() in reference
            (wrong if held and not markers(line.original) else boilerplate).append(line.original)
    lost = lines_lost(as_written(after), other.reference)
    lost -= lines_lost(as_written(before), other.reference)
    return HeldOut(name, sample, other.path.name, count, boilerplate, wrong, lead_ins, lost)


def as_written(cleaned: Cleaned) -> str:
    """The text with its lead-ins put back in front, as the references write them (the
    project's evaluation scores it so too)."""
    return "\n".join(
        "".join(cut for rule, cut in line.stripped if "lead-in" in rule or "dateline" in rule)
        + line.text
        for line in cleaned.lines
        if line.removed_by is None or line.stripped
    )


@pytest.mark.realpages
@pytest.mark.skipif(not (REALPAGES / "MANIFEST.tsv").exists(), reason="no ../shared/realpages")
def test_rules_proposed_from_one_real_page_clean_the_outlets_held_out_pages(
    tmp_path: Path,
) -> None:
    results = list(held_out(REALPAGES, tmp_path))
    assert len({r.outlet for r in results}) >= 5
    assert [(r.sample, r.page, r.wrong) for r in results if r.wrong] == []
    assert [(r.sample, r.page, r.lost) for r in results if r.lost > 0] == []
    assert all(len(cut.split()) <= 6 for r in results for cut in r.lead_ins)
    assert sum(len(r.boilerplate) for r in results) >= 10
    assert sum(len(r.lead_ins) for r in results) >= 15
    kompas = [line for r in results if r.outlet == "kompas" for line in r.boilerplate]
    assert any(line.startswith("Penulis | : ") for line in kompas)
    assert any(line.startswith("Editor | : ") for line in kompas)
