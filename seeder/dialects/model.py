"""The shape of a registry entry: :class:`Dialect` (what the DDL reader needs) and :class:`TargetDialect` (what the
sinks, the DDL renderer and the loaders need on top), in the spirit of sqlglot's ``Dialect`` classes and dlt's
destination capabilities.

Code outside ``seeder/dialects/`` never compares a dialect's name to decide behaviour; it reads a field or calls a
method of the entry instead, so adding a dialect means adding one module here. Entries are frozen dataclasses:
``dataclasses.replace(get_dialect("sqlite"), max_statement_bytes=60)`` gives a variant (tests use this).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from sqlglot import exp

from seeder.dialects.rules import DdlRules, LiteralRules, LiveRules, LoaderHooks, ReadRules
from seeder.schema import TableName

#: How a NOT NULL, non-deferrable foreign key on an FK cycle gets suspended for the length of the load:
#: ``drop_not_null``: insert NULL, UPDATE later, with the column's NOT NULL dropped and restored inside the
#: transaction (PostgreSQL, whose DDL is transactional and whose final ``SET NOT NULL`` re-verifies every row);
#: ``foreign_key_checks``: ``SET FOREIGN_KEY_CHECKS = 0`` for the session and insert final values (MySQL);
#: ``defer_foreign_keys``: ``PRAGMA defer_foreign_keys = ON`` so every FK is checked at COMMIT (SQLite).
FkSuspension = Literal["drop_not_null", "foreign_key_checks", "defer_foreign_keys"]


_SEPARATOR = "\x01"


@lru_cache(maxsize=65536)
def _quote(name: str, sqlglot_dialect: str) -> str:
    # sqlglot knows each dialect's quote character and how to escape it inside a quoted name ("" vs ``).
    return exp.to_identifier(name, quoted=True).sql(dialect=sqlglot_dialect)


@dataclass(frozen=True, eq=False, repr=False)
class Dialect:
    """A SQL dialect seeder reads. Get entries with :func:`seeder.dialects.read_dialect`.

    Attributes:
        name: canonical name (``postgres``, ``mysql``, ``sqlite``, ``tsql``, ``oracle``, ``db2``).
        title: the name for messages (``PostgreSQL``, ``MySQL``, ...).
        sqlglot_dialect: the sqlglot dialect that parses and renders it (``""`` is sqlglot's default dialect, used
            for DB2, which sqlglot has no dialect for). ``Schema.dialect`` holds this name.
        aliases: other names users may type (``postgresql``, ``pg``, ``mariadb``, ...), lower case.
        file_prefixes: lower-case prefixes of a DDL file's base name that say it is in this dialect.
        content_clue: a regular expression (case-insensitive, multi-line) whose match in a DDL text says it is in
            this dialect; the registry tries the clues in its order.
        integer_primary_key_is_rowid: a column declared exactly ``INTEGER`` that is a table's only primary key
            column is the table's rowid, numbered automatically (SQLite, except in ``WITHOUT ROWID`` tables).
        read: see :class:`~seeder.dialects.rules.ReadRules`.
    """

    name: str = ""
    title: str = ""
    sqlglot_dialect: str = ""
    aliases: tuple[str, ...] = ()
    file_prefixes: tuple[str, ...] = ()
    content_clue: str | None = None
    integer_primary_key_is_rowid: bool = False
    read: ReadRules = ReadRules()

    #: Whether scripts and loads can target this dialect (only :class:`TargetDialect` entries).
    writable = False

    def __repr__(self) -> str:
        # The entries are registry singletons; their dozens of fields would drown any message or report.
        return f"<{type(self).__name__} dialect {self.name!r}>"


@dataclass(frozen=True, eq=False, repr=False)
class TargetDialect(Dialect):
    """A dialect seeder also writes: scripts, DDL and live loads. Get entries with :func:`seeder.dialects.get_dialect`.

    Attributes (besides :class:`Dialect`'s):
        url_schemes: SQLAlchemy backend name in a database URL -> the ``backend+driver`` name to connect with when
            the URL names no driver (``postgres`` and ``postgresql`` -> ``postgresql+psycopg``).
        max_rows_per_insert: default rows per multi-row ``INSERT`` (and per batched UPDATE).
        max_statement_bytes: soft cap on one statement's size in UTF-8 bytes; batches are cut earlier when rows are
            wide.
        session_settings: statements run before the transaction starts (encoding, string syntax, FK enforcement).
        begin_transaction, commit_transaction: the statements that open and commit a script's one transaction.
        search_path_sql: template (``{schemas}``: quoted schema names) of the statement, right after BEGIN, that puts
            the schemas the DDL file's own ``SET search_path`` named on the path for the transaction (trigger
            functions and defaults resolve unqualified names through it), or ``None``.
        transactional_ddl: whether ``ALTER TABLE`` can run inside the transaction without committing it.
        defer_constraints: template (``{names}``: ``ALL`` or quoted constraint names) of the statement that defers
            ``DEFERRABLE`` constraints to COMMIT, or ``None`` when the dialect cannot (MySQL has no deferral; SQLite
            has no ``SET CONSTRAINTS``).
        check_deferred_now: statement that runs every deferred constraint check at once (or ``None``). PostgreSQL
            refuses ``ALTER TABLE`` on a table with pending deferred trigger events ("cannot ALTER TABLE ... because
            it has pending trigger events"), so the teardown starts with it; a failure then also happens before the
            non-transactional ``setval`` calls.
        fk_suspension: how a NOT NULL, non-deferrable cycle FK is suspended, see :data:`FkSuspension`.
        fk_checks_off, fk_checks_on: statements that switch FK checking off/on for the session (or ``None``).
        defer_all_foreign_keys: statement, right after BEGIN, that defers every FK check to COMMIT (or ``None``).
        disable_triggers_sql, enable_triggers_sql: templates (``{table}``: the qualified table) of the statements
            that switch a table's user triggers off and on inside a script (or ``None``: a script cannot).
        identity_override: clause after the column list needed to write ``GENERATED ALWAYS`` identity columns.
        sequence_reset_sql: template (``{sequence}``: a sequence expression, ``{value}``: the largest key) of the
            statement that moves a sequence past explicitly inserted keys, or ``None`` when the dialect's
            auto-numbering moves by itself.
        serial_sequence_sql: template (``{table}``, ``{column}``: quoted string literals) of the expression naming
            the sequence behind a serial/identity column whose sequence the DDL did not name.
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
        has_arrays: array columns exist (PostgreSQL); elsewhere arrays are written as JSON text.
        copy_from_stdin: ``COPY ... FROM STDIN`` text-format blocks load rows (PostgreSQL's psql and drivers).
        literals, ddl, loader, live: see :class:`~seeder.dialects.rules.LiteralRules`,
            :class:`~seeder.dialects.rules.DdlRules`, :class:`~seeder.dialects.rules.LoaderHooks`,
            :class:`~seeder.dialects.rules.LiveRules`.
    """

    url_schemes: tuple[tuple[str, str], ...] = ()
    max_rows_per_insert: int = 1000
    max_statement_bytes: int = 4 * 1024 * 1024
    session_settings: tuple[str, ...] = ()
    begin_transaction: str = "BEGIN;"
    commit_transaction: str = "COMMIT;"
    search_path_sql: str | None = None
    transactional_ddl: bool = True
    defer_constraints: str | None = None
    check_deferred_now: str | None = None
    fk_suspension: FkSuspension = "defer_foreign_keys"
    fk_checks_off: str | None = None
    fk_checks_on: str | None = None
    defer_all_foreign_keys: str | None = None
    disable_triggers_sql: str | None = None
    enable_triggers_sql: str | None = None
    identity_override: str | None = None
    sequence_reset_sql: str | None = None
    serial_sequence_sql: str | None = None
    null_safe_equals: str = "IS NOT DISTINCT FROM"
    batched_update_from_values: bool = False
    nul_policy: str = "strip"
    run_hint: str = ""
    auto_key_note: str = ""
    schema_qualified: bool = True
    orphan_check: str | None = None
    has_arrays: bool = False
    copy_from_stdin: bool = False
    literals: LiteralRules = LiteralRules()
    ddl: DdlRules = field(default_factory=DdlRules)
    loader: LoaderHooks = LoaderHooks()
    live: LiveRules = LiveRules()

    writable = True

    @property
    def script_disable_triggers(self) -> bool:
        """Whether a plain SQL script can disable user triggers (PostgreSQL ``ALTER TABLE ... DISABLE TRIGGER
        USER``); elsewhere only the loader can, if at all."""
        return self.disable_triggers_sql is not None

    @property
    def can_disable_triggers(self) -> bool:
        """Whether a load can keep user triggers from firing, by script statements or by the loader's own means."""
        return self.disable_triggers_sql is not None or self.loader.trigger_query is not None

    @staticmethod
    def quote_string(text: str) -> str:
        """Return ``text`` as a string literal of this dialect, NULs removed (``seeder.sinks.literals.NUL_POLICY``).

        The base rule is the SQL standard's: ``'...'`` with ``'`` doubled; dialects with other rules override it.
        """
        return "'" + text.replace("\x00", "").replace("'", "''") + "'"

    def quote_strings(self, texts: list[str]) -> list[str]:
        """:meth:`quote_string` of every string of ``texts`` (a list of ``str`` only), in one call.

        Every dialect's quoting is an opening quote, a character-by-character substitution that leaves U+0001
        alone, and a closing quote; so the column joined by U+0001 is quoted once and split again at
        ``'<U+0001>'`` (C-level work instead of a Python call per value). A text holding U+0001 itself takes the
        per-value path. ``tests/test_sinks_fast.py`` checks the equality for every dialect.
        """
        if not texts:
            return []
        joined = _SEPARATOR.join(texts)
        if joined.count(_SEPARATOR) != len(texts) - 1:
            return list(map(self.quote_string, texts))
        return self.quote_string(joined).replace(_SEPARATOR, "'" + _SEPARATOR + "'").split(_SEPARATOR)

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


#: The former name of :class:`TargetDialect` (one entry now holds everything about a dialect).
DialectCapabilities = TargetDialect
