"""Stage 2: decoding bytes and normalizing the text (cleaner/normalize.py)."""

from __future__ import annotations

import codecs
import random
import sys
import typing
import unicodedata
import zlib

import ftfy
import pytest
from ftfy.badness import MOJIBAKE_CATEGORIES, is_bad
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cleaner.config import RepairConfig
from cleaner.text.html import decode_html
from cleaner.text.normalize import (
    DecodeError,
    NormalizedTexts,
    _entities_only,
    _is_normalized,
    _repair,
    _Scan,
    decode,
    looks_bad,
    may_interact,
    needs_repair,
    normalize,
)

TEXT = "Presiden “Jokowi” berkata: café buka – 20% lebih murah."
# A paragraph of Indonesian news text in Windows-1252: mostly ASCII, a few typographic marks.
CP1252_TEXT = (
    "“Kami sudah bekerja keras,” ujar Menteri Keuangan di Jakarta. "
    "Café di Bandung ramai pengunjung – terutama saat akhir pekan."
)


def _norm(text: str) -> str:
    return normalize(text, RepairConfig())


# --- decode ------------------------------------------------------------------------------


def test_decode_plain_utf8() -> None:
    assert decode(TEXT.encode("utf-8")) == (TEXT, "utf-8")


def test_decode_utf8_with_bom_drops_the_bom() -> None:
    assert decode(codecs.BOM_UTF8 + TEXT.encode("utf-8")) == (TEXT, "utf-8")


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_decode_follows_the_byte_order_mark(bom: bytes, codec: str) -> None:
    assert decode(bom + TEXT.encode(codec)) == (TEXT, codec)


def test_decode_utf32_le_bom_is_not_mistaken_for_utf16_le() -> None:
    # The UTF-32 LE mark starts with the UTF-16 LE mark; decoding as UTF-16 would yield NULs.
    text, encoding = decode(codecs.BOM_UTF32_LE + "Halo".encode("utf-32-le"))
    assert encoding == "utf-32-le"
    assert text == "Halo"


def test_decode_bom_followed_by_invalid_bytes_raises_decode_error() -> None:
    with pytest.raises(DecodeError, match="utf-8 byte-order mark"):
        decode(codecs.BOM_UTF8 + b"\xff\xfe broken")


def test_decode_cp1252_bytes_are_decoded_to_the_original_text() -> None:
    text, encoding = decode(CP1252_TEXT.encode("cp1252"))
    assert text == CP1252_TEXT
    assert encoding != "utf-8"


def test_decode_cp1252_letters_that_other_code_pages_read_differently() -> None:
    # ï è û are 0xEF 0xE8 0xFB: cp1250 (a common wrong guess) reads them as ď č ű.
    original = CP1252_TEXT + " Menu: crème brûlée yang naïve."
    text, _ = decode(original.encode("cp1252"))
    assert text == original


def test_decode_short_cp1252_text_with_several_accents() -> None:
    # Observed: charset-normalizer guesses cp1125 here and returns "Cafщ Ц Menu".
    original = "Café – Menu"
    text, _ = decode(original.encode("cp1252"))
    assert text == original


def test_decode_falls_back_to_charset_normalizer_for_other_code_pages() -> None:
    original = "«Привет мир» это тест на кодировку windows-1251 с большим количеством текста."
    text, encoding = decode(original.encode("cp1251"))
    assert text == original
    assert encoding == "cp1251"


@pytest.mark.parametrize(
    "data",
    [bytes(range(256)), b"\x00\x01\x02\xff\xfe\xfd" * 50],
    ids=["all-byte-values", "binary-garbage"],
)
def test_decode_binary_bytes_raise_decode_error(data: bytes) -> None:
    # Observed: DecodeError; the message has been "charset-normalizer found no encoding"
    # and, in the newer code, "binary data: holds NUL or other control bytes".
    with pytest.raises(DecodeError):
        decode(data)


def test_decode_error_is_a_value_error() -> None:
    assert issubclass(DecodeError, ValueError)


def test_decode_empty_bytes_is_empty_utf8_text() -> None:
    assert decode(b"") == ("", "utf-8")


# --- decode: UTF-8 with a few bad bytes, stray NULs (issue 16) ----------------------------

QUOTED = "“Sri Mulyani” menyebut harga beras turun – kata pedagang di Cipinang. "


