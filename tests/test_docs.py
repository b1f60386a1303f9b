"""The Python examples of the docs are run: what a reader copies is what the code does.

Each page's ```python blocks run in order, in an empty folder, sharing one namespace (a
block may use what an earlier block of its page made), as a reader would paste them. A
page that works on a run's output first runs the ``cleaner`` commands of its first
```sh block there (with ``fixtures`` beside them, as in the repository's root).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

FIRST_SHELL_BLOCK = "first shell block"
PAGES: dict[str, str | None] = {
    "docs/api.md": None,
    "docs/downstream.md": FIRST_SHELL_BLOCK,
    "README.md": "cleaner clean fixtures -o out/corpus.parquet  # as make clean-corpus, in Parquet",
}
"""Pages whose Python blocks are complete programs (other pages show fragments), and the
commands that make what they read (``make clean-corpus`` writes the README's)."""
BLOCK = re.compile(r"^```(python|sh)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def blocks(page: str, language: str) -> list[str]:
    text = (ROOT / page).read_text(encoding="utf-8")
    return [code for lang, code in BLOCK.findall(text) if lang == language]


def run_setup(commands: str, folder: Path) -> None:
    """The ``cleaner …`` lines of a shell block, run in ``folder`` (comments dropped)."""
    (folder / "fixtures").symlink_to(ROOT / "fixtures")
    env = os.environ | {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for line in commands.splitlines():
        command = shlex.split(line, comments=True)
        if command[:1] == ["cleaner"]:
            subprocess.run(command, cwd=folder, env=env, check=True, capture_output=True)


@pytest.mark.parametrize("page", PAGES)
def test_the_python_examples_run(
    page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = blocks(page, "python")
    assert found, f"{page} has no Python example"
    setup = PAGES[page]
    if setup is not None:
        run_setup(blocks(page, "sh")[0] if setup == FIRST_SHELL_BLOCK else setup, tmp_path)
    monkeypatch.chdir(tmp_path)
    # the examples call `cleaner` as a reader's shell would find it
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / ".hf"))
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for n, code in enumerate(found, 1):
        exec(compile(code, f"{page} (block {n})", "exec"), namespace)


def test_a_failing_example_fails() -> None:
    """The runner is not a no-op: a wrong claim in a block raises."""
    with pytest.raises(AssertionError):
        exec(compile("from cleaner import clean_text\nassert clean_text('a') is None", "x", "exec"))
