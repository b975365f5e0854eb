"""README's production section, run line by line on a stack of its own: the text cannot go stale."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.support.servers import REPO_ROOT

pytestmark = pytest.mark.multiprocess

SECTION = "## Running with PostgreSQL, Redis and several processes"


def production_block() -> list[str]:
    readme = (REPO_ROOT / "README.md").read_text()
    section = readme.split(SECTION, 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, flags=re.S)
    assert block, "the production section lost its shell block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_the_block_brings_the_stack_up_makes_a_workshop_and_takes_it_down():
    lines = production_block()
    assert lines[0] == "deploy/local-stack up" and lines[-1] == "deploy/local-stack down"
    # Not pytest's tmp_path (mode 700): PostgreSQL runs as its own user under this one.
    directory = Path(tempfile.mkdtemp(prefix="resonance-readme-stack-"))
    os.chmod(directory, 0o755)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CHANNEL_PREFIX", "TEST_DATABASE_NAME"}
    }
    env |= {"STACK_DIR": str(directory), "PYTHON": sys.executable}
    # One shell, so variables carry from line to line as for a reader; -e stops at
    # the first failing command, -x shows which one it was.
    script = "set -euxo pipefail\n" + "\n".join(lines) + "\n"
    try:
        result = subprocess.run(
            ["bash", "-c", script], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=900
        )
    finally:
        subprocess.run(
            ["deploy/local-stack", "down"], cwd=REPO_ROOT, env=env, capture_output=True, timeout=120
        )
        shutil.rmtree(directory, ignore_errors=True)
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    assert '"join_code"' in result.stdout and '"kind":"empathy-map"' in result.stdout.replace(" ", "")
    assert "local-stack: down" in result.stdout
