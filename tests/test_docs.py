"""The Python examples of the docs are run: what a reader copies is what the code does.

Each page's ```python blocks run in order, in an empty folder, sharing one namespace (a
block may use what an earlier block of its page made), as a reader would paste them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

PAGES = ["docs/api.md"]
"""Pages whose Python blocks are complete programs (other pages show fragments)."""
BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def blocks(page: str) -> list[str]:
    return BLOCK.findall((ROOT / page).read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", PAGES)
def test_the_python_examples_run(
    page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = blocks(page)
    assert found, f"{page} has no Python example"
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for n, code in enumerate(found, 1):
        exec(compile(code, f"{page} (block {n})", "exec"), namespace)


def test_a_failing_example_fails() -> None:
    """The runner is not a no-op: a wrong claim in a block raises."""
    with pytest.raises(AssertionError):
        exec(compile("from cleaner import clean_text\nassert clean_text('a') is None", "x", "exec"))
