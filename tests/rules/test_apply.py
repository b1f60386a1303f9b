"""Applying compiled rules to a document's lines (cleaner/apply.py)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from cleaner.models import RawDocument, Reject
from cleaner.pipeline import Cleaner
from cleaner.rules.apply import clean_lines
from cleaner.rules.compile import OutletRules, Rulebook
from cleaner.rules.document import Cleaned, removed, split_lines
from cleaner.rules.load import compile_rule_file
from cleaner.text.dates import ZONES

WIB = ZONES["WIB"]


def rules(tmp_path: Path, body: str, stem: str = "demo") -> OutletRules:
    """Compile a small rule file written into ``tmp_path``."""
    path = tmp_path / f"{stem}.yaml"
    path.write_text(textwrap.dedent(body).lstrip("\n"), encoding="utf-8")
    return compile_rule_file(path, bundled=False)


def clean(text: str, *chain: OutletRules) -> Cleaned:
    return clean_lines(text, chain, WIB)


def kept(doc: Cleaned) -> list[str]:
    return [line.text for line in doc.kept]


def removed_texts(doc: Cleaned) -> list[str]:
    return [line.original for line in removed(doc)]


ARTICLE = [
    "Polisi menangkap dua orang pelaku pencurian sepeda motor di Depok, Jawa Barat.",
    "Kedua pelaku ditangkap saat hendak menjual motor curian itu melalui media sosial.",
    "Kapolres mengatakan para pelaku sudah beraksi di lima lokasi berbeda.",
    "Keduanya kini ditahan di Mapolres untuk pemeriksaan lebih lanjut.",
]


# --- splitting ---------------------------------------------------------------------------


def test_split_lines_skips_blank_lines_and_keeps_line_numbers() -> None:
    lines = split_lines("Satu\n\nDua\n\n\nTiga")
    assert [(line.no, line.text) for line in lines] == [(1, "Satu"), (3, "Dua"), (6, "Tiga")]


# --- drop_lines -------------------------------------------------------------------------------


DROP_LINES = """
    name: Demo
    drop_lines:
      - id: related
        pattern: '(?i)baca juga:'
      - id: ad
        pattern: 'ADVERTISEMENT$'
