"""Typed columns: the records' Arrow schema, derived from their pydantic models.

Parquet output (``-o FILE.parquet``) and the typed recipes for reading JSON Lines
(``cleaner schema --duckdb``, ``--features``) all come from :func:`arrow_schema`, which
walks a model's fields and their annotations. Nothing is written per field, so a field
added to :class:`~cleaner.models.Article` gets its column. Every column is typed
whatever a file holds: files in which a column is all null and files in which it is
filled read together (Hugging Face datasets infers a type per JSON file and fails on
exactly that), and nothing is guessed from a sample (DuckDB's JSON reader looks at the
first 20,480 rows and nulls a column whose values come later).

Annotation to column:

* ``str`` and ``Literal`` of strings: ``string``; ``int``: ``int64``; ``float``:
  ``float64``; ``bool``: ``bool``.
* ``AwareDatetime``: ``timestamp[us, tz=UTC]``. The instant is kept; the UTC offset it
  was written with (``+07:00`` for WIB) is not, as a Parquet timestamp has none. Show
  it in local time with DuckDB's ``AT TIME ZONE 'Asia/Jakarta'`` or pandas'
  ``tz_convert``.
* ``list[X]``: ``list<X>``; a model (``Signals``, ``Cleaning``): a ``struct`` of its
  fields.
* ``dict[str, X]``: ``list<struct<key: string, value: X>>``, marked ``entries``. That is
  the layout of a Parquet MAP without the MAP annotation, which Hugging Face datasets
  cannot read (its ``Features`` have no map type); DuckDB's ``map_from_entries(col)``
  makes the map again.
* ``Any`` (``extra: dict[str, Any]``, fields passed through unchanged, whose shape the
  cleaner does not know): ``string`` holding the value as JSON, keys in their order,
  marked ``json``.
* ``X | None``: nullable; every other column is ``not null``.

The marks sit in each field's metadata (:data:`ENCODING`), beside its description. The
JSON recipes read them (a JSON object is read as a map, or as JSON), and so do
:func:`to_batch` and :func:`records`, which convert between a record as its JSON line
holds it and a row of the schema.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import cache
from types import NoneType, UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import orjson
import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
from pydantic import AwareDatetime, BaseModel

from cleaner.errors import CleanerError
from cleaner.models import Article

Model = type[BaseModel]
Convert = Callable[[Any], Any]

ENCODING = b"cleaner.encoding"
"""Field metadata: how a column holds what is not a column type of its own."""
ENTRIES = b"entries"
"""A ``dict[str, X]`` as a list of ``{key, value}`` entries."""
JSON = b"json"
"""Any JSON value as its JSON text."""

_SCALARS: dict[Any, tuple[pa.DataType, str]] = {
    str: (pa.string(), "VARCHAR"),
    int: (pa.int64(), "BIGINT"),
    float: (pa.float64(), "DOUBLE"),
    bool: (pa.bool_(), "BOOLEAN"),
    AwareDatetime: (pa.timestamp("us", tz="UTC"), "TIMESTAMPTZ"),
}
"""Each scalar annotation's Arrow type, and DuckDB's name for that type."""
_DUCKDB: dict[pa.DataType, str] = dict(_SCALARS.values())


@cache
def arrow_schema(model: Model) -> pa.Schema:
    """The Arrow schema of ``model``'s records: one column for each field, in order."""
    return pa.schema(
        [
            _field(name, info.annotation, info.description)
            for name, info in model.model_fields.items()
        ]
    )


def arrow_text(model: Model = Article) -> str:
    """:func:`arrow_schema` for people: a line for each column, its type in full."""
    return "\n".join(
        f"{f.name}: {f.type}{'' if f.nullable else ' not null'}" for f in arrow_schema(model)
    )


def article_schema() -> pa.Schema:
    """The schema of the article records: the columns of ``-o FILE.parquet``."""
    return arrow_schema(Article)


