"""Settings for the smart factory support portal.

Every deployment-specific value comes from an environment variable. Left unset, they give the
*embedded default*: SQLite, Celery tasks run eagerly, email to the console, files on local disk,
DEBUG on. Production sets ``DEBUG=off`` plus the variables listed in the README.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; absent in CI and the embedded default

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env(
    "SECRET_KEY",
    default="django-insecure-embedded-default-key-do-not-use-in-production-0123456789",
)
if not DEBUG and SECRET_KEY.startswith("django-insecure-"):
    raise ImproperlyConfigured("DEBUG is off: set SECRET_KEY to 50 or more random characters.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "portal",
    "outbox",
    "accounts",
    "programs",
    "companies",
    "applications",
    "clusters",
    "reviews",
    "awards",
    "projects",
    "settlement",
    "inquiries",
    "alerts",
    "results",
    "api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "template_partials",
    "csp",
    "rest_framework",
    "drf_spectacular",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff, operators and reviewers enrol an authenticator app before any page (portal/mfa.py).
    "portal.mfa.TwoFactorEnrolmentMiddleware",
    # A new version of the consent texts is agreed to before any page (accounts/middleware.py).
    "accounts.middleware.ConsentMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
SITE_ID = 1

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
                "django.template.context_processors.i18n",
                "portal.context_processors.site",
            ],
            "builtins": ["portal.templatetags.portal_tags"],
        },
    },
]

# --- Database: SQLite unless DATABASE_URL names a server (postgres://… in production and CI).
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: Redis when configured (shared by every gunicorn and Celery worker), else local memory.
REDIS_URL = env("REDIS_URL", default="")
# While Redis is away the cache falls back to each process's memory (portal/cache.py): pages
# and sign-in keep working, rate limits keep counting per process.
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "portal.cache.ResilientRedisCache",
                          "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts
AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
# Failed sign-ins: 5 per account in 5 minutes from any address, checked first (so attempts it
# refuses do not count against the address), and 100 per IP address, so one person's typos
# never lock out the colleagues behind the same office address.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/key,100/5m/ip",
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
# Translated messages (rate limit, wrong password) and email subjects without the site domain.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# Sign-up asks the person's name and the consents (accounts/forms.py).
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
# The client's address for the per-IP limits: behind N proxies you run (each adding to
# X-Forwarded-For), set N; left at 0, REMOTE_ADDR is the address.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Two-factor authentication: an authenticator app (TOTP) with recovery codes. The roles that
# must use it (everyone who handles others' data) are these predicates of the user; a new role
# adds its own here. See portal/mfa.py.
TWO_FACTOR_REQUIRED_FOR = [
    "portal.rules.is_staff",
    "portal.rules.is_operator",
    "reviews.rules.is_reviewer",
]
MFA_ADAPTER = "portal.mfa.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "스마트공장 지원 포털"
MFA_TOTP_TOLERANCE = 1  # the code before and after the current one too (clock drift)

# --- Internationalisation: Korean first, English second; every date shown in Asia/Seoul.
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", "한국어"), ("en", "English")]
# One catalogue per app (its own strings and templates), then the site shell's (portal/,
# templates/). makemessages files each string under the first path whose parent holds it,
# so the catch-all root catalogue comes last.
LOCALE_PATHS = [BASE_DIR / app / "locale" for app in ("accounts", "programs", "companies",
                                                        "applications", "clusters", "reviews",
                                                        "awards", "projects", "settlement",
                                                        "inquiries", "alerts", "results",
                                                        "api")] + [
    BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files
STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded files live outside any public URL: they are served only by permission-checked views.
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
MEDIA_URL = "/private-files-are-never-served-by-url/"
# The notices' Hangul font: NanumGothic without its hinting-source tables, prepared by
# ``manage.py prepare_notice_fonts`` (see awards/fonts.py).
NOTICE_FONT_DIR = env("NOTICE_FONT_DIR", default=str(BASE_DIR / "var" / "fonts"))
MAX_UPLOAD_BYTES = env.int("MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Email: console unless EMAIL_URL names an SMTP server (smtp://user:pass@host:587/?tls=True).
EMAIL_URL = env("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="스마트공장 지원 포털 <noreply@smartfactory.example.kr>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery: Redis in production; with no broker configured every task runs eagerly in-process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A worker process is replaced after this many tasks, or once it has grown past this many KiB
# (checked after each task): WeasyPrint's caches grow with every notice, past 300 MB after
# about 400 of them; a fresh process starts at about 120 MB.
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=100)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD",
                                             default=250_000)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Beat's schedule: the outbox publishes what the broker never took (outbox/services.py).
CELERY_BEAT_SCHEDULE = {
    "outbox-drain": {"task": "outbox.drain",
                     "schedule": env.float("OUTBOX_DRAIN_SECONDS", default=60.0)},
    "outbox-purge": {"task": "outbox.purge", "schedule": 24 * 3600.0},
    # Saved searches with the weekly option: one digest email each, Monday 08:00 Korea time.
    "alerts-weekly-digest": {"task": "alerts.weekly_digest",
                             "schedule": crontab(minute=0, hour=8, day_of_week="mon")},
    # Agreements past their deadline lapse, technical designs due within a week are reminded
    # (projects/services.hourly_check; idempotent, so a late or repeated run changes nothing).
    "projects-hourly-check": {"task": "projects.hourly_check",
                              "schedule": crontab(minute=5)},
    # Follow-up reports (사후관리) due and not filed are reminded once, daily at 09:00 Korea time.
    "settlement-follow-up-reminders": {"task": "settlement.remind_follow_ups",
                                       "schedule": crontab(minute=0, hour=9)},
    # Refunds (환수) past their due date become overdue and the company is reminded, daily
    # at 00:10 Korea time (settlement/services.mark_overdue_refunds; idempotent).
    "settlement-overdue-refunds": {"task": "settlement.mark_overdue_refunds",
                                   "schedule": crontab(minute=10, hour=0)},
}

# --- Outbox: every email and task is a row written with the change that causes it.
# A message published but not finished after this many seconds is published again (its task
# is idempotent); longer than the longest queue a batch of notices makes.
OUTBOX_REDELIVER_AFTER = env.int("OUTBOX_REDELIVER_AFTER", default=1800)
# Messages done are kept this many days (the admin shows them), then deleted by beat.
OUTBOX_KEEP_DAYS = env.int("OUTBOX_KEEP_DAYS", default=90)
# More messages than this from one commit are published by a worker, not by the request.
OUTBOX_INLINE_PUBLISH = env.int("OUTBOX_INLINE_PUBLISH", default=20)
# With no broker, background work (an award run's notices) is done while its page polls its
# progress (outbox.work_on), not inside the request that queued it.
OUTBOX_EAGER_BACKGROUND = env.bool("OUTBOX_EAGER_BACKGROUND", default=True)
# The domain of the emails' Message-ID (the same for every delivery of one message).
OUTBOX_MESSAGE_ID_DOMAIN = env("OUTBOX_MESSAGE_ID_DOMAIN", default="smartfactory.example.kr")

# DEBUG off: no silent console email, no tasks run inside the request. Refused by the processes
# that serve (gunicorn, Celery, manage.py's checks: portal/production.py), not by the build.

# --- Forms and front end
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- Security. Production (DEBUG off) passes ``manage.py check --deploy`` with no warning.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# The portal's own page for a form refused by the CSRF check (portal/errors.py).
CSRF_FAILURE_VIEW = "portal.errors.csrf_failure"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}

# Sections of the one dashboard page, in order (see portal.views.DashboardView).
# Read with the signed-in user in its one query (accounts/backends.py): name → a function
# returning the expression.
USER_ANNOTATIONS = {"has_inspections": "settlement.selectors.has_inspections"}

DASHBOARD_SECTIONS = [
    "portal.dashboard.sections",
    "reviews.dashboard.reviewer_sections",
    "reviews.dashboard.staff_sections",
    "applications.dashboard.sections",
    "awards.dashboard.sections",
    "projects.dashboard.sections",
    "settlement.dashboard.sections",
    "clusters.views.dashboard_sections",
    "inquiries.dashboard.sections",
    "results.dashboard.sections",
    "alerts.dashboard.sections",
    "portal.mfa.dashboard_sections",
]

# --- The public side: inquiries, alerts, published results, the open API (issue 15).
# Questions a user may ask a day (django-ratelimit, counted in the cache).
INQUIRY_RATE_LIMIT = env("INQUIRY_RATE_LIMIT", default="10/d")
# Unanswered questions older than this many working days come first in the operator's inbox.
INQUIRY_OVERDUE_WORKING_DAYS = env.int("INQUIRY_OVERDUE_WORKING_DAYS", default=3)
# Days that are not working days besides Saturdays and Sundays (ISO dates, e.g. 2025-10-03).
PUBLIC_HOLIDAYS = env.list("PUBLIC_HOLIDAYS", default=[])
# Items other apps add to the Atom feed of announcements (programs/feeds.py).
FEED_SOURCES = ["results.feeds.feed_items"]
# The open API (/api/v1/): anonymous and read-only, JSON only, rate-limited per address,
# answers cached this many seconds (and emptied when public data changes: api/cache.py).
API_RATE_LIMIT = env("API_RATE_LIMIT", default="120/m")
API_CACHE_SECONDS = env.int("API_CACHE_SECONDS", default=60)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttles.PublicRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "NUM_PROXIES": ALLAUTH_TRUSTED_PROXY_COUNT,
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Smart factory support portal: open API",
    "DESCRIPTION": "Public data of the smart factory support programmes: programmes, calls "
                   "with tracks, funding shares and budget lines, published announcements, "
                   "the supplier pool and published selection results. Read-only, anonymous, "
                   "paginated and rate-limited. Money is integer won; rates are decimal "
                   "strings (0.5 for 50%).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"FundingSourceEnum": "programs.enums.FundingSource"},
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "api.schema.add_error_responses"],
}
