"""Text: from bytes to clean Unicode, and what a text says about itself.

* :mod:`~cleaner.text.normalize`: decoding and repair (charset, ftfy, invisible characters).
* :mod:`~cleaner.text.html`: an HTML page's main text (trafilatura), one paragraph a line.
* :mod:`~cleaner.text.page`: what a page's markup says about itself (title, date, authors).
* :mod:`~cleaner.text.dates`: Indonesian dates to timezone-aware datetimes.
* :mod:`~cleaner.text.metadata`: captured strings to typed article fields.
* :mod:`~cleaner.text.language`: the language of a text (CLD2), the Indonesian stoplist.
* :mod:`~cleaner.text.signals`: quality signals and the ``--quality`` filter.
"""
