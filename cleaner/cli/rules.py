"""``cleaner rules``: list, check, write and test rule files (:mod:`cleaner.authoring`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from cleaner.cli.app import HELP, FixturesDir, RulesDirs, app, err, expected_errors
from cleaner.config import CleanerConfig, LearnConfig
from cleaner.errors import CleanerError
from cleaner.pipeline import Cleaner
from cleaner.rules.load import bundled_rules_dir, load_rulebook
from cleaner.rules.schema import GENERIC

rules_app = typer.Typer(
    help="Write and check rule files: list, check, new, test, learn.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings=HELP,
)
app.add_typer(rules_app, name="rules")


@rules_app.command("list")
@expected_errors
def rules_list(
    rules: RulesDirs = None,
    fixtures: FixturesDir = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON for tools.")] = False,
) -> None:
    """Every outlet with its domains, rule count, fixture count and rule file."""
    from cleaner.authoring.catalog import list_outlets
    from cleaner.authoring.explain import shown_path

    rows = list_outlets(load_rulebook(rules or ()), fixtures)
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {
                        "outlet": r.outlet,
                        "name": r.name,
                        "domains": list(r.domains),
                        "rules": r.rules,
                        "fixtures": r.fixtures,
                        "file": shown_path(r.path),
                        "bundled": r.bundled,
                    }
                    for r in rows
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    typer.echo(f"{'outlet':<16} {'rules':>5} {'fixtures':>8}  {'file':<28} domains")
    for r in rows:
        where = shown_path(r.path) + ("" if r.bundled else " (yours)")
        domains = ", ".join(r.domains) or "(every document)"
        typer.echo(f"{r.outlet:<16} {r.rules:>5} {r.fixtures:>8}  {where:<28} {domains}")


@rules_app.command("check")
@expected_errors
def rules_check(
    directory: Annotated[
        Path | None,
        typer.Argument(metavar="DIR", help="The rule files to check (default: the bundled rules)."),
    ] = None,
    fixtures: FixturesDir = None,
) -> None:
    """Validate rule files: schema, patterns, duplicate ids, domains claimed twice, and
    rules that no fixture ever triggers. Prints each problem as file:line: message."""
    from cleaner.authoring.check import check_rules
    from cleaner.authoring.explain import shown_path

    directory = directory or bundled_rules_dir()
    if not directory.is_dir():
        raise CleanerError(f"not a directory: {directory}")
    problems = check_rules(directory, fixtures)
    for problem in problems:
        where = shown_path(problem.file) + (f":{problem.line}" if problem.line else "")
        typer.echo(f"{where}: {problem.message}")
    if problems:
        err(f"{len(problems)} problem{'s' if len(problems) != 1 else ''}")
        raise typer.Exit(1)
    err(f"{shown_path(directory)}: no problems")


@rules_app.command("new")
@expected_errors
def rules_new(
    name: Annotated[
        str, typer.Argument(metavar="NAME", help="The outlet's id: lower case, e.g. kabarcontoh.")
    ],
    domain: Annotated[
        list[str],
        typer.Option("--domain", help="A domain of the outlet (repeatable).", metavar="DOMAIN"),
    ],
    sample: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="A saved page of the outlet: proposes rules for the furniture the rules "
            "for every document leave in it (lead-in, byline, date line, related links, "
            "copyright, share bars, promos), each a class of lines marked REVIEW with the "
            "page's line as its example; the page becomes the first fixture.",
            metavar="FILE",
        ),
    ] = None,
    rules_dir_arg: Annotated[
        Path | None,
        typer.Option(
            "--dir",
            help="Where to write the rule file (default: rules/ here; cleaner's own bundled "
            "rules only when named with --dir).",
            metavar="DIR",
        ),
    ] = None,
    fixtures: FixturesDir = None,
) -> None:
    """Write a commented rule file for a new outlet, and a fixture to test it with."""
    from cleaner.authoring.catalog import fixtures_dir_for
    from cleaner.authoring.explain import shown_path
    from cleaner.authoring.new import scaffold

    if sample is not None and not sample.is_file():
        raise CleanerError(f"no such file: {sample}")
    rules_dir = rules_dir_arg or Path("rules")
    if rules_dir_arg is None and rules_dir.resolve() == bundled_rules_dir().resolve():
        raise CleanerError(
            "rules/ here is cleaner's bundled rules directory: --dir rules adds the outlet "
            "to it, --dir DIR writes your own"
        )
    written = scaffold(name, domain, rules_dir, fixtures or fixtures_dir_for(rules_dir), sample)
    for path in written:
        typer.echo(f"wrote {shown_path(path)}")
    flag = "" if rules_dir.resolve() == bundled_rules_dir().resolve() else f" --rules {rules_dir}"
    typer.echo(
        "next: read the REVIEW lines, then\n"
        f"  cleaner explain {shown_path(written[-1])}{flag} --outlet {name}\n"
        f"  cleaner rules test {name}{flag} --update   # writes the expected record: read it\n"
        f"  cleaner rules test {name}{flag}"
    )


@rules_app.command("test")
@expected_errors
def rules_test(
    name: Annotated[
        str | None, typer.Argument(metavar="NAME", help="One outlet (default: every outlet).")
    ] = None,
    rules: RulesDirs = None,
    fixtures: FixturesDir = None,
    update: Annotated[
        bool,
        typer.Option(
            "--update", help="Write the expected records from the current output (then read them)."
        ),
    ] = False,
) -> None:
    """Run the fixtures: each input must become exactly its expected record."""
    from cleaner.authoring.catalog import fixture_dirs
    from cleaner.authoring.explain import shown_path
    from cleaner.authoring.fixtures import run_fixtures

    cleaner = Cleaner(CleanerConfig(rules_dirs=tuple(rules or ())))
    if name is not None and name not in cleaner.rulebook.outlets and name != GENERIC:
        raise CleanerError(f"unknown outlet {name!r}; see `cleaner rules list`")
    results = run_fixtures(cleaner, fixture_dirs(cleaner.rulebook, fixtures), name, update)
    if not results:
        raise CleanerError(f"no fixtures for {name or 'any outlet'}")
    failed = [r for r in results if not r.passed]
    for result in results:
        status = "updated" if result.updated else "ok" if result.passed else "FAIL"
        typer.echo(f"{status:<8} {shown_path(result.case.input)}")
        if not result.passed:
            typer.echo(result.diff)
    err(f"{len(results) - len(failed)} of {len(results)} fixtures pass")
    if failed:
        raise typer.Exit(1)


@rules_app.command("learn")
@expected_errors
def rules_learn(
    inputs: Annotated[
        list[str], typer.Argument(metavar="CORPUS", help="Files or directories to learn from.")
    ],
    site: Annotated[
        str,
        typer.Option(
            "--site", help="The site to propose rules for, e.g. kabarcontoh.id.", metavar="SITE"
        ),
    ],
    rules_dir: Annotated[
        Path, typer.Option("--dir", metavar="DIR", help="Where to write the proposed rule file.")
    ] = Path("learned-rules"),
    rules: RulesDirs = None,
    site_key: Annotated[
        str | None,
        typer.Option("--site-key", metavar="FIELD", help="A JSONL field naming the site."),
    ] = None,
    min_docs: Annotated[
        int,
        typer.Option(
            "--min-docs", min=2, metavar="N", help="Documents a line must be in to be proposed."
        ),
    ] = LearnConfig().min_docs,
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, metavar="N", help="Processes.")
    ] = None,
) -> None:
    """Learn what SITE repeats across CORPUS and write it as a rule file to review."""
    from cleaner.authoring.explain import shown_path
    from cleaner.authoring.learn import write_proposal
    from cleaner.engines.local import default_workers
    from cleaner.engines.run import learn_repeats
    from cleaner.io.sources import check_inputs, read_units

    check_inputs(inputs)
    config = CleanerConfig(
        rules_dirs=tuple(rules or ()),
        learn=LearnConfig(site_key=site_key, min_docs=min_docs, html=True),
    )
    table = learn_repeats(
        lambda: read_units(inputs, config.read), config, workers or default_workers()
    )
    path = write_proposal(site, table, rules_dir, config.rules_dirs)
    typer.echo(f"wrote {shown_path(path)}")
    typer.echo(f"next: read the REVIEW lines, then  cleaner rules check {shown_path(rules_dir)}")
