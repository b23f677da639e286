"""Real database engines for the test session, and small helpers that talk to them through their own CLIs.

PostgreSQL comes from testcontainers when a Docker engine answers, otherwise from the local server binaries
(Debian's ``postgresql-15`` package puts them in ``/usr/lib/postgresql/15/bin``): a throw-away cluster is created
with ``initdb`` in a temporary directory and started with ``pg_ctl`` on a free loopback port. PostgreSQL refuses
to run as root, so under root the cluster belongs to an unprivileged OS user (``postgres`` when the Debian package
created it, else ``seeder-test``, created with ``useradd``) and the binaries run through ``runuser``.

Roles in every server started here:

* ``postgres`` — superuser (pg_dump files say ``OWNER TO postgres``; the name must exist);
* ``seeder_app`` — a plain role with LOGIN and CREATEDB, owner of the databases handed to it, for tests that
  must not rely on superuser rights;
* ``seeder_pw`` — a plain role that must log in with its password (``PW_ROLE_PASSWORD``, scram-sha-256), for tests
  of password handling.

Authentication is ``trust`` on loopback for everyone else, so their URLs carry no password.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import re
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NoReturn

import pytest
from sqlalchemy.engine import URL, make_url

from seeder.schema import Schema, TableName

REPO_ROOT = Path(__file__).resolve().parent.parent
SUPERUSER = "postgres"
APP_ROLE = "seeder_app"
PW_ROLE = "seeder_pw"
#: Characters that URLs must percent-encode, so tests see whether encoded forms leak too.
PW_ROLE_PASSWORD = "s3cr%t:P@ss/w?rd"
PG_VERSIONS = ("17", "16", "15")
DEFAULT_PG_BIN = Path("/usr/lib/postgresql/15/bin")
#: Speed over durability: the cluster lives for one test session (PostgreSQL docs, "Non-Durable Settings").
FAST_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "60",
    "max_locks_per_transaction": "256",  # big schemas (musicbrainz: 515 tables) lock many objects in one xact
    "log_min_messages": "warning",
}


class EngineUnavailable(RuntimeError):
    """No engine of the wanted kind could be found or started; the message says why."""


class PsqlError(RuntimeError):
    """psql (or the sqlite3 CLI) stopped on an error; the message holds its stderr."""


# --------------------------------------------------------------------------------------------- missing inputs


def in_ci() -> bool:
    """True when the env var ``CI`` is set (to anything but empty, ``0``, ``false`` or ``no``)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing_input(reason: str) -> NoReturn:
    """Skip (locally) or fail (under CI) the current test: an input it needs (an engine, a schema file) is missing.

    CI must not go green by skipping, so there the test fails with ``CI is set and <reason>``.
    """
    if in_ci():
        pytest.fail(f"CI is set and {reason}", pytrace=False)
    pytest.skip(reason)


# --------------------------------------------------------------------------------------------- schema files


def schemas_dir() -> Path:
    """The directory of real-world DDL files: ``$SEEDER_SCHEMAS`` or ``<repo>/../shared/schemas`` (may not exist)."""
    override = os.environ.get("SEEDER_SCHEMAS")
    return Path(override).resolve() if override else (REPO_ROOT.parent / "shared" / "schemas").resolve()


def schema_path(relative: str | os.PathLike[str]) -> Path:
    """Resolve ``relative`` (e.g. ``"pagila/postgres.sql"``) against :func:`schemas_dir`; absolute paths pass.

    When the file does not exist the calling test is skipped, or failed under CI (see :func:`missing_input`).
    """
    path = Path(relative)
    path = path if path.is_absolute() else schemas_dir() / path
    if not path.exists():
        missing_input(f"schema file {path} not found (set SEEDER_SCHEMAS to the shared/schemas directory)")
    return path


def require_schemas_dir() -> Path:
    """:func:`schemas_dir`, or skip (locally) / fail (under CI) the calling test when it does not exist."""
    directory = schemas_dir()
    if not directory.is_dir():
        missing_input(f"{directory} not found: shared/schemas must sit beside the repository, or set SEEDER_SCHEMAS")
    return directory


#: Marks a test that reads files below :func:`schemas_dir` (the ``shared_schemas`` fixture of conftest.py checks it
#: once: skip locally, fail under CI).
needs_schemas = pytest.mark.usefixtures("shared_schemas")


def corpus_files(dialects: Sequence[str]) -> list[str]:
    """Corpus files ``<name>/<dialect>[_variant].sql`` of the given dialects, relative to :func:`schemas_dir`, sorted.

    Without the corpus the list holds the missing directory itself, so a test parametrized with it still runs and
    :func:`schema_path` skips it locally or fails it under CI (an empty parameter list would skip it silently).
    """
    directory = schemas_dir()
    if not directory.is_dir():
        return [str(directory)]
    return sorted(str(p.relative_to(directory)) for p in directory.glob("*/*.sql")
                  if p.stem.split("_")[0] in dialects)


