"""Stage 6: an :class:`~cleaner.models.Article`, or a :class:`~cleaner.models.Reject`
saying why not."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from cleaner.models import WORDS_CONTEXT, Article, Reject


def validate(record: dict[str, Any], words: list[str] | None = None) -> Article | Reject:
    """Validate one candidate record; a failure is a reject, never an exception.
    ``words``: ``record["text"].split()``, when the caller has made it (the model then
    counts those instead of splitting the text again)."""
    text = record.get("text")
    if isinstance(text, str) and not text.strip():
        return Reject(
            source=record["source"],
            reason="empty_after_cleaning",
            detail=_empty_detail(record),
            id=record.get("id"),
            outlet=record.get("outlet"),
            rule_hits=record.get("cleaning", {}).get("rule_hits") or None,
        )
    try:
        context = {WORDS_CONTEXT: (text, words)} if words is not None else None
        return Article.model_validate(record, context=context)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "record"
        return Reject(
            source=record["source"],
            reason="invalid_record",
            detail=f"{where}: {first['msg']}",
            id=record.get("id"),
            outlet=record.get("outlet"),
        )


def _empty_detail(record: dict[str, Any]) -> str:
    cleaning = record.get("cleaning", {})
    lines_in = cleaning.get("lines_in", 0)
    hits = cleaning.get("rule_hits", {})
    if not lines_in:
        return "the input holds no text"
    top = ", ".join(f"{rule} ({n})" for rule, n in sorted(hits.items(), key=lambda kv: -kv[1])[:3])
    return f"all {lines_in} lines were removed, most by {top}"
