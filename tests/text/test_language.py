"""Language identification (cleaner/language.py): the languages an Indonesian news corpus
meets are told apart, and no text makes it fail."""

from __future__ import annotations

import pytest

from cleaner.text.language import UNDETERMINED, identify

# The same two sentences (our own) in each language.
SAMPLES = {
    "id": "Pemerintah kota berencana memperbaiki jalan yang rusak sebelum musim hujan tiba. "
    "Warga berharap pekerjaan itu selesai tepat waktu agar anak-anak bisa berangkat ke "
    "sekolah dengan aman.",
    "ms": "Kerajaan negeri bercadang membaiki jalan yang rosak sebelum musim tengkujuh. "
    "Penduduk berharap kerja-kerja itu siap mengikut jadual supaya kanak-kanak boleh ke "
    "sekolah dengan selamat.",
    "jv": "Pamarentah kutha arep ndandani dalan sing rusak sadurunge mangsa rendheng teka. "
    "Warga ngarep-arep gaweyan kuwi rampung pas wektune supaya bocah-bocah bisa mangkat "
    "sekolah kanthi slamet.",
    "su": "Pamarentah kota rék ngalereskeun jalan anu ruksak saméméh usum hujan datang. "
    "Warga ngarep-ngarep pagawéan éta réngsé dina waktuna sangkan barudak bisa indit ka "
    "sakola kalawan salamet.",
    "en": "The city government plans to repair the damaged roads before the rainy season "
    "arrives. Residents hope the work will be finished on time so that children can walk "
    "to school safely.",
}


@pytest.mark.parametrize(("code", "text"), SAMPLES.items())
def test_indonesian_malay_javanese_sundanese_and_english_are_told_apart(
    code: str, text: str
) -> None:
    language = identify(text)
    assert language.code == code
    assert language.score >= 0.9


def test_a_mixed_text_scores_its_main_language_by_its_share() -> None:
    mixed = identify(f"{SAMPLES['id']}\n{SAMPLES['id']}\n{SAMPLES['en']}")
    assert mixed.code == "id"
    assert 0.5 < mixed.score < 0.9


@pytest.mark.parametrize("text", ["", "123 456 7890", "— • —"])
def test_text_without_words_is_undetermined(text: str) -> None:
    assert identify(text) == (UNDETERMINED, 0.0)


def test_code_points_cld2_refuses_are_set_aside() -> None:
    text = f"\ud800{SAMPLES['su']}\x85\x9f"
    assert identify(text).code == "su"


def test_the_stoplist_is_justexts_own() -> None:
    import justext

    from cleaner.text.language import stopwords

    assert stopwords() == justext.get_stoplist("Indonesian")
    assert {"dan", "yang", "di"} <= stopwords()
