"""Settings of the shop example: SQLite next to this file, or the PostgreSQL database named by ``SHOP_DATABASE_URL``
(``postgresql://user[:password]@host:port/dbname``), so the same project runs against both."""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "example-only-not-secret"
DEBUG = True
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "seeder.contrib.django",  # the `seed` management command
    "store",
]

_url = os.environ.get("SHOP_DATABASE_URL")
if _url:
    _parts = urlsplit(_url)
    DATABASES = {"default": {
        "ENGINE": "django.db.backends.postgresql", "NAME": _parts.path.lstrip("/"),
        "USER": unquote(_parts.username or ""), "PASSWORD": unquote(_parts.password or ""),
        "HOST": _parts.hostname or "", "PORT": str(_parts.port or ""),
    }}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3",
                             "NAME": os.environ.get("SHOP_SQLITE", str(BASE_DIR / "db.sqlite3"))}}
