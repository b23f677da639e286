"""The one error hierarchy of seeder.

Every error a user can cause derives from :class:`SeederError`. The CLI turns any of them into a single
``Error: ...`` line and exit code 1; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class SeederError(Exception):
    """Root of every error seeder raises on purpose (bad input, unsatisfiable constraints, failed loads)."""

    exit_code = 1


class SchemaReadError(SeederError):
    """A schema source could not be read or understood.

    ``path``, ``line`` and ``statement`` locate the problem when known; they are part of the message.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 statement: str | None = None) -> None:
        self.path, self.line, self.statement = path, line, statement
        where = ""
        if path:
            where = f"{path}:{line}: " if line else f"{path}: "
        elif line:
            where = f"line {line}: "
        snippet = ""
        if statement:
            first = " ".join(statement.split())
            snippet = f" in statement: {first[:80]}{'...' if len(first) > 80 else ''}"
        super().__init__(f"{where}{message}{snippet}")


class SchemaError(SeederError):
    """The schema model is inconsistent (e.g. a foreign key references a table or column that does not exist)."""


class ConfigError(SeederError):
    """The configuration (flags, ``seeder.toml``, ``[tool.seeder]``) is invalid."""


class PlanError(SeederError):
    """No valid plan exists for the schema (e.g. a NOT NULL cycle the target dialect cannot suspend)."""


class GenerationError(SeederError):
    """Rows satisfying the schema's constraints could not be generated (e.g. an unsatisfiable CHECK)."""


class LoadError(SeederError):
    """Loading into a database failed; the transaction was rolled back and nothing was left behind."""


class DatabaseError(SeederError):
    """A live database could not be reached or read (a SOURCE given as a database URL, existing rows, truncation);
    the message holds the masked URL and the database's own words, never a password."""


class LLMError(SeederError):
    """The language-model provider is misconfigured or failed in a way the run cannot recover from."""


class Interrupted(SeederError):
    """The user interrupted the run (Ctrl-C); whatever was in progress was rolled back."""

    exit_code = 130
