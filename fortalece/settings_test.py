"""Test settings: fast hashing, in-memory cache, tasks run in-process."""

import os

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("FORTALECE_ALLOW_INSECURE_KEY", "1")
os.environ.setdefault("DJANGO_HTTPS", "0")

from fortalece.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WHITENOISE_USE_FINDERS = True
ACCOUNT_RATE_LIMITS = {"login_failed": "5/15m/ip,5/15m/key"}
# WhiteNoise is for production; the test client needs no static file serving.
MIDDLEWARE = [m for m in MIDDLEWARE if "whitenoise" not in m]  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A test database in a file, not SQLite's shared-cache memory: there a browser test's
    # live-server threads failed at once with "database table is locked" (400/500s in the
    # crawl on a busy machine); in a file they wait for the lock (the 20 s timeout).
    # The folder is made here: a fresh checkout has no var/ until something writes to it.
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405
# A second alias mirroring the test database, so the replica router is tested on every run;
# routing to it is off unless a test turns FORTALECE_READ_REPLICA on.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
FORTALECE_READ_REPLICA = False
