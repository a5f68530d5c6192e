"""Config entries for further portals: a TOML file of ``[[site]]`` tables becomes ``Site``s.

Adding a site must not need code, and a typo must not cost a night of empty crawls, so every
entry is checked before it is used: required keys, known keys only, URLs on the site's host,
an article pattern that compiles and CSS selectors that parse. The error says which file,
which entry and which key, and what to write instead. Plain Python (tomllib, parsel's CSS
translator): ``vnnews sources add`` validates without crawling.

An entry::

    [[site]]
    key = "chinhphu"                      # a-z, 0-9 and "-"; unique; not a built-in spider name
    name = "Cổng Thông tin điện tử Chính phủ"
    host = "chinhphu.vn"
    lang = "vi"                           # ISO 639-1 code of the site's language
    province = "lai-chau"                 # provincial portals: the province's slug
    article_pattern = '^/[a-z0-9-]+-\\d+\\.htm$'   # regular expression on the URL path
    feeds = ["https://chinhphu.vn/rss/home.rss"]  # feeds, sitemaps and listings: at least one
    sitemaps = []
    listings = ["https://chinhphu.vn/tin-tuc.htm"]
    listing_links = "h3.title a"          # optional: CSS of article links on listing pages
    next_page = "a.next"                  # optional: CSS of the next listing page's link
    verified = false                      # true once seen working on the live site
    notes = "..."

    [site.selectors]                      # optional: without them, JSON-LD, meta and the
    title = "h1.title"                    # generic extractor answer (and health says so)
    summary = ".sapo"
    published_at = ".date"
    author = ".author"
    tags = ".tags a"
    category = ".breadcrumb a"
    content = ".article-body"
    drop = [".related", ".share"]         # removed from the body
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from spiders.registry import CONFIG, SITES, Site

SHIPPED_FILE = Path(__file__).resolve().with_name("portals.toml")
PORTAL_SPIDER = "portal"

REQUIRED = ("key", "name", "host", "lang", "article_pattern")
OPTIONAL = ("province", "feeds", "sitemaps", "listings", "listing_links", "next_page",
            "verified", "notes", "selectors", "langs")  # fmt: skip
SELECTOR_FIELDS = ("title", "summary", "published_at", "author", "tags", "category", "content")
SELECTOR_LISTS = ("drop",)

_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$")
_LANG = re.compile(r"^[a-z]{2}$")
_SLUG = re.compile(r"^[a-z]+(?:-[a-z]+)*$")
# Names the CLI and scrapy already use for spiders: an entry may not take them.
RESERVED_KEYS = frozenset({*SITES, PORTAL_SPIDER})


class ConfigError(ValueError):
    """A config entry that cannot be used; the message says where and what to do."""


def _css_ok(css: str) -> str | None:
    from parsel.csstranslator import css2xpath

    if "::" in css:  # parsel's ::text / ::attr(x) select strings, not elements
        return "pseudo-elements such as ::text or ::attr() are not allowed: name the element"
    try:
        css2xpath(css)
    except Exception as exc:  # cssselect raises several types for bad selectors
        return str(exc) or type(exc).__name__
    return None


class _Entry:
    """Checks one ``[[site]]`` table, collecting every problem rather than the first."""

    def __init__(self, data: Mapping[str, Any], where: str):
        self.data = data
        self.where = where
        self.problems: list[str] = []

    def fail(self, message: str) -> None:
        self.problems.append(message)

    def text(self, key: str, pattern: re.Pattern[str] | None = None, hint: str = "") -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(f"'{key}' must be a non-empty string")
            return None
        if pattern is not None and not pattern.match(value):
            self.fail(f"'{key}' = {value!r} is not valid{': ' + hint if hint else ''}")
            return None
        return value.strip()

    def urls(self, key: str, host: str | None) -> tuple[str, ...]:
        value = self.data.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(f"'{key}' must be a list of URLs")
            return ()
        good = []
        for url in value:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                self.fail(f"'{key}': {url!r} is not an absolute http(s) URL")
            elif host and not _on_host(parts.hostname, host):
                self.fail(f"'{key}': {url!r} is not on the site's host {host!r}")
            else:
                good.append(url)
        return tuple(good)

    def css(self, key: str, value: Any) -> str | tuple[str, ...] | None:
        if key in SELECTOR_LISTS:
            items = [value] if isinstance(value, str) else value
            if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
                self.fail(f"selector '{key}' must be a CSS selector or a list of them")
                return None
            for css in items:
                if error := _css_ok(css):
                    self.fail(f"selector '{key}' = {css!r} is not valid CSS ({error})")
            return tuple(items)
        if not isinstance(value, str) or not value.strip():
            self.fail(f"selector '{key}' must be a non-empty CSS selector")
            return None
        if error := _css_ok(value):
            self.fail(f"selector '{key}' = {value!r} is not valid CSS ({error})")
            return None
        return value.strip()

    def build(self) -> Site | None:
        data = self.data
        for key in REQUIRED:
            if key not in data:
                self.fail(f"'{key}' is required")
        unknown = sorted(set(data) - set(REQUIRED) - set(OPTIONAL))
        for key in unknown:
            self.fail(f"unknown key '{key}' (known: {', '.join((*REQUIRED, *OPTIONAL))})")
        key = self.text("key", _KEY, "lower-case letters, digits and '-', e.g. 'sokhcn-lamdong'")
        if key in RESERVED_KEYS:
            self.fail(f"'key' = {key!r} is the name of a built-in spider; choose another")
        name = self.text("name")
        host = self.text(
            "host", _HOST, "a bare host name such as 'chinhphu.vn' (no scheme, no path)"
        )
        lang = self.text("lang", _LANG, "a two-letter ISO 639-1 code such as 'vi' or 'en'")
        province = self.text("province", _SLUG, "a province slug such as 'lai-chau'")
        pattern = self.text("article_pattern")
        article_path = None
        if pattern is not None:
            try:
                article_path = re.compile(pattern)
            except re.error as exc:
                self.fail(f"'article_pattern' does not compile: {exc}")
        feeds, sitemaps = self.urls("feeds", host), self.urls("sitemaps", host)
        listings = self.urls("listings", host)
        if not (feeds or sitemaps or listings) and not any(
            p.startswith(("'feeds'", "'sitemaps'", "'listings'")) for p in self.problems
        ):
            self.fail("no start URLs: give at least one of 'feeds', 'sitemaps', 'listings'")
        selectors: dict[str, str | tuple[str, ...]] = {}
        raw = data.get("selectors", {})
        if not isinstance(raw, Mapping):
            self.fail("'selectors' must be a table of field = CSS selector")
            raw = {}
        for field, css in raw.items():
            if field not in (*SELECTOR_FIELDS, *SELECTOR_LISTS):
                known = ", ".join((*SELECTOR_FIELDS, *SELECTOR_LISTS))
                self.fail(f"unknown selector field '{field}' (known: {known})")
            elif (checked := self.css(field, css)) is not None:
                selectors[field] = checked
        for option in ("listing_links", "next_page"):  # (not `key`/`name`: those are in use)
            if (css := self.text(option)) is not None and (checked := self.css(option, css)):
                selectors[option] = checked
        verified = data.get("verified", False)
        if not isinstance(verified, bool):
            self.fail("'verified' must be true or false")
        langs = data.get("langs", [])
        if not isinstance(langs, list) or not all(
            isinstance(x, str) and _LANG.match(x) for x in langs
        ):
            self.fail("'langs' must be a list of two-letter language codes")
            langs = []
        notes = data.get("notes", "")
        if not isinstance(notes, str):
            self.fail("'notes' must be a string")
        if self.problems:
            return None
        assert key and name and host and lang and article_path is not None
        return Site(
            key=key,
            name=name,
            host=host,
            lang=lang,
            langs=tuple(dict.fromkeys([lang, *langs])),
            article_path=article_path,
            feeds=feeds,
            sitemaps=sitemaps,
            listings=listings,
            province=province,
            spider=PORTAL_SPIDER,
            kind=CONFIG,
            selectors=selectors,
            verified=bool(verified),
            notes=notes if isinstance(notes, str) else "",
        )


def _on_host(hostname: str, host: str) -> bool:
    hostname = hostname.lower()
    return hostname == host or hostname.endswith("." + host)


def parse_entries(text: str, origin: str) -> list[Site]:
    """The sites of one TOML document; ``ConfigError`` lists every problem of every entry."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{origin}: not valid TOML: {exc}") from exc
    unknown = sorted(set(document) - {"site"})
    problems = [
        f"{origin}: unknown top-level key '{k}' (entries are [[site]] tables)" for k in unknown
    ]
    tables = document.get("site", [])
    if not isinstance(tables, list):
        tables = []
        problems.append(f"{origin}: 'site' must be an array of tables: write [[site]]")
    sites: list[Site] = []
    seen: set[str] = set()
    for number, table in enumerate(tables, 1):
        label = table.get("key") if isinstance(table, Mapping) else None
        where = f"{origin}: site #{number}" + (f" ({label})" if isinstance(label, str) else "")
        if not isinstance(table, Mapping):
            problems.append(f"{where}: not a table")
            continue
        entry = _Entry(table, where)
        site = entry.build()
        problems.extend(f"{where}: {p}" for p in entry.problems)
        if site is not None:
            if site.key in seen:
                problems.append(f"{where}: key {site.key!r} is used by an earlier entry")
            seen.add(site.key)
            sites.append(site)
    if problems:
        raise ConfigError("\n".join(problems))
    return sites


def load_file(path: Path) -> list[Site]:
    """The sites of one file; a missing user file is no sites, not an error."""
    if not path.is_file():
        return []
    try:
        text = path.read_bytes().decode("utf-8-sig")  # a BOM from a Windows editor is fine
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc}); save the file as UTF-8") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
    return parse_entries(text, str(path))


def config_sites(user_file: Path | None = None) -> dict[str, Site]:
    """Every config entry: the shipped file, then the user's (whose keys must be new)."""
    sites: dict[str, Site] = {}
    for path in (SHIPPED_FILE, user_file):
        if path is None:
            continue
        for site in load_file(path):
            if site.key in sites:
                raise ConfigError(
                    f"{path}: key {site.key!r} is already defined by {SHIPPED_FILE.name}"
                )
            sites[site.key] = site
    return sites
