"""Django settings for Resonance, read from environment variables only.

With nothing set the app runs in development mode: DEBUG on, an SQLite file
under var/, and the in-memory channel layer (one process). Production sets
SECRET_KEY, DEBUG=0, ALLOWED_HOSTS, DATABASE_URL and REDIS_URL.
"""

from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF
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
    "django_tasks",
    "django_tasks_db",
    "drf_spectacular_sidecar",
    "csp",
    "axes",
    "accounts",
    "boards",
    "background",
    "lifecycle",
    "decisions",
    "workshop",  # start-up checks of the services, the cache table (workshop/apps.py)
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
    "csp.middleware.CSPMiddleware",
    # Last but one, as django-axes asks: it turns a lockout into the page or JSON of accounts/lockout.py.
    "axes.middleware.AxesMiddleware",
    # Innermost, so that the headers above (CSP, ...) also go on what it answers:
    # Django's HTML 404 and 500 pages become JSON under /api/.
    "boards.api_errors.ApiErrorsAsJsonMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: it refuses a locked-out account before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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

# Longer than channels-redis's 5 s blocking read (see CHANNEL_LAYERS).
REDIS_SOCKET_TIMEOUT = 15
CACHE_TABLE = "resonance_cache"

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
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Keep the connection open between requests and ops: closing the last
    # connection to a WAL database checkpoints the WAL, and the op door paid
    # that on every op (BENCHMARKS.md, "Where the time went", 1).
    DATABASES["default"]["CONN_MAX_AGE"] = envint("DB_CONN_MAX_AGE", 600, minimum=0)
elif not envbool("DB_POOL", True):
    # PostgreSQL without the pool: connections kept open per thread, as before
    # it. Only for what the pool does not serve yet: the event stream's
    # in-process tests move a request's work to another thread (known issue,
    # BENCHMARKS.md / docs/deploy.md); production keeps the pool.
    DATABASES["default"]["CONN_MAX_AGE"] = envint("DB_CONN_MAX_AGE", 600, minimum=0)
else:
    # PostgreSQL: a bounded pool per process (psycopg_pool through Django). Under an
    # ASGI server every request runs in a thread of its own, and a kept-open
    # connection per thread grew to 84 connections for 60 parallel requests until
    # PostgreSQL refused everyone. The pool caps a process at DB_POOL_MAX; requests
    # past it wait up to DB_POOL_TIMEOUT seconds for a free one. Sizing: docs/deploy.md.
    DB_POOL_MAX = envint("DB_POOL_MAX", 10, minimum=1)
    DB_POOL_MIN = envint("DB_POOL_MIN", 2, minimum=0)
    if DB_POOL_MIN > DB_POOL_MAX:
        raise ImproperlyConfigured(f"DB_POOL_MIN ({DB_POOL_MIN}) must not exceed DB_POOL_MAX ({DB_POOL_MAX})")
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "pool": {
                "min_size": DB_POOL_MIN,
                "max_size": DB_POOL_MAX,
                "timeout": envint("DB_POOL_TIMEOUT", 5, minimum=1),
            },
            # An unreachable server fails a connection attempt in seconds, not minutes.
            "connect_timeout": 5,
        }
    )
    # Django requires 0 with a pool: "closing" hands the connection back to it.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The pool checks a connection before lending it, so after a PostgreSQL
    # restart no request or op gets a dead one (one loopback round trip each).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

