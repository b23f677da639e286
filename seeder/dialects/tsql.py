"""T-SQL (SQL Server): read only; seeder reads its DDL and writes scripts for another dialect (``--to``).

Sources (Microsoft Learn): ``GO`` on a line of its own ends a batch (sqlcmd "GO" reference); statements inside a
batch need no separator; ``CREATE PROCEDURE/FUNCTION/TRIGGER/VIEW/DEFAULT/RULE`` "cannot be combined with other
statements in a batch" ("Batches of SQL statements"), so such a batch is one statement; default schema ``dbo``;
names compare case-insensitively under the default collation. "Data types (Transact-SQL)": ``BIT`` is the boolean
type; ``FLOAT`` without ``(n)`` is ``FLOAT(53)``, a double, and ``FLOAT(1..24)`` a single; ``DECIMAL``/``NUMERIC``
without precision are ``(18, 0)``; ``IDENTITY(seed, step)`` numbers a column like an auto-increment key.
"""

from __future__ import annotations

from dataclasses import dataclass

from seeder.dialects.model import Dialect
from seeder.dialects.rules import ReadRules, TypeRules

# Statements that must be alone in their batch.
_BLOCK_HEADS = (r"CREATE\s+(?:OR\s+ALTER\s+)?(?:PROC|PROCEDURE|FUNCTION|TRIGGER|VIEW|DEFAULT|RULE)\b"
                r"|ALTER\s+(?:PROC|PROCEDURE|FUNCTION|TRIGGER|VIEW)\b")


@dataclass(frozen=True, eq=False, repr=False)
class TSQL(Dialect):
    """Microsoft SQL Server's T-SQL (input only)."""

    name: str = "tsql"
    title: str = "T-SQL"
    sqlglot_dialect: str = "tsql"
    aliases: tuple[str, ...] = ("mssql", "sqlserver")
    file_prefixes: tuple[str, ...] = ("sqlserver", "mssql", "tsql")
    content_clue: str | None = r"^[ \t]*GO[ \t]*$"
    read: ReadRules = ReadRules(
        case_insensitive=True, default_schema="dbo", batch_separator="GO", bracket_identifiers=True,
        block_heads=_BLOCK_HEADS, implicit_statements=True, identity_is_autoincrement=True,
        # "int, bigint, smallint, and tinyint (Transact-SQL)": tinyint is 0..255.
        types=TypeRules(boolean_types=(("BIT", None),), decimal_default=(18, 0), float_single_max_bits=24,
                        ranges=(("tinyint", (0, 255)),)),
    )
