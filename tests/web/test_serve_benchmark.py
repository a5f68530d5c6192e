"""``benchmarks/serve.py`` as users run it, at toy sizes (the million-article run takes a
quarter of an hour): it builds both archives, serves them with ``vnnews serve`` and reports
every figure, and the 304 path is measured under load with nothing but 304s."""

from __future__ import annotations

from tests.conftest import run_benchmark


def test_the_serve_benchmark_reports_both_sizes_and_the_not_modified_rate() -> None:
    result, log = run_benchmark("serve.py", "--small", "400", "--large", "1200",
                                "--requests", "20", "--load-seconds", "1", "--connections", "4")  # fmt: skip
    assert (result["articles_small"], result["articles_large"]) == (400, 1200)
    for endpoint in ("feed", "api"):
        for size in ("10k", "1m"):
            p50, p95 = result[f"{endpoint}_p50_ms_{size}"], result[f"{endpoint}_p95_ms_{size}"]
            assert 0 < p50 <= p95, log
        ratio = result[f"{endpoint}_p95_ms_1m"] / result[f"{endpoint}_p95_ms_10k"]
        assert result[f"{endpoint}_ratio"] == round(ratio, 3)
    assert result["not_modified_rps"] > 0 and result["not_modified_rps_10k"] > 0
    assert result["load_generator"].startswith(("wrk ", "python threads"))
    assert 0 < result["biggest_province_articles_1m"] < 1200
    assert "[large] provinces" in log
