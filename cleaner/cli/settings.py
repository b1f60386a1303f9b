"""How ``cleaner clean``'s options and a ``--config`` file become one
:class:`~cleaner.config.CleanerConfig`: the file is the base, the options given on the
command line win setting by setting, and a wrong setting is one line naming who gave it
(the option, or the file and the setting)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cleaner.config import (
    CleanerConfig,
    QualityConfig,
    SettingError,
    config_from,
    default_max_unit_bytes,
    keys_given,
    merge_settings,
    read_config_file,
)
from cleaner.errors import CleanerError


def config_of(
    values: dict[str, Any], given: set[str], config_file: Path | None, workers: int
) -> CleanerConfig:
    r"""The run's configuration: ``config_file``'s settings, with those of the options in
    ``given`` (``values``: every option's value) laid over them, and the default
    ``--max-bytes`` for ``workers`` where neither says. Mistakes are one-line
    :class:`~cleaner.errors.CleanerError`\ s."""
    try:
        settings = read_config_file(config_file) if config_file is not None else {}
    except ValueError as exc:
        raise CleanerError(str(exc)) from None
    settings = merge_settings(settings, _given_settings(values, given))
    settings.setdefault("read", {}).setdefault("max_unit_bytes", default_max_unit_bytes(workers))
    quality = settings.get("quality", {}).get("enabled")
    if quality and settings.get("signals") is False:
        raise CleanerError("--quality filters on the signals: it cannot go with --no-signals")
    if values.get("thresholds") and not quality:
        raise CleanerError("--threshold changes --quality's thresholds: add --quality")
    try:
        return config_from(settings)
    except SettingError as exc:
        raise CleanerError(f"{_setter(exc.name, given, config_file)} {exc.problem}") from None


CONFIG_OPTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "rules": ("--rules", ("rules_dirs",)),
    "outlet": ("--outlet", ("outlet",)),
    "input_format": ("--format", ("read", "format")),
    "max_bytes": ("--max-bytes", ("read", "max_unit_bytes")),
    "key_options": ("--key", ("read", "keys")),
    "signals": ("--signals", ("signals",)),
    "page_search": ("--page-search", ("page_search",)),
    "quality": ("--quality", ("quality", "enabled")),
    "thresholds": ("--threshold", ("quality",)),  # each NAME=VALUE: quality.NAME
    "learn": ("--learn", ("learn", "enabled")),
    "site_key": ("--site-key", ("learn", "site_key")),
    "learned": ("--learned", ("learned",)),
    "time_limit": ("--time-limit", ("time_limit",)),
}
"""The options of ``cleaner clean`` that are settings of :class:`CleanerConfig`, and
where each goes: the one table the command line and ``--config`` files share."""


def _given_settings(values: dict[str, Any], given: set[str]) -> dict[str, Any]:
    """The settings the options on the command line give (``values``: every option's
    value; an option left at its default leaves the configuration file's value, or the
    default, in place)."""
    changes: dict[str, Any] = {}
    for option, (_, path) in CONFIG_OPTIONS.items():
        if option not in given:
            continue
        value = values[option]
        if option == "key_options":
            try:
                value = keys_given(value or []).model_dump(exclude_unset=True)
            except ValueError as exc:
                raise CleanerError(f"--key {exc}") from None
        if option == "thresholds":
            changes.setdefault("quality", {}).update(threshold_changes(value or []))
            continue
        table = changes
        for part in path[:-1]:
            table = table.setdefault(part, {})
        table[path[-1]] = value
    return changes


def _setter(name: str, given: set[str], config_file: Path | None) -> str:
    """Who gave the wrong setting ``name`` (``quality.min_words``), for its one-line
    error: the option on the command line (``--threshold min_words:``), else the
    configuration file."""
    place = name.split(".")
    for option, (flag, path) in CONFIG_OPTIONS.items():
        if option not in given or place[: len(path)] != list(path):
            continue
        if option == "thresholds":
            return f"{flag} {'.'.join(place[1:])}:"
        return f"{flag}:"
    return f"{config_file}: {name}:" if config_file is not None else f"{name}:"


def threshold_changes(thresholds: list[str]) -> dict[str, Any]:
    """``--threshold NAME=VALUE`` items as QualityConfig settings (not yet checked); a
    name that is not a threshold is a one-line error."""
    changes: dict[str, Any] = {}
    names = sorted(n for n in QualityConfig.model_fields if n != "enabled")
    for item in thresholds:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or name not in names:
            raise CleanerError(
                f"--threshold {item}: give NAME=VALUE, NAME one of {', '.join(names)}"
            )
        if name in ("languages", "stopwords"):
            changes[name] = tuple(v.strip() for v in value.split(",") if v.strip())
        elif name == "max_top_ngram_share":  # 2:0.088,3:0.104
            pairs = [pair.split(":", 1) for pair in value.split(",") if pair.strip()]
            changes[name] = tuple((n, share) for n, share in pairs)
        else:
            changes[name] = value.strip()
    return changes
