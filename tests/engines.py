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
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, make_url

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


# --------------------------------------------------------------------------------------------- schema files


def schemas_dir() -> Path:
    """The directory of real-world DDL files: ``$SEEDER_SCHEMAS`` or ``<repo>/../shared/schemas``."""
    override = os.environ.get("SEEDER_SCHEMAS")
    return Path(override).resolve() if override else (REPO_ROOT.parent / "shared" / "schemas").resolve()


def schema_path(relative: str | os.PathLike[str]) -> Path:
    """Resolve ``relative`` (e.g. ``"pagila/postgres.sql"``) against :func:`schemas_dir`; absolute paths pass."""
    path = Path(relative)
    return path if path.is_absolute() else schemas_dir() / path


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
    resolved path. Raises :class:`PsqlError` on the first failing statement, ``FileNotFoundError`` if missing.
    """
    path = schema_path(ddl_path)
    if not path.is_file():
        raise FileNotFoundError(f"schema file {path} not found (set SEEDER_SCHEMAS to the shared/schemas directory)")
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
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "seeder-test"):
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
