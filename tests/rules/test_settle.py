"""Cleaning is idempotent: what one pass leaves, a second pass finds nothing in.

A cut can make a match: for the rule that cut (its next span now follows a sentence
end), for an earlier rule of the same file (a pager cut puts a credit tail at the
line's end), for a rule file that has already run (the generic rules cut a related
headline after a copyright notice), and for what a site repeats (a rule cut half of a
learned sentence). Each test shows one of these on made-up text, cleaned once, and
then again with nothing left to do. (tests/test_idempotence.py holds the same over the
real corpora.)
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from cleaner import Article, Cleaner
from cleaner.rules.apply import clean_lines
from cleaner.rules.compile import OutletRules
from cleaner.rules.document import Cleaned, Line
from cleaner.rules.load import compile_rule_file
from cleaner.rules.repeats import LEARNED_RULE, Seen, SiteRepeats, apply_repeats, segment_key
from cleaner.text.dates import ZONES

WIB = ZONES["WIB"]

OPENING = (
    "Pemerintah Kota Contoh meresmikan pasar rakyat yang baru selesai dibangun di pusat "
    "kota pada Senin pagi, disaksikan ratusan pedagang dan warga sekitar."
)
MIDDLE = (
    "Pasar dua lantai itu menampung lebih dari tiga ratus kios, los sayur dan ikan, serta "
    "ruang menyusui, dan dibangun dengan anggaran daerah selama dua tahun."
)
CLOSING = (
    "Wali kota berharap pasar itu menjadi pusat ekonomi warga dan menarik pembeli dari "
    "kecamatan lain di sekitarnya."
)


def _rules(tmp_path: Path, body: str) -> OutletRules:
    path = tmp_path / "demo.yaml"
    path.write_text(textwrap.dedent(body).lstrip("\n"), encoding="utf-8")
    return compile_rule_file(path, bundled=False)


def _twice(cleaner: Cleaner, text: str) -> tuple[Article, Article]:
    first = cleaner.clean_text(text)
    assert isinstance(first, Article), first
    again = cleaner.clean_text(first.text)
    assert isinstance(again, Article), again
    return first, again


# --- one file's spans, until none is left ----------------------------------------------


def test_spans_that_follow_one_another_all_go_in_one_pass(tmp_path: Path) -> None:
    """Each span needs a sentence end before it; the span before it ended in one. A
    search that went on from the cut would pass the second span by (its sentence end
    is before the cut); the search starts over instead."""
    rules = _rules(
        tmp_path,
        r"""
        name: Demo
        inline_spans:
          - id: related
            pattern: '[.!?]\s+(?P<cut>Baca juga: [^.]{3,80}\.)'
        """,
    )
    line = (
        "Harga beras naik sepekan terakhir. Baca juga: Petani Contoh Panen Raya. Baca juga: "
        "Gudang Bulog Penuh. Baca juga: Pasar Induk Ramai. Pedagang menahan stok."
    )
    doc = clean_lines(line, [rules], WIB)
    assert doc.text == "Harga beras naik sepekan terakhir. Pedagang menahan stok."
    assert doc.hits["demo/related"] == 3
    assert clean_lines(doc.text, [rules], WIB).text == doc.text


def test_a_later_span_rule_brings_back_an_earlier_one(tmp_path: Path) -> None:
    """The tail rule runs first and needs a sentence end right before the credit; the
    pager between them goes only with the second rule. The rules go round again."""
    rules = _rules(
        tmp_path,
        r"""
        name: Demo
        inline_spans:
          - id: credit-tail
            pattern: '[.!?]\s*(?P<cut>Editor\s?:\s?[A-Z][^\n]{0,100})$'
          - id: pager
            pattern: '(?P<cut>Halaman(?:\s+\d+)+)(?:\s|$)'
        """,
    )
    doc = clean_lines(f"{CLOSING} Halaman 1 2 3 Editor : Rina Wulandari", [rules], WIB)
    assert doc.text == CLOSING
    assert doc.hits == {"demo/pager": 1, "demo/credit-tail": 1}


def test_three_inline_related_links_in_a_collapsed_line_go_in_one_pass(cleaner: Cleaner) -> None:
    collapsed = (
        f"{OPENING} Baca juga: Jembatan Gantung Desa Contoh Rampung Dibangun Pedagang "
        "menempati kios sesuai undian. BACA JUGA: Harga Cabai di Pasar Induk Turun Tajam "
        "Kios daging berada di lantai dua. Baca Juga : Terminal Kota Contoh Padat Jelang "
        f"Lebaran {CLOSING}"
    )
    first, again = _twice(cleaner, collapsed)
    assert "baca juga" not in first.text.casefold()
    assert first.cleaning.rule_hits["generic/inline-related-links"] == 3
    assert again.text == first.text


def test_a_pager_before_the_credits_takes_the_credits_with_it(cleaner: Cleaner) -> None:
    first, again = _twice(cleaner, f"{OPENING} {CLOSING} Halaman 1 2 3 Editor : Rina Wulandari")
    assert first.text == f"{OPENING} {CLOSING}"
    assert again.text == first.text


def test_a_copyright_tail_too_long_until_its_end_is_cut_goes_too(cleaner: Cleaner) -> None:
    """The copyright notice is more than the tail rule's 120 characters from the line's
    end until the rule has cut the notice after it; then it is within reach."""
    footer = (
        "©2025 Grup Kabar Contoh. Hak Cipta Dilindungi. Kabar Contoh tidak memberikan saran "
        "hukum, keuangan, atau medis dalam bentuk apa pun."
    )
    first, again = _twice(cleaner, f"{OPENING} {CLOSING} {footer}")
    assert first.text == f"{OPENING} {CLOSING}"
    assert again.text == first.text


# --- rule files that have already run look again ----------------------------------------


def test_a_generic_cut_lets_a_lexicon_tail_rule_reach_the_end(cleaner: Cleaner) -> None:
    """The lexicon's copyright tail runs before the generic heuristic that cuts the
    related headline closing the line; once it is cut, the notice ends the line."""
    headline = (
        "Pemerintah Kota Contoh Resmikan Jembatan Baru Penghubung Dua Kecamatan Setelah "
        "Tiga Tahun Pembangunan Yang Panjang"
    )
    first, again = _twice(
        cleaner, f"{OPENING} {CLOSING} Copyright © 2025 Kabar Contoh Baca Juga: {headline}"
    )
    assert first.text == f"{OPENING} {CLOSING}"
    assert first.cleaning.rule_hits == {
        "generic/inline-related-links": 1,
        "lexicon/copyright-tail": 1,
    }
    assert again.text == first.text


# --- what a site repeats, and what the rules left of it ----------------------------------


def _table(*sentences: str) -> SiteRepeats:
    seen = []
    for sentence in sentences:
        key = segment_key(sentence)
        assert key is not None
        seen.append(Seen(docs=30, site_docs=40, sample=sentence, key=key))
    return SiteRepeats({"kabar-contoh.id": seen})


def _learned(cleaner: Cleaner, text: str, table: SiteRepeats) -> Cleaned:
    doc = clean_lines(text, cleaner.rulebook.chain(None), WIB)
    apply_repeats(doc, "kabar-contoh.id", table)
    return doc


def test_what_a_rule_left_of_a_learned_sentence_goes_with_it(cleaner: Cleaner) -> None:
    """The site repeats the promo as one sentence (the learning pass counts the text
    before the rules; a line this long is counted by sentences); the lexicon cuts its
    Google News half, and the rest no longer has the learned key. It is found in the
    line's original text and goes too."""
    promo = (
        "Cek Berita dan Artikel lainnya di Google News Temukan Berita Terkini kami di "
        "WhatsApp Channel Sumber:"
    )
    body = f"{OPENING} {MIDDLE} {CLOSING}"
    doc = _learned(cleaner, f"{body} {promo}", _table(promo))
    assert doc.text == body
    assert doc.hits[LEARNED_RULE] == 1
    assert doc.learned[1] == ["seen in 30 of 40 documents of kabar-contoh.id"]


