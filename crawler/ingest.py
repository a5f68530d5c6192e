"""The one processor: every article, crawled or imported, goes through these stages in order.

normalize ─► (tag, dedup: later stages) ─► store. Scrapy's pipeline and ``vnnews import`` are
thin callers of :func:`ingest`, so a result never depends on how an article came in.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from crawler.extract.normalize import normalize
from crawler.items import ArticleItem
from storage.articles import StoreOutcome, store_article


def ingest(session: Session, item: ArticleItem) -> StoreOutcome:
    """Run the stages for one article and commit; raises ``Rejected`` for unusable input."""
    record = normalize(item)
    outcome = store_article(session, record)
    session.commit()
    return outcome
