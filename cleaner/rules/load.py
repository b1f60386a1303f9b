"""Loading rule files: YAML read safely, validated against the schema, every error as
``file:line: message``; then every file compiled into one :class:`Rulebook`."""

from __future__ import annotations

import contextlib
import functools
import hashlib
from collections.abc import Generator, Iterable, Sequence
from pathlib import Path
from typing import Any, cast

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


_Visit = tuple[yaml.Node, tuple[Any, ...], int, "set[Any] | None"]


def _node_lines(node: yaml.Node, out: dict[tuple[Any, ...], int]) -> None:
    """Map each path in the document (``("drop_lines", 2, "pattern")``) to its line; a
    mapping's value maps to the line of its key (errors point at the key).

    Iterative, in document order: the depth of the document costs no stack.
    """
    # (node, its path, its line, the keys already seen in its mapping or None)
    todo: list[_Visit] = [(node, (), node.start_mark.line + 1, None)]
    while todo:
        node, path, line, seen = todo.pop()
        if seen is not None:
            if path[-1] in seen:
                raise _DuplicateKeyError(path[-1], line)
            seen.add(path[-1])
        out[path] = line
        children: list[_Visit] = []
        if isinstance(node, yaml.MappingNode):
            keys: set[Any] = set()
            children = [
                (value, (*path, key.value), key.start_mark.line + 1, keys)
                for key, value in node.value
            ]
        elif isinstance(node, yaml.SequenceNode):
            children = [
                (item, (*path, i), item.start_mark.line + 1, None)
                for i, item in enumerate(node.value)
            ]
        todo.extend(reversed(children))  # the first child next: document order


class _DuplicateKeyError(Exception):
    def __init__(self, key: Any, line: int) -> None:
        super().__init__(key)
        self.key = key
        self.line = line


_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_RULE_FILE_BYTES = 1 << 20
"""A rule file is a few KB; anything near this is not one."""
MAX_DEPTH = 50
"""How deeply a rule file may nest; a rule file needs four or five levels."""

_OPEN = (
    yaml.BlockMappingStartToken,
    yaml.BlockSequenceStartToken,
    yaml.FlowMappingStartToken,
    yaml.FlowSequenceStartToken,
)
_CLOSE = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)
# What may follow, at its own level, an item of a sequence written at its key's
# indentation ("key:\n- item"): anything else ends the sequence.
_IN_INDENTLESS = (
    yaml.BlockEntryToken,
    yaml.AnchorToken,
    yaml.AliasToken,
    yaml.TagToken,
    yaml.ScalarToken,
    *_OPEN,
)
_INDENTLESS = "indentless sequence"


class _ShapeError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _check_shape(text: str) -> None:
    """Refuse, from the tokens alone and before anything composes the document, what
    would make reading it cost more than its size: nesting deeper than :data:`MAX_DEPTH`
    (the composer recurses once per level) and anchors on lists or mappings ("billion
    laughs": every walk of the document expands each alias again). An anchor on a single
    value (a pattern written once and reused, as in detik.yaml) is allowed, as long as
    the aliases repeat no more than :data:`MAX_RULE_FILE_BYTES` of text in all. The
    scanner is iterative, and this stops at the first problem.
    """
    open_: list[object] = []  # the collections open at this point, innermost last
    previous: yaml.Token | None = None
    anchor: yaml.AnchorToken | None = None  # waiting for the value it names
    scalars: dict[str, int] = {}  # anchor name -> length of the value it names
    repeated = 0
    # yaml.scan is a generator: closing it disposes of the loader at once
    tokens = cast("Generator[yaml.Token]", yaml.scan(text, Loader=_SafeLoader))
    with contextlib.closing(tokens):
        for token in tokens:
            line = token.start_mark.line + 1
            if anchor is not None and not isinstance(token, yaml.TagToken):
                if not isinstance(token, yaml.ScalarToken):
                    raise _ShapeError(anchor.start_mark.line + 1, _no_anchor(anchor.value))
                scalars[anchor.value] = len(token.value)
                anchor = None
            if isinstance(token, yaml.AnchorToken):
                anchor = token
            elif isinstance(token, yaml.AliasToken) and token.value in scalars:
                repeated += scalars[token.value]
                if repeated > MAX_RULE_FILE_BYTES:
                    raise _ShapeError(
                        line, f"YAML aliases (*{token.value}) repeat more than 1 MiB of text"
                    )
            if open_ and open_[-1] == _INDENTLESS and not isinstance(token, _IN_INDENTLESS):
                open_.pop()  # an indentless sequence ends with no token of its own
            if isinstance(token, _CLOSE):
                if open_:
                    open_.pop()
            elif isinstance(token, _OPEN) or (
                isinstance(token, yaml.BlockEntryToken) and isinstance(previous, yaml.ValueToken)
            ):
                open_.append(type(token) if isinstance(token, _OPEN) else _INDENTLESS)
                if len(open_) > MAX_DEPTH:
                    raise _ShapeError(
                        line, f"nested more than {MAX_DEPTH} levels deep (a rule file needs 4 or 5)"
                    )
            if not isinstance(token, yaml.TagToken | yaml.AnchorToken):
                previous = token  # a value's properties come between it and its key


def _no_anchor(name: str) -> str:
    return (
        f"YAML anchors and aliases (&{name}, *{name}) are not allowed in rule files "
        "on a list or mapping, only on a single value such as a pattern"
    )


def _yaml_error(shown: str, exc: yaml.YAMLError) -> RuleFileError:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        return RuleFileError(shown, line, f"not valid YAML: {exc.problem or exc}")
    return RuleFileError(shown, None, f"not valid YAML: {exc}")


def read_rule_file(path: Path) -> tuple[RuleFile, dict[tuple[Any, ...], int]]:
    """Parse and validate one rule file; errors name the file and the line."""
    shown = str(path)
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_RULE_FILE_BYTES + 1)
        if len(raw) > MAX_RULE_FILE_BYTES:
            raise RuleFileError(
                shown, None, "larger than 1 MiB: not a rule file (a rule file is a few KB)"
            )
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(shown, None, f"cannot read: {exc}") from None
    try:
        _check_shape(text)
    except _ShapeError as exc:
        raise RuleFileError(shown, exc.line, exc.message) from None
    except yaml.YAMLError as exc:
        raise _yaml_error(shown, exc) from None
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        raise _yaml_error(shown, exc) from None
    finally:
        loader.dispose()
    if node is None or not isinstance(data, dict):
        raise RuleFileError(shown, 1, "a rule file must be a YAML mapping (name:, domains:, …)")
    lines: dict[tuple[Any, ...], int] = {}
    try:
        _node_lines(node, lines)
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


def rules_digest(extra_dirs: Sequence[Path] = ()) -> str:
    """A digest of every rule file a run would load (names and bytes), to tell whether
    the rules changed between a run and its ``--resume``: other rules, other output."""
    digest = hashlib.blake2b(digest_size=16)
    for directory in [bundled_rules_dir(), *extra_dirs]:
        for path in _rule_files(directory) if directory.is_dir() else ():
            digest.update(f"{path.name}\0{path.stat().st_size}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


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
