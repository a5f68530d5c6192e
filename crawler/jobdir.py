"""A crawl's request queue that survives a kill: the job folder of one source.

Scrapy's own ``JOBDIR`` keeps the queue of a crawl stopped *cleanly* (Ctrl-C once): the state
of its disk queues is written when the crawl closes, so after ``SIGKILL`` (or a power cut, or
the scheduler's wall-clock limit) the queue it left cannot be read back, and its
``requests.seen`` lists requests that were in flight, which a resumed crawl would then refuse to
fetch again. vnnews keeps its own journal instead (setting ``VNNEWS_JOBDIR``, a folder per
source; ``vnnews crawl --jobdir``):

- every request the scheduler accepts is appended to ``DIR/requests.journal`` (one line,
  flushed to the operating system at once, so a killed process loses at most the line being
  written, which is then ignored);
- a crawl that closes with reason ``finished`` deletes the journal: nothing is left to do;
- a crawl that starts with a journal left behind (killed, timed out, stopped early, cut by
  ``--max-articles``) schedules every request in it again before its own start requests.
  Nothing is marked done during a crawl, so a request that was in flight when the process died
  is fetched again rather than lost; the price is small: article pages already archived are
  skipped before any network traffic (``KnownArticleMiddleware``), and only the feeds,
  sitemaps and listing pages of the interrupted crawl are fetched once more.

The duplicate filter stays in memory (it never sees a journal), primed with the replayed
requests, so a start page that is also in the journal is fetched once.

One crawl at a time per folder: ``DIR/lock`` is held (``flock``) while a crawl runs; a second
crawl of the same source with the same folder refuses to start. Stats:
``vnnews/jobdir/resumed`` (requests scheduled again from a journal), ``vnnews/jobdir/journaled``,
``vnnews/jobdir/unjournaled`` (requests that could not be written: a callback that is not a
spider method, a meta value pickle refuses).
"""

from __future__ import annotations

import base64
import logging
import os
import pickle
from pathlib import Path
from typing import IO, Any, Self

from scrapy import Request, Spider
from scrapy.core.scheduler import Scheduler
from scrapy.crawler import Crawler
from scrapy.utils.request import request_from_dict
from sqlalchemy.engine import make_url

logger = logging.getLogger(__name__)

JOURNAL = "requests.journal"
LOCK = "lock"
FINISHED = "finished"
_HEADER = "#vnnews-journal 1"
JOBS_FOLDER = "jobs"
FALLBACK_JOBS_ROOT = Path("data") / JOBS_FOLDER


class JobDirBusy(RuntimeError):
    """Another crawl holds the job folder."""


