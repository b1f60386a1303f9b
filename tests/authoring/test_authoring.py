"""``cleaner rules list | check | new | test``, the rule-file schema, and ``--stats``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import Result
from typer.testing import CliRunner

from cleaner import Cleaner, CleanerConfig
from cleaner.authoring.check import check_rules
from cleaner.authoring.new import MODELINE
from cleaner.cli.app import app
from cleaner.rules.load import bundled_rules_dir
from cleaner.rules.schema import RuleFile
from tests.conftest import FIXTURES, ROOT

runner = CliRunner()

PAGE = """Harga Cabai Turun Jelang Akhir Pekan
KABARCONTOH.ID, MEDAN - Harga cabai merah di pasar tradisional Medan turun Rp 5.000 per kilogram.
Bagikan artikel ini
Pedagang menyebut pasokan dari Karo kembali lancar setelah jalan yang longsor dibuka lagi.
“Tidak.”
Begitu jawab seorang pedagang ketika ditanya apakah harga akan naik lagi dalam waktu dekat.
Baca juga: Harga Beras Stabil di Medan
Copyright © 2024 Kabar Contoh
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def project(tmp_path: Path) -> tuple[Path, Path]:
    """A user's own rules/ and fixtures/, side by side."""
    return tmp_path / "rules", tmp_path / "fixtures"


# --- the walk a new user takes: new, explain, edit, test -----------------------------------


def test_new_explain_edit_test_gives_a_passing_outlet(tmp_path: Path) -> None:
    rules, fixtures = project(tmp_path)
    sample = write(tmp_path / "page.txt", PAGE)
    made = runner.invoke(
        app,
        [
            "rules",
            "new",
            "kabarcontoh",
            "--domain",
            "kabarcontoh.id",
            "--from",
            str(sample),
            "--dir",
            str(rules),
        ],
    )
    assert made.exit_code == 0, made.stderr
    rule_file = rules / "kabarcontoh.yaml"
    text = rule_file.read_text(encoding="utf-8")
    assert text.startswith(MODELINE)
    assert "lexicon/copyright (1 line)" in text  # named, not pinned: the lexicon has it
    assert "Copyright" not in text
    assert "'^KABARCONTOH\\.ID\\s*(?:,|--|-|–|—)'" in text  # the lead-in, as a fingerprint
    RuleFile.model_validate(yaml.safe_load(text))  # a valid rule file as written
    assert (fixtures / "kabarcontoh" / "page.txt").read_text(encoding="utf-8") == PAGE

    explained = runner.invoke(
        app, ["explain", str(fixtures / "kabarcontoh" / "page.txt"), "--rules", str(rules)]
    )
    assert "outlet: kabarcontoh (fingerprint" in explained.stdout
    assert "Bagikan artikel ini" in explained.stdout  # not removed yet: no rule for it

    text += "  - id: share\n    pattern: 'Bagikan artikel ini$'\n"
    write(rule_file, text)
    untested = runner.invoke(app, ["rules", "test", "kabarcontoh", "--rules", str(rules)])
    assert untested.exit_code == 1
    assert "is missing" in untested.stdout
    updated = runner.invoke(
        app, ["rules", "test", "kabarcontoh", "--rules", str(rules), "--update"]
    )
    assert updated.exit_code == 0 and "updated" in updated.stdout
    record = yaml.safe_load((fixtures / "kabarcontoh" / "page.expected.yaml").read_text())
    assert record["outlet"] == "kabarcontoh"
    assert record["dateline"] == "MEDAN"
    assert "Bagikan" not in record["text"] and "“Tidak.”" in record["text"]
    passed = runner.invoke(app, ["rules", "test", "kabarcontoh", "--rules", str(rules)])
    assert passed.exit_code == 0
    assert "1 of 1 fixtures pass" in passed.stderr
    listed = runner.invoke(app, ["rules", "list", "--rules", str(rules), "--json"])
    row = next(r for r in json.loads(listed.stdout) if r["outlet"] == "kabarcontoh")
    assert row["fixtures"] == 1 and row["bundled"] is False and row["domains"] == ["kabarcontoh.id"]