@pytest.mark.parametrize(
    ("data", "replaced"),
    [
        (QUOTED.encode() * 3 + b"\xff", 1),  # a stray byte at the end
        (QUOTED.encode().replace(b"beras", b"beras \xe9") * 2, 2),  # a cp1252 é, twice
        (b"\xfe\xe9" + QUOTED.encode() * 2 + b"\x80", 3),  # at the start, and a lone \x80
        (QUOTED.encode() * 2 + "é".encode()[:1], 1),  # cut in the middle of a character
    ],
)
def test_decode_utf8_with_a_few_bad_bytes_replaces_them_and_keeps_the_rest(
    data: bytes, replaced: int
) -> None:
    # was: charset-normalizer's mac_iceland, “Sri Mulyani” as ‚ÄúSri Mulyani‚Äù
    text, encoding = decode(data)
    assert "“Sri Mulyani”" in text
    assert "‚Ä" not in text
    assert text.count("\ufffd") == replaced
    assert text.replace("\ufffd", "") == data.decode("utf-8", "ignore")
    assert encoding == f"utf-8 ({replaced} byte{'s' if replaced > 1 else ''} replaced)"


def test_decode_long_utf8_may_have_bad_bytes_under_one_percent_of_its_non_ascii() -> None:
    # 12 bad bytes among ~4,800 non-ASCII bytes: more than 8, but under 1 %
    data = b"\x81".join([QUOTED.encode() * 50] * 13)
    text, encoding = decode(data)
    assert encoding == "utf-8 (12 bytes replaced)"
    assert text.count("“Sri Mulyani”") == 650


def test_decode_does_not_call_many_bad_bytes_utf8() -> None:
    # 9 bad bytes are more than 8 and more than 1 % of the non-ASCII bytes here
    data = QUOTED.encode() * 3 + b" caf\xe9" * 9
    assert not decode(data)[1].startswith("utf-8")


def test_decode_windows_1252_with_a_pair_that_happens_to_be_utf8_stays_cp1252() -> None:
    # "É”" is C9 94 in Windows-1252: a valid UTF-8 sequence (U+0254); three é are not
    original = "KAFÉ” di Bandung: café, café, café ramai pengunjung akhir pekan."
    assert decode(original.encode("cp1252")) == (original, "cp1252")


@pytest.mark.parametrize("charset", ["utf-8", "UTF8", None])
def test_decode_html_declared_or_undeclared_utf8_with_a_stray_byte(charset: str | None) -> None:
    page = "<html><head><meta charset=utf-8></head><body><p>" + QUOTED + "</p></body></html>"
    data = page.encode().replace(b"beras", b"beras\xff")
    text, encoding = decode_html(data, charset)
    assert text == page.replace("beras", "beras\ufffd")
    assert encoding == "utf-8 (1 byte replaced)"


def test_decode_html_declared_utf8_that_is_windows_1252_is_still_cp1252() -> None:
    page = "<html><head><meta charset=utf-8></head><body><p>“Kami siap,” kata café.</p>"
    assert decode_html(page.encode("cp1252"), "utf-8") == (page, "cp1252")


def test_decode_text_with_stray_nul_bytes_is_text_and_normalization_drops_them() -> None:
    # was: "binary data" (12 NULs in 1 KB passed the 1 % bound on control bytes)
    data = (b"Berita hari ini.\x00 " * 12) + b"Harga beras turun. " * 40
    text, encoding = decode(data)
    assert encoding == "utf-8"
    assert "\x00" not in _norm(text)
    assert _norm(text).startswith("Berita hari ini. Berita hari ini.")


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,  # an image
        zlib.compress(bytes(random.Random(16).randbytes(4000))),  # a zip's compressed data
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + random.Random(7).randbytes(2000),
        b"Teks\x00" * 200 + b"\x00" * 400,  # mostly NUL
    ],
    ids=["png", "deflate", "zip", "nul-heavy"],
)
def test_decode_binary_data_is_still_binary(data: bytes) -> None:
    with pytest.raises(DecodeError, match="binary"):
        decode(data)


def test_decode_utf16_without_bom_is_still_told_by_its_nuls() -> None:
    assert decode(TEXT.encode("utf-16-le")) == (TEXT, "utf-16-le")


# --- normalize: line endings and line numbers ---------------------------------------------


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\u2028", "\u2029"])
def test_normalize_unifies_line_endings(newline: str) -> None:
    assert _norm(f"satu{newline}dua{newline}tiga") == "satu\ndua\ntiga"