def default_jobs_root(database_url: str) -> Path:
    """Where job folders go unless ``--jobdir`` says: ``jobs/`` beside a SQLite archive (so
    ``data/vnnews.sqlite3`` keeps its queues in ``data/jobs/``, and a test archive in a
    temporary folder keeps its own), else ``data/jobs`` under the current directory."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).parent / JOBS_FOLDER
    return FALLBACK_JOBS_ROOT


def source_jobdir(root: str | Path, source_key: str) -> Path:
    """One folder per source: Scrapy runs one queue per crawler."""
    return Path(root) / source_key


def _lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # not on POSIX: no lock, as before
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def jobdir_in_use(folder: Path) -> bool:
    """Whether a running crawl holds ``folder`` (checked before starting, for a clear error)."""
    lock = folder / LOCK
    if not lock.exists():
        return False
    fd = os.open(lock, os.O_RDWR)
    try:
        return not _lock(fd)
    finally:
        os.close(fd)


class RequestJournal:
    """The append-only list of requests one crawl scheduled (see the module docstring)."""

    def __init__(self, folder: Path, owner: str):
        self.folder = Path(folder)
        self.owner = owner  # spider name and source key: a folder serves one source
        self._file: IO[str] | None = None
        self._lock_fd: int | None = None
        self._written: set[str] = set()
        self._kept: list[str] = []  # journal lines replayed, to write again
        self._warned = False
        self.unjournaled = 0

    @property
    def path(self) -> Path:
        return self.folder / JOURNAL

    def acquire(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.folder / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        if not _lock(fd):
            os.close(fd)
            raise JobDirBusy(f"{self.folder} is in use by another crawl of {self.owner}")
        self._lock_fd = fd

    def load(self, spider: Spider) -> list[Request]:
        """The requests a previous crawl left, in the order it scheduled them, each once."""
        if not self.path.exists():
            return []
        lines = self.path.read_text("utf-8", errors="replace").splitlines()
        if not lines or lines[0] != f"{_HEADER} {self.owner}":
            logger.warning("%s is not a journal of %s: ignored", self.path, self.owner)
            return []
        requests: list[Request] = []
        for line in lines[1:]:
            key, sep, data = line.partition("\t")
            if not sep or key in self._written:
                continue
            try:
                request = request_from_dict(pickle.loads(base64.b64decode(data)), spider=spider)
            except Exception as exc:  # the half-written last line of a killed crawl, or old code
                logger.debug("journal line skipped: %s", exc)
                continue
            self._written.add(key)
            self._kept.append(line)
            requests.append(request)
        return requests

    def start(self) -> None:
        """Open the journal for appending. What was replayed is written again first, to a new
        file that replaces the old one at once: a half-written last line is dropped, and a
        kill during the rewrite leaves the old journal."""
        tmp = self.path.with_name(JOURNAL + ".tmp")
        with tmp.open("w", encoding="utf-8") as out:
            out.write(f"{_HEADER} {self.owner}\n")
            out.writelines(f"{line}\n" for line in self._kept)
        os.replace(tmp, self.path)
        self._kept = []
        self._file = self.path.open("a", encoding="utf-8")

    def add(self, request: Request, key: str, spider: Spider) -> bool:
        """Append ``request`` unless a request with this fingerprint already is."""
        if self._file is None or key in self._written:
            return False
        try:
            data = pickle.dumps(request.to_dict(spider=spider), protocol=4)
        except Exception as exc:  # a callback not on the spider, an unpicklable meta value
            if not self._warned:
                logger.warning("cannot journal %s (%s): a killed crawl would not resume it "
                               "(further such requests are only counted)", request, exc)  # fmt: skip
                self._warned = True
            self.unjournaled += 1
            return False
        self._file.write(f"{key}\t{base64.b64encode(data).decode('ascii')}\n")
        self._file.flush()  # in the OS's hands: survives the process being killed
        self._written.add(key)
        return True

    def close(self, *, done: bool) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        if done:
            self.path.unlink(missing_ok=True)
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # releases the flock
            self._lock_fd = None


class JournalScheduler(Scheduler):
    """Scrapy's scheduler, plus the journal of :mod:`crawler.jobdir` when ``VNNEWS_JOBDIR`` is
    set (without it, exactly Scrapy's scheduler)."""

    journal: RequestJournal | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        scheduler = super().from_crawler(crawler)
        folder = crawler.settings.get("VNNEWS_JOBDIR")
        scheduler.journal = None
        if folder:
            site = getattr(crawler.spidercls, "site", None)
            key = getattr(site, "key", None) or crawler.spidercls.name
            scheduler.journal = RequestJournal(Path(folder), f"{crawler.spidercls.name}/{key}")
        return scheduler

    def open(self, spider: Spider) -> Any:
        result = super().open(spider)
        if self.journal is not None:
            site = getattr(spider, "site", None)  # the portal spider learns its site late
            if site is not None:
                self.journal.owner = f"{spider.name}/{site.key}"
            self.journal.acquire()
            resumed = self.journal.load(spider)
            for request in resumed:
                self.df.request_seen(request)
                self._mqpush(request)
            self.journal.start()
            if resumed:
                assert self.stats is not None
                self.stats.set_value("vnnews/jobdir/resumed", len(resumed))
                logger.warning(
                    "%s: resuming an interrupted crawl: %d request(s) from %s scheduled again",
                    self.journal.owner, len(resumed), self.journal.path,
                )  # fmt: skip
        return result

    def enqueue_request(self, request: Request) -> bool:
        accepted = super().enqueue_request(request)
        if accepted and self.journal is not None:
            assert self.crawler is not None
            key = self.crawler.request_fingerprinter.fingerprint(request).hex()
            if self.journal.add(request, key, self.spider):
                assert self.stats is not None
                self.stats.inc_value("vnnews/jobdir/journaled")
        return accepted

    def close(self, reason: str) -> Any:
        result = super().close(reason)
        if self.journal is not None:
            if self.journal.unjournaled and self.stats is not None:
                self.stats.set_value("vnnews/jobdir/unjournaled", self.journal.unjournaled)
            self.journal.close(done=reason == FINISHED)
        return result