"""


def test_drop_lines_removes_matching_lines_and_counts_hits(tmp_path: Path) -> None:
    text = "\n".join(
        [
            ARTICLE[0],
            "Baca juga: Polisi Buru Penadah Motor Curian",
            ARTICLE[1],
            "ADVERTISEMENT",
            ARTICLE[2],
            "BACA JUGA: Harga Motor Bekas Anjlok",
            ARTICLE[3],
        ]
    )
    doc = clean(text, rules(tmp_path, DROP_LINES))
    assert kept(doc) == ARTICLE
    assert doc.hits == {"demo/related": 2, "demo/ad": 1}
    assert doc.text == "\n".join(ARTICLE)


def test_drop_lines_leave_a_document_without_matches_alone(tmp_path: Path) -> None:
    doc = clean("\n".join(ARTICLE), rules(tmp_path, DROP_LINES))
    assert kept(doc) == ARTICLE
    assert not doc.hits


def test_pattern_matches_only_at_line_start(tmp_path: Path) -> None:
    line = "Ia menulis di akun media sosialnya, baca juga: pesan untuk warga."
    doc = clean(line, rules(tmp_path, DROP_LINES))
    assert kept(doc) == [line]


def test_pattern_with_dollar_must_match_whole_line(tmp_path: Path) -> None:
    line = "ADVERTISEMENT dipasang di sepanjang jalan protokol."
    doc = clean(line, rules(tmp_path, DROP_LINES))
    assert kept(doc) == [line]


def test_removed_lines_keep_original_text_and_rule_id(tmp_path: Path) -> None:
    text = f"{ARTICLE[0]}\nBaca juga: Polisi Buru Penadah\n{ARTICLE[1]}"
    doc = clean(text, rules(tmp_path, DROP_LINES))
    [gone] = list(removed(doc))
    assert gone.original == "Baca juga: Polisi Buru Penadah"
    assert gone.text == "Baca juga: Polisi Buru Penadah"
    assert gone.removed_by == "demo/related"
    assert gone.no == 2
    assert len(doc.lines) == 3


def test_within_limits_a_rule_to_the_first_kept_lines(tmp_path: Path) -> None:
    body = """
        name: Demo
        drop_lines:
          - id: breadcrumb
            within: 2
            pattern: 'Berita$'
    """
    text = "\n".join(["Berita", ARTICLE[0], "Berita", ARTICLE[1]])
    doc = clean(text, rules(tmp_path, body))
    assert kept(doc) == [ARTICLE[0], "Berita", ARTICLE[1]]
    assert doc.hits == {"demo/breadcrumb": 1}


def test_within_counts_kept_lines_not_removed_ones(tmp_path: Path) -> None:
    body = """
        name: Demo
        drop_blocks:
          - id: header
            start: 'MENU$'
            end: 'TUTUP$'
        drop_lines:
          - id: breadcrumb
            within: 1
            pattern: 'Berita$'
    """
    text = "\n".join(["MENU", "Beranda", "TUTUP", "Berita", ARTICLE[0]])
    doc = clean(text, rules(tmp_path, body))
    assert kept(doc) == [ARTICLE[0]]
    assert doc.hits == {"demo/header": 3, "demo/breadcrumb": 1}


def test_within_last_limits_a_rule_to_the_last_kept_lines(tmp_path: Path) -> None:
    body = """
        name: Demo
        drop_lines:
          - id: footer
            within_last: 2
            pattern: 'Redaksi$'
    """
    text = "\n".join(["Redaksi", ARTICLE[0], ARTICLE[1], "Redaksi"])
    doc = clean(text, rules(tmp_path, body))
    assert kept(doc) == ["Redaksi", ARTICLE[0], ARTICLE[1]]
    assert doc.hits == {"demo/footer": 1}


def test_first_matching_drop_line_rule_gets_the_hit(tmp_path: Path) -> None:
    body = """
        name: Demo
        drop_lines:
          - id: first
            pattern: 'Iklan'
          - id: second
            pattern: 'Iklan$'
    """
    doc = clean(f"{ARTICLE[0]}\nIklan", rules(tmp_path, body))
    assert doc.hits == {"demo/first": 1}


# --- drop_blocks ---------------------------------------------------------------------------


def block_rules(tmp_path: Path, options: str) -> OutletRules:
    body = f"""
        name: Demo
        drop_blocks:
          - id: box
            start: 'Populer$'
{textwrap.indent(textwrap.dedent(options).strip(), " " * 12)}
    """
    return rules(tmp_path, body)


def test_block_with_end_removes_through_the_end_line(tmp_path: Path) -> None:
    text = "\n".join([ARTICLE[0], "Populer", "Judul Satu", "Judul Dua", "Selengkapnya", ARTICLE[1]])
    doc = clean(text, block_rules(tmp_path, "end: 'Selengkapnya$'"))
    assert kept(doc) == [ARTICLE[0], ARTICLE[1]]
    assert doc.hits == {"demo/box": 4}


def test_block_with_include_end_false_keeps_the_end_line(tmp_path: Path) -> None:
    text = "\n".join([ARTICLE[0], "Populer", "Judul Satu", ARTICLE[1], ARTICLE[2]])
    options = """
        end: 'Kedua pelaku'
        include_end: false
    """
    doc = clean(text, block_rules(tmp_path, options))
    assert kept(doc) == [ARTICLE[0], ARTICLE[1], ARTICLE[2]]
    assert doc.hits == {"demo/box": 2}


def test_block_without_its_end_line_removes_nothing(tmp_path: Path) -> None:
    text = "\n".join([ARTICLE[0], "Populer", "Judul Satu", ARTICLE[1]])
    doc = clean(text, block_rules(tmp_path, "end: 'Selengkapnya$'"))
    assert kept(doc) == [ARTICLE[0], "Populer", "Judul Satu", ARTICLE[1]]
    assert not doc.hits


def test_block_end_must_come_after_the_start(tmp_path: Path) -> None:
    text = "\n".join(["Selengkapnya", ARTICLE[0], "Populer", ARTICLE[1]])
    doc = clean(text, block_rules(tmp_path, "end: 'Selengkapnya$'"))
    assert not doc.hits


def test_block_to_end_removes_everything_after_the_start(tmp_path: Path) -> None:
    text = "\n".join([ARTICLE[0], ARTICLE[1], "Populer", "Topik lain", ARTICLE[2]])
    doc = clean(text, block_rules(tmp_path, "to_end: true"))
    assert kept(doc) == [ARTICLE[0], ARTICLE[1]]
    assert doc.hits == {"demo/box": 3}


def test_two_blocks_in_one_document_are_both_removed(tmp_path: Path) -> None:
    text = "\n".join(
        [ARTICLE[0], "Populer", "A", "Tutup", ARTICLE[1], "Populer", "B", "Tutup", ARTICLE[2]]
    )
    doc = clean(text, block_rules(tmp_path, "end: 'Tutup$'"))
    assert kept(doc) == [ARTICLE[0], ARTICLE[1], ARTICLE[2]]
    assert doc.hits == {"demo/box": 6}


def test_run_of_block_stops_at_first_line_of_another_class(tmp_path: Path) -> None:
    text = "\n".join(
        [
            ARTICLE[0],
            "Populer",
            "1",
            "Harga Emas Antam Naik Lagi Hari Ini",
            "Rabu, 24 Desember 2025 | 07:26",
            "2",
            "Timnas Indonesia Tumbang di Kandang Lawan",
            "5 menit yang lalu",
            ARTICLE[1],
            "Judul Pendek Tanpa Titik",
        ]
    )
    doc = clean(text, block_rules(tmp_path, "run_of: [headline, timestamp, number]"))
    assert kept(doc) == [ARTICLE[0], ARTICLE[1], "Judul Pendek Tanpa Titik"]
    assert doc.hits == {"demo/box": 7}


def test_run_of_uses_only_the_classes_listed(tmp_path: Path) -> None:
    text = "\n".join(["Populer", "Rabu, 24 Desember 2025 | 07:26", "Harga Emas Naik", ARTICLE[0]])
    doc = clean(text, block_rules(tmp_path, "run_of: [timestamp]"))
    assert kept(doc) == ["Harga Emas Naik", ARTICLE[0]]


def test_run_of_min_run_needs_enough_lines(tmp_path: Path) -> None:
    options = """
        run_of: [headline]
        min_run: 2
    """
    short_run = "\n".join([ARTICLE[0], "Populer", "Harga Emas Naik", ARTICLE[1]])
    doc = clean(short_run, block_rules(tmp_path, options))
    assert kept(doc) == [ARTICLE[0], "Populer", "Harga Emas Naik", ARTICLE[1]]

    long_run = "\n".join(
        [ARTICLE[0], "Populer", "Harga Emas Naik", "Timnas Menang Lagi", ARTICLE[1]]
    )
    doc = clean(long_run, block_rules(tmp_path, options))
    assert kept(doc) == [ARTICLE[0], ARTICLE[1]]


def test_run_of_without_min_run_removes_a_header_alone(tmp_path: Path) -> None:
    text = "\n".join([ARTICLE[0], "Populer", ARTICLE[1]])
    doc = clean(text, block_rules(tmp_path, "run_of: [headline]"))
    assert kept(doc) == [ARTICLE[0], ARTICLE[1]]


def test_block_start_respects_within(tmp_path: Path) -> None:
    options = """
        to_end: true
        within: 2
    """
    text = "\n".join([ARTICLE[0], ARTICLE[1], "Populer", ARTICLE[2]])
    doc = clean(text, block_rules(tmp_path, options))
    assert kept(doc) == [ARTICLE[0], ARTICLE[1], "Populer", ARTICLE[2]]


# --- fields ---------------------------------------------------------------------------------


FIELDS = """
    name: Demo
    fields:
      - id: credit
        pattern: '(?:(?P<image_caption>.*\\S)\\s+)?(?P<image_credit>Foto/\\S+)$'
      - id: tags
        repeat: true
        pattern: 'Tag: (?P<tags>.+)$'
