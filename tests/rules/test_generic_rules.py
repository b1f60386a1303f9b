"""What the bundled rules/generic.yaml removes and, just as important, what it keeps.

Each boilerplate line is placed inside a realistic article; the article's own paragraphs
must come out exactly as they went in.
"""

from __future__ import annotations

import pytest

from cleaner import Article, Cleaner

PARAGRAPHS = [
    "Banjir bandang melanda tiga kecamatan di Kabupaten Agam, Sumatera Barat, pada Senin "
    "malam setelah hujan deras mengguyur kawasan lereng Gunung Marapi selama lebih dari "
    "enam jam.",
    "Kepala Badan Penanggulangan Bencana Daerah (BPBD) Agam mengatakan sedikitnya 120 "
    "rumah warga terendam lumpur dan dua jembatan penghubung antardesa putus diterjang arus.",
    "“Kami sudah mengerahkan perahu karet dan personel gabungan untuk mengevakuasi warga "
    "yang masih terjebak di rumahnya,” ujarnya kepada wartawan, Selasa (14/5/2024).",
    "Hingga Selasa siang, petugas mencatat empat orang meninggal dunia dan tujuh lainnya "
    "masih dalam pencarian tim SAR gabungan.",
    "Pemerintah kabupaten telah menetapkan status tanggap darurat selama 14 hari ke depan "
    "dan membuka dapur umum di halaman kantor camat.",
]
TEXT = "\n".join(PARAGRAPHS)


def article(cleaner: Cleaner, text: str) -> Article:
    result = cleaner.clean_text(text)
    assert isinstance(result, Article), result
    return result


def with_line(line: str, at: int = 2) -> str:
    """The article with ``line`` inserted as its own paragraph before PARAGRAPHS[at]."""
    return "\n".join([*PARAGRAPHS[:at], line, *PARAGRAPHS[at:]])


# --- MUST REMOVE ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("Baca juga: BMKG Peringatkan Cuaca Ekstrem hingga Akhir Pekan", "related-link"),
        ("Baca Juga : Jalan Lintas Padang-Bukittinggi Ditutup Sementara", "related-link"),
        ("BACA JUGA: Gempa Magnitudo 5,2 Guncang Mentawai", None),
        ("Simak juga: Cara Mengurus Dokumen yang Hilang Akibat Banjir", "related-link"),
        ("Lihat juga: Foto-foto Dampak Banjir Lahar Dingin di Agam", "related-link"),
        ("Simak juga Video: Detik-detik Banjir Bandang Terjang Permukiman", "related-link"),
        ("Copyright © 2024 Example.com", "copyright"),
        ("All Rights Reserved", "rights-reserved"),
        ("Hak Cipta Dilindungi Undang-Undang", "copyright"),
        (
            "Dapatkan berita terkini dan kejutan menarik dari Example.com, Klik Disini untuk "
            "mendaftarkan diri anda sekarang juga!",
            "subscribe-promo",
        ),
        ("Ikuti kami di Instagram @examplecom untuk kabar terbaru", "subscribe-promo"),
        ("Follow Berita Example.com di WhatsApp Channel", "subscribe-promo"),
        ("A A A", "font-size-widget"),
        ("loading...", "loading"),
        ("read/ rendering in 0.1520 seconds (0.1#10.140)", "render-time"),
        ("ADVERTISEMENT", "advertisement"),
        ("SCROLL TO CONTINUE WITH CONTENT", "advertisement"),
        ("Berita Terkini Lainnya", None),
    ],
)
def test_boilerplate_line_is_removed(cleaner: Cleaner, line: str, rule: str | None) -> None:
    result = article(cleaner, with_line(line))
    assert result.text == TEXT
    assert sum(result.cleaning.rule_hits.values()) == 1
    if rule is not None:
        assert [hit.split("/", 1)[1] for hit in result.cleaning.rule_hits] == [rule]


