"""``cleaner report`` (cleaner/report.py): the counts, the table, the HTML page."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cleaner.cli.app import app
from cleaner.corpus.report import render_html, render_text, summarize
from tests.conftest import FIXTURES

runner = CliRunner()


def _article(n: int, outlet: str | None, published: str | None, **more: Any) -> dict[str, Any]:
    text = f"Paragraf berita nomor {n}."
    return {
        "id": f"a{n}",
        "outlet": outlet,
        "published_at": published,
        "text": text,
        "word_count": len(text.split()),
        "language": more.pop("language", "id"),
        "cleaning": {"rule_hits": more.pop("hits", {}), "chars_in": len(text) + 10},
        **more,
    }


def _corpus(tmp_path: Path) -> Path:
    articles = [
        _article(
            1,
            "kompas",
            "2024-03-04T08:00:00+07:00",
            hits={"kompas/iklan": 2},
            cluster_id="a1",
            duplicate_of=None,
        ),
        _article(
            2,
            "kompas",
            "2024-03-05T08:00:00+07:00",
            hits={"kompas/iklan": 1, "generic/share": 3},
            cluster_id="a1",
            duplicate_of="a1",
        ),
        _article(3, "detik", None, language="en", cluster_id="a3", duplicate_of=None),
        _article(4, None, "2023-12-31T23:00:00+07:00", cluster_id="a4", duplicate_of=None),
    ]
    rejects = [
        {"source": "x", "reason": "invalid_json"},
        {"source": "y", "reason": "too_large"},
        {"source": "z", "reason": "invalid_json"},
    ]
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    (tmp_path / "corpus.rejects.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in rejects), encoding="utf-8"
    )
    return path


def test_the_counts_cover_outlets_months_languages_rejects_rules_and_duplicates(
    tmp_path: Path,
) -> None:
    path = _corpus(tmp_path)
    report = summarize([path], [tmp_path / "corpus.rejects.jsonl"])
    assert (report.articles, report.rejects) == (4, 3)
    assert report.outlets == {"kompas": 2, "(unknown)": 1, "detik": 1}
    assert report.months == {"2023-12": 1, "2024-03": 2, "undated": 1}
    assert report.languages == {"id": 3, "en": 1}
    assert report.reject_reasons == {"invalid_json": 2, "too_large": 1}
    assert report.rule_hits == {"kompas/iklan": 3, "generic/share": 3}
    assert report.chars_removed == 40
    assert (report.deduplicated, report.duplicates, report.stories) == (True, 1, 1)


def test_the_table_says_when_duplicates_were_not_measured(tmp_path: Path) -> None:
    path = tmp_path / "plain.jsonl"
    path.write_text(json.dumps(_article(1, "rmol", None)) + "\n", encoding="utf-8")
    text = render_text(summarize([path]))
    assert any(
        line.startswith("duplicates ") and line.endswith("  not measured (run cleaner dedup)")
        for line in text.splitlines()
    )
    assert "Articles per outlet\n  rmol  1" in text
    assert "Rejects by reason\n  (none)" in text


def test_the_page_is_self_contained(tmp_path: Path) -> None:
    page = render_html(summarize([_corpus(tmp_path)], [tmp_path / "corpus.rejects.jsonl"]), "r")
    assert "<script" not in page
    assert not re.search(r"""(?:src|href)\s*=""", page)
    assert re.findall(r"https?://[^\"']+", page) == ["http://www.w3.org/2000/svg"] * 5


def test_report_command_prints_the_table_and_writes_the_page(tmp_path: Path) -> None:
    path = _corpus(tmp_path)
    page = tmp_path / "out/report.html"
    result = runner.invoke(app, ["report", str(path), "--html", str(page)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("articles ")
    assert "rejects                                3" in result.stdout
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    missing = runner.invoke(app, ["report", str(tmp_path / "none.jsonl")])
    assert missing.exit_code == 2
    assert "no such file" in missing.stderr
    no_rejects = runner.invoke(app, ["report", str(path), "--rejects", str(tmp_path / "r.jsonl")])
    assert no_rejects.exit_code == 2
    assert no_rejects.stderr.strip().endswith("no such file: " + str(tmp_path / "r.jsonl"))


def test_a_sharded_run_is_reported_whole_with_the_rejects_of_every_shard(tmp_path: Path) -> None:
    out = tmp_path / "out"
    inputs = [str(p) for p in sorted(FIXTURES.glob("*/00[0-4]_*.txt"))]
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n{broken\n", encoding="utf-8")
    args = ["clean", *inputs, str(bad), "-o", f"{out}/", "--quiet", "--shard-mb", "0.001"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert len(list(out.glob("part-*.done"))) == 6
    report = runner.invoke(app, ["report", f"{out}/"])
    assert report.exit_code == 0, report.stderr
    lines = report.stdout.splitlines()
    assert re.fullmatch(r"articles +5", lines[0])
    assert any(re.fullmatch(r"rejects +2", line) for line in lines)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="no headless Chromium on this machine")
def test_the_page_renders_in_a_headless_browser(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    report = summarize([_corpus(tmp_path)], [tmp_path / "corpus.rejects.jsonl"])
    page.write_text(render_html(report, "r"), encoding="utf-8")
    assert CHROMIUM is not None
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    dom = subprocess.run(
        [CHROMIUM, *flags, "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    # Every count became a bar: 3 outlets, 3 months, 2 languages, 2 reasons, 2 rules.
    assert dom.count("<rect") == 12
    assert "Articles per outlet" in dom
    shot = tmp_path / "shot.png"
    subprocess.run(
        [CHROMIUM, *flags, "--window-size=900,1200", f"--screenshot={shot}", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 10_000  # a blank page compresses to far less
