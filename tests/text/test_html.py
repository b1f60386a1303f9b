"""Stage 1b: HTML pages, their main text and metadata (cleaner/html.py, through Cleaner)."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from cleaner import Article, Cleaner, Reject
from cleaner.models import RawDocument
from cleaner.text import html
from cleaner.text.html import (
    HtmlOptions,
    body_lines,
    decode_html,
    main_text,
    page_url,
    parse,
    self_links,
)
from cleaner.text.page import PageMeta, declared_metadata, page_meta
from tests.conftest import REALPAGES

PARAGRAPHS = [
    "Ratusan warga Desa Sukamaju turun ke sungai pada Minggu pagi untuk membersihkan "
    "sampah plastik yang menumpuk sejak musim hujan dimulai.",
    "Kepala desa setempat mengatakan kegiatan ini akan digelar setiap bulan agar aliran "
    "sungai tetap lancar dan tidak lagi meluap ke permukiman warga.",
    "Selain membersihkan sampah, warga juga menanam bibit pohon di sepanjang bantaran "
    "sungai untuk mencegah longsor di musim hujan berikutnya.",
]
RELATED = "Baca juga: Musim Hujan, Warga Diminta Waspada Banjir Kiriman"
HEADLINE = "Warga Desa Sukamaju Gotong Royong Bersihkan Sungai"
FIRST_WRAPPED = PARAGRAPHS[0].replace(" untuk ", "\n     untuk ", 1)  # as HTML source wraps


def news_page(
    *,
    host: str = "www.kabarcontoh.id",
    site: str = "Kabar Contoh",
    title: str = f"{HEADLINE} - Kabar Contoh",
    og_title: str | None = None,
    author: str = "Rina Kusumawati",
    path: str = "/daerah/warga-sukamaju-bersihkan-sungai",
    extra_body: str = "",
) -> str:
    """An invented Indonesian news page in a common template."""
    og = f'<meta property="og:title" content="{og_title}">' if og_title else ""
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="canonical" href="https://{host}{path}">
<meta property="og:site_name" content="{site}">
{og}
<meta name="author" content="{author}">
<meta property="article:published_time" content="2024-03-05T09:15:00+07:00">
<meta property="article:tag" content="lingkungan">
<meta property="article:tag" content="sungai">
</head>
<body>
<header><nav><a href="/">Beranda</a> <a href="/daerah">Daerah</a> <a href="/bola">Bola</a></nav>
</header>
<main>
<article>
<h1>{HEADLINE}</h1>
<div class="byline">{author} - Selasa, 5 Maret 2024 09:15 WIB</div>
<div class="isi-berita">
<p>SUKAMAJU - {FIRST_WRAPPED}</p>
<p>{PARAGRAPHS[1]}</p>
<p>{RELATED}</p>
{extra_body}
<p>{PARAGRAPHS[2]}</p>
<ul>
  <li>Sebanyak 300 karung
      sampah terkumpul</li>
  <li>Seratus bibit pohon ditanam</li>
</ul>
<p>Panitia berharap desa tetangga ikut menggelar kegiatan serupa.<br>Kegiatan berikutnya
dijadwalkan bulan depan.</p>
</div>
</article>
</main>
<footer><p>Hak Cipta Dilindungi 2024 {site}</p></footer>
</body>
</html>
"""


class Extraction(NamedTuple):
    text: str
    page: PageMeta


def extracted(page: str, options: HtmlOptions | None = None, url: str | None = None) -> Extraction:
    tree = parse(page)
    assert tree is not None
    options = options or HtmlOptions()
    return Extraction(
        main_text(tree, url, options), page_meta(declared_metadata(tree, url), tree, options)
    )


# --- decode_html ----------------------------------------------------------------------------

QUOTE = "<p>\u201cKami siap,\u201d kata Kepala Desa.</p>"


def test_decode_html_passes_text_through() -> None:
    assert decode_html(QUOTE) == (QUOTE, "unicode")


