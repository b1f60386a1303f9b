"""The ``cleaner`` command line: a typer application, one module per command group.

:mod:`cleaner.cli.app` holds the application and what the commands share; each module
below adds its commands to it when imported.
"""

from cleaner.cli import clean, corpus, explain, rules, schema
from cleaner.cli.app import app, main

__all__ = ["app", "clean", "corpus", "explain", "main", "rules", "schema"]
