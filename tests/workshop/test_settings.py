"""Settings come from the environment only, and a bad value stops start-up naming the variable."""

import json
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.support.servers import REPO_ROOT, settings_environ
from workshop import env

PRINT_SETTINGS = """
import json
from workshop import settings
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "engine": settings.DATABASES["default"]["ENGINE"],
    "name": str(settings.DATABASES["default"]["NAME"]),
    "layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
    "layer_config": settings.CHANNEL_LAYERS["default"].get("CONFIG", {}),
}))
"""


def import_settings(**variables: str) -> subprocess.CompletedProcess:
    """Import workshop.settings in a fresh interpreter with only `variables` set."""
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=REPO_ROOT,
        env=settings_environ(variables),
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DEBUG": "0"}, "SECRET_KEY"),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgresql://db.example.com"}, "DATABASE_URL"),
        ({"REDIS_URL": "http://x"}, "REDIS_URL"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS"),
        ({"ALLOWED_HOSTS": " , "}, "ALLOWED_HOSTS"),
        ({"CSRF_TRUSTED_ORIGINS": ","}, "CSRF_TRUSTED_ORIGINS"),
        ({"WS_HEARTBEAT_SECONDS": "ten"}, "WS_HEARTBEAT_SECONDS"),
        ({"WS_HEARTBEAT_SECONDS": "0"}, "WS_HEARTBEAT_SECONDS"),
        ({"REDIS_URL": "redis://127.0.0.1:6379/0", "CHANNEL_CAPACITY": "10"}, "CHANNEL_CAPACITY"),
        ({"DB_CONN_MAX_AGE": "-1"}, "DB_CONN_MAX_AGE"),
        ({"DATABASE_URL": "postgresql://u@h/db", "DB_POOL_MAX": "0"}, "DB_POOL_MAX"),
        ({"DATABASE_URL": "postgresql://u@h/db", "DB_POOL_MIN": "5", "DB_POOL_MAX": "4"}, "DB_POOL_MIN"),
        ({"DATABASE_URL": "postgresql://u@h/db", "DB_POOL_TIMEOUT": "0"}, "DB_POOL_TIMEOUT"),
        ({"REDIS_URL": "redis://127.0.0.1:6379/0", "REDIS_MAX_CONNECTIONS": "1"}, "REDIS_MAX_CONNECTIONS"),
        ({"DEBUG": "0", "SECRET_KEY": "k" * 60, "SECURE_SSL_REDIRECT": "sometimes"}, "SECURE_SSL_REDIRECT"),
    ],
)
def test_it_refuses_a_bad_value_naming_the_variable(variables, named):
    result = import_settings(**variables)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    last_line = result.stderr.strip().splitlines()[-1]
    assert named in last_line


def test_defaults_are_sqlite_and_the_in_memory_layer():
    result = import_settings()
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    assert config["DEBUG"] is True
    assert config["engine"] == "django.db.backends.sqlite3"
    assert config["name"] == str(REPO_ROOT / "var" / "db.sqlite3")
    assert config["layer"] == "boards.layers.CheapInMemoryChannelLayer"  # channels' in-memory layer, cheaper


def test_redis_url_selects_channels_redis():
    result = import_settings(REDIS_URL="redis://127.0.0.1:6379/3", CHANNEL_PREFIX="p1")
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    assert config["layer"] == "channels_redis.core.RedisChannelLayer"
    (host,) = config["layer_config"]["hosts"]
    assert host["address"] == "redis://127.0.0.1:6379/3"
    assert config["layer_config"]["prefix"] == "p1"


def test_database_url_selects_postgresql():
    result = import_settings(DATABASE_URL="postgresql://u@db.example.com:5432/resonance")
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    assert config["engine"] == "django.db.backends.postgresql"
    assert config["name"] == "resonance"


# The helpers themselves, in this process.


@pytest.mark.parametrize(
    ("helper", "raw"),
    [
        (lambda: env.envbool("SOME_FLAG", False), "maybe"),
        (lambda: env.envint("SOME_NUMBER", 1), "1.5"),
        (lambda: env.envint("SOME_NUMBER", 1, minimum=2), "1"),
        (lambda: env.envlist("SOME_LIST", []), " , "),
        (lambda: env.envdatabase("SOME_DATABASE", "sqlite:///x"), "mysql://x"),
        (lambda: env.envdatabase("SOME_DATABASE", "sqlite:///x"), "postgresql://host-without-database"),
        (lambda: env.envredis("SOME_REDIS"), "http://x"),
    ],
)
def test_each_helper_names_the_variable(monkeypatch, helper, raw):
    for name in ("SOME_FLAG", "SOME_NUMBER", "SOME_LIST", "SOME_DATABASE", "SOME_REDIS"):
        monkeypatch.setenv(name, raw)
    with pytest.raises(ImproperlyConfigured, match=r"\bSOME_[A-Z]+\b"):
        helper()


def test_helpers_give_the_default_when_unset(monkeypatch):
    for name in ("SOME_FLAG", "SOME_NUMBER", "SOME_LIST", "SOME_DATABASE", "SOME_REDIS", "SOME_TEXT"):
        monkeypatch.delenv(name, raising=False)
    assert env.envbool("SOME_FLAG", True) is True
    assert env.envint("SOME_NUMBER", 7) == 7
    assert env.envlist("SOME_LIST", ["a"]) == ["a"]
    assert env.envdatabase("SOME_DATABASE", "sqlite:////tmp/x.sqlite3")["NAME"] == "/tmp/x.sqlite3"
    assert env.envredis("SOME_REDIS") is None
    assert env.envstr("SOME_TEXT", "t") == "t"
