"""The real MySQL schemas seed cleanly into MariaDB, through a script and through ``seeder load``.

For each file of ``../shared/schemas``: a fresh database is created from the same DDL with the ``mariadb`` client
(``tests.engines.retarget_mysql_ddl`` drops the file's own ``CREATE DATABASE``/``USE``), then

* ``seeder generate FILE --rows 20 --seed 1 -o out.sql`` is loaded with the ``mariadb`` client (errors stop it; no
  warnings or notes allowed, so nothing was silently clipped), every planned table holds its planned rows, no FK has
  orphan rows (MariaDB does not re-check rows inserted with ``FOREIGN_KEY_CHECKS = 0``, so the test looks itself),
  the session ends with ``FOREIGN_KEY_CHECKS`` back on, triggers are untouched and AUTO_INCREMENT counters are past
  the inserted keys;
* ``seeder load FILE --db mysql+pymysql://...`` gives the same table contents (``CHECKSUM TABLE``).

Known gaps show up as strict xfails naming the part that must change (see their reasons).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path

import pymysql
import pytest
from click.testing import CliRunner

from seeder import api
from seeder.cli import cli
from seeder.dataset import Dataset
from seeder.errors import LoadError
from seeder.schema import Schema, TableName
from tests.engines import (
    MariaDbServer,
    MysqlError,
    create_mysql_schema,
    mysql_fk_orphans,
    mysql_ident,
    mysql_query,
    planned_rows,
    retarget_mysql_ddl,
    run_mysql,
    schema_path,
)

ROWS = 20
MYSQL_FILES = [
    "chinook/mysql.sql",
    "chinook/mysql_autoincrement.sql",
    "employees/mysql.sql",
    "employees/mysql_partitioned.sql",
    # film_text is filled by the ins_film trigger on film: the plan leaves it to the trigger
    "sakila/mysql.sql",
    "sakila/mysql_mysqlcom.sql",
]
SAKILA_FILES = ["sakila/mysql.sql", "sakila/mysql_mysqlcom.sql"]
#: What the script leaves in the session, appended to it when it runs through the client.
SESSION_PROBE = ("SELECT CONCAT_WS('|', 'session', @@foreign_key_checks + 0, @@unique_checks + 0, @@time_zone, "
                 "@@character_set_client, @@sql_mode);")


# --------------------------------------------------------------------------------------------------------- helpers


def generate_script(ddl: Path, out: Path, *extra: str) -> str:
    result = CliRunner().invoke(cli, ["generate", str(ddl), "--rows", str(ROWS), "--seed", "1", "-o", str(out),
                                      *extra], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


@functools.cache
def schema_of(relative: str) -> Schema:
    """The schema model of a corpus file (read once per session: sqlglot parsing is the slow part)."""
    return api.read_schema(schema_path(relative))


@pytest.fixture(scope="module")
def script_of(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., str]:
    """``script_of(relative, *extra)``: the ``seeder generate`` script of a corpus file, generated once per module."""
    cache: dict[tuple[str, ...], str] = {}
    directory = tmp_path_factory.mktemp("scripts")

    def get(relative: str, *extra: str) -> str:
        key = (relative, *extra)
        if key not in cache:
            cache[key] = generate_script(schema_path(relative), directory / f"{len(cache)}.sql", *extra)
        return cache[key]
    return get


def assert_counts(url: str, expected: dict[TableName, int]) -> None:
    for name, rows in expected.items():
        (count,) = mysql_query(url, f"SELECT count(*) FROM {mysql_ident(name.name)}")[0]
        assert count == rows, f"{name}: {count} rows, expected {rows}"


def triggers(url: str) -> list[tuple]:
    return mysql_query(url, "SELECT trigger_name, event_object_table, action_timing, event_manipulation "
                            "FROM information_schema.triggers WHERE trigger_schema = DATABASE() ORDER BY 1")


def assert_auto_increment_past_keys(url: str, schema: Schema) -> None:
    """Every AUTO_INCREMENT counter is above the largest key inserted (MariaDB's table statistics are exact)."""
    for table in schema.tables:
        for col in table.columns:
            if not col.autoincrement:
                continue
            (top,) = mysql_query(url, f"SELECT max({mysql_ident(col.name)}) FROM {mysql_ident(table.name.name)}")[0]
            if top is None:
                continue
            (counter,) = mysql_query(url, "SELECT auto_increment FROM information_schema.tables WHERE "
                                          f"table_schema = DATABASE() AND table_name = '{table.name.name}'")[0]
            assert counter > top, f"{table.name}.{col.name}: AUTO_INCREMENT {counter} not past {top}"


def session_state(stdout: str) -> list[str]:
    lines = [ln for ln in stdout.splitlines() if ln.startswith("session|")]
    assert lines, stdout[-500:]
    return lines[-1].split("|")[1:]


def no_warnings(stdout: str) -> None:
    """``--show-warnings`` prints ``Warning (Code N): ...`` / ``Note (Code N): ...`` lines for clipped values."""
    found = [ln for ln in stdout.splitlines() if re.match(r"(Warning|Note|Error) \(Code \d+\)", ln)]
    assert not found, found[:5]


def checksums(url: str, schema: Schema) -> dict[str, int]:
    names = ", ".join(mysql_ident(t.name.name) for t in schema.tables)
    return {str(r[0]).split(".")[-1]: r[1] for r in mysql_query(url, f"CHECKSUM TABLE {names}")}


def drop_film_text_trigger(url: str) -> None:
    mysql_query(url, "DROP TRIGGER ins_film")


# ------------------------------------------------------------------------------------------------------- the engine


def test_server_account_and_client_behave_as_documented(mysql_server: MariaDbServer, mysql_url: str) -> None:
    assert mysql_server.host == "127.0.0.1" and mysql_server.version.startswith(("10.", "11."))
    assert mysql_query(mysql_url, "SELECT CURRENT_USER(), @@bind_address, @@character_set_database") == \
        [("seeder@127.0.0.1", "127.0.0.1", "utf8mb4")]
    with pytest.raises(pymysql.err.OperationalError, match="Access denied"):
        mysql_query(mysql_url.replace("s3cr", "wrong"), "SELECT 1")
    with pytest.raises(pymysql.err.OperationalError, match="Access denied"):
        mysql_query(mysql_url, "CREATE DATABASE not_for_seeder")  # rights on seeder_% databases only
    # The client stops at the first error: the statement after the failing one never runs.
    with pytest.raises(MysqlError, match=r"ERROR 1366 .* at line 2"):
        run_mysql(mysql_url, "CREATE TABLE a (x INT);\nINSERT INTO a VALUES ('not a number');\nCREATE TABLE b (y INT);")
    assert mysql_query(mysql_url, "SHOW TABLES") == [("a",)]


def test_retarget_mysql_ddl_keeps_lines_and_drops_the_database_switch() -> None:
    text = schema_path("sakila/mysql.sql").read_text(encoding="utf-8")
    out = retarget_mysql_ddl(text)
    assert out.count("\n") == text.count("\n")
    assert "\nUSE sakila;" not in out and "\nCREATE SCHEMA sakila;" not in out and "sakila." not in out
    assert "FROM film f" in out  # was "FROM sakila.film f" in the actor_info view
    assert retarget_mysql_ddl("CREATE TABLE t (x INT);") == "CREATE TABLE t (x INT);"


# ------------------------------------------------------------------------------------------------------- the files


def test_mysql_script_is_byte_identical_for_one_seed(script_of: Callable[..., str], tmp_path: Path) -> None:
    again = generate_script(schema_path("sakila/mysql.sql"), tmp_path / "again.sql")
    assert script_of("sakila/mysql.sql") == again


@pytest.mark.parametrize("relative", MYSQL_FILES)
def test_mysql_script_loads_with_every_constraint(relative: str, mysql_url: str,
                                                  script_of: Callable[..., str]) -> None:
    create_mysql_schema(mysql_url, relative)
    before = triggers(mysql_url)
    proc = run_mysql(mysql_url, script_of(relative) + "\n" + SESSION_PROBE, show_warnings=True)
    no_warnings(proc.stdout)
    fk_checks, unique_checks, zone, charset, sql_mode = session_state(proc.stdout)
    assert (fk_checks, unique_checks, zone, charset) == ("1", "1", "+00:00", "utf8mb4")
    modes = set(sql_mode.split(","))
    assert {"STRICT_ALL_TABLES", "NO_AUTO_VALUE_ON_ZERO"} <= modes and "NO_BACKSLASH_ESCAPES" not in modes
    schema = schema_of(relative)
    assert_counts(mysql_url, planned_rows(schema, ROWS))
    assert mysql_fk_orphans(mysql_url, schema) == {}
    assert triggers(mysql_url) == before
    assert_auto_increment_past_keys(mysql_url, schema)


@pytest.mark.slow  # generates every file a second time (in seeder load)
@pytest.mark.parametrize("relative", MYSQL_FILES)
def test_mysql_load_command_matches_the_script(relative: str, mysql_server: MariaDbServer, mysql_url: str,
                                               script_of: Callable[..., str]) -> None:
    ddl = schema_path(relative)
    create_mysql_schema(mysql_url, ddl)
    result = CliRunner().invoke(cli, ["load", str(ddl), "--db", mysql_url, "--rows", str(ROWS), "--seed", "1"])
    assert result.exit_code == 0, result.output
    assert "Loaded" in result.output
    schema = schema_of(relative)
    assert_counts(mysql_url, planned_rows(schema, ROWS))
    assert mysql_fk_orphans(mysql_url, schema) == {}
    assert_auto_increment_past_keys(mysql_url, schema)
    # The same rows as the script: load the script into a second database and compare table checksums.
    other = mysql_server.create_database(prefix="script")
    try:
        other_url = mysql_server.url(other)
        create_mysql_schema(other_url, ddl)
        run_mysql(other_url, script_of(relative))
        assert checksums(mysql_url, schema) == checksums(other_url, schema)
    finally:
        mysql_server.drop_database(other)


@pytest.mark.parametrize("relative", SAKILA_FILES)
def test_sakila_without_its_film_text_trigger(relative: str, mysql_url: str, script_of: Callable[..., str]) -> None:
    """Everything else sakila has: the store <-> staff NOT NULL cycle, ENUM + SET, UNSIGNED keys, BLOB, YEAR."""
    create_mysql_schema(mysql_url, relative)
    drop_film_text_trigger(mysql_url)
    script = script_of(relative)
    off, on = script.index("SET FOREIGN_KEY_CHECKS = 0;"), script.index("SET FOREIGN_KEY_CHECKS = 1;")
    # Checks are off only around store, the cycle-break table; staff (inserted later) is checked by the server.
    assert script.index("START TRANSACTION;") < off < script.index("INSERT INTO `store`") < on
    assert on < script.index("INSERT INTO `staff`") < script.index("COMMIT;")
    assert "orphan rows in store.manager_staff_id" in script
    proc = run_mysql(mysql_url, script + "\n" + SESSION_PROBE, show_warnings=True)
    no_warnings(proc.stdout)
    assert session_state(proc.stdout)[:2] == ["1", "1"]
    schema = schema_of(relative)
    assert_counts(mysql_url, planned_rows(schema, ROWS))
    assert mysql_fk_orphans(mysql_url, schema) == {}
    # Every store's manager is an existing staff row: the NOT NULL cycle closed with real keys.
    (managers,) = mysql_query(mysql_url, "SELECT count(*) FROM store s JOIN staff m ON m.staff_id = "
                                         "s.manager_staff_id")[0]
    assert managers == ROWS
    ratings = {r[0] for r in mysql_query(mysql_url, "SELECT rating FROM film WHERE rating IS NOT NULL")}
    assert ratings <= {"G", "PG", "PG-13", "R", "NC-17"} and ratings
    labels = {"Trailers", "Commentaries", "Deleted Scenes", "Behind the Scenes"}
    for (features,) in mysql_query(mysql_url, "SELECT special_features FROM film WHERE special_features <> ''"):
        assert set(features.split(",")) <= labels
    assert_auto_increment_past_keys(mysql_url, schema)


@pytest.mark.slow
@pytest.mark.parametrize("relative", SAKILA_FILES)
def test_sakila_load_command_without_its_film_text_trigger(relative: str, mysql_url: str) -> None:
    ddl = schema_path(relative)
    create_mysql_schema(mysql_url, ddl)
    drop_film_text_trigger(mysql_url)
    result = CliRunner().invoke(cli, ["load", str(ddl), "--db", mysql_url, "--rows", str(ROWS), "--seed", "1"])
    assert result.exit_code == 0, result.output
    schema = schema_of(relative)
    assert_counts(mysql_url, planned_rows(schema, ROWS))
    assert mysql_fk_orphans(mysql_url, schema) == {}
    assert mysql_query(mysql_url, "SELECT @@GLOBAL.foreign_key_checks") == [(1,)]


def test_auto_increment_continues_after_the_load(mysql_url: str) -> None:
    ddl = schema_path("chinook/mysql_autoincrement.sql")
    create_mysql_schema(mysql_url, ddl)
    result = CliRunner().invoke(cli, ["load", str(ddl), "--db", mysql_url, "--rows", str(ROWS), "--seed", "1"])
    assert result.exit_code == 0, result.output
    (top,) = mysql_query(mysql_url, "SELECT max(ArtistId) FROM Artist")[0]
    conn_rows = mysql_query(mysql_url, "INSERT INTO Artist (Name) VALUES ('after the load') RETURNING ArtistId")
    assert conn_rows == [(top + 1,)]


# ------------------------------------------------------------------------------------------------ all or nothing


def _signal_on_insert(url: str, table: str, message: str) -> None:
    mysql_query(url, f"CREATE TRIGGER seeder_test_refuse BEFORE INSERT ON {mysql_ident(table)} FOR EACH ROW "
                     f"SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '{message}'")


def _all_empty(url: str, schema: Schema) -> dict[str, int]:
    counts = {}
    for t in schema.tables:
        (n,) = mysql_query(url, f"SELECT count(*) FROM {mysql_ident(t.name.name)}")[0]
        counts[t.name.name] = n
    return {k: v for k, v in counts.items() if v}


def test_load_failure_in_a_late_table_leaves_nothing_behind(mysql_url: str) -> None:
    ddl = schema_path("chinook/mysql.sql")
    create_mysql_schema(mysql_url, ddl)
    schema = schema_of("chinook/mysql.sql")
    last = api.build_plan(schema, ROWS).order[-1]
    _signal_on_insert(mysql_url, last.name, "seeder test: no rows here")
    result = CliRunner().invoke(cli, ["load", str(ddl), "--db", mysql_url, "--rows", str(ROWS), "--seed", "1"])
    assert result.exit_code == 1
    assert "seeder test: no rows here" in result.output and f"table {last.name}, row 1" in result.output
    assert "s3cr" not in result.output  # the password never shows
    assert _all_empty(mysql_url, schema) == {}


def test_script_failure_in_a_late_table_leaves_nothing_behind(mysql_url: str,
                                                              script_of: Callable[..., str]) -> None:
    create_mysql_schema(mysql_url, "chinook/mysql.sql")
    schema = schema_of("chinook/mysql.sql")
    last = api.build_plan(schema, ROWS).order[-1]
    _signal_on_insert(mysql_url, last.name, "seeder test: no rows here")
    with pytest.raises(MysqlError, match="seeder test: no rows here"):
        run_mysql(mysql_url, script_of("chinook/mysql.sql"))
    assert _all_empty(mysql_url, schema) == {}


def _sakila_dataset_with_orphan_manager(relative: str) -> tuple[Schema, Dataset]:
    schema = schema_of(relative)
    data = api.generate(schema, api.build_plan(schema, ROWS), seed=1)
    store = data.table_data(TableName(None, "store"))
    store.column_values("manager_staff_id")[3] = 250  # no staff row has this key
    return schema, data


def test_orphans_of_the_unchecked_cycle_table_fail_the_load(mysql_url: str) -> None:
    create_mysql_schema(mysql_url, "sakila/mysql.sql")
    drop_film_text_trigger(mysql_url)
    schema, data = _sakila_dataset_with_orphan_manager("sakila/mysql.sql")
    with pytest.raises(LoadError, match=r"1 orphan rows in store\.manager_staff_id") as err:
        api.load(data, mysql_url)
    assert "foreign-key check of table store" in str(err.value) and "rolled back" in str(err.value)
    assert _all_empty(mysql_url, schema) == {}


def test_orphans_of_the_unchecked_cycle_table_fail_the_script(mysql_url: str, tmp_path: Path) -> None:
    create_mysql_schema(mysql_url, "sakila/mysql.sql")
    drop_film_text_trigger(mysql_url)
    schema, data = _sakila_dataset_with_orphan_manager("sakila/mysql.sql")
    out = tmp_path / "out.sql"
    with out.open("w", encoding="utf-8") as f:
        api.write_sql(data, f, "mysql")
    with pytest.raises(MysqlError, match=r"Unknown or incorrect time zone: '1 orphan rows in store\.manager_staff"):
        run_mysql(mysql_url, out)
    assert _all_empty(mysql_url, schema) == {}


def test_create_schema_runs_the_ddl_in_the_url_database(mysql_url: str) -> None:
    """``--create-schema`` with employees' DDL: its DROP/CREATE DATABASE and USE are skipped, not run."""
    ddl = schema_path("employees/mysql.sql")
    result = CliRunner().invoke(cli, ["load", str(ddl), "--db", mysql_url, "--rows", str(ROWS), "--seed", "1",
                                      "--create-schema"])
    assert result.exit_code == 0, result.output
    assert "USE employees" in result.output and "skipped" in result.output
    assert_counts(mysql_url, planned_rows(schema_of("employees/mysql.sql"), ROWS))
    assert mysql_query(mysql_url, "SELECT count(*) FROM information_schema.schemata WHERE schema_name = "
                                  "'employees'") == [(0,)]


TRIGGER_DDL = """
CREATE TABLE account (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(40) NOT NULL
) ENGINE=InnoDB;
DELIMITER ;;
CREATE TRIGGER account_shout BEFORE INSERT ON account FOR EACH ROW BEGIN
  SET NEW.name = UPPER(NEW.name);
END;;
DELIMITER ;
"""


def test_create_schema_understands_delimiter_blocks(mysql_url: str, tmp_path: Path) -> None:
    ddl = tmp_path / "schema.sql"
    ddl.write_text(TRIGGER_DDL, encoding="utf-8")
    result = CliRunner().invoke(cli, ["load", str(ddl), "--dialect", "mysql", "--db", mysql_url, "--rows", "5",
                                      "--seed", "1", "--create-schema"])
    assert result.exit_code == 0, result.output
    assert [r[0] for r in triggers(mysql_url)] == ["account_shout"]
    (shouted,) = mysql_query(mysql_url, "SELECT count(*) FROM account WHERE BINARY name = BINARY UPPER(name)")[0]
    assert shouted == 5  # the trigger fired for every row


# ------------------------------------------------------------------------------------------------ other sources


def names_mysql_cannot_find(url: str, source: Schema, target: Schema) -> list[str]:
    """Tables and columns of ``source`` that the server at ``url`` would not find among ``target``'s.

    Compared the way MySQL/MariaDB resolve names (MySQL manual, "Identifier Case Sensitivity"): column names are
    never case-sensitive; table and database names are case-sensitive (they are file names) unless the server's
    ``lower_case_table_names`` is 1 or 2. A table's schema is the database a MySQL script names it in.
    """
    (fold_tables,) = mysql_query(url, "SELECT @@lower_case_table_names")[0]

    def table_key(name: TableName) -> str:
        qualified = str(name)
        return qualified.lower() if fold_tables else qualified

    columns = {table_key(t.name): {c.name.lower() for c in t.columns} for t in target.tables}
    missing: list[str] = []
    for t in source.tables:
        found = columns.get(table_key(t.name))
        if found is None:
            missing.append(str(t.name))
        else:
            missing += [f"{t.name.name}.{c.name}" for c in t.columns if c.name.lower() not in found]
    return missing


@pytest.mark.slow
# Not here: chinook/postgres.sql, whose snake_case names (invoice_line.invoice_line_id) no MySQL name rule maps to
# chinook/mysql.sql's PascalCase (InvoiceLine.InvoiceLineId), and chinook/tsql.sql, whose tables live in schema dbo
# (a MySQL script writes `dbo`.`Album`, another database). Their scripts can never load there.
@pytest.mark.parametrize("source", ["chinook/sqlite.sql", "chinook/db2.sql"])
def test_other_dialect_rendered_for_mysql(source: str, mysql_url: str, script_of: Callable[..., str]) -> None:
    """``generate SOURCE --to mysql`` loads into a database made from chinook/mysql.sql (the names match)."""
    src_schema, target_schema = schema_of(source), schema_of("chinook/mysql.sql")
    assert names_mysql_cannot_find(mysql_url, src_schema, target_schema) == []
    create_mysql_schema(mysql_url, "chinook/mysql.sql")
    run_mysql(mysql_url, script_of(source, "--to", "mysql"))
    assert_counts(mysql_url, planned_rows(src_schema, ROWS))
    assert mysql_fk_orphans(mysql_url, target_schema) == {}


def test_mysql_name_rules_rule_out_the_other_chinook_files(mysql_url: str) -> None:
    """Why chinook/postgres.sql and chinook/tsql.sql are not sources above: MySQL would not find their names."""
    target = schema_of("chinook/mysql.sql")
    assert "invoice_line" in names_mysql_cannot_find(mysql_url, schema_of("chinook/postgres.sql"), target)
    assert "dbo.Album" in names_mysql_cannot_find(mysql_url, schema_of("chinook/tsql.sql"), target)
    # Oracle's upper-case names: columns would resolve (never case-sensitive), tables not (case-sensitive here).
    assert "ALBUM" in names_mysql_cannot_find(mysql_url, schema_of("chinook/oracle.sql"), target)


# ------------------------------------------------------------------------------------------------ generator gaps


PARTITIONED_DDL = """
CREATE TABLE events (
  id INT NOT NULL,
  yr INT NOT NULL,
  PRIMARY KEY (id, yr)
) ENGINE=InnoDB PARTITION BY RANGE (yr) (PARTITION p0 VALUES LESS THAN (1990), PARTITION p1 VALUES LESS THAN (2000));
CREATE TABLE regions (
  id INT NOT NULL,
  region INT NOT NULL,
  PRIMARY KEY (id, region)
) ENGINE=InnoDB PARTITION BY LIST (region) (PARTITION pa VALUES IN (1, 3, 5), PARTITION pb VALUES IN (2, 4));
"""

RANGE_COLUMNS_DDL = """
CREATE TABLE salaries (
  emp_no INT NOT NULL,
  salary INT NOT NULL,
  from_date DATE NOT NULL,
  PRIMARY KEY (emp_no, from_date)
) ENGINE=InnoDB PARTITION BY RANGE COLUMNS (from_date) (
  PARTITION p01 VALUES LESS THAN ('1985-12-31'),
  PARTITION p02 VALUES LESS THAN ('1986-12-31')
);
"""

TIMESTAMP_DDL = """
CREATE TABLE person (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  birth_date TIMESTAMP NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB;
"""

TINY_KEY_DDL = """
CREATE TABLE category (
  category_id TINYINT UNSIGNED NOT NULL AUTO_INCREMENT,
  name VARCHAR(25) NOT NULL,
  PRIMARY KEY (category_id)
) ENGINE=InnoDB;
"""


def _seed_inline(ddl_text: str, url: str, tmp_path: Path, rows: int = ROWS) -> Schema:
    ddl = tmp_path / "schema.sql"
    ddl.write_text(ddl_text, encoding="utf-8")
    run_mysql(url, ddl_text)
    out = tmp_path / "out.sql"
    result = CliRunner().invoke(cli, ["generate", str(ddl), "--dialect", "mysql", "--rows", str(rows), "--seed", "1",
                                      "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    run_mysql(url, out)
    return api.read_schema(ddl, "mysql")


def test_range_and_list_partition_bounds_are_respected(mysql_url: str, tmp_path: Path) -> None:
    schema = _seed_inline(PARTITIONED_DDL, mysql_url, tmp_path)
    assert_counts(mysql_url, planned_rows(schema, ROWS))


@pytest.mark.xfail(strict=True, raises=MysqlError,
                   reason="reader ignores MySQL PARTITION BY RANGE COLUMNS (Partitioning is None), so from_date is "
                          "drawn outside the partitions: 'Table has no partition for value from column_list'")
def test_range_columns_partition_bounds_are_respected(mysql_url: str, tmp_path: Path) -> None:
    schema = _seed_inline(RANGE_COLUMNS_DDL, mysql_url, tmp_path)
    assert_counts(mysql_url, planned_rows(schema, ROWS))


def test_timestamp_values_fit_the_mysql_timestamp_range(mysql_url: str, tmp_path: Path) -> None:
    _seed_inline(TIMESTAMP_DDL, mysql_url, tmp_path, rows=50)


def test_tinyint_unsigned_auto_increment_key_holds_256_rows(mysql_url: str, tmp_path: Path) -> None:
    """0..255: the key 0 goes in as 0 (NO_AUTO_VALUE_ON_ZERO), not as 'the next AUTO_INCREMENT number'."""
    _seed_inline(TINY_KEY_DDL, mysql_url, tmp_path, rows=300)
    assert mysql_query(mysql_url, "SELECT count(*), min(category_id), max(category_id) FROM category") == \
        [(256, 0, 255)]
