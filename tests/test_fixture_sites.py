"""The fixture sites are generated (tests/fixtures/make_sites.py): what is committed must be
what the records produce, or the e2e tests would check pages nobody can regenerate."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_fixture_sites_match_their_generator() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "fixtures" / "make_sites.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, (
        f"fixture sites are out of date; run python tests/fixtures/make_sites.py\n{result.stderr}"
    )
