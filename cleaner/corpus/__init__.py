"""Work on a finished run's articles.

* :mod:`~cleaner.corpus.dedup`: duplicates and syndicated stories (MinHash, LSH).
* :mod:`~cleaner.corpus.report`: what a corpus holds, as a table or one HTML page.
"""
