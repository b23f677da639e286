"""Generation: from a schema and a plan to a dataset whose rows satisfy every key, foreign key, UNIQUE and CHECK.

Three layers, each importing only the ones before it:

* :mod:`seeder.generate.checks` — CHECK constraints: SQL value semantics, evaluation of a CHECK on a row, reading
  CHECKs into value specs and column relations, per-row repair plans, and which CHECKs seeder cannot verify.
* :mod:`seeder.generate.values` — value generators: realistic values for one column within its
  :class:`~seeder.generate.spec.ValueSpec` (the contract between the two, in :mod:`seeder.generate.spec`).
* the engine core in this package: :mod:`~.engine` (the run, public surface), :mod:`~.content` (the content-source
  interface), :mod:`~.context` (run state, random streams), :mod:`~.skeleton` and :mod:`~.keys` (keys and foreign
  keys by construction), :mod:`~.partitions`, :mod:`~.key_checks` (CHECKs over key columns), :mod:`~.coherence`
  (columns of a row that must agree), :mod:`~.check_repair` (rows that fail a CHECK), :mod:`~.uniques` (rows that
  repeat a unique key), :mod:`~.memo` (identity caches);
* the plan's cross-table rules: :mod:`~.fanout` (children per parent), :mod:`~.fk_strategies` (agreement and
  existence as FKs are drawn, over :mod:`~.fk_paths`), :mod:`~.derived` (copies, times after the parent, history
  periods), :mod:`~.aggregates` (totals over child rows, as updates after the inserts) and :mod:`~.retained` (which
  columns of a table later tables read).

Facts about column types (kind families, ranges, lengths) are not here but in :mod:`seeder.types`.

``seeder.generate(...)``, calling this package, is the notebook API (:func:`seeder.notebook.generate`): the package and
the function share the name ``seeder.generate``, so the package is made callable.
"""

import sys
import types


class _CallablePackage(types.ModuleType):
    def __call__(self, *args: object, **kwargs: object) -> object:
        from seeder.notebook import generate

        return generate(*args, **kwargs)  # type: ignore[arg-type]


sys.modules[__name__].__class__ = _CallablePackage