"""


def test_field_rule_captures_named_groups_and_removes_the_line(tmp_path: Path) -> None:
    caption = "Petugas memeriksa motor curian di Mapolres Depok. Foto/ANTARA"
    doc = clean("\n".join([caption, *ARTICLE]), rules(tmp_path, FIELDS))
    assert doc.field_values() == {
        "image_caption": "Petugas memeriksa motor curian di Mapolres Depok.",
        "image_credit": "Foto/ANTARA",
    }
    assert doc.fields["image_credit"].rule == "demo/credit"
    assert doc.fields["image_credit"].line == 1
    assert kept(doc) == ARTICLE
    assert doc.hits == {"demo/credit": 1}


def test_optional_group_that_did_not_match_is_not_a_field(tmp_path: Path) -> None:
    doc = clean("\n".join(["Foto/REUTERS", *ARTICLE]), rules(tmp_path, FIELDS))
    assert doc.field_values() == {"image_credit": "Foto/REUTERS"}


def test_field_rule_first_capture_wins_and_later_lines_stay(tmp_path: Path) -> None:
    text = "\n".join(["Foto/ANTARA", ARTICLE[0], "Foto/REUTERS", ARTICLE[1]])
    doc = clean(text, rules(tmp_path, FIELDS))
    assert doc.field_values() == {"image_credit": "Foto/ANTARA"}
    assert kept(doc) == [ARTICLE[0], "Foto/REUTERS", ARTICLE[1]]


def test_repeat_field_rule_removes_later_matches_and_keeps_first_value(tmp_path: Path) -> None:
    text = "\n".join(["Tag: politik", ARTICLE[0], "Tag: pemilu", ARTICLE[1]])
    doc = clean(text, rules(tmp_path, FIELDS))
    assert doc.field_values() == {"tags": "politik"}
    assert kept(doc) == [ARTICLE[0], ARTICLE[1]]
    assert doc.hits == {"demo/tags": 2}


def test_field_rule_respects_within(tmp_path: Path) -> None:
    body = """
        name: Demo
        fields:
          - id: reporter
            within: 2
            pattern: 'Reporter: (?P<authors>.+)$'
    """
    text = "\n".join([ARTICLE[0], ARTICLE[1], "Reporter: Budi Santoso"])
    doc = clean(text, rules(tmp_path, body))
    assert doc.fields == {}
    assert kept(doc)[-1] == "Reporter: Budi Santoso"


RELATIVE = """
    name: Demo
    strip_prefixes:
      - id: lead-in
        within: 5
        pattern: 'DEMO\\.COM -- '
    fields:
      - id: title
        relative_to: lead-in
        offset: -1
        pattern: '(?P<title>.{5,200})$'
      - id: reporter
        relative_to: lead-in
        offset: 1
        pattern: 'Reporter: (?P<authors>.+)$'
