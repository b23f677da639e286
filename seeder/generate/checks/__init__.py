"""CHECK constraints: evaluate them on rows, read them into value specs and column relations, plan row repairs.

Modules, lowest first: :mod:`~.sql_values` (SQL value semantics: literals, casts, comparisons, arithmetic),
:mod:`~.like` (the LIKE parser and matcher), :mod:`~.regex` (regex dialects translated to Python; strings sampled
from a regex), :mod:`~.forms` (a table's CHECKs, normalised predicates, the column a term is about),
:mod:`~.evaluate` (three-valued evaluation of an expression over one row), :mod:`~.known_functions` (Python versions
of SQL functions real schemas call), :mod:`~.single_column` (CHECKs on one column -> :class:`ValueSpec`),
:mod:`~.relations` (column-to-column comparisons, read and repaired), :mod:`~.regex_checks` (regex CHECKs on text
columns, read and fitted), :mod:`~.branches` (per-row repair plans for CHECKs over several columns) and
:mod:`~.verify` (which CHECKs a row fails, which CHECKs seeder can verify at all).

This package's namespace is the public entry points:

* :func:`evaluate` / :func:`check_passes` / :func:`failing_checks` — SQL three-valued evaluation of CHECK
  expressions (sqlglot trees with unqualified ``exp.Column`` nodes) over a row ``{column name: Python value}``;
  :func:`is_evaluable` says whether a CHECK only uses forms the evaluator knows; :func:`evaluate_value` computes
  non-predicate expressions (index expressions such as ``lower(email)``).
* :func:`derive_spec` — the :class:`~seeder.generate.spec.ValueSpec` for one column from its type and every CHECK
  conjunct that mentions only that column.
* :func:`column_relations` — column-to-column comparisons (``end_date > start_date``) for the engine to repair.
* :func:`check_coverage` / :func:`unverified_checks` — whether a CHECK is captured by specs and relations, only
  evaluable, or not verified at all.

Forms understood by :func:`derive_spec` (``x`` the column, possibly in parentheses or behind a cast that keeps its
values, such as ``(x)::text``): comparisons with constants (literals, casts, ``now() - '18 years'::interval``),
``BETWEEN``, ``IN`` / ``= ANY (ARRAY[...])``, ``NOT IN`` / ``<> ALL (...)``, ``x = c`` (fixed), ``x <> ''``,
``length``/``char_length``/``octet_length`` bounds, ``LIKE`` / ``NOT LIKE`` / ``ILIKE`` (read as LIKE), ``upper(x)`` /
``lower(x)`` ``IN``/``=`` lists (values that are their own case fold), ``IS [NOT] NULL``, ``IS [NOT] TRUE/FALSE``,
boolean columns as predicates, and AND/OR/NOT of these. Regex (``~``), ``lower(x) = x`` and function calls are left
to the row validator (:func:`failing_checks`).
"""

from seeder.generate.checks.evaluate import Functions, evaluate, evaluate_value, is_evaluable
from seeder.generate.checks.forms import all_checks, describe_check
from seeder.generate.checks.like import like_matches
from seeder.generate.checks.relations import ColumnRelation, column_relations
from seeder.generate.checks.single_column import derive_spec
from seeder.generate.checks.sql_values import UnsupportedExpression
from seeder.generate.checks.verify import Coverage, check_coverage, check_passes, failing_checks, unverified_checks

__all__ = [
    "ColumnRelation",
    "Coverage",
    "Functions",
    "UnsupportedExpression",
    "all_checks",
    "check_coverage",
    "check_passes",
    "column_relations",
    "derive_spec",
    "describe_check",
    "evaluate",
    "evaluate_value",
    "failing_checks",
    "is_evaluable",
    "like_matches",
    "unverified_checks",
]
