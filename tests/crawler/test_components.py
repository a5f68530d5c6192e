"""Scrapy components built with ``get_crawler()`` and fed hand-made requests and responses."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import DropItem, IgnoreRequest, NotConfigured
from scrapy.http import HtmlResponse

from crawler.items import ArticleItem
from crawler.middlewares import CharsetFixMiddleware, KnownArticleMiddleware
from crawler.pipelines import ArchivePipeline
from crawler.runstats import run_counts, run_status
from spiders.cdnchinhphu import MstSpider
from storage.engine import open_archive, session_factory
from storage.sources import ensure_source
from tests.conftest import project_crawler as make_crawler


def project_crawler(**overrides: object):  # noqa: ANN201
    return make_crawler(MstSpider, **overrides)


@pytest.fixture()
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    with session_factory(open_archive(url))() as session:
        ensure_source(session, key="mst", name="MST", host="mst.gov.vn", spider="mst")
        session.commit()
    return url


def _item(
    url: str = "https://mst.gov.vn/a-19726090514301234.htm", text: str = "Nội dung."
) -> ArticleItem:
    return ArticleItem(url=url, source="mst", title="Tiêu đề", text=text,
                       published_at=datetime(2026, 9, 5, 7, 30, tzinfo=UTC))  # fmt: skip


def test_pipeline_stores_once_and_counts(db: str) -> None:
    crawler = project_crawler(VNNEWS_DATABASE_URL=db)
    crawler.spider = MstSpider.from_crawler(crawler)
    pipeline = ArchivePipeline.from_crawler(crawler)
    pipeline.open_spider()
    pipeline.process_item(_item())
    pipeline.process_item(_item())
    pipeline.process_item(_item(text="Nội dung mới."))
    with pytest.raises(DropItem, match="no body text"):
        pipeline.process_item(_item(text=""))
    stats = crawler.stats.get_stats()
    assert stats["vnnews/stored/new"] == 1
    assert stats["vnnews/stored/duplicate"] == 1
    assert stats["vnnews/stored/updated"] == 1
    assert stats["vnnews/rejected/no_body_text"] == 1
    assert run_counts(stats).errors == 1


def test_known_articles_are_not_requested(db: str) -> None:
    crawler = project_crawler(VNNEWS_DATABASE_URL=db)
    ArchivePipeline.from_crawler(crawler).process_item(_item())
    middleware = KnownArticleMiddleware.from_crawler(crawler)
    known = Request(
        "http://mst.gov.vn/a-19726090514301234.htm?utm_source=rss", meta={"vnnews_role": "article"}
    )
    with pytest.raises(IgnoreRequest):
        middleware.process_request(known)
    # unknown articles, and anything that is not an article page, pass
    assert (
        middleware.process_request(
            Request("https://mst.gov.vn/b-19726090514301235.htm", meta={"vnnews_role": "article"})
        )
        is None
    )
    assert (
        middleware.process_request(
            Request("https://mst.gov.vn/a-19726090514301234.htm", meta={"vnnews_role": "feed"})
        )
        is None
    )
    assert crawler.stats.get_value("vnnews/skipped/known") == 1


def test_known_article_skip_can_be_switched_off(db: str) -> None:
    crawler = project_crawler(VNNEWS_DATABASE_URL=db, VNNEWS_SKIP_KNOWN_ENABLED=False)
    with pytest.raises(NotConfigured):
        KnownArticleMiddleware.from_crawler(crawler)


def test_mislabelled_utf8_is_decoded_as_utf8() -> None:
    crawler = project_crawler()
    middleware = CharsetFixMiddleware.from_crawler(crawler)
    body = '<html><head><meta charset="windows-1252"><title>Chuyển đổi số</title></head></html>'.encode()
    request = Request("https://mst.gov.vn/x-19726090514301234.htm")
    response = HtmlResponse(request.url, body=body, request=request,
                            headers={"Content-Type": "text/html; charset=iso-8859-1"})  # fmt: skip
    assert "Chuyá" in response.text  # what Scrapy alone would read
    fixed = middleware.process_response(request, response)
    assert fixed.css("title::text").get() == "Chuyển đổi số"
    assert crawler.stats.get_value("vnnews/charset/mislabelled") == 1
    honest = HtmlResponse(
        request.url, body=body, headers={"Content-Type": "text/html; charset=utf-8"}
    )
    assert middleware.process_response(request, honest) is honest


def test_run_status() -> None:
    assert run_status({"downloader/response_count": 3}, "finished") == "ok"
    assert run_status({"vnnews/errors/dns": 4}, "finished") == "unreachable"
    assert run_status({"downloader/response_count": 3}, "shutdown") == "interrupted"
    assert run_status({"downloader/response_count": 3}, "cancelled") == "failed"
