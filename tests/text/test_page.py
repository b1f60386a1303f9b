"""What a page declares about itself (cleaner/text/page.py): its publication time."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.text.html import parse
from cleaner.text.page import _HAS_TIME, _JSON_LD_PUBLISHED, _TIME_METAS, published_time

# The declaration published_time reads, written as the XPath it answers to.
DECLARED = (
    '//meta[@content] | //time[@itemprop="datePublished"][@datetime]'
    ' | //script[@type="application/ld+json"]'
)


def declared_time(tree: Any) -> str | None:
    """The reference: every declaration the XPath union finds, in document order, ranked
    by trust (meta tags by attribute and value, then time elements, then JSON-LD)."""
    ranked: list[list[str]] = [[] for _ in range(len(_TIME_METAS) + 2)]
    for element in tree.xpath(DECLARED):
        if element.tag == "meta":
            rank = next(
                (i for i, (attr, values) in enumerate(_TIME_METAS) if element.get(attr) in values),
                None,
            )
            if rank is not None:
                ranked[rank].append(str(element.get("content")))
        elif element.tag == "time":
            ranked[-2].append(str(element.get("datetime")))
        else:
            ranked[-1] += _JSON_LD_PUBLISHED.findall(element.text or "")
    found = (c.strip() for group in ranked for c in group)
    return next((c for c in found if _HAS_TIME.match(c)), None)


TIMES = st.sampled_from(["2024-03-05T09:15:00+07:00", "2023-01-02 10:00", "2022-12-31", "kemarin"])
ATTRIBUTES = st.sampled_from(
    [
        'property="article:published_time"',
        'property="og:article:published_time"',
        'itemprop="datePublished"',
        'name="pubdate"',
        'name="publishdate"',
        'name="content_PublishedDate"',
        'name="description"',
        'itemprop="datePublished" name="pubdate"',
        'name="pubdate" property="og:article:published_time"',
    ]
)


@st.composite
def declarations(draw: st.DrawFn) -> str:
    time = draw(TIMES)
    kind = draw(st.sampled_from(["meta", "meta-empty", "time", "time-bare", "json", "script"]))
    if kind == "meta":
        return f'<meta {draw(ATTRIBUTES)} content="{time}">'
    if kind == "meta-empty":
        return f"<meta {draw(ATTRIBUTES)}>"
    if kind == "time":
        return f'<time itemprop="datePublished" datetime="{time}">{time}</time>'
    if kind == "time-bare":
        return f'<time datetime="{time}">{time}</time>'
    if kind == "json":
        return f'<script type="application/ld+json">{{"datePublished": "{time}"}}</script>'
    return f'<script>var datePublished = "{time}";</script>'


@settings(max_examples=300, deadline=None)
@given(
    head=st.lists(declarations(), max_size=4),
    body=st.lists(declarations(), max_size=4),
    fragment=st.booleans(),
)
def test_published_time_reads_what_the_xpath_union_finds(
    head: list[str], body: list[str], fragment: bool
) -> None:
    paragraph = "<p>Warga membersihkan sungai.</p><p>Kegiatan digelar Minggu pagi.</p>"
    if fragment:  # no <html>: the parser places the elements itself
        markup = "".join(head) + paragraph + "".join(body)
    else:
        markup = (
            f"<html><head><title>Judul</title>{''.join(head)}</head>"
            f"<body><div>{paragraph}{''.join(body)}</div></body></html>"
        )
    tree = parse(markup)
    assert tree is not None
    assert published_time(tree) == declared_time(tree)
