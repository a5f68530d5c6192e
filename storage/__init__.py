"""The archive: models, engine setup, migrations and every query. All SQL of vnnews lives here.

Imports nothing from the rest of vnnews; the crawler, the scheduler and the web layer call the
functions re-exported below.
"""

from storage.articles import (
    StoreOutcome,
    article_known,
    article_to_dict,
    count_articles,
    iter_articles,
    query_articles,
    store_article,
)
from storage.engine import (
    DEFAULT_DATABASE_URL,
    begin_write,
    make_engine,
    open_archive,
    resolve_database_url,
    session_factory,
)
from storage.migrate import upgrade
from storage.models import Article, Base, CrawlRun, Source, UTCDateTime
from storage.runs import articles_per_source, finish_run, last_runs, start_run
from storage.sources import ensure_source, get_source
from storage.text import fold

__all__ = [
    "DEFAULT_DATABASE_URL",
    "Article",
    "Base",
    "CrawlRun",
    "Source",
    "StoreOutcome",
    "UTCDateTime",
    "article_known",
    "article_to_dict",
    "articles_per_source",
    "begin_write",
    "count_articles",
    "ensure_source",
    "finish_run",
    "fold",
    "get_source",
    "iter_articles",
    "last_runs",
    "make_engine",
    "open_archive",
    "query_articles",
    "resolve_database_url",
    "session_factory",
    "start_run",
    "store_article",
    "upgrade",
]
