"""Oracle (SQL*Plus scripts): read only; seeder reads its DDL and writes scripts for another dialect (``--to``).

Sources: unquoted identifiers fold to upper case ("Database Object Names and Qualifiers"); SQL*Plus ends a PL/SQL
block (``CREATE TRIGGER/PROCEDURE/FUNCTION/PACKAGE/TYPE``, ``DECLARE``, ``BEGIN``) only at a line holding ``/``,
which also re-runs a plain statement; SQL*Plus commands (``REM``, ``PROMPT``, ``SET``, ``@script``, ...) are one line
long and are not SQL (SQL*Plus User's Guide, "SQL*Plus Command Reference"). "Data Types" (SQL Language Reference):
``NUMBER(p)`` / ``NUMBER(p, 0)`` hold integers of up to ``p`` digits, ``NUMBER`` without precision any decimal;
``DATE`` has a time of day; ``FLOAT`` is ``FLOAT(126)`` (binary digits), a double; a text or LOB column with
``CHECK (col IS JSON)`` holds JSON documents ("JSON Developer's Guide").
"""

from __future__ import annotations

from dataclasses import dataclass

from seeder.dialects.model import Dialect
from seeder.dialects.rules import ReadRules, TypeRules

# Statements SQL*Plus reads as PL/SQL blocks.
_BLOCK_HEADS = (r"CREATE\s+(?:OR\s+REPLACE\s+)?(?:(?:NON)?EDITIONABLE\s+)?"
                r"(?:TRIGGER|PROCEDURE|FUNCTION|PACKAGE|TYPE|LIBRARY|JAVA)\b|DECLARE\b|BEGIN\b")


@dataclass(frozen=True, eq=False, repr=False)
class Oracle(Dialect):
    """Oracle Database (input only)."""

    name: str = "oracle"
    title: str = "Oracle"
    sqlglot_dialect: str = "oracle"
    file_prefixes: tuple[str, ...] = ("oracle",)
    content_clue: str | None = r"\bVARCHAR2\b"
    read: ReadRules = ReadRules(
        fold="upper", batch_separator="/", block_heads=_BLOCK_HEADS, sqlplus_commands=True,
        json_by_is_json_check=True,
        types=TypeRules(float_single_max_bits=0, number_is_integer=True, date_has_time=True),
    )
