"""Config entries (``[[site]]`` TOML tables): what a valid entry becomes, and a clear message
naming the file, the entry and the key for every kind of mistake."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from spiders.portal_config import (
    RESERVED_KEYS,
    SHIPPED_FILE,
    ConfigError,
    config_sites,
    load_file,
    parse_entries,
)
from spiders.registry import CONFIG, SITES, all_sites
from tests.conftest import ROOT

FULL = """
[[site]]
key = "sokhcn-thu-nghiem"
name = "Sở KH&CN thử nghiệm"
host = "sokhcn.thu-nghiem.test"
lang = "vi"
langs = ["en"]
province = "lam-dong"
article_pattern = '^/tin-tuc/[a-z0-9-]+-\\d+\\.html$'
feeds = ["https://sokhcn.thu-nghiem.test/rss/tin-moi.rss"]
sitemaps = ["https://sokhcn.thu-nghiem.test/sitemap.xml"]
listings = ["https://www.sokhcn.thu-nghiem.test/tin-tuc/"]
listing_links = ".news-item h3 a"
next_page = "a.next"
verified = true
notes = "seen working"

[site.selectors]
title = "h1.title"
summary = ".sapo"
published_at = ".date"
author = ".author"
tags = ".tags a"
category = ".breadcrumb a"
content = ".body"
drop = [".related", ".share"]

