"""The records' Arrow schema, derived from their models (cleaner/io/arrow.py)."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any, Literal, get_args, get_origin

import orjson
import pyarrow as pa
import pytest
from pydantic import AwareDatetime, BaseModel

from cleaner.errors import CleanerError
from cleaner.io.arrow import (
    ENCODING,
    ENTRIES,
    JSON,
    arrow_schema,
    arrow_text,
    article_features,
    article_schema,
    duckdb_columns,
    lines_to_batch,
    records,
    to_batch,
)
from cleaner.models import Article, Cleaning, Reject, Signals

WIB = dt.timezone(dt.timedelta(hours=7))


def article(n: int = 0, **changes: Any) -> Article:
    """An article with every field filled (``changes`` empties or changes some)."""
    text = f"Jakarta - Warga kota berkumpul di alun-alun pada hari ke {n}."
    fields: dict[str, Any] = {
        "id": f"a{n}",
        "source": f"crawl.jsonl:{n + 1}",
        "outlet": "kompas",
        "url": f"https://kompas.com/read/{n}",
        "title": f"Judul {n}",
        "subtitle": "Sub",
        "published_at": dt.datetime(2024, 3, 1, 10, 30, n % 60, tzinfo=WIB),
        "authors": ["Budi", "Sari"],
        "dateline": "Jakarta",
        "category": "Nasional",
        "tags": ["kota", "warga"],
        "editor_initials": "mas",
        "image_caption": "Warga di alun-alun.",
        "image_credit": "Foto/REUTERS",
        "site_name": "Kompas",
        "text": text,
        "word_count": len(text.split()),
        "language": "id",
        "language_score": 0.99,
        "signals": Signals(
            stopword_ratio=0.3,
            duplicate_line_fraction=0.0,
            top_ngram_share={"2": 0.1, "3": 0.05, "4": 0.0},
            punctuated_line_share=1.0,
            mean_word_length=5.2,
            alpha_word_share=0.9,
            newline_ratio=0.0,
        ),
        "duplicate_of": None,
        "cluster_id": "a0",
        "extra": {"zeta": 1, "alpha": {"nested": [1, "dua", None]}, "ok": True},
        "cleaning": Cleaning(
            input_kind="html",
            detected_by="url",
            encoding="utf-8",
            rule_hits={"kompas/baca-juga": 2, "generic/share": 1},
            lines_in=9,
            lines_out=3,
            chars_in=400,
            warnings=["unreadable date"],
        ),
    }
    return Article.model_validate(fields | changes)


def sparse(n: int = 0) -> Article:
    """An article whose optional fields are all empty."""
    empty = {name: None for name, info in Article.model_fields.items() if info.default is None}
    return article(n, **empty, authors=[], tags=[], language=None, language_score=None,
                   signals=None, outlet=None)  # fmt: skip


def _inner(annotation: Any) -> Any:
    """``X | None`` → ``X``."""
    args = [a for a in get_args(annotation) if a is not type(None)]
    return args[0] if get_origin(annotation) is not None and len(args) == 1 else annotation


def _models(model: type[BaseModel]) -> list[type[BaseModel]]:
    """``model`` and every model among its fields' types, at any depth."""
    found = [model]
    for info in model.model_fields.values():
        inner = _inner(info.annotation)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            found += _models(inner)
    return found


# --- every field a column -------------------------------------------------------------


@pytest.mark.parametrize("model", [Article, Reject])
def test_every_model_field_has_a_column_in_order(model: type[BaseModel]) -> None:
    assert arrow_schema(model).names == list(model.model_fields)


def test_every_nested_model_is_a_struct_of_all_its_fields() -> None:
    assert {Signals, Cleaning} <= set(_models(Article))
    for model in _models(Article):
        assert arrow_schema(model).names == list(model.model_fields)
    for name, info in Article.model_fields.items():
        nested = _inner(info.annotation)
        if isinstance(nested, type) and issubclass(nested, BaseModel):
            assert list(article_schema().field(name).type) == list(arrow_schema(nested))


def test_nullable_exactly_where_the_model_allows_none() -> None:
    for model in _models(Article):
        for field in arrow_schema(model):
            annotation = model.model_fields[field.name].annotation
            assert field.nullable == (type(None) in get_args(annotation)), field.name


def test_the_article_columns_are_typed() -> None:
    schema = article_schema()
    assert schema.field("published_at").type == pa.timestamp("us", tz="UTC")
    assert schema.field("authors").type == pa.list_(pa.field("element", pa.string(), False))
    assert schema.field("image_credit").type == pa.string()
    assert schema.field("word_count").type == pa.int64()
    assert schema.field("language_score").type == pa.float64()
    assert pa.types.is_struct(schema.field("signals").type)
    assert schema.field("extra").type == pa.string()
    assert schema.field("extra").metadata[ENCODING] == JSON
    hits = schema.field("cleaning").type.field("rule_hits")
    assert hits.metadata[ENCODING] == ENTRIES
    entry = hits.type.value_type
    assert [(f.name, f.type) for f in entry] == [("key", pa.string()), ("value", pa.int64())]
    assert schema.field("text").metadata[b"description"].startswith(b"The article body")


class Inner(BaseModel):
    when: AwareDatetime | None = None
    scores: dict[str, float] = {}


class Everything(BaseModel):
    """A model with every kind of annotation the derivation knows."""

    s: str
    i: int
    f: float
    b: bool
    kind: Literal["a", "b"]
    at: AwareDatetime
    names: list[str]
    counts: dict[str, int]
    labels: dict[str, Literal["input", "page markup"]]
    seen: dict[str, AwareDatetime]
    inner: Inner
    inners: list[Inner]
    maybe: Inner | None = None
    anything: dict[str, Any] | None = None
    values: list[Any] = []