def test_decode_html_byte_order_mark_wins_over_declarations() -> None:
    page = '<html><head><meta charset="windows-1252"></head><body>' + QUOTE + "</body></html>"
    text, encoding = decode_html(b"\xef\xbb\xbf" + page.encode("utf-8"), "iso-8859-2")
    assert (text, encoding) == (page, "utf-8")
    text, encoding = decode_html(("\ufeff" + page).encode("utf-16-le"), "windows-1252")
    assert (text, encoding) == (page, "utf-16-le")


def test_decode_html_http_charset_argument_wins_over_meta() -> None:
    page = '<html><head><meta charset="utf-8"></head><body>' + QUOTE + "</body></html>"
    assert decode_html(page.encode("cp1252"), "windows-1252") == (page, "cp1252")
    russian = "<p>Привет, это проверка кодировки страницы</p>"
    assert decode_html(russian.encode("koi8-r"), "KOI8-R") == (russian, "koi8-r")


@pytest.mark.parametrize(
    "declaration",
    [
        '<meta charset="koi8-r">',
        "<meta charset=koi8-r>",
        '<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">',
    ],
)
def test_decode_html_reads_a_meta_declaration(declaration: str) -> None:
    page = f"<html><head>{declaration}</head><body><p>Привет, мир</p></body></html>"
    assert decode_html(page.encode("koi8-r")) == (page, "koi8-r")


@pytest.mark.parametrize("label", ["iso-8859-1", "ISO-8859-1", "latin1", "us-ascii"])
def test_decode_html_treats_latin1_labels_as_cp1252(label: str) -> None:
    raw = b"<p>\x93Kami siap,\x94 kata Kepala Desa \x96 Senin.</p>"
    text, encoding = decode_html(raw, label)
    assert encoding == "cp1252"
    assert text == "<p>\u201cKami siap,\u201d kata Kepala Desa \u2013 Senin.</p>"


def test_decode_html_http_equiv_latin1_is_cp1252() -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
        "</head><body>" + QUOTE + "</body></html>"
    )
    assert decode_html(page.encode("cp1252")) == (page, "cp1252")


@pytest.mark.parametrize(
    "declaration", ['<meta charset="utf-8">', '<meta charset="x-tidak-dikenal">']
)
def test_decode_html_falls_back_to_guessing_when_the_declaration_is_wrong(
    declaration: str,
) -> None:
    page = f"<html><head>{declaration}</head><body>" + QUOTE + "</body></html>"
    assert decode_html(page.encode("cp1252")) == (page, "cp1252")


# --- parse, page_url, body_lines ------------------------------------------------------------


@pytest.mark.parametrize(
    "junk",
    ["", "   ", "hanya teks biasa tanpa tanda apa pun", '{"text": "json"}', "%PDF-1.4 biner"],
)
def test_parse_returns_none_for_non_html(junk: str) -> None:
    assert parse(junk) is None


def test_parse_returns_a_tree_for_a_page() -> None:
    tree = parse(news_page())
    assert tree is not None
    assert tree.xpath("//h1/text()") == [HEADLINE]


def test_page_url_reads_canonical_then_og_url() -> None:
    tree = parse(news_page(host="www.contoh.id", path="/a/1"))
    assert page_url(tree) == "https://www.contoh.id/a/1"
    og_only = news_page().replace(
        '<link rel="canonical" href="https://www.kabarcontoh.id/daerah/warga-sukamaju-bersihkan'
        '-sungai">',
        '<meta property="og:url" content="https://m.kabarcontoh.id/b/2">',
    )
    assert page_url(parse(og_only)) == "https://m.kabarcontoh.id/b/2"


def test_page_url_ignores_a_relative_canonical_and_none_without_one() -> None:
    page = "<html><head><link rel='canonical' href='/relatif'></head><body><p>x</p></body></html>"
    assert page_url(parse(page)) is None
    bare = "<html><head><title>x</title></head><body><p>Isi halaman.</p></body></html>"
    assert page_url(parse(bare)) is None


URL_DECLARATIONS = st.lists(
    st.sampled_from(
        [
            '<link rel="canonical" href="https://www.contoh.id/a/1">',
            '<link rel="canonical" href=" https://www.contoh.id/a/2 ">',
            '<link rel="canonical" href="/relatif">',
            '<link rel="canonical" href="">',
            '<link rel="canonical">',
            '<link rel="alternate" href="https://www.contoh.id/rss">',
            '<meta property="og:url" content="https://m.contoh.id/b/1">',
            '<meta property="og:url" content="/b/relatif">',
            '<meta property="og:url">',
            '<meta name="og:url" content="https://lain.id/c">',
        ]
    ),
    max_size=5,
)


@settings(max_examples=300, deadline=None)
@given(head=URL_DECLARATIONS, body=URL_DECLARATIONS)
def test_page_url_is_the_first_absolute_of_canonical_then_og_url(
    head: list[str], body: list[str]
) -> None:
    page = (
        f"<html><head><title>x</title>{''.join(head)}</head>"
        f"<body><p>Isi halaman.</p>{''.join(body)}</body></html>"
    )
    tree = parse(page)
    expected = None  # the definition, as two XPaths
    for xpath in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'):
        found = tree.xpath(xpath)
        if found and str(found[0]).strip().startswith(("http://", "https://")):
            expected = str(found[0]).strip()
            break
    assert page_url(tree) == expected


def test_self_links_are_the_heads_links_to_its_own_site() -> None:
    page = (
        "<html><head>"
        '<link rel="canonical" href="https://www.contoh.id/a/1">'
        '<link rel="alternate" type="application/rss+xml" href="https://www.contoh.id/rss">'
        '<link rel="Shortcut Icon" href="//static.contoh.id/favicon.ico">'
        '<link rel="alternate" href="/rss/relatif">'  # no host: says nothing
        '<link rel="stylesheet" href="https://cdn.mitra.net/app.css">'  # a CDN's
        '<link rel="dns-prefetch" href="https://iklan.mitra.net">'
        '<link rel="image_src" href="https://foto.lain.id/1.jpg">'  # a picture may be another's
        '</head><body><link rel="alternate" href="https://badan.id/rss"><p>Isi.</p>'
        "</body></html>"
    )
    assert list(self_links(parse(page))) == [
        "https://www.contoh.id/a/1",
        "https://www.contoh.id/rss",
        "//static.contoh.id/favicon.ico",
    ]


def test_body_lines_one_line_per_block_whitespace_collapsed_split_at_br() -> None:
    body = etree.fromstring(
        "<body>"
        "<head rend='h2'>Judul   Bagian\n Dua</head>"
        "<p>Baris satu\n     masih\tbaris   satu</p>"
        "<list><item>butir\n  satu</item><item>butir dua</item></list>"
        "<p>sebelum<lb/>sesudah <hi>tebal</hi> akhir</p>"
        "<quote>kutipan tokoh</quote>"
        "<p>   \n </p>"
        "<table><row><cell>Kota</cell><cell>Suhu</cell></row></table>"
        "</body>"
    )
    assert list(body_lines(body)) == [
        "Judul Bagian Dua",
        "Baris satu masih baris satu",
        "butir satu",
        "butir dua",
        "sebelum",
        "sesudah tebal akhir",
        "kutipan tokoh",
        "Kota | Suhu",
    ]


# --- extract --------------------------------------------------------------------------------


def test_extract_returns_the_article_paragraphs_as_lines() -> None:
    result = extracted(news_page())
    lines = result.text.split("\n")
    assert f"SUKAMAJU - {PARAGRAPHS[0]}" in lines
    assert PARAGRAPHS[1] in lines
    assert PARAGRAPHS[2] in lines
    assert RELATED in lines  # removing it is the rules' job, not extraction's
    assert "Sebanyak 300 karung sampah terkumpul" in lines
    assert "Seratus bibit pohon ditanam" in lines
    i = lines.index("Panitia berharap desa tetangga ikut menggelar kegiatan serupa.")
    assert lines[i + 1] == "Kegiatan berikutnya dijadwalkan bulan depan."
    assert not any("Beranda" in line or "Hak Cipta" in line for line in lines)


