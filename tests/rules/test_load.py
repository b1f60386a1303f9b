"""Loading, validating and compiling rule files (cleaner/rules.py)."""

from __future__ import annotations

import itertools
import textwrap
from pathlib import Path

import pytest

from cleaner.errors import RuleFileError
from cleaner.rules.compile import OutletRules
from cleaner.rules.detect import detect
from cleaner.rules.load import bundled_rules_dir, compile_rule_file, load_rulebook


def write(directory: Path, name: str, body: str) -> Path:
    """Write a rule file; ``body`` is dedented so tests can indent YAML naturally."""
    path = directory / name
    path.write_text(textwrap.dedent(body).lstrip("\n"), encoding="utf-8")
    return path


def compile_file(directory: Path, body: str, name: str = "demo.yaml") -> OutletRules:
    return compile_rule_file(write(directory, name, body), bundled=False)


def load_error(directory: Path, body: str, name: str = "demo.yaml") -> RuleFileError:
    path = write(directory, name, body)
    with pytest.raises(RuleFileError) as info:
        compile_rule_file(path, bundled=False)
    return info.value


def assert_points_at(error: RuleFileError, path: Path, lines: set[int], words: str) -> None:
    """The error is 'PATH:LINE: message', LINE is one of ``lines``, message mentions ``words``."""
    assert error.path == str(path)
    assert error.line in lines, f"{error} should name line {sorted(lines)}"
    assert str(error) == f"{path}:{error.line}: {error.message}"
    assert words.lower() in error.message.lower(), str(error)


# --- a valid file --------------------------------------------------------------------------

VALID = """
    # A small outlet.
    name: Demo News
    domains: [demo.example.com]
    fingerprints:
      - 'DEMO\\.COM --'
    max_line_chars: 300

    drop_blocks:
      - id: popular
        start: 'Populer$'
        run_of: [headline, timestamp]

    drop_lines:
      - id: promo
        pattern: 'Promo'
      - id: ad
        within_last: 2
        pattern: 'Iklan$'

    strip_prefixes:
      - id: lead-in
        within: 3
        pattern: 'DEMO\\.COM --\\s*'

    fields:
      - id: title
        relative_to: lead-in
        offset: -1
        pattern: '(?P<title>.{5,200})$'

    strip_suffixes:
      - id: sign-off
        pattern: '\\s+\\((?P<editor_initials>[a-z]{2,5})\\)'

    heuristics:
      - id: title-echo
"""


def test_valid_file_compiles_with_outlet_from_file_stem(tmp_path: Path) -> None:
    rules = compile_file(tmp_path, VALID)
    assert rules.outlet == "demo"
    assert rules.name == "Demo News"
    assert rules.domains == ("demo.example.com",)
    assert rules.max_line_chars == 300
    assert rules.bundled is False
    assert rules.path == tmp_path / "demo.yaml"
    assert rules.rule_count == 7


def test_rule_ids_are_prefixed_with_the_file_stem(tmp_path: Path) -> None:
    rules = compile_file(tmp_path, VALID)
    assert [b.id for b in rules.drop_blocks] == ["demo/popular"]
    assert [r.id for r in rules.drop_lines] == ["demo/promo", "demo/ad"]
    assert [s.id for s in rules.strip_prefixes] == ["demo/lead-in"]
    assert [f.id for f in rules.fields] == ["demo/title"]
    assert [s.id for s in rules.strip_suffixes] == ["demo/sign-off"]
    assert [h.id for h in rules.heuristics] == ["demo/title-echo"]
    assert rules.heuristics[0].name == "title-echo"
    assert rules.fields[0].relative_to == "demo/lead-in"
    assert rules.fields[0].offset == -1


