"""Indonesian dates to timezone-aware datetimes (cleaner/dates.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from cleaner.text.dates import parse_date, parse_offset

WIB = timezone(timedelta(hours=7))
WITA = timezone(timedelta(hours=8))
WIT = timezone(timedelta(hours=9))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rabu, 20 September 2023 - 09:04 WIB", datetime(2023, 9, 20, 9, 4, tzinfo=WIB)),
        ("SABTU, 31 OKTOBER 2020 | 19:02 WIB", datetime(2020, 10, 31, 19, 2, tzinfo=WIB)),
        ("senin, 17 agustus 2020 10:00", datetime(2020, 8, 17, 10, 0, tzinfo=WIB)),
        ("Jumat, 01 Desember 2023 10:30:15 WIB", datetime(2023, 12, 1, 10, 30, 15, tzinfo=WIB)),
        ("Jum'at, 1 Desember 2023", datetime(2023, 12, 1, tzinfo=WIB)),
        ("29 Februari 2024", datetime(2024, 2, 29, tzinfo=WIB)),
    ],
)
def test_parse_date_indonesian_day_and_month_names_in_any_case(
    text: str, expected: datetime
) -> None:
    result = parse_date(text, WIB)
    assert result == expected
    assert result is not None
    assert result.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("17 Agt 2020", 8),
        ("17 Agu 2020", 8),
        ("17 Agus 2020", 8),
        ("17 Nop 2020", 11),
        ("17 Des 2020", 12),
        ("17 Okt 2020", 10),
        ("17 Mei 2020", 5),
        ("17 Peb 2020", 2),
        ("17 Sept. 2020", 9),
        ("17 Pebruari 2020", 2),
        ("17 Nopember 2020", 11),
    ],
)
def test_parse_date_month_abbreviations_and_old_spellings(text: str, month: int) -> None:
    assert parse_date(text, WIB) == datetime(2020, month, 17, tzinfo=WIB)


@pytest.mark.parametrize(
    ("zone", "offset_hours"),
    [("WIB", 7), ("WITA", 8), ("WIT", 9), ("wita", 8), ("GMT", 0), ("UTC", 0)],
)
def test_parse_date_zone_names_give_their_utc_offset(zone: str, offset_hours: int) -> None:
    result = parse_date(f"Kamis, 5 Mei 2023 14:30 {zone}", WIB)
    assert result is not None
    assert (result.hour, result.minute) == (14, 30)
    assert result.utcoffset() == timedelta(hours=offset_hours)


def test_parse_date_numeric_offset_wins_over_default() -> None:
    result = parse_date("20 September 2023 09:04 +0800", WIB)
    assert result == datetime(2023, 9, 20, 9, 4, tzinfo=WITA)
    assert result is not None
    assert result.utcoffset() == timedelta(hours=8)


def test_parse_date_uses_the_default_zone_when_none_is_given() -> None:
    result = parse_date("20 September 2023 09:04", WIT)
    assert result is not None
    assert result.utcoffset() == timedelta(hours=9)
    assert (result.year, result.month, result.day, result.hour) == (2023, 9, 20, 9)


def test_parse_date_result_is_always_timezone_aware() -> None:
    for text in ["20/09/2023", "2023-09-20", "20 September 2023", "September 20, 2023"]:
        result = parse_date(text, WIB)
        assert result is not None, text
        assert result.tzinfo is not None, text
        assert result.utcoffset() == timedelta(hours=7), text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20/09/2023 09:04", datetime(2023, 9, 20, 9, 4, tzinfo=WIB)),
        ("Rabu (20/9/2023)", datetime(2023, 9, 20, tzinfo=WIB)),
        ("20-09-2023 09.04 WITA", datetime(2023, 9, 20, 9, 4, tzinfo=WITA)),
        ("20.09.2023", datetime(2023, 9, 20, tzinfo=WIB)),
    ],
)
def test_parse_date_numeric_day_month_year(text: str, expected: datetime) -> None:
    result = parse_date(text, WIB)
    assert result == expected
    assert result is not None
    assert result.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-09-20T09:04:00+07:00", datetime(2023, 9, 20, 9, 4, tzinfo=WIB)),
        ("2023-09-20T02:04:00Z", datetime(2023, 9, 20, 2, 4, tzinfo=UTC)),
        ("2023-09-20T09:04:00.123+08:00", datetime(2023, 9, 20, 9, 4, tzinfo=WITA)),
        ("2023-09-20 09:04:00 +0700", datetime(2023, 9, 20, 9, 4, tzinfo=WIB)),
        ("2023-09-20", datetime(2023, 9, 20, tzinfo=WIB)),
        ("2015/11/06 10:15:00", datetime(2015, 11, 6, 10, 15, tzinfo=WIB)),  # pages' meta
    ],
)
def test_parse_date_iso_8601(text: str, expected: datetime) -> None:
    result = parse_date(text, WIB)
    assert result == expected
    assert result is not None
    assert result.utcoffset() == expected.utcoffset()


def test_parse_date_time_with_dot_separator() -> None:
    assert parse_date("1 Desember 2023, 10.30", WIB) == datetime(2023, 12, 1, 10, 30, tzinfo=WIB)


def test_parse_date_pukul_before_the_time() -> None:
    result = parse_date("Jumat, 1 Desember 2023 pukul 10.30 WIB", WIB)
    assert result == datetime(2023, 12, 1, 10, 30, tzinfo=WIB)


def test_parse_date_finds_the_date_inside_a_longer_line() -> None:
    result = parse_date("Diterbitkan Rabu, 20 Sep 2023 09:04 WIB", WIB)
    assert result == datetime(2023, 9, 20, 9, 4, tzinfo=WIB)


def test_parse_date_month_first_english_goes_through_dateparser() -> None:
    result = parse_date("September 20, 2023 09:04", WITA)
    assert result == datetime(2023, 9, 20, 9, 4, tzinfo=WITA)
    assert result is not None
    assert result.utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize(
    "text",
    [
        "31 Februari 2023",
        "29 Februari 2023",
        "31 April 2023",
        "00 Januari 2023",
        "31/02/2023",
        "2023-02-31",
        "20 September 2023 25:00 WIB",
    ],
)
def test_parse_date_impossible_dates_give_none(text: str) -> None:
    assert parse_date(text, WIB) is None


@pytest.mark.parametrize(
    "text",
    ["3 jam yang lalu", "kemarin", "hari ini pukul 10.00", "2 hari lalu", "5 menit yang lalu"],
)
def test_parse_date_relative_dates_give_none(text: str) -> None:
    # They are relative to when the page was scraped, which is unknown; any answer would
    # depend on the day the test (or the cleaner) runs.
    assert parse_date(text, WIB) is None


@pytest.mark.parametrize("text", ["Desember 2020", "September", "2020"])
def test_parse_date_without_a_day_gives_none(text: str) -> None:
    assert parse_date(text, WIB) is None


@pytest.mark.parametrize("text", ["", "   ", "Jakarta", "tanpa tanggal"])
def test_parse_date_text_without_a_date_gives_none(text: str) -> None:
    assert parse_date(text, WIB) is None


@pytest.mark.parametrize(
    "text",
    ["20 September 2023 Zulkifli Hasan melaporkan", "12 Desember 2023 Witono melaporkan"],
)
def test_parse_date_zone_name_must_be_a_whole_word(text: str) -> None:
    # A name starting with "Z" or "Wit" after the date is not a zone: the default applies.
    result = parse_date(text, WIB)
    assert result is not None
    assert result.utcoffset() == timedelta(hours=7)


# --- parse_offset ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("+07:00", timedelta(hours=7)),
        ("+0700", timedelta(hours=7)),
        ("+7", timedelta(hours=7)),
        ("-03:30", -timedelta(hours=3, minutes=30)),
        ("WIB", timedelta(hours=7)),
        ("WITA", timedelta(hours=8)),
        ("wit", timedelta(hours=9)),
        (" UTC ", timedelta(0)),
        ("+14:00", timedelta(hours=14)),
    ],
)
def test_parse_offset_accepts_offsets_and_zone_names(value: str, expected: timedelta) -> None:
    assert parse_offset(value).utcoffset(None) == expected


@pytest.mark.parametrize(
    "value", ["07:00", "+15:00", "+07:60", "abc", "", "+7:0", "WIB+1", "PST", "+07:00:00"]
)
def test_parse_offset_rejects_invalid_values(value: str) -> None:
    with pytest.raises(ValueError):
        parse_offset(value)