@pytest.mark.parametrize("domains", [["contoh.co.id"], ["a.contoh.id", "b.contoh.id"]])
def test_a_scaffold_without_a_sample_passes_check_and_cleans_its_example(
    tmp_path: Path, domains: list[str]
) -> None:
    rules, fixtures = project(tmp_path)
    flags = [arg for domain in domains for arg in ("--domain", domain)]
    made = runner.invoke(app, ["rules", "new", "contoh", *flags, "--dir", str(rules)])
    assert made.exit_code == 0, made.stderr
    # keys whose items are all commented out load as empty lists, not as null
    assert (
        yaml.safe_load((rules / "contoh.yaml").read_text(encoding="utf-8"))["fingerprints"] is None
    )
    checked = runner.invoke(app, ["rules", "check", str(rules)])
    assert checked.exit_code == 0, checked.stdout + checked.stderr
    example = fixtures / "contoh" / "example.txt"
    config = CleanerConfig(rules_dirs=(rules,))
    result = Cleaner(config).clean_text(example.read_text(encoding="utf-8"))
    assert result.outlet == "contoh" and result.__class__.__name__ == "Article"
    assert domains[0] not in getattr(result, "text", "")  # its copyright line is boilerplate


def test_rules_check_on_a_missing_directory_is_an_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["rules", "check", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "not a directory" in result.stderr


def test_new_refuses_an_existing_outlet_a_bad_name_and_a_missing_sample(tmp_path: Path) -> None:
    rules, _ = project(tmp_path)
    args = ["rules", "new", "kabarcontoh", "--domain", "kabarcontoh.id", "--dir", str(rules)]
    assert runner.invoke(app, args).exit_code == 0
    again = runner.invoke(app, args)
    assert again.exit_code == 2 and "already exists" in again.stderr
    bad = runner.invoke(
        app, ["rules", "new", "Kabar Contoh", "--domain", "x.id", "--dir", str(rules)]
    )
    assert bad.exit_code == 2 and "lower case" in bad.stderr
    missing = runner.invoke(
        app,
        ["rules", "new", "lain", "--domain", "x.id", "--from", "nope.html", "--dir", str(rules)],
    )
    assert missing.exit_code == 2 and "no such file: nope.html" in missing.stderr


def test_rules_test_shows_a_diff_when_a_fixture_fails(tmp_path: Path) -> None:
    rules, fixtures = project(tmp_path)
    head = "name: Kabar\ndomains: [kabarcontoh.id]\nfingerprints: ['^KABARCONTOH\\.ID, ']\n"
    write(rules / "kabarcontoh.yaml", head)
    write(fixtures / "kabarcontoh" / "a.txt", PAGE)
    runner.invoke(app, ["rules", "test", "kabarcontoh", "--rules", str(rules), "--update"])
    write(
        rules / "kabarcontoh.yaml",
        head + "drop_lines:\n  - id: answer\n    pattern: '“Tidak\\.”$'\n",
    )
    result = runner.invoke(app, ["rules", "test", "kabarcontoh", "--rules", str(rules)])
    assert result.exit_code == 1
    assert "FAIL" in result.stdout
    assert "-  “Tidak.”" in result.stdout  # the line the new rule removed
    unknown = runner.invoke(app, ["rules", "test", "nope"])
    assert unknown.exit_code == 2 and "unknown outlet 'nope'" in unknown.stderr


# --- rules check ----------------------------------------------------------------------------


def test_check_reports_every_problem_of_every_file_with_its_line(tmp_path: Path) -> None:
    rules, _ = project(tmp_path)
    write(
        rules / "satu.yaml",
        "name: Satu\ndrop_lines:\n  - id: a\n    pattern: '(a'\n  - id: a\n    pattern: 'b'\n"
        "  - id: c\n    patern: 'c'\n",
    )
    write(rules / "dua.yaml", "name: Dua\nfields:\n  - id: t\n    pattern: '(?P<judul>.+)'\n")
    problems = [str(p) for p in check_rules(rules)]
    assert any(
        "satu.yaml:4: drop_lines[0].pattern: invalid regular expression" in p for p in problems
    )
    assert any("satu.yaml:8: drop_lines[2].patern: unknown key 'patern'" in p for p in problems)
    assert any("satu.yaml:7: drop_lines[2].pattern: Field required" in p for p in problems)
    assert any("dua.yaml:4:" in p and "not article fields" in p for p in problems)
    result = runner.invoke(app, ["rules", "check", str(rules)])
    assert result.exit_code == 1
    assert f"{len(problems)} problems" in result.stderr


def test_check_finds_untested_rules_missing_fixtures_and_stolen_fixtures(tmp_path: Path) -> None:
    rules, fixtures = project(tmp_path)
    write(
        rules / "kabarcontoh.yaml",
        "name: Kabar\ndomains: [kabarcontoh.id]\nfingerprints: ['^KABARCONTOH\\.ID, ']\n"
        "drop_lines:\n  - id: share\n    pattern: 'Bagikan artikel ini$'\n"
        "  - id: never\n    pattern: 'Tidak pernah ada baris seperti ini$'\n",
    )
    write(rules / "sepi.yaml", "name: Sepi\ndomains: [sepi.id]\n")
    write(fixtures / "kabarcontoh" / "a.txt", PAGE)
    write(
        fixtures / "kabarcontoh" / "b.txt", "TRIBUNNEWS.COM -- Isi berita yang lain sama sekali.\n"
    )
    problems = [str(p) for p in check_rules(rules)]
    assert any(
        "kabarcontoh.yaml:7: rule 'kabarcontoh/never' never matches any fixture" in p
        for p in problems
    )
    assert not any("kabarcontoh/share" in p for p in problems)
    assert any("sepi.yaml: no fixtures for 'sepi'" in p for p in problems)
    assert any(
        "b.txt: a fixture of 'kabarcontoh' is recognised as 'tribunnews'" in p for p in problems
    )


def test_check_finds_a_domain_claimed_twice(tmp_path: Path) -> None:
    rules, _ = project(tmp_path)
    write(rules / "tiruan.yaml", "name: Tiruan\ndomains: [kompas.com]\n")
    problems = [str(p) for p in check_rules(rules)]
    assert any("domain kompas.com is already claimed by" in p for p in problems)


def test_the_bundled_rules_have_no_problems() -> None:
    """Every bundled rule is valid, claims its own domains, and fires on some fixture."""
    problems = [str(p) for p in check_rules(bundled_rules_dir(), FIXTURES)]
    assert problems == []


# --- the rule-file schema -------------------------------------------------------------------


def test_the_shipped_json_schema_is_the_models_schema() -> None:
    shipped = json.loads((ROOT / "rules" / "rules.schema.json").read_text(encoding="utf-8"))
    assert shipped == RuleFile.model_json_schema(), "run `make schema`"


def test_every_bundled_rule_file_points_at_the_schema() -> None:
    for path in sorted((ROOT / "rules").glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == MODELINE, path.name


# --- stats ------------------------------------------------------------------------------------


def test_stats_file_counts_rule_hits_and_names_rules_that_never_fired(tmp_path: Path) -> None:
    stats = tmp_path / "stats.json"
    result = runner.invoke(app, ["clean", str(FIXTURES / "rmol"), "--stats", str(stats)])
    assert result.exit_code == 0
    data = json.loads(stats.read_text(encoding="utf-8"))
    rmol = data["outlets"]["rmol"]
    assert rmol["documents"] == rmol["articles"] == len(list((FIXTURES / "rmol").glob("*.txt")))
    assert rmol["rule_hits"]["rmol/byline"] == rmol["documents"]
    assert rmol["never_fired"] == []
    assert "lexicon/loading" in data["lexicon_never_fired"]
    assert data["skipped"] == {"file with no reader (.yaml)": rmol["documents"]}


def test_error_paths_give_one_line_and_exit_code_2(tmp_path: Path) -> None:
    missing_dir = runner.invoke(app, ["rules", "list", "--rules", str(tmp_path / "nope")])
    assert missing_dir.exit_code == 2
    assert missing_dir.stderr.startswith("cleaner: error:")
    assert "rules directory does not exist" in missing_dir.stderr
    not_dir = runner.invoke(app, ["rules", "check", str(tmp_path / "nope")])
    assert not_dir.exit_code == 2 and "not a directory" in not_dir.stderr
    rules, _ = project(tmp_path)
    write(rules / "sepi.yaml", "name: Sepi\ndomains: [sepi.id]\n")
    nothing = runner.invoke(app, ["rules", "test", "sepi", "--rules", str(rules)])
    assert nothing.exit_code == 2 and "no fixtures for sepi" in nothing.stderr
    for result in (missing_dir, not_dir, nothing):
        assert len(result.stderr.splitlines()) == 1
        assert "Traceback" not in result.stderr


# --- rules new: what it writes, and where ----------------------------------------------------


def new_outlet(rules: Path, sample: Path | None = None) -> Result:
    args = ["rules", "new", "kabarcontoh", "--domain", "kabarcontoh.id", "--dir", str(rules)]
    return runner.invoke(app, [*args, "--from", str(sample)] if sample else args)


def test_new_refuses_a_rule_file_that_is_a_symlink_dangling_or_not(tmp_path: Path) -> None:
    rules, _ = project(tmp_path)
    rules.mkdir()
    outside = tmp_path / "outside.yaml"
    (rules / "kabarcontoh.yaml").symlink_to(outside)  # dangling: exists() is False
    result = new_outlet(rules)
    assert result.exit_code == 2
    assert "kabarcontoh.yaml: is a symbolic link" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not outside.exists()
    write(outside, "name: Lain\n")
    assert new_outlet(rules).exit_code == 2
    assert outside.read_text(encoding="utf-8") == "name: Lain\n"


def test_new_refuses_a_fixture_that_is_a_symlink_and_writes_nothing(tmp_path: Path) -> None:
    rules, fixtures = project(tmp_path)
    outside = tmp_path / "outside.txt"
    (fixtures / "kabarcontoh").mkdir(parents=True)
    (fixtures / "kabarcontoh" / "example.txt").symlink_to(outside)
    result = new_outlet(rules)
    assert result.exit_code == 2
    assert "example.txt: is a symbolic link" in result.stderr
    assert not outside.exists()
    assert not (rules / "kabarcontoh.yaml").exists()  # refused before anything is written
    sample = write(tmp_path / "page.txt", PAGE)
    (fixtures / "kabarcontoh" / "page.txt").symlink_to(outside)
    assert new_outlet(rules, sample).exit_code == 2
    assert not outside.exists()


BYLINED = """Harga Cabai Turun Jelang Akhir Pekan
Penulis: Budi Santoso
KABARCONTOH.ID, MEDAN - Harga cabai merah di pasar tradisional Medan turun Rp 5.000 per kilogram.
Pedagang menyebut pasokan dari Karo kembali lancar setelah jalan yang longsor dibuka lagi.
Copyright © 2024 Kabar Contoh
"""


def test_new_proposes_a_credit_rule_that_takes_no_article_sentence(tmp_path: Path) -> None:
    rules, _ = project(tmp_path)
    assert new_outlet(rules, write(tmp_path / "page.txt", BYLINED)).exit_code == 0
    text = (rules / "kabarcontoh.yaml").read_text(encoding="utf-8")
    assert (
        "  - id: credit  # REVIEW: a byline, from the sample's line 'Penulis: Budi Santoso'\n"
        in (text)
    )
    credit = next(r for r in yaml.safe_load(text)["fields"] if r["id"] == "credit")
    assert credit["within"] == 4 and credit["examples"] == ["Penulis: Budi Santoso"]
    assert credit["pattern"].startswith("(?i:Penulis)\\s*:\\s*(?P<authors>")
    RuleFile.model_validate(yaml.safe_load(text))
    cleaner = Cleaner(CleanerConfig(rules_dirs=(rules,), outlet="kabarcontoh"))
    sample = cleaner.clean_text(BYLINED)
    assert sample.authors == ["Budi Santoso"]  # the proposal still takes the sample's byline
    sentence = "Penulis buku itu hadir di Garut."
    page = (
        "Bedah Buku di Garut Ramai Pengunjung\n"
        "KABARCONTOH.ID, GARUT - Bedah buku sejarah Garut digelar di alun-alun kota.\n"
        f"{sentence}\nAcara itu dihadiri ratusan pelajar dan guru dari seluruh kabupaten.\n"
    )
    article = cleaner.clean_text(page)
    assert article.authors == []
    assert article.text is not None and sentence in article.text


def test_new_keeps_the_colonless_credit_form_for_a_line_without_a_colon(tmp_path: Path) -> None:
    rules, _ = project(tmp_path)
    sample = write(tmp_path / "page.txt", BYLINED.replace("Penulis: Budi", "Oleh Budi"))
    assert new_outlet(rules, sample).exit_code == 0
    text = (rules / "kabarcontoh.yaml").read_text(encoding="utf-8")
    credit = next(r for r in yaml.safe_load(text)["fields"] if r["id"] == "credit")
    assert credit["within"] == 4  # without a colon: only at the top of the page
    assert credit["pattern"].startswith("(?i:Oleh)\\s+(?P<authors>")
    assert credit["counter_examples"] == ["Oleh karena itu, warga diminta tetap waspada."]
    checked = runner.invoke(app, ["rules", "check", str(rules)])
    assert checked.exit_code == 0, checked.stdout


def test_new_writes_into_the_bundled_rules_only_when_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(bundled_rules_dir().parent)  # a checkout: ./rules is the bundled rules
    refused = runner.invoke(app, ["rules", "new", "zzcontoh", "--domain", "zzcontoh.id"])
    assert refused.exit_code == 2
    assert "bundled rules directory: --dir rules adds the outlet" in refused.stderr
    assert not (bundled_rules_dir() / "zzcontoh.yaml").exists()
    monkeypatch.chdir(tmp_path)  # a user's project: ./rules is theirs
    made = runner.invoke(app, ["rules", "new", "zzcontoh", "--domain", "zzcontoh.id"])
    assert made.exit_code == 0, made.stderr
    assert (tmp_path / "rules" / "zzcontoh.yaml").is_file()
    assert (tmp_path / "fixtures" / "zzcontoh" / "example.txt").is_file()
