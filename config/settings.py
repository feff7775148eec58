"""SmartCourt settings. Everything that differs between installs comes from the environment (config/env.py)."""

from __future__ import annotations

import re
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import ConfigError, env_bool, env_int, env_list, env_optional, env_str, secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SMARTCOURT_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = secret_key(VAR_DIR)
DEBUG = env_bool("SMARTCOURT_DEBUG", False)
ALLOWED_HOSTS = env_list("SMARTCOURT_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("SMARTCOURT_CSRF_TRUSTED_ORIGINS", [])

# The network zone this process serves (issue 18, ADR 0012): "internet", "court", or "single" for both in one
# process (the laptop install of `make run`). Routes of the other zone answer 404; users of the other zone
# cannot sign in.
SMARTCOURT_ZONE = env_str("SMARTCOURT_ZONE", "single")
if SMARTCOURT_ZONE not in ("single", "internet", "court"):
    raise ConfigError(f"environment variable SMARTCOURT_ZONE={SMARTCOURT_ZONE!r} is not single, internet or court")

# Single sign-on from the court's case system (法综), an OpenID Connect provider (issue 18, ADR 0012): set the
# issuer to offer "sign in through 法综" to court staff. Our client key (private_key_jwt, ES256) is generated
# into SSO_KEY_FILE; its public half is what the provider registers. FRAME_ORIGIN lets that system show our
# pages in its frame. STAFF_PASSWORD_SIGN_IN=0 leaves court staff only the provider's sign-in.
SSO_ISSUER = env_optional("SMARTCOURT_SSO_ISSUER")
SSO_CLIENT_ID = env_str("SMARTCOURT_SSO_CLIENT_ID", "smartcourt")
SSO_KEY_FILE = Path(env_str("SMARTCOURT_SSO_KEY", str(VAR_DIR / "sso" / "client_key.pem")))
SSO_FRAME_ORIGIN = env_optional("SMARTCOURT_SSO_FRAME_ORIGIN")
if SSO_FRAME_ORIGIN is not None and not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?", SSO_FRAME_ORIGIN):
    # It goes into the Content-Security-Policy header verbatim: an origin and nothing else.
    raise ConfigError(f"environment variable SMARTCOURT_SSO_FRAME_ORIGIN={SSO_FRAME_ORIGIN!r} is not an origin")
STAFF_PASSWORD_SIGN_IN = env_bool("SMARTCOURT_STAFF_PASSWORD_SIGN_IN", True)

# The app channel (JSON API with a token) signs its requests with the user's registered app key on the internet
# zone (RFC 9421, replay-checked; issue 18). PUBLIC_URL: the address clients sign, when a proxy rewrites it.
# Requests per minute the internet zone answers per client address and per signed-in user; more get 429.
RATE_LIMITS = env_bool("SMARTCOURT_RATE_LIMITS", SMARTCOURT_ZONE == "internet")
RATE_LIMIT_PER_ADDRESS = env_int("SMARTCOURT_RATE_LIMIT_PER_ADDRESS", 600, minimum=1)
RATE_LIMIT_PER_USER = env_int("SMARTCOURT_RATE_LIMIT_PER_USER", 300, minimum=1)
APP_CHANNEL_SIGNATURES = env_bool("SMARTCOURT_APP_SIGNATURES", SMARTCOURT_ZONE == "internet")
PUBLIC_URL = env_optional("SMARTCOURT_PUBLIC_URL")

# The demo switch only relaxes what a demo needs (no second factor); it never enables DEBUG.
DEMO_MODE = env_bool("SMARTCOURT_DEMO", False)
TWO_FACTOR_REQUIRED = env_bool("SMARTCOURT_TWO_FACTOR", not DEMO_MODE)
LOGIN_THROTTLE_LIMIT = env_int("SMARTCOURT_LOGIN_THROTTLE_LIMIT", 5, minimum=1)
LOGIN_THROTTLE_WINDOW_SECONDS = env_int("SMARTCOURT_LOGIN_THROTTLE_WINDOW", 900, minimum=1)
LOGIN_SLOWDOWN_MAX_SECONDS = env_int("SMARTCOURT_LOGIN_SLOWDOWN_MAX", 2, minimum=0)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "huey.contrib.djhuey",
    "smartcourt.core",
    "smartcourt.services",
    "smartcourt.accounts",
    "smartcourt.audit",
    "smartcourt.cases",
    "smartcourt.rules",
    "smartcourt.dossier",
    "smartcourt.correspondence",
    "smartcourt.bankruptcy",
    "smartcourt.administrators",
    "smartcourt.demo",
    "smartcourt.documents",
    "smartcourt.evidence",
    "smartcourt.claims",
    "smartcourt.banking",
    "smartcourt.exchange",
    "smartcourt.fees",
    "smartcourt.filing",
    "smartcourt.funds",
    "smartcourt.meetings",
    "smartcourt.distributions",
    "smartcourt.evaluation",
    "smartcourt.analytics",
    "smartcourt.exports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A route of the other network zone is not there (issue 18, ADR 0012).
    "config.zones.ZoneMiddleware",
    "smartcourt.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "smartcourt.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "smartcourt.accounts.middleware.TwoFactorMiddleware",
    # The internet zone's rate limits per address and per user (issue 18).
    "smartcourt.accounts.ratelimit.RateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A NotFound or PermissionDenied leaving an HTML view is answered by handler404/handler403.
    "smartcourt.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "smartcourt" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "smartcourt.core.context_processors.platform",
                "config.menu.menu",
            ],
        },
    }
]