# --------------------------------------------------------------------------------------------- URL helpers


def libpq_uri(url: str) -> str:
    """A libpq connection URI (no password) for a SQLAlchemy ``postgresql[+driver]://`` URL."""
    u = make_url(url)
    user = f"{u.username}@" if u.username else ""
    port = f":{u.port}" if u.port else ""
    return f"postgresql://{user}{u.host or ''}{port}/{u.database or ''}"


def _libpq_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    password = make_url(url).password
    if password:
        env["PGPASSWORD"] = str(password)  # never on the command line, where ps shows it
    env.setdefault("PGCONNECT_TIMEOUT", "10")
    env["PGOPTIONS"] = "-c client_min_messages=warning"
    return env


def with_database(url: str, database: str, *, user: str | None = None) -> str:
    """``url`` pointing at another database (and optionally another user), rendered with its password."""
    u = make_url(url).set(database=database)
    if user is not None:
        u = u.set(username=user, password=None)
    return u.render_as_string(hide_password=False)


# --------------------------------------------------------------------------------------------- psql / sqlite3


def psql_path() -> str:
    """The psql client: the one on PATH (Debian's version-picking wrapper), else the server's bin directory."""
    found = shutil.which("psql")
    if found:
        return found
    bin_dir = find_pg_bin()
    if bin_dir is not None and (bin_dir / "psql").is_file():
        return str(bin_dir / "psql")
    raise EngineUnavailable("psql client not found; install postgresql-client-15")


def run_psql(url: str, sql_file_or_text: str | os.PathLike[str], *,
             single_transaction: bool = False) -> subprocess.CompletedProcess[str]:
    """Run SQL through ``psql -v ON_ERROR_STOP=1 -X -q`` against the database of ``url``.

    ``sql_file_or_text`` is a file when it is a ``PathLike`` (or a one-line string ending in ``.sql`` naming an
    existing file), else SQL text fed on stdin. Raises :class:`PsqlError` with psql's stderr when psql exits
    non-zero (ON_ERROR_STOP makes the first failing statement do that).
    """
    cmd = [psql_path(), "-v", "ON_ERROR_STOP=1", "-X", "-q", "-d", libpq_uri(url)]
    if single_transaction:
        cmd.append("--single-transaction")
    text_input: str | None = None
    as_path = sql_file_or_text if isinstance(sql_file_or_text, os.PathLike) else None
    if isinstance(sql_file_or_text, str) and "\n" not in sql_file_or_text and sql_file_or_text.endswith(".sql") \
            and Path(sql_file_or_text).is_file():
        as_path = Path(sql_file_or_text)
    if as_path is not None:
        cmd += ["-f", os.fspath(as_path)]
    else:
        cmd += ["-f", "-"]
        text_input = str(sql_file_or_text)
    proc = subprocess.run(cmd, input=text_input, capture_output=True, text=True, env=_libpq_env(url), check=False)
    if proc.returncode != 0:
        raise PsqlError(f"psql exited {proc.returncode}: {proc.stderr.strip()}")
    return proc


def pg_query(url: str, sql: str) -> list[tuple[Any, ...]]:
    """Run one SQL statement on ``url`` in autocommit mode; return its rows (``[]`` when it returns none)."""
    import psycopg

    u = make_url(url)
    with psycopg.connect(libpq_uri(url), password=u.password, autocommit=True, connect_timeout=10) as conn:
        cur = conn.execute(sql)  # type: ignore[arg-type]  # test-controlled SQL, no parameters
        return list(cur.fetchall()) if cur.description is not None else []


def create_pg_schema(url: str, ddl_path: str | os.PathLike[str]) -> Path:
    """Load a real DDL file into the database of ``url`` with psql (ON_ERROR_STOP, one transaction).

    ``ddl_path`` is relative to :func:`schemas_dir` (e.g. ``"pagila/postgres.sql"``) or absolute. Returns the
    resolved path. Raises :class:`PsqlError` on the first failing statement; a missing file skips or fails the
    test as :func:`schema_path` does.
    """
    path = schema_path(ddl_path)
    run_psql(url, path, single_transaction=True)
    return path


def sqlite_script(db_path: str | os.PathLike[str], sql_text: str) -> subprocess.CompletedProcess[str]:
    """Run ``sql_text`` with the ``sqlite3`` CLI (``-bail``) on ``db_path``; :class:`PsqlError` on failure."""
    proc = subprocess.run(["sqlite3", "-bail", os.fspath(db_path)], input=sql_text, capture_output=True, text=True,
                          check=False)
    if proc.returncode != 0:
        raise PsqlError(f"sqlite3 exited {proc.returncode}: {proc.stderr.strip()}")
    return proc


def sqlite_fk_check(db_path: str | os.PathLike[str]) -> list[tuple[Any, ...]]:
    """Rows of ``PRAGMA foreign_key_check`` (table, rowid, parent, fk index) with foreign keys ON; ``[]`` = clean."""
    conn = sqlite3.connect(os.fspath(db_path))
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        return [tuple(r) for r in conn.execute("PRAGMA foreign_key_check").fetchall()]
    finally:
        conn.close()


