"""Indonesian dates to timezone-aware datetimes (cleaner/dates.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.text.dates import _fast, _slow, parse_date, parse_offset

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


def test_numeric_dates_with_the_month_first_are_read_without_dateparser() -> None:
    """Crawl records carry ``10/20/2025 21:36``: no 20th month, so the month comes
    first, as dateparser reads it; it cost dateparser milliseconds a record."""
    assert _fast("10/20/2025 21:36", WIB) == datetime(2025, 10, 20, 21, 36, tzinfo=WIB)
    assert _fast("19/03/2025", WIB) == datetime(2025, 3, 19, tzinfo=WIB)  # day first
    assert _fast("20/20/2025", WIB) is None  # neither reading is a date


@pytest.mark.parametrize("sep", ["/", "-"])
@pytest.mark.parametrize("tail", ["", " 21:36", " 09:04 WITA"])
def test_the_fast_path_reads_numeric_dates_as_dateparser_does(sep: str, tail: str) -> None:
    read = 0
    for day in (1, 9, 12, 13, 20, 31, 32):
        for month in (1, 2, 9, 12, 13, 20, 31):
            text = f"{day:02d}{sep}{month:02d}{sep}2025{tail}"
            fast = _fast(text, WIB)
            if fast is not None:
                read += 1
                assert fast == _slow(text, WIB), text
    assert read == 22 + 8  # day first (but 31/02, 31/09), month first where it is over 12


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


# --- a zone the string states is kept, not converted to the default -------------------------
# The dates below are made up; their shapes are those of real crawl records.


def _assert_exact(result: datetime | None, expected: datetime) -> None:
    """Same instant, same wall-clock time, same offset (``==`` alone compares instants)."""
    assert result is not None
    assert result == expected
    assert result.replace(tzinfo=None) == expected.replace(tzinfo=None)
    assert result.utcoffset() == expected.utcoffset()


def _offset(hours: int, minutes: int = 0) -> timezone:
    sign = -1 if hours < 0 else 1
    return timezone(sign * timedelta(hours=abs(hours), minutes=minutes))


SLOW_PATH_ZONED = [
    ("Wed Jun 05 2024 10:00:00 GMT+0800", datetime(2024, 6, 5, 10, 0, tzinfo=WITA)),
    ("Wed Jun 05 2024 10:00:00 GMT-0300", datetime(2024, 6, 5, 10, 0, tzinfo=_offset(-3))),
    (
        "Wed Jun 05 2024 10:00:00 GMT+0800 (Waktu Indonesia Tengah)",
        datetime(2024, 6, 5, 10, 0, tzinfo=WITA),
    ),
    ("June 5, 2024 10:00 +05:30", datetime(2024, 6, 5, 10, 0, tzinfo=_offset(5, 30))),
    # an offset dateparser's own table lacks (it used to lose the whole date)
    ("June 5, 2024 10:00 +07:30", datetime(2024, 6, 5, 10, 0, tzinfo=_offset(7, 30))),
    ("June 5, 2024 10:00 WITA", datetime(2024, 6, 5, 10, 0, tzinfo=WITA)),
    ("June 5, 2024 10:00 WIT", datetime(2024, 6, 5, 10, 0, tzinfo=WIT)),
    ("June 5, 2024 4:05 PM UTC", datetime(2024, 6, 5, 16, 5, tzinfo=UTC)),
]


@pytest.mark.parametrize(("text", "expected"), SLOW_PATH_ZONED)
def test_parse_date_slow_path_keeps_the_offset_the_string_states(
    text: str, expected: datetime
) -> None:
    # It used to come back at the right instant but shown in the default zone:
    # "GMT+0800" as 09:00+07:00.
    _assert_exact(parse_date(text, WIB), expected)


@pytest.mark.parametrize(("text", "expected"), SLOW_PATH_ZONED)
def test_parse_date_slow_path_cases_are_not_read_by_the_fast_path(
    text: str, expected: datetime
) -> None:
    # Guards the test above: these must exercise dateparser.
    assert _fast(text, WIB) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Senin, 3 Juni 2024 10:00 GMT+0800", datetime(2024, 6, 3, 10, 0, tzinfo=WITA)),
        ("Senin, 3 Juni 2024 10:00 GMT-0500", datetime(2024, 6, 3, 10, 0, tzinfo=_offset(-5))),
        ("2024-06-03T10:00:00+09:00", datetime(2024, 6, 3, 10, 0, tzinfo=WIT)),
        ("03/06/2024 10:00 +0545", datetime(2024, 6, 3, 10, 0, tzinfo=_offset(5, 45))),
    ],
)
def test_parse_date_fast_path_keeps_the_offset_the_string_states(
    text: str, expected: datetime
) -> None:
    _assert_exact(parse_date(text, WIB), expected)


@pytest.mark.parametrize("default", [WIB, WIT, UTC, _offset(-4)])
def test_parse_date_stated_offset_does_not_depend_on_the_default(default: timezone) -> None:
    for text, expected in SLOW_PATH_ZONED[:2]:
        _assert_exact(parse_date(text, default), expected)


# --- IANA zone names ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # glued to the time, as some sites print it
        ("2024-06-03 10:00:00Asia/Jakarta", datetime(2024, 6, 3, 10, 0, tzinfo=WIB)),
        ("2024-06-03 10:00:00Asia/Makassar", datetime(2024, 6, 3, 10, 0, tzinfo=WITA)),
        ("2024-06-03 10:00:00Asia/Jayapura", datetime(2024, 6, 3, 10, 0, tzinfo=WIT)),
        ("2024-06-03 10:00:00America/Mexico_City", datetime(2024, 6, 3, 10, 0, tzinfo=_offset(-6))),
        # spaced, in another case, after Indonesian and numeric dates
        ("2024-06-03 10:00 asia/makassar", datetime(2024, 6, 3, 10, 0, tzinfo=WITA)),
        ("Senin, 3 Juni 2024 10:00 Asia/Makassar", datetime(2024, 6, 3, 10, 0, tzinfo=WITA)),
        ("03/06/2024 10:00 Asia/Jayapura", datetime(2024, 6, 3, 10, 0, tzinfo=WIT)),
        # three parts, a hyphen, half hours, and Etc's inverted sign
        (
            "2024-06-03 10:00 America/Argentina/Buenos_Aires",
            datetime(2024, 6, 3, 10, 0, tzinfo=_offset(-3)),
        ),
        (
            "2024-06-03 10:00 America/Port-au-Prince",
            datetime(2024, 6, 3, 10, 0, tzinfo=_offset(-4)),
        ),
        ("2024-06-03 10:00 Asia/Kolkata", datetime(2024, 6, 3, 10, 0, tzinfo=_offset(5, 30))),
        ("2024-06-03 10:00 Etc/GMT-8", datetime(2024, 6, 3, 10, 0, tzinfo=WITA)),
        # the slow path: dateparser does not know IANA names
        ("June 3, 2024 10:00 America/Mexico_City", datetime(2024, 6, 3, 10, 0, tzinfo=_offset(-6))),
        ("June 3, 2024 10:00 Asia/Makassar", datetime(2024, 6, 3, 10, 0, tzinfo=WITA)),
    ],
)
def test_parse_date_iana_zone_names_give_their_offset(text: str, expected: datetime) -> None:
    # A default none of them has, so that "Asia/Jakarta" read as the default would fail.
    _assert_exact(parse_date(text, UTC), expected)


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        # summer time: the offset is the one in force at that date and time
        ("2024-07-01 10:00 America/New_York", _offset(-4)),
        ("2024-01-15 10:00 America/New_York", _offset(-5)),
        ("2024-07-01 10:00 Europe/London", _offset(1)),
        ("2024-01-15 10:00 Europe/London", UTC),
        ("2024-07-01 10:00 Australia/Adelaide", _offset(9, 30)),
        ("2024-01-15 10:00 Australia/Adelaide", _offset(10, 30)),
        # and the rules in force that year: Mexico dropped summer time in 2022
        ("2021-07-01 10:00:00America/Mexico_City", _offset(-5)),
        ("2023-07-01 10:00:00America/Mexico_City", _offset(-6)),
    ],
)
def test_parse_date_iana_zone_is_resolved_at_that_date(text: str, offset: timezone) -> None:
    result = parse_date(text, WIB)
    assert result is not None
    assert (result.hour, result.minute) == (10, 0)
    assert result.utcoffset() == offset.utcoffset(None)
    # a fixed offset, not the zone: the value stays what it was when serialised and read back
    assert isinstance(result.tzinfo, timezone)


@pytest.mark.parametrize(
    "text", ["2024-06-03 10:00 Asia/Atlantis", "2024-06-03 10:00 America/Argentina"]
)
def test_parse_date_unknown_iana_name_gets_the_default_zone(text: str) -> None:
    _assert_exact(parse_date(text, WIT), datetime(2024, 6, 3, 10, 0, tzinfo=WIT))


def test_parse_date_numeric_offset_wins_over_an_iana_name() -> None:
    result = parse_date("2024-06-03 10:00 Asia/Jakarta +08:00", WIB)
    _assert_exact(result, datetime(2024, 6, 3, 10, 0, tzinfo=WITA))


def test_parse_date_a_word_with_a_slash_after_the_time_is_not_a_zone() -> None:
    result = parse_date("Senin, 3 Juni 2024 10:00 Jakarta/Antara", WIT)
    _assert_exact(result, datetime(2024, 6, 3, 10, 0, tzinfo=WIT))


# --- 12-hour clock --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14/05/2024 07:24:32 PM", datetime(2024, 5, 14, 19, 24, 32, tzinfo=WIB)),
        ("14/05/2024 07:24:32 AM", datetime(2024, 5, 14, 7, 24, 32, tzinfo=WIB)),
        ("14/05/2024 12:05 AM", datetime(2024, 5, 14, 0, 5, tzinfo=WIB)),
        ("14/05/2024 12:05 PM", datetime(2024, 5, 14, 12, 5, tzinfo=WIB)),
        ("14/05/2024 11:59 PM", datetime(2024, 5, 14, 23, 59, tzinfo=WIB)),
        ("14/05/2024 7:24PM", datetime(2024, 5, 14, 19, 24, tzinfo=WIB)),
        ("14/05/2024 7:24 p.m.", datetime(2024, 5, 14, 19, 24, tzinfo=WIB)),
        ("14/05/2024 7:24 pm WITA", datetime(2024, 5, 14, 19, 24, tzinfo=WITA)),
        ("14 Mei 2024 7:24 PM", datetime(2024, 5, 14, 19, 24, tzinfo=WIB)),
        ("Selasa, 14 Mei 2024 pukul 07.24 PM", datetime(2024, 5, 14, 19, 24, tzinfo=WIB)),
        ("Selasa, 14 Mei 2024 pukul 19.24 WIB", datetime(2024, 5, 14, 19, 24, tzinfo=WIB)),
        ("2024-05-14 07:24 PM", datetime(2024, 5, 14, 19, 24, tzinfo=WIB)),
        ("2024-05-14 | 03:20:42am", datetime(2024, 5, 14, 3, 20, 42, tzinfo=WIB)),
        ("2024-05-14 | 11:20:42pm", datetime(2024, 5, 14, 23, 20, 42, tzinfo=WIB)),
        ("2024-05-14 | 12:20:42am", datetime(2024, 5, 14, 0, 20, 42, tzinfo=WIB)),
        # the slow path
        ("May 14, 2024 7:24 PM", datetime(2024, 5, 14, 19, 24, tzinfo=WIB)),
        ("5/14/2024 7:24:32 PM", datetime(2024, 5, 14, 19, 24, 32, tzinfo=WIB)),
        ("May 14, 2024 12:05 AM", datetime(2024, 5, 14, 0, 5, tzinfo=WIB)),
    ],
)
def test_parse_date_am_pm(text: str, expected: datetime) -> None:
    _assert_exact(parse_date(text, WIB), expected)


@pytest.mark.parametrize(
    ("text", "hour"),
    [("14/05/2024 13:05 PM", 13), ("14/05/2024 00:05 AM", 0), ("14/05/2024 19:05 AM", 19)],
)
def test_parse_date_am_pm_after_a_24_hour_time_keeps_the_hour(text: str, hour: int) -> None:
    result = parse_date(text, WIB)
    _assert_exact(result, datetime(2024, 5, 14, hour, 5, tzinfo=WIB))


def test_parse_date_am_must_be_a_whole_word() -> None:
    result = parse_date("Selasa, 14 Mei 2024 10.30 Amerika Serikat", WIB)
    _assert_exact(result, datetime(2024, 5, 14, 10, 30, tzinfo=WIB))


# --- a time before the date, a bar between ISO date and time --------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05:40:00 | 14 Mei 2024", datetime(2024, 5, 14, 5, 40, tzinfo=WIB)),
        ("19:02 WITA | Selasa, 14 Mei 2024", datetime(2024, 5, 14, 19, 2, tzinfo=WITA)),
        ("07:24 PM - 14/05/2024", datetime(2024, 5, 14, 19, 24, tzinfo=WIB)),
        ("2024-05-14, 09:04", datetime(2024, 5, 14, 9, 4, tzinfo=WIB)),
        ("2024-05-14 - 09:04 WIT", datetime(2024, 5, 14, 9, 4, tzinfo=WIT)),
    ],
)
def test_parse_date_time_before_the_date_or_after_a_bar(text: str, expected: datetime) -> None:
    _assert_exact(parse_date(text, WIB), expected)


@pytest.mark.parametrize(
    "text",
    ["Harga naik 2.50 persen pada 14 Mei 2024", "Rp 10.000 | 14 Mei 2024", "14 Mei 2024"],
)
def test_parse_date_a_number_before_the_date_is_not_its_time(text: str) -> None:
    _assert_exact(parse_date(text, WIB), datetime(2024, 5, 14, tzinfo=WIB))


# --- property: an explicit offset is the result's offset -------------------------------------

_OFFSET_MINUTES = st.integers(min_value=-12 * 60, max_value=14 * 60)
_TEMPLATES = [
    # fast path
    "{d:%Y-%m-%d}T{d:%H:%M:%S}{off}",
    "{d:%Y-%m-%d} {d:%H:%M}{offc}",
    "{d:%d/%m/%Y} {d:%H:%M} {offc}",
    "{day}, {d.day} {bulan} {d.year} {d:%H:%M} GMT{offc}",
    "{d.day} {bulan} {d.year} pukul {d:%H.%M} {off}",
    "{d:%d/%m/%Y} {d:%I:%M} {d:%p} {off}",
    # slow path (dateparser)
    "{d:%B} {d.day}, {d.year} {d:%H:%M} {off}",
    "{d:%a %b %d %Y %H:%M:%S} GMT{offc}",
    "{d:%B} {d.day}, {d.year} {d:%I:%M} {d:%p} UTC{off}",
]
_BULAN = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
_HARI = "Senin Selasa Rabu Kamis Jumat Sabtu Minggu"


@settings(max_examples=150, deadline=None)
@given(
    when=st.datetimes(min_value=datetime(1995, 1, 1), max_value=datetime(2035, 12, 31)),
    minutes=_OFFSET_MINUTES,
    template=st.sampled_from(_TEMPLATES),
    default=st.sampled_from([WIB, WITA, WIT, UTC]),
)
def test_parse_date_explicit_offset_is_the_result_offset(
    when: datetime, minutes: int, template: str, default: timezone
) -> None:
    when = when.replace(microsecond=0)
    if "%S" not in template:
        when = when.replace(second=0)
    sign = "-" if minutes < 0 else "+"
    hh, mm = divmod(abs(minutes), 60)
    text = template.format(
        d=when,
        off=f"{sign}{hh:02d}:{mm:02d}",
        offc=f"{sign}{hh:02d}{mm:02d}",
        bulan=_BULAN.split()[when.month - 1],
        day=_HARI.split()[when.weekday()],
    )
    result = parse_date(text, default)
    assert result is not None, text
    assert result.utcoffset() == timedelta(minutes=minutes), text
    assert result.replace(tzinfo=None) == when, text
