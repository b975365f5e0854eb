"""Runs every `node --test` suite of the pure browser modules, so `make test` covers them too."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SUITES = sorted(
    str(path)
    for pattern in ("tests/js/*.test.mjs", "tests/journey/js/*.test.mjs", "static/js/tests/*.test.js")
    for path in ROOT.glob(pattern)
)


def test_there_are_js_suites_to_run():
    assert len(SUITES) >= 5, SUITES


def test_node_unit_tests_pass():
    if shutil.which("node") is None:
        if os.environ.get("CI"):
            pytest.fail("node is missing")
        pytest.skip("node is not installed")
    result = subprocess.run(
        ["node", "--test", *SUITES], capture_output=True, text=True, timeout=300, cwd=ROOT
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout
