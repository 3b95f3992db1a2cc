"""Configuration for each environment, every value settable by environment variable.

`create_app()` picks the class named by `MENTORING_ENV` (development by default). Production checks
its secrets at start-up and refuses to run without them; README lists every variable.
"""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH", PROJECT_ROOT / "instance"))

# Public, well-known values: fine on a laptop, refused by ProductionConfig.
DEVELOPMENT_SECRET_KEY = "development-only-secret-key-never-use-in-production"  # noqa: S105
DEVELOPMENT_NOTE_KEY = base64.urlsafe_b64encode(b"development-only-note-key-32byte").decode()


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url(default: str) -> str:
    url = os.environ.get("DATABASE_URL", default)
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the driver named.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


class ConfigurationError(RuntimeError):
    """Raised at start-up when the configuration would run the service unsafely."""


class Config:
    ENV_NAME = "base"
    SERVICE_NAME = os.environ.get("SERVICE_NAME", "Mentoring for doctors")
    SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
    SECRET_KEY_FALLBACKS = _env_list("SECRET_KEY_FALLBACKS")
    # Keys for session-note encryption, newest first (base64url, 32 bytes each).
    NOTE_ENCRYPTION_KEYS = _env_list("NOTE_ENCRYPTION_KEYS", DEVELOPMENT_NOTE_KEY)

    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{INSTANCE_DIR / 'mentoring.sqlite'}")
    # Pooled connections are checked before use only after this long unused (a round trip to the
    # database saved on every busy request; mentoring/core/connections.py).
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    DATABASE_PING_AFTER_IDLE_SECONDS = _env_int("DATABASE_PING_AFTER_IDLE_SECONDS", 10)
    # On PostgreSQL a request's transaction begins at its first write: a page that only reads sends
    # no BEGIN and no ROLLBACK (mentoring/core/connections.py). Off: every request in a transaction.
    DATABASE_TRANSACTION_FROM_FIRST_WRITE = _env_bool("DATABASE_TRANSACTION_FROM_FIRST_WRITE", True)

    # Accounts
    ALLOWED_EMAIL_DOMAINS = _env_list("ALLOWED_EMAIL_DOMAINS", "nhs.net,demo.test")
    EMAIL_ALLOW_TEST_DOMAINS = _env_bool("EMAIL_ALLOW_TEST_DOMAINS", True)
    PASSWORD_MIN_LENGTH = _env_int("PASSWORD_MIN_LENGTH", 12)
    EMAIL_TOKEN_MAX_AGE_HOURS = _env_int("EMAIL_TOKEN_MAX_AGE_HOURS", 24)
    INVITATION_MAX_AGE_DAYS = _env_int("INVITATION_MAX_AGE_DAYS", 7)

    # The public address of the service, for links in emails sent by cron commands.
    SERVICE_URL = os.environ.get("SERVICE_URL", "http://127.0.0.1:5000")

    # Matching: days a mentor has to answer a doctor's choice before it expires.
    OFFER_RESPONSE_DAYS = _env_int("OFFER_RESPONSE_DAYS", 5)

    # Sessions: signed cookie, no remember-me, revocable through the per-user session token.
    SESSION_COOKIE_NAME = "mentoring_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    PERMANENT_SESSION_LIFETIME = _env_int("SESSION_LIFETIME_MINUTES", 12 * 60) * 60
    REMEMBER_COOKIE_DURATION = 0
    # The cookie is written when the session changes (sign-in, a flash, the last-seen moment moved
    # at most every 15 seconds: mentoring/auth/session_policy.py), not re-signed on every request.
    # Idle and absolute limits are the cookie's moments, checked by the server on every request;
    # the cookie's own expiry, last written at most 15 s after the last request, is never the
    # earlier of the two (it outlives the absolute lifetime counted from sign-in).
    SESSION_REFRESH_EACH_REQUEST = False
    # Signed out after this long without a request, whatever the absolute lifetime says.
    SESSION_IDLE_MINUTES = _env_int("SESSION_IDLE_MINUTES", 30)
    # Changing email, password or second factor needs a password entered this recently.
    REAUTHENTICATION_MINUTES = _env_int("REAUTHENTICATION_MINUTES", 5)
    # Roles that cannot use the service until they have set up a second factor (TOTP).
    SECOND_FACTOR_REQUIRED_ROLES = _env_list("SECOND_FACTOR_REQUIRED_ROLES", "coordinator,admin")

    # Reverse proxies in front of the app whose X-Forwarded-* headers are trusted.
    TRUSTED_PROXY_COUNT = _env_int("TRUSTED_PROXY_COUNT", 0)

    # Security headers
    FORCE_HTTPS = _env_bool("FORCE_HTTPS", False)
    HSTS_ENABLED = _env_bool("HSTS_ENABLED", False)

    # Rate limits on sign-in (Flask-Limiter): per address and per account.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = False
    # Keeps this installation's counters apart from anything else in the same Redis.
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "mentoring")
    SIGN_IN_LIMIT_PER_ADDRESS = os.environ.get("SIGN_IN_LIMIT_PER_ADDRESS", "20 per minute")
    # Keyed on account *and* address, so nobody elsewhere can lock a named doctor out (README).
    SIGN_IN_LIMIT_PER_ACCOUNT = os.environ.get(
        "SIGN_IN_LIMIT_PER_ACCOUNT", "5 per minute;10 per 15 minutes;30 per day"
    )

    # Retention (`flask retention purge`, run daily from cron).
    AUDIT_LOG_RETENTION_MONTHS = _env_int("AUDIT_LOG_RETENTION_MONTHS", 24)
    CLOSED_RELATIONSHIP_RETENTION_MONTHS = _env_int("CLOSED_RELATIONSHIP_RETENTION_MONTHS", 12)
    WITHDRAWN_REQUEST_RETENTION_MONTHS = _env_int("WITHDRAWN_REQUEST_RETENTION_MONTHS", 12)

    # Email: one outbox. Development prints and files; production speaks SMTP.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "console")
    MAIL_FILE_PATH = os.environ.get("MAIL_FILE_PATH", str(INSTANCE_DIR / "outbox"))
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL", False)
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "mentoring@localhost")

    # Where the NHS.UK frontend's compiled assets are served from (installed by npm).
    NHSUK_FRONTEND_DIR = os.environ.get(
        "NHSUK_FRONTEND_DIR",
        str(PROJECT_ROOT / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"),
    )

    # Mentor training: a refresher is due this many years after the latest verified training; the
    # mentor is told from this many days before.
    TRAINING_REFRESHER_YEARS = _env_int("TRAINING_REFRESHER_YEARS", 3)
    TRAINING_REFRESHER_NOTICE_DAYS = _env_int("TRAINING_REFRESHER_NOTICE_DAYS", 180)
    # Evidence files (PDF, PNG, JPEG): stored here, outside static/, under random names.
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(INSTANCE_DIR / "uploads"))
    TRAINING_EVIDENCE_MAX_BYTES = _env_int("TRAINING_EVIDENCE_MAX_BYTES", 5 * 1024 * 1024)
    # Whole requests: room for one evidence file and its form, so a file just over the limit gets
    # a message on the form; anything far bigger is refused outright (413).
    MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", TRAINING_EVIDENCE_MAX_BYTES + 1024 * 1024)

    WTF_CSRF_TIME_LIMIT = 3600 * 4

    # Opening hours, "open now" and check-in weeks are read in this time zone.
    TIMEZONE = os.environ.get("TIMEZONE", "Europe/London")
    # Organisations a check-in may name (besides "prefer not to say"); comma-separated.
    ORGANISATIONS = _env_list(
        "ORGANISATIONS",
        "Example Acute Hospitals NHS Trust,Example Community and Mental Health NHS Trust,"
        "Example University Hospitals NHS Foundation Trust,Example Primary Care Network",
    )

    # Reports (DOMAIN.md, "Small numbers in reports"): counts from 1 to the threshold show as "*",
    # other counts are rounded to the nearest base, and no mean or median covers fewer people
    # than the minimum group.
    REPORT_SUPPRESSION_THRESHOLD = _env_int("REPORT_SUPPRESSION_THRESHOLD", 7)
    REPORT_ROUNDING_BASE = _env_int("REPORT_ROUNDING_BASE", 5)
    REPORT_MIN_GROUP_FOR_SUMMARY = _env_int("REPORT_MIN_GROUP_FOR_SUMMARY", 8)
    # The dashboard's published tables (never true counts) are kept once worked out: in Redis in
    # production (shared by every instance), in each process otherwise ("memory://").
    REPORT_CACHE_URL = os.environ.get("REPORT_CACHE_URL", "memory://")
    REPORT_CACHE_KEY_PREFIX = os.environ.get("REPORT_CACHE_KEY_PREFIX", "mentoring:reports:")
    # How long figures are shown before they are worked out again: the period still running, and
    # a period that has ended (late-logged sessions and retention can still change it).
    REPORT_CACHE_RUNNING_SECONDS = _env_int("REPORT_CACHE_RUNNING_SECONDS", 5 * 60)
    REPORT_CACHE_CLOSED_SECONDS = _env_int("REPORT_CACHE_CLOSED_SECONDS", 24 * 60 * 60)
    # A CSV link on a page keeps serving that page's figures this long after they were replaced.
    REPORT_CACHE_DOWNLOAD_GRACE_SECONDS = _env_int("REPORT_CACHE_DOWNLOAD_GRACE_SECONDS", 60 * 60)

    # `make bench` only: registers /bench/ceiling, the page all pages are compared with.
    BENCHMARK_ROUTES = _env_bool("BENCHMARK_ROUTES", False)

    @classmethod
    def check(cls, config: dict) -> None:
        """Refuse configurations that are unsafe for this environment (no-op outside production)."""


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "console")


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SQLALCHEMY_DATABASE_URI = _database_url("sqlite:///:memory:")
    MAIL_BACKEND = "locmem"
    WTF_CSRF_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    REPORT_CACHE_URL = "memory://"
    # A cheap hash keeps the suite fast; production uses argon2's defaults.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    ALLOWED_EMAIL_DOMAINS = ["nhs.net", "demo.test", "example.nhs.uk"]
    # So the access matrix covers the benchmark's page too.
    BENCHMARK_ROUTES = True


class ProductionConfig(Config):
    ENV_NAME = "production"
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    NOTE_ENCRYPTION_KEYS = _env_list("NOTE_ENCRYPTION_KEYS")
    SQLALCHEMY_DATABASE_URI = _database_url("") or None
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    EMAIL_ALLOW_TEST_DOMAINS = _env_bool("EMAIL_ALLOW_TEST_DOMAINS", False)
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    FORCE_HTTPS = _env_bool("FORCE_HTTPS", True)
    HSTS_ENABLED = _env_bool("HSTS_ENABLED", True)
    TRUSTED_PROXY_COUNT = _env_int("TRUSTED_PROXY_COUNT", 1)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    REPORT_CACHE_URL = os.environ.get("REPORT_CACHE_URL", "redis://127.0.0.1:6379/0")
    SQLALCHEMY_ENGINE_OPTIONS = {
        "pool_size": _env_int("DATABASE_POOL_SIZE", 5),
        "max_overflow": _env_int("DATABASE_MAX_OVERFLOW", 5),
    }

    @classmethod
    def check(cls, config: dict) -> None:
        problems = _secret_key_problems(config)
        if not config.get("SQLALCHEMY_DATABASE_URI"):
            problems.append("DATABASE_URL is not set")
        keys = config.get("NOTE_ENCRYPTION_KEYS") or []
        if not keys:
            problems.append("NOTE_ENCRYPTION_KEYS is not set")
        if DEVELOPMENT_NOTE_KEY in keys:
            problems.append("NOTE_ENCRYPTION_KEYS contains the development key")
        if not all(_is_32_byte_key(key) for key in keys):
            problems.append("each NOTE_ENCRYPTION_KEYS entry must be 32 bytes, base64url-encoded")
        if problems:
            raise ConfigurationError(
                "Refusing to start in production: "
                + "; ".join(problems)
                + ". See README, 'Configuration'."
            )


def _secret_key_problems(config: dict) -> list[str]:
    problems = []
    secret = config.get("SECRET_KEY") or ""
    if not secret:
        problems.append("SECRET_KEY is not set")
    elif secret == DEVELOPMENT_SECRET_KEY:
        problems.append("SECRET_KEY is the development secret")
    elif len(secret) < 32:
        problems.append("SECRET_KEY is shorter than 32 characters")
    fallbacks = config.get("SECRET_KEY_FALLBACKS") or []
    if secret and secret in fallbacks:
        problems.append("SECRET_KEY_FALLBACKS repeats SECRET_KEY: rotate to a new key")
    if DEVELOPMENT_SECRET_KEY in fallbacks:
        problems.append("SECRET_KEY_FALLBACKS contains the development secret")
    if any(len(old) < 32 for old in fallbacks):
        problems.append("each SECRET_KEY_FALLBACKS entry must be 32 characters or more")
    return problems


def _is_32_byte_key(key: str) -> bool:
    try:
        return len(base64.urlsafe_b64decode(key.encode())) == 32
    except (binascii.Error, ValueError):
        return False


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
