"""The browse pages in a real headless Chromium, against the real app served by uvicorn.

The archive is filled through the real import pipeline (tests/web/browser.py), so what the
pages should show is derived from the records and the archive, not typed in twice.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit
from urllib.request import Request, urlopen

import pytest
from sqlalchemy import select

from crawler.tagging.gazetteer import load_gazetteer
from storage.models import Article
from tests.web.browser import (  # noqa: F401 - fixtures
    PHONE,
    RECORDS,
    SeededArchive,
    ServedApp,
    archive_fixture,
    browser_fixture,
    page_fixture,
    served_fixture,
)

pytestmark = pytest.mark.timeout(180)

FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/feed+json"}


# --- helpers --------------------------------------------------------------------------------


def listed_ids(page: Any) -> list[int]:
    """Article ids of the story list, in page order."""
    return [
        int(x)
        for x in page.locator("li.story").evaluate_all("els => els.map(e => e.dataset.articleId)")
    ]


def relevant_originals(archive: SeededArchive) -> list[int]:
    """What the list must show, computed from the archive itself: one article per story (the
    original), irrelevant articles left out, newest first."""
    with archive.sessions() as session:
        rows = session.scalars(select(Article)).all()
        shown = [
            a
            for a in rows
            if a.relevant is not False and (a.story_id is None or a.relation == "original")
        ]
        shown.sort(key=lambda a: (a.published_at, a.id), reverse=True)
        return [a.id for a in shown]


def open_filters(page: Any) -> None:
    """Unfold the filter form as a reader does (it starts folded when no filter is set)."""
    if page.locator("details.filters").get_attribute("open") is None:
        page.click("details.filters summary")
    assert page.locator("form[role=search]").is_visible()


def fetch(url: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    with urlopen(Request(url, method=method), timeout=30) as response:  # noqa: S310 - 127.0.0.1 only
        return response.status, dict(response.headers.items()), response.read()


def assert_no_horizontal_scroll(page: Any) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth,"
        " document.body.scrollWidth]"
    )
    assert widths[0] <= widths[1] and widths[2] <= widths[1], (
        f"page wider than the screen: {widths}"
    )


# --- the latest stories ---------------------------------------------------------------------


def test_latest_lists_one_item_per_story_with_its_copies(page, served, archive):
    page.goto(served.url("/"))
    ids = listed_ids(page)
    expected = relevant_originals(archive)
    assert ids == expected
    assert archive.ids["tn_original"] in ids
    for copy in ("tn_copy", "tn_english"):  # the story's copies are not items of their own
        assert archive.ids[copy] not in ids
    assert archive.ids["off_topic"] not in ids  # not a science/technology story
    item = page.locator(f"li.story[data-article-id='{archive.ids['tn_original']}']")
    assert item.locator("h2").inner_text() == RECORDS["tn_original"]["title"]
    copies = item.locator("a.copies-link")
    assert copies.inner_text() == "2 copies"
    copies.click()
    page.wait_for_url(re.compile(rf"/articles/{archive.ids['tn_original']}#copies$"))
    assert page.locator("#copies li.copy").count() == 3
    # a story of one article has no copies link
    page.goto(served.url("/"))
    lone = page.locator(f"li.story[data-article-id='{archive.ids['lam_dong_ai']}']")
    assert lone.count() == 1 and lone.locator("a.copies-link").count() == 0


def test_filter_by_province_with_the_select(page, served, archive):
    page.goto(served.url("/"))
    open_filters(page)
    page.select_option("select#province", "lam-dong")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url(re.compile(r"province=lam-dong"))
    assert listed_ids(page) == [archive.ids["lam_dong_ai"]]
    assert "Lâm Đồng" in page.locator("h1").inner_text()
    assert page.locator("select#province").input_value() == "lam-dong"


def test_old_province_name_finds_the_unit_it_merged_into(page, served, archive):
    page.goto(served.url("/"))
    open_filters(page)
    page.fill("input#province_name", "Bắc Kạn")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_load_state()
    ids = listed_ids(page)
    # Bắc Kạn merged into Thái Nguyên: the Thái Nguyên story and the Bắc Kạn (cũ) one
    assert sorted(ids) == sorted([archive.ids["tn_original"], archive.ids["bac_kan_tea"]])
    notice = page.locator("p.notice").inner_text()
    assert "Bắc Kạn" in notice and "Thái Nguyên" in notice
    assert page.locator("select#province").input_value() == "thai-nguyen"
    # without diacritics too, and through the plain `province` parameter
    page.goto(served.url("/?province=bac+kan"))
    assert sorted(listed_ids(page)) == sorted(ids)


def test_filter_by_topic_source_and_dates(page, served, archive):
    page.goto(served.url("/"))
    open_filters(page)
    page.select_option("select#topic", "ai")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url(re.compile(r"topic=ai"))
    assert listed_ids(page) == [archive.ids["lam_dong_ai"]]

    page.goto(served.url("/?topic=semiconductors"))
    assert listed_ids(page) == [archive.ids["ha_noi_chips"]]

    page.goto(served.url("/"))
    open_filters(page)
    page.select_option("select#source", "laichau")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url(re.compile(r"source=laichau"))
    assert listed_ids(page) == [archive.ids["lai_chau_5g"]]

    # dates are Vietnamese days, "To" inclusive: 2025-09-01 .. 2025-09-05
    page.goto(served.url("/"))
    open_filters(page)
    page.fill("input#since", "2025-09-01")
    page.fill("input#until", "2025-09-05")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url(re.compile(r"since=2025-09-01"))
    days = {
        name: datetime.fromisoformat(r["published_at"]).date().isoformat()
        for name, r in RECORDS.items()
    }
    wanted = [archive.ids[n] for n, d in days.items() if "2025-09-01" <= d <= "2025-09-05"]
    expected = [i for i in relevant_originals(archive) if i in wanted]
    assert expected and listed_ids(page) == expected


def test_text_search_ignores_accents(page, served, archive):
    page.goto(served.url("/"))
    open_filters(page)
    page.fill("input#q", "tri tue nhan tao")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url(re.compile(r"q=tri"))
    assert listed_ids(page) == [archive.ids["lam_dong_ai"]]
    page.goto(served.url("/?q=" + "chuyển đổi số"))
    ids = listed_ids(page)
    with_words = [
        archive.ids[n]
        for n, r in RECORDS.items()
        if "chuyển đổi số" in f"{r['title']} {r['summary']} {r['text']}".lower()
    ]
    assert ids and set(ids) <= set(with_words)
    assert archive.ids["bac_kan_tea"] in ids and archive.ids["lam_dong_ai"] not in ids


def test_paging(page, served, archive, monkeypatch):
    import web.pages

    monkeypatch.setattr(web.pages, "PAGE_SIZE", 2)
    expected = relevant_originals(archive)
    assert len(expected) > 4
    seen: list[int] = []
    page.goto(served.url("/"))
    while True:
        ids = listed_ids(page)
        assert 1 <= len(ids) <= 2
        seen.extend(ids)
        older = page.locator("a[rel=next]")
        if older.count() == 0:
            break
        older.click()
        page.wait_for_load_state()
    assert seen == expected
    assert page.locator("a[rel=prev]").count() == 1


# --- the article view -----------------------------------------------------------------------


def test_article_view_shows_its_story_copies_provinces_and_topics(page, served, archive):
    original = archive.ids["tn_original"]
    page.goto(served.url(f"/articles/{original}"))
    assert page.locator("article h1").inner_text() == RECORDS["tn_original"]["title"]
    copies = page.locator("#copies li.copy")
    assert copies.count() == 3
    rows = copies.evaluate_all(
        "els => els.map(e => [Number(e.dataset.articleId), e.dataset.relation,"
        " e.querySelector('.copy-lang').textContent])"
    )
    assert rows == [
        [original, "original", "vi"],
        [archive.ids["tn_copy"], "republished", "vi"],
        [archive.ids["tn_english"], "translated", "en"],
    ]
    sites = copies.locator(".meta").all_inner_texts()
    assert "mst.gov.vn" in sites[0] and "baochinhphu.vn" in sites[1] and "vietnam.vn" in sites[2]
    assert page.locator("#copies li.current").get_attribute("data-article-id") == str(original)
    assert "Thái Nguyên" in page.locator("ul[aria-label=Provinces]").inner_text()
    assert "Digital transformation" in page.locator("ul[aria-label=Topics]").inner_text()
    body = page.locator("article .body").inner_text()
    assert "bốn trăm hợp tác xã" in body
    # a copy's own page lists the same story and marks itself
    page.click(f"#copies a[href$='/articles/{archive.ids['tn_english']}']")
    page.wait_for_url(re.compile(rf"/articles/{archive.ids['tn_english']}$"))
    assert page.locator("article").get_attribute("lang") == "en"
    assert page.locator("#copies li.current").get_attribute("data-relation") == "translated"


# --- the province overview ------------------------------------------------------------------


def test_province_chart_has_34_bars_with_their_numbers(page, served, archive):
    page.goto(served.url("/provinces"))
    rows = page.locator("ol.chart li.chart-row")
    assert rows.count() == 34
    slugs = rows.evaluate_all("els => els.map(e => e.dataset.slug)")
    assert sorted(slugs) == sorted(u.slug for u in load_gazetteer().units)
    # the numbers, computed from the archive: relevant articles naming the province
    with archive.sessions() as session:
        expected: Counter[str] = Counter()
        for article in session.scalars(select(Article)).all():
            if article.relevant:
                expected.update({p.province for p in article.provinces})
    shown = dict(
        rows.evaluate_all(
            "els => els.map(e => [e.dataset.slug, Number(e.querySelector('.count').textContent)])"
        )
    )
    assert shown == {slug: expected.get(slug, 0) for slug in slugs}
    assert shown["thai-nguyen"] >= 3  # original, its copies and the Bắc Kạn story
    # bars proportional to the numbers; the largest fills the track
    peak = max(shown.values())
    widths = dict(
        rows.evaluate_all(
            "els => els.map(e => [e.dataset.slug,"
            " Number(e.querySelector('svg rect.fill').getAttribute('width'))])"
        )
    )
    for slug, count in shown.items():
        assert widths[slug] == pytest.approx(100 * count / peak, abs=0.01)
    # sorted by count, and each province links to its filtered list
    counts = [shown[s] for s in slugs]
    assert counts == sorted(counts, reverse=True)
    page.click("ol.chart li[data-slug='lai-chau'] .name a")
    page.wait_for_url(re.compile(r"province=lai-chau"))
    assert listed_ids(page) == [archive.ids["lai_chau_5g"]]


# --- feeds ----------------------------------------------------------------------------------


def alternate_links(page: Any) -> list[dict[str, str]]:
    return page.locator("head link[rel=alternate]").evaluate_all(
        "els => els.map(e => ({type: e.type, href: e.href, title: e.title}))"
    )


@pytest.mark.parametrize(
    ("query", "path", "params"),
    [
        ("", "/feeds/all", {}),
        ("?province=lam-dong", "/feeds/provinces/lam-dong", {}),
        ("?province_name=B%E1%BA%AFc+K%E1%BA%A1n", "/feeds/provinces/thai-nguyen", {}),
        ("?topic=ai", "/feeds/topics/ai", {}),
        ("?province=lam-dong&topic=ai", "/feeds/provinces/lam-dong", {"topic": ["ai"]}),
        ("?source=laichau&q=5G", "/feeds/all", {"source": ["laichau"], "q": ["5G"]}),
    ],
)
def test_feed_autodiscovery_and_subscribe_links(page, served, archive, query, path, params):
    page.goto(served.url("/" + query))
    links = alternate_links(page)
    assert {link["type"] for link in links} == FEED_TYPES
    visible = page.locator("p.subscribe a.feed-link").evaluate_all("els => els.map(e => e.href)")
    assert sorted(visible) == sorted(link["href"] for link in links)
    titles_on_page = set(page.locator("li.story h2").all_inner_texts())
    for link in links:
        parts = urlsplit(link["href"])
        assert f"{parts.scheme}://{parts.netloc}" == served.base_url
        extension = {"application/rss+xml": "rss", "application/atom+xml": "atom",
                     "application/feed+json": "json"}[link["type"]]  # fmt: skip
        assert parts.path == f"{path}.{extension}"
        assert parse_qs(parts.query) == params
        status, headers, body = fetch(link["href"])
        assert status == 200, link
        assert headers["content-type"].split(";")[0] in (link["type"], "application/xml",
                                                         "application/json")  # fmt: skip
        text = body.decode("utf-8")
        # the feed carries the stories the page lists (feeds escape titles their own way)
        for title in titles_on_page:
            if "<" not in title and "&" not in title:
                assert title in text, (title, link["href"])


# --- phone, screenshots ---------------------------------------------------------------------


def test_readable_on_a_phone(browser, served, archive, tmp_path):
    tab = browser.new_page()
    try:
        tab.set_viewport_size(PHONE)
        paths = {
            "latest": "/",
            "filtered": "/?province=thai-nguyen&topic=digital-transformation",
            "article": f"/articles/{archive.ids['tn_original']}",
            "translated": f"/articles/{archive.ids['tn_english']}",
            "xss": f"/articles/{archive.ids['xss']}",
            "provinces": "/provinces",
            "unknown-province": "/?province=Atlantis",
        }
        for name, path in paths.items():
            tab.goto(served.url(path))
            assert_no_horizontal_scroll(tab)
            # the text is not shrunk to fit: the body font stays readable
            size = tab.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
            assert size >= 14, (name, size)
            shot = tmp_path / f"phone-{name}.png"
            tab.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 5000
        print(f"screenshots in {tmp_path}")
    finally:
        tab.close()


def test_filtered_page_screenshot_shows_the_expected_stories(page, served, archive, tmp_path):
    page.goto(served.url("/?province=thai-nguyen"))
    expected_titles = {RECORDS["tn_original"]["title"], RECORDS["bac_kan_tea"]["title"]}
    assert set(page.locator("li.story h2").all_inner_texts()) == expected_titles
    for title in expected_titles:
        assert page.get_by_role("link", name=title).is_visible()
    shot = tmp_path / "desktop-thai-nguyen.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 5000


# --- XSS ------------------------------------------------------------------------------------

XSS_PROBE = """() => ({
    flag: window.__xss === undefined ? null : String(window.__xss),
    scripts: document.querySelectorAll('script').length,
    handlers: [...document.querySelectorAll('*')].flatMap(
        e => [...e.attributes].filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name)),
    jsUrls: [...document.querySelectorAll('[href],[src],[action],[data],[formaction]')].flatMap(
        e => ['href', 'src', 'action', 'data', 'formaction'].map(n => e.getAttribute(n) || '')
            .filter(v => /^\\s*javascript:/i.test(v))),
    embeds: document.querySelectorAll('iframe,object,embed,form:not([role=search])').length,
})"""


def test_xss_article_renders_inert(page, served, archive):
    xss = archive.ids["xss"]
    for path in (
        f"/articles/{xss}",
        "/?q=cho+noi",
        "/?province=can-tho",
        "/?source=baochinhphu",
    ):
        page.goto(served.url(path))
        # hover and click everything a payload could hang on
        for selector in ("article .body p", "article .body a", "article .lead", "li.story b"):
            for element in page.locator(selector).all():
                element.hover()
        page.locator("article .body a, article .lead a, li.story p:not(.meta) a").evaluate_all(
            "els => els.forEach(e => e.dispatchEvent(new MouseEvent('click', {bubbles: true,"
            " cancelable: true})))"
        )
        probe = page.evaluate(XSS_PROBE)
        assert probe == {"flag": None, "scripts": 0, "handlers": [], "jsUrls": [], "embeds": 0}, (
            path
        )
        assert page.watch.dialogs == [] and page.watch.errors == [], path
        # nothing even tried to run: the policy reported no blocked script
        assert not [m for m in page.watch.console if "Content Security Policy" in m], path
    # the title is shown as the text it is, not as markup
    page.goto(served.url(f"/articles/{xss}"))
    assert page.locator("article h1").inner_text() == RECORDS["xss"]["title"]
    assert "javascript:" in page.locator("article .lead").inner_text()  # as text, not a link
    assert page.locator("article .meta a[rel~=noopener]").count() == 0  # its javascript: URL


def test_pages_forbid_scripts_by_policy(served, archive):
    for path in ("/", f"/articles/{archive.ids['xss']}", "/provinces", "/?province=Atlantis"):
        try:
            _status, headers, _body = fetch(served.url(path))
        except Exception as exc:  # urllib raises for 4xx; the headers are on the error
            headers = dict(exc.headers.items())  # type: ignore[attr-defined]
        policy = headers["content-security-policy"]
        assert "default-src 'none'" in policy and "script-src" not in policy
        assert headers["x-content-type-options"] == "nosniff"
    # link checkers ask with HEAD
    for path in ("/", "/provinces", f"/articles/{archive.ids['tn_original']}", "/static/site.css"):
        status, headers, body = fetch(served.url(path), method="HEAD")
        assert status == 200 and body == b"", path


# --- bad filters ----------------------------------------------------------------------------


def test_unknown_province_shows_the_closest_names(page, served):
    response = page.goto(served.url("/?province=Bac+Kn"))
    assert response.status == 404
    problem = page.locator("div.problem[data-field=province]")
    assert "Bac Kn" in problem.inner_text()
    suggestions = problem.locator("ul.suggestions a").all_inner_texts()
    assert "Bắc Kạn (now Thái Nguyên)" in suggestions
    assert page.locator("input#province_name").input_value() == "Bac Kn"  # to correct it
    assert page.locator("li.story").count() == 0
    problem.get_by_role("link", name="Bắc Kạn (now Thái Nguyên)").click()
    page.wait_for_url(re.compile(r"province=thai-nguyen"))
    assert page.locator("li.story").count() == 2


@pytest.mark.parametrize(
    ("path", "status", "field", "words"),
    [
        ("/?province=Atlantis", 404, "province", "no province"),
        ("/?topic=astrology", 404, "topic", "no topic"),
        ("/?source=nowhere", 404, "source", "No articles from"),
        ("/?since=yesterday", 400, "since", "YYYY-MM-DD"),
        ("/?until=2025-13-45", 400, "until", "YYYY-MM-DD"),
        ("/?since=2025-09-10&until=2025-09-01", 400, "until", "before"),
        ("/?page=-3", 400, "page", "not a page number"),
        ("/?page=99999999999999999999", 400, "page", "not a page number"),
        ("/articles/abc", 404, "article", "not an article number"),
        ("/articles/999999", 404, "article", "no article 999999"),
        ("/articles/99999999999999999999999", 404, "article", "not an article number"),
    ],
)
def test_bad_filter_values_get_a_friendly_page(page, served, path, status, field, words):
    response = page.goto(served.url(path))
    assert response.status == status
    problem = page.locator(f"div.problem[data-field={field}]")
    assert words.lower() in problem.inner_text().lower()
    assert page.locator("header a.brand").is_visible()  # the site's own page, not a bare error


def test_odd_input_never_breaks_a_page(served):
    odd = [
        "/?q=%22unclosed",
        "/?q=*",
        "/?q=AND+OR+NOT+NEAR",
        "/?q=" + "a" * 5000,
        "/?province=%00",
        "/?province=" + "%E1%BA%A1" * 300,
        "/?topic=%3Cscript%3E",
        "/?q=%F0%9F%98%80&page=2",
        "/?since=0000-00-00",
        "/?until=9999-12-31",
        "/?since=0001-01-01",
        "/?page=1&page=2&province=hue&province=Atlantis",
        "/provinces?sort=%3Cx%3E",
        "/static/..%2Fpages.py",
        "/static/site.css%00",
    ]
    for path in odd:
        try:
            status, _headers, body = fetch(served.url(path))
        except Exception as exc:
            status, body = exc.code, exc.read()  # type: ignore[attr-defined]
        assert status < 500, (path, status)
        assert b"<script" not in body.lower(), path


def test_an_empty_archive_shows_empty_pages(tmp_path):
    from storage.engine import open_archive

    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    open_archive(url).dispose()
    with ServedApp(url) as empty:
        status, _headers, body = fetch(empty.url("/"))
        assert status == 200 and b"No stories match" in body
        status, _headers, body = fetch(empty.url("/provinces"))
        assert status == 200
        assert body.count(b'class="chart-row"') == 34
        assert body.count(b'<span class="count">0</span>') == 34
        status, _headers, body = fetch(empty.url("/?province=hue&q=5G"))
        assert status == 200 and b"No stories match these filters" in body


def test_links_follow_the_configured_base_url(archive):
    """Behind a proxy serving the app under /vn, every link of the page keeps the prefix and
    the feeds are announced at the public address."""
    with ServedApp(archive.url, base_url="https://news.example.test/vn/") as proxied:
        _status, _headers, body = fetch(proxied.url("/?province=lam-dong"))
    html = body.decode("utf-8")
    hrefs = re.findall(r'(?:href|action)="([^"]+)"', html)
    site = [h for h in hrefs if h.startswith("/")]
    assert site and all(h.startswith("/vn/") for h in site), site
    assert "/vn/static/site.css" in site and "/vn/provinces" in site
    assert f"/vn/articles/{archive.ids['lam_dong_ai']}" in site
    feeds = re.findall(r'<link rel="alternate" type="[^"]+" title="[^"]*" href="([^"]+)"', html)
    assert sorted(feeds) == sorted(
        f"https://news.example.test/vn/feeds/provinces/lam-dong.{ext}"
        for ext in ("rss", "atom", "json")
    )