"""


def test_relative_to_picks_the_line_above_and_below_the_anchor(tmp_path: Path) -> None:
    text = "\n".join(
        [
            "Menu",
            "Polisi Tangkap Pencuri Motor di Depok",
            f"DEMO.COM -- {ARTICLE[0]}",
            "Reporter: Budi Santoso",
            ARTICLE[1],
        ]
    )
    doc = clean(text, rules(tmp_path, RELATIVE))
    assert doc.field_values() == {
        "title": "Polisi Tangkap Pencuri Motor di Depok",
        "authors": "Budi Santoso",
    }
    assert kept(doc) == ["Menu", ARTICLE[0], ARTICLE[1]]


def test_relative_to_skips_lines_already_removed(tmp_path: Path) -> None:
    body = RELATIVE.replace(
        "    strip_prefixes:",
        "    drop_lines:\n      - id: ad\n        pattern: 'Iklan$'\n    strip_prefixes:",
    )
    text = "\n".join(
        [
            "Polisi Tangkap Pencuri Motor di Depok",
            "Iklan",
            f"DEMO.COM -- {ARTICLE[0]}",
            ARTICLE[1],
        ]
    )
    doc = clean(text, rules(tmp_path, body))
    assert doc.field_values() == {"title": "Polisi Tangkap Pencuri Motor di Depok"}


def test_relative_rule_only_looks_at_the_one_line(tmp_path: Path) -> None:
    text = "\n".join(
        [
            "Polisi Tangkap Pencuri Motor di Depok",
            f"DEMO.COM -- {ARTICLE[0]}",
            ARTICLE[1],
            "Reporter: Budi Santoso",
        ]
    )
    doc = clean(text, rules(tmp_path, RELATIVE))
    assert "authors" not in doc.fields
    assert kept(doc)[-1] == "Reporter: Budi Santoso"


def test_relative_rule_does_nothing_without_its_anchor(tmp_path: Path) -> None:
    text = "\n".join(["Polisi Tangkap Pencuri Motor di Depok", *ARTICLE])
    doc = clean(text, rules(tmp_path, RELATIVE))
    assert doc.fields == {}
    assert kept(doc) == ["Polisi Tangkap Pencuri Motor di Depok", *ARTICLE]


def test_relative_to_an_earlier_field_rule(tmp_path: Path) -> None:
    body = """
        name: Demo
        fields:
          - id: date
            within: 4
            pattern: '(?P<published_at>Rabu, \\d{1,2} \\w+ \\d{4} - \\d{2}:\\d{2} WIB)$'
          - id: title
            relative_to: date
            offset: -1
            pattern: '(?P<title>.{5,200})$'
    """
    text = "\n".join(
        ["Polisi Tangkap Pencuri Motor di Depok", "Rabu, 20 September 2023 - 09:04 WIB", *ARTICLE]
    )
    doc = clean(text, rules(tmp_path, body))
    assert doc.field_values() == {
        "published_at": "Rabu, 20 September 2023 - 09:04 WIB",
        "title": "Polisi Tangkap Pencuri Motor di Depok",
    }
    assert kept(doc) == ARTICLE


# --- strip_prefixes / strip_suffixes ---------------------------------------------------------


STRIPS = """
    name: Demo
    strip_prefixes:
      - id: dateline
        pattern: '(?P<dateline>[A-Z]{3,}) - '
    strip_suffixes:
      - id: sign-off
        within_last: 1
        pattern: '\\s+\\((?P<editor_initials>[a-z]{2,5})\\)'
