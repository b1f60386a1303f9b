"""``cleaner explain``: every line, the rule that removed it and where that rule is written."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cleaner import Cleaner, RawDocument
from cleaner.authoring.explain import explain
from cleaner.cli.app import app
from tests.conftest import FIXTURES

runner = CliRunner()
SINDO = next((FIXTURES / "sindonews").glob("001_*.txt"))


def test_text_shows_removed_lines_with_rule_and_place_and_the_fields() -> None:
    result = runner.invoke(app, ["explain", str(SINDO)])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "outlet: sindonews (fingerprint:" in out
    assert "rules: rules/sindonews.yaml" in out or "sindonews.yaml" in out
    lines = out.splitlines()
    loading = next(line for line in lines if "loading..." in line)
    assert "- loading..." in loading
    assert "generic/loading" in loading
    assert "generic.yaml:" in loading  # the file and line the rule is written on
    dateline = next(line for line in lines if "sindonews/dateline" in line)
    assert "~ Armenia pada Rabu" in dateline and "cut 'YEREVAN - '" in dateline
    kept = next(line for line in lines if "Sedangkan Armenia menuduh" in line)
    assert "generic/" not in kept and "sindonews/" not in kept
    assert any(line.startswith("  title") and "line 1, sindonews/title" in line for line in lines)
    assert lines[-1].startswith("article: 247 words")
    assert "\x1b[" not in out  # piped: plain text, no colour codes


def test_json_for_tools() -> None:
    result = runner.invoke(app, ["explain", str(SINDO), "--json"])
    data = json.loads(result.stdout)
    assert data["outlet"]["id"] == "sindonews"
    assert data["outlet"]["detected_by"] == "fingerprint"
    by_no = {line["no"]: line for line in data["lines"]}
    assert by_no[4]["status"] == "removed"
    assert by_no[4]["removed_by"]["rule"] == "generic/loading"
    assert by_no[4]["removed_by"]["file"].endswith("generic.yaml")
    assert isinstance(by_no[4]["removed_by"]["file_line"], int)
    assert by_no[8]["status"] == "shortened"
    assert by_no[8]["cuts"][0]["text"] == "YEREVAN - "
    assert data["fields"]["title"]["line"] == 1
    assert data["result"]["title"].startswith("Meski Sekutu Rusia")


def test_the_explanation_agrees_with_the_record() -> None:
    cleaner = Cleaner()
    doc = RawDocument(source="x", data=SINDO.read_bytes())
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


def test_forced_outlet_and_errors() -> None:
    forced = runner.invoke(app, ["explain", str(SINDO), "--outlet", "rmol"])
    assert "outlet: rmol (forced: rmol)" in forced.stdout
    assert runner.invoke(app, ["explain", "nope.txt"]).exit_code == 2
    bad = runner.invoke(app, ["explain", str(SINDO), "--outlet", "nope"])
    assert bad.exit_code == 2
    assert bad.stderr.startswith("cleaner: error: unknown outlet 'nope'")
