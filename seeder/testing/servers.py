"""Throw-away database servers for test sessions: PostgreSQL and MariaDB, through testcontainers when a Docker
engine answers (``docker info`` succeeds), else started from the local server binaries; a container that cannot
start (testcontainers not installed, no image) falls back to the binaries too (:func:`start_postgres`,
:func:`start_mariadb`). Used by seeder's own tests and its pytest plugin.

PostgreSQL: a throw-away cluster is created with ``initdb`` in a temporary directory (Debian's ``postgresql-15``
package puts the binaries in ``/usr/lib/postgresql/15/bin``; ``$SEEDER_PG_BIN`` overrides) and started with
``pg_ctl`` on a free loopback port. PostgreSQL refuses to run as root, so under root the cluster belongs to an
unprivileged OS user (``postgres`` when the Debian package created it, else ``seeder-test``, created with
``useradd``) and the binaries run through ``runuser``.

Roles in every PostgreSQL server started here:

* ``postgres`` — superuser (pg_dump files say ``OWNER TO postgres``; the name must exist);
* ``seeder_app`` — a plain role with LOGIN and CREATEDB, owner of the databases handed to it, for tests that
  must not rely on superuser rights;
* ``seeder_pw`` — a plain role that must log in with its password (``PW_ROLE_PASSWORD``, scram-sha-256), for tests
  of password handling.

Authentication is ``trust`` on loopback for everyone else, so their URLs carry no password. Nothing here imports
seeder's generator: the pytest plugin loads this module only when a fixture asks for a server.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.engine import URL, make_url

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


def libpq_uri(url: str) -> str:
    """A libpq connection URI (no password) for a SQLAlchemy ``postgresql[+driver]://`` URL."""
    u = make_url(url)
    user = f"{u.username}@" if u.username else ""
    port = f":{u.port}" if u.port else ""
    return f"postgresql://{user}{u.host or ''}{port}/{u.database or ''}"


def psql_path() -> str:
    """The psql client: the one on PATH (Debian's version-picking wrapper), else the server's bin directory."""
    found = shutil.which("psql")
    if found:
        return found
    bin_dir = find_pg_bin()
    if bin_dir is not None and (bin_dir / "psql").is_file():
        return str(bin_dir / "psql")
    raise EngineUnavailable("psql client not found; install postgresql-client-15")


def pg_query(url: str, sql: str) -> list[tuple[Any, ...]]:
    """Run one SQL statement on ``url`` in autocommit mode; return its rows (``[]`` when it returns none)."""
    import psycopg

    u = make_url(url)
    with psycopg.connect(libpq_uri(url), password=u.password, autocommit=True, connect_timeout=10) as conn:
        cur = conn.execute(sql)  # type: ignore[arg-type]  # test-controlled SQL, no parameters
        return list(cur.fetchall()) if cur.description is not None else []


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
    _start_container(container, "postgres:15")
    server = PgServer(host=container.get_container_host_ip(), port=int(container.get_exposed_port(5432)),
                      password="seeder", kind="testcontainers postgres:15", _stop=container.stop)
    try:
        server.prepare_roles()
    except Exception:
        server.stop()
        raise
    server.timings = {"total start": time.perf_counter() - t0}
    return server


_Server = TypeVar("_Server")


def _start_container(container: Any, image: str) -> None:
    """``container.start()``; any failure (no image, no network, a refused run) is :class:`EngineUnavailable`."""
    try:
        container.start()
    except Exception as exc:  # docker's and testcontainers' errors have no common base
        raise EngineUnavailable(f"testcontainers could not start {image}: {type(exc).__name__}: {exc}") from exc


def container_or_local(container: Callable[[], _Server], local: Callable[[], _Server]) -> _Server:
    """The engine choice: ``container()`` when a Docker engine answers (:func:`docker_available`), else, or when the
    container cannot start (:class:`EngineUnavailable`), ``local()``."""
    if docker_available():
        with contextlib.suppress(EngineUnavailable):
            return container()
    return local()


def start_postgres() -> PgServer:
    """A PostgreSQL server: testcontainers when Docker answers, else local binaries; :class:`EngineUnavailable`."""
    # lambdas look the starters up when called (tests replace them on the module)
    return container_or_local(lambda: start_container_postgres(), lambda: start_postgres_binaries())


def start_postgres_binaries() -> PgServer:
    """A PostgreSQL server from the local binaries (:func:`find_pg_bin`); :class:`EngineUnavailable` without them."""
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


def mysql_ident(name: str) -> str:
    """``name`` as a backtick-quoted MySQL identifier."""
    return "`" + name.replace("`", "``") + "`"


@dataclass
class MariaDbServer:
    """A running MariaDB server for the session.

    ``url(database)`` builds ``mysql+pymysql://seeder:...@127.0.0.1:PORT/DATABASE`` URLs; ``create_database`` /
    ``drop_database`` manage per-test databases; ``stop()`` shuts it down and removes its files. ``timings`` records
    seconds spent installing and starting it (shown in pytest's terminal summary).
    """

    host: str
    port: int
    socket_path: Path | None
    root_password: str | None = None
    account_host: str = "127.0.0.1"
    kind: str = "local"
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
        """Run ``sql`` as ``root`` over the unix socket (over TCP with ``root_password`` for a container, which has
        no socket here); autocommit; return its rows."""
        import pymysql

        where: dict[str, Any] = ({"unix_socket": str(self.socket_path)} if self.socket_path is not None else
                                 {"host": self.host, "port": self.port, "password": self.root_password or ""})
        conn = pymysql.connect(**where, user="root", charset="utf8mb4", autocommit=True, connect_timeout=10,
                               ssl_disabled=True)
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
        # a container sees the host's connections from its bridge address: the account is for any host there
        self.admin(f"CREATE USER '{MYSQL_USER}'@'{self.account_host}' IDENTIFIED BY '{MYSQL_PASSWORD}'")
        self.admin(f"GRANT ALL PRIVILEGES ON `{MYSQL_DB_PREFIX}\\_%`.* TO '{MYSQL_USER}'@'{self.account_host}'")
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
    """A MariaDB server: testcontainers when Docker answers, else local binaries; :class:`EngineUnavailable`."""
    return container_or_local(lambda: start_container_mariadb(), lambda: start_local_mariadb())


#: The image of the MariaDB container (the version Debian 12's ``mariadb-server`` has).
MARIADB_IMAGE = "mariadb:10.11"


def start_container_mariadb() -> MariaDbServer:
    """A MariaDB container through testcontainers (only tried when Docker answers); :class:`EngineUnavailable`."""
    t0 = time.perf_counter()
    try:
        from testcontainers.mysql import MySqlContainer  # optional: not a dependency of the project
    except ImportError as exc:
        raise EngineUnavailable("docker answers but testcontainers is not installed") from exc
    # MariaDB's image reads the MYSQL_* variables MySqlContainer sets; "ready for connections" twice is its log too
    container = MySqlContainer(MARIADB_IMAGE, username="seeder_boot", password="seeder", root_password="seeder",
                               dbname=f"{MYSQL_DB_PREFIX}_boot")
    _start_container(container, MARIADB_IMAGE)
    server = MariaDbServer(host=container.get_container_host_ip(), port=int(container.get_exposed_port(3306)),
                           socket_path=None, root_password="seeder", account_host="%",
                           kind=f"testcontainers {MARIADB_IMAGE}", _stop=container.stop)
    try:
        server.prepare_accounts()
    except Exception:
        server.stop()
        raise
    server.timings = {"total start": time.perf_counter() - t0}
    return server


def start_local_mariadb() -> MariaDbServer:
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