def test_extract_page_metadata() -> None:
    page = extracted(news_page()).page
    assert page.url == "https://www.kabarcontoh.id/daerah/warga-sukamaju-bersihkan-sungai"
    assert page.title == HEADLINE
    assert page.site_name == "Kabar Contoh"
    assert page.published_at is not None
    assert page.published_at.startswith("2024-03-05")
    assert page.authors == ("Rina Kusumawati",)
    assert page.tags == ("lingkungan", "sungai")


def test_extract_keeps_the_time_of_article_published_time() -> None:
    # Indonesian news URLs carry the day (/2024/03/05/); the page's own
    # article:published_time says 09:15 +07:00 and must not be cut to midnight.
    page = extracted(news_page(path="/daerah/2024/03/05/warga-sukamaju")).page
    assert page.published_at is not None
    assert page.published_at.startswith("2024-03-05T09:15:00")


def test_extract_strips_a_site_suffix_that_names_the_site() -> None:
    page = extracted(news_page(og_title=f"{HEADLINE} | KabarContoh.id")).page
    assert page.title == HEADLINE


def test_extract_strips_the_site_name_suffix_as_the_site_spells_it() -> None:
    # og:site_name "Kabar Contoh" on kabarcontoh.id: " - Kabar Contoh" names the site.
    page = extracted(news_page(og_title=f"{HEADLINE} - Kabar Contoh")).page
    assert page.title == HEADLINE


def test_extract_keeps_a_title_suffix_that_does_not_name_the_site() -> None:
    title = f"{HEADLINE} - Bagian Kedua"
    page = extracted(news_page(og_title=title)).page
    assert page.title == title


def test_extract_drops_an_author_that_is_the_publisher() -> None:
    page = extracted(
        news_page(host="www.contoh.co.id", author="Rina Kusumawati, Kabar Contoh")
    ).page
    assert page.authors == ("Rina Kusumawati",)


def test_extract_drops_an_author_equal_to_the_site_name() -> None:
    # The site calls itself "Kabar Contoh" and lives at kabarcontoh.id (like "IDN Times"
    # at idntimes.com): the publisher is not an author.
    page = extracted(news_page(author="Rina Kusumawati, Kabar Contoh")).page
    assert page.authors == ("Rina Kusumawati",)


def test_prune_xpath_removes_a_related_box() -> None:
    box = (
        '<div class="box-terkait"><p>Harga Cabai di Pasar Induk Mulai Turun Jelang Ramadan, '
        "Pedagang Mengaku Lega dan Pembeli Senang</p></div>"
    )
    page = news_page(extra_body=box)
    assert "Harga Cabai" in extracted(page).text
    pruned = extracted(page, HtmlOptions(prune_xpath=['//div[@class="box-terkait"]']))
    assert "Harga Cabai" not in pruned.text
    assert PARAGRAPHS[2] in pruned.text


def test_each_extraction_uses_its_own_settings_in_any_order() -> None:
    # trafilatura's settings are made once per set of options and reused: a page
    # extracted with one set must not take another's, whatever came before it.
    table = "<table><tr><td>Jumlah relawan</td><td>1.250 orang dari 14 kelurahan</td></tr></table>"
    tree = parse(news_page(extra_body=table))
    with_tables, without = HtmlOptions(), HtmlOptions(include_tables=False)
    texts = [main_text(tree, None, options) for options in (with_tables, without) * 2]
    assert "1.250 orang" in texts[0]
    assert "1.250 orang" not in texts[1]
    assert texts[2:] == texts[:2]
    assert PARAGRAPHS[2] in texts[1]


def test_an_outlet_flag_overrides_the_generic_one_and_xpaths_add_up() -> None:
    generic = HtmlOptions(prune_xpath=["//nav"])
    merged = generic.merged(HtmlOptions(prune_xpath=["//aside"], fallback=False))
    assert merged.prune_xpath == ["//nav", "//aside"]
    assert merged.fallback is False
    assert generic.merged(None).fallback is True


def _without_meta_author(page: str) -> str:
    return page.replace('<meta name="author" content="Rina Kusumawati">', "")


def test_a_byline_the_markup_does_not_declare_is_searched_for_only_when_wanted() -> None:
    page = extracted(_without_meta_author(news_page())).page
    assert page.authors == ()  # not declared: the costly search has not run
    assert page.completed(set()) is page
    found = page.completed({"authors"}).authors
    assert found and found[0].startswith("Rina Kusumawati")


