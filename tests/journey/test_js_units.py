"""Runs the node --test suites of the journey page's pure modules (tests/journey/js/*.test.mjs)."""

import shutil
import subprocess
from pathlib import Path

import pytest

JS_TESTS = sorted(str(p) for p in (Path(__file__).parent / "js").glob("*.test.mjs"))


def test_node_unit_tests_pass():
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    result = subprocess.run(["node", "--test", *JS_TESTS], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