"""


def test_strip_prefix_cuts_the_lead_in_and_keeps_the_rest(tmp_path: Path) -> None:
    text = "\n".join([f"DEPOK - {ARTICLE[0]}", ARTICLE[1]])
    doc = clean(text, rules(tmp_path, STRIPS))
    assert kept(doc) == [ARTICLE[0], ARTICLE[1]]
    assert doc.field_values() == {"dateline": "DEPOK"}
    assert doc.hits == {"demo/dateline": 1}
    first = doc.lines[0]
    assert first.original == f"DEPOK - {ARTICLE[0]}"
    assert first.removed_by is None
    assert first.stripped == [("demo/dateline", "DEPOK - ")]


def test_strip_prefix_applies_once_per_document(tmp_path: Path) -> None:
    text = "\n".join([f"DEPOK - {ARTICLE[0]}", f"BOGOR - {ARTICLE[1]}"])
    doc = clean(text, rules(tmp_path, STRIPS))
    assert kept(doc) == [ARTICLE[0], f"BOGOR - {ARTICLE[1]}"]
    assert doc.field_values() == {"dateline": "DEPOK"}


def test_strip_prefix_that_empties_a_line_removes_it(tmp_path: Path) -> None:
    text = "\n".join(["DEPOK - ", ARTICLE[0]])
    doc = clean(text, rules(tmp_path, STRIPS))
    assert kept(doc) == [ARTICLE[0]]
    assert doc.lines[0].removed_by == "demo/dateline"
    assert doc.lines[0].original == "DEPOK - "
    assert doc.field_values() == {"dateline": "DEPOK"}


def test_strip_prefix_matches_only_at_line_start(tmp_path: Path) -> None:
    line = "Ia tiba di kota DEPOK - BOGOR pagi tadi."
    doc = clean(line, rules(tmp_path, STRIPS))
    assert kept(doc) == [line]
    assert doc.fields == {}


def test_strip_suffix_cuts_the_sign_off_at_the_end_of_the_last_line(tmp_path: Path) -> None:
    text = "\n".join([ARTICLE[0], f"{ARTICLE[1]} (mas)"])
    doc = clean(text, rules(tmp_path, STRIPS))
    assert kept(doc) == [ARTICLE[0], ARTICLE[1]]
    assert doc.field_values() == {"editor_initials": "mas"}
    assert doc.lines[1].stripped == [("demo/sign-off", " (mas)")]
    assert doc.hits == {"demo/sign-off": 1}


def test_strip_suffix_leaves_earlier_lines_and_mid_line_text_alone(tmp_path: Path) -> None:
    text = "\n".join([f"{ARTICLE[0]} (mas)", "Kata warga (ant) kemudian, semua aman."])
    doc = clean(text, rules(tmp_path, STRIPS))
    assert kept(doc) == [f"{ARTICLE[0]} (mas)", "Kata warga (ant) kemudian, semua aman."]
    assert doc.fields == {}


# --- max_line_chars ---------------------------------------------------------------------------


def test_max_line_chars_protects_long_lines_from_drop_and_field_rules(tmp_path: Path) -> None:
    body = """
        name: Demo
        max_line_chars: 80
        drop_blocks:
          - id: box
            start: 'Populer'
            to_end: true
        drop_lines:
          - id: related
            pattern: 'Baca juga:'
        fields:
          - id: credit
            pattern: '(?:(?P<image_caption>.*\\S)\\s+)?(?P<image_credit>Foto/\\S+)$'
    """
    long_related = "Baca juga: " + " ".join(ARTICLE)
    long_caption = " ".join(ARTICLE) + " Foto/ANTARA"
    long_popular = "Populer " + " ".join(ARTICLE)
    short = "Baca juga: Polisi Buru Penadah"
    text = "\n".join([long_related, long_caption, long_popular, short])
    doc = clean(text, rules(tmp_path, body))
    assert kept(doc) == [long_related, long_caption, long_popular]
    assert doc.fields == {}
    assert doc.hits == {"demo/related": 1}


def test_line_exactly_at_max_line_chars_is_still_a_candidate(tmp_path: Path) -> None:
    body = """
        name: Demo
        max_line_chars: 20
        drop_lines:
          - id: related
            pattern: 'Baca juga:'
    """
    line = "Baca juga: " + "x" * 9
    assert len(line) == 20
    doc = clean(f"{line}\n{ARTICLE[0]}", rules(tmp_path, body))
    assert kept(doc) == [ARTICLE[0]]


# --- chains of files ------------------------------------------------------------------------


OUTLET = """
    name: Outlet
    domains: [demo.example.com]
    fields:
      - id: credit
        pattern: 'Kredit: (?P<image_credit>.+)$'