def test_any_model_gets_its_columns_and_round_trips() -> None:
    schema = arrow_schema(Everything)
    assert [str(f.type) for f in schema][:6] == [
        "string",
        "int64",
        "double",
        "bool",
        "string",
        "timestamp[us, tz=UTC]",
    ]
    assert schema.field("labels").metadata[ENCODING] == ENTRIES
    assert schema.field("values").type.value_field.metadata[ENCODING] == JSON
    record = Everything(
        s="x",
        i=3,
        f=0.5,
        b=True,
        kind="b",
        at=dt.datetime(2024, 1, 2, 10, tzinfo=WIB),
        names=["a"],
        counts={"k": 1},
        labels={"title": "page markup"},
        seen={"first": dt.datetime(2024, 1, 2, 10, tzinfo=WIB)},
        inner=Inner(when=dt.datetime(2024, 1, 1, tzinfo=dt.UTC), scores={"2": 0.25}),
        inners=[Inner(), Inner(scores={"a": 1.5})],
        anything={"b": [1, {"c": None}], "a": "z"},
        values=[1, "dua", {"tiga": 3}, None],
    )
    batch = lines_to_batch([record.model_dump_json()], Everything)
    assert batch.schema.equals(schema)
    (back,) = records(batch, Everything)
    assert Everything.model_validate(back) == record
    assert list(back["anything"]) == ["b", "a"]  # keys in their order


@pytest.mark.parametrize(
    "annotation",
    [tuple[int, int], dt.datetime, dict[int, str], int | str, set[str]],
)
def test_an_annotation_without_a_column_type_is_a_type_error(annotation: Any) -> None:
    model = type("Odd", (BaseModel,), {"__annotations__": {"odd": annotation}})
    with pytest.raises(TypeError, match="no Arrow column type"):
        arrow_schema(model)


# --- records to rows and back ---------------------------------------------------------


def test_a_full_article_round_trips() -> None:
    original = article(7)
    batch = lines_to_batch([original.model_dump_json()])
    assert batch.schema.equals(article_schema(), check_metadata=True)
    (back,) = records(batch)
    assert Article.model_validate(back) == original
    assert back["cleaning"]["rule_hits"] == {"kompas/baca-juga": 2, "generic/share": 1}
    assert back["extra"] == original.extra


def test_a_sparse_article_round_trips_with_typed_nulls() -> None:
    original = sparse(1)
    batch = to_batch([original.model_dump(mode="json")])
    assert batch.column("published_at").type == pa.timestamp("us", tz="UTC")
    assert batch.column("image_credit").null_count == 1
    assert Article.model_validate(records(batch)[0]) == original


def test_the_timestamp_is_the_instant_in_utc() -> None:
    batch = lines_to_batch([article(0).model_dump_json()])
    (moment,) = batch.column("published_at").to_pylist()
    assert moment == dt.datetime(2024, 3, 1, 3, 30, tzinfo=dt.UTC)
    assert moment.utcoffset() == dt.timedelta(0)


def test_extra_is_its_json_text() -> None:
    batch = lines_to_batch([article(0).model_dump_json()])
    (text,) = batch.column("extra").to_pylist()
    assert text == '{"zeta":1,"alpha":{"nested":[1,"dua",null]},"ok":true}'
    assert orjson.loads(text) == article(0).extra


def test_a_field_the_schema_lacks_is_refused() -> None:
    record = article(0).model_dump(mode="json") | {"sentiment": "positif"}
    with pytest.raises(ValueError, match="no column for the field 'sentiment' in Article"):
        to_batch([record])


def test_a_time_without_offset_is_refused() -> None:
    record = article(0).model_dump(mode="json") | {"published_at": "2024-03-01T10:30:00"}
    with pytest.raises(ValueError, match="not a time with a UTC offset"):
        to_batch([record])


def test_rejects_have_their_own_schema() -> None:
    reject = Reject(source="x.jsonl:3", reason="empty_after_cleaning", detail="d",
                    rule_hits={"kompas/footer": 4})  # fmt: skip
    (back,) = records(lines_to_batch([reject.model_dump_json()], Reject), Reject)
    assert Reject.model_validate(back) == reject


# --- the recipes' column lists --------------------------------------------------------


def test_arrow_text_is_a_line_a_column_in_full() -> None:
    lines = arrow_text().splitlines()
    assert [line.split(":")[0] for line in lines] == list(Article.model_fields)
    assert "published_at: timestamp[us, tz=UTC]" in lines
    assert "omitted" not in arrow_text()


def test_duckdb_columns_name_every_field_with_duckdb_types() -> None:
    import duckdb

    ((types,),) = duckdb.sql(f"SELECT {duckdb_columns()} AS c").fetchall()
    assert list(types) == list(Article.model_fields)
    assert types["published_at"] == "TIMESTAMPTZ"
    assert types["extra"] == "JSON"
    assert "MAP(VARCHAR, BIGINT)" in types["cleaning"]
    assert types["authors"] == "VARCHAR[]"


def test_features_are_json_where_a_json_line_holds_an_object() -> None:
    datasets = pytest.importorskip("datasets")
    features = article_features()
    assert list(features) == list(Article.model_fields)
    assert features["published_at"] == datasets.Value("timestamp[us, tz=UTC]")
    assert features["extra"] == datasets.Json()
    assert features["cleaning"]["rule_hits"] == datasets.Json()
    assert features["authors"] == datasets.List(datasets.Value("string"))


def test_features_without_datasets_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "datasets", None)  # import fails
    with pytest.raises(CleanerError, match="pip install datasets"):
        article_features()
