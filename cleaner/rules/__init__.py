"""Rule files, and cleaning a document's lines with them.

* :mod:`~cleaner.rules.schema`: what a rule file may say (pydantic models; the section
  list, :data:`~cleaner.rules.schema.SECTIONS`).
* :mod:`~cleaner.rules.load`: YAML read safely, errors as ``file:line``, the rulebook.
* :mod:`~cleaner.rules.compile`: rule files compiled into what the pipeline applies.
* :mod:`~cleaner.rules.patterns`: patterns on RE2, matched many at once, each compiled
  when first needed.
* :mod:`~cleaner.rules.syntax`: patterns read as text (named groups, the whole-document
  form) without compiling them.
* :mod:`~cleaner.rules.detect`: which outlet's rules a document gets.
* :mod:`~cleaner.rules.document`: a document's lines and what became of each.
* :mod:`~cleaner.rules.apply`: the sections applied, in order.
* :mod:`~cleaner.rules.lines`: line classes (headline, timestamp, sentence).
* :mod:`~cleaner.rules.heuristics`: what a rule file can switch on but not write as a
  pattern.
"""
