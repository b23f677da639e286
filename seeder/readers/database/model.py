"""What an introspector hands to the database reader: the schema as DDL text of the database's dialect."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Introspected:
    """The schema of a live database as DDL text (read by :func:`seeder.readers.ddl.read_ddl`) and remarks.

    Attributes:
        ddl: ``CREATE`` statements in the database's dialect, as the database gave them or assembled from its catalogs.
        notes: remarks for the user (views and materialized views that are not seeded, objects left out).
    """

    ddl: str
    notes: tuple[str, ...] = ()
