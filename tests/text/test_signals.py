"""Quality signals and the --quality filter (cleaner/signals.py)."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from cleaner.config import CleanerConfig, QualityConfig
from cleaner.text.language import identify
from cleaner.text.signals import TokenMemo, judge, measure
from tests.text.test_language import SAMPLES


def test_duplicate_lines_are_counted_after_their_first_occurrence() -> None:
    text = "Satu dua tiga.\nEmpat lima.\nSatu dua tiga.\nSatu dua tiga."
    assert measure(text).duplicate_line_fraction == 0.5


def test_the_top_ngram_share_covers_each_occurrence_of_the_most_frequent_one() -> None:
    text = "aa bb aa bb aa bb cc"  # "aa bb" three times: 5 chars x 3 of 20
    signals = measure(text)
    assert signals.top_ngram_share["2"] == 0.75
    assert signals.top_ngram_share["3"] == round(8 * 2 / 20, 4)  # "aa bb aa" and "bb aa bb" tie
    assert signals.top_ngram_share["4"] == round(11 * 2 / 20, 4)  # "aa bb aa bb" twice


def test_an_ngram_seen_once_is_no_repetition() -> None:
    assert measure("satu dua tiga empat lima").top_ngram_share == {"2": 0.0, "3": 0.0, "4": 0.0}


def test_lines_ending_a_sentence_count_as_punctuated_even_inside_quotes() -> None:
    text = "Ia datang.\n“Saya setuju,” katanya.\n“Tidak!”\nBaca juga\nSiapa?"
    assert measure(text).punctuated_line_share == 0.8


def test_words_without_letters_lower_the_alpha_share() -> None:
    signals = measure("Harga naik 10 % menjadi Rp 12.500 — kata pedagang.")
    assert signals.alpha_word_share == 0.6  # 10, %, 12.500 and — of ten words
    assert signals.mean_word_length == 4.1


def test_stopwords_count_whatever_their_case_and_the_punctuation_around_them() -> None:
    assert measure("Yang, dan pedagang (itu).").stopword_ratio == 0.75


def test_the_token_memo_answers_like_its_question_and_stays_within_its_limit() -> None:
    asked: list[str] = []

    def long(token: str) -> bool:
        asked.append(token)
        return len(token) > 2

    memo = TokenMemo(long, limit=3)
    words = ["a", "bbb", "a", "cccc", "dd", "eeeee", "a", "bbb"]
    assert sum(map(memo.__getitem__, words)) == 4
    assert asked.count("a") == 2  # answered once, forgotten when the memo filled, asked again
    assert len(memo) <= 3


def test_an_empty_text_measures_zero_rather_than_failing() -> None:
    signals = measure("")
    assert signals.duplicate_line_fraction == 0.0
    assert signals.top_ngram_share == {"2": 0.0, "3": 0.0, "4": 0.0}


def _judged(text: str, config: QualityConfig | None = None) -> str | None:
    verdict = judge(
        text, len(text.split()), identify(text), measure(text), config or QualityConfig()
    )
    return verdict.signal if verdict else None


PROSE = "\n".join(
    [
        SAMPLES["id"],
        "Kepala dinas mengatakan anggaran untuk perbaikan itu sudah disetujui dewan pada "
        "awal bulan ini, senilai Rp 12 miliar, dan lelang akan dibuka pekan depan.",
        "Menurut dia, pekerjaan dimulai dari ruas yang paling parah di dekat pasar dan "
        "terminal, lalu berlanjut ke jalan menuju sekolah.",
        "Selama pekerjaan berlangsung, sebagian jalan ditutup dan kendaraan dialihkan ke "
        "jalur lain yang disiapkan petugas mulai pekan depan.",
    ]
)


def test_a_few_paragraphs_of_prose_pass_every_threshold() -> None:
    assert len(PROSE.split()) >= 50
    assert _judged(PROSE) is None


def test_a_text_in_another_language_fails_on_language() -> None:
    malay = PROSE.replace(SAMPLES["id"], SAMPLES["ms"]).replace("dan", "serta")
    english = "\n".join([SAMPLES["en"]] * 2)
    assert _judged(english) == "language"
    assert _judged(SAMPLES["ms"], QualityConfig(min_words=10)) == "language"
    relaxed = QualityConfig(languages=("id", "ms"), min_words=10, min_language_score=0)
    assert _judged(SAMPLES["ms"], relaxed) is None
    assert identify(malay).code in {"id", "ms"}


def test_a_thin_page_fails_on_word_count() -> None:
    assert _judged("Pemerintah kota memperbaiki jalan yang rusak di dekat pasar.") == "word_count"


def test_a_repeated_paragraph_fails_on_duplicate_lines() -> None:
    assert _judged(f"{PROSE}\n{PROSE}\n{PROSE}") == "duplicate_line_fraction"


def test_a_list_of_headlines_fails_on_punctuation() -> None:
    headlines = [
        "Pemerintah Kota Perbaiki Jalan Rusak Jelang Musim Hujan di Pusat Kota",
        "Warga Berharap Pekerjaan Selesai Tepat Waktu dan Anak Sekolah Aman",
        "Dewan Setujui Anggaran Perbaikan Jembatan yang Ambruk Pekan Lalu",
        "Lelang Proyek Dibuka Pekan Depan untuk Ruas yang Paling Parah",
        "Kepala Dinas Minta Warga Bersabar Selama Jalan Ditutup Sementara",
    ]
    config = QualityConfig(min_words=10, max_newline_ratio=1.0)
    assert _judged("\n".join(headlines), config) == "punctuated_line_share"


@pytest.mark.parametrize(
    ("config", "signal"),
    [
        (QualityConfig(min_language_score=1.0), "language_score"),
        (QualityConfig(max_words=10), "word_count"),
        (QualityConfig(min_mean_word_length=9), "mean_word_length"),
        (QualityConfig(min_alpha_word_share=1.0), "alpha_word_share"),
        (QualityConfig(min_stopwords=50), "stopwords"),
        (QualityConfig(max_duplicate_line_fraction=-1), "duplicate_line_fraction"),
        (QualityConfig(max_top_ngram_share=((2, 0.001),)), "top_ngram_share.2"),
        (QualityConfig(min_punctuated_line_share=1.1), "punctuated_line_share"),
        (QualityConfig(max_newline_ratio=0.001), "newline_ratio"),
    ],
)
def test_each_threshold_names_its_signal(config: QualityConfig, signal: str | None) -> None:
    assert _judged(PROSE, config) == signal


def _plain_top_ngram_share(words: list[str], n: int, chars: int) -> float:
    """The plain statement: every n-gram counted, ties to the first seen."""
    grams = Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
    if not grams:
        return 0.0
    gram, count = grams.most_common(1)[0]
    return round((sum(map(len, gram)) + n - 1) * count / chars, 4) if count > 1 else 0.0


@given(st.lists(st.sampled_from(["a", "bb", "ccc", "a.", "dd", "e"]), max_size=40))
@settings(max_examples=500, deadline=None)
def test_the_top_ngram_shares_agree_with_the_plain_count(words: list[str]) -> None:
    text = " ".join(words)
    chars = max(len(text), 1)
    shares = measure(text).top_ngram_share
    assert shares == {str(n): _plain_top_ngram_share(words, n, chars) for n in (2, 3, 4)}


def test_the_quality_filter_cannot_run_without_the_signals() -> None:
    with pytest.raises(ValidationError, match="needs the signals"):
        CleanerConfig(signals=False, quality=QualityConfig(enabled=True))


def test_a_text_collapsed_into_one_line_is_not_judged_on_its_line_ends() -> None:
    collapsed = " ".join(PROSE.split("\n")) + " Editor: Rina Wulandari"  # no full stop at the end
    assert measure(collapsed).punctuated_line_share == 0.0
    assert _judged(collapsed) is None
    many_lines = "\n".join(f"{line.rstrip('.')} dan seterusnya" for line in PROSE.split("\n"))
    assert _judged(many_lines) == "punctuated_line_share"  # three lines or more: judged
    strict = QualityConfig(punctuation_min_lines=1)
    assert _judged(collapsed, strict) == "punctuated_line_share"
