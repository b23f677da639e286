"""What a description asked for beyond tables and columns: its rules, and the validated design."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """A constraint stated in words.

    Attributes:
        text: the words (from the description, as the model restated them).
        table: the table it is about; ``column``: the column, if one.
        check: the CHECK expression (PostgreSQL) when the rule can be verified on one row, else ``None``: then it is
            prompt context only (a table or column comment that a language model reads; the local generator does not).
        name: the CHECK constraint's name (``rule_<table>_<n>``) when it has one.
    """

    text: str
    table: str
    column: str | None = None
    check: str | None = None
    name: str | None = None

    @property
    def enforced(self) -> bool:
        """True when the rule is a CHECK, verified on every generated row."""
        return self.check is not None

    def line(self) -> str:
        """One line for people: how the rule is kept, where, and the words."""
        where = f"{self.table}.{self.column}" if self.column else self.table
        if self.check is not None:
            return f"CHECK {self.name or ''} on {where} (verified per row): {self.text} [{self.check}]"
        return f"context on {where} (prompt only, not verified): {self.text}"


@dataclass(frozen=True)
class Design:
    """A validated design: ``ddl`` is PostgreSQL DDL that the DDL reader reads and the planner plans; ``rules`` the
    rules of the description; ``attempts`` how many answers the model gave (2 when the first was sent back)."""

    ddl: str
    rules: tuple[Rule, ...]
    attempts: int = 1
