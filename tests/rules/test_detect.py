"""Choosing an outlet's rules for a document (cleaner/detect.py), with the bundled rules."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cleaner.rules.compile import Rulebook
from cleaner.rules.detect import UNKNOWN, detect, host_of
from cleaner.rules.load import load_rulebook
from cleaner.rules.patterns import compile_pattern
from tests.conftest import CORPORA, FIXTURES
from tools.bench import corpora_texts


@pytest.fixture(scope="module")
def rulebook() -> Rulebook:
    return load_rulebook()


BODY = (
    "Polisi menangkap dua orang pelaku pencurian sepeda motor di Depok, Jawa Barat.\n"
    "Kedua pelaku ditangkap saat hendak menjual motor curian itu melalui media sosial.\n"
    "Keduanya kini ditahan di Mapolres untuk pemeriksaan lebih lanjut."
)

TRIBUN_TEXT = f"Pencuri Motor Ditangkap\nTRIBUNNEWS.COM -- {BODY}"
SINDO_TEXT = f"{BODY}\n(mas)\nCopyright © 2024 SINDOnews.com\nAll Rights Reserved"
IDN_TEXT = f"Pencuri Motor Ditangkap di Depok\nJakarta, IDN Times - {BODY}"
RMOL_TEXT = (
    "Berita\nHukum\nPencuri Motor Ditangkap\n"
    f"SABTU, 31 OKTOBER 2020 | 19:02 WIB | LAPORAN: RENI ERINA\n{BODY}"
)


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        (TRIBUN_TEXT, "tribunnews"),
        (SINDO_TEXT, "sindonews"),
        (IDN_TEXT, "idntimes"),
        (RMOL_TEXT, "rmol"),
    ],
    ids=["tribunnews", "sindonews", "idntimes", "rmol"],
)
def test_fingerprints_detect_the_outlet_without_url(
    rulebook: Rulebook, text: str, outlet: str
) -> None:
    found = detect(text, None, rulebook)
    assert found.outlet == outlet
    assert found.method == "fingerprint"
    assert found.evidence, "the fingerprints found are reported"
    assert found.rules is rulebook.outlets[outlet]


def test_plain_text_is_unknown(rulebook: Rulebook) -> None:
    found = detect(BODY, None, rulebook)
    assert found.rules is None
    assert found.outlet is None
    assert found.method is None
    assert found == UNKNOWN


def test_outlet_name_mentioned_mid_sentence_is_not_a_fingerprint(rulebook: Rulebook) -> None:
    text = f"{BODY}\nSeperti dilaporkan TRIBUNNEWS.COM -- sebelumnya, polisi masih memburu penadah."
    assert detect(text, None, rulebook).rules is None


def test_url_domain_wins_over_fingerprints(rulebook: Rulebook) -> None:
    found = detect(TRIBUN_TEXT, "https://nasional.sindonews.com/read/123/berita", rulebook)
    assert found.outlet == "sindonews"
    assert found.method == "url"
    assert found.evidence == ("nasional.sindonews.com",)


def test_a_pages_links_to_its_own_site_name_the_outlet(rulebook: Rulebook) -> None:
    links = ["https://cdn.contoh.net/app.css", "https://www.antaranews.com/rss/terkini.xml"]
    found = detect("", None, rulebook, markup=links)
    assert found.outlet == "antara"
    assert found.method == "markup"
    assert found.evidence == ("www.antaranews.com",)


def test_markup_wins_over_signs_in_the_text_and_gives_way_to_the_url(rulebook: Rulebook) -> None:
    # A page's head is its publisher's; its text may quote another outlet's lead-in.
    links = ["https://nasional.sindonews.com/rss"]
    assert detect(TRIBUN_TEXT, None, rulebook, markup=links).outlet == "sindonews"
    by_url = detect(TRIBUN_TEXT, "https://www.kompas.com/read/1", rulebook, markup=links)
    assert (by_url.outlet, by_url.method) == ("kompas", "url")


def test_a_pages_links_are_not_read_when_its_url_names_the_outlet(rulebook: Rulebook) -> None:
    read: list[str] = []

    def links() -> Iterator[str]:  # as html.self_links: read only when iterated
        read.append("head")
        yield "https://nasional.sindonews.com/rss"

    by_url = detect(TRIBUN_TEXT, "https://www.kompas.com/read/1", rulebook, markup=links())
    assert (by_url.outlet, read) == ("kompas", [])
    assert detect(TRIBUN_TEXT, None, rulebook, markup=links()).outlet == "sindonews"
    assert read == ["head"]


def test_links_naming_two_outlets_leave_the_page_to_its_text(rulebook: Rulebook) -> None:
    links = ["https://www.kompas.com/rss", "https://nasional.sindonews.com/rss"]
    found = detect(TRIBUN_TEXT, None, rulebook, markup=links)
    assert (found.outlet, found.method) == ("tribunnews", "fingerprint")
    assert detect(BODY, None, rulebook, markup=links) == UNKNOWN


@pytest.mark.parametrize(
    ("url", "outlet"),
    [
        ("https://www.tribunnews.com/nasional/2024/01/02/judul", "tribunnews"),
        ("https://jabar.tribunnews.com/2024/01/02/judul", "tribunnews"),
        ("https://international.sindonews.com/read/1/42/judul", "sindonews"),
        ("http://www.idntimes.com/news/indonesia/judul", "idntimes"),
        ("https://rmol.id/read/2020/10/31/judul", "rmol"),
        ("rmol.id/read/2020/10/31/judul", "rmol"),
        ("HTTPS://WWW.TRIBUNNEWS.COM/x", "tribunnews"),
    ],
)
def test_url_domain_and_subdomains(rulebook: Rulebook, url: str, outlet: str) -> None:
    found = detect(BODY, url, rulebook)
    assert found.outlet == outlet
    assert found.method == "url"


def test_lookalike_domain_is_not_the_outlet(rulebook: Rulebook) -> None:
    found = detect(BODY, "https://nottribunnews.com/a", rulebook)
    assert found.rules is None


def test_unknown_domain_falls_back_to_fingerprints(rulebook: Rulebook) -> None:
    found = detect(SINDO_TEXT, "https://www.example.org/arsip/123", rulebook)
    assert found.outlet == "sindonews"
    assert found.method == "fingerprint"


def test_junk_url_falls_back_to_fingerprints(rulebook: Rulebook) -> None:
    found = detect(IDN_TEXT, "http://[::1", rulebook)
    assert found.outlet == "idntimes"
    assert found.method == "fingerprint"


def test_forced_outlet_wins_over_url_and_fingerprints(rulebook: Rulebook) -> None:
    found = detect(TRIBUN_TEXT, "https://www.idntimes.com/x", rulebook, forced="rmol")
    assert found.outlet == "rmol"
    assert found.method == "forced"
    assert found.evidence == ("rmol",)


def test_more_fingerprints_beat_fewer(rulebook: Rulebook) -> None:
    # One tribunnews fingerprint, two sindonews fingerprints.
    text = (
        f"TRIBUNNEWS.COM -- {BODY}\n"
        "Baca berita menarik lainnya dari SINDOnews.com\n"
        "Copyright © 2024 SINDOnews.com"
    )
    found = detect(text, None, rulebook)
    assert found.outlet == "sindonews"
    assert len(found.evidence) == 2


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://www.tribunnews.com/nasional/judul", "www.tribunnews.com"),
        ("https://News.SindoNews.com:443/read/1", "news.sindonews.com"),
        ("sindonews.com/read/1", "sindonews.com"),
        ("www.rmol.id", "www.rmol.id"),
        ("//rmol.id/read/1", "rmol.id"),
    ],
)
def test_host_of_urls_with_and_without_scheme(url: str, host: str) -> None:
    assert host_of(url) == host


@pytest.mark.parametrize("junk", ["", "http://", "://", "http://[::1", "not a url"])
def test_host_of_junk_is_none(junk: str) -> None:
    assert host_of(junk) is None


# --- evidence anywhere in the text, weighed ---------------------------------------------

COLLAPSED = " ".join(BODY.split("\n"))


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        # a dump collapsed into one line: the lead-in follows the title, not a line start
        (f"Pencuri Motor Ditangkap di Depok JAKARTA, KOMPAS.com - {COLLAPSED}", "kompas"),
        (
            f"{COLLAPSED} Pewarta: Rina Wulandari Editor: Agus Salim Copyright © ANTARA 2024",
            "antara",
        ),
        (f"{COLLAPSED} Baca berita dengan sedikit iklan, klik di sini", "tempo"),
        (f"Liputan6.com, Jakarta {COLLAPSED}", "liputan6"),
    ],
    ids=["lead-in-after-title", "copyright-line", "tempo-promo", "dateline-without-dash"],
)
def test_signs_anywhere_in_a_collapsed_dump(rulebook: Rulebook, text: str, outlet: str) -> None:
    found = detect(text, None, rulebook)
    assert found.outlet == outlet
    assert found.method == "fingerprint" and found.score >= 1


def test_a_sign_too_light_alone_does_not_claim(rulebook: Rulebook) -> None:
    # the ad break detik shares with the other sites of its group weighs half
    found = detect(f"{BODY}\nSCROLL TO CONTINUE WITH CONTENT\n{BODY}", None, rulebook)
    assert found.rules is None
    assert found.score == 0.5
    assert found.evidence and found.evidence[0].startswith("detik: fingerprint (0.5)")


def test_signs_of_two_outlets_alike_give_no_outlet(rulebook: Rulebook) -> None:
    text = f"{BODY}\nCopyright © 2024 SINDOnews.com\nCopyright © 2024 Kompas.com"
    found = detect(text, None, rulebook)
    assert found.rules is None  # a wrong outlet's rules do more harm than none
    assert {e.split(":")[0] for e in found.evidence} == {"kompas", "sindonews"}


def test_one_line_counts_once_however_many_patterns_it_matches(rulebook: Rulebook) -> None:
    found = detect(f"TRIBUNNEWS.COM -- {BODY}", None, rulebook)
    assert found.outlet == "tribunnews"
    assert found.score == 1.0 and len(found.evidence) == 1


def test_a_copyright_line_of_a_site_without_rules_claims_nothing(rulebook: Rulebook) -> None:
    assert detect(f"{BODY}\nCopyright © 2024 Kabar Contoh", None, rulebook) == UNKNOWN


def test_the_input_records_domain_field(rulebook: Rulebook) -> None:
    found = detect(BODY, None, rulebook, domain="regional.kompas.com")
    assert (found.outlet, found.method, found.evidence) == (
        "kompas",
        "domain",
        ("regional.kompas.com",),
    )
    assert detect(BODY, "https://www.tribunnews.com/x", rulebook, domain="kompas.com").outlet == (
        "tribunnews"
    )


def _texts() -> list[str]:
    """Texts to search signs in: the fixtures' dumps, the real corpora when present, and
    lead-ins, promos and copyright lines naming every outlet by each of its brands."""
    texts = [path.read_text("utf-8") for path in sorted(FIXTURES.glob("*/*.txt"))]
    texts += corpora_texts(CORPORA) if CORPORA.is_dir() else []
    for rules in load_rulebook().outlets.values():
        for brand in rules.brands:
            texts += [
                f"Judul Berita\nJakarta, {brand} - {BODY}",
                f"Kabar Terkini {brand} -- {BODY}",
                f"{BODY}\nIkuti berita {brand} di Google News dan WhatsApp Channel",
                f"{BODY} Simak {brand.lower()} di aplikasi",
            ]
    return texts


def test_what_a_sign_requires_is_found_wherever_the_sign_is(rulebook: Rulebook) -> None:
    """Detection skips a sign whose brand-and-onwards part is absent without searching
    for the whole (costly) sign: that must never skip a sign that is there."""
    _, signs = rulebook.signs
    required = [s for s in signs if s.required]
    assert {s.kind for s in required} >= {"generic/lead-in", "fingerprint inside a line"}
    found = 0
    for text in _texts():
        data = text.encode("utf-8", "surrogatepass")
        for sign in required:
            if compile_pattern(f"(?m){sign.searched}").search(data) is not None:
                found += 1
                assert compile_pattern(f"(?m){sign.required}").search(data) is not None, (
                    sign.searched,
                    text[:200],
                )
    assert found > 50  # the texts do hold such signs
