"""The plan: what will be generated, in which order, how many rows, and where FK cycles are broken."""

from __future__ import annotations

from dataclasses import dataclass, field

from seeder.plan.rules import RuleSet
from seeder.schema import ForeignKey, TableName


@dataclass(frozen=True)
class TablePlan:
    """Row count decision for one table.

    Attributes:
        table: the table.
        requested: rows asked for (``--rows`` or the config override).
        rows: rows that will be generated (``<= requested``; 0 for skipped tables).
        limit: why ``rows < requested`` (e.g. "one-to-one FK to country allows at most 20 rows"), else ``None``.
        skipped: why the table gets no rows of its own (a partition or INHERITS child, a table left out by
            ``--only``/``--exclude``), else ``None``.
        role: the table's role (:class:`~seeder.plan.rules.TableRole`: lookup, entity, event, detail, link,
            history), which scaled ``requested`` from ``--rows``; ``None`` when the semantic layer is off.
        existing: rows the table holds already (a live database); ``rows`` come on top of them.
    """

    table: TableName
    requested: int
    rows: int
    limit: str | None = None
    skipped: str | None = None
    role: str | None = None
    existing: int = 0


@dataclass(frozen=True)
class CycleBreak:
    """A foreign key on an FK cycle whose values cannot be known when its table's rows are inserted.

    The generator still produces the final, consistent values. Sinks and loaders choose how to get them in, by
    target dialect: insert NULL and UPDATE afterwards when ``nullable``; otherwise with the constraint's check
    suspended in the transaction (``SET CONSTRAINTS ... DEFERRED`` when ``deferrable``, else the dialect's means).
    """

    table: TableName
    foreign_key: ForeignKey
    nullable: bool
    deferrable: bool


@dataclass(frozen=True)
class Plan:
    """The whole plan.

    Attributes:
        order: every table to generate, in topological (insert) order; parents before children, ignoring the
            broken edges of ``cycle_breaks``.
        generations: ``order`` grouped into topological generations (tables in one generation are independent).
        tables: per-table row decisions, keyed by table name (skipped tables included, not in ``order``).
        cycle_breaks: FKs whose values are filled after their table is inserted (or with checks suspended).
        cycles: each FK cycle (strongly connected component of more than one table), tables sorted by name.
        self_references: FKs of a table to itself (rows point at earlier rows, forming trees).
        rules: the semantic layer (:mod:`seeder.plan.rules`): inferred, configured and LLM-proposed rules that make
            rows hold together; ``rules.switched_off`` lists the ids the config turned off.
    """

    order: tuple[TableName, ...]
    generations: tuple[tuple[TableName, ...], ...]
    tables: dict[TableName, TablePlan]
    cycle_breaks: tuple[CycleBreak, ...] = ()
    cycles: tuple[tuple[TableName, ...], ...] = ()
    self_references: tuple[tuple[TableName, ForeignKey], ...] = field(default=())
    rules: RuleSet = field(default_factory=RuleSet)

    def rows(self, table: TableName) -> int:
        """Planned rows for ``table`` (0 when skipped or unknown)."""
        tp = self.tables.get(table)
        return tp.rows if tp else 0
