"""Line classes and document heuristics (cleaner/heuristics.py)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.rules.compile import CompiledHeuristic, Origin
from cleaner.rules.document import Cleaned, split_lines
from cleaner.rules.heuristics import HEURISTICS
from cleaner.rules.lines import _DATE_INSIDE, LINE_CLASSES, is_headline, is_number, is_timestamp
from cleaner.rules.patterns import compile_pattern

LONG_SENTENCE = (
    "Kepolisian Daerah Metro Jaya menetapkan tiga orang sebagai tersangka dalam kasus "
    "pencurian sepeda motor yang terjadi di kawasan Depok pada akhir pekan lalu."
)


@pytest.mark.parametrize(
    "line",
    [
        "Harga Emas Antam Naik Lagi Hari Ini",
        "Timnas Indonesia Tumbang 0-2 di Kandang Lawan",
        "Meski Sekutu Rusia,...",
        "Prabowo: Kita Tidak Akan Mundur Sejengkal Pun!",
        "Apa Penyebab Banjir Bandang di Sumatera Barat?",
        "KPK",
    ],
)
def test_is_headline_accepts_short_lines_not_ending_like_a_sentence(line: str) -> None:
    assert is_headline(line)


@pytest.mark.parametrize(
    "line",
    [
        LONG_SENTENCE,
        "Dia tewas.",
        "Berikut daftar lengkapnya:",
        "Menurut polisi, pelaku sudah beraksi di lima lokasi;",
        "Pada hari itu,",
        " ".join(["kata"] * 31),
        "Judul " + "x" * 200,
        "",
    ],
)
def test_is_headline_rejects_sentences_long_lines_and_empty_lines(line: str) -> None:
    assert not is_headline(line)


def test_is_headline_word_limit_is_thirty() -> None:
    assert is_headline(" ".join(["kata"] * 30))
    assert not is_headline(" ".join(["kata"] * 31))


@pytest.mark.parametrize(
    "line",
    [
        "Rabu, 24 Desember 2025 | 07:26",
        "Rabu, 20 September 2023 - 09:04 WIB",
        "Jum'at, 1 Maret 2024",
        "24 Des 2025",
        "24/12/2025",
        "24/12/25 07:26",
        "07:26",
        "19.02 WITA",
        "5 menit yang lalu",
        "2 jam lalu",
        "30 detik yang lalu",
        "SABTU, 31 OKTOBER 2020",
    ],
)
def test_is_timestamp_accepts_dates_times_and_ages(line: str) -> None:
    assert is_timestamp(line)


@pytest.mark.parametrize(
    "line",
    [
        "Rabu (24/12/2025) polisi menangkap pelaku.",
        "Hujan turun sejak pagi.",
        "5 menit",
        "Sejak 5 menit yang lalu hujan turun deras.",
        "Harga Emas Antam Naik Lagi Hari Ini",
        "2025",
        "",
    ],
)
def test_is_timestamp_rejects_sentences_mentioning_time(line: str) -> None:
    assert not is_timestamp(line)


@pytest.mark.parametrize("line", ["1", "2.", "10)", "#3", "100"])
def test_is_number_accepts_list_item_numbers(line: str) -> None:
    assert is_number(line)


@pytest.mark.parametrize("line", ["1000", "1. Rusia bantu evakuasi warga", "Nomor 1", "1,5", ""])
def test_is_number_rejects_other_lines(line: str) -> None:
    assert not is_number(line)


@pytest.mark.parametrize(
    ("line", "classes"),
    [
        ("Harga Cabai di Pasar Induk Turun Lagi", {"headline", "title_case"}),
        ("warga menunggu bus sejak pagi", {"headline"}),
        ("“Tidak.”", set()),
        ("Rabu, 24 Desember 2025 | 07:26", {"headline", "timestamp", "title_case"}),
        ("3.", {"number"}),
        ("Hujan turun sejak pagi dan jalan tergenang di banyak tempat.", set()),
    ],
)
def test_line_classes(line: str, classes: set[str]) -> None:
    assert {name for name, test in LINE_CLASSES.items() if test(line)} == classes


# --- title_echo ---------------------------------------------------------------------------------

TITLE = "Meski Sekutu Rusia, Armenia Minta AS Ikut Campur Hentikan Agresi Azerbaijan"


def echoes(texts: list[str], fields: dict[str, str]) -> list[str]:
    """The lines title-echo removes when the title is known (from the page's markup)."""
    doc = Cleaned(split_lines("\n".join(texts)), known=fields)
    rule = CompiledHeuristic("generic/title-echo", Origin("generic.yaml", None), "title-echo")
    HEURISTICS["title-echo"](doc, rule)
    return [line.text for line in doc.lines if line.removed_by == "generic/title-echo"]


def test_title_echo_drops_an_exact_repeat_of_the_title() -> None:
    body = "Armenia pada Rabu meminta Amerika Serikat ikut campur."
    assert echoes([TITLE, body], {"title": TITLE}) == [TITLE]


def test_title_echo_ignores_case_and_punctuation_differences() -> None:
    shouted = "MESKI SEKUTU RUSIA ARMENIA MINTA AS IKUT CAMPUR HENTIKAN AGRESI AZERBAIJAN!"
    assert echoes([shouted], {"title": TITLE}) == [shouted]


@pytest.mark.parametrize(
    "truncated",
    ["Meski Sekutu Rusia,...", "Meski Sekutu Rusia, Armenia…", "Meski Sekutu Rusia, Armenia ..."],
)
def test_title_echo_drops_a_truncated_copy(truncated: str) -> None:
    assert echoes([truncated], {"title": TITLE}) == [truncated]


@pytest.mark.parametrize(
    "line",
    [
        "Meski demikian, Armenia tetap menjadi anggota CSTO bersama Rusia.",
        "Meski...",
        "Meski Sekutu Rusia, Armenia Minta AS Ikut Campur",
        "Meski Sekutu Jepang,...",
        "Armenia Minta AS Ikut Campur...",
    ],
)
def test_title_echo_keeps_lines_that_are_not_copies(line: str) -> None:
    assert echoes([line], {"title": TITLE}) == []


def test_title_echo_does_nothing_without_a_title() -> None:
    assert echoes([TITLE, "Meski Sekutu Rusia,..."], {}) == []
    assert echoes([TITLE], {"title": ""}) == []


# --- link-lists: related headlines with their dates ------------------------------------------

PARAGRAPH = (
    "Pemerintah kota menambah jadwal kereta komuter mulai pekan depan untuk mengurai "
    "kepadatan penumpang pada jam sibuk pagi dan sore hari."
)


def run_heuristic(name: str, texts: list[str], pattern: str | None = None) -> Cleaned:
    doc = Cleaned(split_lines("\n".join(texts)))
    compiled = compile_pattern(pattern) if pattern else None
    HEURISTICS[name](doc, CompiledHeuristic(f"generic/{name}", Origin("g", None), name, compiled))
    return doc


def kept(doc: Cleaned) -> list[str]:
    return [line.text for line in doc.kept]


def test_link_lists_remove_dated_headline_runs_before_and_after_the_body() -> None:
    related = [
        "Kamis, 05/11/2015 09:25 WIB",
        "Ini Dia Tempat Terbasah di Dunia, Hujan Bisa 24 Jam",
        "Rabu, 04/11/2015 23:45 WIB",
        "Tiga Menteri Sambut Ponsel 4G Murah",
    ]
    doc = run_heuristic("link-lists", [*related, PARAGRAPH, PARAGRAPH, *related])
    assert kept(doc) == [PARAGRAPH, PARAGRAPH]


def test_link_lists_drop_a_teaser_stranded_between_two_lists() -> None:
    dated = ["01", "02Kamis, 05/11/2015 09:32 WIB", "Rogoh Rp 1,2 Juta, Memori Disulap"]
    teaser = "Kalau bukan sekarang, kapan lagi? Layanan baru itu akhirnya dijual."
    doc = run_heuristic("link-lists", [PARAGRAPH] * 5 + dated + [teaser] + dated)
    assert kept(doc) == [PARAGRAPH] * 5


@pytest.mark.parametrize(
    "lines",
    [
        [PARAGRAPH, "“Tidak.”", PARAGRAPH],
        [PARAGRAPH, "1. Rusia Bantu Evakuasi Warga", PARAGRAPH, "2. Azerbaijan Gempur Wilayah"],
        [PARAGRAPH, "Daftar Juara:", "Tim Merah", "Tim Biru", "Tim Hijau"],  # no dates
        [PARAGRAPH, "Senin, 12 Agustus 2024", "Sidang Dimulai Pagi Ini", PARAGRAPH],  # one date
        [PARAGRAPH, "Rapat digelar pada 12/08/2024 di balai kota dan dihadiri warga.", PARAGRAPH],
    ],
)
def test_link_lists_leave_articles_alone(lines: list[str]) -> None:
    assert kept(run_heuristic("link-lists", lines)) == lines


# --- inline-related-links -------------------------------------------------------------------

MARKER = r"(?:Baca|Simak|Lihat)\s+[Jj]uga\s*:\s*"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Marketplace memiliki pangsa 22%. Baca Juga : Nggak Cuma Sibuk Bermedsos, Warganet "
            "Doyan Jajan Aplikasi di Google Play Fintech (teknologi finansial) memiliki pangsa.",
            "Marketplace memiliki pangsa 22%. Fintech (teknologi finansial) memiliki pangsa.",
        ),
        (
            "Nasabah bisa menukar uang. Baca Juga: Saham Blue Chip Ini Siapkan Rp 37 T untuk "
            "Dividen, Apa Layak Beli? Cara penukaran uang baru cukup mudah.",
            "Nasabah bisa menukar uang. Cara penukaran uang baru cukup mudah.",
        ),
        (  # no headline shape after the marker: nothing is cut
            "Pesannya singkat. Baca juga: semua dokumen yang diberikan panitia sebelum rapat.",
            "Pesannya singkat. Baca juga: semua dokumen yang diberikan panitia sebelum rapat.",
        ),
    ],
)
def test_inline_related_links_cut_the_headline_and_keep_the_sentences(
    line: str, expected: str
) -> None:
    assert kept(run_heuristic("inline-related-links", [line], MARKER)) == [expected]


