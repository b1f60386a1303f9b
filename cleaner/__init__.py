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

from cleaner.config import CleanerConfig, QualityConfig, ReadConfig, RepairConfig
from cleaner.engines.run import clean_to_directory, clean_to_stream
from cleaner.errors import CleanerError, RuleFileError
from cleaner.models import Article, RawDocument, Reject
from cleaner.pipeline import Cleaner, clean_html, clean_text

__version__ = "0.2.0"

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
