"""The five seed documents, checked against what the project was founded to do.

The golden tests (test_fixtures.py) pin every field; these tests state the intent in
words a reader can check against the issue: which lines leave, which stay, which
fields are read.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from cleaner import Article, Cleaner, RawDocument, Reject
from tests.conftest import FIXTURES

WIB = timezone(timedelta(hours=7))


def lines_of(path_glob: str) -> list[str]:
    (path,) = FIXTURES.glob(path_glob)
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def clean(cleaner: Cleaner, path_glob: str) -> Article:
    (path,) = FIXTURES.glob(path_glob)
    result = cleaner.clean_text(path.read_text(encoding="utf-8"), source=path.name)
    assert isinstance(result, Article), result
    return result


def test_tribunnews_drops_lead_in_and_related_links_keeps_the_rest(cleaner: Cleaner) -> None:
    raw = lines_of("tribunnews/000_*.txt")
    article = clean(cleaner, "tribunnews/000_*.txt")
    expected = [raw[0].removeprefix("TRIBUNNEWS.COM -- ")]
    expected += [line for line in raw[1:] if not line.startswith("Baca juga:")]
    assert len(expected) == 14  # 16 lines: the first shortened, two Baca juga gone
    assert article.text.split("\n") == expected
    assert "TRIBUNNEWS.COM" not in article.text
    assert "Baca juga" not in article.text
    assert article.outlet == "tribunnews"
    assert article.cleaning.rule_hits == {"tribunnews/lead-in": 1, "lexicon/related-link": 2}


def test_sindonews_fields_and_boilerplate(cleaner: Cleaner) -> None:
    article = clean(cleaner, "sindonews/001_*.txt")
    assert article.title == (
        "Meski Sekutu Rusia, Armenia Minta AS Ikut Campur Hentikan Agresi Azerbaijan"
    )
    assert article.published_at == datetime(2023, 9, 20, 9, 4, tzinfo=WIB)
    assert article.published_at.isoformat() == "2023-09-20T09:04:00+07:00"
    assert article.dateline == "YEREVAN"
    paragraphs = article.text.split("\n")
    assert len(paragraphs) == 12
    assert paragraphs[0].startswith("Armenia pada Rabu (20/9/2023) meminta")
    assert (
        paragraphs[-1]
        == "Sedangkan Armenia menuduh Azerbaijan melakukan agresi yang tidak beralasan."
    )
    for gone in [
        "loading...",
        "Meski Sekutu Rusia,...",
        "Foto/REUTERS",
        "A A A",
        "(mas)",
        "Dapatkan berita terkini",
        "Baca Berita Terkait Lainnya",
        "Copyright",
        "All Rights Reserved",
        "rendering in",
        "YEREVAN -",
    ]:
        assert gone not in article.text, gone
    assert article.image_credit == "Foto/REUTERS"
    assert article.image_caption is not None
    assert article.image_caption.startswith("Meski menjadi sekutu Rusia")
    assert article.editor_initials == "mas"


def test_idntimes_title_subtitle_dateline_and_kept_subheadings(cleaner: Cleaner) -> None:
    raw = lines_of("idntimes/002_*.txt")
    article = clean(cleaner, "idntimes/002_*.txt")
    assert article.title == raw[0]
    assert article.subtitle == raw[1]
    assert article.dateline == "Jakarta"
    paragraphs = article.text.split("\n")
    assert paragraphs[0].startswith("Belasan orang dilaporkan tewas")
    assert "IDN Times" not in article.text
    assert "Baca Juga" not in article.text
    assert "Topik" not in article.text
    assert "Deti Mega Purnamasari" not in article.text
    assert "Berita Terkini Lainnya" not in article.text
    subheadings = [p for p in paragraphs if p[:2] in {"1.", "2.", "3."}]
    assert subheadings == [
        "1. Rusia bantu evakuasi warga",
        "2. Azerbaijan gempur wilayah pegunungan Nagorno-Karabakh",
        "3. Konflik Azerbaijan-Armenia membara lagi",
    ]
    assert article.cleaning.rule_hits["lexicon/related-link"] == 4


def test_unknown_outlet_keeps_every_line_exactly(cleaner: Cleaner) -> None:
    raw = lines_of("generic/003_*.txt")
    article = clean(cleaner, "generic/003_*.txt")
    assert len(raw) == 17
    assert article.text.split("\n") == raw
    assert article.outlet is None
    assert article.cleaning.rule_hits == {}
    assert article.title is None


def test_rmol_fields_and_popular_lists(cleaner: Cleaner) -> None:
    raw = lines_of("rmol/004_*.txt")
    article = clean(cleaner, "rmol/004_*.txt")
    assert article.title == (
        "Armenia Kirim Surat Untuk Putin, Minta Moskow Turun Tangan Soal Nagorno-Karabakh"
    )
    assert article.published_at is not None
    assert article.published_at.isoformat() == "2020-10-31T19:02:00+07:00"
    assert article.authors == ["Reni Erina"]
    assert article.category == "Dunia"
    paragraphs = article.text.split("\n")
    assert len(paragraphs) == 22
    start = raw.index(paragraphs[0])
    end = raw.index("Populer")
    assert paragraphs == raw[start:end]
    assert raw[:start][:2] == ["Berita", "Ilustrasi/Net"]
    for gone in ["Populer", "UPDATE", "Selengkapnya", "Desember 2025", "Ilustrasi/Net"]:
        assert gone not in article.text, gone


@pytest.mark.parametrize("outlet", ["tribunnews", "sindonews", "idntimes", "rmol"])
def test_every_removed_line_names_a_rule_of_the_outlet_lexicon_or_generic(
    cleaner: Cleaner, outlet: str
) -> None:
    (path,) = FIXTURES.glob(f"{outlet}/0*.txt")
    doc = RawDocument(source=path.name, data=path.read_bytes())
    prepared = cleaner.prepare(doc)
    assert not isinstance(prepared, Reject)
    cleaned = cleaner.apply(prepared)
    assert prepared.detection.outlet == outlet
    known = {
        rule.id
        for rules in cleaner.rulebook.chain(cleaner.rulebook.outlets[outlet])
        for group in (
            rules.drop_blocks,
            rules.drop_lines,
            rules.fields,
            rules.strip_prefixes,
            rules.strip_suffixes,
            rules.heuristics,
        )
        for rule in group
    }
    removed = [line for line in cleaned.lines if line.removed_by is not None]
    assert removed
    assert {line.removed_by for line in removed} <= known
    for line in cleaned.lines:
        if line.removed_by is None:
            assert line.text in line.original  # kept text is the input's, at most shortened
