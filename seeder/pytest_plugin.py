"""A pytest plugin: realistic, constraint-valid databases for test suites, from the schema the tests already have.

Installed with seeder (entry point ``pytest11``). It adds the ``seeder`` fixture::

    def test_report(seeder, tmp_path):
        url = f"sqlite:///{tmp_path / 'app.db'}"
        seeder.load("schema.sql", url, rows=50, create_schema=True)
        ...  # the database now holds 50 rows per table, every constraint satisfied

The data is deterministic (``seed``, default 0), so a failing test sees the same rows on every run. This module is a
thin layer over :mod:`seeder.api`; it adds no behaviour of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from seeder import api
from seeder.dataset import Dataset


@dataclass(frozen=True)
class SeederFixture:
    """What the ``seeder`` fixture gives a test: ``generate`` data in memory, or ``load`` it into a database."""

    def generate(self, source: str | Path, *, rows: int = 10, seed: int = 0, dialect: str | None = None,
                 tables: Mapping[str, int] | None = None) -> Dataset:
        """Read the DDL file ``source`` and generate ``rows`` per table (``tables`` overrides by name)."""
        schema = api.read_schema(source, dialect)
        return api.generate(schema, api.build_plan(schema, rows, tables), seed=seed)

    def load(self, source: str | Path, url: str, *, rows: int = 10, seed: int = 0, dialect: str | None = None,
             tables: Mapping[str, int] | None = None, create_schema: bool = False) -> Any:
        """Generate as :meth:`generate` and load into SQLAlchemy ``url`` in one transaction; returns the LoadReport.

        ``create_schema`` runs the DDL file first (for an empty database, e.g. a new SQLite file).
        """
        src = api.read_source(source, dialect)
        data = api.generate(src.schema, api.build_plan(src.schema, rows, tables), seed=seed)
        return api.load(data, url, create_schema=src.text if create_schema else None)


@pytest.fixture
def seeder() -> SeederFixture:
    """Generate or load realistic rows from a DDL file (see :class:`SeederFixture`)."""
    return SeederFixture()