def test_a_rule_file_can_turn_the_page_search_off() -> None:
    page = extracted(_without_meta_author(news_page()), HtmlOptions(search=[])).page
    assert page.completed({"authors", "category", "tags"}).authors == ()


def test_metadata_xpaths_may_use_xpath_functions_and_name_several_values() -> None:
    options = HtmlOptions(
        metadata={
            "authors": 'substring-before(//div[@class="byline"], " - ")',
            "tags": '//meta[@property="article:tag"]/@content',
            "category": "//nav/a[2]",
        }
    )
    page = extracted(_without_meta_author(news_page()), options).page
    assert page.authors == ("Rina Kusumawati",)
    assert page.tags == ("lingkungan", "sungai")
    assert page.categories == ("Daerah",)


def test_authors_from_an_xpath_are_split_and_lose_the_site_name() -> None:
    byline = '<div class="kredit">Andi Saputra dan Rina Kusumawati - KabarContoh</div>'
    options = HtmlOptions(metadata={"authors": '//div[@class="kredit"]'})
    page = extracted(news_page(extra_body=byline), options).page
    assert page.authors == ("Andi Saputra", "Rina Kusumawati")


def test_the_declared_publication_time_wins_and_json_ld_is_read_too() -> None:
    json_ld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        '"datePublished": "2024-03-04T21:00:00+07:00"}</script>'
    )
    page = news_page().replace("</head>", json_ld + "</head>")
    assert extracted(page).page.published_at == "2024-03-05T09:15:00+07:00"
    only_json_ld = page.replace(
        '<meta property="article:published_time" content="2024-03-05T09:15:00+07:00">', ""
    )
    assert extracted(only_json_ld).page.published_at == "2024-03-04T21:00:00+07:00"


# --- through Cleaner.clean_html -------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "site", "outlet"),
    [
        ("www.tribunnews.com", "Tribunnews.com", "tribunnews"),
        ("nasional.sindonews.com", "SINDOnews.com", "sindonews"),
        ("www.idntimes.com", "IDN Times", "idntimes"),
        ("rmol.id", "RMOL.ID", "rmol"),
    ],
)
def test_page_on_a_bundled_outlets_domain_gets_that_outlet(
    cleaner: Cleaner, host: str, site: str, outlet: str
) -> None:
    page = news_page(host=host, site=site, title=f"{HEADLINE} - {site}")
    url = f"https://{host}/daerah/warga-sukamaju-bersihkan-sungai"
    result = cleaner.clean_html(page, url=url)
    assert isinstance(result, Article), result
    assert result.outlet == outlet
    assert result.url == url
    assert result.cleaning.detected_by == "url"
    assert result.cleaning.input_kind == "html"
    assert result.site_name == site
    assert result.title == HEADLINE
    assert "Baca juga" not in result.text
    assert result.cleaning.rule_hits.get("lexicon/related-link") == 1
    assert PARAGRAPHS[1] in result.text.split("\n")


def test_idn_times_as_author_on_idntimes_com_is_not_an_author(cleaner: Cleaner) -> None:
    page = news_page(host="www.idntimes.com", site="IDN Times", author="Rina Kusumawati, IDN Times")
    result = cleaner.clean_html(page, url="https://www.idntimes.com/news/indonesia/sungai")
    assert isinstance(result, Article)
    assert result.authors == ["Rina Kusumawati"]


def test_page_url_from_canonical_picks_the_outlet_without_a_given_url(cleaner: Cleaner) -> None:
    page = news_page(host="www.tribunnews.com", site="Tribunnews.com")
    result = cleaner.clean_html(page)
    assert isinstance(result, Article)
    assert result.outlet == "tribunnews"
    assert result.url == "https://www.tribunnews.com/daerah/warga-sukamaju-bersihkan-sungai"


