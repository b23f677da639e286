"""Database URLs: which dialect a URL names, the SQLAlchemy URL to connect with, and how to show it safely.

The one map from URL scheme to dialect is the ``url_schemes`` of the registry's entries; the CLI, the API and the
loaders all go through :func:`database_url` / :func:`url_dialect`. SQLAlchemy parses the URL (``make_url``;
special characters in passwords are percent-encoded, as SQLAlchemy requires). Schemes and the drivers filled in
when a URL names none:

* ``postgres://``, ``postgresql://`` -> ``postgresql+psycopg://`` (SQLAlchemy itself no longer accepts
  ``postgres://``, which Heroku-style URLs use); ``postgresql+psycopg://`` and other drivers are kept.
* ``mysql://`` -> ``mysql+pymysql://``; ``mariadb://`` -> ``mariadb+pymysql://``.
* ``sqlite:///path.db`` (SQLAlchemy's own ``pysqlite`` driver).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, quote_plus

from seeder.dialects.registry import target_dialects
from seeder.errors import ConfigError

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

    from seeder.dialects.model import TargetDialect


@dataclass(frozen=True)
class DatabaseUrl:
    """A database URL resolved through the registry.

    Attributes:
        url: the SQLAlchemy URL to connect with (driver filled in, scheme normalised).
        dialect: the registry entry of the database.
        safe: the URL rendered with the password replaced by ``***``, for messages and reports.
        secrets: every form the password may take in a message (as typed, percent-encoded), longest first.
    """

    url: URL
    dialect: TargetDialect
    safe: str
    secrets: tuple[str, ...] = ()

    @classmethod
    def parse(cls, url: str) -> DatabaseUrl:
        """The same as :func:`database_url`."""
        return database_url(url)

    def scrub(self, text: str) -> str:
        """``text`` with every form of the password replaced by ``***``.

        Only whole occurrences are replaced (not preceded or followed by a letter or digit), so a short password
        such as ``p`` does not mangle words like ``port``; drivers quote passwords as whole tokens
        (``password=...``, ``user:...@``).
        """
        for secret in self.secrets:
            text = re.sub(rf"(?<![A-Za-z0-9]){re.escape(secret)}(?![A-Za-z0-9])", "***", text)
        return text

    @property
    def database_file(self) -> Path | None:
        """The database file of a file database (SQLite), or ``None`` for servers, in-memory databases and URI
        file names."""
        if not self.dialect.loader.file_database:
            return None
        database = self.url.database
        if not database or database == ":memory:" or str(self.url.query.get("uri", "")).lower() == "true":
            return None
        return Path(database)


def _schemes() -> dict[str, tuple[TargetDialect, str]]:
    return {scheme: (entry, driver) for entry in target_dialects() for scheme, driver in entry.url_schemes}


def supported_schemes() -> str:
    """``postgresql (+psycopg), mysql (+pymysql) or sqlite``: each target's first scheme and default driver."""
    names = []
    for entry in target_dialects():
        backend, _, driver = entry.url_schemes[0][1].partition("+")
        names.append(f"{backend} (+{driver})" if driver else backend)
    return ", ".join(names[:-1]) + " or " + names[-1]


def database_url(url: str) -> DatabaseUrl:
    """Resolve ``url`` (a SQLAlchemy URL such as ``postgres://u:pw@host/db`` or ``sqlite:///x.db``).

    Returns:
        A :class:`DatabaseUrl` with the dialect, the normalised SQLAlchemy URL and its masked rendering.

    Raises:
        ConfigError: the text is not a URL, or its scheme names no dialect seeder writes; the message never
            repeats the text (it may hold a password).
    """
    from sqlalchemy import exc as sa_exc
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except (sa_exc.ArgumentError, ValueError):
        raise ConfigError("cannot parse the database URL; expected e.g. sqlite:///file.db or "
                          "postgresql+psycopg://user@host:5432/dbname") from None
    backend = parsed.get_backend_name()
    found = _schemes().get(backend)
    if found is None:
        raise ConfigError(f"unsupported database URL scheme {parsed.drivername!r}; use {supported_schemes()}")
    entry, default = found
    driver = parsed.get_driver_name() if "+" in parsed.drivername else None
    canonical_backend = default.partition("+")[0]
    drivername = f"{canonical_backend}+{driver}" if driver else default
    if drivername != parsed.drivername:
        parsed = parsed.set(drivername=drivername)
    secrets: tuple[str, ...] = ()
    if parsed.password:
        pw = str(parsed.password)
        secrets = tuple(sorted({pw, quote(pw, safe=""), quote_plus(pw)}, key=len, reverse=True))
    return DatabaseUrl(parsed, entry, parsed.render_as_string(hide_password=True), secrets)


def url_dialect(url: str) -> TargetDialect | None:
    """The dialect a database URL names, or ``None`` when it is no URL or names no dialect seeder writes."""
    try:
        return database_url(url).dialect
    except ConfigError:
        return None


def mask_password(url: str) -> str:
    """``url`` with its password replaced by ``***`` (``postgresql+psycopg://me:***@host/db``), for display.

    Raises:
        ConfigError: as :func:`database_url`.
    """
    return database_url(url).safe
