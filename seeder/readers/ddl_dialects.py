"""Which SQL dialect a DDL file is written in, and the per-dialect rules the DDL reader follows.

The rules cover three things: how statements are separated (quoting, comments, batch separators), how identifiers
are stored (case folding) and how references are matched to declared names (case sensitivity, default schema).
Sources for the facts encoded here:

* PostgreSQL: unquoted identifiers fold to lower case, quoted ones keep their case ("Lexical Structure",
  section 4.1.1 of the manual); ``$tag$`` dollar quoting (4.1.2.4); nested ``/* */`` comments (4.1.5); unqualified
  names resolve through ``search_path``, normally ``public``.
* MySQL/MariaDB: names keep their case; table names compare case-insensitively on Windows/macOS and column names
  always do ("Identifier Case Sensitivity"); ``#`` comments, backslash escapes in strings, the client's
  ``DELIMITER`` command.
* SQLite: names are case-insensitive and keep their declared case ("SQLite Keywords"/"Datatypes" pages).
* T-SQL: ``GO`` on a line of its own ends a batch (sqlcmd "GO" reference); statements inside a batch need no
  separator; ``CREATE PROCEDURE/FUNCTION/TRIGGER/VIEW/DEFAULT/RULE`` "cannot be combined with other statements in a
  batch" (Microsoft Learn, "Batches of SQL statements"), so such a batch is one statement; default schema ``dbo``;
  names compare case-insensitively under the default collation.
* Oracle: unquoted identifiers fold to upper case ("Database Object Names and Qualifiers"); SQL*Plus ends a PL/SQL
  block (``CREATE TRIGGER/PROCEDURE/FUNCTION/PACKAGE/TYPE``, ``DECLARE``, ``BEGIN``) only at a line holding ``/``,
  which also re-runs a plain statement; SQL*Plus commands (``REM``, ``PROMPT``, ``SET``, ``@script``, ...) are
  one line long and are not SQL (SQL*Plus User's Guide, "SQL*Plus Command Reference").
* DB2: unquoted identifiers fold to upper case; sqlglot has no DB2 dialect, so its default dialect reads the files.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal

from sqlglot.dialects.dialect import Dialect
from sqlglot.dialects.postgres import Postgres
from sqlglot.parsers.postgres import PostgresParser

from seeder.errors import ConfigError


@dataclass(frozen=True)
class DialectRules:
    """How one dialect writes DDL.

    Attributes:
        name: the sqlglot dialect name (``""`` is sqlglot's default dialect, used for DB2 files).
        supported: False for dialects the DDL reader does not handle (reading them raises ``ConfigError``).
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
    """

    name: str
    supported: bool = True
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


# Statements that must be alone in their T-SQL batch, and Oracle statements SQL*Plus reads as PL/SQL blocks.
_TSQL_BLOCK_HEADS = (r"CREATE\s+(?:OR\s+ALTER\s+)?(?:PROC|PROCEDURE|FUNCTION|TRIGGER|VIEW|DEFAULT|RULE)\b"
                     r"|ALTER\s+(?:PROC|PROCEDURE|FUNCTION|TRIGGER|VIEW)\b")
_PLSQL_BLOCK_HEADS = (r"CREATE\s+(?:OR\s+REPLACE\s+)?(?:(?:NON)?EDITIONABLE\s+)?"
                      r"(?:TRIGGER|PROCEDURE|FUNCTION|PACKAGE|TYPE|LIBRARY|JAVA)\b|DECLARE\b|BEGIN\b")

#: Rules per sqlglot dialect name.
DIALECT_RULES: dict[str, DialectRules] = {
    "postgres": DialectRules(
        "postgres", fold="lower", default_schema="public", dollar_quotes=True, nested_comments=True,
        meta_commands=True,
    ),
    "mysql": DialectRules(
        "mysql", case_insensitive=True, backslash_escapes=True, hash_comments=True, delimiter_command=True,
        backtick_identifiers=True,
    ),
    "sqlite": DialectRules(
        "sqlite", case_insensitive=True, trigger_blocks=True, backtick_identifiers=True, bracket_identifiers=True,
    ),
    "tsql": DialectRules(
        "tsql", case_insensitive=True, default_schema="dbo", batch_separator="GO", bracket_identifiers=True,
        block_heads=_TSQL_BLOCK_HEADS, implicit_statements=True,
    ),
    "oracle": DialectRules(
        "oracle", fold="upper", batch_separator="/", block_heads=_PLSQL_BLOCK_HEADS, sqlplus_commands=True,
    ),
    "": DialectRules("", fold="upper"),
}

#: Names users may type, mapped to sqlglot dialect names.
DIALECT_ALIASES: dict[str, str] = {
    "postgres": "postgres", "postgresql": "postgres", "pg": "postgres",
    "mysql": "mysql", "mariadb": "mysql",
    "sqlite": "sqlite", "sqlite3": "sqlite",
    "tsql": "tsql", "mssql": "tsql", "sqlserver": "tsql",
    "oracle": "oracle",
    "db2": "", "": "",
}


def resolve_dialect(name: str, *, require_supported: bool = True) -> DialectRules:
    """Return the rules for a dialect name or alias (case-insensitive, e.g. ``"PostgreSQL"``, ``"mariadb"``).

    ``require_supported=False`` also returns the rules of dialects the reader cannot read yet (for splitting).

    Raises:
        ConfigError: the name is unknown (the message suggests the closest known name, found with ``difflib``), or
            the dialect is known but not read by the DDL reader (only with ``require_supported``).
    """
    key = name.strip().lower()
    if key not in DIALECT_ALIASES:
        known = sorted(k for k in DIALECT_ALIASES if k)
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.0)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ConfigError(f"unknown SQL dialect {name!r}{hint} (known: {', '.join(known)})")
    rules = DIALECT_RULES[DIALECT_ALIASES[key]]
    if require_supported and not rules.supported:
        supported = ", ".join(sorted(n for n, r in DIALECT_RULES.items() if r.supported))
        raise ConfigError(f"the DDL reader does not support dialect {name!r} (supported: {supported})")
    return rules


# File-name prefixes (of the file's base name, lower-cased) that name a dialect; longest first wins.
_NAME_PREFIXES: tuple[tuple[str, str], ...] = (
    ("postgresql", "postgres"), ("postgres", "postgres"), ("pg_", "postgres"),
    ("mariadb", "mysql"), ("mysql", "mysql"),
    ("sqlite", "sqlite"),
    ("sqlserver", "tsql"), ("mssql", "tsql"), ("tsql", "tsql"),
    ("oracle", "oracle"),
    ("db2", ""),
)

# Content clues, tried in order; the first that matches decides.
_CONTENT_CLUES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"::regclass|\bAS\s+ENUM\b|\bSET\s+search_path\b|\bOWNER\s+TO\b|\bset_config\s*\(\s*'search_path'",
                re.IGNORECASE), "postgres"),
    (re.compile(r"\bAUTO_INCREMENT\b|\bENGINE\s*=", re.IGNORECASE), "mysql"),
    (re.compile(r"^[ \t]*GO[ \t]*$", re.IGNORECASE | re.MULTILINE), "tsql"),
    (re.compile(r"\bVARCHAR2\b", re.IGNORECASE), "oracle"),
    (re.compile(r"\bAUTOINCREMENT\b", re.IGNORECASE), "sqlite"),
    (re.compile(r"\bINTEGER\s+PRIMARY\s+KEY\b", re.IGNORECASE), "sqlite"),
)


def infer_dialect(text: str, path: str | None = None) -> tuple[str, bool]:
    """Guess the dialect of DDL ``text`` (optionally read from ``path``).

    Order: the file's base name (``postgres*.sql`` / ``pg_*``, ``mysql*`` / ``mariadb*``, ``sqlite*``, ``tsql*`` /
    ``mssql*`` / ``sqlserver*``, ``oracle*``, ``db2*`` -> ``""``), then content clues (``::regclass``,
    ``CREATE TYPE .. AS ENUM``, ``SET search_path``, ``OWNER TO`` -> postgres; ``AUTO_INCREMENT``/``ENGINE=`` ->
    mysql; ``GO`` lines -> tsql; ``VARCHAR2`` -> oracle; ``AUTOINCREMENT`` or ``INTEGER PRIMARY KEY`` -> sqlite).

    Returns:
        ``(sqlglot dialect name, was_guessed)``; ``was_guessed`` is True only when nothing pointed at a dialect and
        the default ``postgres`` was returned.
    """
    if path:
        base = PurePath(path).name.lower()
        for prefix, dialect in _NAME_PREFIXES:
            if base.startswith(prefix):
                return dialect, False
    for pattern, dialect in _CONTENT_CLUES:
        if pattern.search(text):
            return dialect, False
    return "postgres", True


class _QuotedUserTypes:
    """Set-like: which quoted type names sqlglot must keep as user-defined types in PostgreSQL.

    PostgreSQL's built-in type names are all lower-case ASCII, so a quoted name with an upper-case or non-ASCII
    letter (``"Name"``, ``"bıgınt"``) can only be a user type (domain/enum). sqlglot would otherwise re-tokenise the
    name and turn ``"Name"`` into the built-in ``name`` type and ``"bıgınt"`` into ``bigint`` (``"ı".upper() == "I"``).
    ``"char"`` is PostgreSQL's own quoted one-byte type, preserved as sqlglot does.
    """

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and (name == "char" or name != name.lower() or not name.isascii())


class SeederPostgres(Postgres):
    """sqlglot's PostgreSQL dialect, except that quoted user type names are never mistaken for built-in types."""

    class Parser(PostgresParser):
        QUOTED_TYPES_TO_PRESERVE = _QuotedUserTypes()  # type: ignore[assignment]


def parse_dialect(rules: DialectRules) -> str | type[Dialect]:
    """The dialect to hand to ``sqlglot.parse_one(read=...)`` for ``rules`` (output is always rendered with
    ``rules.name``)."""
    return SeederPostgres if rules.name == "postgres" else rules.name
