"""With DEBUG off and real values, Django's deployment checklist finds nothing to warn about."""

import secrets
import subprocess
import sys

from tests.support.servers import REPO_ROOT, settings_environ

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "resonance.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://resonance.example.com",
}


def test_check_deploy_is_clean_in_production():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO_ROOT,
        env=settings_environ(PRODUCTION),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


def test_check_deploy_warns_when_debug_is_on():
    # The same command, proving it would catch a problem: DEBUG on is security.W018.
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO_ROOT,
        env=settings_environ(PRODUCTION | {"DEBUG": "1"}),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "security.W018" in result.stderr
