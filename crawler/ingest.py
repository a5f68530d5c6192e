"""The one processor: every article, crawled or imported, goes through these stages in order.

normalize ─► store ─► tag ─► dedup (story). Scrapy's pipeline, ``vnnews import`` and
``vnnews retag`` are thin callers of the functions here, so a result never depends on how an
article came in.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from crawler.extract.normalize import normalize
from crawler.items import ArticleItem
from storage.articles import StoreOutcome, store_article
from storage.models import Article
from storage.tags import set_tags


def tag_stored(session: Session, article: Article) -> bool:
    """Tag an archived article from its stored fields; returns whether its tags changed.

    The source's province (from the sites registry, kept on the source row) gives the
    ``source`` role; the tagger reads the URL's host when there is none.
    """
    from crawler.tagging import tag_article, tagging_version

    tags = tag_article(
        article.title,
        _lead_and_text(article.summary, article.text),
        article.url,
        article.lang,
        source_province=article.source.province,
    )
    return set_tags(session, article, tags.record(tagging_version()))


def _lead_and_text(lead: str | None, text: str | None) -> str:
    """What the tagger reads after the title: the lead (the who-and-where of a report, often
    the only sentence naming the province) and the body, the lead once."""
    if not lead or (text and text.startswith(lead)):
        return text or ""
    return f"{lead}\n\n{text}" if text else lead


def ingest(session: Session, item: ArticleItem) -> StoreOutcome:
    """Run the stages for one article and commit; raises ``Rejected`` for unusable input.

    An unchanged re-fetch (``duplicate``) is tagged again only when the tagger changed since,
    and put in a story only if it has none (an archive from before stories existed).
    """
    from crawler.dedup_stage import dedup_stored
    from crawler.tagging import tagging_version

    record = normalize(item)
    outcome = store_article(session, record)
    article = session.get(Article, outcome.article_id)
    if article is not None:
        changed = outcome.status != "duplicate"
        if changed or article.tagging_version != tagging_version():
            tag_stored(session, article)
        if changed or article.story_id is None:
            dedup_stored(session, article)
    session.commit()
    return outcome