def test_boilerplate_at_the_very_end_is_removed(cleaner: Cleaner) -> None:
    footer = [
        "Dapatkan berita terkini dan kejutan menarik dari Example.com, Klik Disini untuk "
        "mendaftarkan diri anda sekarang juga!",
        "Baca Berita Terkait Lainnya",
        "Copyright © 2024 Example.com",
        "All Rights Reserved",
        "read/ rendering in 0.1520 seconds (0.1#10.140)",
    ]
    result = article(cleaner, "\n".join([*PARAGRAPHS, *footer]))
    assert result.text == TEXT
    assert result.cleaning.lines_in == len(PARAGRAPHS) + len(footer)
    assert result.cleaning.lines_out == len(PARAGRAPHS)


@pytest.mark.parametrize("header", ["Populer", "Terpopuler", "Berita Populer", "TERPOPULER"])
def test_popular_box_with_headlines_and_timestamps_is_removed(
    cleaner: Cleaner, header: str
) -> None:
    box = [
        header,
        "1",
        "Harga Emas Antam Hari Ini Naik Rp 12.000 per Gram",
        "Rabu, 24 Desember 2025 | 07:26",
        "2",
        "Daftar Tol yang Digratiskan Saat Libur Natal",
        "Rabu, 24 Desember 2025 | 06:15",
        "3",
        "Prabowo Lantik Kepala Otorita IKN yang Baru",
        "5 menit yang lalu",
    ]
    result = article(cleaner, "\n".join([*PARAGRAPHS[:3], *box, *PARAGRAPHS[3:]]))
    assert result.text == TEXT
    assert result.cleaning.rule_hits == {"generic/most-read-list": len(box)}


def test_related_news_box_is_removed(cleaner: Cleaner) -> None:
    box = [
        "Berita Terkait",
        "Banjir Lahar Dingin Terjang Tanah Datar, 15 Orang Hilang",
        "BNPB Kirim Bantuan Logistik ke Sumatera Barat",
        "Jokowi Tinjau Lokasi Banjir di Agam",
    ]
    result = article(cleaner, "\n".join([*PARAGRAPHS, *box]))
    assert result.text == TEXT
    assert result.cleaning.rule_hits == {"generic/most-read-list": len(box)}


def test_latest_news_box_is_removed(cleaner: Cleaner) -> None:
    box = [
        "Berita Terkini Lainnya",
        "Harga Cabai Merah di Padang Tembus Rp 80.000",
        "Rabu, 24 Desember 2025 | 07:26",
        "Kereta Api Minangkabau Ekspres Kembali Beroperasi",
        "Rabu, 24 Desember 2025 | 06:58",
    ]
    result = article(cleaner, "\n".join([*PARAGRAPHS, *box]))
    assert result.text == TEXT


def test_photo_caption_with_credit_becomes_fields(cleaner: Cleaner) -> None:
    caption = "Warga melintasi jalan yang tertutup lumpur di Kecamatan Canduang, Agam."
    result = article(cleaner, "\n".join([f"{caption} Foto/REUTERS", *PARAGRAPHS]))
    assert result.text == TEXT
    assert result.image_caption == caption
    assert result.image_credit == "Foto/REUTERS"
    assert result.cleaning.rule_hits == {"generic/photo-credit": 1}


def test_photo_caption_just_above_the_dateline_paragraph_is_not_the_title(
    cleaner: Cleaner,
) -> None:
    caption = "Warga melintasi jalan yang tertutup lumpur di Kecamatan Canduang, Agam."
    text = "\n".join([f"{caption} Foto/REUTERS", f"AGAM - {PARAGRAPHS[0]}", *PARAGRAPHS[1:]])
    result = article(cleaner, text)
    assert result.text == TEXT
    assert result.image_caption == caption
    assert result.image_credit == "Foto/REUTERS"
    assert result.title is None or "Foto/REUTERS" not in result.title


def test_photo_credit_alone_becomes_image_credit(cleaner: Cleaner) -> None:
    result = article(cleaner, with_line("Ilustrasi/Net", at=1))
    assert result.text == TEXT
    assert result.image_credit == "Ilustrasi/Net"
    assert result.image_caption is None


