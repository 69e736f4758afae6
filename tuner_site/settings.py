"""Django settings for Tuner.

Every value that differs between a laptop and a deployment comes from the
environment through the typed readers below, which fail loudly on malformed
values instead of guessing.
"""

import importlib.util
import os
import re
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TUNER_VAR_DIR", BASE_DIR / "var"))


def env_str(name, default):
    return os.environ.get(name, default)


def env_bool(name, default):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


# The largest value of an integer column on PostgreSQL (4 bytes): a cap that a setting puts on
# something stored in one (trials per study, parallelism, seconds) must fit it.
INT_COLUMN_MAX = 2**31 - 1


def env_int(name, default, minimum=None, maximum=None):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}, got {value}")
    return value


def env_list(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def _secret_key():
    """The key comes from the environment, or is generated once and kept in a git-ignored file."""
    key = os.environ.get("DJANGO_SECRET_KEY")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DJANGO_DEBUG", False)

# Behind HTTPS (a deployment), turn on every transport-security setting at once.
TUNER_HTTPS = env_bool("TUNER_HTTPS", False)
SECURE_SSL_REDIRECT = TUNER_HTTPS
SESSION_COOKIE_SECURE = TUNER_HTTPS
CSRF_COOKIE_SECURE = TUNER_HTTPS
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000 if TUNER_HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = TUNER_HTTPS
SECURE_HSTS_PRELOAD = TUNER_HTTPS
if TUNER_HTTPS:
    # The reverse proxy terminates TLS and says so in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every answer (django-csp): scripts and styles only from our own
# static files, so a payload that slips past escaping still cannot run. No 'unsafe-eval': the
# vendored plotly.js is a partial bundle (scripts/build_plotly.sh), which has no WebGL charts (the only ones
# that built code with new Function()). Styles may be inline: plotly.js writes <style> elements and style
# attributes (its own stylesheet and modebar; its strict-CSS mode is unfinished upstream, issue
# plotly.js#7543), and an injected style cannot run code, while our escaping keeps markup out.
# Images may be data:/blob: URLs, which plotly's "download as PNG" draws through. The downloadable report
# carries its own policy of hashes (dashboard/report.py); Swagger UI's script is a separate file
# (SpectacularSwaggerSplitView), so /api/docs/ needs no exception.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "studies",
    "dashboard",
    "accounts",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tuner_site.middleware.QueryTextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tuner_site.middleware.NoStoreMiddleware",
    "tuner_site.middleware.DatabaseBusyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lock-out into the 429 login page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tuner_site.urls"
WSGI_APPLICATION = "tuner_site.wsgi.application"

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

# The embedded default is an SQLite file; teams set DATABASE_URL=postgres://...
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'tuner.sqlite3'}"),
        # Persistent connections: a trial or an ask then costs no connection set-up; the health
        # check below drops one that a database restart broke.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        # A worker that outlives a PostgreSQL restart must not keep using a dead connection.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite ignores row locks: IMMEDIATE transactions take the write lock at BEGIN so two
    # workers asking at once serialise instead of both reading the same next trial number.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_TIMEOUT_S", 30, minimum=1),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a locked-out login before the password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("TUNER_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    "artifacts": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
}
# Files attached to trials (artifacts) can grow past what one machine's disk should hold, and
# workers on other machines upload them: with TUNER_ARTIFACT_BUCKET set they go to that S3 (or
# S3-compatible: MinIO, Ceph, R2...) bucket through django-storages (requirements-s3.txt).
# Credentials are read by boto3 from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)
# or the machine's role, never from here. Tuner serves every download itself after checking
# roles, so the bucket stays private.
TUNER_ARTIFACT_BUCKET = env_str("TUNER_ARTIFACT_BUCKET", "")
if TUNER_ARTIFACT_BUCKET:
    if importlib.util.find_spec("storages") is None or importlib.util.find_spec("boto3") is None:
        raise ImproperlyConfigured("TUNER_ARTIFACT_BUCKET is set, but django-storages with boto3 is not installed: "
                                   "pip install -r requirements-s3.txt")
    import botocore.config
    STORAGES["artifacts"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": TUNER_ARTIFACT_BUCKET,
        "endpoint_url": env_str("TUNER_ARTIFACT_ENDPOINT_URL", "") or None,
        "region_name": env_str("TUNER_ARTIFACT_REGION", "") or None,
        "location": env_str("TUNER_ARTIFACT_PREFIX", ""),
        "default_acl": "private",
        "file_overwrite": False,
        # A bucket that does not answer fails an upload in seconds (503, nothing stored), not minutes.
        "client_config": botocore.config.Config(connect_timeout=5, read_timeout=60,
                                                retries={"max_attempts": 3, "mode": "standard"}),
    }}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:studies"
