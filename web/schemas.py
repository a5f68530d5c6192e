"""The API's response shapes (and so its OpenAPI description)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class ProvinceTag(BaseModel):
    slug: str
    code: int
    name: str
    role: str = Field(description="source, primary or mentioned")


class FeedLinks(BaseModel):
    rss: str
    atom: str
    json_feed: str = Field(alias="json", serialization_alias="json")

    model_config = {"populate_by_name": True}


class ArticleSummary(BaseModel):
    """An article as listings show it."""

    id: int
    url: str = Field(description="where it was fetched")
    canonical_url: str
    source: str = Field(description="source key")
    title: str
    summary: str | None
    lang: str | None
    published_at: datetime | None
    modified_at: datetime | None
    fetched_at: datetime
    author: str | None
    primary_province: str | None = Field(description="slug of the province it is about")
    provinces: list[ProvinceTag]
    topics: list[str] = Field(description="topic slugs")
    relevant: bool | None = Field(description="about science, technology, innovation or DX")
    story_id: int | None
    relation: str | None = Field(description="original, republished or translated")
    is_original: bool
    original_url: str | None = Field(description="URL of its story's original")
    story_size: int = Field(description="articles in its story (1: no copies)")
    api_url: str = Field(description="this article in the API, with its copies")


class ArticleList(BaseModel):
    items: list[ArticleSummary]
    next_cursor: str | None = Field(description="pass as cursor for the next page; null: last")
    limit: int


class Image(BaseModel):
    url: str
    caption: str | None = None


class StoryMember(BaseModel):
    """Another article of the same story."""

    id: int
    url: str
    source: str
    title: str
    lang: str | None
    published_at: datetime | None
    relation: str | None
    api_url: str


class ArticleDetail(ArticleSummary):
    text: str | None
    content_html: str = Field(description="the body as sanitized HTML (allow-list)")
    images: list[Image]
    category: str | None
    tags: list[str] = Field(description="the site's own tags")
    credited_outlet: str | None
    credited_url: str | None
    alternates: dict[str, str] = Field(description="hreflang code -> URL of other editions")
    copies: list[StoryMember] = Field(
        description="the other articles of its story: the original (when this is a copy), "
        "republications and translations"
    )


class Province(BaseModel):
    slug: str
    code: int
    name: str
    name_en: str
    kind: str
    old_names: list[str] = Field(description="provinces merged into it on 1 July 2025")
    articles: int = Field(description="articles tagged with it in any role")
    primary: int = Field(description="articles about it first of all")
    feeds: FeedLinks


class Topic(BaseModel):
    slug: str
    label_vi: str
    label_en: str
    articles: int
    feeds: FeedLinks


class LastRun(BaseModel):
    started_at: datetime
    finished_at: datetime | None
    status: str
    pages: int
    new: int
    errors: int


class Source(BaseModel):
    key: str
    name: str
    host: str
    kind: str = Field(description="builtin or config")
    spider: str
    province: str | None
    langs: list[str]
    verified: bool = Field(description="start URLs and selectors seen working on the live site")
    health: str = Field(
        description="ok, degraded, generic, unreachable, failed, interrupted, timed_out, "
        "running or never crawled"
    )
    start_urls: list[str]
    articles: int
    last_run: LastRun | None


class Health(BaseModel):
    status: str
    database: str = Field(description="sqlite, postgresql, ...")
    read_only: bool
    schema_revision: str
