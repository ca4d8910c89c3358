"""Settings: the one place that reads the environment.

Every setting has a safe local default (the *embedded* mode: SQLite, in-process broker,
in-memory channel layer, offline models), so `make run` works with nothing configured.
Production sets DATABASE_URL, REDIS_URL and the provider keys.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="embedded-insecure-secret-change-me")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list(
    "DJANGO_CSRF_TRUSTED_ORIGINS", default=["http://127.0.0.1:8000", "http://localhost:8000"]
)

INSTALLED_APPS = [
    "daphne",  # must precede staticfiles so `runserver` is the ASGI one
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt",
    "rest_framework_simplejwt.token_blacklist",  # rotated refresh tokens cannot be reused
    "django_filters",
    "drf_spectacular",
    "channels",
    "django_celery_beat",
    "django_prometheus",
    "auditlog",
    "agency",
    "tasks",
    "risk",
    "council",
    "audit",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "agency.middleware.RequestIdMiddleware",
    "agency.metrics.RequestMetricsMiddleware",
    "agency.middleware.BodySizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "audit.middleware.AuditlogContextMiddleware",  # django-auditlog's, wired once: see it
    "audit.middleware.AuditRequestMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "agency.urls"
APPEND_SLASH = False  # API paths take an optional trailing slash themselves
WSGI_APPLICATION = "agency.wsgi.application"
ASGI_APPLICATION = "agency.asgi.application"

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

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'agency.sqlite3'}")}
IS_SQLITE = DATABASES["default"]["ENGINE"].endswith("sqlite3")
if IS_SQLITE:
    # Worker threads write concurrently: WAL + IMMEDIATE transactions + a busy timeout stop
    # "database is locked" errors.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif (pool_max := env.int("DATABASE_POOL_MAX_SIZE", default=20)) > 0:
    # A pool per process (psycopg_pool through Django): ASGI requests run on short-lived
    # threads, so persistent connections (CONN_MAX_AGE) leaked one per request thread until
    # PostgreSQL refused clients; worker threads hand theirs back while they wait on a model
    # (agency.db.connection_release). The pool bounds connections per process.
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # Django requires it with a pool
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=1),
        "max_size": pool_max,
        "timeout": env.float("DATABASE_POOL_TIMEOUT", default=30.0),
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if not IS_SQLITE:
    # Server-side binding: parameters travel apart from the statement, and psycopg prepares a
    # statement on a connection once it has run PREPARE_THRESHOLD times there; the pipeline
    # repeats a few dozen statements per task, so PostgreSQL stops parsing and planning them
    # each time (64 instead of 73 ms of worker CPU per task in-process, docs/benchmarks.md).
    # Off for a pooler in transaction mode (PgBouncer), which cannot keep prepared statements:
    # then only the audit append's explicitly prepared statement is prepared.
    server_side_binding = env.bool("DATABASE_SERVER_SIDE_BINDING", default=True)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=server_side_binding,
        prepare_threshold=env.int("DATABASE_PREPARE_THRESHOLD", default=2)
        if server_side_binding
        else 1_000_000,
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker, channel layer, cache ----------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "TIMEOUT": 300,
        }
    }
    # Redis pub/sub: a group send is one PUBLISH, and each server process holds one
    # subscription per group and fans out to its own sockets. The list-based core layer
    # (a BZPOPMIN per consumer) ran out of Redis connections at 1,000 WebSocket clients in
    # one process. Pub/sub keeps nothing for a client that is away; feeds fill such gaps
    # from the database.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": env.str(
                "CHANNEL_LAYER_BACKEND", default="channels_redis.pubsub.RedisPubSubChannelLayer"
            ),
            # Deployments (or parallel test workers) sharing one Redis keep their groups apart.
            "CONFIG": {"hosts": [REDIS_URL], "prefix": env.str("CHANNEL_PREFIX", default="asgi")},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 5000}}
    }

# --- ASGI server (`manage.py agency_serve`) ----------------------------------------------------
# uvicorn (httptools, uvloop, websockets) by default; daphne remains selectable. Several server
# processes need a channel layer that crosses processes (Redis), so the embedded default runs one.
ASGI_SERVER = env.str("ASGI_SERVER", default="uvicorn")
ASGI_WORKERS = env.int("ASGI_WORKERS", default=1)
# Threads per server process running HTTP requests (`agency.http`); each holds at most one
# pooled database connection while it works. They share the process's GIL: beyond the few
# that overlap database round trips, more threads only contend for it (50 clients: 4 threads
# served every endpoint 3-8 % faster than 8, and 16 slower still; docs/benchmarks.md).
ASGI_HTTP_THREADS = env.int("ASGI_HTTP_THREADS", default=4)

# --- Celery ---------------------------------------------------------------------------------
# Embedded: kombu's in-memory transport; the worker runs as threads inside the server process
# (`manage.py agency_serve`). Configured: Redis, and separate worker processes.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_EMBEDDED = CELERY_BROKER_URL.startswith("memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a stage is acked only after it ran...
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # ...and re-queued if its worker died mid-stage
CELERY_WORKER_PREFETCH_MULTIPLIER = env.int("CELERY_PREFETCH_MULTIPLIER", default=4)
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="agency")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {"polling_interval": 0.02}
    if CELERY_EMBEDDED
    else {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600)}
)
# Redis broker publishes fail fast when Redis is down: the Task row is the source of truth
# and the beat job re-dispatches what could not be enqueued.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY = False
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_WORKER_POOL = env.str("CELERY_WORKER_POOL", default="threads")
CELERY_WORKER_CONCURRENCY = env.int("CELERY_WORKER_CONCURRENCY", default=32)
# Each worker process serves its own /metrics here (0 = off; the embedded worker shares the
# server's /metrics).
WORKER_METRICS_PORT = env.int("WORKER_METRICS_PORT", default=0)
# Written once a worker has warmed up and takes tasks, removed at shutdown (readiness probes).
WORKER_READY_FILE = env.str("WORKER_READY_FILE", default="")
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "redispatch-stalled-tasks": {
        "task": "tasks.redispatch_stalled",
        "schedule": env.float("PIPELINE_REDISPATCH_INTERVAL", default=15.0),
    },
}

# --- Pipeline -------------------------------------------------------------------------------
PIPELINE = {
    # A stage whose heartbeat is older than this is presumed dead and re-dispatched.
    "STALE_AFTER_SECONDS": env.float("PIPELINE_STALE_AFTER", default=60.0),
    # A stage writes its heartbeat at most this often; it also bounds how long a running stage
    # can take to notice a cancel between steps.
    "BEAT_MIN_INTERVAL": env.float("PIPELINE_BEAT_MIN_INTERVAL", default=1.0),
    # A stage's progress reports made while it computes go out together: before it waits on a
    # model or a command, at its commit, or at its next report or beat once the oldest has
    # waited this long (0 = each at once).
    "PROGRESS_HOLD_SECONDS": env.float("PIPELINE_PROGRESS_HOLD_SECONDS", default=0.25),
    # Per process, how many worker threads compute at once between their waits (model calls,
    # commands); the others queue for a slot instead of for the GIL (0 = no limit).
    "COMPUTE_SLOTS": env.int("PIPELINE_COMPUTE_SLOTS", default=4),
    # A task accepted but not picked up within this time is re-dispatched (broker was down).
    "UNDISPATCHED_AFTER_SECONDS": env.float("PIPELINE_UNDISPATCHED_AFTER", default=10.0),
    "MAX_STAGE_ATTEMPTS": env.int("PIPELINE_MAX_STAGE_ATTEMPTS", default=5),
    "MAX_REVISION_ROUNDS": env.int("PIPELINE_MAX_REVISION_ROUNDS", default=2),
    "MAX_CLARIFICATION_ROUNDS": env.int("PIPELINE_MAX_CLARIFICATION_ROUNDS", default=3),
    "AMBIGUITY_THRESHOLD": env.float("PLANNING_AMBIGUITY_THRESHOLD", default=0.6),
    "RISK_APPROVAL_SCORE": env.int("RISK_APPROVAL_SCORE", default=40),
    "RISK_BLOCK_SCORE": env.int("RISK_BLOCK_SCORE", default=75),
    "STAGE_TIME_LIMIT_SECONDS": env.int("PIPELINE_STAGE_TIME_LIMIT", default=600),
    # A delivery from the broker runs the stages that follow its own in the same worker thread
    # for up to this long, instead of a broker round trip per stage (0: every stage through
    # the broker). Keep it well under the broker's visibility timeout.
    "CHAIN_SECONDS": env.float("PIPELINE_CHAIN_SECONDS", default=60.0),
    # Outside the project tree: tools run in a workspace look for their configuration in its
    # parent directories (pytest found this project's pyproject.toml and printed warnings a
    # recorded run never saw). Workspaces are scratch; artifacts (var/) are the record.
    "WORKSPACE_ROOT": env.path(
        "WORKSPACE_ROOT",
        default=Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        / "agent-agency"
        / "workspaces",
    ),
    "TASK_DESCRIPTION_MAX_CHARS": 20_000,
    "TASK_BATCH_MAX": env.int("TASK_BATCH_MAX", default=100),  # tasks per POST /tasks/batch
}

# --- Execution engine (sandbox, agent loop, gates); see docs/execution.md ---------------------
EXECUTION = {
    # The agent loop's budgets per execute round.
    "MAX_STEPS": env.int("EXECUTION_MAX_STEPS", default=30),
    "MAX_TOKENS": env.int("EXECUTION_MAX_TOKENS", default=200_000),
    "LOOP_REPEATS": env.int("EXECUTION_LOOP_REPEATS", default=3),
    "OBSERVATION_CHARS": env.int("EXECUTION_OBSERVATION_CHARS", default=4000),
    # Commands in the sandbox: wall clock, CPU seconds, address space, file size, processes.
    "COMMAND_TIMEOUT_SECONDS": env.float("EXECUTION_COMMAND_TIMEOUT", default=60.0),
    "CPU_SECONDS": env.int("EXECUTION_CPU_SECONDS", default=60),
    "MEMORY_BYTES": env.int("EXECUTION_MEMORY_BYTES", default=2 * 1024**3),
    "FILE_SIZE_BYTES": env.int("EXECUTION_FILE_SIZE_BYTES", default=16 * 1024**2),
    "MAX_PROCESSES": env.int("EXECUTION_MAX_PROCESSES", default=64),
    # Files written by the agent, and the workspace as a whole.
    "MAX_FILE_BYTES": env.int("EXECUTION_MAX_FILE_BYTES", default=1_000_000),
    "MAX_WORKSPACE_BYTES": env.int("EXECUTION_MAX_WORKSPACE_BYTES", default=64 * 1024**2),
    # "auto": namespaces (no network, private /proc, read-only system) when the OS allows them,
    # else plain process isolation; "none": never try. Which one applied is recorded per command.
    "ISOLATION": env.str("EXECUTION_ISOLATION", default="auto"),
    # Hidden from sandboxed commands (besides the workspace root and artifact storage).
    "HIDDEN_PATHS": env.list(
        "EXECUTION_HIDDEN_PATHS",
        default=[str(VAR_DIR), str(BASE_DIR / ".env"), "~/.ssh", "~/.aws", "~/.netrc"],
    ),
    # Quality gates run after every execute round (those that apply to the workspace).
    "GATES": env.list(
        "EXECUTION_GATES", default=["artifacts_intact", "json_valid", "pytest", "ruff"]
    ),
    "GATE_TIMEOUT_SECONDS": env.float("EXECUTION_GATE_TIMEOUT", default=120.0),
    # Local git repositories a task may name to start from (copied, never modified).
    "REPOSITORY_ROOTS": env.list("EXECUTION_REPOSITORY_ROOTS", default=[]),
}

# --- Models (providers) ---------------------------------------------------------------------
OPENAI_API_KEY = env.str("OPENAI_API_KEY", default="")
OPENAI_BASE_URL = env.str("OPENAI_BASE_URL", default="")
ANTHROPIC_API_KEY = env.str("ANTHROPIC_API_KEY", default="")
ANTHROPIC_BASE_URL = env.str("ANTHROPIC_BASE_URL", default="")
OLLAMA_BASE_URL = env.str("OLLAMA_BASE_URL", default="")
LLM_CALL_TIMEOUT_SECONDS = env.float("LLM_CALL_TIMEOUT", default=60.0)
# Per role, a comma-separated fallback chain of "provider:model"; "offline" always ends it when
# graceful degradation is on. Empty = pick from whichever provider keys are configured.
LLM_ROUTES = {
    "planner": env.list("LLM_PLANNER_MODELS", default=[]),
    "judge": env.list("LLM_JUDGE_MODELS", default=[]),
    "coder": env.list("LLM_CODER_MODELS", default=[]),
}
LLM_DEFAULT_MODELS = {
    "openai": env.str("OPENAI_MODEL", default="gpt-4o-mini"),
    "anthropic": env.str("ANTHROPIC_MODEL", default="claude-haiku-4-5"),
    "ollama": env.str("OLLAMA_MODEL", default="llama3.1"),
}

# --- Council --------------------------------------------------------------------------------
# Judges and councils live in the database (admin-editable); `manage.py council_seed` creates
# them from COUNCIL["JUDGES"]. See docs/council.md for the strategies and their tables.
COUNCIL = {
    "NAME": env.str("COUNCIL_NAME", default="default"),  # the council the pipeline convenes
    # unanimous | majority | weighted | veto | chair (per council; a review may override it)
    "STRATEGY": env.str("COUNCIL_STRATEGY", default="veto"),
    "QUORUM": env.int("COUNCIL_QUORUM", default=0),  # 0 = more than half of the seated judges
    "THRESHOLD": env.float("COUNCIL_THRESHOLD", default=0.7),  # the weighted strategy's bar
    "VETO_RUBRICS": env.list("COUNCIL_VETO_RUBRICS", default=["safety"]),
    "CHAIR": env.str("COUNCIL_CHAIR", default="offline"),  # "kind[:model]" of the chair model
    "CHAIR_TIMEOUT_SECONDS": env.float("COUNCIL_CHAIR_TIMEOUT", default=30.0),
    # A whole session's model calls end by then (the per-task deadline of the review).
    "SESSION_DEADLINE_SECONDS": env.float("COUNCIL_SESSION_DEADLINE", default=120.0),
    # Per-task budget over every model call of the task; 0 = unlimited.
    "TASK_BUDGET_TOKENS": env.int("TASK_BUDGET_TOKENS", default=0),
    "TASK_BUDGET_USD": env.float("TASK_BUDGET_USD", default=0.0),
    # How long a process reuses the council it read (0 = read it for every review). A change
    # saved elsewhere reaches running workers within this many seconds.
    "SPEC_CACHE_SECONDS": env.float("COUNCIL_SPEC_CACHE_SECONDS", default=5.0),
    "JUDGES": env.json(
        "COUNCIL_JUDGES",
        default=[
            {"name": "technical-reviewer", "rubric": "technical", "provider": "offline"},
            {"name": "safety-reviewer", "rubric": "safety", "provider": "offline"},
            {"name": "requirements-reviewer", "rubric": "requirements", "provider": "offline"},
            {
                "name": "ethics-reviewer",
                "rubric": "ethics",
                "provider": "offline",
                "enabled": False,
            },
        ],
    ),
}

# --- Security, auth -------------------------------------------------------------------------
JWT_SECRET = env.str("JWT_SECRET", default=SECRET_KEY)
ENCRYPTION_KEY = env.str("ENCRYPTION_KEY", default=SECRET_KEY)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "/admin/login/"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "agency.auth.authentication.ApiKeyAuthentication",
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "agency.api.pagination.DefaultPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["agency.api.filters.FilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "agency.api.errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min"},
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Rate limits (agency/api/throttling.py): per user, or per client address when anonymous;
# an atomic counter in Redis when configured. `API_TRUSTED_PROXIES` = how many reverse proxies
# append to X-Forwarded-For in front of the server (0: the header is never trusted).
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = ["agency.api.throttling.IdentityRateThrottle"]
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "anon": env.str("API_THROTTLE_ANON", default="60/min"),
    "user": env.str("API_THROTTLE_USER", default="1200/min"),
}
API_TRUSTED_PROXIES = env.int("API_TRUSTED_PROXIES", default=0)
SIMPLE_JWT = {
    "SIGNING_KEY": JWT_SECRET,
    "ALGORITHM": "HS256",
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=30)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=1)),
    "AUTH_HEADER_TYPES": ("Bearer",),
    "ROTATE_REFRESH_TOKENS": True,  # each refresh returns a new refresh token...
    "BLACKLIST_AFTER_ROTATION": True,  # ...and the one used is blacklisted (no replay)
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Agent Agency API",
    "DESCRIPTION": "Run AI coding agents with oversight: plan, risk, council, sandbox, audit.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}
# Requests larger than this are refused with 413 before they are parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("MAX_REQUEST_BYTES", default=1_048_576)

# --- Audit ----------------------------------------------------------------------------------
AUDIT_TRAIL_ENABLED = env.bool("AUDIT_TRAIL_ENABLED", default=True)
AUDIT_LOG_LEVEL = env.str("AUDIT_LOG_LEVEL", default="standard")
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=365)
AUDITLOG_INCLUDE_ALL_MODELS = False
# See docs/audit.md. Checkpoints are signed with ENCRYPTION_KEY; after rotating it, list the
# old key(s) here so earlier checkpoints still verify.
AUDIT_PREVIOUS_SIGNING_KEYS = env.list("AUDIT_PREVIOUS_SIGNING_KEYS", default=[])
AUDIT_CHECKPOINT_INTERVAL = env.float("AUDIT_CHECKPOINT_INTERVAL", default=300.0)
AUDIT_RETENTION_INTERVAL = env.float("AUDIT_RETENTION_INTERVAL", default=86_400.0)
# PostgreSQL: how often beat merges the full-text index's pending list (audit/search.py).
AUDIT_SEARCH_FLUSH_INTERVAL = env.float("AUDIT_SEARCH_FLUSH_INTERVAL", default=10.0)
AUDIT_EXPORT_ROOT = env.path("AUDIT_EXPORT_ROOT", default=VAR_DIR / "audit_exports")
AUDIT_EXPORT_SYNC_MAX_EVENTS = env.int("AUDIT_EXPORT_SYNC_MAX_EVENTS", default=5_000)
# Configuration objects whose admin/API changes django-auditlog records (when installed).
AUDIT_AUDITLOG_MODELS = env.list(
    "AUDIT_AUDITLOG_MODELS",
    default=[
        "council.Judge",
        "council.Council",
        "auth.Group",
        "django_celery_beat.PeriodicTask",
        "django_celery_beat.IntervalSchedule",
        "django_celery_beat.CrontabSchedule",
        "tasks.WorkerProfile",
    ],
)
CELERY_BEAT_SCHEDULE.update(
    {
        "audit-checkpoint": {"task": "audit.checkpoint", "schedule": AUDIT_CHECKPOINT_INTERVAL},
        "audit-retention-purge": {
            "task": "audit.retention_purge",
            "schedule": AUDIT_RETENTION_INTERVAL,
        },
        "audit-search-index-flush": {
            "task": "audit.search_index_flush",
            "schedule": AUDIT_SEARCH_FLUSH_INTERVAL,
        },
    }
)

# --- Resilience -----------------------------------------------------------------------------
CIRCUIT_BREAKERS_ENABLED = env.bool("CIRCUIT_BREAKERS_ENABLED", default=True)
GRACEFUL_DEGRADATION_ENABLED = env.bool("GRACEFUL_DEGRADATION_ENABLED", default=True)
ERROR_RECOVERY_ENABLED = env.bool("ERROR_RECOVERY_ENABLED", default=True)
FEATURE_FLAGS_FILE = env.path("FEATURE_FLAGS_FILE", default=BASE_DIR / "config" / "flags.yaml")

# --- i18n, static ---------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(env.path("ARTIFACT_ROOT", default=VAR_DIR / "artifacts"))},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# --- Logging: structured JSON with request/task correlation ids -------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"correlation": {"()": "agency.logging.CorrelationFilter"}},
    "formatters": {"json": {"()": "agency.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["correlation"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "celery": {"level": "WARNING"},
        "daphne": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
        "kombu": {"level": "ERROR"},
        "httpx2": {"level": "WARNING"},
    },
}

# --- Production hardening: DJANGO_SECURE=true when served behind TLS --------------------------
# `manage.py check --deploy` reports nothing with it on (tested). Health and metrics stay
# reachable over plain HTTP for probes and scrapes inside the cluster.
if env.bool("DJANGO_SECURE", default=False):
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^health", r"^metrics$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
