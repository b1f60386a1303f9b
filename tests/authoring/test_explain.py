"""``cleaner explain``: every line, the rule that removed it, where that rule is written
and why (its note)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner import Cleaner, CleanerConfig, RawDocument
from cleaner.authoring.explain import explain
from cleaner.cli.app import app

runner = CliRunner()

RULES = """\
name: Kabar Contoh
domains: [kabarcontoh.id]
fingerprints:
  - '^KABARCONTOH, '
strip_prefixes:
  - id: dateline
    note: The lead-in names the place the story was filed from.
    within: 3
    pattern: 'KABARCONTOH, (?P<dateline>[A-Z]+) - '
fields:
  - id: title
    relative_to: dateline
    offset: -1
    pattern: '(?P<title>.{10,200})$'
drop_lines:
  - id: share
    note: The share bar under every article.
    pattern: 'Bagikan ke teman$'
"""
SHARE_LINE = RULES.splitlines().index("  - id: share") + 1
PAGE = """\
Warga Desa Sukamaju Menanam Seribu Pohon
KABARCONTOH, GARUT - Warga Desa Sukamaju menanam seribu pohon di lereng bukit pada Minggu pagi.
Bagikan ke teman
Kepala desa mengatakan penanaman akan diulang setiap musim hujan.
Baca juga: Banjir Surut di Hilir Sungai
"""


@pytest.fixture
def example(tmp_path: Path) -> tuple[Path, Path]:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "kabarcontoh.yaml").write_text(RULES, encoding="utf-8")
    page = tmp_path / "berita.txt"
    page.write_text(PAGE, encoding="utf-8")
    return rules, page


def test_text_shows_removed_lines_with_rule_and_place_and_the_fields(
    example: tuple[Path, Path],
) -> None:
    rules, page = example
    result = runner.invoke(app, ["explain", str(page), "--rules", str(rules)])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].startswith(
        "outlet: kabarcontoh (fingerprint, weight 1: fingerprint (1): ^KABARCONTOH, )"
    )
    share = next(line for line in lines if "Bagikan ke teman" in line)
    assert share.startswith("   3 - ")
    assert (
        "kabarcontoh/share" in share and f"kabarcontoh.yaml:{SHARE_LINE}" in share
    )  # file and line
    baca = next(line for line in lines if "Baca juga" in line)
    assert "- Baca juga" in baca and "lexicon/" in baca and "lexicon.yaml:" in baca
    lead = next(line for line in lines if line.startswith("   2 "))
    assert "~ Warga Desa Sukamaju menanam" in lead and "cut 'KABARCONTOH, GARUT - '" in lead
    kept = next(line for line in lines if "Kepala desa" in line)
    assert kept.startswith("   4   Kepala desa")
    assert any(line.startswith("  title") and "line 1, kabarcontoh/title" in line for line in lines)
    assert any(line.startswith("  dateline") and "GARUT" in line for line in lines)
    why = lines[lines.index("why") + 1 :]
    assert any("kabarcontoh/share" in w and "The share bar under every article." in w for w in why)
    assert any("kabarcontoh/dateline" in w and "names the place" in w for w in why)
    assert lines[-1].startswith("article: 21 words")
    assert "\x1b[" not in result.stdout  # piped: plain text, no colour codes


def test_json_for_tools(example: tuple[Path, Path]) -> None:
    rules, page = example
    result = runner.invoke(app, ["explain", str(page), "--rules", str(rules), "--json"])
    data = json.loads(result.stdout)
    assert data["outlet"]["id"] == "kabarcontoh"
    assert data["outlet"]["detected_by"] == "fingerprint"
    by_no = {line["no"]: line for line in data["lines"]}
    assert by_no[3]["status"] == "removed"
    assert by_no[3]["removed_by"]["rule"] == "kabarcontoh/share"
    assert by_no[3]["removed_by"]["file"].endswith("kabarcontoh.yaml")
    assert by_no[3]["removed_by"]["file_line"] == SHARE_LINE
    assert by_no[3]["removed_by"]["note"] == "The share bar under every article."
    assert by_no[2]["status"] == "shortened"
    assert by_no[2]["cuts"][0]["text"] == "KABARCONTOH, GARUT - "
    assert by_no[4]["status"] == "kept"
    assert data["fields"]["title"]["line"] == 1
    assert data["result"]["title"] == "Warga Desa Sukamaju Menanam Seribu Pohon"


def test_the_explanation_agrees_with_the_record(example: tuple[Path, Path]) -> None:
    rules, page = example
    cleaner = Cleaner(CleanerConfig(rules_dirs=(rules,)))
    doc = RawDocument(source="x", data=page.read_bytes())
    data = explain(cleaner.trace(doc), cleaner.rulebook).to_json()
    kept = [line["text"] for line in data["lines"] if line["status"] != "removed"]
    assert "\n".join(kept) == cleaner.clean(doc).text  # type: ignore[union-attr]


def test_units_of_a_jsonl_file_and_the_unit_option(tmp_path: Path) -> None:
    dump = tmp_path / "d.jsonl"
    dump.write_text(
        '{"text": "Baca juga: Sesuatu"}\n'
        '{"text": "Kalimat yang cukup panjang untuk artikel ini."}\n',
        encoding="utf-8",
    )
    both = runner.invoke(app, ["explain", str(dump)])
    assert "reject: empty_after_cleaning" in both.stdout
    assert "article: 7 words" in both.stdout
    second = runner.invoke(app, ["explain", str(dump), "--unit", "2"])
    assert "reject" not in second.stdout and "article: 7 words" in second.stdout
    missing = runner.invoke(app, ["explain", str(dump), "--unit", "9"])
    assert missing.exit_code == 2
    assert "holds no unit 9" in missing.stderr


def test_forced_outlet_and_errors(example: tuple[Path, Path]) -> None:
    _, page = example
    forced = runner.invoke(app, ["explain", str(page), "--outlet", "rmol"])
    assert "outlet: rmol (forced: rmol)" in forced.stdout
    assert runner.invoke(app, ["explain", "nope.txt"]).exit_code == 2
    bad = runner.invoke(app, ["explain", str(page), "--outlet", "nope"])
    assert bad.exit_code == 2
    assert bad.stderr.startswith("cleaner: error: unknown outlet 'nope'")


def test_json_fields_of_an_html_page_include_what_its_markup_declares(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Warga Menanam Pohon di Taman Kota</title>"
        '<meta property="og:title" content="Warga Menanam Pohon di Taman Kota">'
        '<meta property="article:published_time" content="2026-03-01T08:00:00+07:00">'
        '<meta name="author" content="Rina Wulandari">'
        "</head><body><article><h1>Warga Menanam Pohon di Taman Kota</h1>"
        + "".join(
            f"<p>Paragraf {n}: warga kota menanam pohon di taman bersama anak-anak sekolah "
            "dan para guru mereka pada Minggu pagi, kata ketua panitia kepada wartawan.</p>"
            for n in range(6)
        )
        + "</article></body></html>",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["explain", str(page), "--json"])
    assert result.exit_code == 0, result.stderr
    fields = json.loads(result.stdout)["fields"]
    assert fields["title"] == {
        "value": "Warga Menanam Pohon di Taman Kota",
        "source": "page markup",
    }
    assert fields["published_at"]["value"].startswith("2026-03-01")
    assert fields["authors"] == {"value": ["Rina Wulandari"], "source": "page markup"}


def test_the_input_records_own_fields_are_shown_and_win(tmp_path: Path) -> None:
    body = (
        "Jakarta - Warga kota menanam seratus pohon di taman pada Minggu pagi bersama "
        "anak-anak sekolah dan para guru mereka."
    )
    source = tmp_path / "dump.jsonl"
    source.write_text(
        json.dumps({"judul": "Judul Dari Arsip", "isi": body, "title": "Bukan Ini"}) + "\n",
        encoding="utf-8",
    )
    mapped = ["--key", "text=isi", "--key", "title=judul"]
    said = runner.invoke(app, ["explain", str(source), "--json", *mapped])
    assert said.exit_code == 0, said.stderr
    found = json.loads(said.stdout)
    assert found["fields"]["title"] == {"value": "Judul Dari Arsip", "source": "input"}
    assert found["result"]["title"] == "Judul Dari Arsip"
    assert found["result"]["cleaning"]["field_sources"]["title"] == "input"
    text = runner.invoke(app, ["explain", str(source), *mapped]).stdout
    assert "fields the input record gives" in text and "Judul Dari Arsip" in text
    bad = runner.invoke(app, ["explain", str(source), "--key", "bogus=x"])
    assert bad.exit_code == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert "--key bogus=x" in bad.stderr
