"""``cleaner clean --config FILE``: settings from a TOML file, options on the command line
winning over it, every mistake one line naming where it is (issue 17, point 12)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.cli.app import app
from cleaner.config import CleanerConfig, config_from, merge_settings, read_config_file

runner = CliRunner()

SHORT = (
    "Jakarta - Warga kota menanam seratus pohon di taman pada Minggu pagi bersama "
    "anak-anak sekolah dan para guru mereka.\n"
)


def clean(tmp_path: Path, *args: str) -> tuple[int, list[dict[str, object]], str]:
    """Run ``cleaner clean`` on a short article: exit code, articles, standard error."""
    source = tmp_path / "in.txt"
    source.write_text(SHORT, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["clean", str(source), "-o", str(out), "-q", *args])
    lines = out.read_text(encoding="utf-8").splitlines() if out.exists() else []
    return result.exit_code, [json.loads(line) for line in lines], result.stderr


def config(tmp_path: Path, text: str, name: str = "cleaner.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_file_sets_thresholds_and_the_command_line_wins(tmp_path: Path) -> None:
    lenient = config(tmp_path, '[quality]\nenabled = true\nmin_words = 10\nlanguages = ["id"]\n')
    code, kept, _ = clean(tmp_path, "--config", lenient)
    assert code == 0 and len(kept) == 1
    code, kept, _ = clean(tmp_path, "--config", lenient, "--threshold", "min_words=30")
    assert code == 0 and kept == []  # 18 words: under the command line's 30
    strict = config(tmp_path, "[quality]\nenabled = true\n", "strict.toml")
    code, kept, _ = clean(tmp_path, "--config", strict)
    assert code == 0 and kept == []  # the file's default threshold: 50 words


def test_other_settings_of_the_file_reach_the_records(tmp_path: Path) -> None:
    settings = config(
        tmp_path, 'signals = false\ndefault_timezone = "+08:00"\n[learn]\nenabled = false\n'
    )
    code, articles, _ = clean(tmp_path, "--config", settings)
    assert code == 0 and articles[0]["signals"] is None
    code, articles, _ = clean(tmp_path, "--config", settings, "--signals")
    assert code == 0 and articles[0]["signals"] is not None


def test_relative_paths_are_the_files_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    (project / "my-rules").mkdir(parents=True)
    path = project / "cleaner.toml"
    path.write_text('rules_dirs = ["my-rules"]\nlearned = "table.jsonl"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    settings = read_config_file(Path("project/cleaner.toml"))
    assert settings["rules_dirs"] == [Path("project/my-rules")]
    assert settings["learned"] == Path("project/table.jsonl")


def test_tables_merge_setting_by_setting() -> None:
    base = {"quality": {"enabled": True, "min_words": 10}, "signals": True}
    merged = merge_settings(base, {"quality": {"min_words": 30}})
    assert merged == {"quality": {"enabled": True, "min_words": 30}, "signals": True}
    assert config_from(merged).quality.min_words == 30
    assert base["quality"] == {"enabled": True, "min_words": 10}  # not changed in place
    assert config_from({}) == CleanerConfig()


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("[quality]\nmin_wordz = 3\n", "cleaner.toml: quality.min_wordz: Extra inputs"),
        ("[quality]\nmin_words = 'many'\n", "cleaner.toml: quality.min_words: Input should"),
        ("time_limit = -1\n", "cleaner.toml: time_limit: Input should be greater"),
        ("[quality\n", "cleaner.toml: not TOML"),
        ('default_timezone = "Mars"\n', "cleaner.toml: default_timezone:"),
    ],
)
def test_a_wrong_file_is_one_line_naming_the_setting(tmp_path: Path, text: str, said: str) -> None:
    code, articles, stderr = clean(tmp_path, "--config", config(tmp_path, text))
    assert code == 2 and said in stderr, stderr
    assert len(stderr.strip().splitlines()) == 1 and articles == []


def test_a_wrong_option_is_named_as_the_option_not_the_file(tmp_path: Path) -> None:
    settings = config(tmp_path, "[quality]\nenabled = true\n")
    code, _, stderr = clean(tmp_path, "--config", settings, "--threshold", "min_words=x")
    assert code == 2 and "--threshold min_words: Input should" in stderr
    code, _, stderr = clean(tmp_path, "--config", settings, "--no-signals")
    assert code == 2 and "cannot go with --no-signals" in stderr
    code, _, stderr = clean(tmp_path, "--config", str(tmp_path / "missing.toml"))
    assert code == 2 and "cannot read" in stderr and "missing.toml" in stderr
