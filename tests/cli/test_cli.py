"""The ``cleaner`` command line: streams, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.cli.app import app
from cleaner.io.sinks import rejects_path_for
from cleaner.rules.load import load_rulebook
from tests.conftest import FIXTURES, ROOT, expected_counts, interruptible
from tests.text.test_html import _without_meta_author, news_page

runner = CliRunner()

ARTICLE = (
    "BANDUNG - Hujan deras sejak sore membuat beberapa ruas jalan di pusat kota tergenang.\n"
    "Baca juga: Banjir Kembali Rendam Jalan Protokol\n"
    "Petugas dinas pekerjaan umum dikerahkan untuk membersihkan saluran air yang tersumbat.\n"
)


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def records(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


def test_clean_writes_jsonl_to_stdout_and_the_summary_to_stderr(tmp_path: Path) -> None:
    articles, rejects = expected_counts()
    result = runner.invoke(app, ["clean", str(FIXTURES), "--rejects", str(tmp_path / "r.jsonl")])
    assert result.exit_code == 0, result.stderr
    out = records(result.stdout)
    sources = [str(r["source"]) for r in out]
    assert sources == sorted(sources)
    assert len(out) == articles
    outlets = {r["outlet"] for r in out}
    assert outlets - {None} <= set(load_rulebook().outlets)
    assert len(outlets) >= 5
    assert result.stderr.startswith(f"{articles} articles, {rejects} rejected")
    assert len(result.stderr.splitlines()) == 1


def test_output_is_in_input_order_and_deterministic(tmp_path: Path) -> None:
    for name in ["b.txt", "a.txt", "c/d.txt"]:
        write(tmp_path / name, ARTICLE.replace("BANDUNG", name[0].upper() * 4))
    first = runner.invoke(app, ["clean", str(tmp_path / "c"), str(tmp_path)])
    second = runner.invoke(app, ["clean", str(tmp_path / "c"), str(tmp_path)])
    assert first.stdout == second.stdout
    sources = [Path(str(r["source"])).name for r in records(first.stdout)]
    assert sources == ["d.txt", "a.txt", "b.txt", "d.txt"]


def test_output_file_and_rejects_beside_it(tmp_path: Path) -> None:
    write(tmp_path / "in" / "good.txt", ARTICLE)
    write(tmp_path / "in" / "empty.txt", "")
    write(tmp_path / "in" / "binary.txt", b"\x00\x01\x02\xff\xfe\x00" * 20)
    out = tmp_path / "out" / "corpus.jsonl"
    result = runner.invoke(app, ["clean", str(tmp_path / "in"), "-o", str(out)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert len(records(out.read_text(encoding="utf-8"))) == 1
    rejects = records((tmp_path / "out" / "corpus.rejects.jsonl").read_text(encoding="utf-8"))
    assert sorted((Path(str(r["source"])).name, r["reason"]) for r in rejects) == [
        ("binary.txt", "undecodable"),
        ("empty.txt", "empty_input"),
    ]
    assert "1 article, 2 rejected (1 empty_input, 1 undecodable)" in result.stderr
    assert not list((tmp_path / "out").glob(".*.tmp"))


def test_explicit_rejects_file_and_rejects_on_stderr_without_one(tmp_path: Path) -> None:
    empty = write(tmp_path / "empty.txt", "")
    explicit = tmp_path / "r.jsonl"
    result = runner.invoke(app, ["clean", str(empty), "--rejects", str(explicit)])
    assert records(explicit.read_text(encoding="utf-8"))[0]["reason"] == "empty_input"
    result = runner.invoke(app, ["clean", str(empty)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert f"rejected: {empty.as_posix()}: empty_input:" in result.stderr


def test_standard_input_with_dash() -> None:
    result = runner.invoke(app, ["clean", "-"], input=ARTICLE.encode())
    assert result.exit_code == 0
    (record,) = records(result.stdout)
    assert record["source"] == "<stdin>"
    assert record["dateline"] == "BANDUNG"


def test_outlet_option_forces_rules_and_unknown_outlet_is_a_usage_error(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", ARTICLE)
    result = runner.invoke(app, ["clean", str(path), "--outlet", "rmol"])
    assert records(result.stdout)[0]["outlet"] == "rmol"
    result = runner.invoke(app, ["clean", str(path), "--outlet", "nope"])
    assert result.exit_code == 2
    assert result.stderr.startswith("cleaner: error: unknown outlet 'nope'")
    assert len(result.stderr.splitlines()) == 1


def test_missing_input_is_a_usage_error_before_any_output(tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    result = runner.invoke(app, ["clean", str(FIXTURES), "missing.txt", "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr == "cleaner: error: no such file or directory: missing.txt\n"
    assert not out.exists()


def test_rules_dir_overrides_a_bundled_outlet(tmp_path: Path) -> None:
    rules = write(
        tmp_path / "rules" / "rmol.yaml",
        "name: RMOL test\ndomains: [rmol.id]\ndrop_lines:\n  - id: hujan\n    pattern: Petugas\n",
    )
    path = write(tmp_path / "a.txt", ARTICLE)
    result = runner.invoke(
        app, ["clean", str(path), "--rules", str(rules.parent), "--outlet", "rmol"]
    )
    (record,) = records(result.stdout)
    assert record["cleaning"]["rule_hits"] == {
        "rmol/hujan": 1,
        "lexicon/related-link": 1,
        "generic/dateline": 1,
    }


def test_broken_rule_file_names_file_and_line(tmp_path: Path) -> None:
    bad = write(
        tmp_path / "rules" / "contoh.yaml",
        "name: Contoh\ndrop_lines:\n  - id: a\n    pattern: '(unclosed'\n",
    )
    result = runner.invoke(app, ["clean", str(FIXTURES), "--rules", str(bad.parent)])
    assert result.exit_code == 2
    assert result.stdout == ""
    line = result.stderr.strip()
    assert line.startswith(f"cleaner: error: {bad}:4: drop_lines[0].pattern: invalid regular")
    assert "\n" not in line


def test_summary_lists_rejects_and_rule_hits_per_outlet(tmp_path: Path) -> None:
    write(tmp_path / "empty.txt", "")
    result = runner.invoke(app, ["clean", str(FIXTURES), str(tmp_path), "--summary"])
    err = result.stderr
    assert "rejects by reason" in err
    assert "empty_input" in err
    assert "rmol/popular-and-latest" in err
    assert "tribunnews" in err


def test_schema_prints_the_article_json_schema() -> None:
    result = runner.invoke(app, ["schema"])
    schema = json.loads(result.stdout)
    assert schema["title"] == "Article"
    assert {"id", "source", "outlet", "text", "published_at", "word_count"} <= set(
        schema["properties"]
    )
    rules = json.loads(runner.invoke(app, ["schema", "rules"]).stdout)
    assert "drop_lines" in rules["properties"]


def test_rejects_path_for() -> None:
    assert rejects_path_for(Path("out/corpus.jsonl")) == Path("out/corpus.rejects.jsonl")
    assert rejects_path_for(Path("out/x.json")) == Path("out/x.rejects.jsonl")


# End to end, as a user's shell runs it: a real process, real pipes.


def run_cli(*args: str, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "cleaner", *args],
        cwd=ROOT,
        capture_output=True,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )


def test_process_exit_codes_and_no_traceback(tmp_path: Path) -> None:
    ok = run_cli("clean", "fixtures")
    assert ok.returncode == 0
    assert len(ok.stdout.splitlines()) == expected_counts()[0]
    bad = run_cli("clean", "fixtures", "--outlet", "nope")
    assert bad.returncode == 2
    assert b"Traceback" not in bad.stderr
    usage = run_cli("clean", "--no-such-option")
    assert usage.returncode == 2
    assert b"Traceback" not in usage.stderr


@pytest.mark.skipif(os.name != "posix", reason="needs a shell pipeline")
def test_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    text = (FIXTURES / "rmol").glob("*.txt").__next__().read_text(encoding="utf-8")
    for i in range(300):
        write(tmp_path / f"{i:04d}.txt", text.replace("Armenia", f"Armenia {i}", 1))
    proc = subprocess.run(
        f"{sys.executable} -m cleaner clean {tmp_path} | head -n 1",
        shell=True,
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    assert len(proc.stdout.splitlines()) == 1
    assert proc.stderr == b""


@pytest.mark.skipif(os.name != "posix", reason="needs POSIX signals")
def test_an_interrupted_run_leaves_no_file_that_looks_whole(tmp_path: Path) -> None:
    import signal
    import time

    text = next((FIXTURES / "sindonews").glob("0*.txt")).read_text(encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(4000):
        (corpus / f"{i:05d}.txt").write_text(text.replace("Armenia", f"Armenia {i}"), "utf-8")
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "cleaner", "clean", str(corpus), "-o", str(out / "c.jsonl")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=interruptible,
    )
    deadline = time.monotonic() + 60
    while not list(out.glob(".c.jsonl.*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.02)  # wait until the run is writing
    time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert b"Traceback" not in err
    assert b"interrupted" in err
    assert not (out / "c.jsonl").exists()
    assert list(out.iterdir()) == []  # no temporary file left behind either


def test_quality_sends_thin_and_foreign_articles_to_the_rejects_naming_the_signal(
    tmp_path: Path,
) -> None:
    from tests.text.test_language import SAMPLES
    from tests.text.test_signals import PROSE

    write(tmp_path / "in/a-prose.txt", PROSE)
    write(tmp_path / "in/b-thin.txt", ARTICLE)
    write(tmp_path / "in/c-english.txt", "\n".join([SAMPLES["en"]] * 3))
    plain = runner.invoke(app, ["clean", str(tmp_path / "in")])
    assert [r["language"] for r in records(plain.stdout)] == ["id", "id", "en"]
    rejects = tmp_path / "rejects.jsonl"
    result = runner.invoke(
        app, ["clean", str(tmp_path / "in"), "--quality", "--rejects", str(rejects)]
    )
    assert result.exit_code == 0, result.stderr
    assert [r["text"] for r in records(result.stdout)] == [PROSE]
    dropped = records(rejects.read_text(encoding="utf-8"))
    assert [(r["reason"], r["signal"]) for r in dropped] == [
        ("low_quality", "word_count"),
        ("low_quality", "language"),
    ]
    assert dropped[1]["detail"] == "language en is not id"


def test_no_signals_leaves_them_null_and_cannot_go_with_quality(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", ARTICLE)
    result = runner.invoke(app, ["clean", str(tmp_path / "a.txt"), "--no-signals"])
    (record,) = records(result.stdout)
    assert (record["language"], record["language_score"], record["signals"]) == (None, None, None)
    both = runner.invoke(app, ["clean", str(tmp_path / "a.txt"), "--no-signals", "--quality"])
    assert both.exit_code == 2
    assert both.stdout == ""
    assert both.stderr.strip().endswith("it cannot go with --no-signals")


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["clean"],
        ["explain"],
        ["dedup"],
        ["report"],
        ["schema"],
        ["rules"],
        ["rules", "new"],
        ["rules", "check"],
        ["rules", "test"],
        ["rules", "learn"],
        ["rules", "list"],
    ],
)
def test_dash_h_is_help_everywhere(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "-h"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Usage: ") and "-h, --help" in result.stdout


def test_an_empty_input_directory_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["clean", str(tmp_path), "-o", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"cleaner: error: no input to clean: {tmp_path} holds no file")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["clean", "--bogus"], "cleaner: error: No such option: --bogus (see cleaner clean -h)"),
        (["rules", "new"], "cleaner: error: Missing argument 'NAME'. (see cleaner rules new -h)"),
        (["nosuch"], "cleaner: error: No such command 'nosuch'. (see cleaner -h)"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(args: list[str], said: str) -> None:
    code = "import sys; sys.argv[0] = 'cleaner'; from cleaner.__main__ import main; main()"
    result = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr == f"{said}\n"


COMMANDS = [
    ["clean"],
    ["dedup"],
    ["report"],
    ["explain"],
    ["schema"],
    *([["rules", name] for name in ("list", "check", "new", "test", "learn")]),
]


def test_help_shows_plain_metavars() -> None:
    said = runner.invoke(app, ["clean", "-h"]).stdout
    assert "-o, --output FILE" in said and "--workers N" in said and "--rules DIR" in said
    assert "\n  INPUT  " in said  # the argument's name alone, no Python type after it
    for command in COMMANDS:
        said = runner.invoke(app, [*command, "-h"]).stdout
        internal = re.findall(r"<(?:int|float|str|path|list\[|int range|float range)[^>]*>", said)
        assert internal == [], (command, internal)
    assert "NAME <article|reject|rules|config>" in runner.invoke(app, ["schema", "-h"]).stdout


def test_thresholds_are_set_from_the_command_line(tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text(
        "Jakarta - Warga kota menanam seratus pohon di taman pada Minggu pagi bersama "
        "anak-anak sekolah dan para guru mereka.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    strict = runner.invoke(app, ["clean", str(source), "-o", str(out), "--quality", "-q"])
    assert strict.exit_code == 0 and out.read_text(encoding="utf-8") == ""  # under 50 words
    lenient = ["--quality", "--threshold", "min_words=10", "--threshold", "languages=id,ms"]
    kept = runner.invoke(app, ["clean", str(source), "-o", str(out), "-q", *lenient])
    assert kept.exit_code == 0, kept.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1
    for bad, said in [
        (["--quality", "--threshold", "min_wordz=3"], "give NAME=VALUE, NAME one of"),
        (["--quality", "--threshold", "min_words=x"], "--threshold min_words: Input should"),
        (["--threshold", "min_words=3"], "add --quality"),
    ]:
        result = runner.invoke(app, ["clean", str(source), "-o", str(out), *bad])
        assert result.exit_code == 2 and said in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_no_page_search_is_the_page_search_setting(tmp_path: Path) -> None:
    write(tmp_path / "a.html", _without_meta_author(news_page()))
    default, off = (
        records(runner.invoke(app, ["clean", str(tmp_path / "a.html"), *flag]).stdout)[0]
        for flag in ([], ["--no-page-search"])
    )
    assert default["cleaning"]["field_sources"]["authors"] == "page markup"  # type: ignore[index]
    assert "authors" not in off["cleaning"]["field_sources"]  # type: ignore[index,operator]
    settings = tmp_path / "settings.toml"
    settings.write_text("page_search = false\n", encoding="utf-8")
    by_file = runner.invoke(app, ["clean", str(tmp_path / "a.html"), "--config", str(settings)])
    assert records(by_file.stdout)[0] == off
