"""The names of seeder's output formats and load methods: the choices the CLI offers, kept apart from
:mod:`seeder.api` so that building the command line imports nothing heavy (see :mod:`seeder.lazy`)."""

from __future__ import annotations

#: Output formats of :func:`seeder.api.write_dataset` (and ``seeder generate --format``).
FORMATS: tuple[str, ...] = ("sql", "copy", "csv", "jsonl", "fixture", "parquet")
#: Formats that are scripts for one target dialect.
SCRIPT_FORMATS: tuple[str, ...] = ("sql", "copy")
#: Formats written as a folder of files (one or more per table).
FOLDER_FORMATS: tuple[str, ...] = ("csv", "parquet")
#: How :func:`seeder.api.load` sends rows: multi-row INSERTs (every database) or COPY FROM STDIN (PostgreSQL).
#: ``auto`` (the default) is COPY where the database and driver have it, else INSERT.
LOAD_METHODS: tuple[str, ...] = ("auto", "insert", "copy")

__all__ = ["FOLDER_FORMATS", "FORMATS", "LOAD_METHODS", "SCRIPT_FORMATS"]