def test_normalize_keeps_blank_lines_so_line_numbers_stay_meaningful() -> None:
    raw = "judul\r\n\r\n  \r\n\u00a0\r\nparagraf pertama\r\n\r\nparagraf kedua"
    result = _norm(raw)
    assert result.split("\n") == ["judul", "", "", "", "paragraf pertama", "", "paragraf kedua"]


def test_normalize_preserves_the_number_of_lines() -> None:
    raw = "a\n\n\u200b\n\x00\nb\n"
    assert _norm(raw).count("\n") == raw.count("\n")


# --- normalize: ftfy repairs ----------------------------------------------------------------


def test_normalize_repairs_double_encoded_utf8() -> None:
    assert _norm("â€œHaloâ€\x9d") == "“Halo”"


def test_normalize_repairs_latin1_mojibake_of_accented_letter() -> None:
    assert _norm("cafÃ© di Jakarta") == "café di Jakarta"


def test_normalize_repairs_latin1_mojibake_whose_last_byte_is_0x85() -> None:
    # "😅" is F0 9F 98 85 in UTF-8; read as Latin-1 its last byte becomes U+0085,
    # which must be repaired back by ftfy, not taken for a line break first.
    mojibake = "Lucu 😅 sekali".encode().decode("latin-1")
    assert _norm(mojibake) == "Lucu 😅 sekali"


def test_normalize_turns_c1_ellipsis_into_an_ellipsis_not_a_line_break() -> None:
    # U+0085 in scraped text is a cp1252 "…" read as Latin-1 (fix_c1_controls is on).
    assert _norm("Tunggu\x85 katanya") == "Tunggu… katanya"


def test_normalize_keeps_curly_quotes() -> None:
    assert _norm("“Halo,” katanya. ‘Ya’") == "“Halo,” katanya. ‘Ya’"


def test_repair_config_does_not_uncurl_quotes_by_default() -> None:
    assert RepairConfig().uncurl_quotes is False
    assert RepairConfig().to_ftfy().uncurl_quotes is False


def test_normalize_uncurls_quotes_when_configured() -> None:
    assert normalize("“Halo”", RepairConfig(uncurl_quotes=True)) == '"Halo"'


def test_normalize_decodes_html_entities_when_text_has_no_tag() -> None:
    assert _norm("&#34;Halo&#34; &amp; selamat&nbsp;pagi") == '"Halo" & selamat pagi'


def test_normalize_leaves_entities_alone_when_text_holds_markup() -> None:
    assert _norm("<b>&#34;Halo&#34;</b>") == "<b>&#34;Halo&#34;</b>"


def test_normalize_removes_terminal_escapes() -> None:
    assert _norm("\x1b[31mMerah\x1b[0m") == "Merah"


# --- normalize: invisible and control characters --------------------------------------------


def test_normalize_removes_nul_and_control_characters() -> None:
    assert _norm("a\x00b\x07c\x1bd\x7fe\x1cf") == "abcdef"


@pytest.mark.parametrize(
    "invisible",
    ["\u200b", "\u200c", "\u2060", "\ufeff", "\u00ad", "\u180e"],
    ids=["zwsp", "zwnj", "word-joiner", "bom", "soft-hyphen", "mongolian-vowel-sep"],
)
def test_normalize_removes_invisible_characters(invisible: str) -> None:
    assert _norm(f"peme{invisible}rintah") == "pemerintah"


def test_normalize_keeps_zero_width_joiner() -> None:
    family = "👨\u200d👩\u200d👧"
    assert _norm(f"Keluarga {family}") == f"Keluarga {family}"


# --- normalize: spaces and Unicode form -----------------------------------------------------


@pytest.mark.parametrize(
    "space",
    ["\u00a0", "\u2009", "\u202f", "\u3000", "\t", "\u2002", "  \u00a0 \t"],
    ids=["nbsp", "thin", "narrow-nbsp", "ideographic", "tab", "en-space", "mixed-run"],
)
def test_normalize_turns_any_space_run_into_one_ascii_space(space: str) -> None:
    assert _norm(f"Jakarta{space}Pusat") == "Jakarta Pusat"


def test_normalize_strips_trailing_and_leading_spaces_on_every_line() -> None:
    assert _norm("  satu  \ndua\u00a0\u00a0\n\ttiga\t") == "satu\ndua\ntiga"


def test_normalize_composes_to_nfc() -> None:
    result = _norm("Soekarno berkata: cafe\u0301")
    assert result == "Soekarno berkata: caf\u00e9"
    assert len(result) == len("Soekarno berkata: café")


def test_normalize_nfkc_when_configured() -> None:
    assert normalize("x\u00b2", RepairConfig(normalization="NFKC")) == "x2"


