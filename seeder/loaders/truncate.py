"""Emptying tables inside the load transaction (``seeder load --truncate``), with their numbering restarted.

The statements come from the dialect's :class:`~seeder.dialects.rules.LiveRules`:

* PostgreSQL: one ``TRUNCATE TABLE a, b, ... RESTART IDENTITY [CASCADE]`` (transactional; restarts the sequences
  the columns own);
* SQLite: ``DELETE FROM`` each table, children first, with every foreign-key check deferred to COMMIT (``PRAGMA
  defer_foreign_keys``: tables on an FK cycle), then ``sqlite_sequence`` entries removed (AUTOINCREMENT restarts);
* MySQL/MariaDB: ``DELETE FROM`` each table, children first, with ``FOREIGN_KEY_CHECKS`` off for the deletes
  (``TRUNCATE`` would commit the transaction); after COMMIT each table's ``AUTO_INCREMENT`` is moved back to just
  past its largest key.

Which tables, and in which order, is decided before the load (:func:`seeder.api.truncation`): the run's tables,
the tables their rows come with (partitions, trigger-filled tables), and with ``cascade`` every table that
references one of them; a table outside that set referencing one inside is an error there, before anything runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from seeder.dialects import TargetDialect
from seeder.schema import TableName


@dataclass(frozen=True)
class Truncation:
    """Tables to empty before the load, parents first (deletes run in reverse).

    Attributes:
        tables: the tables, in insert (topological) order.
        cascade: PostgreSQL's ``TRUNCATE ... CASCADE`` (it also empties tables outside ``tables`` that reference
            them, in any schema); other dialects empty exactly ``tables``.
    """

    tables: tuple[TableName, ...]
    cascade: bool = False


def emptying_statements(dialect: TargetDialect, truncation: Truncation) -> list[str]:
    """The statements that empty the tables inside the transaction (numbering restarts that need a probe are in
    :func:`numbering_statements`)."""
    live = dialect.live
    names = [dialect.qualify(t) for t in truncation.tables]
    if not names:
        return []
    if live.truncate:
        return [live.truncate.format(tables=", ".join(names), cascade=" CASCADE" if truncation.cascade else "")]
    deletes = [live.delete.format(table=name) for name in reversed(names)]
    if live.fk_checks_off_while_emptying and dialect.fk_checks_off and dialect.fk_checks_on:
        return [dialect.fk_checks_off.rstrip(";"), *deletes, dialect.fk_checks_on.rstrip(";")]
    if dialect.defer_all_foreign_keys:
        return [dialect.defer_all_foreign_keys.rstrip(";"), *deletes]
    return deletes


def numbering_statements(dialect: TargetDialect, truncation: Truncation) -> list[str]:
    """Statements restarting the emptied tables' numbering inside the transaction, to run when the dialect's
    ``numbering_probe`` counts more than 0 (or always when it has none)."""
    template = dialect.live.restart_numbering
    if template is None:
        return []
    return [template.format(name=dialect.quote_string(t.name)) for t in truncation.tables]


def after_commit_statements(dialect: TargetDialect, truncation: Truncation) -> list[str]:
    """Statements to run after COMMIT that move the emptied tables' numbering back (MySQL ``AUTO_INCREMENT``)."""
    template = dialect.live.restart_after_commit
    if template is None:
        return []
    return [template.format(table=dialect.qualify(t)) for t in truncation.tables]
