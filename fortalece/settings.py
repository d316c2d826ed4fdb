"""Settings, read from the environment (see docs/configuration.md).

Local defaults are safe for a laptop: SQLite in ``var/``, DEBUG off unless asked for.
Production sets ``DJANGO_SECRET_KEY``, ``DATABASE_URL`` and ``DJANGO_ALLOWED_HOSTS``.
"""

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent

env = environ.Env()
# A checkout's git-ignored ``.env`` (written by ``python3 run.py setup`` with a generated key)
# makes local commands work without exporting anything. Real environment variables win, and a
# production host has no such file, so there a missing DJANGO_SECRET_KEY still stops the start.
ENV_FILE = Path(os.environ.get("FORTALECE_ENV_FILE", PROJECT_DIR / ".env"))
if ENV_FILE.is_file():
    environ.Env.read_env(ENV_FILE)
VAR_DIR = Path(env.str("FORTALECE_VAR_DIR", default=str(PROJECT_DIR / "var")))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
# Key rotation (docs/security.md): the previous keys, comma-separated, keep today's sessions,
# password-reset links and signed tokens valid until they expire.
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])
if not SECRET_KEY:
    if not DEBUG and not env.bool("FORTALECE_ALLOW_INSECURE_KEY", default=False):
        raise ImproperlyConfigured(
            "Set DJANGO_SECRET_KEY (or run `python3 run.py setup`, which writes a local .env)."
        )
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "fortalece.core",
    "fortalece.accounts",
    "fortalece.geography",
    "fortalece.programmes",
    "fortalece.people",
    "fortalece.training",
    "fortalece.imports",
    "fortalece.reporting",
    "fortalece.cascade",
    "fortalece.credentials",
    "fortalece.impact",
    "fortalece.api",
    "fortalece.demo",
    "ninja",
    "pgtrigger",
    "pghistory",
    "fortalece.privacy",
    "fortalece.learning",
    "fortalece.quizzes",
    "fortalece.assignments",
    "fortalece.referrals",
    "fortalece.messaging",
    "django_prose_editor",
    # After our apps, so that our templates override theirs.
    "allauth",
    "allauth.account",
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The public help page sets no cookie: runs after the session and CSRF middleware.
    "fortalece.referrals.middleware.NoCookiesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages travel compressed (prepaid data; issue 8's page weight). WhiteNoise already serves
    # static files compressed. Django's GZipMiddleware pads its output against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "fortalece.core.middleware.AppShellMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fortalece.core.middleware.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "fortalece.accounts.mfa.MFAMiddleware",
    "fortalece.privacy.middleware.HistoryContextMiddleware",
    "fortalece.core.middleware.AbsoluteSessionTimeoutMiddleware",
    "fortalece.core.middleware.SecurityHeadersMiddleware",
    "fortalece.core.middleware.OutboxRedirectMiddleware",
]

FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
ROOT_URLCONF = "fortalece.urls"
WSGI_APPLICATION = "fortalece.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "fortalece.core.context_processors.navigation",
                "fortalece.messaging.context_processors.bell",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'fortalece.sqlite3'}"),
}
# Reports may read from a PostgreSQL streaming replica (fortalece/core/routers.py).
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
FORTALECE_READ_REPLICA = "replica" in DATABASES
DATABASE_ROUTERS = ["fortalece.core.routers.ReportingReplicaRouter"]
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "fortalece.accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_RATE_LIMITS = {
    # Documented in docs/security.md: 5 failed logins per 15 minutes per IP and per account.
    "login_failed": "5/15m/ip,5/15m/key",
}

# History of personal data (fortalece/privacy/models.py): the triggers are installed after every
# migrate instead of living in each app's migrations.
PGTRIGGER_MIGRATIONS = False
PGTRIGGER_INSTALL_ON_MIGRATE = True

# A second factor (fortalece/accounts/mfa.py) is asked again before sensitive actions when the
# last one is older than this.
FORTALECE_MFA_FRESH_SECONDS = env.int("FORTALECE_MFA_FRESH_SECONDS", default=300)

LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
# English dates day first, months named (fortalece/formats/en): not the US month/day/year.
FORMAT_MODULE_PATH = ["fortalece.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="America/Mexico_City")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
# Uploaded files (assignments, resources, imports) go to S3-compatible object storage when a
# bucket is configured (MinIO, AWS, Ceph …), else to MEDIA_ROOT. Either way they are private:
# nothing links to them directly; views stream them after a permission check.
S3_BUCKET = env.str("FORTALECE_S3_BUCKET", default="")
DEFAULT_FILE_STORAGE_CONFIG: dict = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env.str("FORTALECE_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("FORTALECE_S3_REGION", default="") or None,
            "access_key": env.str("FORTALECE_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("FORTALECE_S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("FORTALECE_S3_PREFIX", default="media"),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }
    if S3_BUCKET
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
STORAGES = {
    "default": DEFAULT_FILE_STORAGE_CONFIG,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Largest file a learner may attach to an assignment (each assignment may set less).
FORTALECE_ASSIGNMENT_MAX_FILE_BYTES = env.int(
    "FORTALECE_ASSIGNMENT_MAX_FILE_BYTES", default=20 * 1024 * 1024
)
FORTALECE_IMPORT_MAX_BYTES = env.int("FORTALECE_IMPORT_MAX_BYTES", default=50 * 1024 * 1024)
# Rows one import may hold (larger files are refused with a message to split them).
FORTALECE_IMPORT_MAX_ROWS = env.int("FORTALECE_IMPORT_MAX_ROWS", default=100_000)
# A background task running longer than this is taken as abandoned by a dead worker and
# marked failed (core/tasks_recovery.py, hourly).
FORTALECE_TASK_STALE_SECONDS = env.int("FORTALECE_TASK_STALE_SECONDS", default=6 * 3600)
# Files with more rows than this are validated and saved by the background worker.
FORTALECE_IMPORT_BACKGROUND_ROWS = env.int("FORTALECE_IMPORT_BACKGROUND_ROWS", default=500)

# Background work: the database queue by default; Redis (RQ) when REDIS_URL is set. The worker
# is `fortalece db_worker` for the first and `fortalece rqworker default --with-scheduler
# --job-class django_tasks_rq.Job` for the second (deploy/entrypoint.sh picks the right one).
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
TASKS = {
    "default": {
        "BACKEND": env.str(
            "FORTALECE_TASK_BACKEND",
            default="django_tasks_rq.RQBackend" if REDIS_URL else "django_tasks_db.DatabaseBackend",
        ),
        "QUEUES": ["default"],
    }
}

# Sessions and cookies (SECURITY.md: idle timeout 30 min, HttpOnly, SameSite).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
# The expiry moves forward at most once a minute, not with a write on every request
# (core.middleware.SessionRefreshMiddleware): a session ends 29–30 idle minutes after the last
# request, never later.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=60)
if not 0 <= SESSION_REFRESH_SECONDS < SESSION_COOKIE_AGE:
    raise ImproperlyConfigured(
        "SESSION_REFRESH_SECONDS must be at least 0 and less than SESSION_IDLE_SECONDS "
        f"({SESSION_COOKIE_AGE}); 60 keeps sessions alive within a minute of the idle timeout."
    )
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
HTTPS = env.bool("DJANGO_HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=HTTPS)
# Load balancers and container health checks poll /healthz over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("DJANGO_BEHIND_PROXY", default=False) else None
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# E-mail: EMAIL_URL says how mail is delivered (smtp+tls://user:password@host:587, or
# consolemail:// which prints it, the local default). Pages never talk to the mail server:
# messages are queued and the worker delivers them, retrying while the server is down.
EMAIL_DELIVERY = env.email_url("EMAIL_URL", default="consolemail://")
FORTALECE_EMAIL_DELIVERY_BACKEND = EMAIL_DELIVERY["EMAIL_BACKEND"]
EMAIL_HOST = EMAIL_DELIVERY.get("EMAIL_HOST", "localhost")
EMAIL_PORT = EMAIL_DELIVERY.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = EMAIL_DELIVERY.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = EMAIL_DELIVERY.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = EMAIL_DELIVERY.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = EMAIL_DELIVERY.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
EMAIL_BACKEND = "fortalece.core.mail.QueuedEmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Fortalece <no-reply@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# The REST API (fortalece/api): requests per token, and KoboToolbox pushes per address.
FORTALECE_API_RATE = env.str("FORTALECE_API_RATE", default="3000/h")
FORTALECE_KOBO_RATE = env.str("FORTALECE_KOBO_RATE", default="600/m")
FORTALECE_KOBO_MAX_BYTES = env.int("FORTALECE_KOBO_MAX_BYTES", default=1024 * 1024)

FORTALECE_PAGE_SIZE = 25
# Directory entries not verified for this many months are flagged and listed for re-checking.
FORTALECE_REFERRALS_STALE_MONTHS = env.int("FORTALECE_REFERRALS_STALE_MONTHS", default=6)
FORTALECE_MIN_CELL_SIZE = env.int("FORTALECE_MIN_CELL_SIZE", default=5)
FORTALECE_ADMIN_PATH = env.str("FORTALECE_ADMIN_PATH", default="django-admin")

# The address printed on certificates and badges, where anyone can verify them.
FORTALECE_PUBLIC_URL = env.str("FORTALECE_PUBLIC_URL", default="http://127.0.0.1:8000")
FORTALECE_ISSUER_NAME = env.str("FORTALECE_ISSUER_NAME", default="UNODC — Fortalece")

# Web push to installed apps (fortalece/messaging/push.py): off unless both keys are set
# (generate them with `vapid --gen`, py-vapid). The subject is a contact the push services
# may write to.
FORTALECE_VAPID_PUBLIC_KEY = env.str("FORTALECE_VAPID_PUBLIC_KEY", default="")
FORTALECE_VAPID_PRIVATE_KEY = env.str("FORTALECE_VAPID_PRIVATE_KEY", default="")
FORTALECE_VAPID_SUBJECT = env.str("FORTALECE_VAPID_SUBJECT", default="mailto:no-reply@localhost")
# Posting limits (django-ratelimit) per user, and the days without activity after which a
# learner is reminded to continue a course.
FORTALECE_MESSAGE_RATE = env.str("FORTALECE_MESSAGE_RATE", default="20/10m")
FORTALECE_COMMENT_RATE = env.str("FORTALECE_COMMENT_RATE", default="10/10m")
FORTALECE_INACTIVE_DAYS = env.int("FORTALECE_INACTIVE_DAYS", default=7)
FORTALECE_DUE_SOON_HOURS = env.int("FORTALECE_DUE_SOON_HOURS", default=48)