[[site]]
key = "bao-thu-nghiem"
name = "Báo thử nghiệm"
host = "bao.thu-nghiem.test"
lang = "vi"
article_pattern = '^/[a-z0-9-]+-\\d+\\.html$'
listings = ["https://bao.thu-nghiem.test/khoa-hoc/"]
"""

# The smallest valid entry; the malformed cases below each break one thing in it.
BASE = {
    "key": '"sokhcn-thu-nghiem"',
    "name": '"Sở KH&CN thử nghiệm"',
    "host": '"sokhcn.thu-nghiem.test"',
    "lang": '"vi"',
    "article_pattern": "'^/tin-tuc/[a-z0-9-]+\\.html$'",
    "listings": '["https://sokhcn.thu-nghiem.test/tin-tuc/"]',
}


def entry(selector_table: dict[str, str] | None = None, **changes: str | None) -> str:
    """BASE as TOML with keys changed (a value of ``None`` leaves the key out)."""
    values = {**BASE, **changes}
    lines = ["[[site]]", *(f"{k} = {v}" for k, v in values.items() if v is not None)]
    if selector_table is not None:
        lines += ["", "[site.selectors]", *(f"{k} = {v}" for k, v in selector_table.items())]
    return "\n".join(lines) + "\n"


def problems(text: str, origin: str = "sites.toml") -> str:
    with pytest.raises(ConfigError) as caught:
        parse_entries(text, origin)
    return str(caught.value)


# -- valid entries ---------------------------------------------------------------------------


def test_a_full_entry_becomes_a_config_site() -> None:
    first, second = parse_entries(FULL, "sites.toml")
    assert (first.key, first.name, first.host) == (
        "sokhcn-thu-nghiem", "Sở KH&CN thử nghiệm", "sokhcn.thu-nghiem.test",
    )  # fmt: skip
    assert (first.kind, first.spider, first.verified, first.notes) == (
        CONFIG, "portal", True, "seen working",
    )  # fmt: skip
    assert first.lang == "vi" and first.langs == ("vi", "en")
    assert first.province == "lam-dong"
    assert first.article_path.match("/tin-tuc/mo-hinh-moi-123.html")
    assert not first.article_path.match("/tin-tuc/")
    assert first.feeds == ("https://sokhcn.thu-nghiem.test/rss/tin-moi.rss",)
    assert first.sitemaps == ("https://sokhcn.thu-nghiem.test/sitemap.xml",)
    assert first.listings == ("https://www.sokhcn.thu-nghiem.test/tin-tuc/",)  # a subdomain
    assert dict(first.selectors) == {
        "title": "h1.title", "summary": ".sapo", "published_at": ".date",
        "author": ".author", "tags": ".tags a", "category": ".breadcrumb a",
        "content": ".body", "drop": (".related", ".share"),
        "listing_links": ".news-item h3 a", "next_page": "a.next",
    }  # fmt: skip


def test_optional_keys_have_defaults() -> None:
    _, second = parse_entries(FULL, "sites.toml")
    assert second.selectors == {}
    assert (second.province, second.verified, second.notes) == (None, False, "")
    assert second.langs == ("vi",) and second.feeds == () and second.sitemaps == ()


def test_drop_may_be_one_selector() -> None:
    (site,) = parse_entries(entry({"content": '".body"', "drop": '".ads"'}), "x.toml")
    assert site.selectors["drop"] == (".ads",)


def test_an_empty_file_has_no_entries() -> None:
    assert parse_entries("# nothing yet\n", "sites.toml") == []


# -- malformed entries: one message per problem, naming file, entry and key -------------------

WHERE = "sites.toml: site #1 (sokhcn-thu-nghiem): "

MALFORMED = [
    ("missing name", {"name": None}, "'name' is required"),
    ("missing pattern", {"article_pattern": None}, "'article_pattern' is required"),
    ("unknown key", {"language": '"vi"'}, "unknown key 'language' (known: key, name"),
    ("host with scheme", {"host": '"https://sokhcn.thu-nghiem.test/"'},
     "'host' = 'https://sokhcn.thu-nghiem.test/' is not valid: a bare host name"),
    ("host not a string", {"host": "42"}, "'host' must be a non-empty string"),
    ("empty name", {"name": '"  "'}, "'name' must be a non-empty string"),
    ("three-letter lang", {"lang": '"vie"'}, "'lang' = 'vie' is not valid: a two-letter"),
    ("province not a slug", {"province": '"Lâm Đồng"'},
     "'province' = 'Lâm Đồng' is not valid: a province slug"),
    ("bad regex", {"article_pattern": "'^/tin-tuc/(['"}, "'article_pattern' does not compile"),
    ("relative URL", {"listings": '["/tin-tuc/"]'},
     "'listings': '/tin-tuc/' is not an absolute http(s) URL"),
    ("URL on another host", {"feeds": '["https://example.com/rss"]'},
     "'feeds': 'https://example.com/rss' is not on the site's host 'sokhcn.thu-nghiem.test'"),
    ("URLs not a list", {"sitemaps": "3"}, "'sitemaps' must be a list of URLs"),
    ("no start URLs", {"listings": None},
     "no start URLs: give at least one of 'feeds', 'sitemaps', 'listings'"),
    ("verified not a bool", {"verified": '"yes"'}, "'verified' must be true or false"),
    ("langs not codes", {"langs": '["english"]'}, "'langs' must be a list of two-letter"),
    ("notes not a string", {"notes": "1"}, "'notes' must be a string"),
    ("selectors not a table", {"selectors": '"h1"'},
     "'selectors' must be a table of field = CSS selector"),
    ("bad listing selector", {"listing_links": '"h3 >> a"'},
     "selector 'listing_links' = 'h3 >> a' is not valid CSS"),
    ("pseudo-element", {"next_page": '"a.next::attr(href)"'},
     "selector 'next_page' = 'a.next::attr(href)' is not valid CSS (pseudo-elements"),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "message"), [c[1:] for c in MALFORMED],
                         ids=[c[0] for c in MALFORMED])  # fmt: skip
def test_each_malformed_entry_is_refused_with_where_and_what(changes: dict, message: str) -> None:
    text = problems(entry(**changes))
    assert f"{WHERE}{message}" in text, text


SELECTOR_MISTAKES = [
    ("unknown field", {"headline": '"h1"'}, "unknown selector field 'headline' (known: title"),
    ("invalid CSS", {"title": '"h1[title"'}, "selector 'title' = 'h1[title' is not valid CSS"),
    ("text pseudo-element", {"title": '"h1::text"'}, "selector 'title' = 'h1::text' is not valid"),
    ("empty selector", {"summary": '""'}, "selector 'summary' must be a non-empty CSS selector"),
    ("selector not a string", {"content": "[1]"}, "selector 'content' must be a non-empty CSS"),
    ("drop not selectors", {"drop": "3"}, "selector 'drop' must be a CSS selector or a list"),
    ("bad CSS in drop", {"drop": '[".ok", "div[["]'}, "selector 'drop' = 'div[[' is not valid CSS"),
]  # fmt: skip


@pytest.mark.parametrize(("selectors", "message"), [c[1:] for c in SELECTOR_MISTAKES],
                         ids=[c[0] for c in SELECTOR_MISTAKES])  # fmt: skip
def test_each_bad_selector_is_refused(selectors: dict, message: str) -> None:
    text = problems(entry(selectors))
    assert f"{WHERE}{message}" in text, text


def test_every_problem_of_an_entry_is_listed_at_once() -> None:
    text = problems(entry({"title": '"h1["'}, lang=None, host='"x"', language='"vi"'))
    lines = text.splitlines()
    assert len(lines) == 4
    assert all(line.startswith(WHERE) for line in lines)


def test_an_entry_without_a_key_is_named_by_its_number() -> None:
    text = problems(entry() + "\n" + entry(key=None))
    assert "sites.toml: site #2: 'key' is required" in text


@pytest.mark.parametrize("key", ["Sokhcn", "sokhcn_hn", "-sokhcn", "sở-khcn"])
def test_keys_are_lower_case_slugs(key: str) -> None:
    text = problems(entry(key=f'"{key}"'))
    assert f"sites.toml: site #1 ({key}): 'key' = '{key}' is not valid: lower-case" in text


@pytest.mark.parametrize("key", sorted(RESERVED_KEYS))
def test_reserved_keys_are_refused(key: str) -> None:
    text = problems(entry(key=f'"{key}"'))
    assert f"sites.toml: site #1 ({key}): 'key' = '{key}' is the name of a built-in spider" in text


def test_reserved_keys_are_the_builtins_and_the_portal_spider() -> None:
    assert {*SITES, "portal"} == RESERVED_KEYS


def test_duplicate_keys_in_one_file() -> None:
    text = problems(entry() + "\n" + entry())
    assert "sites.toml: site #2 (sokhcn-thu-nghiem): key 'sokhcn-thu-nghiem' is used by an " \
           "earlier entry" in text  # fmt: skip


def test_not_toml_and_wrong_document_shapes() -> None:
    assert problems("[[site]\nkey=", "a.toml").startswith("a.toml: not valid TOML: ")
    text = problems('[site]\nkey = "x"\n', "b.toml")
    assert "b.toml: 'site' must be an array of tables: write [[site]]" in text
    text = problems(entry() + '\n[source]\nkey = "y"\n', "c.toml")
    assert "c.toml: unknown top-level key 'source' (entries are [[site]] tables)" in text
    assert "d.toml: site #1: not a table" in problems("site = [1]\n", "d.toml")


# -- files ------------------------------------------------------------------------------------


def test_a_missing_user_file_is_no_entries(tmp_path: Path) -> None:
    assert load_file(tmp_path / "absent.toml") == []
    assert config_sites(tmp_path / "absent.toml") == config_sites(None)


def test_user_entries_come_after_the_shipped_ones(tmp_path: Path) -> None:
    user = tmp_path / "sites.toml"
    user.write_text(entry(), encoding="utf-8")
    sites = config_sites(user)
    assert list(sites)[-1] == "sokhcn-thu-nghiem"
    assert set(config_sites(None)) < set(sites)
    assert set(SITES) < set(all_sites(user)) and "sokhcn-thu-nghiem" in all_sites(user)


def test_a_user_key_that_the_shipped_file_defines_is_refused(tmp_path: Path) -> None:
    shipped_key = next(iter(config_sites(None)))
    user = tmp_path / "sites.toml"
    user.write_text(entry(key=f'"{shipped_key}"'), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        config_sites(user)
    assert str(caught.value) == (f"{user}: key {shipped_key!r} is already defined by portals.toml")


def test_encodings(tmp_path: Path) -> None:
    bom = tmp_path / "bom.toml"
    bom.write_bytes(b"\xef\xbb\xbf" + entry().encode("utf-8"))
    assert [s.key for s in load_file(bom)] == ["sokhcn-thu-nghiem"]
    latin = tmp_path / "latin.toml"
    latin.write_bytes(entry().encode("cp1258", errors="replace").replace(b"?", b"\xd5"))
    with pytest.raises(ConfigError, match=r"latin\.toml: not UTF-8 text .* save the file as UTF-8"):
        load_file(latin)


def test_errors_name_the_file_they_come_from(tmp_path: Path) -> None:
    user = tmp_path / "mine.toml"
    user.write_text(entry(lang='"vie"'), encoding="utf-8")
    with pytest.raises(
        ConfigError, match=re.escape(f"{user}: site #1 (sokhcn-thu-nghiem): 'lang'")
    ):
        all_sites(user)


# -- the shipped file and the fixture entries ---------------------------------------------------


def test_the_shipped_file_validates_with_at_least_six_unverified_sources() -> None:
    shipped = load_file(SHIPPED_FILE)
    assert len(shipped) >= 6
    assert len({s.host for s in shipped}) == len(shipped)
    for site in shipped:
        assert site.kind == CONFIG and site.spider == "portal"
        assert site.verified is False, site.key  # nothing here has been seen live
        assert len(site.notes) > 80, site.key  # says what is a guess
        assert site.start_urls, site.key
        for url in site.start_urls:
            host = urlsplit(url).hostname
            assert host == site.host or host.endswith("." + site.host), (site.key, url)
        assert not site.host.endswith(".test")
    assert any(s.province for s in shipped), "at least one provincial source"
    assert any(s.selectors.get("content") for s in shipped)
    assert any(not s.selectors for s in shipped)


def test_shipped_article_patterns_accept_their_documented_url_shapes() -> None:
    shipped = {s.key: s for s in load_file(SHIPPED_FILE)}
    examples = {
        "vnexpress-khcn": "/ve-tinh-dau-tien-do-viet-nam-che-tao-4812345.html",
        "nhandan-khcn": "/trien-khai-nen-tang-so-post812345.html",
        "vietnamplus": "/viet-nam-thu-nghiem-5g-post987654.vnp",
        "chinhphu-xdcs": "/chinh-sach-moi-ve-khoa-hoc-119260905143012345.htm",
    }
    for key, path in examples.items():
        assert shipped[key].article_path.match(path), key
    assert not shipped["vnexpress-khcn"].article_path.match("/khoa-hoc")


def test_the_fixture_entries_validate() -> None:
    sites = {s.key: s for s in load_file(ROOT / "tests" / "fixtures" / "portal_sites.toml")}
    assert set(sites) == {"khcn-thu-nghiem", "bao-thu-nghiem"}
    assert sites["khcn-thu-nghiem"].selectors["content"] == ".news-detail__content"
    assert sites["bao-thu-nghiem"].selectors == {}