def _database() -> dict[str, object]:
    url = env_optional("DATABASE_URL")
    if url:
        try:
            config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
        except ValueError as exc:
            raise ConfigError(f"DATABASE_URL is not a valid database URL: {exc}") from exc
        if config.get("ENGINE") != "django.db.backends.postgresql":
            raise ConfigError("DATABASE_URL must point at PostgreSQL; leave it unset for the embedded SQLite")
        test_name = env_optional("SMARTCOURT_TEST_DB_NAME")
        if test_name:
            config["TEST"] = {"NAME": test_name}
        return config
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(VAR_DIR / "smartcourt.sqlite3"),
        # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of failing mid-transaction.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        },
        # A file, not :memory:, so that tests with threads exercise real locking.
        "TEST": {"NAME": env_str("SMARTCOURT_TEST_DB_NAME", str(VAR_DIR / "test.sqlite3"))},
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Object-level access is decided by plain predicates (smartcourt/cases/policies.py), not by a permission
# backend: see docs/adr/0009-access-predicates-without-rules.md.
AUTHENTICATION_BACKENDS = ["smartcourt.accounts.backends.ZoneModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SMARTCOURT_SESSION_SECONDS", 8 * 3600, minimum=300)
SESSION_COOKIE_SECURE = env_bool("SMARTCOURT_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Production behind HTTPS turns these on (README, "Production"): every http:// request is redirected to
# https://, and browsers are told to use HTTPS only (HSTS) for SMARTCOURT_HSTS_SECONDS. Off by default, because
# `make run` serves plain HTTP on loopback. Behind a TLS-terminating proxy, SMARTCOURT_BEHIND_TLS_PROXY trusts
# its X-Forwarded-Proto header (only a proxy that sets it on every request may be trusted so).
SECURE_SSL_REDIRECT = env_bool("SMARTCOURT_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SMARTCOURT_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SMARTCOURT_HSTS_INCLUDE_SUBDOMAINS", SECURE_HSTS_SECONDS > 0)
SECURE_HSTS_PRELOAD = env_bool("SMARTCOURT_HSTS_PRELOAD", False)
if env_bool("SMARTCOURT_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A refused form gets the site's page, in Chinese, not Django's English one.
CSRF_FAILURE_VIEW = "smartcourt.core.error_pages.csrf_failure"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "smartcourt" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise looks here at start-up, before any collectstatic
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end packages come from npm (package.json); only their dist folders are served.
STATICFILES_DIRS = [
    BASE_DIR / "smartcourt" / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
# Uploaded and generated files: the file system under var/ (one machine, `make run`), or S3-compatible object
# storage when SMARTCOURT_S3_BUCKET is set, so that several web and worker processes on several machines share
# them (issue 18, docs/deployment.md). Files are private: read through the platform's own views, never by URL.
_s3_bucket = env_optional("SMARTCOURT_S3_BUCKET")
_default_storage: dict[str, object] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(VAR_DIR / "media")},
}
if _s3_bucket:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _s3_bucket,
            "endpoint_url": env_optional("SMARTCOURT_S3_ENDPOINT_URL"),
            "region_name": env_str("SMARTCOURT_S3_REGION", "us-east-1"),
            "access_key": env_optional("SMARTCOURT_S3_ACCESS_KEY"),
            "secret_key": env_optional("SMARTCOURT_S3_SECRET_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": env_str("SMARTCOURT_STATICFILES_STORAGE", "whitenoise.storage.CompressedManifestStaticFilesStorage"),
    },
}

