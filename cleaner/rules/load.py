"""Loading rule files: YAML read safely, validated against the schema, every error as
``file:line: message``; then every file compiled into one :class:`Rulebook`."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from cleaner.errors import RuleFileError
from cleaner.rules.compile import OutletRules, Rulebook, compile_rules
from cleaner.rules.patterns import PatternError
from cleaner.rules.schema import GENERIC, LEXICON, RETIRED_KEYS, LocatedValueError, RuleFile


def line_of(lines: dict[tuple[Any, ...], int], loc: Sequence[Any]) -> int | None:
    for n in range(len(loc), -1, -1):
        if (found := lines.get(tuple(loc[:n]))) is not None:
            return found
    return None


def _node_lines(node: yaml.Node, path: tuple[Any, ...], out: dict[tuple[Any, ...], int]) -> None:
    """Map each path in the document (``("drop_lines", 2, "pattern")``) to its line."""
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                raise _DuplicateKeyError(key, key_node.start_mark.line + 1)
            seen.add(key)
            _node_lines(value_node, (*path, key), out)
            out[(*path, key)] = key_node.start_mark.line + 1  # errors point at the key
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _node_lines(item, (*path, i), out)


class _DuplicateKeyError(Exception):
    def __init__(self, key: Any, line: int) -> None:
        super().__init__(key)
        self.key = key
        self.line = line


_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_rule_file(path: Path) -> tuple[RuleFile, dict[tuple[Any, ...], int]]:
    """Parse and validate one rule file; errors name the file and the line."""
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(shown, None, f"cannot read: {exc}") from None
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise RuleFileError(shown, line, f"not valid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise RuleFileError(shown, None, f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    if node is None or not isinstance(data, dict):
        raise RuleFileError(shown, 1, "a rule file must be a YAML mapping (name:, domains:, …)")
    lines: dict[tuple[Any, ...], int] = {}
    try:
        _node_lines(node, (), lines)
    except _DuplicateKeyError as dup:
        raise RuleFileError(shown, dup.line, f"key {dup.key!r} appears twice") from None
    try:
        return RuleFile.model_validate(data), lines
    except ValidationError as exc:
        problems = [_problem(err, lines) for err in exc.errors()]
        problems.sort(key=lambda p: p[0] or 0)
        raise RuleFileError(shown, problems[0][0], problems[0][1], problems) from None


def _problem(err: Any, lines: dict[tuple[Any, ...], int]) -> tuple[int | None, str]:
    """One pydantic error as ``(line, "where: message")``."""
    cause = err.get("ctx", {}).get("error")
    loc = (*err["loc"], *cause.loc) if isinstance(cause, LocatedValueError) else err["loc"]
    where = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in loc)
    where = where.replace(".[", "[")
    message = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        message = f"unknown key {loc[-1]!r}"
        context = next((p for p in reversed(loc[:-1]) if isinstance(p, str)), "")
        if (change := RETIRED_KEYS.get((context, str(loc[-1])))) is not None:
            message += f": {change}"
    return line_of(lines, loc), f"{where}: {message}" if where else message


def compile_rule_file(path: Path, *, bundled: bool) -> OutletRules:
    """Read, validate and compile one rule file."""
    spec, lines = read_rule_file(path)
    return compile_rules(spec, path, lines, bundled=bundled)


def bundled_rules_dir() -> Path:
    """The rules shipped with the package (inside a wheel) or beside it (a checkout)."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "_bundled_rules"
    return installed if installed.is_dir() else package.parent / "rules"


def _rule_files(directory: Path) -> Iterable[Path]:
    return sorted(
        p
        for p in directory.iterdir()
        if p.suffix in {".yaml", ".yml"} and not p.name.startswith(("_", "."))
    )


def load_rulebook(extra_dirs: Sequence[Path] = ()) -> Rulebook:
    """Load the bundled rules, then each of ``extra_dirs`` (a file there replaces the
    bundled file of the same outlet id).

    The result is immutable and cached for as long as no rule file changes, so building
    many cleaners in one process (tests, notebooks) compiles the rules once.
    """
    files: dict[str, tuple[Path, bool]] = {}
    for directory, bundled in [(bundled_rules_dir(), True), *((d, False) for d in extra_dirs)]:
        if not directory.is_dir():
            raise RuleFileError(str(directory), None, "rules directory does not exist")
        for path in _rule_files(directory):
            files[path.stem] = (path, bundled)
    key = tuple(
        (name, str(path), bundled, path.stat().st_mtime_ns, path.stat().st_size)
        for name, (path, bundled) in sorted(files.items())
    )
    return _load(key)


@functools.lru_cache(maxsize=16)
def _load(key: tuple[tuple[str, str, bool, int, int], ...]) -> Rulebook:
    files = {name: (Path(path), bundled) for name, path, bundled, _, _ in key}
    compiled = {name: compile_rule_file(path, bundled=b) for name, (path, b) in files.items()}
    generic = compiled.pop(GENERIC, None)
    if generic is None:
        raise RuleFileError(str(bundled_rules_dir()), None, f"no {GENERIC}.yaml rule file")
    lexicon = compiled.pop(LEXICON, None)
    for rules in compiled.values():
        if rules.evidence:
            raise RuleFileError(
                str(rules.path), None, "evidence: belongs in generic.yaml (use fingerprints)"
            )
    for shared in (generic, lexicon):
        if shared is not None and (shared.domains or shared.fingerprints):
            raise RuleFileError(
                str(shared.path), None, "runs on every document: it has no domains or fingerprints"
            )
    domain_index: dict[str, str] = {}
    for outlet in sorted(compiled):
        for domain in compiled[outlet].domains:
            other = domain_index.setdefault(domain, outlet)
            if other != outlet:
                raise RuleFileError(
                    str(compiled[outlet].path),
                    None,
                    f"domain {domain} is already claimed by {other}",
                )
    rulebook = Rulebook(
        outlets=dict(sorted(compiled.items())),
        generic=generic,
        domain_index=domain_index,
        lexicon=lexicon,
    )
    try:
        rulebook.signs  # noqa: B018 - compile the shared set now, not mid-run
    except PatternError as exc:
        raise RuleFileError(
            str(bundled_rules_dir()),
            None,
            f"the fingerprints and evidence of all rule files: {exc}",
        ) from None
    return rulebook
