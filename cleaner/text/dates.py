"""Indonesian dates, as outlets print them, to timezone-aware datetimes.

A fast path reads the shapes news pages use (``Rabu, 20 September 2023 - 09:04 WIB``,
``SABTU, 31 OKTOBER 2020 | 19:02 WIB``, ``20/09/2023 09:04``, ISO 8601) with a month
table that includes the common abbreviations (``Agt``, ``Nop``, ``Des``). Anything else
goes to dateparser, which knows Indonesian but costs milliseconds per call.

Zones: ``WIB`` is UTC+07:00, ``WITA`` UTC+08:00 and ``WIT`` UTC+09:00. A date that names
no zone gets the caller's default (see :class:`cleaner.config.CleanerConfig`).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache

MONTHS: dict[str, int] = {
    **dict.fromkeys(["januari", "jan", "january"], 1),
    **dict.fromkeys(["februari", "pebruari", "feb", "peb", "february"], 2),
    **dict.fromkeys(["maret", "mar", "march"], 3),
    **dict.fromkeys(["april", "apr"], 4),
    **dict.fromkeys(["mei", "may"], 5),
    **dict.fromkeys(["juni", "jun", "june"], 6),
    **dict.fromkeys(["juli", "jul", "july"], 7),
    **dict.fromkeys(["agustus", "agu", "agt", "ags", "agus", "aug", "august"], 8),
    **dict.fromkeys(["september", "sep", "sept"], 9),
    **dict.fromkeys(["oktober", "okt", "oct", "october"], 10),
    **dict.fromkeys(["november", "nopember", "nov", "nop"], 11),
    **dict.fromkeys(["desember", "des", "dec", "december"], 12),
}

ZONES: dict[str, timezone] = {
    "WIB": timezone(timedelta(hours=7)),
    "WITA": timezone(timedelta(hours=8)),
    "WIT": timezone(timedelta(hours=9)),
    "UTC": UTC,
    "GMT": UTC,
    "Z": UTC,
}

_TIME = r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:[:.](?P<second>\d{2}))?"
# A zone or offset only counts after a time, and a zone name only as a whole word
# ("Witono" is a name, not WIT).
_ZONE = r"(?:(?P<zone>WITA|WIB|WIT|UTC|GMT|Z)\b)?\s*(?P<offset>[+-]\d{1,2}(?::?\d{2})?\b)?"
_SEP = r"[\s,|/–—-]*(?:(?:pukul|jam|at)\s+)?"

_WORDY = re.compile(
    r"(?:[^\W\d_]+['’]?[^\W\d_]*\s*,?\s*)?"  # day name, ignored
    r"(?P<day>\d{1,2})\s+(?P<month>[^\W\d_]+)\.?,?\s+(?P<year>\d{4})"
    rf"(?:{_SEP}{_TIME}\s*{_ZONE})?",
    re.IGNORECASE,
)
_NUMERIC = re.compile(
    r"(?:[^\W\d_]+\s*,?\s*)?"
    r"(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4})"
    rf"(?:{_SEP}{_TIME}\s*{_ZONE})?",
    re.IGNORECASE,
)
_ISO = re.compile(
    r"(?P<year>\d{4})(?P<sep>[-/])(?P<month>\d{2})(?P=sep)(?P<day>\d{2})"
    rf"(?:[T ]{_TIME}(?:\.\d+)?\s*{_ZONE})?",
    re.IGNORECASE,
)


@lru_cache(maxsize=64)
def parse_offset(value: str) -> timezone:
    """``+07:00``, ``+0700``, ``+7``, ``WIB``, ``UTC`` → a fixed-offset timezone."""
    text = value.strip()
    if text.upper() in ZONES:
        return ZONES[text.upper()]
    m = re.fullmatch(r"([+-])(\d{1,2})(?::?(\d{2}))?", text)
    if not m:
        raise ValueError(f"not a UTC offset or zone name: {value!r}")
    sign = 1 if m.group(1) == "+" else -1
    hours, minutes = int(m.group(2)), int(m.group(3) or 0)
    if hours > 14 or minutes > 59:
        raise ValueError(f"UTC offset out of range: {value!r}")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _build(m: re.Match[str], month: int | None, default_tz: timezone) -> datetime | None:
    if month is None:
        return None
    zone, offset = m.groupdict().get("zone"), m.groupdict().get("offset")
    tz = parse_offset(offset) if offset else ZONES[zone.upper()] if zone else default_tz
    try:
        return datetime(
            int(m.group("year")),
            month,
            int(m.group("day")),
            int(m.group("hour") or 0),
            int(m.group("minute") or 0),
            int(m.group("second") or 0),
            tzinfo=tz,
        )
    except ValueError:
        return None


def _fast(text: str, default_tz: timezone) -> datetime | None:
    if m := _ISO.search(text):
        return _build(m, int(m.group("month")), default_tz)
    for m in _WORDY.finditer(text):
        if (month := MONTHS.get(m.group("month").lower())) is not None:
            return _build(m, month, default_tz)
    if m := _NUMERIC.search(text):
        return _build(m, int(m.group("month")), default_tz)
    return None


def _slow(text: str, default_tz: timezone) -> datetime | None:
    import dateparser  # imported on first use: it takes a moment to load

    offset = default_tz.utcoffset(None)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    tz_name = f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    parsed = dateparser.parse(
        text,
        languages=["id", "en"],
        settings={
            "TIMEZONE": tz_name,
            "RETURN_AS_TIMEZONE_AWARE": True,
            "DATE_ORDER": "DMY",
            "PREFER_DATES_FROM": "past",
            # A page's "3 jam yang lalu" is relative to when it was scraped, which we do
            # not know; and a date without a day would be completed from today's date.
            # Both would make the output depend on the day of the run.
            "PARSERS": ["absolute-time", "custom-formats"],
            "REQUIRE_PARTS": ["day", "month", "year"],
        },
    )
    return parsed if isinstance(parsed, datetime) else None


def parse_date(text: str, default_tz: timezone) -> datetime | None:
    """Read one date (and time) from ``text``; ``None`` when there is none."""
    if not text or not text.strip():
        return None
    return _fast(text, default_tz) or _slow(text, default_tz)
