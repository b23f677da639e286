"""What each target dialect can do, in one place (in the spirit of dlt's destination capabilities).

Sinks and loaders never test ``dialect == "postgres"`` for behaviour; they read a field of
:class:`DialectCapabilities` instead, so adding a dialect means adding one entry here.

Sources of the facts below (checked against PostgreSQL 15, MariaDB 10.11 / MySQL 8 docs and SQLite 3.40):

* PostgreSQL: DDL is transactional; ``SET CONSTRAINTS`` only affects ``DEFERRABLE`` constraints; identity
  ``GENERATED ALWAYS`` columns reject explicit values unless ``INSERT ... OVERRIDING SYSTEM VALUE``; explicit values
  for serial/identity columns do not advance their sequence (``setval`` is needed); ``ALTER TABLE ... DISABLE TRIGGER
  USER`` leaves the internal FK triggers alone; text can never hold ``U+0000``.
* MySQL/MariaDB: DDL commits implicitly (so it is never used inside the script); ``SET FOREIGN_KEY_CHECKS = 0`` is
  the only way to suspend a foreign key, and rows inserted meanwhile are never checked later, not even when the
  checks come back on (MySQL manual, "foreign_key_checks"); ``AUTO_INCREMENT`` counters move past explicitly inserted
  values by themselves, but an explicit ``0`` means "next number" unless ``sql_mode`` has ``NO_AUTO_VALUE_ON_ZERO``
  (what mysqldump sets too); without a ``STRICT_*`` mode out-of-range or overlong values are silently clipped (with a
  warning) instead of failing; ``max_allowed_packet`` defaults to 16 MiB on MariaDB 10.11 (64 MiB on MySQL 8), so
  statements stay far below it. Checked on MariaDB 10.11.
* SQLite: ``PRAGMA defer_foreign_keys = ON`` postpones every FK check to ``COMMIT`` and resets at the end of the
  transaction; ``PRAGMA foreign_keys`` is a no-op inside a transaction, so it is a session setting before ``BEGIN``;
  since 3.8.8 a multi-row ``VALUES`` is not limited by ``SQLITE_MAX_COMPOUND_SELECT`` (500), but we stay at 500 rows
  for older libraries; ``AUTOINCREMENT`` tables record explicit rowids in ``sqlite_sequence``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from sqlglot import exp

from seeder.errors import ConfigError
from seeder.schema import TableName

#: How a NOT NULL, non-deferrable foreign key on an FK cycle gets suspended for the length of the load:
#: ``drop_not_null``: insert NULL, UPDATE later, with the column's NOT NULL dropped and restored inside the
#: transaction (PostgreSQL, whose DDL is transactional and whose final ``SET NOT NULL`` re-verifies every row);
#: ``foreign_key_checks``: ``SET FOREIGN_KEY_CHECKS = 0`` for the session and insert final values (MySQL);
#: ``defer_foreign_keys``: ``PRAGMA defer_foreign_keys = ON`` so every FK is checked at COMMIT (SQLite).
FkSuspension = Literal["drop_not_null", "foreign_key_checks", "defer_foreign_keys"]


@lru_cache(maxsize=65536)
def _quote(name: str, sqlglot_dialect: str) -> str:
    # sqlglot knows each dialect's quote character and how to escape it inside a quoted name ("" vs ``).
    return exp.to_identifier(name, quoted=True).sql(dialect=sqlglot_dialect)


@dataclass(frozen=True)
class DialectCapabilities:
    """Capabilities and fixed SQL texts of one target dialect. Get instances with :func:`get_dialect`.

    Attributes:
        name: canonical name: ``postgres``, ``mysql`` or ``sqlite``.
        sqlglot_dialect: the sqlglot dialect used for quoting identifiers.
        max_rows_per_insert: default rows per multi-row ``INSERT`` (and per batched UPDATE).
        max_statement_bytes: soft cap on one statement's size; batches are cut earlier when rows are wide.
        session_settings: statements run before the transaction starts (encoding, string syntax, FK enforcement).
        begin_transaction, commit_transaction: the statements that open and commit the one transaction.
        transactional_ddl: whether ``ALTER TABLE`` can run inside the transaction without committing it.
        deferrable_constraints: whether ``SET CONSTRAINTS <name> DEFERRED`` works for ``DEFERRABLE`` FKs.
        check_deferred_now: statement that runs every deferred constraint check at once (or ``None``). PostgreSQL
            refuses ``ALTER TABLE`` on a table with pending deferred trigger events ("cannot ALTER TABLE ... because
            it has pending trigger events"), so the teardown starts with it; a failure then also happens before the
            non-transactional ``setval`` calls.
        fk_suspension: how a NOT NULL, non-deferrable cycle FK is suspended, see :data:`FkSuspension`.
        fk_checks_off, fk_checks_on: statements that switch FK checking off/on for the session (or ``None``).
        defer_all_foreign_keys: statement, right after BEGIN, that defers every FK check to COMMIT (or ``None``).
        script_disable_triggers: whether a plain SQL script can disable user triggers (PostgreSQL
            ``ALTER TABLE ... DISABLE TRIGGER USER``); elsewhere only the loader can.
        identity_override: clause after the column list needed to write ``GENERATED ALWAYS`` identity columns.
        needs_sequence_reset: whether explicit key values leave the column's sequence behind (``setval`` needed).
        null_safe_equals: the operator that compares two values treating NULL = NULL as true.
        batched_update_from_values: whether cycle-break UPDATEs use ``UPDATE ... FROM (VALUES ...)``.
        nul_policy: what happens to U+0000 in text: always ``"strip"`` (see ``seeder.sinks.literals.NUL_POLICY``).
        run_hint: how to run a generated script with the dialect's command-line client so it stops at the first
            error.
        auto_key_note: one line explaining what happens to auto-numbering after explicit key inserts.
        schema_qualified: whether :meth:`qualify` writes a table's schema. SQLite has no schemas (its qualifiers
            name attached database files, which a script cannot assume), so names are written unqualified there.
        orphan_check: for ``fk_suspension == "foreign_key_checks"``: a statement template that fails when rows
            inserted with checks off reference no parent row (the server never re-checks them), or ``None``.
            Placeholders: ``{count}`` (``SELECT count(*) AS n FROM ...`` of such rows) and ``{message}`` (a quoted
            string literal such as ``' orphan rows in store.manager_staff_id'``, appended to the count; MySQL cuts
            the error text after 64 characters).
    """

    name: str
    sqlglot_dialect: str
    max_rows_per_insert: int
    max_statement_bytes: int
    session_settings: tuple[str, ...]
    begin_transaction: str
    commit_transaction: str
    transactional_ddl: bool
    deferrable_constraints: bool
    check_deferred_now: str | None
    fk_suspension: FkSuspension
    fk_checks_off: str | None
    fk_checks_on: str | None
    defer_all_foreign_keys: str | None
    script_disable_triggers: bool
    identity_override: str | None
    needs_sequence_reset: bool
    null_safe_equals: str
    batched_update_from_values: bool
    nul_policy: str
    run_hint: str
    auto_key_note: str
    schema_qualified: bool = True
    orphan_check: str | None = None

    def quote_identifier(self, name: str) -> str:
        """Return ``name`` as an always-quoted identifier of this dialect (``"a""b"``, ```a``b```)."""
        return _quote(name, self.sqlglot_dialect)

    def qualify(self, table: TableName) -> str:
        """Return the quoted, schema-qualified name of ``table`` (``"public"."actor"``; no schema: ``"actor"``).

        Dialects with ``schema_qualified=False`` (SQLite) always get the bare quoted table name.
        """
        if table.schema and self.schema_qualified:
            return f"{_quote(table.schema, self.sqlglot_dialect)}.{_quote(table.name, self.sqlglot_dialect)}"
        return _quote(table.name, self.sqlglot_dialect)


_POSTGRES = DialectCapabilities(
    name="postgres",
    sqlglot_dialect="postgres",
    max_rows_per_insert=1000,
    max_statement_bytes=4 * 1024 * 1024,
    # standard_conforming_strings makes backslashes in '...' literal, which the literal encoders rely on.
    session_settings=("SET standard_conforming_strings = on;", "SET client_encoding = 'UTF8';"),
    begin_transaction="BEGIN;",
    commit_transaction="COMMIT;",
    transactional_ddl=True,
    deferrable_constraints=True,
    check_deferred_now="SET CONSTRAINTS ALL IMMEDIATE;",
    fk_suspension="drop_not_null",
    fk_checks_off=None,
    fk_checks_on=None,
    defer_all_foreign_keys=None,
    script_disable_triggers=True,
    identity_override="OVERRIDING SYSTEM VALUE",
    needs_sequence_reset=True,
    null_safe_equals="IS NOT DISTINCT FROM",
    batched_update_from_values=True,
    nul_policy="strip",
    run_hint="psql -v ON_ERROR_STOP=1 -f out.sql [connection options]",
    auto_key_note="serial/identity sequences are moved past the inserted keys with setval() at the end",
)

#: The session time zone of MySQL scripts: timestamps are written as UTC wall-clock values and TIMESTAMP columns
#: convert from the session zone.
_MYSQL_TIME_ZONE = "+00:00"

_MYSQL = DialectCapabilities(
    name="mysql",
    sqlglot_dialect="mysql",
    max_rows_per_insert=1000,
    max_statement_bytes=4 * 1024 * 1024,
    session_settings=(
        "SET NAMES utf8mb4;",
        # The string encoder escapes with backslashes, which is only right while NO_BACKSLASH_ESCAPES is off (the
        # default), and MariaDB's EMPTY_STRING_IS_NULL would turn '' into NULL: remove both from this session's
        # sql_mode wherever they sit in the list. Add NO_AUTO_VALUE_ON_ZERO (an explicit 0 key is stored as 0, not
        # replaced by the next AUTO_INCREMENT number) and STRICT_ALL_TABLES (a value the column cannot hold is an
        # error, never silently clipped).
        "SET SESSION sql_mode = CONCAT_WS(',', NULLIF(TRIM(BOTH ',' FROM REPLACE(REPLACE(CONCAT(',', "
        "@@SESSION.sql_mode, ','), ',NO_BACKSLASH_ESCAPES,', ','), ',EMPTY_STRING_IS_NULL,', ',')), ''), "
        "'NO_AUTO_VALUE_ON_ZERO', 'STRICT_ALL_TABLES');",
        f"SET time_zone = '{_MYSQL_TIME_ZONE}';",
        # A session (or a schema script run in it) may have switched them off; the load relies on both.
        "SET foreign_key_checks = 1, unique_checks = 1;",
    ),
    begin_transaction="START TRANSACTION;",
    commit_transaction="COMMIT;",
    transactional_ddl=False,
    deferrable_constraints=False,
    check_deferred_now=None,
    fk_suspension="foreign_key_checks",
    fk_checks_off="SET FOREIGN_KEY_CHECKS = 0;",
    fk_checks_on="SET FOREIGN_KEY_CHECKS = 1;",
    defer_all_foreign_keys=None,
    script_disable_triggers=False,
    identity_override=None,
    needs_sequence_reset=False,
    null_safe_equals="<=>",
    batched_update_from_values=False,
    nul_policy="strip",
    run_hint="mysql --default-character-set=utf8mb4 [connection options] dbname < out.sql",
    auto_key_note="AUTO_INCREMENT counters move past explicitly inserted keys by themselves",
    # MySQL has no RAISE outside stored programs. Setting time_zone to the message makes the server fail with
    # "Unknown or incorrect time zone: '<message>'" (error 1298); with no orphan rows it sets the session's own zone.
    orphan_check=f"SET time_zone = (SELECT IF(n = 0, '{_MYSQL_TIME_ZONE}', CONCAT(n, {{message}})) FROM ({{count}}) "
                 "AS orphans);",
)

_SQLITE = DialectCapabilities(
    name="sqlite",
    sqlglot_dialect="sqlite",
    max_rows_per_insert=500,
    max_statement_bytes=4 * 1024 * 1024,
    # Without this SQLite ignores foreign keys entirely; it must run outside a transaction to take effect.
    session_settings=("PRAGMA foreign_keys = ON;",),
    begin_transaction="BEGIN;",
    commit_transaction="COMMIT;",
    transactional_ddl=True,
    deferrable_constraints=False,
    check_deferred_now=None,
    fk_suspension="defer_foreign_keys",
    fk_checks_off=None,
    fk_checks_on=None,
    defer_all_foreign_keys="PRAGMA defer_foreign_keys = ON;",
    script_disable_triggers=False,
    identity_override=None,
    needs_sequence_reset=False,
    null_safe_equals="IS",
    batched_update_from_values=False,
    nul_policy="strip",
    run_hint="sqlite3 -bail database.db < out.sql",
    auto_key_note="INTEGER PRIMARY KEY / AUTOINCREMENT numbering continues after the largest inserted rowid by itself",
    schema_qualified=False,
)

_CANONICAL: dict[str, DialectCapabilities] = {d.name: d for d in (_POSTGRES, _MYSQL, _SQLITE)}
_ALIASES: dict[str, str] = {
    "postgres": "postgres", "postgresql": "postgres", "pg": "postgres",
    "mysql": "mysql", "mariadb": "mysql",
    "sqlite": "sqlite", "sqlite3": "sqlite",
}


def dialect_names() -> tuple[str, ...]:
    """The canonical target dialect names, sorted: ``('mysql', 'postgres', 'sqlite')``."""
    return tuple(sorted(_CANONICAL))


def get_dialect(name: str | DialectCapabilities) -> DialectCapabilities:
    """Return the capabilities of target dialect ``name``.

    Args:
        name: ``postgres``/``postgresql``/``pg``, ``mysql``/``mariadb`` or ``sqlite``/``sqlite3`` (any case,
            surrounding blanks ignored); a :class:`DialectCapabilities` is returned unchanged.

    Raises:
        ConfigError: for any other name; the message suggests the closest valid name.
    """
    if isinstance(name, DialectCapabilities):
        return name
    key = str(name).strip().lower()
    canonical = _ALIASES.get(key)
    if canonical is None:
        valid = sorted(_ALIASES)
        close = difflib.get_close_matches(key, valid, n=1, cutoff=0.0)
        hint = f"did you mean '{_ALIASES[close[0]]}'? " if close else ""
        raise ConfigError(
            f"unknown target dialect '{name}': {hint}valid dialects are {', '.join(dialect_names())}"
        )
    return _CANONICAL[canonical]
