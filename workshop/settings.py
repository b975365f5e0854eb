"""Django settings for Resonance, read from environment variables only.

With nothing set the app runs in development mode: DEBUG on, an SQLite file
under var/, and the in-memory channel layer (one process). Production sets
SECRET_KEY, DEBUG=0, ALLOWED_HOSTS, DATABASE_URL and REDIS_URL.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from workshop.env import envbool, envdatabase, envint, envlist, envredis, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = envbool("DEBUG", True)

SECRET_KEY = envstr("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-resonance-0123456789"

# Never "*": the WebSocket Origin check is built on this list.
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
if "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list real host names, not '*'")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",  # first, so that `runserver` serves WebSockets too
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "accounts",
    "boards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "workshop.urls"
WSGI_APPLICATION = "workshop.wsgi.application"
ASGI_APPLICATION = "workshop.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": envdatabase("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several processes (server + tests) share the file: wait for the write lock
    # instead of failing at once, and let readers run beside a writer.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    # Tests use a file too: an in-memory shared-cache database fails with
    # "table is locked" instead of waiting when threads write at once.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
else:
    DATABASES["default"]["TEST"] = {"NAME": envstr("TEST_DATABASE_NAME")}
# Keep connections open between requests and ops, on every engine. Reconnecting
# per ORM call (CONN_MAX_AGE = 0) showed up as several-fold latency on
# PostgreSQL; on SQLite it was worse: closing the last connection to a WAL
# database checkpoints the WAL, and the op door paid that on every op
# (BENCHMARKS.md, "Where the time went", 1).
DATABASES["default"]["CONN_MAX_AGE"] = envint("DB_CONN_MAX_AGE", 600, minimum=0)

REDIS_URL = envredis("REDIS_URL")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # redis-py caps its pool at 100 by default; a room full of
                # simultaneous handshakes goes past that.
                "hosts": [{"address": REDIS_URL, "max_connections": envint("REDIS_MAX_CONNECTIONS", 1000)}],
                # The default (100) drops group messages silently under bursts;
                # gap filling repairs drops, a larger queue makes them rare.
                "capacity": envint("CHANNEL_CAPACITY", 2000, minimum=100),
                "expiry": 60,
                "group_expiry": 86400 * 2,
                "prefix": envstr("CHANNEL_PREFIX", "resonance"),
            },
        }
    }
else:
    CHANNEL_LAYERS = {
        # Channels' InMemoryChannelLayer, minus a task per recipient (boards/layers.py).
        "default": {"BACKEND": "boards.layers.CheapInMemoryChannelLayer", "CONFIG": {"capacity": 2000}}
    }

# --- The live fan-out's needs of the channel layer (boards/fanout.py) ---------------
# Kept apart from the connection options above. Each process's hub of a board
# renews its group membership at every heartbeat, so a short group expiry lets
# a killed process's channels drop out of the group within a minute instead of
# two days of ops sent to nobody.
if REDIS_URL:
    CHANNEL_LAYERS["default"]["CONFIG"]["group_expiry"] = 60

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# daphne serves no files itself; WhiteNoise does. In development it finds them
# where they are written (no collectstatic); in production it serves STATIC_ROOT.
# These equal WhiteNoise's own defaults, but fixed here at start-up: pytest-django
# turns DEBUG off at run time, which made WhiteNoise look for STATIC_ROOT and warn.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Resonance <noreply@localhost>")

REST_FRAMEWORK = {
    # How many proxies in front of the app add X-Forwarded-For; with 0 the
    # client address is REMOTE_ADDR, so nobody can dodge the join throttle by
    # sending a made-up X-Forwarded-For.
    "NUM_PROXIES": envint("NUM_PROXIES", 0, minimum=0),
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "boards.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "boards.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Resonance API",
    "DESCRIPTION": "Workshops, boards and their op log. See docs/protocol.md for the WebSocket side.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# WebSocket limits (docs/protocol.md): frames past 64 KiB close the socket.
WS_MAX_FRAME_BYTES = 64 * 1024
WS_HEARTBEAT_SECONDS = envint("WS_HEARTBEAT_SECONDS", 10, minimum=1)
# Event streams (the WebSocket fallback) one client address may hold open in one
# process: a whole office behind one NAT fits; thousands from one host do not.
SSE_MAX_STREAMS_PER_ADDRESS = envint("SSE_MAX_STREAMS_PER_ADDRESS", 500, minimum=1)
# Bytes of events that may wait for a stream's client before it is cut off (a
# large board's snapshot fits; a client that stopped reading does not grow the server).
SSE_SEND_BUFFER_BYTES = envint("SSE_SEND_BUFFER_BYTES", 2 * 1024 * 1024, minimum=64 * 1024)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    # Load balancers probe each process over plain HTTP; a redirect would read as down.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}