def sqlite_query(db_path: str | os.PathLike[str], sql: str) -> list[tuple[Any, ...]]:
    """Rows of one query on the SQLite file ``db_path`` (opened read-write, closed afterwards)."""
    conn = sqlite3.connect(os.fspath(db_path))
    try:
        return [tuple(r) for r in conn.execute(sql).fetchall()]
    finally:
        conn.close()


# --------------------------------------------------------------------------------------------- PostgreSQL servers


def docker_available() -> bool:
    """True when ``docker info`` exits 0 within 20 seconds (a Docker engine answers)."""
    if shutil.which("docker") is None:
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=20, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def find_pg_bin() -> Path | None:
    """The directory holding ``initdb``/``pg_ctl``: ``$SEEDER_PG_BIN``, else /usr/lib/postgresql/<v>/bin."""
    candidates = [Path(os.environ["SEEDER_PG_BIN"])] if os.environ.get("SEEDER_PG_BIN") else []
    candidates += [Path(f"/usr/lib/postgresql/{v}/bin") for v in PG_VERSIONS]
    for path in candidates:
        if (path / "initdb").is_file() and (path / "pg_ctl").is_file():
            return path
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (the caller retries if it is taken meanwhile)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    """A running PostgreSQL server for the session.

    ``url(database, user=...)`` builds SQLAlchemy URLs; ``create_database``/``drop_database`` manage per-test
    databases; ``stop()`` shuts it down and removes its files. ``timings`` records seconds spent starting it and
    creating databases (shown in pytest's terminal summary).
    """

    host: str
    port: int
    superuser: str = SUPERUSER
    password: str | None = None
    kind: str = "local"
    version: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    db_create_seconds: list[float] = field(default_factory=list)
    _stop: Any = None
    _counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def url(self, database: str = "postgres", *, user: str | None = None) -> str:
        """SQLAlchemy URL ``postgresql+psycopg://USER@HOST:PORT/DATABASE`` (superuser unless ``user``)."""
        user = user or self.superuser
        secret = f":{self.password}" if self.password and user in (self.superuser, APP_ROLE) else ""
        return f"postgresql+psycopg://{user}{secret}@{self.host}:{self.port}/{database}"

    def password_url(self, database: str, password: str = PW_ROLE_PASSWORD) -> str:
        """URL for the password-checked role ``seeder_pw`` with ``password`` (correctly URL-encoded)."""
        return URL.create("postgresql+psycopg", username=PW_ROLE, password=password, host=self.host,
                          port=self.port, database=database).render_as_string(hide_password=False)

    def admin(self, sql: str) -> list[tuple[Any, ...]]:
        """Run ``sql`` as superuser on the ``postgres`` database."""
        return pg_query(self.url("postgres"), sql)

    def create_database(self, *, owner: str | None = None, prefix: str = "t") -> str:
        """Create an empty database (a copy of ``seeder_template``, itself a copy of ``template0``); return its name.

        ``owner`` (e.g. ``seeder_app``) becomes the database owner; creation times go to ``db_create_seconds``.
        """
        name = f"{prefix}_{os.getpid()}_{next(self._counter)}"
        start = time.perf_counter()
        owner_sql = f" OWNER {owner}" if owner else ""
        # FILE_COPY (PostgreSQL 15+) copies the small template's files: ~20 ms here against ~170 ms for the default
        # WAL_LOG strategy, which writes every block to WAL.
        strategy = " STRATEGY FILE_COPY" if self.major_version >= 15 else ""
        self.admin(f'CREATE DATABASE "{name}" TEMPLATE seeder_template{owner_sql}{strategy}')
        self.db_create_seconds.append(time.perf_counter() - start)
        return name

    @property
    def major_version(self) -> int:
        """The server's major version number (0 while unknown)."""
        head = self.version.split(".")[0].split()[0] if self.version else ""
        return int(head) if head.isdigit() else 0

    def drop_database(self, name: str) -> None:
        """Drop ``name``, disconnecting anyone still connected (PostgreSQL 13+ ``WITH (FORCE)``)."""
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        """Stop the server and remove its files; safe to call twice."""
        stop, self._stop = self._stop, None
        if stop is not None:
            stop()

    def prepare_roles(self) -> None:
        """Create the ``postgres`` (if missing), ``seeder_app`` roles and the ``seeder_template`` database."""
        roles = {r[0] for r in self.admin("SELECT rolname FROM pg_roles")}
        if SUPERUSER not in roles:
            self.admin(f"CREATE ROLE {SUPERUSER} SUPERUSER LOGIN")
        if APP_ROLE not in roles:
            self.admin(f"CREATE ROLE {APP_ROLE} LOGIN CREATEDB")
        if self.password:  # a server with password auth for everyone (containers): give the app role one too
            self.admin(f"ALTER ROLE {APP_ROLE} PASSWORD '{self.password}'")
        if PW_ROLE not in roles:
            self.admin(f"CREATE ROLE {PW_ROLE} LOGIN PASSWORD '{PW_ROLE_PASSWORD}'")
        # A dedicated template keeps per-test databases independent of what anyone puts into template1.
        self.admin("CREATE DATABASE seeder_template TEMPLATE template0 ENCODING 'UTF8' IS_TEMPLATE true")
        self.version = str(self.admin("SHOW server_version")[0][0])