# Largest file a user may upload (smartcourt.core.uploads); the bytes are counted, not the declared size.
UPLOAD_MAX_BYTES = env_int("SMARTCOURT_UPLOAD_MAX_BYTES", 20 * 1024 * 1024, minimum=1)

EMAIL_BACKEND = env_str("SMARTCOURT_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Seal certificates: issued by this PKCS#12 CA in production; without it a development CA is made in VAR_DIR.
DOCUMENTS_CA_PKCS12 = env_optional("SMARTCOURT_DOCUMENTS_CA_PKCS12")
DOCUMENTS_CA_PASSWORD = env_optional("SMARTCOURT_DOCUMENTS_CA_PASSWORD")
DOCUMENTS_TSA_URL = env_optional("SMARTCOURT_DOCUMENTS_TSA_URL")  # RFC 3161 timestamps on seals, when set
# Root certificates (PEM files) of the timestamp authorities whose timestamps verification trusts.
DOCUMENTS_TSA_ROOTS = env_list("SMARTCOURT_DOCUMENTS_TSA_ROOTS", [])
# The platform CA's certificate status service (OCSP and CRL; sandbox/ocsp in the demo): new seal certificates
# point at it, signatures embed its answers (PAdES B-LT), and a revoked seal is reported to it with the key.
DOCUMENTS_OCSP_URL = env_optional("SMARTCOURT_DOCUMENTS_OCSP_URL")
DOCUMENTS_OCSP_KEY = env_optional("SMARTCOURT_OCSP_KEY")
# Archive timestamps (PAdES B-LTA) are renewed when the newest is older than this many days.
DOCUMENTS_ARCHIVE_RENEW_DAYS = env_int("SMARTCOURT_DOCUMENTS_ARCHIVE_RENEW_DAYS", 365, minimum=0)

_redis_url = env_optional("REDIS_URL")
HUEY: dict[str, object] = {
    "name": "smartcourt",
    "immediate": env_bool("SMARTCOURT_HUEY_IMMEDIATE", False),
    "consumer": {"workers": env_int("SMARTCOURT_WORKERS", 2, minimum=1), "worker_type": "thread"},
}
if _redis_url:
    HUEY.update({"huey_class": "huey.RedisHuey", "url": _redis_url})
    # Counters shared by every web process (the internet zone's rate limits): Redis when there is one.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url}}
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "huey.sqlite3")})

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("SMARTCOURT_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# The enterprise registry (smartcourt/registry): scripts/run.py starts the sandbox registry here and gives
# both sides the same key.
REGISTRY_URL = env_str("SMARTCOURT_REGISTRY_URL", "http://127.0.0.1:8101")
REGISTRY_KEY = env_str("SMARTCOURT_REGISTRY_KEY", "")
# The bank partner (smartcourt/banking): scripts/run.py starts the sandbox bank here; keys in var/bank/.
BANK_URL = env_str("SMARTCOURT_BANK_URL", "http://127.0.0.1:8102")
BANK_KEYS_DIR = Path(env_str("SMARTCOURT_BANK_KEYS_DIR", str(VAR_DIR / "bank")))
BANK_TIMEOUT_SECONDS = env_int("SMARTCOURT_BANK_TIMEOUT", 10, minimum=1)
BANK_DEFAULT_PARTNER = env_str("SMARTCOURT_BANK_PARTNER", "sandbox")
BANK_NOTIFICATION_URL = env_str("SMARTCOURT_BANK_NOTIFICATION_URL", "")  # set behind a proxy rewriting Host/TLS
BANK_SIGNATURE_ALG = env_str("SMARTCOURT_BANK_SIGNATURE_ALG", "ed25519")  # for generated demo keys: or sm2-sm3
BANK_ENVELOPE_ALG = env_str("SMARTCOURT_BANK_ENVELOPE_ALG", "A256GCM")  # or SM4GCM
# The payment service for litigation fees (sandbox/payments) and its key files (platform.json, bank.json).
PAYMENTS_URL = env_str("SMARTCOURT_PAYMENTS_URL", "http://127.0.0.1:8103")
PAYMENTS_KEYS_DIR = Path(env_str("SMARTCOURT_PAYMENTS_KEYS_DIR", str(VAR_DIR / "payments")))
PAYMENTS_TIMEOUT_SECONDS = env_int("SMARTCOURT_PAYMENTS_TIMEOUT", 10, minimum=1)
PAYMENTS_NOTIFICATION_URL = env_str("SMARTCOURT_PAYMENTS_NOTIFICATION_URL", "")

# The exchange between the internet and court zones (smartcourt/exchange, docs/adr/0011-zones-and-gateway.md), in
# the zone SMARTCOURT_ZONE names (single: nothing is exchanged): its directory (outbox/ read by the gateway, inbox/
# written by the other gateway, quarantine/, keys/<zone>.json unless SMARTCOURT_EXCHANGE_KEYS names the key
# file) and the most messages one package carries.
EXCHANGE_DIR = Path(env_str("SMARTCOURT_EXCHANGE_DIR", str(VAR_DIR / "exchange")))
EXCHANGE_KEYS_FILE = env_optional("SMARTCOURT_EXCHANGE_KEYS")
EXCHANGE_MAX_MESSAGES = env_int("SMARTCOURT_EXCHANGE_MAX_MESSAGES", 200, minimum=1)
# A digest goes out after this many quiet seconds (the receiver's proof that nothing after it was lost); a package
# not acknowledged after EXCHANGE_RESEND_SECONDS is offered to the gateway again.
EXCHANGE_HEARTBEAT_SECONDS = env_int("SMARTCOURT_EXCHANGE_HEARTBEAT", 600, minimum=10)
EXCHANGE_RESEND_SECONDS = env_int("SMARTCOURT_EXCHANGE_RESEND", 600, minimum=10)

# The transparency log (smartcourt/evidence): the origin line of its checkpoints, its Ed25519 signing key (a PEM,
# generated there on first use if missing), how long a checkpoint may stand before a fresh one is signed, and
# the largest file a deposit may hash (the file is not kept).
EVIDENCE_LOG_ORIGIN = env_str("SMARTCOURT_LOG_ORIGIN", "smartcourt.example/log")
EVIDENCE_LOG_KEY = env_str("SMARTCOURT_LOG_KEY", str(VAR_DIR / "log_key.pem"))
EVIDENCE_CHECKPOINT_MAX_AGE = env_int("SMARTCOURT_CHECKPOINT_MAX_AGE", 3600, minimum=60)
EVIDENCE_MAX_BYTES = env_int("SMARTCOURT_EVIDENCE_MAX_BYTES", 512 * 1024 * 1024, minimum=1)

PLATFORM_NAME = _("SmartCourt")