REDIS_URL = envredis("REDIS_URL")
CHANNEL_PREFIX = envstr("CHANNEL_PREFIX", "resonance")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        # redis-py caps its pool at 100 by default; a room full of
                        # simultaneous handshakes goes past that.
                        "max_connections": envint("REDIS_MAX_CONNECTIONS", 1000, minimum=10),
                        # channels-redis waits for messages in a BRPOP of 5 s; the
                        # socket must outwait it, or every idle consumer dies with
                        # "Timeout reading from socket" (redis-py's default is 5 s too).
                        "socket_timeout": REDIS_SOCKET_TIMEOUT,
                        "socket_connect_timeout": 5,
                        "socket_keepalive": True,
                        # PING a pooled connection that sat idle this long before
                        # using it, so one left dead by a Redis restart is replaced.
                        "health_check_interval": 15,
                    }
                ],
                # The default (100) drops group messages silently under bursts;
                # gap filling repairs drops, a larger queue makes them rare.
                "capacity": envint("CHANNEL_CAPACITY", 2000, minimum=100),
                "expiry": 60,
                "group_expiry": 86400 * 2,
                "prefix": CHANNEL_PREFIX,
            },
        }
    }
    # Throttle counters shared by every process. Same Redis, own key prefix;
    # clear() deletes only those keys (workshop/cache.py), never the channel layer's.
    CACHES = {
        "default": {
            "BACKEND": "workshop.cache.PrefixedRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{CHANNEL_PREFIX}-cache",
            "OPTIONS": {"socket_timeout": 5, "socket_connect_timeout": 5, "health_check_interval": 15},
        }
    }
else:
    CHANNEL_LAYERS = {
        # Channels' InMemoryChannelLayer, minus a task per recipient (boards/layers.py).
        "default": {"BACKEND": "boards.layers.CheapInMemoryChannelLayer", "CONFIG": {"capacity": 2000}}
    }
    # In the database, so that every process on it counts the same throttles.
    # Its table is made by every `migrate` (workshop/apps.py).
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}}

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

# Brute-force limits on passwords (accounts/lockout.py, README "Limits").
# In the database: shared by every server process whatever the cache is (the
# cache handler refuses a local-memory cache, the development default).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_VERBOSE = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Where collectstatic writes and nginx serves from (deploy/nginx/resonance.conf).
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
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

# Background work (docs/exports.md, "Background work"): tasks are rows in the
# app's own database (django-tasks-db), run by `manage.py db_worker`; no other
# service. TASKS_IMMEDIATE=1 runs them inside the request instead (a quick
# try-out without a worker; never in production: a big PDF then blocks a thread).
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if envbool("TASKS_IMMEDIATE", False)
        else "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# Cached PDFs, one file per (workshop, version of its boards, reader's view).
# Every process that serves downloads and the worker must see the same folder.
EXPORTS_DIR = Path(envstr("EXPORTS_DIR") or VAR_DIR / "exports")
# Workshops with at most this many notes get their PDF inside the request
# (WORKSHOP.md's 70-note session: about 0.3 s of CPU, BENCHMARKS.md); bigger ones go to the worker.
PDF_INLINE_MAX_NOTES = envint("PDF_INLINE_MAX_NOTES", 100, minimum=0)
# A PDF build that raises is tried this many times in all before the page says it failed.
PDF_BUILD_ATTEMPTS = envint("PDF_BUILD_ATTEMPTS", 3, minimum=1)
# Seconds before the first retry; each further one waits twice as long.
PDF_RETRY_DELAY_SECONDS = envint("PDF_RETRY_DELAY_SECONDS", 2, minimum=0)

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
    # JSON through boards/wire.py: too deep, NUL or lone surrogates answer 400, not 500.
    "DEFAULT_PARSER_CLASSES": [
        "boards.wire.CheckedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "boards.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Resonance API",
    "DESCRIPTION": "Workshops, boards and their op log. See docs/protocol.md for the WebSocket side.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs page's Redoc from drf-spectacular-sidecar, not a CDN: it works offline.
    "REDOC_DIST": "SIDECAR",
    # The API takes JSON (form posts are parsed too, but are not part of the contract).
    "PARSER_WHITELIST": ["boards.wire.CheckedJSONParser"],
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

# Content-Security-Policy (django-csp): scripts and styles from our own static
# files only, no inline script or event handler, no other host. JavaScript may
# still set element.style (CSSOM), which style-src does not govern. The API
# docs page loosens it for Redoc alone (workshop/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # data: for the inline SVG favicon
        "font-src": [SELF],
        "connect-src": [SELF],  # CSP 3: 'self' also matches ws:/wss: to this host
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

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