def test_origin_lines_point_at_each_rule(tmp_path: Path) -> None:
    rules = compile_file(tmp_path, VALID)
    path = tmp_path / "demo.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()

    def line_of(rule_id: str) -> int:
        return lines.index(f"  - id: {rule_id}") + 1

    compiled = [
        *rules.drop_blocks,
        *rules.drop_lines,
        *rules.strip_prefixes,
        *rules.fields,
        *rules.strip_suffixes,
        *rules.heuristics,
    ]
    for rule in compiled:
        assert rule.origin.file == str(path)
        assert rule.origin.line == line_of(rule.id.removeprefix("demo/")), rule.id


def test_compiled_windows_and_block_settings(tmp_path: Path) -> None:
    rules = compile_file(tmp_path, VALID)
    block = rules.drop_blocks[0]
    assert block.run_of == ("headline", "timestamp")
    assert block.end_slot is None and block.to_end is False
    assert rules.drop_lines[1].window.last == 2
    assert rules.drop_lines[1].window.first is None
    assert rules.strip_prefixes[0].window.first == 3


def test_line_patterns_are_anchored_at_line_start(tmp_path: Path) -> None:
    rules = compile_file(tmp_path, VALID)
    promo = rules.drop_lines[0].pattern
    assert promo.match("Promo akhir tahun")
    assert not promo.match("Ada Promo akhir tahun")


def test_suffix_patterns_are_anchored_at_line_end(tmp_path: Path) -> None:
    rules = compile_file(tmp_path, VALID)
    sign_off = rules.strip_suffixes[0].pattern
    assert sign_off.search("kata dia. (mas)")
    assert not sign_off.search("kata dia (mas) kemudian.")


def test_fingerprints_search_in_multiline_mode(tmp_path: Path) -> None:
    write(tmp_path, "demo.yaml", "name: Demo\nfingerprints: ['^DEMO\\.COM --']\n")
    rulebook = load_rulebook([tmp_path])
    found = detect("Judul\nDEMO.COM -- Isi berita.", None, rulebook)
    assert found.outlet == "demo"
    assert found.evidence == ("fingerprint (1): ^DEMO\\.COM --",)
    assert detect("Judul DEMO.COM -- Isi berita.", None, rulebook).outlet is None


def test_empty_optional_sections_default_to_nothing(tmp_path: Path) -> None:
    rules = compile_file(tmp_path, "name: Bare\n")
    assert rules.rule_count == 0
    assert rules.domains == ()
    assert rules.fingerprints == ()
    assert rules.max_line_chars == 400  # long lines are paragraphs unless a file says otherwise


# --- errors name the file and the line --------------------------------------------------------


def test_unknown_top_level_key(tmp_path: Path) -> None:
    body = """
        name: Demo
        domains: [demo.example.com]
        drop_line:
          - id: promo
            pattern: 'Promo'
    """
    error = load_error(tmp_path, body)
    assert_points_at(error, tmp_path / "demo.yaml", {3}, "unknown key 'drop_line'")


def test_unknown_key_inside_a_rule(tmp_path: Path) -> None:
    body = """
        name: Demo
        drop_lines:
          - id: promo
            pattern: 'Promo'
          - id: ad
            pattern: 'Iklan$'
            withinn: 2
    """
    error = load_error(tmp_path, body)
    assert_points_at(error, tmp_path / "demo.yaml", {7}, "unknown key 'withinn'")
    assert "drop_lines[1]" in error.message


def test_a_key_of_an_older_schema_says_what_to_write_instead(tmp_path: Path) -> None:
    body = """
        name: Demo
        fields:
          - id: title
            fallback: true
            pattern: '(?P<title>.+)$'
        html:
          favor_precision: true
    """
    error = load_error(tmp_path, body)
    messages = [message for _, message in error.problems]
    assert [line for line, _ in error.problems] == [4, 7]
    assert "fields[0].fallback: unknown key 'fallback': renamed `if_missing`" in messages[0]
    assert "html.favor_precision: unknown key 'favor_precision': removed" in messages[1]


