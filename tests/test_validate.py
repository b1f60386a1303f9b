"""Stage 6: records to Article or Reject (cleaner/validate.py, cleaner/models.py)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from cleaner.models import WORDS_CONTEXT, Article, Reject
from cleaner.text.signals import measure
from cleaner.validate import validate

WIB = timezone(timedelta(hours=7))


def _record(**changes: Any) -> dict[str, Any]:
    """A record as the pipeline builds it, valid unless ``changes`` break it."""
    record: dict[str, Any] = {
        "id": "abc123",
        "source": "fixtures/kompas/berita.txt",
        "outlet": "kompas",
        "url": "https://www.kompas.com/berita",
        "title": "Judul berita",
        "published_at": datetime(2023, 9, 20, 9, 4, tzinfo=WIB),
        "authors": ["Reni Erina"],
        "tags": ["pemilu"],
        "text": "Paragraf pertama berita.\nParagraf kedua.",
        "word_count": 5,
        "language": "id",
        "language_score": 0.99,
        "signals": measure("Paragraf pertama berita.\nParagraf kedua."),
        "cleaning": {
            "detected_by": "url",
            "encoding": "utf-8",
            "rule_hits": {"kompas/baca-juga": 2},
            "lines_in": 6,
            "lines_out": 2,
            "chars_in": 200,
            "warnings": [],
        },
    }
    cleaning = changes.pop("cleaning", {})
    record["cleaning"] = {**record["cleaning"], **cleaning}
    record.update(changes)
    return record


# --- validate --------------------------------------------------------------------------------


def test_valid_record_becomes_an_article() -> None:
    result = validate(_record())
    assert isinstance(result, Article)
    assert result.text == "Paragraf pertama berita.\nParagraf kedua."
    assert result.word_count == 5
    assert result.schema_version == "1"


@pytest.mark.parametrize("text", ["", "   ", "\n\n", " \n \t "])
def test_blank_text_is_rejected_as_empty_after_cleaning(text: str) -> None:
    result = validate(_record(text=text, word_count=0))
    assert isinstance(result, Reject)
    assert result.reason == "empty_after_cleaning"
    assert result.source == "fixtures/kompas/berita.txt"
    assert result.id == "abc123"
    assert result.outlet == "kompas"


def test_empty_after_cleaning_detail_names_the_rules_that_removed_lines() -> None:
    hits = {"generic/share": 2, "kompas/iklan": 5, "kompas/baca-juga": 3, "generic/foto": 1}
    result = validate(_record(text="", word_count=0, cleaning={"lines_in": 11, "rule_hits": hits}))
    assert isinstance(result, Reject)
    assert result.detail == (
        "all 11 lines were removed, most by kompas/iklan (5), kompas/baca-juga (3), "
        "generic/share (2)"
    )
    assert result.rule_hits == hits


def test_empty_input_detail_says_there_was_no_text() -> None:
    result = validate(_record(text="", word_count=0, cleaning={"lines_in": 0, "rule_hits": {}}))
    assert isinstance(result, Reject)
    assert result.reason == "empty_after_cleaning"
    assert result.detail == "the input holds no text"
    assert result.rule_hits is None


def test_naive_published_at_is_an_invalid_record() -> None:
    result = validate(_record(published_at=datetime(2023, 9, 20, 9, 4)))
    assert isinstance(result, Reject)
    assert result.reason == "invalid_record"
    assert result.detail.startswith("published_at:")
    assert result.id == "abc123"
    assert result.outlet == "kompas"


@pytest.mark.parametrize("split_by_caller", [False, True])
def test_word_count_mismatch_is_an_invalid_record(split_by_caller: bool) -> None:
    record = _record(word_count=99)
    result = validate(record, record["text"].split() if split_by_caller else None)
    assert isinstance(result, Reject)
    assert result.reason == "invalid_record"
    assert "word_count" in result.detail


def test_a_callers_split_counts_only_for_the_very_text_it_was_made_of() -> None:
    record = _record()  # 5 words
    other = "".join(["Paragraf pertama berita.\n", "Paragraf kedua."])  # equal, not the same
    assert other == record["text"] and other is not record["text"]
    two = ["Paragraf", "pertama"]
    article = Article.model_validate(record, context={WORDS_CONTEXT: (other, two)})
    assert article.word_count == 5  # another string's split: the text is split here
    with pytest.raises(ValidationError, match="word_count"):
        Article.model_validate(record, context={WORDS_CONTEXT: (record["text"], two)})


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"editor": "mas"}, "editor"),
        ({"authors": ["Budi", "  "]}, "record"),
        ({"cleaning": {"lines_in": -1}}, "cleaning.lines_in"),
        ({"cleaning": {"detected_by": "guess"}}, "cleaning.detected_by"),
        ({"id": None}, "id"),
    ],
)
def test_bad_records_are_rejects_not_exceptions(changes: dict[str, Any], where: str) -> None:
    result = validate(_record(**changes))
    assert isinstance(result, Reject)
    assert result.reason == "invalid_record"
    assert result.detail.startswith(f"{where}:")


def test_text_of_the_wrong_type_is_a_reject_not_an_exception() -> None:
    # validate() promises "a failure is a reject, never an exception".
    result = validate(_record(text=None, word_count=1))
    assert isinstance(result, Reject)
    assert result.reason == "invalid_record"


# --- Article ---------------------------------------------------------------------------------


def test_article_rejects_extra_keys() -> None:
    record = _record(body="tambahan")
    with pytest.raises(ValidationError, match="body"):
        Article.model_validate(record)


def test_article_cleaning_rejects_extra_keys() -> None:
    with pytest.raises(ValidationError, match="extra"):
        Article.model_validate(_record(cleaning={"extra": 1}))


def test_article_json_has_published_at_in_iso_8601_with_offset() -> None:
    article = Article.model_validate(_record())
    data = json.loads(article.model_dump_json())
    assert data["published_at"] == "2023-09-20T09:04:00+07:00"
    assert datetime.fromisoformat(data["published_at"]).utcoffset() == timedelta(hours=7)


def test_article_is_frozen() -> None:
    article = Article.model_validate(_record())
    with pytest.raises(ValidationError):
        article.title = "lain"  # type: ignore[misc]


def test_article_json_round_trips() -> None:
    article = Article.model_validate(_record())
    assert Article.model_validate_json(article.model_dump_json()) == article


def test_json_schema_lists_the_contract_fields() -> None:
    schema = Article.model_json_schema()
    contract = {
        "id",
        "source",
        "outlet",
        "url",
        "title",
        "subtitle",
        "published_at",
        "authors",
        "dateline",
        "category",
        "tags",
        "text",
        "word_count",
        "schema_version",
    }
    assert contract <= set(schema["properties"])
    assert schema["additionalProperties"] is False
    assert {"id", "source", "text", "word_count"} <= set(schema["required"])
    published_at = schema["properties"]["published_at"]
    formats = [o.get("format") for o in published_at.get("anyOf", [published_at])]
    assert "date-time" in formats


def test_reject_rejects_unknown_reasons() -> None:
    with pytest.raises(ValidationError):
        Reject(source="a.txt", reason="gagal", detail="x")
