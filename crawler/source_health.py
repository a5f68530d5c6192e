"""How each source fares, for ``vnnews sources``/``status`` and the web API's ``/api/sources``.

Health comes from each source's last crawl run (``crawler.health``): ``ok``, ``degraded``
(its site selectors stopped matching), ``generic`` (a config entry without selectors, read by
the fallbacks by design), ``unreachable``/``failed``/``interrupted``/``timed_out`` (the last run
did not get through), ``running``, or ``never crawled``. One module, so the CLI and the API
never disagree about a source.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def health_label(run: Any) -> str:  # run: storage.models.CrawlRun | None
    """One word for a source's state after its last run."""
    if run is None:
        return "never crawled"
    if run.status == "running":
        return "running"  # or a crawl that died; the scheduler issue records those
    if run.status in ("unreachable", "failed", "interrupted", "timed_out"):
        return run.status
    if run.degraded:
        return "degraded"
    if (run.health or {}).get("generic_only"):
        return "generic"
    return "ok"


def source_rows(sites: Mapping[str, Any], runs: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per registered source (``spiders.registry.Site`` by key) with its health after
    its last run (``storage.runs.last_runs``)."""
    rows = []
    for key, site in sites.items():
        run = runs.get(key)
        rows.append(
            {
                "key": key,
                "name": site.name,
                "host": site.host,
                "kind": site.kind,
                "spider": site.spider,
                "province": site.province,
                "langs": list(site.langs),
                "verified": site.verified,
                "health": health_label(run),
                "start_urls": list(site.start_urls),
            }
        )
    return rows