def test_fallback_is_only_trafilaturas_under_html(tmp_path: Path) -> None:
    rules = compile_file(
        tmp_path,
        """
        name: Demo
        fields:
          - id: title
            if_missing: true
            pattern: '(?P<title>.+)$'
        html:
          fallback: false
        """,
    )
    assert rules.fields[0].if_missing and rules.html is not None and not rules.html.fallback


def test_invalid_regex(tmp_path: Path) -> None:
    body = """
        name: Demo
        drop_lines:
          - id: promo
            pattern: 'Promo'
          - id: broken
            note: an unclosed group
            pattern: '(Iklan'
    """
    error = load_error(tmp_path, body)
    assert_points_at(error, tmp_path / "demo.yaml", {7}, "invalid regular expression")


def test_a_pattern_too_big_for_re2_is_refused_at_load_with_its_line(tmp_path: Path) -> None:
    """RE2 parses it (so the schema passes it) but cannot compile it in its memory
    budget: a user's rule file is built at load, so the run never starts."""
    body = """
        name: Demo
        drop_lines:
          - id: promo
            pattern: 'Promo'
          - id: huge
            pattern: '\\pL{1000}'
    """
    error = load_error(tmp_path, body)
    assert_points_at(error, tmp_path / "demo.yaml", {5, 6}, "pattern too large")  # the rule


def test_bundled_rule_files_build_their_matchers_when_an_outlet_first_needs_them() -> None:
    rulebook = load_rulebook(())
    rules = rulebook.outlets["detik"]
    fresh = compile_rule_file(rules.path, bundled=True)
    assert "lines" not in vars(fresh) and "span_set" not in vars(fresh)
    assert fresh.lines.patterns == rules.lines.patterns  # built on first use, the same
    for each in rulebook.files:
        each.build()  # every bundled file compiles whole
        assert "lines" in vars(each)


def test_invalid_fingerprint_regex(tmp_path: Path) -> None:
    body = """
        name: Demo
        fingerprints:
          - 'ok'
          - '[unclosed'
    """
    error = load_error(tmp_path, body)
    assert_points_at(error, tmp_path / "demo.yaml", {4}, "invalid regular expression")


def test_named_group_that_is_not_an_article_field(tmp_path: Path) -> None:
    body = """
        name: Demo
        fields:
          - id: title
            pattern: '(?P<title>.+)$'
          - id: reporter
            pattern: 'Reporter: (?P<foo>.+)$'
    """
    error = load_error(tmp_path, body)
    assert_points_at(error, tmp_path / "demo.yaml", {6}, "not article fields")
    assert "foo" in error.message


def test_named_group_in_strip_rule_is_checked_too(tmp_path: Path) -> None:
    body = """
        name: Demo
        strip_prefixes:
          - id: lead-in
            pattern: '(?P<place>[A-Z]+) - '
    """
    error = load_error(tmp_path, body)
    assert_points_at(error, tmp_path / "demo.yaml", {4}, "not article fields")


def test_unnamed_groups_are_allowed_in_field_patterns(tmp_path: Path) -> None:
    body = """
        name: Demo
        fields:
          - id: credit
            pattern: '(?:Foto|Dok)/(?P<image_credit>.+)$'
    """
    assert compile_file(tmp_path, body).fields[0].pattern.groupindex == {"image_credit": 1}


def test_block_with_no_end(tmp_path: Path) -> None:
    body = """
        name: Demo
        drop_blocks:
          - id: ok
            start: 'Topik$'
            to_end: true
          - id: popular
            start: 'Populer$'
    """
    error = load_error(tmp_path, body)
    assert_points_at(error, tmp_path / "demo.yaml", {6}, "exactly one of")


def test_block_with_two_ends(tmp_path: Path) -> None:
    body = """
        name: Demo
        drop_blocks:
          - id: popular
            start: 'Populer$'
            end: 'Selengkapnya$'
            to_end: true
    """
    error = load_error(tmp_path, body)
    assert_points_at(error, tmp_path / "demo.yaml", {3}, "exactly one of")


