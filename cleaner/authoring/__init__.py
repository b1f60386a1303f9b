"""Writing rule files: the ``cleaner rules`` and ``cleaner explain`` commands.

* :mod:`~cleaner.authoring.catalog`: where each outlet's rules and fixtures are.
* :mod:`~cleaner.authoring.fixtures`: golden fixtures, run and compared whole.
* :mod:`~cleaner.authoring.check`: every problem of a directory of rule files.
* :mod:`~cleaner.authoring.new`: a new outlet's rule file and first fixture.
* :mod:`~cleaner.authoring.propose`: rules proposed from a sample page, each checked on
  its own line (:mod:`~cleaner.authoring.proposal` holds them; :mod:`~cleaner.authoring.leadin`
  proposes the lead-in, date line and title, :mod:`~cleaner.authoring.furniture` bylines,
  sign-offs, related links, copyright lines, share bars and promos).
* :mod:`~cleaner.authoring.learn`: a rule file proposed from a corpus's learned repeats.
* :mod:`~cleaner.authoring.explain`: one document, line by line, and why.
"""
