"""Captured strings to typed article fields (cleaner/metadata.py)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from cleaner.text.metadata import extract_metadata, merge_metadata, split_authors, split_tags

WIB = timezone(timedelta(hours=7))


# --- split_authors ---------------------------------------------------------------------------


def test_split_authors_title_cases_an_all_caps_name() -> None:
    assert split_authors("RENI ERINA") == ["Reni Erina"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Reni Erina, Budi Santoso", ["Reni Erina", "Budi Santoso"]),
        ("Reni Erina dan Budi Santoso", ["Reni Erina", "Budi Santoso"]),
        ("Reni Erina & Budi Santoso", ["Reni Erina", "Budi Santoso"]),
        ("Ani dan Budi, Candra & Dedi", ["Ani", "Budi", "Candra", "Dedi"]),
        ("Ani; Budi / Candra", ["Ani", "Budi", "Candra"]),
    ],
)
def test_split_authors_splits_lists(value: str, expected: list[str]) -> None:
    assert split_authors(value) == expected


@pytest.mark.parametrize(
    "value",
    ["Penulis: Reni Erina", "Oleh Reni Erina", "Oleh: Reni Erina", "Reporter : Reni Erina"],
)
def test_split_authors_removes_role_prefix(value: str) -> None:
    assert split_authors(value) == ["Reni Erina"]


def test_split_authors_role_prefix_and_caps_and_list_together() -> None:
    assert split_authors("Oleh: RENI ERINA dan BUDI SANTOSO") == ["Reni Erina", "Budi Santoso"]


def test_split_authors_does_not_split_on_dan_inside_a_word() -> None:
    assert split_authors("Daniel Ramadan, Sandy Andaru") == ["Daniel Ramadan", "Sandy Andaru"]


@pytest.mark.parametrize("name", ["McDonald van der Berg", "Muhammad bin Salman", "dr. Ani"])
def test_split_authors_keeps_mixed_case_names_as_written(name: str) -> None:
    assert split_authors(name) == [name]


def test_split_authors_removes_duplicates_keeping_first_order() -> None:
    assert split_authors("Budi, Ani, Budi") == ["Budi", "Ani"]


def test_split_authors_duplicate_after_case_fix_is_removed() -> None:
    assert split_authors("RENI ERINA, Reni Erina") == ["Reni Erina"]


def test_split_authors_tidies_whitespace() -> None:
    assert split_authors("  Budi \n  Santoso ,  Ani  ") == ["Budi Santoso", "Ani"]


def test_split_authors_drops_empty_parts() -> None:
    assert split_authors("Budi, , Ani,") == ["Budi", "Ani"]


# --- split_tags ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("politik, pemilu; jakarta", ["politik", "pemilu", "jakarta"]),
        ("#pemilu #jakarta", ["pemilu", "jakarta"]),
        ("Pemilu 2024 • Jokowi | DPR", ["Pemilu 2024", "Jokowi", "DPR"]),
    ],
)
def test_split_tags_on_common_separators(value: str, expected: list[str]) -> None:
    assert split_tags(value) == expected


def test_split_tags_removes_exact_duplicates_but_keeps_case() -> None:
    assert split_tags("pemilu, Pemilu, pemilu") == ["pemilu", "Pemilu"]


def test_split_tags_of_only_separators_is_empty() -> None:
    assert split_tags(" , ; | ") == []


# --- extract_metadata ------------------------------------------------------------------------


def test_extract_metadata_parses_published_at_to_aware_datetime() -> None:
    fields, warnings = extract_metadata({"published_at": "SABTU, 31 OKTOBER 2020 | 19:02 WIB"}, WIB)
    assert fields == {"published_at": datetime(2020, 10, 31, 19, 2, tzinfo=WIB)}
    assert fields["published_at"].utcoffset() == timedelta(hours=7)
    assert warnings == []


def test_extract_metadata_published_at_uses_the_default_zone() -> None:
    wita = timezone(timedelta(hours=8))
    fields, _ = extract_metadata({"published_at": "31 Oktober 2020 19:02"}, wita)
    assert fields["published_at"].utcoffset() == timedelta(hours=8)


def test_extract_metadata_unreadable_date_warns_and_drops_the_field() -> None:
    fields, warnings = extract_metadata({"published_at": "3 jam yang lalu", "title": "Judul"}, WIB)
    assert "published_at" not in fields
    assert fields == {"title": "Judul"}
    assert len(warnings) == 1
    assert warnings[0].startswith("published_at:")
    assert "3 jam yang lalu" in warnings[0]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("(mas)", "mas"), (" (MAS) ", "mas"), ("(kpl/pur)", "kpl/pur"), ("mas", "mas"), ("()", None)],
)
def test_extract_metadata_editor_initials(raw: str, expected: str | None) -> None:
    fields, _ = extract_metadata({"editor_initials": raw}, WIB)
    assert fields == {"editor_initials": expected}


def test_extract_metadata_splits_authors_and_tags() -> None:
    fields, warnings = extract_metadata(
        {"authors": "Penulis: RENI ERINA dan Budi", "tags": "pemilu, jakarta"}, WIB
    )
    assert fields == {"authors": ["Reni Erina", "Budi"], "tags": ["pemilu", "jakarta"]}
    assert warnings == []


def test_extract_metadata_tidies_whitespace_and_edge_punctuation() -> None:
    fields, _ = extract_metadata(
        {"title": "  Judul \n  berita\u00a0 baru  ", "dateline": " JAKARTA, ", "category": " - "},
        WIB,
    )
    assert fields == {"title": "Judul berita baru", "dateline": "JAKARTA", "category": None}


def test_extract_metadata_of_no_fields_is_empty() -> None:
    assert extract_metadata({}, WIB) == ({}, [])


# --- merge_metadata --------------------------------------------------------------------------


def test_merge_metadata_takes_each_field_from_the_first_layer_and_names_it() -> None:
    fields, warnings, sources = merge_metadata(
        [
            ("input", {"title": "Dari Masukan", "authors": ""}),
            ("outlet rules", {"title": "Dari Aturan", "authors": "RENI ERINA"}),
            ("page markup", {"authors": "Budi", "site_name": "Kabar Contoh"}),
            ("generic rules", {"dateline": "JAKARTA", "title": "Tebakan"}),
        ],
        WIB,
    )
    assert fields == {
        "title": "Dari Masukan",
        "authors": ["Reni Erina"],
        "site_name": "Kabar Contoh",
        "dateline": "JAKARTA",
    }
    assert sources == {
        "title": "input",
        "authors": "outlet rules",
        "site_name": "page markup",
        "dateline": "generic rules",
    }
    assert warnings == []


def test_merge_metadata_passes_over_a_value_that_does_not_read() -> None:
    fields, warnings, sources = merge_metadata(
        [
            ("input", {"published_at": "kemarin sore", "title": " – "}),
            ("generic rules", {"published_at": "31/10/2020 19:02", "title": "Judul"}),
        ],
        WIB,
    )
    assert fields == {"published_at": datetime(2020, 10, 31, 19, 2, tzinfo=WIB), "title": "Judul"}
    assert sources == {"published_at": "generic rules", "title": "generic rules"}
    assert warnings == ["published_at: no date in 'kemarin sore'"]


def test_merge_metadata_keeps_the_inputs_zone() -> None:
    fields, _, _ = merge_metadata([("input", {"published_at": "2020-10-31T19:02:00+09:00"})], WIB)
    assert fields["published_at"].utcoffset() == timedelta(hours=9)


def test_merge_metadata_of_nothing_is_nothing() -> None:
    assert merge_metadata([("input", {}), ("generic rules", {"title": "  "})], WIB) == ({}, [], {})