def _os_user_for_postgres() -> str | None:
    """The unprivileged OS user to run the server as when we are root (``None`` when not root)."""
    return _unprivileged_os_user("postgres")


def _unprivileged_os_user(preferred: str) -> str | None:
    """``preferred`` (a server package's own OS user) if it exists, else ``seeder-test`` (created when missing).

    ``None`` when we are not root: the server then simply runs as the current user.
    """
    if os.geteuid() != 0:
        return None
    for name in (preferred, "seeder-test"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    proc = subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                           "seeder-test"], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise EngineUnavailable(f"running as root and could not create OS user seeder-test: {proc.stderr.strip()}")
    return "seeder-test"


def _run_as(user: str | None, cmd: Sequence[str], *, cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    full = ["runuser", "-u", user, "--", *cmd] if user else list(cmd)
    # cwd: the server's user may not be allowed into the caller's directory (e.g. /root); pg_ctl needs a readable one.
    return subprocess.run(full, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)


def start_local_postgres(bin_dir: Path) -> PgServer:
    """initdb + pg_ctl start a throw-away cluster on a free 127.0.0.1 port; raises :class:`EngineUnavailable`."""
    t0 = time.perf_counter()
    os_user = _os_user_for_postgres()
    # Under root the server's user must reach the directory: $TMPDIR might sit below /root, /tmp never does.
    tmp = Path(tempfile.mkdtemp(prefix="seeder-pg-", dir="/tmp" if os_user and Path("/tmp").is_dir() else None))
    data, sock, log = tmp / "data", tmp / "sock", tmp / "server.log"
    sock.mkdir()
    if os_user:
        for p in (tmp, sock):
            shutil.chown(p, user=os_user)

    def cleanup() -> None:
        _run_as(os_user, [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], cwd=tmp,
                timeout=60)
        shutil.rmtree(tmp, ignore_errors=True)

    init = None
    for locale_args in (["--locale=C.UTF-8"], ["--no-locale"]):
        init = _run_as(os_user, [str(bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER, "-E", "UTF8",
                                 "--auth=trust", "--no-sync", *locale_args], cwd=tmp, timeout=120)
        if init.returncode == 0:
            break
        shutil.rmtree(data, ignore_errors=True)
    if init is None or init.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        raise EngineUnavailable(f"initdb failed: {(init.stderr if init else '').strip()[-500:]}")
    # seeder_pw must prove its password even on loopback: its line goes before initdb's trust lines. (Root may
    # rewrite the file in place; it keeps its owner.)
    hba = data / "pg_hba.conf"
    hba.write_text(f"host all {PW_ROLE} 127.0.0.1/32 scram-sha-256\n" + hba.read_text())
    t_init = time.perf_counter()

    settings = {**FAST_SETTINGS, "listen_addresses": "127.0.0.1", "unix_socket_directories": str(sock)}
    started = None
    for _attempt in range(5):  # the free port may be taken between free_port() and the server's bind()
        port = free_port()
        opts = " ".join(f"-c {k}={v}" for k, v in {**settings, "port": str(port)}.items())
        started = _run_as(os_user, [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60",
                                    "-o", opts, "start"], cwd=tmp, timeout=90)
        if started.returncode == 0:
            break
    if started is None or started.returncode != 0:
        tail = log.read_text(errors="replace")[-800:] if log.exists() else ""
        shutil.rmtree(tmp, ignore_errors=True)
        raise EngineUnavailable(f"pg_ctl start failed: {(started.stderr if started else '').strip()} {tail}")
    t_start = time.perf_counter()
    server = PgServer(host="127.0.0.1", port=port, kind=f"local {bin_dir}", _stop=cleanup)
    try:
        server.prepare_roles()
    except Exception:
        server.stop()
        raise
    server.timings = {"initdb": t_init - t0, "pg_ctl start": t_start - t_init,
                      "total start": time.perf_counter() - t0}
    return server


def start_container_postgres() -> PgServer:
    """A PostgreSQL 15 container through testcontainers (only tried when Docker answers)."""
    t0 = time.perf_counter()
    try:
        from testcontainers.postgres import PostgresContainer  # optional: not a dependency of the project
    except ImportError as exc:
        raise EngineUnavailable("docker answers but testcontainers is not installed") from exc
    container = PostgresContainer("postgres:15", username="postgres", password="seeder", dbname="postgres")
    container.start()
    server = PgServer(host=container.get_container_host_ip(), port=int(container.get_exposed_port(5432)),
                      password="seeder", kind="testcontainers postgres:15", _stop=container.stop)
    try:
        server.prepare_roles()
    except Exception:
        server.stop()
        raise
    server.timings = {"total start": time.perf_counter() - t0}
    return server


def start_postgres() -> PgServer:
    """A PostgreSQL server: testcontainers when Docker answers, else local binaries; :class:`EngineUnavailable`."""
    if docker_available():
        with contextlib.suppress(EngineUnavailable):
            return start_container_postgres()
    bin_dir = find_pg_bin()
    if bin_dir is None:
        raise EngineUnavailable(
            "no PostgreSQL server binaries (initdb, pg_ctl) in /usr/lib/postgresql/{17,16,15}/bin or $SEEDER_PG_BIN; "
            "install postgresql-15 (apt-get install -y postgresql-15)")
    psql_path()  # fail early, with the install hint, when the client is missing
    return start_local_postgres(bin_dir)


# --------------------------------------------------------------------------------------------- MariaDB / MySQL
#
# A throw-away MariaDB server per test session: ``mariadb-install-db`` creates a data directory in /tmp and
# ``mariadbd`` serves it on a free 127.0.0.1 port (plus a unix socket for the root admin connection). Both run with
# ``--no-defaults`` so nothing in /etc/mysql applies. Under root they run as the ``mysql`` OS user (created by the
# mariadb-server package) or ``seeder-test``. Accounts:
#
# * ``root@localhost`` — no password, used only over the unix socket by the fixtures (CREATE/DROP DATABASE);
# * ``seeder@127.0.0.1`` — password ``MYSQL_PASSWORD``, every privilege on databases named ``seeder_%`` and nothing
#   else: the account the tests hand to seeder and to the ``mariadb`` client.

MYSQL_USER = "seeder"
#: Characters that URLs must percent-encode, so tests see whether encoded forms leak (same idea as PW_ROLE_PASSWORD).
MYSQL_PASSWORD = "s3cr%t:P@ss/w?rd"
MYSQL_DB_PREFIX = "seeder"
MARIADB_SEARCH_DIRS = (Path("/usr/sbin"), Path("/usr/bin"), Path("/usr/local/sbin"), Path("/usr/local/bin"))
#: Speed over durability: the data lives for one session (MariaDB KB, "InnoDB System Variables").
#: The InnoDB ones also go to mariadb-install-db, whose bootstrap server then writes less (about 2 s instead of 4).
MARIADB_INNODB_SETTINGS = (
    "--innodb-flush-log-at-trx-commit=0",
    "--innodb-doublewrite=0",
    "--innodb-log-file-size=48M",
)
MARIADB_FAST_SETTINGS = (
    *MARIADB_INNODB_SETTINGS,
    "--innodb-buffer-pool-size=128M",
    "--skip-log-bin",
    "--skip-name-resolve",
    "--max-connections=60",
    "--character-set-server=utf8mb4",
)
MARIADB_START_TIMEOUT = 60.0


class MysqlError(RuntimeError):
    """The ``mariadb`` client stopped on an error; the message holds its stderr."""


def _find_binary(*names: str) -> Path | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return Path(found)
        for directory in MARIADB_SEARCH_DIRS:
            if (directory / name).is_file():
                return directory / name
    return None


def mysql_client_path() -> str:
    """The ``mariadb`` command-line client (``mysql`` on older packages); :class:`EngineUnavailable` if missing."""
    found = _find_binary("mariadb", "mysql")
    if found is None:
        raise EngineUnavailable("mariadb client not found; install mariadb-client (apt-get install -y mariadb-server)")
    return str(found)


def _mysql_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    password = make_url(url).password
    if password:
        env["MYSQL_PWD"] = str(password)  # never on the command line, where ps shows it
    else:
        env.pop("MYSQL_PWD", None)
    return env


def run_mysql(url: str, sql_file_or_text: str | os.PathLike[str], *, show_warnings: bool = False,
              database: bool = True) -> subprocess.CompletedProcess[str]:
    """Run SQL through the ``mariadb`` client against the database of ``url`` (a ``mysql+pymysql://`` URL).

    ``sql_file_or_text`` is a file when it is a ``PathLike`` (or a one-line string ending in ``.sql`` naming an
    existing file), else SQL text; either way it is piped on stdin, where the client stops at the first failing
    statement (no ``--force``) and understands ``DELIMITER``. Output is batch mode without column names
    (``-B -N``: one tab-separated line per row). ``show_warnings`` prints each statement's warnings and notes into
    stdout (``--show-warnings``). ``database=False`` connects without selecting the URL's database.

    Raises:
        MysqlError: the client exited non-zero; the message holds its stderr (``ERROR 1062 (23000) at line N: ...``).
    """
    u = make_url(url)
    cmd = [mysql_client_path(), "--no-defaults", "--protocol=TCP", f"--host={u.host or '127.0.0.1'}",
           f"--port={u.port or 3306}", f"--user={u.username or ''}", "--default-character-set=utf8mb4",
           "--connect-timeout=10", "-B", "-N"]
    if show_warnings:
        cmd.append("--show-warnings")
    if database and u.database:
        cmd.append(u.database)
    as_path = sql_file_or_text if isinstance(sql_file_or_text, os.PathLike) else None
    if isinstance(sql_file_or_text, str) and "\n" not in sql_file_or_text and sql_file_or_text.endswith(".sql") \
            and Path(sql_file_or_text).is_file():
        as_path = Path(sql_file_or_text)
    text = Path(as_path).read_text(encoding="utf-8") if as_path is not None else str(sql_file_or_text)
    proc = subprocess.run(cmd, input=text, capture_output=True, text=True, encoding="utf-8", env=_mysql_env(url),
                          check=False, timeout=600)
    if proc.returncode != 0:
        raise MysqlError(f"mariadb exited {proc.returncode}: {proc.stderr.strip()}")
    return proc


def mysql_connect(url: str, *, autocommit: bool = True) -> Any:
    """A PyMySQL connection (utf8mb4, ``autocommit`` as given) to the database of ``url``; the caller closes it."""
    import pymysql

    u = make_url(url)
    # ssl_disabled: PyMySQL 2.2 otherwise tries TLS ("preferred") and builds a default SSL context on every connect,
    # which loads the system CA store (about 130 ms); the test server is on loopback and has no TLS.
    return pymysql.connect(host=u.host or "127.0.0.1", port=u.port or 3306, user=u.username or "",
                           password=str(u.password or ""), database=u.database, charset="utf8mb4",
                           autocommit=autocommit, connect_timeout=10, ssl_disabled=True)


def mysql_query(url: str, sql: str) -> list[tuple[Any, ...]]:
    """Run one SQL statement on ``url`` in autocommit mode; return its rows (``[]`` when it returns none)."""
    conn = mysql_connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute(sql)  # no args: PyMySQL leaves % alone
            return [tuple(r) for r in cur.fetchall()] if cur.description is not None else []
    finally:
        conn.close()


_USE_DATABASE = re.compile(r"^[ \t]*USE[ \t]+`?([A-Za-z0-9_$]+)`?[ \t]*;", re.IGNORECASE | re.MULTILINE)
_DATABASE_STATEMENT = re.compile(
    r"^[ \t]*(?:(?:DROP|CREATE)[ \t]+(?:DATABASE|SCHEMA)\b[^;\n]*|USE[ \t]+[^;\n]+);", re.IGNORECASE | re.MULTILINE)


def retarget_mysql_ddl(text: str) -> str:
    """MySQL DDL text made to run inside whatever database the connection selected.

    Real MySQL scripts create and switch to their own database (sakila: ``DROP SCHEMA IF EXISTS sakila; CREATE
    SCHEMA sakila; USE sakila;``, and its views say ``sakila.film``). Those statements are turned into comments
    (keeping line numbers) and qualifiers naming a database the script ``USE``\\ s are removed, so each test gets the
    schema in its own fresh database.
    """
    names = sorted({m.group(1) for m in _USE_DATABASE.finditer(text)})
    text = _DATABASE_STATEMENT.sub(lambda m: "/* removed for the test database: " + m.group(0).strip()
                                   .replace("*/", "* /") + " */", text)
    for name in names:
        text = re.sub(rf"(?<![\w.`$])(?:`{re.escape(name)}`|{re.escape(name)})\.(?=[`A-Za-z_])", "", text)
    return text


def create_mysql_schema(url: str, ddl_path: str | os.PathLike[str]) -> Path:
    """Load a real MySQL DDL file into the database of ``url`` with the ``mariadb`` client (errors stop it).

    ``ddl_path`` is relative to :func:`schemas_dir` (e.g. ``"sakila/mysql.sql"``) or absolute; the text goes through
    :func:`retarget_mysql_ddl` first. Returns the resolved path. Raises :class:`MysqlError` on the first failing
    statement; a missing file skips or fails the test as :func:`schema_path` does.
    """
    path = schema_path(ddl_path)
    run_mysql(url, retarget_mysql_ddl(path.read_text(encoding="utf-8")))
    return path


def mysql_ident(name: str) -> str:
    """``name`` as a backtick-quoted MySQL identifier."""
    return "`" + name.replace("`", "``") + "`"


def mysql_fk_orphans(url: str, schema: Any) -> dict[str, int]:
    """Rows whose foreign key points at no row, per FK of ``schema`` (a :class:`seeder.schema.Schema`): ``{}`` = clean.

    MariaDB does not re-check rows inserted while ``FOREIGN_KEY_CHECKS = 0`` when the checks come back on, so the
    tests look themselves: a child row counts when all its FK columns are non-NULL (MATCH SIMPLE) and no parent row
    has those values. Keys are ``"child(cols) -> parent(cols)"``.
    """
    found: dict[str, int] = {}
    for table in schema.tables:
        for fk in table.foreign_keys:
            on = " AND ".join(f"p.{mysql_ident(r)} = c.{mysql_ident(c)}"
                              for c, r in zip(fk.columns, fk.ref_columns, strict=True))
            not_null = " AND ".join(f"c.{mysql_ident(c)} IS NOT NULL" for c in fk.columns)
            missing = f"p.{mysql_ident(fk.ref_columns[0])} IS NULL"
            sql = (f"SELECT count(*) FROM {mysql_ident(table.name.name)} c LEFT JOIN "
                   f"{mysql_ident(fk.ref_table.name)} p ON {on} WHERE {not_null} AND {missing}")
            (count,) = mysql_query(url, sql)[0]
            if count:
                found[f"{table.name}({', '.join(fk.columns)}) -> {fk.ref_table}({', '.join(fk.ref_columns)})"] = count
    return found


@dataclass
class MariaDbServer:
    """A running MariaDB server for the session.

    ``url(database)`` builds ``mysql+pymysql://seeder:...@127.0.0.1:PORT/DATABASE`` URLs; ``create_database`` /
    ``drop_database`` manage per-test databases; ``stop()`` shuts it down and removes its files. ``timings`` records
    seconds spent installing and starting it (shown in pytest's terminal summary).
    """

    host: str
    port: int
    socket_path: Path
    version: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    db_create_seconds: list[float] = field(default_factory=list)
    _stop: Any = None
    _counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def url(self, database: str) -> str:
        """SQLAlchemy URL of ``database`` for the ``seeder`` account, password correctly URL-encoded."""
        return URL.create("mysql+pymysql", username=MYSQL_USER, password=MYSQL_PASSWORD, host=self.host,
                          port=self.port, database=database).render_as_string(hide_password=False)

    def admin(self, sql: str) -> list[tuple[Any, ...]]:
        """Run ``sql`` as ``root`` over the unix socket (autocommit); return its rows."""
        import pymysql

        conn = pymysql.connect(unix_socket=str(self.socket_path), user="root", charset="utf8mb4", autocommit=True,
                               connect_timeout=10, ssl_disabled=True)
        try:
            with conn.cursor() as cur:
                cur.execute(sql)
                return [tuple(r) for r in cur.fetchall()] if cur.description is not None else []
        finally:
            conn.close()

    def create_database(self, prefix: str = "t") -> str:
        """Create an empty utf8mb4 database named ``seeder_<prefix>_<pid>_<n>``; return its name."""
        name = f"{MYSQL_DB_PREFIX}_{prefix}_{os.getpid()}_{next(self._counter)}"
        start = time.perf_counter()
        # The server default collation (utf8mb4_general_ci): case-insensitive UNIQUE keys, as users have them.
        self.admin(f"CREATE DATABASE {mysql_ident(name)} CHARACTER SET utf8mb4")
        self.db_create_seconds.append(time.perf_counter() - start)
        return name

    def drop_database(self, name: str) -> None:
        """Drop ``name`` (connections still using it are not an obstacle in MariaDB)."""
        self.admin(f"DROP DATABASE IF EXISTS {mysql_ident(name)}")

    def stop(self) -> None:
        """Stop the server and remove its files; safe to call twice."""
        stop, self._stop = self._stop, None
        if stop is not None:
            stop()

    def prepare_accounts(self) -> None:
        """Create the ``seeder`` account with its password and its rights on ``seeder_%`` databases."""
        self.admin(f"CREATE USER '{MYSQL_USER}'@'127.0.0.1' IDENTIFIED BY '{MYSQL_PASSWORD}'")
        self.admin(f"GRANT ALL PRIVILEGES ON `{MYSQL_DB_PREFIX}\\_%`.* TO '{MYSQL_USER}'@'127.0.0.1'")
        self.version = str(self.admin("SELECT VERSION()")[0][0])


def _tail(path: Path, size: int = 800) -> str:
    return path.read_text(errors="replace")[-size:].strip() if path.exists() else ""


def _popen_as(user: str | None) -> dict[str, Any]:
    """``subprocess`` arguments that run the child as ``user`` (its own group, no supplementary groups)."""
    if user is None:
        return {}
    entry = pwd.getpwnam(user)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


def start_mariadb() -> MariaDbServer:
    """Install a data directory and start ``mariadbd`` on a free 127.0.0.1 port; :class:`EngineUnavailable`.

    The server is ready when root can connect over its unix socket; it is given ``MARIADB_START_TIMEOUT`` seconds.
    """
    t0 = time.perf_counter()
    server_bin = _find_binary("mariadbd", "mysqld")
    install_bin = _find_binary("mariadb-install-db", "mysql_install_db")
    if server_bin is None or install_bin is None:
        raise EngineUnavailable("no MariaDB server binaries (mariadbd, mariadb-install-db); install mariadb-server "
                                "(apt-get install -y mariadb-server)")
    mysql_client_path()  # fail early, with the install hint, when the client is missing
    try:
        import pymysql
    except ImportError as exc:  # a project dependency, but say so plainly
        raise EngineUnavailable("PyMySQL is not installed") from exc
    os_user = _unprivileged_os_user("mysql")
    tmp = Path(tempfile.mkdtemp(prefix="seeder-mariadb-", dir="/tmp" if Path("/tmp").is_dir() else None))
    if os_user:
        shutil.chown(tmp, user=os_user)
    data, sock, log, pid = tmp / "data", tmp / "mysqld.sock", tmp / "error.log", tmp / "mysqld.pid"
    as_user = _popen_as(os_user)
    install = subprocess.run([str(install_bin), "--no-defaults", f"--datadir={data}",
                              "--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve",
                              *MARIADB_INNODB_SETTINGS],
                             cwd=tmp, capture_output=True, text=True, timeout=180, check=False, **as_user)
    if install.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        raise EngineUnavailable(f"mariadb-install-db failed: {(install.stderr or install.stdout).strip()[-600:]}")
    t_install = time.perf_counter()

    proc: subprocess.Popen[bytes] | None = None
    port = 0
    for _attempt in range(5):  # the free port may be taken between free_port() and the server's bind()
        port = free_port()
        log.unlink(missing_ok=True)
        proc = subprocess.Popen(
            [str(server_bin), "--no-defaults", f"--datadir={data}", f"--socket={sock}", f"--port={port}",
             "--bind-address=127.0.0.1", f"--pid-file={pid}", f"--log-error={log}", *MARIADB_FAST_SETTINGS],
            cwd=tmp, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True, **as_user)
        if _wait_for_mariadb(proc, sock, pymysql):
            break
        if proc.poll() is None:
            _terminate(proc)
        proc = None
        if "bind" not in _tail(log).lower() and "in use" not in _tail(log).lower():
            break  # not a port clash: retrying will not help
    if proc is None:
        tail = _tail(log)
        shutil.rmtree(tmp, ignore_errors=True)
        raise EngineUnavailable(f"mariadbd did not start within {MARIADB_START_TIMEOUT:.0f}s: {tail}")
    t_start = time.perf_counter()
    started = proc

    def cleanup() -> None:
        _terminate(started)
        shutil.rmtree(tmp, ignore_errors=True)

    server = MariaDbServer(host="127.0.0.1", port=port, socket_path=sock, _stop=cleanup)
    try:
        server.prepare_accounts()
    except Exception:
        server.stop()
        raise
    server.timings = {"install-db": t_install - t0, "mariadbd start": t_start - t_install,
                      "total start": time.perf_counter() - t0}
    return server


def _wait_for_mariadb(proc: subprocess.Popen[bytes], sock: Path, pymysql: Any) -> bool:
    deadline = time.monotonic() + MARIADB_START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if sock.exists():
            try:
                pymysql.connect(unix_socket=str(sock), user="root", connect_timeout=2, ssl_disabled=True).close()
                return True
            except pymysql.err.MySQLError:
                pass
        time.sleep(0.05)
    return False


def _terminate(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the server (a clean, quick shutdown), SIGKILL if it is still there after 20 seconds."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def pg_ident(name: TableName) -> str:
    """``name`` as a quoted PostgreSQL identifier (schema-qualified when it has a schema)."""
    quoted = '"' + name.name.replace('"', '""') + '"'
    return f'"{name.schema}".{quoted}' if name.schema else quoted


def pg_state(url: str) -> list[tuple]:
    """What a load must leave as it found it: nullability, constraint validity/deferrability, trigger switches."""
    cols = pg_query(url, "SELECT table_schema, table_name, column_name, is_nullable FROM information_schema.columns "
                         "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2, 3")
    cons = pg_query(url, "SELECT conrelid::regclass::text, conname, contype, convalidated, condeferrable "
                         "FROM pg_constraint WHERE connamespace <> 'pg_catalog'::regnamespace ORDER BY 1, 2")
    trig = pg_query(url, "SELECT tgrelid::regclass::text, tgname, tgenabled FROM pg_trigger ORDER BY 1, 2")
    return cols + cons + trig


@contextlib.contextmanager
def serve_http(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Run ``handler`` in a threaded HTTP server on 127.0.0.1 (a free port) for the ``with`` block; yields the
    OpenAI-style base URL ``http://127.0.0.1:PORT/v1``."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def planned_rows(schema: Schema, rows: int) -> dict[TableName, int]:
    """Rows the plan promises per seeded table for ``rows`` per table (scaled by each table's role); a table given
    fewer than its role asks for must carry the plan's reason (``TablePlan.limit``), which this asserts."""
    from seeder.plan.planner import build_plan

    plan = build_plan(schema, rows)
    for name in plan.order:
        tp = plan.tables[name]
        assert tp.rows == tp.requested or tp.limit, f"{name}: {tp.rows} rows without a reason"
    return {name: plan.rows(name) for name in plan.order}
