"""A wrong or unreachable DATABASE_URL or REDIS_URL stops start-up with a message naming it."""

import subprocess
import sys
import time

import pytest

from tests.support.servers import REPO_ROOT, free_port, launch_server, settings_environ


def manage_check(**variables):
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=REPO_ROOT,
        env=settings_environ(variables),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_names_an_unreachable_database():
    result = manage_check(DATABASE_URL=f"postgresql://resonance:s3cret@127.0.0.1:{free_port()}/resonance")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr and "does not answer" in result.stderr, result.stderr
    assert "s3cret" not in result.stderr


def test_check_names_an_unreachable_redis():
    result = manage_check(REDIS_URL=f"redis://:s3cret@127.0.0.1:{free_port()}/0")
    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr and "does not answer" in result.stderr, result.stderr
    assert "s3cret" not in result.stderr


def test_check_passes_when_both_answer():
    result = manage_check()
    assert result.returncode == 0, result.stderr


@pytest.mark.multiprocess
def test_the_server_does_not_start_on_an_unreachable_redis(tmp_path):
    server = launch_server(
        {"REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"}, log_path=tmp_path / "server.log"
    )
    try:
        deadline = time.monotonic() + 60
        while server.process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert server.process.returncode not in (None, 0), "the server kept running"
        assert "REDIS_URL" in server.log() and "does not answer" in server.log(), server.log_tail()
    finally:
        server.stop()
