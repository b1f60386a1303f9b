"""Reading inputs and writing outputs.

* :mod:`~cleaner.io.formats`: the input formats and their suffixes (one table).
* :mod:`~cleaner.io.streams`: decompression that notices damage; reads with a size bound.
* :mod:`~cleaner.io.sources`: inputs (files, directories, standard input) to units.
* :mod:`~cleaner.io.readers`: one reader per format (text, HTML, JSON Lines, WARC).
* :mod:`~cleaner.io.sinks`: JSON Lines out, compressed or not, moved into place when whole.
* :mod:`~cleaner.io.articles`: a cleaned corpus read back (for dedup and report).
"""