def test_block_with_end_and_run_of(tmp_path: Path) -> None:
    body = """
        name: Demo
        drop_blocks:
          - id: popular
            start: 'Populer$'
            end: 'Selengkapnya$'
            run_of: [headline]
    """
    error = load_error(tmp_path, body)
    assert_points_at(error, tmp_path / "demo.yaml", {3}, "exactly one of")


def test_unknown_line_class_in_run_of(tmp_path: Path) -> None:
    body = """
        name: Demo
        drop_blocks:
          - id: popular
            start: 'Populer$'
            run_of: [headline, paragraph]
    """
    error = load_error(tmp_path, body)
    assert error.line == 5
    assert "run_of" in error.message


def test_duplicate_rule_ids_name_the_duplicate_rule(tmp_path: Path) -> None:
    body = """
        name: Demo
        domains: [demo.example.com]

        drop_lines:
          - id: promo
            pattern: 'Promo'
          - id: promo
            pattern: 'Iklan$'
    """
    error = load_error(tmp_path, body)
    assert_points_at(error, tmp_path / "demo.yaml", {5, 7}, "duplicate rule id")
    assert "promo" in error.message


def test_duplicate_rule_ids_across_sections_are_rejected(tmp_path: Path) -> None:
    body = """
        name: Demo
        drop_lines:
          - id: credit
            pattern: 'Foto$'
        fields:
          - id: credit
            pattern: '(?P<image_credit>Dok/.+)$'
    """
    error = load_error(tmp_path, body)
    assert "duplicate rule id" in error.message
    assert "credit" in error.message


def test_duplicate_yaml_key(tmp_path: Path) -> None:
    body = """
        name: Demo
        drop_lines:
          - id: promo
            pattern: 'Promo'
            pattern: 'Iklan'
    """
    error = load_error(tmp_path, body)
    assert_points_at(error, tmp_path / "demo.yaml", {5}, "'pattern' appears twice")


def test_duplicate_top_level_yaml_key(tmp_path: Path) -> None:
    body = """
        name: Demo
        domains: [demo.example.com]
        name: Demo Again
    """
    error = load_error(tmp_path, body)
    assert_points_at(error, tmp_path / "demo.yaml", {3}, "'name' appears twice")


def test_relative_to_a_rule_defined_later(tmp_path: Path) -> None:
    body = """
        name: Demo
        domains: [demo.example.com]

        fields:
          - id: title
            relative_to: date
            offset: -1
            pattern: '(?P<title>.+)$'
          - id: date
            pattern: '(?P<published_at>\\d{1,2} \\w+ \\d{4})$'
    """
    error = load_error(tmp_path, body)
    assert_points_at(error, tmp_path / "demo.yaml", {5, 6}, "relative_to: 'date'")


def test_relative_to_an_unknown_rule_is_rejected(tmp_path: Path) -> None:
    body = """
        name: Demo
        fields:
          - id: title
            relative_to: nowhere
            offset: 1
            pattern: '(?P<title>.+)$'
    """
    error = load_error(tmp_path, body)
    assert "relative_to: 'nowhere' must name" in error.message


def test_relative_to_without_offset(tmp_path: Path) -> None:
    body = """
        name: Demo
        strip_prefixes:
          - id: lead-in
            pattern: 'DEMO -- '
        fields:
          - id: title
            relative_to: lead-in
            pattern: '(?P<title>.+)$'
    """
    error = load_error(tmp_path, body)
    assert_points_at(error, tmp_path / "demo.yaml", {6}, "go together")


def test_within_together_with_within_last(tmp_path: Path) -> None:
    body = """
        name: Demo
        drop_lines:
          - id: promo
            pattern: 'Promo'
          - id: ad
            pattern: 'Iklan$'
            within: 3
            within_last: 2
    """
    error = load_error(tmp_path, body)
    assert_points_at(error, tmp_path / "demo.yaml", {5, 7, 8}, "not both")


