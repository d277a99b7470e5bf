"""Settings shared by every environment.

Everything comes from the environment (see the table in README.md). The thin
modules beside this one (local, test, production) only choose defaults; no
behaviour exists in one of them alone. Cohesive groups live in modules of their
own that this one imports by name: accounts, caching, celery, logs, security.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import environ
from django.utils.translation import gettext_lazy as _

from .accounts import (  # noqa: F401 - settings of their own module, read here
    ACCOUNT_ADAPTER,
    ACCOUNT_EMAIL_SUBJECT_PREFIX,
    ACCOUNT_EMAIL_VERIFICATION,
    ACCOUNT_FORMS,
    ACCOUNT_LOGIN_METHODS,
    ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION,
    ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE,
    ACCOUNT_RATE_LIMITS,
    ACCOUNT_SESSION_REMEMBER,
    ACCOUNT_SIGNUP_FIELDS,
    ACCOUNT_UNIQUE_EMAIL,
    ACCOUNT_USER_MODEL_USERNAME_FIELD,
    AUTH_PASSWORD_VALIDATORS,
    AUTH_USER_MODEL,
    AUTHENTICATION_BACKENDS,
    COALITION_STAFF_MFA_REQUIRED,
    LOGIN_REDIRECT_URL,
    LOGIN_URL,
    MFA_SUPPORTED_TYPES,
    MFA_TOTP_ISSUER,
    MFA_TOTP_TOLERANCE,
    SESSION_COOKIE_AGE,
)
from .caching import (  # noqa: F401 - settings of their own module, read here
    CACHES,
    PUBLIC_API_CACHE_SECONDS,
    PUBLIC_FRAGMENT_CACHE_SECONDS,
    PUBLIC_PAGE_CACHE_SECONDS,
    REDIS_URL,
    redis_cache_settings,
)
from .celery import (  # noqa: F401 - settings of their own module, read here
    CELERY_BEAT_SCHEDULE,
    CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP,
    CELERY_BROKER_CONNECTION_TIMEOUT,
    CELERY_BROKER_TRANSPORT_OPTIONS,
    CELERY_BROKER_URL,
    CELERY_RESULT_BACKEND,
    CELERY_TASK_ACKS_LATE,
    CELERY_TASK_ALWAYS_EAGER,
    CELERY_TASK_EAGER_PROPAGATES,
    CELERY_TASK_IGNORE_RESULT,
    CELERY_TASK_PUBLISH_RETRY_POLICY,
    CELERY_TASK_REJECT_ON_WORKER_LOST,
    CELERY_TASK_SOFT_TIME_LIMIT,
    CELERY_TASK_TIME_LIMIT,
    CELERY_TIMEZONE,
    CELERY_WORKER_PREFETCH_MULTIPLIER,
    COALITION_BROKER_RETRY_AFTER,
    COALITION_EMAIL_KEEP_SENT_DAYS,
    COALITION_EMAIL_MAX_ATTEMPTS,
    COALITION_EMAIL_RETRY_SECONDS,
    COALITION_JOB_MAX_ATTEMPTS,
    COALITION_JOB_QUEUED_DEADLINE,
    COALITION_JOB_RUNNING_DEADLINE,
)
from .logs import LOGGING  # noqa: F401 - a setting of its own module, read here
from .security import (  # noqa: F401 - settings of their own module, read here
    CONTENT_SECURITY_POLICY,
    CSP_IMG_SOURCES,
    CSRF_COOKIE_HTTPONLY,
    MAP_TILE_ATTRIBUTION,
    MAP_TILE_URL,
    SECURE_CONTENT_TYPE_NOSNIFF,
    SECURE_CROSS_ORIGIN_OPENER_POLICY,
    SECURE_REFERRER_POLICY,
    SESSION_COOKIE_HTTPONLY,
    X_FRAME_OPTIONS,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "coalition",
    "members",
    "governance",
    "reporting",
    # modeltranslation before the admin: it patches the registered models' admin forms.
    "modeltranslation",
    "coalition.admin_apps.PortalAdminConfig",  # django.contrib.admin with the portal's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "django.forms",  # the form renderer finds Django's widget templates beside ours
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_countries",
    "django_htmx",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "coalition.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "coalition.middleware.StaffMFARequiredMiddleware",
]

ROOT_URLCONF = "coalition.urls"
WSGI_APPLICATION = "coalition.wsgi.application"
ASGI_APPLICATION = "coalition.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "coalition.context_processors.portal",
            ],
        },
    },
]

# Errors tied to their fields through Django's aria-invalid/aria-describedby; one field template.
FORM_RENDERER = "coalition.forms.PortalFormRenderer"

# --- Database -------------------------------------------------------------
# The embedded default is an SQLite file under var/; production and CI set
# DATABASE_URL to PostgreSQL (postgres://user:pass@host:5432/name).
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'coalition.sqlite3'}")
}
# Persistent connections on PostgreSQL: opening one per request cost more than a small page
# (a DB-backed page served 66 req/s that way and 260 req/s with them, gunicorn, 2 workers).
# Each gunicorn sync worker and Celery worker process keeps one connection, checked before
# reuse (CONN_HEALTH_CHECKS), so a connection the server dropped is replaced, not failed on.
_postgres = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")
DATABASES["default"].setdefault(
    "CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60 if _postgres else 0)
)
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server, an eager task and a shell share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery: caching.py and celery.py (imported above) --------------

# --- Client addresses behind proxies (rate limits) --------------------------
# How many proxies of our own stand in front of the portal (docker-compose: the TLS
# proxy, so 1). 0 = none: X-Forwarded-For is ignored and the peer address is the client.
# With N, the client is the N-th X-Forwarded-For entry from the right. One value for
# every limit: coalition.proxies.client_ip serves DRF's throttle and allauth's adapter;
# allauth's and DRF's own settings take the same number, for any code that reads them.
_proxies = env("TRUSTED_PROXY_COUNT", default="0").strip()
if not _proxies.isdigit():
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"TRUSTED_PROXY_COUNT must be a whole number of proxies (0 or more), not {_proxies!r}."
    )
TRUSTED_PROXY_COUNT = int(_proxies)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# --- Accounts (django-allauth): accounts.py (imported above) --------------

# --- What other apps do when a city becomes a member ----------------------
# Called by members.services (keyword arguments actor and membership), inside the
# transaction that made the membership "member" (an admission, a reinstatement, an import):
# members names no other app, so each adds its step here by dotted path.
MEMBER_JOINED_HOOKS = ["reporting.services.add_drafts_for_new_member"]

# --- Personal data and retention (docs/retention.md) ----------------------
# The modules that say what each app holds about a person, for the export and for
# closing an account (coalition.privacy).
PRIVACY_PROVIDERS = ["members.privacy", "governance.privacy", "reporting.privacy"]
# The modules that tie audit events to a coalition and a city (coalition.audit_log): each
# has COALITION_PATHS and CITY_PATHS, a lookup from each of its models to the id.
AUDIT_SCOPES = ["members.audit_scope", "governance.audit_scope", "reporting.audit_scope"]
# What the daily retention job (coalition.tasks.apply_retention_policy) deletes, and how
# many days after it was made (or expired, for sessions). Each purge is a service taking
# older_than and returning how many items it deleted. A new kind of expiring data adds
# an entry here and a line to docs/retention.md.
RETENTION_POLICY: dict[str, dict[str, Any]] = {
    "letters_of_unfinished_forms": {
        "purge": "governance.services.purge_stale_letter_uploads",
        "days": 2,
    },
    "expired_sessions": {"purge": "coalition.retention.purge_expired_sessions", "days": 0},
    "orphaned_report_attachments": {
        "purge": "reporting.services.purge_orphaned_attachment_files",
        "days": 1,
    },
}

# --- Email ----------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# A mail server that does not answer must not hold a worker forever (the email is retried).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Coalition Portal <portal@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "en"
# The switcher shows each language in its own name (Django's name_local: "Deutsch",
# "العربيّة"); these translated names are for the admin and the person's settings.
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("de", _("German")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
]
LANGUAGES_BIDI = ["ar"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Europe/Berlin")
USE_I18N = True
USE_TZ = True
# Where Django's locale formats fall short (Arabic groups no thousands): coalition/formats/.
FORMAT_MODULE_PATH = ["coalition.formats"]
# Dates and numbers follow the page's language (Django 5 always localises). No
# USE_THOUSAND_SEPARATOR: it would print years as 2,026; large numbers use |intcomma.

# Translated content (ADR 0014): django-modeltranslation keeps each language in a column of its
# own row. Every object names its authoritative language (`source_language`); a missing
# translation falls back to it, marked, through coalition.translated. Plain attribute access
# falls back through every language, so a name is never an empty string.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "fr", "de", "es", "ar")
MODELTRANSLATION_AUTO_POPULATE = False

# --- Static and media -----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Private files (application letters, report attachments, PDFs) live outside
# MEDIA_ROOT and are only ever served by views that check access.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- Security headers and CSP: security.py (imported above) --------------

# --- REST framework (open data) -------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # Keyed on coalition.proxies.client_ip (see "Client addresses" above).
    "DEFAULT_THROTTLE_CLASSES": ["coalition.proxies.ClientAnonRateThrottle"],
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {"anon": env("API_ANON_RATE", default="120/min")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Coalition Portal open data API",
    "DESCRIPTION": "Member cities, coalitions, plans of action and their commitments.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from drf-spectacular-sidecar's static files: no CDN (see members/urls.py).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Logging: logs.py (imported above).

# --- Public figures drawn from several cities (reporting charts) -------------
# A coalition average shown on a report's page or PDF comes only from the scores cities
# agreed to publish, and is shown only where at least this many cities published one:
# with fewer, a reader who knows some of the scores could work out another city's.
_min_cities = env("PUBLIC_AGGREGATE_MIN_CITIES", default="3").strip()
if not _min_cities.isdigit() or int(_min_cities) < 2:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"PUBLIC_AGGREGATE_MIN_CITIES must be a whole number of cities, 2 or more, "
        f"not {_min_cities!r}."
    )
PUBLIC_AGGREGATE_MIN_CITIES = int(_min_cities)

# Portal settings
PORTAL_NAME = env("PORTAL_NAME", default="Coalition Portal")
# Absolute address of the portal, for links in emails (which have no request to build them from).
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
DEFAULT_COALITION_SLUG = env("DEFAULT_COALITION_SLUG", default="eccar")
# How many substitutes a city may have certified beside its delegate, where the coalition's
# statute says nothing more precise (governance.services.delegates.substitutes_allowed).
DELEGATE_SUBSTITUTES_ALLOWED = env.int("DELEGATE_SUBSTITUTES_ALLOWED", default=2)
# Countries (ISO 3166 codes) whose cities need their council's resolution to join a coalition:
# the bureau's application check asks for it there (governance.selectors_application_checks).
# A fact of each country's municipal law, not of a coalition; the default is where joining an
# association is the council's decision rather than the mayor's alone. Staff correct it here.
COUNCIL_RESOLUTION_COUNTRIES = [
    code.strip().upper()
    for code in env.list(
        "COUNCIL_RESOLUTION_COUNTRIES",
        default=["AT", "BE", "CH", "DE", "ES", "FR", "IT", "LU", "NL"],
    )
    if code.strip()
]
# Only the demo loader reads this; local and test settings turn it on.
DEMO_DATA_ALLOWED = env.bool("DEMO_DATA_ALLOWED", default=False)
