"""cleaner: scraped Indonesian news pages in, clean validated article records out.

The public API::

    from cleaner import Cleaner, CleanerConfig, clean_text, clean_to_stream

    result = clean_text(page_text)          # an Article or a Reject
    cleaner = Cleaner(CleanerConfig(rules_dirs=(Path("my-rules"),)))
    for result in cleaner.run(["dumps/"]):  # every unit of every input, in order
        ...
    stats = clean_to_stream(["crawl/"], CleanerConfig(), Path("out/corpus.jsonl"), workers=4)

Everything else lives in the subpackages, one per stage (see docs/architecture.md):
``io`` (read and write), ``text`` (normalize, extract, language, dates, metadata),
``rules`` (rule files and their application), ``engines`` (one core, many, Dask),
``corpus`` (dedup, report), ``authoring`` (writing rule files) and ``cli``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cleaner.config import CleanerConfig, QualityConfig, ReadConfig, RepairConfig
    from cleaner.engines.run import clean_to_directory, clean_to_stream
    from cleaner.errors import CleanerError, RuleFileError
    from cleaner.models import Article, RawDocument, Reject
    from cleaner.pipeline import Cleaner, clean_html, clean_text

__version__ = "0.2.0"

_HOMES = {
    "CleanerConfig": "cleaner.config",
    "QualityConfig": "cleaner.config",
    "ReadConfig": "cleaner.config",
    "RepairConfig": "cleaner.config",
    "clean_to_directory": "cleaner.engines.run",
    "clean_to_stream": "cleaner.engines.run",
    "CleanerError": "cleaner.errors",
    "RuleFileError": "cleaner.errors",
    "Article": "cleaner.models",
    "RawDocument": "cleaner.models",
    "Reject": "cleaner.models",
    "Cleaner": "cleaner.pipeline",
    "clean_html": "cleaner.pipeline",
    "clean_text": "cleaner.pipeline",
}
"""Where each public name lives. They are loaded when first used (PEP 562), so that
``import cleaner`` (and the command line's start, during which Ctrl-C must still end it
with one line) costs nothing until the API is used."""


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'cleaner' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


__all__ = [
    "Article",
    "Cleaner",
    "CleanerConfig",
    "CleanerError",
    "QualityConfig",
    "RawDocument",
    "ReadConfig",
    "Reject",
    "RepairConfig",
    "RuleFileError",
    "__version__",
    "clean_html",
    "clean_text",
    "clean_to_directory",
    "clean_to_stream",
]
