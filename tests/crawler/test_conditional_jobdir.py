"""The request journal that lets a killed crawl be resumed (crawler.jobdir), on its own and
inside the scheduler built with ``get_crawler()``. No network, no reactor."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy import Request

from crawler.jobdir import (
    JOURNAL,
    JobDirBusy,
    JournalScheduler,
    RequestJournal,
    default_jobs_root,
    jobdir_in_use,
    source_jobdir,
)
from spiders.cdnchinhphu import MstSpider
from tests.conftest import project_crawler as make_crawler

FEED = "https://mst.gov.vn/rss/home.rss"
ARTICLES = [f"https://mst.gov.vn/bai-{i}-1972609051430{i:04d}.htm" for i in range(5)]


def project_crawler(**overrides: object):  # noqa: ANN201
    # The downloader-aware queue wants a running engine; the plain one does not.
    base = {"SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.ScrapyPriorityQueue",
            "VNNEWS_RUNS_ENABLED": False}  # fmt: skip
    crawler = make_crawler(MstSpider, **{**base, **overrides})
    crawler.spider = MstSpider.from_crawler(crawler)
    return crawler


def scheduler(folder: Path) -> JournalScheduler:
    crawler = project_crawler(VNNEWS_JOBDIR=str(folder))
    s = JournalScheduler.from_crawler(crawler)
    s.open(crawler.spider)
    return s


def article(spider: MstSpider, url: str) -> Request:
    return Request(url, callback=spider.parse_article, errback=spider.on_error,
                   meta={"vnnews_role": "article", "hint": {"title": "Tiêu đề"}})  # fmt: skip


def drain(s: JournalScheduler) -> list[str]:
    urls = []
    while (request := s.next_request()) is not None:
        urls.append(request.url)
    return urls


def test_default_job_folders() -> None:
    assert default_jobs_root("sqlite:///data/vnnews.sqlite3") == Path("data/jobs")
    assert default_jobs_root("sqlite:////tmp/x/a.sqlite3") == Path("/tmp/x/jobs")
    assert default_jobs_root("postgresql+pg8000://u@h/db") == Path("data/jobs")
    assert source_jobdir("data/jobs", "mst") == Path("data/jobs/mst")


def test_a_killed_crawl_is_resumed_with_every_request_it_scheduled(tmp_path: Path) -> None:
    folder = tmp_path / "mst"
    first = scheduler(folder)
    spider = first.spider
    assert first.enqueue_request(Request(FEED, callback=spider.parse_feed,
                                         meta={"vnnews_role": "feed"}))  # fmt: skip
    for url in ARTICLES:
        assert first.enqueue_request(article(spider, url))
    assert not first.enqueue_request(article(spider, ARTICLES[0]))  # a duplicate
    # some were taken by the downloader (in flight) when the process was killed: no close()
    taken = [first.next_request().url for _ in range(3)]
    assert len(taken) == 3
    assert jobdir_in_use(folder)
    first.journal._file.write("deadbeef\tnot-base64-and-cut-sho")  # the line a kill cut short
    first.journal._file.flush()
    first.journal.close(done=False)  # the kill releases the lock (the process is gone)

    second = scheduler(folder)
    assert second.stats.get_value("vnnews/jobdir/resumed") == 6
    # the start request comes again from the spider: it is already scheduled, so filtered
    assert not second.enqueue_request(Request(FEED, callback=second.spider.parse_feed,
                                              meta={"vnnews_role": "feed"}))  # fmt: skip
    resumed = drain(second)
    assert sorted(resumed) == sorted([FEED, *ARTICLES])  # the in-flight ones included
    # the journal was rewritten at once, without the line the kill cut short
    lines = (folder / JOURNAL).read_text().splitlines()
    assert len(lines) == 7 and "deadbeef" not in (folder / JOURNAL).read_text()

    replayed = RequestJournal(folder, "mst/mst")
    second.close("shutdown")  # stopped early: the journal stays for the next crawl
    assert (folder / JOURNAL).exists() and not jobdir_in_use(folder)
    back = replayed.load(second.spider)
    assert [r.url for r in back][:1] == [FEED]
    assert back[1].callback == second.spider.parse_article
    assert back[1].meta["hint"] == {"title": "Tiêu đề"}

    third = scheduler(folder)
    assert len(drain(third)) == 6
    third.close("finished")
    assert not (folder / JOURNAL).exists()
    assert drain(scheduler(folder)) == []  # nothing left to resume


def test_one_crawl_per_job_folder(tmp_path: Path) -> None:
    folder = tmp_path / "mst"
    running = scheduler(folder)
    with pytest.raises(JobDirBusy, match="in use by another crawl"):
        scheduler(folder)
    running.close("finished")
    scheduler(folder).close("finished")


def test_a_journal_of_another_source_is_not_replayed(tmp_path: Path) -> None:
    folder = tmp_path / "mst"
    folder.mkdir()
    (folder / JOURNAL).write_text("#vnnews-journal 1 portal/other\nabc\tdata\n")
    s = scheduler(folder)
    assert drain(s) == [] and s.stats.get_value("vnnews/jobdir/resumed") is None


def test_without_a_job_folder_it_is_scrapys_scheduler(tmp_path: Path) -> None:
    crawler = project_crawler()
    s = JournalScheduler.from_crawler(crawler)
    s.open(crawler.spider)
    assert s.journal is None
    assert s.enqueue_request(article(crawler.spider, ARTICLES[0]))
    assert drain(s) == [ARTICLES[0]]
    s.close("finished")
    assert list(tmp_path.iterdir()) == []


def test_a_request_that_cannot_be_journaled_is_counted(tmp_path: Path) -> None:
    s = scheduler(tmp_path / "mst")
    assert s.enqueue_request(Request(FEED, callback=lambda response: None))  # not on the spider
    assert s.enqueue_request(article(s.spider, ARTICLES[0]))
    assert sorted(drain(s)) == sorted([FEED, ARTICLES[0]])  # scheduled all the same
    s.close("shutdown")
    assert s.stats.get_value("vnnews/jobdir/unjournaled") == 1
    assert s.stats.get_value("vnnews/jobdir/journaled") == 1