@pytest.mark.parametrize(("line", "initials"), [("(mas)", "mas"), ("(kpl/pur)", "kpl/pur")])
def test_editor_initials_alone_on_a_line(cleaner: Cleaner, line: str, initials: str) -> None:
    result = article(cleaner, "\n".join([*PARAGRAPHS, line]))
    assert result.text == TEXT
    assert result.editor_initials == initials
    assert result.cleaning.rule_hits == {"generic/editor-initials": 1}


def test_editor_initials_before_a_footer(cleaner: Cleaner) -> None:
    text = "\n".join([*PARAGRAPHS, "(mas)", "Copyright © 2024 Example.com"])
    result = article(cleaner, text)
    assert result.text == TEXT
    assert result.editor_initials == "mas"


def test_sign_off_at_the_end_of_the_last_paragraph_is_stripped(cleaner: Cleaner) -> None:
    text = "\n".join([*PARAGRAPHS[:-1], f"{PARAGRAPHS[-1]} (kid)"])
    result = article(cleaner, text)
    assert result.text == TEXT
    assert result.editor_initials == "kid"
    assert result.cleaning.rule_hits == {"generic/editor-initials-inline": 1}


def test_upper_case_dateline_is_cut_from_the_first_paragraph(cleaner: Cleaner) -> None:
    text = "\n".join([f"JAKARTA - {PARAGRAPHS[0]}", *PARAGRAPHS[1:]])
    result = article(cleaner, text)
    assert result.text == TEXT
    assert result.dateline == "JAKARTA"
    assert result.cleaning.rule_hits == {"generic/dateline": 1}


@pytest.mark.parametrize(("place", "dash"), [("PADANG", "-"), ("BUKITTINGGI", "–")])
def test_other_datelines_and_dashes(cleaner: Cleaner, place: str, dash: str) -> None:
    text = "\n".join([f"{place} {dash} {PARAGRAPHS[0]}", *PARAGRAPHS[1:]])
    result = article(cleaner, text)
    assert result.text == TEXT
    assert result.dateline == place


def test_whole_page_of_boilerplate_around_an_article(cleaner: Cleaner) -> None:
    page = [
        "Warga melintasi jalan yang tertutup lumpur di Agam. Foto/REUTERS",
        "A A A",
        "loading...",
        f"AGAM - {PARAGRAPHS[0]}",
        PARAGRAPHS[1],
        "Baca juga: BMKG Peringatkan Cuaca Ekstrem hingga Akhir Pekan",
        "ADVERTISEMENT",
        "SCROLL TO CONTINUE WITH CONTENT",
        PARAGRAPHS[2],
        PARAGRAPHS[3],
        f"{PARAGRAPHS[4]} (kid)",
        "Follow Berita Example.com di WhatsApp Channel",
        "Copyright © 2024 Example.com",
        "All Rights Reserved",
    ]
    result = article(cleaner, "\n".join(page))
    assert result.text == TEXT
    assert result.dateline == "AGAM"
    assert result.editor_initials == "kid"
    assert result.image_credit == "Foto/REUTERS"


# --- MUST KEEP ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "“Tidak.”",
        '"Kami siap," ujarnya.',
        "“Kami siap,” ujarnya.",
        "Dia tewas.",
        "Hujan turun sejak pagi.",
        "Baca buku adalah kebiasaan baiknya sejak kecil.",
        "Polisi juga menyita kamera dan puluhan foto dari rumah pelaku.",
        "Foto itu diambil warga sesaat sebelum jembatan ambruk.",
        "Lagu daerah itu kembali populer di kalangan anak muda Minang.",
        "Pemerintah berjanji memberikan update terbaru soal korban setiap enam jam.",
        "Hak cipta lagu itu dipegang oleh label rekaman.",
        "KPK menetapkan tiga tersangka.",
        "BPBD mencatat 120 rumah terendam.",
        "Selengkapnya, Kapolres menjelaskan kronologi kejadian kepada wartawan.",
        "Informasi selengkapnya dapat dilihat di laman resmi BPBD Agam.",
        "Iklan rokok dilarang tayang di televisi sebelum pukul 21.30.",
        "Lihat saja, jalanan ini sudah tertutup lumpur sejak kemarin.",
        "Ikuti arahan petugas di lapangan, kata Kapolres.",
        "Loading barang bantuan ke truk berlangsung hingga malam.",
    ],
)
def test_article_sentence_is_kept(cleaner: Cleaner, line: str) -> None:
    text = with_line(line)
    result = article(cleaner, text)
    assert result.text == text
    assert result.cleaning.rule_hits == {}