def test_normalize_fixes_latin_ligatures_and_full_width_letters() -> None:
    assert _norm("\ufb01nal ＡＢＣ") == "final ABC"


def test_normalize_accepts_a_prebuilt_ftfy_config() -> None:
    repair = RepairConfig()
    assert normalize("â€œHaloâ€\x9d", repair, repair.to_ftfy()) == "“Halo”"


# The screen that lets most texts skip ftfy must never skip a text ftfy would change.


@settings(max_examples=2000, deadline=None)
@given(
    text=st.text(
        alphabet=st.one_of(
            st.characters(codec="utf-8"),
            st.sampled_from(list("â€œ™Ã©Â\xa0\x85\x93\x94&;#<ﬁＡ\r\u2028\x1b")),
        ),
        max_size=60,
    )
)
def test_the_repair_screen_misses_nothing_ftfy_would_fix(text: str) -> None:
    config = RepairConfig()
    if not needs_repair(text, config):
        assert ftfy.fix_text(text, config.to_ftfy()) == unicodedata.normalize("NFC", text)


def test_the_repair_screen_lets_clean_fixture_text_skip_ftfy() -> None:
    from tests.conftest import FIXTURES

    config = RepairConfig()
    skipped = 0
    for path in FIXTURES.rglob("*.txt"):
        text = path.read_text(encoding="utf-8")
        if not needs_repair(text, config):
            skipped += 1
            assert ftfy.fix_text(text, config.to_ftfy()) == text
    assert skipped >= 5  # clean text with curly quotes and dashes needs no repair


_SAFE = "".join(
    MOJIBAKE_CATEGORIES[name] for name in ("start_punctuation", "end_punctuation", "common")
)


@settings(max_examples=3000, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list(_SAFE + " aZ09.,\n")), max_size=40))
def test_quotes_dashes_and_bullets_alone_never_look_like_mojibake(text: str) -> None:
    """The claim the screen rests on: ftfy's detector needs some other character."""
    assert not is_bad(text)


_ENTITY_LINES = st.lists(
    st.sampled_from(
        [
            *("&amp;", "&amp;lt;", "&lt;", "&gt;", "&eacute;", "&#150;", "&#8220;", "&nbsp;"),
            *("&quot;", "&ldquo;", "&#x27;", "&AMP;", "&", ";", "<", "b", " ", "kata", "é"),
            *("\n", "â€œ"),
        ]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=3000, deadline=None)
@given(text=_ENTITY_LINES, after_tag=st.booleans())
def test_unescaping_alone_is_taken_only_where_it_is_ftfys_answer(
    text: str, after_tag: bool
) -> None:
    """Lines whose one defect is HTML entities skip the rest of ftfy: the same text."""
    repair = RepairConfig()
    config = repair.to_ftfy()
    if after_tag:
        config = config._replace(unescape_html=False)
    for segment in text.split("\n"):
        fast = _entities_only(segment, repair, config)
        if fast is not None:
            assert fast == ftfy.fix_text(segment, config)
    assert unicodedata.normalize("NFC", _repair(text, repair, config)) == ftfy.fix_text(
        text, config
    )


def test_a_line_with_only_entities_to_fix_is_unescaped_without_the_rest_of_ftfy() -> None:
    repair = RepairConfig()
    assert _entities_only("Harga &amp; kualitas &ldquo;baik&rdquo;", repair, repair.to_ftfy()) == (
        "Harga & kualitas “baik”"
    )
    assert _entities_only("&amp;lt;b&amp;gt;", repair, repair.to_ftfy()) is None  # twice over
    # Unescaped once, the line holds a "<" (which would switch unescaping off for a line
    # that had it) and an entity still; ftfy, which saw no "<", unescapes again.
    assert _entities_only("&lt;&amp;lt;", repair, repair.to_ftfy()) is None
    assert ftfy.fix_text("&lt;&amp;lt;", repair.to_ftfy()) == "<<"


_DETECTOR_ALPHABET = "".join(MOJIBAKE_CATEGORIES.values()) + "ВГРСўЂΒΓΞΟβ€āŒœ√≈‚Ä°²³ aZz.,!?\n\t"


@settings(max_examples=3000, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(sorted(set(_DETECTOR_ALPHABET))), max_size=120),
    padding=st.integers(min_value=0, max_value=30),
)
def test_the_windowed_mojibake_detector_answers_as_ftfys(text: str, padding: int) -> None:
    """Searched only near the characters its matches need, ftfy's detector still gives
    its own answer, wherever the text sits in a longer line (``^`` included)."""
    assert looks_bad(text) == is_bad(text)
    padded = "x" * padding + text + " kata" * padding
    assert looks_bad(padded) == is_bad(padded)


