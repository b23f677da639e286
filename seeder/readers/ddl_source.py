"""The DDL file source kind: a path to a SQL script (see :mod:`seeder.readers.sources` for the protocol)."""

from __future__ import annotations

from pathlib import Path

from seeder.errors import SchemaReadError
from seeder.readers.sources import SchemaSource, SourceOptions


def claims(source: str) -> bool:
    """Any string not claimed by an earlier kind is taken as a DDL file path (errors name the missing file)."""
    return True


def read(source: str, options: SourceOptions) -> SchemaSource:
    """Read the DDL file at ``source``; the dialect is ``options.dialect`` or inferred (``postgres`` when unsure).

    Raises:
        SchemaReadError: the file is missing, empty, not text, or a table statement cannot be understood.
        ConfigError: an unknown dialect name.
    """
    from seeder.readers.ddl import infer_dialect, read_ddl

    p = Path(source)
    if p.is_dir():
        raise SchemaReadError("is a directory, not a DDL file", path=str(p))
    if not p.is_file():
        raise SchemaReadError("file not found", path=str(p))
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise SchemaReadError("not a UTF-8 text file", path=str(p)) from None
    if not text.strip():
        raise SchemaReadError("the file is empty", path=str(p))
    dialect, guessed = options.dialect, False
    if dialect is None:
        dialect, guessed = infer_dialect(text, str(p))
    schema = read_ddl(text, dialect, path=str(p))
    if not schema.tables:
        raise SchemaReadError("no CREATE TABLE statements found", path=str(p))
    # what the reader skipped or cannot honour (an EXCLUDE form, INSERT ... SELECT rows) is said, never silent
    return SchemaSource(schema=schema, text=text, dialect_guessed=guessed, kind="ddl", origin=p.name,
                        notes=schema.notes)
