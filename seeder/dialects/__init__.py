"""The dialect registry: every fact seeder knows about a SQL dialect, in one entry per dialect.

Layout (the way sqlglot keeps a dialect's rules in its ``Dialect`` class and dlt a destination's in its capabilities):

* :mod:`seeder.dialects.model`: :class:`Dialect` (name, aliases, file-name and content hints, read rules) and
  :class:`TargetDialect` (adds URL schemes, script capabilities, literal rules, DDL rules, loader hooks).
* :mod:`seeder.dialects.rules`: the groups of facts: ``ReadRules``/``TypeRules``, ``LiteralRules``, ``DdlRules``,
  ``LoaderHooks``.
* One module per dialect holding its entry class and the sources of its facts: :mod:`~seeder.dialects.postgres`,
  :mod:`~seeder.dialects.mysql` (MariaDB too), :mod:`~seeder.dialects.sqlite`, and the read-only
  :mod:`~seeder.dialects.tsql`, :mod:`~seeder.dialects.oracle`, :mod:`~seeder.dialects.db2`.
* :mod:`seeder.dialects.registry`: lookups (:func:`get_dialect` for targets, :func:`read_dialect` for anything the
  reader reads, :func:`dialect_names`) and :func:`guess_dialect` for DDL files.
* :mod:`seeder.dialects.urls`: database URLs (:func:`database_url`, :func:`url_dialect`, :func:`mask_password`).

Code outside this package never branches on a dialect's name: it asks the entry.
"""

from seeder.dialects.model import Dialect, DialectCapabilities, FkSuspension, TargetDialect
from seeder.dialects.registry import (
    all_dialects,
    dialect_names,
    get_dialect,
    guess_dialect,
    read_dialect,
    target_dialects,
)
from seeder.dialects.urls import DatabaseUrl, database_url, mask_password, url_dialect

__all__ = [
    "DatabaseUrl",
    "Dialect",
    "DialectCapabilities",
    "FkSuspension",
    "TargetDialect",
    "all_dialects",
    "database_url",
    "dialect_names",
    "get_dialect",
    "guess_dialect",
    "mask_password",
    "read_dialect",
    "target_dialects",
    "url_dialect",
]
