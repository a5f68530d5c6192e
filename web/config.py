"""Settings of the web app: one typed object handed to :func:`web.app.create_app`.

Passed in rather than read from globals or the environment inside the app, so tests build
as many apps with as many archives as they like, and the CLI is the one place that turns
options and environment variables into settings.
"""

from __future__ import annotations

import os

from pydantic import BaseModel, ConfigDict, Field


class Settings(BaseModel):
    """What the app needs to know; frozen so no request can change it."""

    model_config = ConfigDict(frozen=True)

    database_url: str = Field(description="SQLAlchemy URL of the archive")
    read_only: bool = Field(
        default=False, description="never write: the archive is opened without migrating"
    )
    base_url: str | None = Field(
        default=None,
        description="absolute URL the app is reached at (links in feeds); "
        "else taken from the request and X-Forwarded-* headers",
    )
    forwarded_allow_ips: str = Field(
        default="127.0.0.1,::1",
        description="comma-separated proxy addresses whose X-Forwarded-* headers are "
        "trusted ('*': any)",
    )
    sites_file: str | None = Field(default=None, description="user's config entries (sources)")
    feed_size: int = Field(default=50, ge=1, le=100, description="entries per feed page")
    feed_max_age: int = Field(default=300, ge=0, description="Cache-Control max-age of feeds, s")
    api_max_age: int = Field(default=60, ge=0, description="Cache-Control max-age of the API, s")
    threads: int = Field(
        default_factory=lambda: 2 * (os.cpu_count() or 1),
        ge=1,
        le=256,
        description="requests answered at once (worker threads; default twice the CPUs)",
    )