def _field(name: str, annotation: Any, description: str | None = None) -> pa.Field:
    inner, nullable = _optional(annotation)
    data_type, encoding = _arrow_type(inner)
    metadata = {b"description": description.encode()} if description else {}
    if encoding is not None:
        metadata[ENCODING] = encoding
    return pa.field(name, data_type, nullable=nullable, metadata=metadata or None)


def _optional(annotation: Any) -> tuple[Any, bool]:
    """``X | None`` → ``(X, True)``; ``X`` → ``(X, False)``."""
    if get_origin(annotation) not in (Union, UnionType):
        return annotation, False
    args = get_args(annotation)
    rest = [a for a in args if a is not NoneType]
    if len(rest) != 1:
        raise TypeError(f"no Arrow column type for the union {annotation!r}")
    return rest[0], len(rest) < len(args)


def _arrow_type(annotation: Any) -> tuple[pa.DataType, bytes | None]:
    """The column type of a (non-optional) annotation, and its :data:`ENCODING` mark."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return _arrow_type(args[0])
    if annotation in _SCALARS:
        return _SCALARS[annotation][0], None
    if origin is Literal and all(isinstance(a, str) for a in args):
        return pa.string(), None
    if annotation is Any or (origin is dict and args[1:] == (Any,)):
        return pa.string(), JSON
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return pa.struct(list(arrow_schema(annotation))), None
    if origin is list:
        return pa.list_(_field("element", args[0])), None
    if origin is dict and args[0] is str:
        key = pa.field("key", pa.string(), nullable=False)
        entry = pa.struct([key, _field("value", args[1])])
        return pa.list_(pa.field("element", entry, nullable=False)), ENTRIES
    raise TypeError(f"no Arrow column type for {annotation!r}")


def _encoding(field: pa.Field) -> bytes | None:
    return (field.metadata or {}).get(ENCODING)


# -- JSON records to rows and back -------------------------------------------------------


def _json_text(value: Any) -> str:
    return orjson.dumps(value).decode()


def _instant(value: Any) -> datetime:
    """A timestamp as JSON holds it (ISO 8601 with an offset) → an aware datetime."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        raise ValueError(f"{value!r} is not a time with a UTC offset")
    return moment


def _same(value: Any) -> Any:
    return value


def _unless_null(convert: Convert) -> Convert:
    return lambda value: None if value is None else convert(value)


def _codec(field: pa.Field, encode: bool) -> Convert | None:
    """How a value of ``field`` goes from JSON to the column (``encode``) or back; None
    where it goes unchanged, so that most of a record is not touched."""
    kind, encoding = field.type, _encoding(field)
    if encoding == JSON:
        return _unless_null(_json_text if encode else orjson.loads)
    if encoding == ENTRIES:
        value = _codec(kind.value_type.field("value"), encode)
        if not encode:
            back = value or _same
            return _unless_null(lambda v: {e["key"]: back(e["value"]) for e in v})
        if value is None:
            return _unless_null(lambda v: list(v.items()))
        each: Convert = value
        return _unless_null(lambda v: [(k, each(x)) for k, x in v.items()])
    if pa.types.is_timestamp(kind):
        return _unless_null(_instant) if encode else None
    if pa.types.is_list(kind):
        item = _codec(kind.value_field, encode)
        return None if item is None else _unless_null(lambda v: [item(x) for x in v])
    if pa.types.is_struct(kind):
        inner = {c.name: convert for c in kind if (convert := _codec(c, encode)) is not None}
        if not inner:
            return None
        return _unless_null(lambda v: v | {name: f(v.get(name)) for name, f in inner.items()})
    return None


@cache
def _row_codec(model: Model, encode: bool) -> Convert:
    """:func:`_codec` of a whole record of ``model``."""
    schema = arrow_schema(model)
    return _codec(pa.field("record", pa.struct(list(schema))), encode) or _same