def test_invalid_yaml_syntax(tmp_path: Path) -> None:
    body = """
        name: Demo
        drop_lines:
          - id: promo
            pattern: 'Promo
          - id: ad
    """
    error = load_error(tmp_path, body)
    assert error.path == str(tmp_path / "demo.yaml")
    assert error.line is not None and 4 <= error.line <= 6, str(error)
    assert "not valid YAML" in error.message
    assert str(error).startswith(f"{tmp_path / 'demo.yaml'}:{error.line}: ")


def test_invalid_yaml_indentation(tmp_path: Path) -> None:
    body = "name: Demo\ndrop_lines:\n  - id: promo\n    pattern: 'Promo'\n   bad: [\n"
    error = load_error(tmp_path, body)
    assert "not valid YAML" in error.message
    assert error.line is not None and error.line >= 4


def test_file_that_is_a_list(tmp_path: Path) -> None:
    body = """
        - name: Demo
        - domains: [demo.example.com]
    """
    error = load_error(tmp_path, body)
    assert_points_at(error, tmp_path / "demo.yaml", {1}, "must be a YAML mapping")


def test_empty_file_is_rejected(tmp_path: Path) -> None:
    error = load_error(tmp_path, "# nothing here\n")
    assert "must be a YAML mapping" in error.message


def test_unknown_heuristic_id(tmp_path: Path) -> None:
    body = """
        name: Demo
        heuristics:
          - id: title-echo
          - id: title-ekho
    """
    error = load_error(tmp_path, body)
    assert_points_at(error, tmp_path / "demo.yaml", {4}, "unknown heuristic 'title-ekho'")


def test_missing_name(tmp_path: Path) -> None:
    error = load_error(tmp_path, "domains: [demo.example.com]\n")
    assert "name" in error.message


def test_upper_case_domain_is_rejected(tmp_path: Path) -> None:
    error = load_error(tmp_path, "name: Demo\ndomains: [Demo.Example.com]\n")
    assert "not a lower-case hostname" in error.message


def test_file_name_must_be_an_outlet_id(tmp_path: Path) -> None:
    error = load_error(tmp_path, "name: Demo\n", name="Demo News.yaml")
    assert error.path == str(tmp_path / "Demo News.yaml")
    assert "file name" in error.message


# --- the rulebook -------------------------------------------------------------------------


BUNDLED_OUTLETS = {"idntimes", "rmol", "sindonews", "tribunnews"}


def test_bundled_rulebook_loads_every_outlet_and_generic() -> None:
    book = load_rulebook()
    assert set(book.outlets) >= BUNDLED_OUTLETS
    assert "generic" not in book.outlets
    assert book.generic.outlet == "generic"
    assert all(rules.bundled for rules in book.outlets.values())
    assert book.outlets["sindonews"].path == bundled_rules_dir() / "sindonews.yaml"


def test_extra_dir_file_replaces_bundled_file_of_same_stem(tmp_path: Path) -> None:
    custom = write(
        tmp_path,
        "sindonews.yaml",
        """
        name: SINDOnews (local)
        domains: [sindonews.com]
        """,
    )
    book = load_rulebook(extra_dirs=[tmp_path])
    sindo = book.outlets["sindonews"]
    assert sindo.bundled is False
    assert sindo.path == custom
    assert sindo.name == "SINDOnews (local)"
    assert book.for_domain("sindonews.com") is sindo
    assert book.outlets["tribunnews"].bundled is True


def test_extra_dir_can_replace_the_generic_rules(tmp_path: Path) -> None:
    custom = write(tmp_path, "generic.yaml", "name: My generic rules\n")
    book = load_rulebook(extra_dirs=[tmp_path])
    assert book.generic.path == custom
    assert book.generic.bundled is False
    assert book.generic.rule_count == 0


def test_extra_dir_adds_a_new_outlet(tmp_path: Path) -> None:
    write(
        tmp_path,
        "kompas.yaml",
        """
        name: Kompas
        domains: [kompas.com]
        """,
    )
    book = load_rulebook(extra_dirs=[tmp_path])
    assert "kompas" in book.outlets
    assert book.outlets["kompas"].bundled is False
    found = book.for_domain("regional.kompas.com")
    assert found is not None and found.outlet == "kompas"
    assert set(book.outlets) >= BUNDLED_OUTLETS


