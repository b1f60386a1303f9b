"""Writing rule files: the ``cleaner rules`` and ``cleaner explain`` commands.

* :mod:`~cleaner.authoring.catalog`: where each outlet's rules and fixtures are.
* :mod:`~cleaner.authoring.fixtures`: golden fixtures, run and compared whole.
* :mod:`~cleaner.authoring.check`: every problem of a directory of rule files.
* :mod:`~cleaner.authoring.new`: a new outlet's rule file and first fixture.
* :mod:`~cleaner.authoring.explain`: one document, line by line, and why.
"""
