"""Names clients send, resolved the way the CLI resolves them: provinces through the
gazetteer (slug, name with or without diacritics, English name, old province name), topics
through the taxonomy (slug or label). An unknown name is a 404 listing the closest names."""

from __future__ import annotations

from crawler.tagging.gazetteer import Province, load_gazetteer
from crawler.tagging.topics import Topic, find_topic, suggest_topics
from web.errors import ApiError


def resolve_province(name: str, param: str = "province") -> Province:
    gazetteer = load_gazetteer()
    province = gazetteer.resolve(name)
    if province is None:
        closest = gazetteer.suggest(name, 5)
        raise ApiError(
            404,
            "unknown_province",
            f"unknown province {name!r}: use a slug, a name (diacritics optional) or an old "
            "province's name; /api/provinces lists the 34",
            param=param,
            closest=closest,
        )
    return province


def resolve_topic(name: str, param: str = "topic") -> Topic:
    topic = find_topic(name)
    if topic is None:
        raise ApiError(
            404,
            "unknown_topic",
            f"unknown topic {name!r}: use a slug or a label; /api/topics lists them",
            param=param,
            closest=suggest_topics(name, 5),
        )
    return topic