def test_extra_dir_skips_files_that_are_not_rules(tmp_path: Path) -> None:
    write(tmp_path, "_draft.yaml", "this: [is not, a rule file\n")
    write(tmp_path, "notes.txt", "not yaml at all: [\n")
    book = load_rulebook(extra_dirs=[tmp_path])
    assert set(book.outlets) == set(load_rulebook().outlets)


def test_later_extra_dir_wins(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    write(first, "kompas.yaml", "name: First\ndomains: [kompas.com]\n")
    winner = write(second, "kompas.yaml", "name: Second\ndomains: [kompas.com]\n")
    book = load_rulebook(extra_dirs=[first, second])
    assert book.outlets["kompas"].path == winner


def test_missing_extra_dir_raises(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-dir"
    with pytest.raises(RuleFileError) as info:
        load_rulebook(extra_dirs=[missing])
    assert info.value.path == str(missing)
    assert "does not exist" in info.value.message


def test_two_outlets_claiming_one_domain_raise(tmp_path: Path) -> None:
    write(tmp_path, "tribun-copy.yaml", "name: Copycat\ndomains: [tribunnews.com]\n")
    with pytest.raises(RuleFileError) as info:
        load_rulebook(extra_dirs=[tmp_path])
    assert "tribunnews.com" in info.value.message
    assert "already claimed" in info.value.message


def test_broken_file_in_extra_dir_raises_with_its_path(tmp_path: Path) -> None:
    path = write(tmp_path, "kompas.yaml", "name: Kompas\nbogus: 1\n")
    with pytest.raises(RuleFileError) as info:
        load_rulebook(extra_dirs=[tmp_path])
    assert str(info.value).startswith(f"{path}:2: ")
    assert "unknown key 'bogus'" in info.value.message


@pytest.mark.parametrize(
    ("host", "outlet"),
    [
        ("sindonews.com", "sindonews"),
        ("news.sindonews.com", "sindonews"),
        ("international.sindonews.com", "sindonews"),
        ("www.tribunnews.com", "tribunnews"),
        ("WWW.TribunNews.com.", "tribunnews"),
        ("jabar.tribunnews.com", "tribunnews"),
        ("www.idntimes.com", "idntimes"),
        ("rmol.id", "rmol"),
    ],
)
def test_for_domain_matches_domain_and_subdomains(host: str, outlet: str) -> None:
    found = load_rulebook().for_domain(host)
    assert found is not None
    assert found.outlet == outlet


@pytest.mark.parametrize(
    "host",
    [
        "nottribunnews.com",
        "tribunnews.com.evil.example",
        "sindonews.co",
        "com",
        "example.org",
    ],
)
def test_for_domain_rejects_lookalikes(host: str) -> None:
    assert load_rulebook().for_domain(host) is None


def test_a_catastrophic_pattern_cannot_hang_a_run(tmp_path: Path) -> None:
    """`(a+)+$` backtracks exponentially in Python's re; on RE2 it is linear."""
    import time

    from cleaner import Cleaner, CleanerConfig

    write(tmp_path, "demo.yaml", "name: Demo\ndrop_lines:\n  - id: evil\n    pattern: '(a+)+$'\n")
    cleaner = Cleaner(CleanerConfig(rules_dirs=(tmp_path,), outlet="demo"))
    line = "a" * 50_000 + "!"
    started = time.perf_counter()
    result = cleaner.clean_text(f"{line}\nParagraf kedua yang biasa saja.")
    assert time.perf_counter() - started < 5  # re would take longer than the universe
    assert result.text.split("\n")[0] == line  # type: ignore[union-attr]


def test_look_arounds_are_refused_with_the_reason(tmp_path: Path) -> None:
    error = load_error(tmp_path, "name: Demo\ndrop_lines:\n  - id: x\n    pattern: 'a(?=b)'\n")
    assert_points_at(error, tmp_path / "demo.yaml", {4}, "invalid perl operator")


def test_rule_files_are_read_with_a_safe_loader(tmp_path: Path) -> None:
    body = "name: !!python/object/apply:os.system ['echo pwned']\n"
    error = load_error(tmp_path, body)
    assert error.line == 1
    assert "not valid YAML" in error.message


# --- rule files that would cost more to read than their size -------------------------------

HEAD = "name: Demo\ndomains: [demo.example.com]\n"


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    """``levels`` lists, each holding ``width`` aliases of the one before: 9 of 9 is a
    few hundred bytes that a walk of the document expands to 9**9 (387 million) items."""
    names = "abcdefghijklmnopqrstuvwxyz"[:levels]
    body = f"{names[0]}: &{names[0]} [{', '.join(['x'] * width)}]\n"
    for before, name in itertools.pairwise(names):
        body += f"{name}: &{name} [{', '.join([f'*{before}'] * width)}]\n"
    return HEAD + body


def read_in_a_child(path: Path) -> tuple[float, str]:
    """Read a rule file in a child process with 1 GiB of memory and 20 s of CPU (a
    broken fix must fail the test, not the machine); return the seconds the read took
    and the error it gave."""
    import resource
    import subprocess
    import sys

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        resource.setrlimit(resource.RLIMIT_CPU, (20, 20))

    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from cleaner.errors import RuleFileError\n"
        "from cleaner.rules.load import read_rule_file\n"
        "started = time.monotonic()\n"
        "try:\n"
        "    read_rule_file(Path(sys.argv[1]))\n"
        "    message = 'read without an error'\n"
        "except RuleFileError as exc:\n"
        "    message = str(exc)\n"
        "print(time.monotonic() - started)\n"
        "print(message)\n"
    )
    child = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limit,
        cwd=Path(__file__).resolve().parents[2],  # this checkout's cleaner
        check=False,
    )
    assert child.returncode == 0, f"the child died ({child.returncode}): {child.stderr[-500:]}"
    seconds, message = child.stdout.splitlines()
    return float(seconds), message