def to_batch(records: Iterable[dict[str, Any]], model: Model = Article) -> pa.RecordBatch:
    """Records as their JSON lines hold them → one batch of :func:`arrow_schema`'s rows.

    A record field the schema has no column for is an error (it would be dropped); a
    missing one is null."""
    schema, encode = arrow_schema(model), _row_codec(model, True)
    names = set(schema.names)
    rows = []
    for record in records:
        if not record.keys() <= names:
            unknown = sorted(record.keys() - names)
            raise ValueError(f"no column for the field {unknown[0]!r} in {model.__name__}")
        rows.append(encode(record))
    columns = {name: [row.get(name) for row in rows] for name in schema.names}
    return pa.RecordBatch.from_pydict(columns, schema=schema)  # from_pylist is 10x slower


def lines_to_batch(lines: Iterable[str | bytes], model: Model = Article) -> pa.RecordBatch:
    """:func:`to_batch` of JSON lines (what the engines hand the writer)."""
    return to_batch((orjson.loads(line) for line in lines), model)


def records(data: pa.Table | pa.RecordBatch, model: Model = Article) -> list[dict[str, Any]]:
    """Rows of :func:`arrow_schema` back as records ``model`` validates: dicts as dicts,
    JSON as its values, timestamps as aware datetimes (in UTC)."""
    decode = _row_codec(model, False)
    return [decode(row) for row in data.to_pylist()]


# -- the recipes for reading JSON Lines with types ---------------------------------------


def duckdb_type(field: pa.Field) -> str:
    """DuckDB's type for a column of ``field`` read from JSON: an ``entries`` column is
    the JSON object it was, a ``MAP``; a ``json`` column is DuckDB's ``JSON``."""
    kind, encoding = field.type, _encoding(field)
    if encoding == JSON:
        return "JSON"
    if encoding == ENTRIES:
        return f"MAP(VARCHAR, {duckdb_type(kind.value_type.field('value'))})"
    if pa.types.is_list(kind):
        return f"{duckdb_type(kind.value_field)}[]"
    if pa.types.is_struct(kind):
        members = ", ".join(f"{_quoted(c.name)} {duckdb_type(c)}" for c in kind)
        return f"STRUCT({members})"
    return _DUCKDB[kind]


def duckdb_columns(model: Model = Article) -> str:
    """The ``columns=`` struct literal of DuckDB's ``read_json`` for ``model``'s JSON
    Lines: every column typed, nothing sampled."""
    pairs = (f"{_sql(f.name)}: {_sql(duckdb_type(f))}" for f in arrow_schema(model))
    return "{" + ", ".join(pairs) + "}"


def _sql(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _quoted(name: str) -> str:
    """A SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def hf_features(model: Model = Article) -> Any:
    """Hugging Face ``datasets.Features`` for reading ``model``'s JSON Lines with
    ``load_dataset("json", data_files=…, features=…)``: the Arrow schema's types, with
    ``entries`` and ``json`` columns as ``Json()`` (the dicts a JSON line holds).

    Parquet output needs none: its schema says it all. datasets is not a dependency of
    the cleaner; it is imported here, when asked for."""
    try:
        import datasets  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        raise CleanerError("Features need Hugging Face datasets: pip install datasets") from None
    json_feature = getattr(datasets, "Json", None)
    if json_feature is None:
        raise CleanerError(
            f"datasets {datasets.__version__} has no Json feature, which the dict columns "
            "need: pip install -U datasets"
        )
    schema = arrow_schema(model)
    inferred = datasets.Features.from_arrow_schema(schema)

    def feature(field: pa.Field, found: Any) -> Any:
        kind = field.type
        if _encoding(field) is not None:
            return json_feature()
        if pa.types.is_struct(kind):
            return {c.name: feature(c, found[c.name]) for c in kind}
        if pa.types.is_list(kind):
            return dataclasses.replace(found, feature=feature(kind.value_field, found.feature))
        return found

    return datasets.Features({f.name: feature(f, inferred[f.name]) for f in schema})


def article_features() -> Any:
    """:func:`hf_features` of the article records."""
    return hf_features(Article)