def test_a_page_saved_without_its_url_is_claimed_by_its_links_to_its_own_site(
    cleaner: Cleaner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No URL and no sign in the text: the page's feed link names the outlet, so the page
    is extracted once, with the outlet's settings (not first untuned, then again)."""
    page = news_page(host="www.tribunnews.com").replace(
        '<link rel="canonical"', '<link rel="alternate" type="application/rss+xml"'
    )
    assert page_url(parse(page)) is None
    calls: list[bool] = []
    real = html.main_text

    def counted(*args: object, **kwargs: bool) -> str:
        calls.append(kwargs.get("precision", False))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(html, "main_text", counted)
    result = cleaner.clean_html(page)
    assert isinstance(result, Article)
    assert (result.outlet, result.cleaning.detected_by) == ("tribunnews", "markup")
    assert result.url is None
    assert calls == [False], "one extraction, the outlet's (not favor_precision first)"


def test_page_with_no_main_text_is_rejected(cleaner: Cleaner) -> None:
    page = (
        "<!DOCTYPE html><html><head><title>Galeri Foto - Kabar Contoh</title></head>"
        '<body><script>var app = {};</script><div id="app"></div>'
        '<div class="galeri"><img src="/foto/1.jpg"><img src="/foto/2.jpg"></div></body></html>'
    )
    result = cleaner.clean_html(page, url="https://www.kabarcontoh.id/galeri/1")
    assert isinstance(result, Reject)
    assert result.reason == "no_main_text"


def test_binary_junk_declared_as_html_is_undecodable(cleaner: Cleaner) -> None:
    # observed: bytes with NULs and control bytes stop at decoding, before parsing
    junk = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    result = cleaner.clean_html(junk)
    assert isinstance(result, Reject)
    assert result.reason == "undecodable"


def test_text_that_is_not_html_declared_as_html_is_not_html(cleaner: Cleaner) -> None:
    result = cleaner.clean_html(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >>")
    assert isinstance(result, Reject)
    assert result.reason == "not_html"


def test_http_charset_from_meta_reaches_decoding(cleaner: Cleaner) -> None:
    page = (
        news_page()
        .replace('<meta charset="utf-8">', "")
        .replace(PARAGRAPHS[1], "\u201cKami siap,\u201d kata kepala desa \u2013 Senin.")
    )
    doc = RawDocument(
        source="x", data=page.encode("cp1252"), kind="html", meta={"charset": "iso-8859-1"}
    )
    result = cleaner.clean(doc)
    assert isinstance(result, Article)
    assert result.cleaning.encoding == "cp1252"
    assert "\u201cKami siap,\u201d kata kepala desa \u2013 Senin." in result.text


# --- real pages (../shared/realpages) -------------------------------------------------------

REAL_HTML = sorted(REALPAGES.glob("*.html")) if REALPAGES.is_dir() else []
KOMPAS_PAGE = REALPAGES / "11_kompas_anpandu_kompas-singlepage.html"


@pytest.mark.realpages
@pytest.mark.skipif(not KOMPAS_PAGE.exists(), reason=f"no {KOMPAS_PAGE}")
def test_some_real_pages_need_trafilaturas_fallback_extractors() -> None:
    """Why kompas.yaml keeps the fallback: without it this page's text takes in the
    lists around the article (bag-of-words precision 0.37 instead of 0.98)."""
    tree = parse(KOMPAS_PAGE.read_text(encoding="utf-8", errors="replace"))
    with_fallback = main_text(tree, None, HtmlOptions())
    without = main_text(tree, None, HtmlOptions(fallback=False))
    assert len(without) > 1.5 * len(with_fallback)


@pytest.mark.realpages
@pytest.mark.skipif(not REAL_HTML, reason=f"no real pages at {REALPAGES}")
@pytest.mark.parametrize("path", REAL_HTML, ids=[p.name for p in REAL_HTML])
def test_real_page_cleans_to_an_article_with_text_and_title(cleaner: Cleaner, path: Path) -> None:
    result = cleaner.clean(RawDocument(source=path.as_posix(), data=path.read_bytes(), kind="html"))
    assert isinstance(result, Article), f"{result.reason}: {result.detail}"  # type: ignore[union-attr]
    assert result.text.strip()
    assert result.word_count >= 50
    assert result.title
    assert result.cleaning.input_kind == "html"