def test_an_anchor_bomb_is_refused_at_once(tmp_path: Path) -> None:
    bomb = billion_laughs()
    assert len(bomb) < 600
    path = write(tmp_path, "demo.yaml", bomb)
    seconds, message = read_in_a_child(path)
    assert message == (
        f"{path}:3: YAML anchors and aliases (&a, *a) are not allowed in rule files "
        "on a list or mapping, only on a single value such as a pattern"
    )
    assert seconds < 1.0


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("k: &m\n  a: b\nl: *m\n", 3),  # a mapping
        ("k: &m\n- a\nl: *m\n", 3),  # a sequence written at its key's indentation
        ("k: [&m [a], *m]\n", 3),  # a flow sequence
        ("k: &m\n", 3),  # nothing at all
    ],
)
def test_anchors_on_lists_and_mappings_are_refused(tmp_path: Path, body: str, line: int) -> None:
    error = load_error(tmp_path, HEAD + body)
    assert_points_at(error, tmp_path / "demo.yaml", {line}, "YAML anchors and aliases (&m, *m)")


def test_a_pattern_may_be_written_once_and_reused_by_an_alias(tmp_path: Path) -> None:
    """As rules/detik.yaml does with its date pattern."""
    body = HEAD + (
        "drop_lines:\n  - id: a\n    pattern: &promo 'Promo$'\n"
        "  - id: b\n    within_last: 2\n    pattern: *promo\n"
    )
    rules = compile_file(tmp_path, body)
    assert [rule.id for rule in rules.drop_lines] == ["demo/a", "demo/b"]
    assert rules.drop_lines[0].pattern.pattern == rules.drop_lines[1].pattern.pattern


