"""Stage 5: turn what the rules captured into typed article fields.

Rules capture strings (``SABTU, 31 OKTOBER 2020 | 19:02 WIB``, ``RENI ERINA``); this
stage parses dates, splits author and tag lists, tidies case and spacing. A value that
cannot be read is dropped with a warning on the record rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from cleaner.models import FieldSource
from cleaner.text.dates import parse_date

_AUTHOR_SPLIT = re.compile(r"\s*(?:[,;/&|]|\bdan\b|\band\b)\s*", re.IGNORECASE)
_AUTHOR_ROLE = re.compile(
    r"^(?:oleh|penulis|pewarta|reporter|wartawan|kontributor|laporan(?: wartawan)?|editor|by)"
    r"\s*:?\s+",
    re.IGNORECASE,
)
_TAG_SPLIT = re.compile(r"\s*[,;|•#]\s*")
_SPACES = re.compile(r"\s+")
_TRIM = " \t,;:-–—|"
_DAY_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}(?:T00:00:00)?")


def _tidy(value: str) -> str:
    return _SPACES.sub(" ", value).strip(_TRIM)


def _name_case(name: str) -> str:
    """``RENI ERINA`` → ``Reni Erina``; names already in mixed case stay as written."""
    if name.isupper() and len(name) > 3:
        return " ".join(part.capitalize() for part in name.split(" "))
    return name


def split_authors(value: str) -> list[str]:
    """``Reni Erina, Budi dan Ani`` → ``["Reni Erina", "Budi", "Ani"]``."""
    names = []
    for part in _AUTHOR_SPLIT.split(_AUTHOR_ROLE.sub("", value.strip())):
        name = _name_case(_tidy(part))
        if name and name not in names:
            names.append(name)
    return names


def split_tags(value: str) -> list[str]:
    tags = []
    for part in _TAG_SPLIT.split(value):
        tag = _tidy(part)
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def extract_metadata(
    fields: dict[str, str], default_tz: timezone
) -> tuple[dict[str, Any], list[str]]:
    """Typed article fields from captured strings, plus warnings for unreadable ones."""
    out: dict[str, Any] = {}
    warnings: list[str] = []
    for name, raw in fields.items():
        if name == "published_at":
            parsed: datetime | None = parse_date(raw, default_tz)
            if parsed is None:
                warnings.append(f"published_at: no date in {raw!r}")
            else:
                out[name] = parsed
                if _DAY_ONLY.fullmatch(raw.strip()):
                    warnings.append(f"published_at: {raw!r} gives the day only; time set to 00:00")
        elif name == "authors":
            out[name] = split_authors(raw)
        elif name == "tags":
            out[name] = split_tags(raw)
        elif name == "editor_initials":
            out[name] = _tidy(raw).strip("()").strip().lower() or None
        else:
            out[name] = _tidy(raw) or None
    return out, warnings


def merge_metadata(
    layers: Sequence[tuple[FieldSource, Mapping[str, str]]], default_tz: timezone
) -> tuple[dict[str, Any], list[str], dict[str, FieldSource]]:
    """Typed fields from several sources, the warnings, and the source of each field.

    For each field the first layer whose value reads wins (the pipeline passes: the input
    record, the outlet's rules, the page's markup, the generic rules). A value that does
    not read (no date in it, a title of punctuation) is passed over for the next layer's,
    with the warning :func:`extract_metadata` gives: an input record's unreadable date
    must not hide the one the page prints.
    """
    fields: dict[str, Any] = {}
    warnings: list[str] = []
    sources: dict[str, FieldSource] = {}
    for source, layer in layers:
        for name in layer:
            if name in fields:
                continue  # not looked up: a layer may read a value only when asked
            raw = layer[name]
            if not raw or not raw.strip():
                continue
            typed, said = extract_metadata({name: raw}, default_tz)
            warnings += said
            if typed.get(name):
                fields[name] = typed[name]
                sources[name] = source
    return fields, warnings, sources
