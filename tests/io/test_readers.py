"""Reading a JSONL record's fields: flat, datatrove's and dolma's ``metadata``, mapped keys
(cleaner/io/readers.py, ``ReadConfig.keys`` in cleaner/config.py)."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from cleaner.config import INPUT_FIELDS, InputKeys, ReadConfig, keys_given
from cleaner.io.readers import READERS, jsonl_record, reader_of
from cleaner.models import RawDocument, Reject

TEXT = "Isi berita yang dibaca."


def read(record: Any, **keys: str | tuple[str, ...]) -> RawDocument:
    """``record`` as one JSONL line, read with ``keys`` changed."""
    line = json.dumps(record, ensure_ascii=False).encode()
    doc = jsonl_record(line, "berkas.jsonl:1", InputKeys.model_validate(keys))
    assert isinstance(doc, RawDocument), doc
    return doc


# --- flat records ---------------------------------------------------------------------------


def test_a_flat_records_fields_are_read_and_leave_extra() -> None:
    doc = read(
        {
            "id": "b-1",
            "url": "https://kabar-contoh.id/a/1",
            "title": " Jembatan Gantung Diperbaiki ",
            "date": "2020-10-31T19:02:00+07:00",
            "authors": "Reni Erina",
            "outlet": "rmol",
            "text": TEXT,
            "lang": "id",
        }
    )
    assert doc.data == TEXT
    assert doc.url == "https://kabar-contoh.id/a/1"
    assert doc.meta == {
        "id": "b-1",
        "outlet": "rmol",
        "published_at": "2020-10-31T19:02:00+07:00",
        "title": "Jembatan Gantung Diperbaiki",
        "authors": "Reni Erina",
        "extra": {"lang": "id"},
    }


@pytest.mark.parametrize("key", ["published_at", "date", "published"])
def test_each_usual_date_key_gives_published_at(key: str) -> None:
    assert read({"text": TEXT, key: "31/10/2020"}).meta["published_at"] == "31/10/2020"


def test_published_at_is_read_before_date() -> None:
    doc = read({"text": TEXT, "date": "1/1/2020", "published_at": "2/2/2020"})
    assert doc.meta["published_at"] == "2/2/2020"


@pytest.mark.parametrize(
    ("authors", "read_as"),
    [
        ("Reni Erina, Budi", "Reni Erina, Budi"),
        (["Reni Erina", " Budi Santoso "], "Reni Erina; Budi Santoso"),
        (["Reni Erina", "  "], "Reni Erina"),
    ],
)
def test_authors_are_a_string_or_a_list_of_strings(authors: Any, read_as: str) -> None:
    assert read({"text": TEXT, "authors": authors}).meta["authors"] == read_as


def test_author_in_the_singular_is_read_too() -> None:
    assert read({"text": TEXT, "author": "Ani"}).meta["authors"] == "Ani"


def test_empty_fields_are_read_as_nothing_and_leave_extra() -> None:
    doc = read({"text": TEXT, "title": "", "date": None, "authors": [], "url": "  "})
    assert doc.meta == {}
    assert doc.url is None


def test_values_of_the_wrong_type_are_ignored_and_stay_in_extra() -> None:
    odd = {
        "title": 42,
        "authors": {"nama": "Ani"},
        "url": ["https://a.id/"],
        "published_at": True,
        "id": 4.5,
        "metadata": "bukan objek",
    }
    doc = read({"text": TEXT, **odd})
    assert doc.url is None
    assert doc.meta == {"extra": odd}


def test_a_list_of_authors_holding_other_things_is_not_read() -> None:
    doc = read({"text": TEXT, "authors": ["Ani", 7]})
    assert "authors" not in doc.meta
    assert doc.meta["extra"] == {"authors": ["Ani", 7]}


def test_a_domain_field_is_read_and_still_passed_on() -> None:
    doc = read({"text": TEXT, "outlet_domain": "kabar-contoh.id"})
    assert doc.meta["domain"] == "kabar-contoh.id"
    assert doc.meta["extra"] == {"outlet_domain": "kabar-contoh.id"}


# --- datatrove and dolma --------------------------------------------------------------------


def test_a_datatrove_documents_metadata_is_read() -> None:
    doc = read(
        {
            "text": TEXT,
            "id": "<urn:uuid:1>",
            "metadata": {
                "url": "https://kabar-contoh.id/a/2",
                "date": "2024-06-03T10:11:12Z",
                "title": "Harga Beras Turun",
                "author": "Ani",
                "dump": "CC-MAIN-2024-26",
            },
        }
    )
    assert doc.url == "https://kabar-contoh.id/a/2"
    assert doc.meta["title"] == "Harga Beras Turun"
    assert doc.meta["authors"] == "Ani"
    # datatrove's metadata.date is the crawl's WARC-Date, not when the story was published
    assert "published_at" not in doc.meta
    assert doc.meta["extra"] == {
        "metadata": {"date": "2024-06-03T10:11:12Z", "dump": "CC-MAIN-2024-26"}
    }


def test_a_dolma_documents_crawl_times_are_not_publication_dates() -> None:
    doc = read(
        {
            "id": "d-1",
            "text": TEXT,
            "source": "kabar-crawl",
            "added": "2024-06-05T00:00:00Z",
            "created": "2024-06-01T00:00:00Z",
            "metadata": {"url": "https://kabar-contoh.id/a/3", "published": "3 Juni 2024"},
        }
    )
    assert doc.url == "https://kabar-contoh.id/a/3"
    assert doc.meta["published_at"] == "3 Juni 2024"
    assert doc.meta["extra"] == {
        "source": "kabar-crawl",
        "added": "2024-06-05T00:00:00Z",
        "created": "2024-06-01T00:00:00Z",
    }


def test_a_flat_field_wins_over_the_one_in_metadata() -> None:
    doc = read({"text": TEXT, "title": "Datar", "metadata": {"title": "Bersarang"}})
    assert doc.meta["title"] == "Datar"


# --- mapped keys ----------------------------------------------------------------------------


def test_mapped_keys_read_other_names_and_dotted_paths() -> None:
    doc = read(
        {
            "content": TEXT,
            "headline": "Judul Lain",
            "meta": {"when": {"published": "2020-10-31T19:02:00+07:00"}, "lain": 1},
            "link": "https://kabar-contoh.id/a/4",
            "uid": 7,
            "title": "Tidak dipakai",
        },
        text="content",
        title="headline",
        published_at="meta.when.published",
        url="link",
        id="uid",
    )
    assert doc.data == TEXT
    assert doc.url == "https://kabar-contoh.id/a/4"
    assert doc.meta["id"] == "7"
    assert doc.meta["title"] == "Judul Lain"
    assert doc.meta["published_at"] == "2020-10-31T19:02:00+07:00"
    # a key no longer mapped is just another key; the emptied objects go
    assert doc.meta["extra"] == {"meta": {"lain": 1}, "title": "Tidak dipakai"}


def test_a_key_holding_a_dot_is_found_before_the_path() -> None:
    record = {"text": TEXT, "meta.title": "Utuh", "meta": {"title": "Bersarang"}}
    doc = read(record, title="meta.title")
    assert doc.meta["title"] == "Utuh"
    assert doc.meta["extra"] == {"meta": {"title": "Bersarang"}}


def test_several_paths_are_tried_in_turn() -> None:
    keys = ("headline", "metadata.title")
    assert read({"text": TEXT, "metadata": {"title": "B"}}, title=keys).meta["title"] == "B"
    assert read({"text": TEXT, "headline": "A", "metadata": {}}, title=keys).meta["title"] == "A"


def test_a_field_given_no_path_is_not_read() -> None:
    doc = read({"text": TEXT, "date": "19/03/2025"}, published_at="")
    assert "published_at" not in doc.meta
    assert doc.meta["extra"] == {"date": "19/03/2025"}


def test_without_the_mapped_text_key_the_record_is_missing_text_naming_it() -> None:
    line = json.dumps({"text": TEXT}).encode()
    reject = jsonl_record(line, "f:1", InputKeys(text="body"))
    assert isinstance(reject, Reject)
    assert reject.reason == "missing_text"
    assert "`body` or `html`" in reject.detail


def test_the_jsonl_reader_of_a_configuration_reads_with_its_keys() -> None:
    stream = io.BytesIO(b'{"isi": "Satu.", "judul": "Pertama"}\n')
    config = ReadConfig(keys={"text": "isi", "title": "judul"})
    (doc,) = reader_of("jsonl", config)(stream, "f", 1000)
    assert isinstance(doc, RawDocument)
    assert (doc.data, doc.meta) == ("Satu.", {"title": "Pertama"})
    assert reader_of("text", config) is READERS["text"]


# --- the key table --------------------------------------------------------------------------


def test_a_partial_mapping_keeps_the_other_fields_defaults() -> None:
    keys = ReadConfig(keys={"title": "headline"}).keys
    assert keys.title == ("headline",)
    usual = InputKeys()
    assert [keys.of(f) for f in INPUT_FIELDS if f != "title"] == [
        usual.of(f) for f in INPUT_FIELDS if f != "title"
    ]
    assert hash(ReadConfig(keys=keys)) == hash(ReadConfig(keys={"title": ("headline",)}))


@pytest.mark.parametrize(
    "keys",
    [{"judul": "x"}, {"title": "a..b"}, {"title": ".a"}, {"text": "", "html": ()}],
)
def test_a_bad_mapping_is_refused(keys: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        ReadConfig(keys=keys)


def test_key_options_are_read_as_the_command_line_writes_them() -> None:
    options = ["title=headline", "published_at=", "url= link , metadata.url", "title=judul"]
    assert keys_given(options) == InputKeys(
        url=("link", "metadata.url"),
        title=("judul",),  # the last for a field wins
        published_at=(),
    )


@pytest.mark.parametrize(
    ("option", "said"),
    [
        ("judul=x", "judul=x: give FIELD=PATH, FIELD one of text, html, id, url, title,"),
        ("title", "title: give FIELD=PATH"),
        ("title=a..b", "title: 'a..b' is not a key or a dotted path"),
        ("text=", "text and html cannot both go unread"),
    ],
)
def test_a_bad_key_option_says_what_is_wrong(option: str, said: str) -> None:
    options = [option, "html="] if option == "text=" else [option]
    with pytest.raises(ValueError, match="^" + re.escape(said)):
        keys_given(options)


def test_the_keys_survive_a_round_trip_through_json() -> None:
    config = ReadConfig(keys={"title": ("headline", "metadata.title"), "published_at": ""})
    assert ReadConfig.model_validate_json(config.model_dump_json()) == config


# --- never a crash --------------------------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["title", "url", "date", "x"]), children, max_size=3)
    ),
    max_leaves=10,
)


@given(
    st.dictionaries(
        st.sampled_from(["text", "title", "authors", "date", "url", "id", "metadata", "y"]),
        JSON,
        max_size=6,
    )
)
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # a loaded CI machine
def test_any_json_object_is_a_document_or_a_reject(record: dict[str, Any]) -> None:
    line = json.dumps(record).encode()
    result = jsonl_record(line, "f:1")
    assert isinstance(result, RawDocument | Reject)
    if isinstance(result, RawDocument):
        assert all(isinstance(v, str) for k, v in result.meta.items() if k != "extra")