def test_aliases_may_not_repeat_more_than_a_mib(tmp_path: Path) -> None:
    """Each alias of a 1,000-character value is one more such value to validate and
    compile: 1,100 of them is a 25 KB file holding 1.1 MB of patterns."""
    aliases = "\n".join(f"  - id: r{i}\n    pattern: *p" for i in range(1100))
    body = f"{HEAD}x: &p '{'a' * 1000}'\ndrop_lines:\n{aliases}\n"
    error = load_error(tmp_path, body)
    # the alias that passes 1 MiB: the 1,049th, on line 5 + 2 * 1048 + 1
    assert_points_at(error, tmp_path / "demo.yaml", {2102}, "repeat more than 1 MiB")


def nested(depth: int, style: str) -> str:
    if style == "flow":
        return "k: " + "[" * depth + "]" * depth + "\n"
    if style == "block":  # mappings: "k0:\n  k1:\n    k2: ..."
        return "".join("  " * i + f"k{i}:\n" for i in range(depth))
    # sequences at their key's indentation: "k:\n- k:\n  - k: ...", a level each
    return "k:\n" + "".join("  " * i + "- k:\n" for i in range(depth // 2))


@pytest.mark.parametrize(
    ("depth", "style", "line"),
    [
        (1000, "flow", 3),
        (1000, "block", 3 + 50),  # the file's mapping is the first level, k0: in it
        (1000, "indentless", 3 + 25),  # two levels a line: "- k:" opens a mapping and a list
    ],
)
def test_deep_nesting_is_refused_at_the_line_past_the_bound(
    tmp_path: Path, depth: int, style: str, line: int
) -> None:
    """A thousand levels was a RecursionError in the composer; now one line, at once."""
    import time

    started = time.monotonic()
    error = load_error(tmp_path, HEAD + nested(depth, style))
    assert time.monotonic() - started < 1.0
    assert_points_at(error, tmp_path / "demo.yaml", {line}, "nested more than 50 levels deep")
    assert "\n" not in str(error)


def test_fifty_levels_are_allowed(tmp_path: Path) -> None:
    """The bound counts the file's own mapping: 49 more levels still read (and then fail
    validation, as the key is unknown)."""
    error = load_error(tmp_path, HEAD + "k: " + "[" * 49 + "]" * 49 + "\n")
    assert "unknown key 'k'" in error.message
    error = load_error(tmp_path, HEAD + "k: " + "[" * 50 + "]" * 50 + "\n")
    assert "nested more than 50 levels deep" in error.message


def test_thirty_thousand_levels_do_not_crash_the_reader(tmp_path: Path) -> None:
    """The composer recursed in C: this deep, a segmentation fault (hence the child)."""
    path = write(tmp_path, "demo.yaml", HEAD + nested(30_000, "flow"))
    seconds, message = read_in_a_child(path)
    assert message == f"{path}:3: nested more than 50 levels deep (a rule file needs 4 or 5)"
    assert seconds < 1.0


def test_a_rule_file_larger_than_a_mib_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "demo.yaml", HEAD + "# " + "x" * (1 << 20) + "\n")
    with pytest.raises(RuleFileError) as info:
        compile_rule_file(path, bundled=False)
    assert (
        str(info.value) == f"{path}: larger than 1 MiB: not a rule file (a rule file is a few KB)"
    )


def test_node_lines_walks_any_depth_without_recursing() -> None:
    """The scan bounds the depth, but the walk does not rely on it."""
    import yaml

    from cleaner.rules.load import _node_lines

    mark = yaml.Mark("demo.yaml", 0, 0, 0, None, None)
    node: yaml.Node = yaml.ScalarNode("tag:yaml.org,2002:str", "x", mark, mark)
    for _ in range(3000):  # three times Python's recursion limit
        node = yaml.SequenceNode("tag:yaml.org,2002:seq", [node], mark, mark)
    lines: dict[tuple[object, ...], int] = {}
    _node_lines(node, lines)
    assert len(lines) == 3001
    assert lines[(0,) * 3000] == 1