"""

GENERIC = """
    name: Generic
    drop_lines:
      - id: related
        pattern: 'Baca juga:'
    fields:
      - id: photo-credit
        repeat: true
        pattern: '(?P<image_credit>Foto/\\S+)$'
"""


def test_first_capture_wins_across_files(tmp_path: Path) -> None:
    outlet = rules(tmp_path, OUTLET, stem="demo")
    generic = rules(tmp_path, GENERIC, stem="generic")
    text = "\n".join(["Foto/REUTERS", ARTICLE[0], "Kredit: ANTARA", ARTICLE[1]])
    doc = clean(text, outlet, generic)
    assert doc.fields["image_credit"].value == "ANTARA"
    assert doc.fields["image_credit"].rule == "demo/credit"
    assert kept(doc) == [ARTICLE[0], ARTICLE[1]]
    assert doc.hits == {"demo/credit": 1, "generic/photo-credit": 1}


def test_pipeline_runs_outlet_file_before_generic_file(tmp_path: Path) -> None:
    outlet = rules(tmp_path, OUTLET, stem="demo")
    generic = rules(tmp_path, GENERIC, stem="generic")
    book = Rulebook(
        outlets={"demo": outlet}, generic=generic, domain_index={"demo.example.com": "demo"}
    )
    text = "\n".join(["Foto/REUTERS", ARTICLE[0], "Kredit: ANTARA", ARTICLE[1]])
    doc = RawDocument(source="x", data=text.encode(), url="https://demo.example.com/a/1")
    cleaner = Cleaner(rulebook=book)
    prepared = cleaner.prepare(doc)
    assert not isinstance(prepared, Reject)
    cleaned = cleaner.apply(prepared)
    assert (prepared.detection.outlet, prepared.detection.method) == ("demo", "url")
    assert cleaned.field_values() == {"image_credit": "ANTARA"}


def test_generic_rules_apply_after_outlet_rules_changed_the_lines(tmp_path: Path) -> None:
    outlet = rules(
        tmp_path,
        """
        name: Outlet
        strip_prefixes:
          - id: lead-in
            pattern: 'DEMO\\.COM -- '
        """,
        stem="demo",
    )
    generic = rules(tmp_path, GENERIC, stem="generic")
    text = "\n".join(["DEMO.COM -- Baca juga: Polisi Buru Penadah", ARTICLE[0]])
    doc = clean(text, outlet, generic)
    assert kept(doc) == [ARTICLE[0]]
    assert doc.lines[0].removed_by == "generic/related"
    assert doc.lines[0].original == "DEMO.COM -- Baca juga: Polisi Buru Penadah"


# --- heuristics -----------------------------------------------------------------------------


def test_title_echo_heuristic_removes_copies_of_the_captured_title(tmp_path: Path) -> None:
    body = """
        name: Demo
        fields:
          - id: title
            within: 1
            pattern: '(?P<title>.{5,200})$'
        heuristics:
          - id: title-echo
    """
    title = "Polisi Tangkap Pencuri Motor di Depok"
    text = "\n".join([title, "Polisi Tangkap Pencuri...", title, *ARTICLE])
    doc = clean(text, rules(tmp_path, body))
    assert kept(doc) == ARTICLE
    assert doc.hits == {"demo/title": 1, "demo/title-echo": 2}


# --- inline spans: boilerplate inside a line -----------------------------------------------

SPANS = """
    name: Spans
    inline_spans:
      - id: related
        pattern: '(?P<cut>Baca juga: (?:[A-Z][^ ]* )+?)[A-Z][a-z]+ [a-z]'
      - id: credits
        pattern: '\\s+Pewarta: (?P<authors>[A-Z][a-z]+(?: [A-Z][a-z]+)?) Editor: [A-Z][a-z]+$'
