"""Settings of the shop example: SQLite next to this file, or the database named by ``SHOP_DATABASE_URL``
(``postgresql://user[:password]@host:port/dbname`` or ``mysql://...`` for MySQL/MariaDB, through PyMySQL when
mysqlclient is not installed), so the same project runs against all three. ``SHOP_TEST_DATABASE`` names the database
pytest-django (or ``manage.py test``) creates for the tests."""

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

_ENGINES = {"postgres": "postgresql", "postgresql": "postgresql", "mysql": "mysql", "mariadb": "mysql"}
_url = os.environ.get("SHOP_DATABASE_URL")
if _url:
    _parts = urlsplit(_url)
    _engine = _ENGINES[_parts.scheme.split("+")[0]]
    if _engine == "mysql":
        try:
            import MySQLdb  # noqa: F401  (mysqlclient)
        except ImportError:  # PyMySQL stands in for it (Django's MySQL notes)
            import pymysql

            pymysql.install_as_MySQLdb()
    DATABASES = {"default": {
        "ENGINE": f"django.db.backends.{_engine}", "NAME": _parts.path.lstrip("/"),
        "USER": unquote(_parts.username or ""), "PASSWORD": unquote(_parts.password or ""),
        "HOST": _parts.hostname or "", "PORT": str(_parts.port or ""),
        "OPTIONS": {"charset": "utf8mb4"} if _engine == "mysql" else {},
    }}
    if os.environ.get("SHOP_TEST_DATABASE"):
        DATABASES["default"]["TEST"] = {"NAME": os.environ["SHOP_TEST_DATABASE"]}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3",
                             "NAME": os.environ.get("SHOP_SQLITE", str(BASE_DIR / "db.sqlite3"))}}
