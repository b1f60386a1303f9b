"""The shape of the code: data flows one way, modules stay small, tools stay out of the
package, tests mirror it (docs/architecture.md)."""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "cleaner"

LAYERS = ["io", "text", "rules", "pipeline", "engines", "corpus", "authoring", "cli"]
"""Stages in the order data flows: a part may import from those before it, never after.
``config``, ``models``, ``errors`` and ``validate`` are shared by all."""
SHARED = {"config", "models", "errors", "validate", "__init__", "__main__"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _skips_type_checking(node: ast.AST) -> Iterator[ast.AST]:
    """Every node below ``node`` except what sits under ``if TYPE_CHECKING:``."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and getattr(child.test, "id", None) == "TYPE_CHECKING":
            yield from (n for stmt in child.orelse for n in _with_self(stmt))
            continue
        yield child
        yield from _skips_type_checking(child)


def _with_self(node: ast.AST) -> Iterator[ast.AST]:
    yield node
    yield from _skips_type_checking(node)


def imports_of(path: Path, known: dict[str, Path]) -> set[str]:
    """The modules of ``cleaner`` that ``path`` imports, anywhere in it (lazy imports
    in functions included), resolved to modules where a name is a submodule."""
    found: set[str] = set()
    for node in _skips_type_checking(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("cleaner"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if not node.module.startswith("cleaner"):
                continue
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in known else node.module)
    return found & set(known)


def import_graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(path, known) - {name} for name, path in known.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_another_that_imports_it_back() -> None:
    assert cycles(import_graph()) == []


def _layer(module: str) -> str:
    """``cleaner.rules.apply`` → ``rules``; ``cleaner.config`` → ``config``."""
    return module.split(".")[1] if "." in module else "__init__"


def test_data_flows_one_way_between_the_stages() -> None:
    wrong = []
    for module, imported in import_graph().items():
        mine = _layer(module)
        if mine in SHARED:
            continue
        for other in imported:
            theirs = _layer(other)
            if theirs in SHARED:
                continue
            if LAYERS.index(theirs) > LAYERS.index(mine):
                wrong.append(f"{module} imports {other}")
    assert not wrong


def test_shared_modules_import_no_stage_above_text() -> None:
    for module, imported in import_graph().items():
        if _layer(module) in SHARED - {"__init__", "__main__"}:
            assert all(_layer(o) in SHARED | {"io", "text"} for o in imported), module


def test_the_top_level_holds_at_most_twelve_modules() -> None:
    top = [p.name for p in PACKAGE.glob("*.py")]
    assert len(top) <= 12, top


def test_no_module_is_over_500_lines() -> None:
    long = {
        module_name(p): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert not long


def test_bench_and_evaluation_are_not_in_the_package() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["cleaner"]
    assert not list(PACKAGE.rglob("bench*.py")) and not list(PACKAGE.rglob("eval*.py"))
    assert all("tools" not in imported for imported in map(str, import_graph().values()))


def test_tests_mirror_the_package() -> None:
    subpackages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    test_folders = {p.parent.name for p in (ROOT / "tests").glob("*/__init__.py")}
    assert subpackages <= test_folders, subpackages - test_folders


def test_the_command_line_starts_without_parquets_libraries() -> None:
    """pyarrow (tens of MB in every worker) loads only when Parquet is written or read."""
    import subprocess
    import sys

    code = "import sys, cleaner.cli; print(sorted({m.split('.')[0] for m in sys.modules}))"
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    assert "'cleaner'" in found
    assert "'pyarrow'" not in found and "'datasets'" not in found and "'duckdb'" not in found
