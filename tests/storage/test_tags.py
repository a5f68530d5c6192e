"""Tags in the archive: written idempotently, filtered on, counted and exported."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from storage import Article, article_to_dict, query_articles, session_factory, store_article
from storage.models import ArticleProvince, ArticleTopic
from storage.tags import iter_for_tagging, province_counts, set_tags, topic_counts
from tests.storage.conftest import record

LAMDONG = {"slug": "lam-dong", "code": 68, "name": "Lâm Đồng"}
HANOI = {"slug": "ha-noi", "code": 1, "name": "Hà Nội"}


def tags(primary: str | None = "lam-dong", relevant: bool = True, version: str = "v1",
         topics: tuple[str, ...] = ("digital-transformation", "ai")) -> dict:  # fmt: skip
    provinces = [{**LAMDONG, "role": "source"}]
    if primary == "lam-dong":
        provinces.append({**LAMDONG, "role": "primary", "names": ["Lâm Đồng"],
                          "old_names": ["Đắk Nông"]})  # fmt: skip
    provinces.append({**HANOI, "role": "mentioned", "names": ["Hà Nội"]})
    return {
        "primary_province": primary,
        "relevant": relevant,
        "version": version,
        "provinces": provinces,
        "topics": [{"slug": t, "score": 3.5 - i} for i, t in enumerate(topics)],
    }


def _article(session: Session, url: str, **fields) -> Article:  # noqa: ANN003
    outcome = store_article(session, record(url, **fields))
    return session.get(Article, outcome.article_id)


def test_set_tags_writes_once_and_replaces(engine: Engine, session: Session) -> None:
    article = _article(session, "https://baolamdong.vn/a-123456.html", source="baolamdong")
    assert set_tags(session, article, tags()) is True
    session.commit()
    first_tagged_at = article.tagged_at
    assert set_tags(session, article, tags()) is False  # same tags: nothing written
    assert article.tagged_at == first_tagged_at
    assert set_tags(session, article, tags(version="v2")) is False  # only the stamp moves
    assert article.tagging_version == "v2"
    assert set_tags(session, article, tags(primary=None, topics=("ai",))) is True
    session.commit()
    with session_factory(engine)() as fresh:
        stored = fresh.get(Article, article.id)
        assert stored.primary_province is None and stored.relevant is True
        assert [(p.province, p.role) for p in stored.provinces] == [
            ("lam-dong", "source"),
            ("ha-noi", "mentioned"),
        ]
        assert [t.topic for t in stored.topics] == ["ai"]
        assert fresh.scalar(select(func.count()).select_from(ArticleProvince)) == 2
        assert fresh.scalar(select(func.count()).select_from(ArticleTopic)) == 1


def test_unknown_role_is_refused(session: Session) -> None:
    article = _article(session, "https://mst.gov.vn/a-1.htm")
    bad = tags()
    bad["provinces"][0]["role"] = "capital"
    with pytest.raises(ValueError, match="unknown province role"):
        set_tags(session, article, bad)


def test_export_fields_and_untagged_articles(engine: Engine, session: Session) -> None:
    tagged = _article(session, "https://baolamdong.vn/a-123456.html", source="baolamdong")
    untagged = _article(session, "https://mst.gov.vn/b-2.htm")
    set_tags(session, tagged, tags())
    session.commit()
    with session_factory(engine)() as fresh:
        exported = article_to_dict(fresh.get(Article, tagged.id))
        plain = article_to_dict(fresh.get(Article, untagged.id))
    assert exported["primary_province"] == "lam-dong"
    assert exported["provinces"] == [
        {"slug": "lam-dong", "code": 68, "name": "Lâm Đồng", "role": "source"},
        {"slug": "lam-dong", "code": 68, "name": "Lâm Đồng", "role": "primary"},
        {"slug": "ha-noi", "code": 1, "name": "Hà Nội", "role": "mentioned"},
    ]
    assert exported["topics"] == ["digital-transformation", "ai"]
    assert exported["relevant"] is True
    assert "provinces" not in plain and "relevant" not in plain  # never placeholders


def test_filters_counts_and_irrelevant_articles(session: Session) -> None:
    a = _article(session, "https://baolamdong.vn/a-123456.html", source="baolamdong")
    b = _article(session, "https://mst.gov.vn/b-2.htm", title="Khác")
    c = _article(session, "https://mst.gov.vn/c-3.htm", title="Bóng đá")
    set_tags(session, a, tags())
    set_tags(session, b, tags(primary=None, topics=("ai",)))
    set_tags(session, c, {**tags(primary=None, relevant=False, topics=()), "provinces": []})
    session.commit()

    def urls(**kw) -> set[str]:  # noqa: ANN003
        return {x.canonical_url for x in query_articles(session, **kw)}

    assert urls() == {a.canonical_url, b.canonical_url}  # irrelevant left out by default
    assert c.canonical_url in urls(include_irrelevant=True)
    assert urls(provinces=["lam-dong"]) == {a.canonical_url, b.canonical_url}  # source role too
    assert urls(provinces=["ha-noi"], topics=["digital-transformation"]) == {a.canonical_url}
    assert urls(topics=["ai", "digital-transformation"]) == {a.canonical_url}
    assert urls(provinces=["ca-mau"]) == set()

    counts = province_counts(session)
    assert counts["lam-dong"] == {"articles": 2, "primary": 1}
    assert counts["ha-noi"] == {"articles": 2, "primary": 0}
    assert topic_counts(session) == {"ai": 2, "digital-transformation": 1}


def test_deleting_an_article_deletes_its_tags(session: Session) -> None:
    article = _article(session, "https://baolamdong.vn/a-123456.html", source="baolamdong")
    set_tags(session, article, tags())
    session.commit()
    session.execute(text("DELETE FROM articles"))
    session.commit()
    assert session.scalar(select(func.count()).select_from(ArticleProvince)) == 0


def test_iter_for_tagging_skips_current_versions(session: Session) -> None:
    first = _article(session, "https://mst.gov.vn/a-1.htm")
    _article(session, "https://mst.gov.vn/b-2.htm", title="B")
    set_tags(session, first, tags(version="v9"))
    session.commit()
    all_ids = [a.id for batch in iter_for_tagging(session, batch_size=1) for a in batch]
    outdated = [a.id for batch in iter_for_tagging(session, only_outdated="v9") for a in batch]
    assert len(all_ids) == 2 and first.id not in outdated and len(outdated) == 1