@pytest.mark.parametrize("mojibake", ["ГўВЂВ.a", "ØŸØŸ", "вЂ", "ā€", "Ã©", "x Â ("])
def test_the_windowed_detector_sees_the_detectors_longest_sequences(mojibake: str) -> None:
    for line in (mojibake, f"Kata demi kata {mojibake} dan seterusnya"):
        assert is_bad(line) and looks_bad(line)


def test_the_windowed_detector_finds_mojibake_after_many_accented_letters() -> None:
    """Past 64 candidate characters the whole text is searched at once."""
    text = "café " * 80 + "Ã©tÃ© â€œ"
    assert looks_bad(text) and is_bad(text)
    assert not looks_bad("café " * 80) and not is_bad("café " * 80)


Form = typing.Literal["NFC", "NFKC", "NFD", "NFKD"]
_MESSY = st.lists(
    st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(list("â€œ™Ã©Â\xa0\x85\x93\x94&;#<ﬁＡ\r\u2028\x1b\n\n\n")),
        st.sampled_from(["&amp;", "&lt;", "&ldquo;", "â€™", "Ã©", " \n", "  ", "e\u0301"]),
    ),
    max_size=60,
).map("".join)


@settings(max_examples=2000, deadline=None)
@given(text=_MESSY)
@example(text="Ã©¿\nabc")  # ftfy's repair takes the line break with it: the lines join
def test_repairing_only_the_lines_that_need_it_is_ftfy_on_the_whole_text(text: str) -> None:
    """ftfy works line by line, except that a ``<`` turns HTML unescaping off for the
    rest of the text; fixing just the flagged lines (then NFC over the whole text, as
    ``normalize`` does) must give ftfy's own result."""
    config = RepairConfig()
    repaired = unicodedata.normalize("NFC", _repair(text, config, config.to_ftfy()))
    assert repaired == ftfy.fix_text(text, config.to_ftfy())


def test_only_marks_and_hangul_jamo_combine_with_the_character_before() -> None:
    """The NFC shortcut's premise, checked against Unicode's whole composition table."""
    partners = []
    for code in range(0x80, sys.maxunicode + 1):
        char = chr(code)
        if unicodedata.combining(char):
            partners.append(char)
        parts = unicodedata.decomposition(char).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            partners.append(chr(int(parts[1], 16)))
    assert partners
    assert all(may_interact(char) for char in partners)


@settings(max_examples=2000, deadline=None)
@given(text=_MESSY, form=st.sampled_from(typing.get_args(Form)))
def test_the_normal_form_shortcut_agrees_with_unicodedata(text: str, form: Form) -> None:
    assert _is_normalized(form, text, _Scan.of(text)) == unicodedata.is_normalized(form, text)


# --- texts kept for a second pass ------------------------------------------------------


def test_a_kept_text_comes_back_as_it_was_normalized() -> None:
    kept = NormalizedTexts(budget=1 << 20)
    for before in ["CafÃ© buka\n", "Harga naik\ud800 lagi", TEXT]:
        after = _norm(before)
        kept.keep(len(before), NormalizedTexts.key(before), after)
        assert kept.get(before) == after
    assert len(kept) == 3


def test_a_text_never_kept_is_not_found_even_of_a_kept_texts_length() -> None:
    kept = NormalizedTexts(budget=1 << 20)
    kept.keep(len("CafÃ© ok"), NormalizedTexts.key("CafÃ© ok"), "Café ok")
    assert kept.get("CafÃ© ok") == "Café ok"
    assert kept.get("Cafe ok!") is None  # the same length, another text
    assert kept.get("Café ok") is None


@given(st.lists(st.text(max_size=40), max_size=30), st.integers(min_value=0, max_value=2000))
def test_what_is_kept_stays_within_the_budget_and_the_rest_is_not_found(
    texts: list[str], budget: int
) -> None:
    kept = NormalizedTexts(budget)
    held = 0
    for text in dict.fromkeys(texts):
        size = len(text.upper().encode("utf-8", "surrogatepass")) + NormalizedTexts.ENTRY_BYTES
        kept.keep(len(text), NormalizedTexts.key(text), text.upper())
        fits = held + size <= budget
        held += size if fits else 0
        assert kept.get(text) == (text.upper() if fits else None)