def test_the_rules_look_again_after_a_learned_cut(cleaner: Cleaner) -> None:
    """The learned disclaimer closing the line kept the copyright notice out of the
    tail rule's reach; once the table cut it, the rule takes the notice."""
    disclaimer = (
        "Segala risiko dari keputusan yang diambil berdasarkan informasi dalam artikel ini "
        "berada di luar tanggung jawab redaksi Kabar Contoh."
    )
    body = f"{OPENING} {MIDDLE} {CLOSING}"
    doc = _learned(
        cleaner, f"{body} Copyright © 2025 Kabar Contoh. {disclaimer}", _table(disclaimer)
    )
    assert doc.text == body
    assert doc.hits["lexicon/copyright-tail"] == 1


# --- where a line's text comes from ------------------------------------------------------


@given(
    words=st.lists(st.sampled_from(["Harga", "beras", "naik.", "Baca", "juga:", "  ", "pasar"])),
    cuts=st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), max_size=6),
)
def test_a_cut_line_knows_where_each_piece_of_its_text_comes_from(
    words: list[str], cuts: list[tuple[float, float]]
) -> None:
    original = " ".join(words) or "Harga"
    line = Line(1, original, original)
    doc = Cleaned([line])
    for a, b in cuts:
        if line.removed_by is not None:
            break
        start, end = sorted((int(a * len(line.text)), int(b * len(line.text))))
        if start == end:
            continue
        doc.cut(line, start, end, "demo/cut")
        pieces = line.pieces()
        assert line.text == " ".join(original[x:y] for x, y in pieces) or not line.text
        for x, y in pieces:
            found = line.in_text(x, y)
            assert found is not None
            assert line.text[found[0] : found[1]] == original[x:y]