"""


def test_inline_spans_cut_every_occurrence_and_keep_the_rest(tmp_path: Path) -> None:
    line = (
        "Harga cabai naik tajam. Baca juga: Stok Beras Aman Pedagang pasar mengeluh. "
        "Baca juga: Harga Emas Turun Warga memilih menunda belanja. Pewarta: Rina Ayu Editor: Budi"
    )
    doc = clean_lines(line, [rules(tmp_path, SPANS)], WIB)
    assert doc.text == (
        "Harga cabai naik tajam. Pedagang pasar mengeluh. Warga memilih menunda belanja."
    )
    assert doc.hits == {"demo/related": 2, "demo/credits": 1}
    assert doc.field_values() == {"authors": "Rina Ayu"}
    assert [rule for rule, _ in doc.lines[0].stripped] == [
        "demo/related",
        "demo/related",
        "demo/credits",
    ]


def test_an_inline_span_that_takes_the_whole_line_removes_it(tmp_path: Path) -> None:
    doc = clean_lines("x Pewarta: Rina Editor: Budi\nIsi berita.", [rules(tmp_path, SPANS)], WIB)
    assert [line.text for line in doc.kept] == ["x", "Isi berita."]


# --- template versions: rules chosen by the article's date ----------------------------------

VERSIONED = """
    name: Versioned
    fields:
      - id: date
        within: 2
        pattern: '(?P<published_at>\\d{1,2} \\w+ \\d{4})$'
    versions:
      - valid_until: 2019-12-31
        drop_lines:
          - id: old-widget
            pattern: 'Bagikan artikel$'
      - valid_from: 2020-01-01
        drop_lines:
          - id: new-widget
            pattern: 'Share:'
"""


@pytest.mark.parametrize(
    ("day", "removed_by"),
    [
        ("3 Maret 2018", {"demo/date", "demo/old-widget"}),
        ("3 Maret 2021", {"demo/date", "demo/new-widget"}),
    ],
)
def test_versions_apply_by_the_articles_date(
    tmp_path: Path, day: str, removed_by: set[str]
) -> None:
    text = "\n".join([day, "Bagikan artikel", "Share: FB TW", ARTICLE[0]])
    doc = clean_lines(text, [rules(tmp_path, VERSIONED)], WIB)
    assert {line.removed_by for line in doc.lines if line.removed_by} == removed_by


def test_all_versions_apply_when_the_date_is_unknown(tmp_path: Path) -> None:
    doc = clean_lines(
        "Bagikan artikel\nShare: FB TW\n" + ARTICLE[0], [rules(tmp_path, VERSIONED)], WIB
    )
    assert [line.text for line in doc.kept] == [ARTICLE[0]]


def test_a_date_known_from_the_page_chooses_the_version(tmp_path: Path) -> None:
    text = "Bagikan artikel\nShare: FB TW\n" + ARTICLE[0]
    doc = clean_lines(text, [rules(tmp_path, VERSIONED)], WIB, {"published_at": "2018-05-01"})
    assert [line.text for line in doc.kept] == ["Share: FB TW", ARTICLE[0]]


def test_version_rule_ids_share_the_files_namespace(tmp_path: Path) -> None:
    from cleaner.errors import RuleFileError

    body = VERSIONED.replace("id: new-widget", "id: date")
    with pytest.raises(RuleFileError, match="duplicate rule id 'date'") as info:
        rules(tmp_path, body)
    assert info.value.line is not None and info.value.line > 10