@pytest.mark.parametrize(
    "line",
    [
        "Copyright atau hak cipta adalah hak eksklusif pencipta atas karyanya.",
        "Ikuti informasi resmi dari akun Instagram BMKG dan jangan mudah percaya hoaks, "
        "imbau Kepala BPBD Agam.",
    ],
    ids=["copyright-explained", "official-urging-to-follow-instagram"],
)
def test_sentence_that_opens_like_boilerplate_is_kept(cleaner: Cleaner, line: str) -> None:
    text = with_line(line)
    result = article(cleaner, text)
    assert result.text == text


def test_short_quotes_after_a_headline_like_line_are_kept(cleaner: Cleaner) -> None:
    lines = [
        PARAGRAPHS[0],
        "Wartawan bertanya apakah ia akan mundur dari jabatannya.",
        "“Tidak.”",
        '"Kami siap," ujarnya.',
        PARAGRAPHS[1],
    ]
    text = "\n".join(lines)
    assert article(cleaner, text).text == text


def test_numbered_subheadings_inside_an_article_are_kept(cleaner: Cleaner) -> None:
    lines = [
        "Rusia mengambil sejumlah langkah setelah konflik di perbatasan memanas pekan lalu.",
        "1. Rusia bantu evakuasi warga",
        "Moskow mengirim pesawat angkut militer untuk menjemput warganya dari zona konflik.",
        "2. Rusia kirim bantuan kemanusiaan",
        "Sebanyak 40 ton bantuan makanan dan obat-obatan diterbangkan ke Yerevan.",
        "3. Rusia desak gencatan senjata",
        "Kremlin meminta kedua pihak menghormati perjanjian gencatan senjata tahun 2020.",
    ]
    text = "\n".join(lines)
    result = article(cleaner, text)
    assert result.text == text
    assert result.cleaning.rule_hits == {}


def test_paragraph_starting_with_an_acronym_is_kept_as_first_paragraph(cleaner: Cleaner) -> None:
    text = "\n".join(["KPK menetapkan tiga tersangka.", *PARAGRAPHS[1:]])
    result = article(cleaner, text)
    assert result.text == text
    assert result.dateline is None


def test_last_paragraph_ending_in_a_parenthesised_word_is_kept(cleaner: Cleaner) -> None:
    text = "\n".join(
        [*PARAGRAPHS[:-1], "Penyaluran bantuan dikoordinasikan oleh Badan SAR (Basarnas)"]
    )
    assert article(cleaner, text).text == text


@pytest.mark.parametrize(
    "opening",
    [
        "Dapatkan berita terkini dan kejutan menarik dari Example.com, Klik Disini untuk "
        "mendaftarkan diri anda sekarang juga!",
        "Baca juga: BMKG Peringatkan Cuaca Ekstrem hingga Akhir Pekan",
        "Copyright © 2024 Example.com All Rights Reserved",
        "Ikuti kami di Instagram @examplecom untuk kabar terbaru",
    ],
)
def test_page_collapsed_into_one_long_line_is_not_dropped(cleaner: Cleaner, opening: str) -> None:
    line = " ".join([opening, *PARAGRAPHS])
    assert len(line) > 400
    result = cleaner.clean_text(line)
    assert isinstance(result, Article), result
    if opening.startswith("Baca juga"):  # the related link inside the line is cut, only it
        assert result.text == " ".join(PARAGRAPHS)
        assert result.cleaning.rule_hits == {"generic/inline-related-links": 1}
    else:  # line rules never take a whole collapsed page
        assert result.text == line
        assert result.cleaning.rule_hits == {}
