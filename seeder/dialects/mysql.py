"""MySQL and MariaDB: everything seeder knows about them, in one entry.

Sources (MySQL 8 and MariaDB 10.11 manuals; checked on MariaDB 10.11): names keep their case; table names compare
case-insensitively on Windows/macOS and column names always do ("Identifier Case Sensitivity"); ``#`` comments,
backslash escapes in strings (``\\\\ \\' \\n \\r \\Z``, valid while ``NO_BACKSLASH_ESCAPES`` is off), the client's
``DELIMITER`` command ("String Literals"); ``TINYINT(1)`` is the conventional boolean (``BOOL`` is an alias of it);
``TIMESTAMP`` holds a naive date-time (converted to UTC internally); bare ``DECIMAL`` is ``DECIMAL(10, 0)``; ``CHAR``
and ``BIT`` without a length mean length 1; ``BIT`` values are written ``b'0101'`` and binary ones ``X'<hex>'``
("Hexadecimal Literals"). DDL commits implicitly ("Statements That Cause an Implicit Commit"), so it is never used
inside a script; ``SET FOREIGN_KEY_CHECKS = 0`` is the only way to suspend a foreign key, and rows inserted meanwhile
are never checked later, not even when the checks come back on ("foreign_key_checks"); ``AUTO_INCREMENT`` counters
move past explicitly inserted values by themselves, but an explicit ``0`` means "next number" unless ``sql_mode`` has
``NO_AUTO_VALUE_ON_ZERO`` (what mysqldump sets too); without a ``STRICT_*`` mode out-of-range or overlong values are
silently clipped (with a warning) instead of failing; ``max_allowed_packet`` defaults to 16 MiB on MariaDB 10.11
(64 MiB on MySQL 8), so statements stay far below it. DDL: ``AUTO_INCREMENT`` needs an index starting with the column;
``TEXT``/``BLOB``/``JSON`` columns take no literal default and no key without a prefix length; ``TIMESTAMP`` stops in
2038, so date-times are ``DATETIME(6)``; constraint names are unique per database and at most 64 characters;
``DEFERRABLE`` is not supported; a primary key is always named ``PRIMARY``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from types import MappingProxyType

from sqlglot import exp

from seeder.dialects.model import FkSuspension, TargetDialect
from seeder.dialects.rules import DdlRules, LiteralRules, LoaderHooks, ReadRules, TypeRules

_T = exp.DataType.Type

#: The session time zone of MySQL scripts: timestamps are written as UTC wall-clock values and TIMESTAMP columns
#: convert from the session zone.
_TIME_ZONE = "+00:00"

_SPECIAL = re.compile(r"[\\'\x00\n\r\x1a]")


def _varchar(length: int) -> exp.DataType:
    return exp.DataType(this=_T.VARCHAR, expressions=[exp.DataTypeParam(this=exp.Literal.number(length))])


def _ddl_types() -> MappingProxyType[str, exp.DataType]:
    datetime6 = exp.DataType(this=_T.DATETIME, expressions=[exp.DataTypeParam(this=exp.Literal.number(6))])
    return MappingProxyType({
        "money": exp.DataType(this=_T.DECIMAL, expressions=[exp.DataTypeParam(this=exp.Literal.number(n))
                                                            for n in (19, 4)]),
        "timestamp": datetime6,
        "timestamptz": datetime6,
        "json": exp.DataType(this=_T.JSON),
        "jsonb": exp.DataType(this=_T.JSON),
        "uuid": exp.DataType(this=_T.CHAR, expressions=[exp.DataTypeParam(this=exp.Literal.number(36))]),
        "bytes": exp.DataType(this=_T.LONGBLOB),
        "interval": exp.DataType(this=_T.TIME),  # as the INSERT sinks write intervals
        "array": exp.DataType(this=_T.JSON),  # the sinks write arrays as JSON
        **{kind: _varchar(43) for kind in ("inet", "cidr", "macaddr")},  # the longest IPv6 network text
    })


@dataclass(frozen=True, eq=False, repr=False)
class MySQL(TargetDialect):
    """MySQL 8 and MariaDB (tested against MariaDB 10.11)."""

    name: str = "mysql"
    title: str = "MySQL"
    sqlglot_dialect: str = "mysql"
    aliases: tuple[str, ...] = ("mariadb",)
    file_prefixes: tuple[str, ...] = ("mariadb", "mysql")
    content_clue: str | None = r"\bAUTO_INCREMENT\b|\bENGINE\s*="
    read: ReadRules = ReadRules(
        case_insensitive=True, backslash_escapes=True, hash_comments=True, delimiter_command=True,
        backtick_identifiers=True,
        types=TypeRules(boolean_types=(("TINYINT", (1,)),), naive_timestamptz=True,
                        length_one_when_unsized=frozenset({"CHAR", "NCHAR", "BIT"}), decimal_default=(10, 0),
                        # "Integer Types": TINYINT -128..127; "The DATE, DATETIME, and TIMESTAMP Types": TIMESTAMP
                        # holds 1970-01-01 00:00:01 .. 2038-01-19 03:14:07 UTC, kept a day inside each end so that
                        # a session time zone cannot push a value out.
                        ranges=(("tinyint", (-(2**7), 2**7 - 1)),
                                ("timestamp", (dt.datetime(1970, 1, 2), dt.datetime(2038, 1, 18))))),
    )
    url_schemes: tuple[tuple[str, str], ...] = (("mysql", "mysql+pymysql"), ("mariadb", "mariadb+pymysql"))
    session_settings: tuple[str, ...] = (
        "SET NAMES utf8mb4;",
        # The string quoting escapes with backslashes, which is only right while NO_BACKSLASH_ESCAPES is off (the
        # default), and MariaDB's EMPTY_STRING_IS_NULL would turn '' into NULL: remove both from this session's
        # sql_mode wherever they sit in the list. Add NO_AUTO_VALUE_ON_ZERO (an explicit 0 key is stored as 0, not
        # replaced by the next AUTO_INCREMENT number) and STRICT_ALL_TABLES (a value the column cannot hold is an
        # error, never silently clipped).
        "SET SESSION sql_mode = CONCAT_WS(',', NULLIF(TRIM(BOTH ',' FROM REPLACE(REPLACE(CONCAT(',', "
        "@@SESSION.sql_mode, ','), ',NO_BACKSLASH_ESCAPES,', ','), ',EMPTY_STRING_IS_NULL,', ',')), ''), "
        "'NO_AUTO_VALUE_ON_ZERO', 'STRICT_ALL_TABLES');",
        f"SET time_zone = '{_TIME_ZONE}';",
        # A session (or a schema script run in it) may have switched them off; the load relies on both.
        "SET foreign_key_checks = 1, unique_checks = 1;",
    )
    begin_transaction: str = "START TRANSACTION;"
    transactional_ddl: bool = False
    fk_suspension: FkSuspension = "foreign_key_checks"
    fk_checks_off: str | None = "SET FOREIGN_KEY_CHECKS = 0;"
    fk_checks_on: str | None = "SET FOREIGN_KEY_CHECKS = 1;"
    null_safe_equals: str = "<=>"
    run_hint: str = "mysql --default-character-set=utf8mb4 [connection options] dbname < out.sql"
    auto_key_note: str = "AUTO_INCREMENT counters move past explicitly inserted keys by themselves"
    # MySQL has no RAISE outside stored programs. Setting time_zone to the message makes the server fail with
    # "Unknown or incorrect time zone: '<message>'" (error 1298); with no orphan rows it sets the session's own zone.
    orphan_check: str | None = (f"SET time_zone = (SELECT IF(n = 0, '{_TIME_ZONE}', CONCAT(n, {{message}})) FROM "
                                "({count}) AS orphans);")
    literals: LiteralRules = LiteralRules(utc_offsets=False, interval_style="time", bit_strings=True)
    ddl: DdlRules = field(default_factory=lambda: DdlRules(
        types=_ddl_types(), unsigned_numbers=True, key_text_type=_varchar(255), unsized_decimal=(65, 30),
        sized_bytes=_T.VARBINARY, bit_strings="bit", set_type=True, enum_style="inline",
        auto_numbering="auto_increment", deferrable_foreign_keys=False, partial_indexes=False,
        no_literal_default_kinds=frozenset({"text", "bytes", "json", "jsonb", "array", "xml", "other"}),
        current_timestamp_precision=6, current_date_default=False, current_time_default=False,
        fk_type_match="exact", constraint_name_limit=64, named_primary_key=False, index_names_per_schema=False,
        constraint_names_per_schema=True,
    ))
    loader: LoaderHooks = LoaderHooks(
        connect_timeout_arg="connect_timeout",
        create_schema_skip=r"\s*(?:(?:CREATE|DROP)\s+(?:DATABASE|SCHEMA)\b|USE\s)",
    )

    @staticmethod
    def quote_string(text: str) -> str:
        """``'...'`` with backslash escapes (``\\\\ \\' \\n \\r \\Z``); NULs removed, so ``\\0`` is never needed."""
        text = text.replace("\x00", "")
        if _SPECIAL.search(text) is None:
            return "'" + text + "'"
        # Backslash first, so the escapes added after it are not doubled again.
        return ("'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r")
                .replace("\x1a", "\\Z") + "'")