def test_a_dated_sentence_breaks_a_run_of_list_items() -> None:
    lines = [
        "Senin, 12/08/2024 09:00 WIB",
        "Rapat warga digelar pada 12/08/2024 di balai desa dan dihadiri seratus orang.",
        "Selasa, 13/08/2024 10:00 WIB",
        PARAGRAPH,
    ]
    assert kept(run_heuristic("link-lists", lines)) == lines


# The plain statement of what `_DATE_INSIDE` finds; the module's pattern is written for
# speed and must find the same.
_PLAIN_DATE_INSIDE = re.compile(
    r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
    r"|\b\d{1,2}\s+(?:jan|feb|peb|mar|apr|mei|may|jun|jul|agu|agt|ags|aug|sep|okt|oct|nov|nop|"
    r"des|dec)[a-z]*\.?\s+\d{4}"
    r"|\b\d{1,2}[:.]\d{2}\s*(?:WIB|WITA|WIT)\b"
    r"|\b\d+\s+(?:detik|menit|jam|hari)\s+(?:yang\s+)?lalu\b",
    re.IGNORECASE,
)
_DATE_PIECES = st.sampled_from(
    [*"0123456789", "/", ".", "-", ":", " ", "a", "_", "Mei", "Des.", "WIB", "jam", "lalu"]
)
_DATE_LIKE = st.tuples(
    st.sampled_from(["", "a", "x", " ", "_", "9", "é", "("]),
    st.text("0123456789", min_size=1, max_size=3),
    st.sampled_from(
        [
            " Mei 2024",
            "/11/2015",
            ".1.15",
            "-01-2024",
            ":30 WIB",
            ".05 WITA",
            ":3 WIB",
            " jam lalu",
            " menit yang lalu",
            " Des. 2024",
            " november 24",
            "\u00a0Agt 2020",
            " hari  lalu",
            ":30WIT",
            ":30 WIBX",
            "/1",
        ]
    ),
    st.lists(_DATE_PIECES, max_size=4).map("".join),
).map("".join)


@given(st.one_of(_DATE_LIKE, st.lists(_DATE_PIECES, max_size=12).map("".join)))
@settings(max_examples=3000, deadline=None)
def test_the_fast_date_pattern_finds_what_the_plain_one_does(text: str) -> None:
    assert (_DATE_INSIDE.search(text) is None) == (_PLAIN_DATE_INSIDE.search(text) is None)
