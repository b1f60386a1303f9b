"""The boilerplate lexicon and every rule's examples: each example is a test.

Every example and counter-example written in a bundled rule file is run twice: through
its rule alone (what ``cleaner rules check`` does), and, for the files that run on every
document, through the whole cleaning of a made-up article, where any other rule that
would wrongly touch a counter-example shows too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import Article, Cleaner
from cleaner.rules.examples import ExampleCase, example_cases, failures, outcome
from cleaner.rules.load import bundled_rules_dir, read_rule_file
from cleaner.rules.schema import EVERY_DOCUMENT, RuleFile
from cleaner.text.dates import ZONES

WIB = ZONES["WIB"]


def _cases() -> list[tuple[Path, RuleFile, ExampleCase]]:
    out = []
    for path in sorted(bundled_rules_dir().glob("*.yaml")):
        spec, _ = read_rule_file(path)
        out += [(path, spec, case) for case in example_cases(spec, path.stem)]
    return out


CASES = _cases()
SHARED = [c for c in CASES if c[0].stem in EVERY_DOCUMENT]


def _id(item: tuple[Path, RuleFile, ExampleCase]) -> str:
    case = item[2]
    return f"{case.rule}:{'counter' if case.counter else 'example'}:{case.place[-1]}"


def test_the_lexicon_has_examples_and_counter_examples() -> None:
    lexicon = [c for _, _, c in CASES if c.rule.startswith("lexicon/")]
    assert len({c.rule for c in lexicon}) >= 25
    assert sum(c.counter for c in lexicon) >= 25
    assert sum(not c.counter for c in lexicon) >= 50


@pytest.mark.parametrize("item", CASES, ids=[_id(c) for c in CASES])
def test_each_example_through_its_rule_alone(item: tuple[Path, RuleFile, ExampleCase]) -> None:
    path, spec, case = item
    left = outcome(spec, path, case, WIB)
    if case.counter:
        assert left == case.text
    elif case.expected is not None:
        assert left == case.expected
    else:
        assert left != case.text


BEFORE = (
    "Pemerintah Kota Contoh Resmikan Taman Kota Baru\n"
    "KOTA CONTOH - Pemerintah kota meresmikan taman baru di pusat kota pada Senin pagi, "
    "disaksikan ratusan warga yang datang bersama keluarga mereka."
)
AFTER = (
    "Wali kota berharap taman itu menjadi ruang bermain anak-anak dan tempat warga "
    "berolahraga setiap akhir pekan."
)


@pytest.mark.parametrize("item", SHARED, ids=[_id(c) for c in SHARED])
def test_each_example_through_the_whole_cleaning(
    item: tuple[Path, RuleFile, ExampleCase], cleaner: Cleaner
) -> None:
    case = item[2]
    result = cleaner.clean_text(f"{BEFORE}\n{case.text}\n{AFTER}")
    assert isinstance(result, Article)
    lines = result.text.split("\n")
    assert lines[-1] == AFTER  # the article's own lines stay
    if case.counter:
        assert case.text in lines
    elif case.expected:
        assert case.expected in lines
    else:
        assert all(line not in lines for line in case.text.split("\n"))


def test_a_failing_example_is_reported_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.yaml"
    path.write_text(
        "name: t\n"
        "drop_lines:\n"
        "  - id: a\n"
        "    pattern: 'Baca juga:'\n"
        "    examples: ['Tidak cocok']\n"
        "    counter_examples: ['Baca juga: Judul']\n",
        encoding="utf-8",
    )
    spec, _ = read_rule_file(path)
    found = [(c.place, message) for c, message in failures(spec, path, WIB)]
    assert found == [
        (("drop_lines", 0, "examples", 0), "example not acted on by lexicon/a: 'Tidak cocok'"),
        (
            ("drop_lines", 0, "counter_examples", 0),
            "counter-example changed by lexicon/a: 'Baca juga: Judul' -> ''",
        ),
    ]
