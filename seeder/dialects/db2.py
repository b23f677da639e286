"""IBM DB2: read only; seeder reads its DDL and writes scripts for another dialect (``--to``).

Unquoted identifiers fold to upper case (DB2 SQL Reference, "Identifiers"). sqlglot has no DB2 dialect, so its
default dialect reads the files (``sqlglot_dialect`` ``""``, which is also what ``Schema.dialect`` holds).
"""

from __future__ import annotations

from dataclasses import dataclass

from seeder.dialects.model import Dialect
from seeder.dialects.rules import ReadRules


@dataclass(frozen=True, eq=False, repr=False)
class DB2(Dialect):
    """IBM DB2 (input only), read with sqlglot's default dialect."""

    name: str = "db2"
    title: str = "DB2"
    sqlglot_dialect: str = ""
    file_prefixes: tuple[str, ...] = ("db2",)
    read: ReadRules = ReadRules(fold="upper")
