"""The groups of facts a dialect entry holds, one frozen dataclass per concern.

A :class:`~seeder.dialects.model.Dialect` carries :class:`ReadRules` (how its DDL is split, folded, matched and typed);
a :class:`~seeder.dialects.model.TargetDialect` adds :class:`LiteralRules` (how values are written as literals),
:class:`DdlRules` (how the schema model is written as its DDL) and :class:`LoaderHooks` (how a live load talks to its
driver). The values, and the sources they come from, are in the dialect modules (``seeder/dialects/postgres.py``, ...).
Every field has the neutral default, so a dialect names only what is special about it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlglot import exp


@dataclass(frozen=True)
class TypeRules:
    """How a dialect's type spellings read differently from sqlglot's generic reading of them.

    Attributes:
        boolean_types: sqlglot ``DataType.Type`` member names, each with the exact parameters it needs (``None``: any),
            that declare a boolean column: MySQL ``TINYINT(1)``, T-SQL ``BIT``.
        naive_timestamptz: a type sqlglot reads as ``TIMESTAMPTZ`` holds naive date-times (MySQL ``TIMESTAMP``).
        length_one_when_unsized: member names whose missing length means length 1 (``CHAR``, ``BIT``).
        decimal_default: ``(precision, scale)`` of a ``DECIMAL`` written without them, if the dialect fixes one.
        float_single_max_bits: ``FLOAT(n)`` with ``n`` up to this many bits is single precision; above it, or
            without ``n``, a double. ``None``: sqlglot's reading stands.
        number_is_integer: ``NUMBER(p)`` / ``NUMBER(p, 0)`` hold integers of up to ``p`` digits (Oracle).
        date_has_time: ``DATE`` holds a time of day too (Oracle), so it is a timestamp.
        ranges: value ranges of types whose range is this dialect's own: pairs of a lower-case type name and
            ``(low, high)``, inclusive (MySQL ``TINYINT`` -128..127, SQL Server ``tinyint`` 0..255, MySQL
            ``TIMESTAMP``). Read by :mod:`seeder.types`; names missing here take the range every dialect shares
            (:data:`seeder.types.SHARED_RANGES`).
    """

    boolean_types: tuple[tuple[str, tuple[int, ...] | None], ...] = ()
    naive_timestamptz: bool = False
    length_one_when_unsized: frozenset[str] = frozenset()
    decimal_default: tuple[int, int] | None = None
    float_single_max_bits: int | None = None
    number_is_integer: bool = False
    date_has_time: bool = False
    ranges: tuple[tuple[str, tuple[Any, Any]], ...] = ()


@dataclass(frozen=True)
class ReadRules:
    """How a dialect's DDL scripts are split into statements, how names are stored and matched, and how types read.

    Attributes:
        fold: how unquoted identifiers are stored: ``"lower"``, ``"upper"`` or ``None`` (as written).
        case_insensitive: references (``REFERENCES city``) match declared names ignoring case.
        default_schema: the schema unqualified names live in, tried when resolving references.
        dollar_quotes: ``$tag$ ... $tag$`` strings (PostgreSQL function bodies).
        backslash_escapes: ``\\'`` escapes a quote inside '...' and "..." strings.
        hash_comments: ``#`` starts a comment running to the end of the line.
        nested_comments: ``/* /* */ */`` nests.
        delimiter_command: the client ``DELIMITER xx`` command changes the statement terminator.
        batch_separator: a word that, alone on a line, ends the current statement (T-SQL ``GO``, SQL*Plus ``/``).
        block_heads: a regular expression; a statement starting with it ends only at the batch separator
            (semicolons inside it do not split): T-SQL procedures/views, Oracle PL/SQL blocks.
        implicit_statements: a new ``CREATE``/``ALTER``/``DROP TABLE``-like statement at the start of a line, outside
            parentheses, ends the previous one even without a terminator (T-SQL batches).
        sqlplus_commands: lines starting with a SQL*Plus command (``REM``, ``PROMPT``, ``SET``, ``@file``, ...)
            between statements are client commands, skipped.
        trigger_blocks: ``CREATE TRIGGER ... BEGIN ...; END;`` bodies are kept whole without a DELIMITER.
        meta_commands: lines starting with a backslash are client commands (psql ``\\connect``), skipped.
        backtick_identifiers: ```name``` quotes an identifier (MySQL, SQLite).
        bracket_identifiers: ``[name]`` quotes an identifier (SQLite, T-SQL).
        untyped_columns: a column may be declared without a type (SQLite); it then takes any value.
        loose_column_types: columns hold values of any type (SQLite's type affinity), so a foreign key between
            columns of different declared types is not an error.
        identity_is_autoincrement: ``IDENTITY(seed, step)`` numbers the column like an auto-increment key rather
            than a SQL-standard identity column (T-SQL).
        json_by_is_json_check: a text or binary column with ``CHECK (col IS JSON)`` (Oracle) or ``CHECK
            (JSON_VALID(col))`` (SQLite, MySQL/MariaDB) holds JSON documents.
        underscore_arrays: a type named ``_<element>`` is the array of ``<element>`` (PostgreSQL's internal array
            type names, ``_int4``, as ``pg_dump`` and catalog-driven tools write them).
        types: see :class:`TypeRules`.
    """

    fold: Literal["lower", "upper"] | None = None
    case_insensitive: bool = False
    default_schema: str | None = None
    dollar_quotes: bool = False
    backslash_escapes: bool = False
    hash_comments: bool = False
    nested_comments: bool = False
    delimiter_command: bool = False
    batch_separator: str | None = None
    block_heads: str | None = None
    implicit_statements: bool = False
    sqlplus_commands: bool = False
    trigger_blocks: bool = False
    meta_commands: bool = False
    backtick_identifiers: bool = False
    bracket_identifiers: bool = False
    untyped_columns: bool = False
    loose_column_types: bool = False
    identity_is_autoincrement: bool = False
    json_by_is_json_check: bool = False
    underscore_arrays: bool = False
    types: TypeRules = TypeRules()


#: How an interval value is written: ``days_seconds``, PostgreSQL's interval input (``'3 days 5.000000 seconds'``);
#: ``time``, ``TIME`` text (``'77:00:05'``: MySQL has no interval type); ``iso8601``, a duration (``'P3DT5S'``).
IntervalStyle = Literal["days_seconds", "time", "iso8601"]


@dataclass(frozen=True)
class LiteralRules:
    """How values are written as SQL literals of a target dialect (used by :mod:`seeder.sinks.literals`).

    String literals themselves are quoted by the dialect's ``quote_string``.

    Attributes:
        true_false: the literals of ``True`` and ``False``.
        bytes_template: a ``str.format`` template for binary values; ``{}`` receives the lower-case hex digits.
        float_specials: NaN and +-infinity are written as the quoted special values (``'NaN'``, ``'Infinity'``)
            instead of being an error.
        quoted_money: ``money`` values are written as quoted numbers (PostgreSQL ``money`` has no implicit cast from
            ``numeric``; its input function reads the quoted text).
        utc_offsets: time and ``timestamptz`` literals keep their UTC offset; otherwise aware values are converted
            to naive UTC (MySQL, whose session time zone the scripts set to UTC).
        interval_style: see :data:`IntervalStyle`.
        bit_strings: ``BIT`` values made of 0/1 characters are written as ``b'0101'`` bit literals (MySQL, where a
            quoted string would be stored as its character codes).
    """

    true_false: tuple[str, str] = ("1", "0")
    bytes_template: str = "X'{}'"
    float_specials: bool = False
    quoted_money: bool = False
    utc_offsets: bool = True
    interval_style: IntervalStyle = "iso8601"
    bit_strings: bool = False


def _text() -> exp.DataType:
    return exp.DataType(this=exp.DataType.Type.TEXT)


#: How the renderer creates enum columns: a ``CREATE TYPE ... AS ENUM`` per enum (PostgreSQL), an inline
#: ``ENUM(...)`` type (MySQL), or a text column with ``CHECK (col IN (...))`` (SQLite).
EnumStyle = Literal["create_type", "inline", "check"]
#: How an auto-numbered key is created: ``GENERATED ... AS IDENTITY`` or a named sequence's ``nextval`` default
#: (PostgreSQL), ``AUTO_INCREMENT`` (MySQL), or only as the rowid of an ``INTEGER PRIMARY KEY`` (SQLite).
AutoNumbering = Literal["identity", "auto_increment", "rowid"]
#: When a foreign-key column may keep its own type although it differs from the referenced column's: types of one
#: family (PostgreSQL: integers, strings, date-times), exactly the same type (MySQL: size and sign), the same declared
#: type name (SQLite: affinities compare differently).
FkTypeMatch = Literal["family", "exact", "declared"]


@dataclass(frozen=True, eq=False)
class DdlRules:
    """How the schema model is written as DDL of a target dialect (used by :mod:`seeder.sinks.ddl`).

    Attributes:
        types: column kind -> the one type this target uses for it, for the kinds that need no other decision
            (sqlglot ``DataType`` nodes, copied before use). Kinds not listed here get the renderer's general rules.
        unsigned_numbers: integer and decimal types take ``UNSIGNED`` (else an unsigned source integer gets the next
            wider signed type).
        key_text_type: the bounded type for a text-like column that is part of a key or index, when the target
            cannot index unbounded text (MySQL ``VARCHAR(255)``); ``None`` keeps the unbounded type.
        unsized_varchar: the type of a ``varchar`` without a length.
        unsized_decimal: ``(precision, default scale)`` for a ``decimal`` without precision, when the target's bare
            ``DECIMAL`` is narrow (MySQL's is ``DECIMAL(10, 0)``); ``None`` writes the bare type.
        sized_bytes: the type member for binary columns with a length (MySQL ``VARBINARY(n)``), else the ``bytes``
            entry of ``types`` is used for all of them.
        bit_strings: how ``bit`` columns are created: ``"bit_varbit"`` (PostgreSQL ``bit(n)``/``varbit(n)``),
            ``"bit"`` (MySQL ``BIT(n)``), or ``None`` (the ``bit`` entry of ``types``).
        set_type: MySQL's ``SET(...)`` type exists.
        enum_style: see :data:`EnumStyle`.
        auto_numbering: see :data:`AutoNumbering`.
        alter_add_constraint: ``ALTER TABLE ... ADD CONSTRAINT`` exists, so foreign keys are added after every
            table (SQLite has none: they go inline, and SQLite does not check targets at ``CREATE`` time).
        deferrable_foreign_keys: ``DEFERRABLE`` / ``INITIALLY DEFERRED`` may be written on a foreign key.
        partial_indexes: unique indexes over expressions or with a ``WHERE`` exist.
        is_json_predicate: ``x IS JSON`` may appear in a CHECK (PostgreSQL has it only from version 16).
        comment_statements: ``COMMENT ON TABLE/COLUMN`` statements carry table and column comments.
        builtin_functions: functions sqlglot does not know (it leaves them as ``exp.Anonymous``) that this target
            has built in; kept in CHECKs when the source is the same dialect.
        no_literal_default_kinds: column kinds that cannot take a literal default (MySQL TEXT, BLOB, JSON columns).
        current_timestamp_precision: the fractional precision ``CURRENT_TIMESTAMP`` must repeat as a default of a
            date-time column (MySQL ``DATETIME(6) DEFAULT CURRENT_TIMESTAMP(6)``).
        current_date_default: a ``date`` column may default to ``CURRENT_DATE``.
        current_time_default: a ``time`` column may default to ``CURRENT_TIME``.
        uuid_default: a ``uuid`` column may default to a generated UUID (``gen_random_uuid()``).
        fk_type_match: see :data:`FkTypeMatch`.
        fk_type_families: for ``fk_type_match == "family"``: kind -> family name.
        constraint_name_limit: constraint names longer than this are left out (the engine picks one).
        named_primary_key: a primary key's constraint name is kept (MySQL always calls it ``PRIMARY``).
        index_names_per_schema: primary key, unique and index names share the namespace of the schema's relations.
        constraint_names_per_schema: foreign key and CHECK names are unique per schema (database) in MySQL.
        run_hint: how to run the DDL script with the dialect's client, for the header (or ``None``).
    """

    types: Mapping[str, exp.DataType] = field(default_factory=dict)
    unsigned_numbers: bool = False
    key_text_type: exp.DataType | None = None
    unsized_varchar: exp.DataType = field(default_factory=_text)
    unsized_decimal: tuple[int, int] | None = None
    sized_bytes: exp.DataType.Type | None = None
    bit_strings: Literal["bit_varbit", "bit"] | None = None
    set_type: bool = False
    enum_style: EnumStyle = "check"
    auto_numbering: AutoNumbering = "identity"
    alter_add_constraint: bool = True
    deferrable_foreign_keys: bool = True
    partial_indexes: bool = True
    is_json_predicate: bool = True
    comment_statements: bool = False
    builtin_functions: frozenset[str] = frozenset()
    no_literal_default_kinds: frozenset[str] = frozenset()
    current_timestamp_precision: int | None = None
    current_date_default: bool = True
    current_time_default: bool = True
    uuid_default: bool = False
    fk_type_match: FkTypeMatch = "exact"
    fk_type_families: Mapping[str, str] = field(default_factory=dict)
    constraint_name_limit: int | None = None
    named_primary_key: bool = True
    index_names_per_schema: bool = True
    constraint_names_per_schema: bool = False
    run_hint: str | None = None


@dataclass(frozen=True)
class LoaderHooks:
    """How a live load (:mod:`seeder.loaders.sqlalchemy`) drives the dialect's DB-API driver.

    Attributes:
        driver_autocommit: switch the driver's own implicit transactions off on connect (Python's ``sqlite3``
            commits around DDL in its legacy mode; SQLAlchemy's SQLite docs, "Enabling Non-Legacy SQLite
            Transactional Modes"), so the loader's ``begin``/``commit``/``rollback`` statements are the only ones.
        on_connect: statements run on every new connection, outside any transaction (SQLite ``PRAGMA
            foreign_keys``, a no-op inside one).
        begin: the statement that opens the load transaction, or ``None`` for the driver's implicit one.
        commit, rollback: statements that end it, or ``None`` for the DB-API ``commit()``/``rollback()``.
        read_only_probe: a query whose one value is ``on`` when the database refuses writes (hot standby), run
            first so a read-only database fails with a clear message.
        fk_violation_probe: a query listing ``(table, row id, referenced table, ...)`` of rows whose foreign keys
            fail, run when COMMIT fails, to say which row.
        connect_timeout_arg: the driver's connect argument for a connection timeout in seconds, or ``None``.
        file_database: the database is a local file (the URL names it; a load that creates it removes it on
            failure) rather than a server connection (which is invalidated, not reused, after an interrupt).
        create_schema_skip: a regular expression matching ``create_schema`` statements to skip: MySQL dumps drop,
            create and switch databases (``DROP SCHEMA``, ``CREATE DATABASE``, ``USE``) while the load goes into the
            URL's database.
        trigger_query: for dialects with no switch for triggers (SQLite) but transactional DDL: a query listing
            ``(name, table, CREATE TRIGGER text)`` of the triggers in ``trigger_schema``, in creation order. With it,
            ``disable_triggers`` saves, drops and re-creates the written tables' triggers inside the transaction.
        trigger_schema: the one schema whose triggers can be re-created that way (a trigger's SQL does not name its
            schema, so re-creating one of another schema would put it in the wrong place).
        drop_trigger: template (``{name}``: the quoted trigger name) of the statement dropping a listed trigger.
        copy_driver: the SQLAlchemy driver whose cursor can run ``COPY ... FROM STDIN`` (psycopg 3), if any.
        bulk_tables: template (``{names}``: comma-separated string literals of qualified table names) of the SQL
            expression the two queries below take as ``{tables}``; ``None``: the dialect has no ``--bulk`` load.
        bulk_constraints: a query listing ``(table, quoted name, definition, kind)`` of the foreign keys of or to
            ``{tables}`` and their UNIQUE, CHECK and EXCLUDE constraints (primary keys stay), foreign keys first
            (``kind`` ``f``); ``definition`` is what ``ALTER TABLE table ADD CONSTRAINT name`` takes.
        bulk_indexes: a query listing ``(index, CREATE INDEX statement)`` of the secondary indexes of ``{tables}``
            that back no constraint (see :mod:`seeder.loaders.bulk`).
    """

    driver_autocommit: bool = False
    on_connect: tuple[str, ...] = ()
    begin: str | None = None
    commit: str | None = None
    rollback: str | None = None
    read_only_probe: str | None = None
    fk_violation_probe: str | None = None
    connect_timeout_arg: str | None = None
    file_database: bool = False
    create_schema_skip: str | None = None
    trigger_query: str | None = None
    trigger_schema: str | None = None
    drop_trigger: str | None = None
    copy_driver: str | None = None
    bulk_tables: str | None = None
    bulk_constraints: str | None = None
    bulk_indexes: str | None = None


#: How the schema of a live database is read (:mod:`seeder.readers.database`): ``stored_ddl``, the ``CREATE``
#: statements the database keeps as written (SQLite's ``sqlite_master``); ``show_create``, the ``CREATE TABLE`` text the
#: server renders per table (MySQL/MariaDB ``SHOW CREATE TABLE``); ``catalog``, DDL assembled from the system catalogs
#: and the server's own deparsing functions (PostgreSQL ``pg_catalog``, ``format_type``, ``pg_get_constraintdef``, ...).
Introspection = Literal["stored_ddl", "show_create", "catalog"]


@dataclass(frozen=True)
class LiveRules:
    """How seeder reads and prepares a live database of the dialect (``seeder inspect/plan/load URL``).

    Attributes:
        introspection: see :data:`Introspection`; ``None``: the dialect cannot be introspected.
        ddl_query: for ``stored_ddl``: rows ``(type, name, sql)`` of every table, index and trigger in creation order.
        tables_query: for ``show_create``: the names of the connection's database's base tables, sorted.
        show_create: for ``show_create``: template (``{table}``: the quoted name) of the statement whose second
            column is the table's ``CREATE TABLE`` text.
        triggers_query: for ``show_create``: rows ``(name, timing, event, table, body)`` of the database's triggers.
        has_schemas: the database holds several schemas that ``--schema`` chooses from (PostgreSQL); elsewhere the
            URL names the one database that is read.
        truncate: template of one statement emptying every table of ``{tables}`` (quoted, comma-separated) and
            restarting their identity sequences, ``{cascade}`` being `` CASCADE`` or ``""``; ``None``: tables are
            emptied with ``delete`` instead, children first (MySQL's ``TRUNCATE`` commits implicitly, SQLite has none).
        delete: template (``{table}``) of the statement emptying one table inside the transaction.
        restart_numbering: template (``{name}``: the table's name as a string literal) of a statement, inside the
            transaction, that restarts the table's automatic numbering, run when ``numbering_probe`` counts more
            than 0.
        numbering_probe: a query counting whether ``restart_numbering`` can run (SQLite's ``sqlite_sequence`` only
            exists once the first ``AUTOINCREMENT`` table does).
        fk_checks_off_while_emptying: emptying runs with the session's FK checks off (``fk_checks_off`` /
            ``fk_checks_on`` of the entry) so that tables on an FK cycle can be emptied; every table that references
            an emptied one is emptied too, so no orphan can remain.
        sequence_position: template (``{sequence}``: an SQL expression naming the sequence, as the entry's
            ``serial_sequence_sql`` or a string literal) of a query giving the last number a sequence handed out
            (``NULL`` when none yet): new keys start past it as well as past the largest key, so that rows the
            application or a trigger numbers from the sequence never collide with seeded ones.
        sequence_restore: template (``{sequence}`` as above, ``{value}``: a number or ``NULL``, ``{called}``:
            ``true``/``false``) of a statement putting a sequence back where ``sequence_position`` found it (``NULL``:
            never used), for a load that moved it early and then failed.
        typed_parameters: a text parameter compared with a column of another type needs a cast to the column's type
            (psycopg sends Python ``str`` as ``varchar``, and PostgreSQL has no ``inet = varchar`` or
            ``enum = varchar`` operator).
        restart_after_commit: template (``{table}``) of a statement run after COMMIT that moves a table's numbering
            back to just past its largest key (MySQL's ``AUTO_INCREMENT = 1``, which the server raises to the
            largest key + 1; ``ALTER TABLE`` would commit the transaction, so it cannot run inside).
    """

    introspection: Introspection | None = None
    ddl_query: str | None = None
    tables_query: str | None = None
    show_create: str | None = None
    triggers_query: str | None = None
    has_schemas: bool = False
    truncate: str | None = None
    delete: str = "DELETE FROM {table}"
    restart_numbering: str | None = None
    numbering_probe: str | None = None
    fk_checks_off_while_emptying: bool = False
    sequence_position: str | None = None
    sequence_restore: str | None = None
    typed_parameters: bool = False
    restart_after_commit: str | None = None
