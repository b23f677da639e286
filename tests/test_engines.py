"""The test engines themselves: server up, fresh databases empty and isolated, helpers stop on errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.engines import (
    APP_ROLE,
    SUPERUSER,
    EngineUnavailable,
    PgServer,
    PsqlError,
    corpus_files,
    create_pg_schema,
    libpq_uri,
    missing_input,
    pg_query,
    require_schemas_dir,
    run_psql,
    schema_path,
    schemas_dir,
    sqlite_fk_check,
    sqlite_query,
    sqlite_script,
)

USER_TABLES = "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " \
              "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'"


def test_schemas_dir_holds_the_shared_schemas() -> None:
    assert schemas_dir().is_dir(), f"{schemas_dir()} missing: shared/ must sit beside the repo or set SEEDER_SCHEMAS"
    assert schema_path("pagila/postgres.sql").is_file()
    here = Path(__file__).resolve()
    assert schema_path(here) == here  # absolute paths pass unchanged
    assert "pagila/postgres.sql" in corpus_files(["postgres"])
    assert all(f.split("/")[1].startswith(("sqlite", "mysql")) for f in corpus_files(["sqlite", "mysql"]))


def test_schemas_dir_env_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SEEDER_SCHEMAS", str(tmp_path))
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "postgres.sql").write_text("CREATE TABLE t (id int);\n", encoding="utf-8")
    assert schemas_dir() == tmp_path.resolve()
    assert schema_path("a/postgres.sql") == tmp_path.resolve() / "a" / "postgres.sql"
    assert corpus_files(["postgres"]) == ["a/postgres.sql"] and corpus_files(["mysql"]) == []


def test_missing_schemas_skip_locally_and_fail_in_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SEEDER_SCHEMAS", str(tmp_path / "nowhere"))
    missing = tmp_path / "nowhere" / "nope" / "postgres.sql"
    # A parametrized test over a missing corpus still runs (and then skips or fails) instead of vanishing.
    assert corpus_files(["postgres"]) == [str(tmp_path / "nowhere")]
    calls = [lambda: schema_path("nope/postgres.sql"), lambda: create_pg_schema("postgresql://u@127.0.0.1:1/x",
                                                                               "nope/postgres.sql"),
             require_schemas_dir, lambda: schema_path(corpus_files(["postgres"])[0])]
    monkeypatch.delenv("CI", raising=False)
    for call in calls:
        with pytest.raises(pytest.skip.Exception, match=r"nowhere.*(not found|SEEDER_SCHEMAS)"):
            call()
    monkeypatch.setenv("CI", "true")
    for call in calls:
        with pytest.raises(pytest.fail.Exception, match=r"^CI is set and .*nowhere"):
            call()
    with pytest.raises(pytest.fail.Exception, match=f"CI is set and schema file {missing} not found"):
        schema_path("nope/postgres.sql")


def test_libpq_uri_drops_driver_and_password() -> None:
    uri = libpq_uri("postgresql+psycopg://u:s3cret@127.0.0.1:5433/db")
    assert uri == "postgresql://u@127.0.0.1:5433/db"


def test_server_is_up_and_listens_on_loopback(pg_server: PgServer) -> None:
    assert pg_server.version.startswith(("15", "16", "17"))
    assert pg_server.host == "127.0.0.1"
    rows = pg_query(pg_server.url(), "SELECT current_user, inet_server_addr()::text, "
                                     "current_setting('server_encoding')")
    assert rows == [(SUPERUSER, "127.0.0.1/32", "UTF8")] or rows[0][:1] == (SUPERUSER,)
    assert rows[0][2] == "UTF8"


def test_roles_exist_with_the_right_rights(pg_server: PgServer) -> None:
    rows = dict(pg_query(pg_server.url(), f"SELECT rolname, rolsuper FROM pg_roles "
                                          f"WHERE rolname IN ('{SUPERUSER}', '{APP_ROLE}')"))
    assert rows == {SUPERUSER: True, APP_ROLE: False}


def test_fresh_database_is_empty(pg_url: str) -> None:
    assert pg_query(pg_url, USER_TABLES) == [(0,)]
    run_psql(pg_url, "CREATE TABLE leftover (id int);")
    assert pg_query(pg_url, USER_TABLES) == [(1,)]


def test_next_database_does_not_see_previous_tables(pg_url: str) -> None:
    # Runs after test_fresh_database_is_empty created a table in its own database.
    assert pg_query(pg_url, USER_TABLES) == [(0,)]


def test_app_database_is_owned_by_the_app_role(pg_app_url: str) -> None:
    assert pg_query(pg_app_url, "SELECT current_user, pg_get_userbyid(datdba), "
                                "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user) "
                                "FROM pg_database WHERE datname = current_database()") == [(APP_ROLE, APP_ROLE, False)]
    run_psql(pg_app_url, "CREATE TABLE mine (id int); INSERT INTO mine VALUES (1);")
    assert pg_query(pg_app_url, "SELECT count(*) FROM mine") == [(1,)]


def test_psql_stops_at_the_first_error(pg_url: str) -> None:
    script = "CREATE TABLE a (id int);\nSELECT * FROM no_such_table;\nCREATE TABLE b (id int);\n"
    with pytest.raises(PsqlError, match="no_such_table"):
        run_psql(pg_url, script)
    names = [r[0] for r in pg_query(pg_url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    assert names == ["a"]  # b never ran


def test_psql_single_transaction_rolls_back_everything(pg_url: str) -> None:
    with pytest.raises(PsqlError):
        run_psql(pg_url, "CREATE TABLE a (id int);\nSELECT 1/0;\n", single_transaction=True)
    assert pg_query(pg_url, USER_TABLES) == [(0,)]


def test_psql_reads_files(pg_url: str, tmp_path: Path) -> None:
    create, insert = tmp_path / "create.sql", tmp_path / "insert.sql"
    create.write_text("CREATE TABLE f (v text);\n")
    insert.write_text("INSERT INTO f VALUES ('100% :x ?');\n")
    run_psql(pg_url, create)
    run_psql(pg_url, str(insert))  # a one-line str ending in .sql that names a file is read as a file too
    run_psql(pg_url, insert)
    assert pg_query(pg_url, "SELECT v FROM f") == [("100% :x ?",), ("100% :x ?",)]


def test_create_pg_schema_loads_a_pg_dump_file_with_owner_clauses(pg_url: str) -> None:
    create_pg_schema(pg_url, "pagila/postgres.sql")  # says OWNER TO postgres throughout
    tables = pg_query(pg_url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")[0][0]
    assert tables >= 15
    assert pg_query(pg_url, "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal")[0][0] >= 15


@pytest.mark.parametrize("ddl", ["chinook/postgres.sql", "chinook/postgres_identity.sql", "northwind/postgres.sql",
                                 "sakila/postgres.sql"])
def test_small_real_schemas_load(pg_url: str, ddl: str) -> None:
    create_pg_schema(pg_url, ddl)
    assert pg_query(pg_url, "SELECT count(*) FROM pg_constraint WHERE contype = 'f'")[0][0] > 0


@pytest.mark.slow
@pytest.mark.parametrize("ddl", ["adventureworks/postgres.sql", "danbooru/postgres.sql",
                                 "musicbrainz/postgres.sql"])
def test_large_real_schemas_load_with_contrib_extensions(pg_url: str, ddl: str) -> None:
    create_pg_schema(pg_url, ddl)
    assert pg_query(pg_url, "SELECT count(*) FROM pg_constraint WHERE contype = 'f'")[0][0] > 50


def test_sqlite_script_bails_on_error(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with pytest.raises(PsqlError, match="no such table"):
        sqlite_script(db, "CREATE TABLE a (id INTEGER);\nINSERT INTO missing VALUES (1);\nCREATE TABLE b (id INTEGER);")
    assert sqlite_query(db, "SELECT name FROM sqlite_master WHERE type = 'table'") == [("a",)]


def test_sqlite_fk_check_finds_orphans(tmp_path: Path) -> None:
    db = tmp_path / "fk.db"
    sqlite_script(db, "CREATE TABLE p (id INTEGER PRIMARY KEY);\n"
                      "CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p(id));\n"
                      "INSERT INTO p VALUES (1);\nINSERT INTO c VALUES (10, 1), (11, 2);\n")
    assert sqlite_fk_check(db) == [("c", 11, "p", 0)]


def test_real_sqlite_schema_loads_with_the_cli(tmp_path: Path) -> None:
    db = tmp_path / "chinook.db"
    sqlite_script(db, schema_path("chinook/sqlite.sql").read_text())
    assert sqlite_query(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'") == [(11,)]
    assert sqlite_fk_check(db) == []


def test_engine_missing_skips_locally_and_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    from seeder.testing import servers

    monkeypatch.setattr(servers, "find_pg_bin", lambda: None)
    monkeypatch.setattr(servers, "docker_available", lambda: False)
    with pytest.raises(EngineUnavailable, match="install postgresql-15"):
        servers.start_postgres()
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no server"):
        missing_input("no server")
    for value in ("true", "1"):
        monkeypatch.setenv("CI", value)
        with pytest.raises(pytest.fail.Exception, match="CI is set and no server"):
            missing_input("no server")
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception):
        missing_input("no server")


@pytest.mark.parametrize("engine", ["postgres", "mariadb"])
def test_testcontainers_when_docker_answers_else_local_binaries(engine: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine choice of seeder.testing.servers (the project's tests and the pytest plugin share it), with the
    Docker probe and the two starters replaced."""
    import subprocess as real_subprocess

    from seeder.testing import servers

    container, local, start = {"postgres": ("start_container_postgres", "start_postgres_binaries",
                                            servers.start_postgres),
                               "mariadb": ("start_container_mariadb", "start_local_mariadb", servers.start_mariadb)
                               }[engine]
    monkeypatch.setattr(servers, container, lambda: "container")
    monkeypatch.setattr(servers, local, lambda: "local")
    monkeypatch.setattr(servers, "docker_available", lambda: True)
    assert start() == "container"
    monkeypatch.setattr(servers, "docker_available", lambda: False)
    assert start() == "local"

    def cannot_start() -> str:
        raise servers.EngineUnavailable("docker answers but testcontainers is not installed")

    monkeypatch.setattr(servers, container, cannot_start)  # Docker answers, the container does not: the binaries
    monkeypatch.setattr(servers, "docker_available", lambda: True)
    assert start() == "local"

    class Refused:
        def start(self) -> None:
            raise OSError("pull access denied")

    with pytest.raises(servers.EngineUnavailable, match="could not start img: OSError: pull access denied"):
        servers._start_container(Refused(), "img")
    # the probe: no docker client, a daemon that does not answer, one that does
    monkeypatch.undo()
    monkeypatch.setattr(servers.shutil, "which", lambda _name: None)
    assert servers.docker_available() is False
    monkeypatch.setattr(servers.shutil, "which", lambda _name: "/usr/bin/docker")
    for code, expected in ((1, False), (0, True)):
        monkeypatch.setattr(servers.subprocess, "run", lambda *_a, code=code, **_k: real_subprocess.CompletedProcess(
            ["docker", "info"], code))
        assert servers.docker_available() is expected


@pytest.mark.slow
def test_missing_server_skips_locally_but_fails_in_ci(tmp_path: Path) -> None:
    # A child pytest whose PostgreSQL binaries cannot be found: the PG test must be skipped without CI, fail with CI.
    (tmp_path / "test_child.py").write_text("def test_needs_pg(pg_url):\n    assert pg_url\n")
    conftest = Path(__file__).with_name("conftest.py")
    (tmp_path / "conftest.py").write_text(
        "import seeder.testing.servers as e\n"
        "e.find_pg_bin = lambda: None\n"
        "e.docker_available = lambda: False\n"
        f"exec(compile(open({str(conftest)!r}).read(), 'conftest', 'exec'))\n")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PYTHONPATH"] = str(conftest.parent.parent)
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", str(tmp_path / "test_child.py"),
           "--rootdir", str(tmp_path)]
    local = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert local.returncode == 0, local.stdout + local.stderr
    assert "1 skipped" in local.stdout and "PostgreSQL unavailable" in local.stdout
    ci = subprocess.run(cmd, cwd=tmp_path, env={**env, "CI": "true"}, capture_output=True, text=True, timeout=120,
                        check=False)
    assert ci.returncode != 0
    assert "CI is set and PostgreSQL unavailable" in ci.stdout
