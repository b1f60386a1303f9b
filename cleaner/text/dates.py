"""Indonesian dates, as outlets print them, to timezone-aware datetimes.

A fast path reads the shapes news pages use (``Rabu, 20 September 2023 - 09:04 WIB``,
``SABTU, 31 OKTOBER 2020 | 19:02 WIB``, ``20/09/2023 09:04``, ISO 8601) with a month
table that includes the common abbreviations (``Agt``, ``Nop``, ``Des``). Anything else
goes to dateparser, which knows Indonesian but costs milliseconds per call.

Zones: ``WIB`` is UTC+07:00, ``WITA`` UTC+08:00 and ``WIT`` UTC+09:00. A numeric offset
(``+0800``, ``GMT+0800``) wins over a zone name; an IANA name (``Asia/Makassar``,
``America/Mexico_City``) is resolved with :mod:`zoneinfo` at that date and time. Whatever
the string states is kept as a fixed offset: the result is shown in the zone it was
written in, not converted to the default. A date that names no zone (or an unknown IANA
name) gets the caller's default (see :class:`cleaner.config.CleanerConfig`).

Times: ``AM``/``PM`` (``a.m.``, ``07:24PM``) after a time read as a 12-hour clock
(``12:05 AM`` is 00:05, ``07:24 PM`` 19:24); an hour outside 1-12 keeps its 24-hour value.
A time just before the date (``05:40 | 20 Mar 2025``) counts as the date's time.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

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
# "PM", "pm", "p.m.", also glued to the time ("07:24PM"); a whole word only ("Amerika").
_AMPM = r"(?:\s*(?P<ampm>[ap])\.?m\b\.?)?"
# An IANA name, only under its areas ("Asia/Jakarta", "America/Argentina/Buenos_Aires",
# "Etc/GMT-7"), so that a "Jakarta/Antara" after a time is not taken for one. It may
# follow the time without a space ("09:20:04Asia/Jakarta": some sites print it so).
_IANA = (
    r"(?P<iana>(?:Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian"
    r"|Pacific)(?:/[A-Za-z_]+(?:-[A-Za-z_]+)*){1,2}|Etc/[A-Za-z]+(?:[+-]\d{1,2})?)"
)
# A zone or offset only counts after a time, and a zone name only as a whole word
# ("Witono" is a name, not WIT).
_ZONE = (
    rf"(?:(?P<zone>WITA|WIB|WIT|UTC|GMT|Z)\b|{_IANA})?"
    r"\s*(?P<offset>[+-]\d{1,2}(?::?\d{2})?\b)?"
)
_SEP = r"[\s,|/–—-]*(?:(?:pukul|jam|at)\s+)?"

_WORDY = re.compile(
    r"(?:[^\W\d_]+['’]?[^\W\d_]*\s*,?\s*)?"  # day name, ignored
    r"(?P<day>\d{1,2})\s+(?P<month>[^\W\d_]+)\.?,?\s+(?P<year>\d{4})"
    rf"(?:{_SEP}{_TIME}{_AMPM}\s*{_ZONE})?",
    re.IGNORECASE,
)
_NUMERIC = re.compile(
    r"(?:[^\W\d_]+\s*,?\s*)?"
    r"(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4})"
    rf"(?:{_SEP}{_TIME}{_AMPM}\s*{_ZONE})?",
    re.IGNORECASE,
)
_ISO = re.compile(
    r"(?P<year>\d{4})(?P<sep>[-/])(?P<month>\d{2})(?P=sep)(?P<day>\d{2})"
    # "T", spaces, or a bar or comma ("2025-03-19 | 03:20:42am"); not a bare "-", which
    # would read the offset of a zoned date ("2023-09-20-05:00") as a time.
    rf"(?:(?:T|\s*[|,]\s*|\s+[–—-]?\s*){_TIME}(?:\.\d+)?{_AMPM}\s*{_ZONE})?",
    re.IGNORECASE,
)
# A time printed before the date ("05:40:00 | 20 Mar 2025"), read up to the date's start.
_LEADING_TIME = re.compile(rf"{_TIME}{_AMPM}\s*{_ZONE}[\s,|/–—-]*$", re.IGNORECASE)
_IANA_ANYWHERE = re.compile(_IANA, re.IGNORECASE)
# For the slow path: an offset after a time, for when dateparser cannot read it.
_OFFSET_AFTER_TIME = re.compile(
    r"(?P<time>\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\.\d+)?(?:\s*[ap]\.?m\b\.?)?)"
    r"\s*(?:(?:GMT|UTC)\s*)?(?P<offset>[+-]\d{1,2}(?::?\d{2})?)\b",
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


@lru_cache(maxsize=1)
def _zone_keys() -> dict[str, str]:
    """Every IANA name the tz database knows, by its lower-case spelling."""
    return {key.lower(): key for key in available_timezones()}


@lru_cache(maxsize=256)
def _zone_named(name: str) -> ZoneInfo | None:
    """The IANA zone ``name`` (``Asia/Jakarta``, in any case); ``None`` when unknown."""
    for key in (name, _zone_keys().get(name.lower())):
        if key:
            try:
                return ZoneInfo(key)
            except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a directory
                continue
    return None


def _fixed(when: datetime) -> datetime:
    """``when`` with its zone replaced by the fixed offset it has at that moment."""
    offset = when.utcoffset()
    return when if offset is None else when.replace(tzinfo=timezone(offset))


def _twelve_hour(hour: int, marker: str) -> int:
    """``7`` + ``p`` → 19, ``12`` + ``a`` → 0; an hour that is not 1-12 stays as it is."""
    if not 1 <= hour <= 12:
        return hour
    return hour % 12 + (12 if marker in "pP" else 0)


def _build(
    m: re.Match[str], month: int | None, default_tz: timezone, text: str, day: int | None = None
) -> datetime | None:
    if month is None:
        return None
    groups = m.groupdict()
    if groups["hour"] is None and m.start() and (lead := _LEADING_TIME.search(text, 0, m.start())):
        groups = {**groups, **{k: v for k, v in lead.groupdict().items() if v is not None}}
    hour = int(groups["hour"] or 0)
    if groups["ampm"]:
        hour = _twelve_hour(hour, groups["ampm"])
    tz: tzinfo = default_tz
    named: ZoneInfo | None = None
    if groups["offset"]:
        tz = parse_offset(groups["offset"])
    elif groups["iana"] and (named := _zone_named(groups["iana"])) is not None:
        tz = named
    elif groups["zone"]:
        tz = ZONES[groups["zone"].upper()]
    try:
        when = datetime(
            int(m.group("year")),
            month,
            int(m.group("day")) if day is None else day,
            hour,
            int(groups["minute"] or 0),
            int(groups["second"] or 0),
            tzinfo=tz,
        )
    except ValueError:
        return None
    return _fixed(when) if named is not None else when


def _fast(text: str, default_tz: timezone) -> datetime | None:
    if m := _ISO.search(text):
        return _build(m, int(m.group("month")), default_tz, text)
    for m in _WORDY.finditer(text):
        if (month := MONTHS.get(m.group("month").lower())) is not None:
            return _build(m, month, default_tz, text)
    if m := _NUMERIC.search(text):
        day, month = int(m.group("day")), int(m.group("month"))
        if month > 12 >= day:  # "10/20/2025": no 20th month, so month first (as dateparser)
            return _build(m, day, default_tz, text, day=month)
        return _build(m, month, default_tz, text)
    return None


def _dateparser(text: str) -> datetime | None:
    import dateparser  # imported on first use: it takes a moment to load

    parsed = dateparser.parse(
        text,
        languages=["id", "en"],
        # No TIMEZONE and no RETURN_AS_TIMEZONE_AWARE: a date that states its zone comes
        # back aware in that zone, one that does not comes back naive (and the caller gives
        # it the default). With a TIMEZONE, dateparser converts to it: "GMT+0800" and
        # "WITA" came out as +07:00.
        settings={
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


def _slow(text: str, default_tz: timezone) -> datetime | None:
    # dateparser does not read IANA names (and loses the date over one): take it out.
    named: ZoneInfo | None = None
    if iana := _IANA_ANYWHERE.search(text):
        named = _zone_named(iana.group("iana"))
        text = f"{text[: iana.start()]} {text[iana.end() :]}"
    parsed = _dateparser(text)
    # dateparser reads only the offsets of its own table (+05:30, not +07:30) and loses
    # the date over the others: then take the offset out, read again, and apply it.
    offset: timezone | None = None
    if (parsed is None or parsed.tzinfo is None) and (stated := _OFFSET_AFTER_TIME.search(text)):
        try:
            offset = parse_offset(stated.group("offset"))
        except ValueError:  # "-25": not an offset
            pass
        else:
            if parsed is None:
                parsed = _dateparser(
                    f"{text[: stated.start()]}{stated.group('time')} {text[stated.end() :]}"
                )
    if parsed is None:
        return None
    if offset is not None:
        return parsed.replace(tzinfo=offset)
    if parsed.tzinfo is not None:  # the zone the string states, as dateparser read it
        return _fixed(parsed)
    if named is not None:
        return _fixed(parsed.replace(tzinfo=named))
    return parsed.replace(tzinfo=default_tz)


@lru_cache(maxsize=4096)
def parse_date(text: str, default_tz: timezone) -> datetime | None:
    """Read one date (and time) from ``text``; ``None`` when there is none.

    Cached: a crawl's records repeat their date strings (``19/03/2025``), and a string
    the fast path cannot read costs dateparser milliseconds."""
    if not text or not text.strip():
        return None
    return _fast(text, default_tz) or _slow(text, default_tz)