LOGOUT_REDIRECT_URL = "login"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # DRF's `Authorization: Token <key>` header, checked against named, hashed tokens.
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "studies.api.parsers.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "studies.api.pagination.Pagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "studies.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tuner API",
    "DESCRIPTION": "Create hyperparameter studies, run them on Celery workers, or drive them with ask/tell.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "DirectionEnum": ["minimize", "maximize"],
        "StudyStateEnum": "studies.models.Study.State",
        "TrialStateEnum": "studies.models.Trial.State",
        "TellStateEnum": ["complete", "pruned", "failed"],
        "JobStateEnum": "studies.models.job.Job.State",  # model exports and predictions
        "ExplanationStateEnum": ["none", "queued", "running", "ready", "failed"],
    },
}

# Caps that protect the service from oversized input; each answers 400/413 with a message.
TUNER_MAX_UPLOAD_BYTES = env_int("TUNER_MAX_UPLOAD_BYTES", 50 * 1024 * 1024, minimum=1024)
# Files attached to trials: one file, and all of a study's files together.
TUNER_ARTIFACT_MAX_BYTES = env_int("TUNER_ARTIFACT_MAX_BYTES", 50 * 1024 * 1024, minimum=1024)
TUNER_STUDY_ARTIFACTS_MAX_BYTES = env_int("TUNER_STUDY_ARTIFACTS_MAX_BYTES", 1024 * 1024 * 1024, minimum=1024)
TUNER_MAX_TRIALS_PER_STUDY = env_int("TUNER_MAX_TRIALS_PER_STUDY", 100_000, minimum=1, maximum=INT_COLUMN_MAX)
TUNER_MAX_PARALLELISM = env_int("TUNER_MAX_PARALLELISM", 64, minimum=1, maximum=INT_COLUMN_MAX)
TUNER_MAX_RUNNING_PER_USER = env_int("TUNER_MAX_RUNNING_PER_USER", 200, minimum=1)
# Trials a user enqueued by hand that have not run yet, across their studies.
TUNER_MAX_WAITING_PER_USER = env_int("TUNER_MAX_WAITING_PER_USER", 1000, minimum=1)
# What one user may hold; each answers 429 naming the limit.
TUNER_MAX_STUDIES_PER_USER = env_int("TUNER_MAX_STUDIES_PER_USER", 1000, minimum=1)
TUNER_MAX_DATASETS_PER_USER = env_int("TUNER_MAX_DATASETS_PER_USER", 100, minimum=1)
TUNER_MAX_API_TOKENS_PER_USER = env_int("TUNER_MAX_API_TOKENS_PER_USER", 50, minimum=1)
TUNER_MAX_SHARE_LINKS_PER_USER = env_int("TUNER_MAX_SHARE_LINKS_PER_USER", 200, minimum=1)
TUNER_MAX_CSV_ROWS = env_int("TUNER_MAX_CSV_ROWS", 1_000_000, minimum=10, maximum=INT_COLUMN_MAX)
TUNER_MAX_CSV_COLUMNS = env_int("TUNER_MAX_CSV_COLUMNS", 1_000, minimum=2)
TUNER_MAX_CSV_FIELD = env_int("TUNER_MAX_CSV_FIELD", 10_000, minimum=10)
# Budget for one built-in trial; the soft limit fails the trial cleanly, the hard one is a backstop.
TUNER_TRIAL_SOFT_TIME_LIMIT_S = env_int("TUNER_TRIAL_SOFT_TIME_LIMIT_S", 600, minimum=1)
TUNER_TRIAL_HARD_TIME_LIMIT_S = env_int("TUNER_TRIAL_HARD_TIME_LIMIT_S", 660, minimum=2)
# For this long after taking a trial from the queue, a worker that finishes one of a study's
# trials runs the study's next trial itself instead of sending it through the queue (quick
# objectives: one transaction per trial instead of three and a message). The chained trials
# share the task's time limits, so they start at most this long into them; 0 turns it off.
TUNER_TRIAL_CHAIN_S = env_int("TUNER_TRIAL_CHAIN_S", 1, minimum=0, maximum=60)
# Within that chain, a worker whose trials take milliseconds is handed several at once, about
# this many milliseconds of them and at most TUNER_TRIAL_BATCH_MAX, and tells them together:
# one locked transaction per batch instead of per trial (services/batches.py); 0 turns it off.
TUNER_TRIAL_BATCH_MS = env_int("TUNER_TRIAL_BATCH_MS", 50, minimum=0, maximum=10_000)
TUNER_TRIAL_BATCH_MAX = env_int("TUNER_TRIAL_BATCH_MAX", 16, minimum=1, maximum=1000)
# ...and never more than this share of the study's n_trials handed out ahead across its slots:
# the sampler sees a batch's trials only as pending, so a short study's later trials must still
# learn from its earlier ones (studies/services/batches.py).
TUNER_TRIAL_BATCH_BUDGET_SHARE = 0.1
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Celery: configured here under the CELERY_ prefix, read by tuner_site/celery.py.
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_DEFAULT_QUEUE = env_str("TUNER_QUEUE", "tuner")
# JSON only: a broker message is never unpickled.
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None  # results live in the database, not in Celery
CELERY_TASK_IGNORE_RESULT = True
# Ack after the task ran, so a worker that dies mid-trial leaves the message to be redelivered.
CELERY_TASK_ACKS_LATE = True
# A pool child killed by the OS (OOM, kill -9) requeues its message instead of acking it.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One message per process: trials are long, and prefetched ones would wait behind a busy child.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Longer than the hard time limit, or Redis would redeliver a trial that is still running.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("TUNER_VISIBILITY_TIMEOUT_S", 3600, minimum=10),
}
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The fallback when no Redis is available: messages are files in a local folder.
    _broker_dir = VAR_DIR / "broker"
    _broker_dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS.update(
        data_folder_in=str(_broker_dir), data_folder_out=str(_broker_dir), control_folder=str(_broker_dir / "control")
    )
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# One cache for every web and worker process (figures and importance per study revision, when
# tokens and share links were last used): Redis when the broker is Redis, else files in var/.
# TUNER_CACHE_PREFIX keeps apart several Tuners (or test runs) sharing one Redis.
# The cache is only a cache: while Redis is down every read misses (and is computed again) and
# every write is dropped, so pages keep working through a Redis outage (tests/faults, R3a).
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache",
                          "LOCATION": env_str("TUNER_CACHE_URL", CELERY_BROKER_URL),
                          "KEY_PREFIX": env_str("TUNER_CACHE_PREFIX", "tuner"),
                          "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5,
                                      "SOCKET_TIMEOUT": 0.5}}}
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": str(VAR_DIR / "cache"), "KEY_PREFIX": env_str("TUNER_CACHE_PREFIX", "tuner")}}
# When the broker connection drops, let running trials finish: a redelivered message finds its
# trial claimed and does nothing, whereas cancelling would throw the work away and run it again.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
# Celery's Django fixup closes the database connection before and after every task unless
# this is set; a new PostgreSQL connection per trial cost a third of the worker's throughput.
# tuner_site/celery.py applies Django's own policy instead (CONN_MAX_AGE, health checks).
CELERY_DB_REUSE_MAX = 1_000_000_000
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# The reconciler (Celery beat) keeps the database and the queue in step: how often it runs,
# how old a waiting trial's run message must be before it is sent again (Redis without
# persistence loses queued messages; a duplicate is a no-op), and how many attempts a
# built-in trial gets before a worker death every time marks it as poison.
TUNER_RECONCILE_INTERVAL_S = env_int("TUNER_RECONCILE_INTERVAL_S", 15, minimum=1)
TUNER_RESEND_AFTER_S = env_int("TUNER_RESEND_AFTER_S", 120, minimum=1)
TUNER_MAX_ATTEMPTS = env_int("TUNER_MAX_ATTEMPTS", 3, minimum=1)
# Defaults for studies that do not set their own: how long a running trial may stay silent,
# how often workers send heartbeats for built-in trials, and how often lost trials are retried.
TUNER_GRACE_PERIOD_S = env_int("TUNER_GRACE_PERIOD_S", 60, minimum=1, maximum=INT_COLUMN_MAX)
TUNER_HEARTBEAT_INTERVAL_S = env_int("TUNER_HEARTBEAT_INTERVAL_S", 10, minimum=1)
TUNER_RETRY_FAILED = env_int("TUNER_RETRY_FAILED", 0, minimum=0, maximum=INT_COLUMN_MAX)
CELERY_BEAT_SCHEDULE = {
    # Expires after a few intervals: a backlog of reconciler runs behind busy workers is useless.
    "reconcile": {
        "task": "studies.tasks.reconcile",
        "schedule": TUNER_RECONCILE_INTERVAL_S,
        "options": {"expires": max(2 * TUNER_RECONCILE_INTERVAL_S, 10)},
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Share-link tokens appear in request paths ("Not Found: /share/<token>/"); logs keep 6 characters.
    "filters": {"mask_share_tokens": {"()": "tuner_site.logmask.MaskShareTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_share_tokens"]}},
    "root": {"handlers": ["console"], "level": env_str("TUNER_LOG_LEVEL", "INFO")},
    # axes: the lock-outs and failures (WARNING), not a line per attempt checked (INFO).
    "loggers": {"django.server": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# Throttling of failed authentication, per client address and per account. Failed logins are
# counted by django-axes in the database; failed API-token authentications by DRF's throttle in
# the cache (Redis, shared by every web process on every machine; see CACHES above).
TUNER_LOGIN_LOCKOUT = env_bool("TUNER_LOGIN_LOCKOUT", True)
TUNER_LOGIN_FAILURE_LIMIT = env_int("TUNER_LOGIN_FAILURE_LIMIT", 10, minimum=1)
TUNER_LOGIN_LOCKOUT_S = env_int("TUNER_LOGIN_LOCKOUT_S", 900, minimum=1)
TUNER_TOKEN_FAILURE_RATE = env_str("TUNER_TOKEN_FAILURE_RATE", "10/min")
if not re.fullmatch(r"[1-9][0-9]*/(s|sec|m|min|h|hour|d|day)", TUNER_TOKEN_FAILURE_RATE):
    raise ImproperlyConfigured(f"TUNER_TOKEN_FAILURE_RATE must look like 10/min, got {TUNER_TOKEN_FAILURE_RATE!r}")
# Reverse proxies in front of gunicorn (nginx: 1), each appending to X-Forwarded-For: the client's
# address is then read from that header; with none, from the connection (a header can be forged).
TUNER_PROXY_COUNT = env_int("TUNER_PROXY_COUNT", 0, minimum=0)
REST_FRAMEWORK["NUM_PROXIES"] = TUNER_PROXY_COUNT

AXES_ENABLED = TUNER_LOGIN_LOCKOUT
AXES_FAILURE_LIMIT = TUNER_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(seconds=TUNER_LOGIN_LOCKOUT_S)
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]  # either one locks: per client and per account
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # keep failures only: successful logins are not axes' business here
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = TUNER_PROXY_COUNT or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if TUNER_PROXY_COUNT else ("REMOTE_ADDR",)

