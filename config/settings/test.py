"""Test settings: fast hashing, frozen-clock friendly."""

from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EVIDENCE_ROOT = BASE_DIR / "var" / "test-evidence"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
LOGIN_FAILURE_LIMIT = 5

# Live-server threads must not keep connections open, or the test database cannot be dropped.
DATABASES["default"]["CONN_MAX_AGE"] = 0
