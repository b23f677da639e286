"""The SQL script sink and the statement stream the loaders execute.

One code path serves both uses (alembic's offline/online idea): :func:`iter_statements` yields complete,
self-contained statements; :func:`write_sql` writes them as a script with a header and section comments, and the
loaders run the very same statements one by one through a DB-API cursor. No statement uses client meta-commands.

Script layout: header comment, session settings, ``BEGIN``, setup (constraint deferral, NOT NULL drops, trigger
switches), multi-row INSERTs per table in dataset order, cycle-break UPDATEs, teardown (PostgreSQL first runs the
deferred constraint checks, then everything restores what setup suspended), sequence resets, ``COMMIT``.

Foreign-key cycles (``dataset.plan.cycle_breaks``; the dataset already holds the final values):

* nullable FK: the FK columns are inserted as NULL and set afterwards by UPDATEs keyed on the primary key (else a
  unique NOT NULL column set, else every other comparable written column, compared NULL-safely). PostgreSQL gets one
  ``UPDATE ... FROM (VALUES ...)`` per batch; MySQL/SQLite one ``UPDATE ... SET c = CASE k WHEN ...`` per batch for
  a single-column key, else one UPDATE per row.
* NOT NULL, ``DEFERRABLE`` FK on PostgreSQL: ``SET CONSTRAINTS <name> DEFERRED`` after BEGIN; final values inserted.
* NOT NULL, not deferrable: PostgreSQL drops the column's NOT NULL in setup, inserts NULL, UPDATEs, and sets NOT NULL
  again in teardown (DDL is transactional; ``SET NOT NULL`` re-checks every row). MySQL turns
  ``FOREIGN_KEY_CHECKS`` off just around the INSERTs of the cycle-break table and, since it never re-checks those
  rows, verifies every FK of that table in the teardown with a statement that fails on orphan rows (see
  ``TargetDialect.orphan_check``); SQLite runs ``PRAGMA defer_foreign_keys = ON`` after BEGIN so FKs are
  checked at COMMIT. Both insert the final values.

Text values go through :func:`seeder.sinks.literals.strip_nul` (see ``NUL_POLICY`` there).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, TextIO

from seeder import types
from seeder.dataset import Dataset, TableData, TableOutline, rebatch
from seeder.dialects import TargetDialect, get_dialect
from seeder.errors import ConfigError, PlanError
from seeder.schema import Column, Schema, Table, TableName
from seeder.sinks.literals import Encoder, column_encoder, encode_values, quote_text

StatementKind = str  # 'setup' | 'insert' | 'update' | 'check' | 'teardown' | 'sequence' | 'transaction'

#: Kinds that cannot be compared with ``=`` in every dialect (PostgreSQL json/xml have no equality operator), so
#: they are never used to find a row again when a table has no key.


@dataclass(frozen=True)
class Statement:
    """One complete SQL statement of the load.

    Attributes:
        sql: the statement text, ending with ``;`` and without a trailing newline; executable on its own through a
            DB-API cursor *without parameters* (literals may contain ``%``, ``?`` or ``:name``).
        kind: ``setup``, ``insert``, ``update``, ``check`` (fails when rows inserted with FK checks off reference
            nothing; part of the teardown), ``teardown``, ``sequence`` or ``transaction`` (BEGIN/COMMIT).
        table: the table an insert/update/setup/teardown/sequence statement acts on, else ``None``.
        first_row: for inserts/updates, the index (in :class:`TableData` order) of the first row covered.
        row_count: rows inserted (inserts) or rows updated (updates); 0 for other kinds.
        switch: what a setup/teardown statement switches, so that a loader can report it without reading the SQL:
            ``triggers_off`` / ``triggers_on`` (a table's user triggers), else ``None``.
    """

    sql: str
    kind: StatementKind
    table: TableName | None = None
    first_row: int | None = None
    row_count: int = 0
    switch: str | None = None


@dataclass
class _LoadPlan:
    """What the cycle breaks and options mean for one dialect: columns inserted as NULL, setup and teardown."""

    null_columns: dict[TableName, tuple[str, ...]] = field(default_factory=dict)
    row_keys: dict[TableName, tuple[list[str], list[bool]]] = field(default_factory=dict)
    after_begin: list[Statement] = field(default_factory=list)
    setup: list[Statement] = field(default_factory=list)
    teardown: list[Statement] = field(default_factory=list)
    #: Tables whose INSERTs run with the session's FK checks off (``fk_suspension == "foreign_key_checks"``).
    checks_off: set[TableName] = field(default_factory=set)


def _domain_not_null(schema: Schema, column: Column) -> bool:
    if column.domain is None:
        return False
    for d in schema.domains:
        if column.domain in (d.name, f"{d.schema}.{d.name}"):
            return not d.nullable
    return False


def _plan_load(dataset: Dataset, caps: TargetDialect, disable_triggers: bool) -> _LoadPlan:
    """Translate the plan's cycle breaks and the trigger option into statements for ``caps``.

    Raises:
        PlanError: a NOT NULL, non-deferrable cycle FK on PostgreSQL runs through a primary-key column or a NOT NULL
            domain, so its NOT NULL cannot be dropped for the load; a table whose cycle-break rows cannot be found
            again for the UPDATE; a dataset column the table does not have.
    """
    lp = _LoadPlan()
    outline = dataset.outline()
    by_name = {td.table.name: td for td in outline}
    for td in outline:
        known = set(td.table.column_names)
        missing = [c for c in td.columns if c not in known]
        if missing:
            raise PlanError(f"dataset writes column {missing[0]} that table {td.table.name} does not have")
    null_cols: dict[TableName, set[str]] = {}
    dropped: dict[TableName, set[str]] = {}
    deferred: list[str] = []
    defer_all = False

    for cb in dataset.plan.cycle_breaks:
        td = by_name.get(cb.table)
        if td is None or td.row_count == 0:
            continue
        fk_cols = [c for c in cb.foreign_key.columns if c in td.columns]
        if not fk_cols:
            continue
        if cb.nullable:
            null_cols.setdefault(cb.table, set()).update(fk_cols)
        elif cb.deferrable and caps.defer_constraints:
            fk = cb.foreign_key
            if fk.name is None:
                target = "ALL"
            elif cb.table.schema:
                target = f"{caps.quote_identifier(cb.table.schema)}.{caps.quote_identifier(fk.name)}"
            else:
                target = caps.quote_identifier(fk.name)
            if target not in deferred:
                deferred.append(target)
        elif caps.fk_suspension == "drop_not_null":
            table = td.table
            pk_cols = set(table.primary_key.columns) if table.primary_key else set()
            for c in fk_cols:
                col = table.column(c)
                if c in pk_cols or _domain_not_null(dataset.schema, col):
                    why = "is part of the primary key" if c in pk_cols else f"has NOT NULL domain {col.domain}"
                    label = cb.foreign_key.name or "(" + ", ".join(cb.foreign_key.columns) + ")"
                    raise PlanError(
                        f"cannot break the FK cycle at {table.name}.{c} -> {cb.foreign_key.ref_table}: the column "
                        f"{why}, so its NOT NULL cannot be suspended; make foreign key {label} of table {table.name} "
                        "DEFERRABLE"
                    )
                if not col.nullable:
                    dropped.setdefault(cb.table, set()).add(c)
            null_cols.setdefault(cb.table, set()).update(fk_cols)
        elif caps.fk_suspension == "foreign_key_checks" and caps.fk_checks_off and caps.fk_checks_on:
            lp.checks_off.add(cb.table)
        else:
            defer_all = True

    order = [td for td in outline if td.row_count > 0]
    for td in order:
        if td.table.name in null_cols:
            wanted = null_cols[td.table.name]
            lp.null_columns[td.table.name] = tuple(c for c in td.columns if c in wanted)
            lp.row_keys[td.table.name] = _row_key(td.table, td.columns, wanted)

    if deferred and caps.defer_constraints:
        targets = "ALL" if "ALL" in deferred else ", ".join(deferred)
        lp.after_begin.append(Statement(caps.defer_constraints.format(names=targets), "setup"))
    if defer_all and caps.defer_all_foreign_keys:
        lp.after_begin.append(Statement(caps.defer_all_foreign_keys, "setup"))
    lp.teardown.extend(_orphan_checks(outline, caps, lp.checks_off))

    for td in order:
        name = td.table.name
        cols = [c for c in td.columns if c in dropped.get(name, ())]
        if cols:
            q = caps.qualify(name)
            drops = ", ".join(f"ALTER COLUMN {caps.quote_identifier(c)} DROP NOT NULL" for c in cols)
            sets = ", ".join(f"ALTER COLUMN {caps.quote_identifier(c)} SET NOT NULL" for c in cols)
            lp.setup.append(Statement(f"ALTER TABLE {q} {drops};", "setup", name))
            lp.teardown.insert(0, Statement(f"ALTER TABLE {q} {sets};", "teardown", name))

    if disable_triggers and caps.disable_triggers_sql and caps.enable_triggers_sql:
        for td in order:
            q = caps.qualify(td.table.name)
            lp.setup.append(Statement(caps.disable_triggers_sql.format(table=q), "setup", td.table.name,
                                      switch="triggers_off"))
            lp.teardown.append(Statement(caps.enable_triggers_sql.format(table=q), "teardown", td.table.name,
                                         switch="triggers_on"))
    return lp


def _orphan_checks(outline: list[TableOutline], caps: TargetDialect,
                   checks_off: set[TableName]) -> Iterator[Statement]:
    """Statements that fail when a table inserted with FK checks off holds rows whose FK finds no parent row.

    MySQL never re-checks such rows (not even when the checks come back on), so every FK of those tables is
    verified once all rows are in: a row counts when all its FK columns are non-NULL (MATCH SIMPLE) and no parent
    row matches. The whole table is counted, so rows that were orphans before the load fail it too.
    """
    if not caps.orphan_check:
        return
    q = caps.quote_identifier
    for td in outline:
        if td.table.name not in checks_off or td.row_count == 0:
            continue
        for fk in td.table.foreign_keys:
            on = " AND ".join(f"p.{q(r)} = c.{q(col)}" for col, r in zip(fk.columns, fk.ref_columns, strict=True))
            present = " AND ".join(f"c.{q(col)} IS NOT NULL" for col in fk.columns)
            count = (f"SELECT count(*) AS n FROM {caps.qualify(td.table.name)} AS c LEFT JOIN "
                     f"{caps.qualify(fk.ref_table)} AS p ON {on} WHERE {present} AND p.{q(fk.ref_columns[0])} IS NULL")
            label = f"{td.table.name.name}.{','.join(fk.columns)}"
            label = label if len(label) <= 44 else label[:41] + "..."  # MySQL cuts the error text at 64 characters
            message = quote_text(f" orphan rows in {label}", caps)
            yield Statement(caps.orphan_check.format(count=count, message=message), "check", td.table.name)


def _batches(n: int, step: int) -> Iterator[tuple[int, int]]:
    for start in range(0, n, step):
        yield start, min(n, start + step)


#: UTF-8 needs at most this many bytes per character (per code point; a lone surrogate, encoded with
#: ``surrogatepass``, takes 3).
_MAX_UTF8_BYTES = 4


def _split_rows(rows: list[str], limit: int) -> Iterator[tuple[int, list[str]]]:
    """Split row texts into runs whose total size in UTF-8 bytes (plus 4 per row for the separators) stays under
    ``limit``, the dialect's ``max_statement_bytes``; one row always forms a run on its own."""
    chars = sum(map(len, rows))
    if (chars + len(rows)) * _MAX_UTF8_BYTES <= limit:  # fits even if every character took 4 bytes
        yield 0, rows
        return
    sizes = [len(r.encode("utf-8", "surrogatepass")) + 4 for r in rows]
    if sum(sizes) <= limit:
        yield 0, rows
        return
    start, size = 0, 0
    for i, row_size in enumerate(sizes):
        size += row_size
        if size > limit and i > start:
            yield start, rows[start:i]
            start, size = i, row_size
    yield start, rows[start:]


def _insert_statements(td: TableData, caps: TargetDialect, null_columns: tuple[str, ...],
                       step: int) -> Iterator[Statement]:
    table = td.table
    columns = {c.name: c for c in table.columns}
    written = [columns[c] for c in td.columns]
    col_list = ", ".join(caps.quote_identifier(c) for c in td.columns)
    override = ""
    if caps.identity_override and any(c.identity == "always" for c in written):
        override = " " + caps.identity_override
    prefix = f"INSERT INTO {caps.qualify(table.name)} ({col_list}){override} VALUES\n  ("
    encoders: list[Encoder | None] = [
        None if c.name in null_columns else column_encoder(c.type, caps) for c in written
    ]
    types = [c.type for c in written]
    limit = caps.max_statement_bytes
    for start, stop in _batches(td.row_count, step):
        encoded: list[list[str]] = []
        for values, enc, ctype in zip(td.values, encoders, types, strict=True):
            if enc is None:
                encoded.append(["NULL"] * (stop - start))
            else:
                encoded.append(encode_values(values[start:stop], ctype, enc))
        rows = list(map(", ".join, zip(*encoded, strict=True)))
        for offset, run in _split_rows(rows, limit):
            yield Statement(prefix + "),\n  (".join(run) + ");", "insert", table.name, start + offset, len(run))


def _row_key(table: Table, written: tuple[str, ...], excluded: set[str]) -> tuple[list[str], list[bool]]:
    """Columns that find a row again: the PK, else a unique NOT NULL column set, else every comparable column.

    Returns the column names and, per column, whether it is nullable (compare NULL-safely).

    Raises:
        PlanError: when no written column can identify the rows.
    """
    avail = {c for c in written if c not in excluded}
    pk = table.primary_key
    if pk and pk.columns and all(c in avail for c in pk.columns):
        return list(pk.columns), [False] * len(pk.columns)
    by_name = {c.name: c for c in table.columns}
    for u in table.uniques:
        if u.expressions or u.where is not None or not u.columns:
            continue
        if all(c in avail and not by_name[c].nullable for c in u.columns):
            return list(u.columns), [False] * len(u.columns)
    cols = [c for c in written if c in avail and by_name[c].type.kind not in types.UNCOMPARABLE_KINDS]
    if not cols:
        raise PlanError(
            f"cannot fill the cycle-break foreign key of table {table.name} after insert: it has no key and no "
            f"comparable column to find its rows again; give it a primary key"
        )
    return cols, [by_name[c].nullable for c in cols]


def _update_statements(td: TableData, caps: TargetDialect, set_cols: tuple[str, ...],
                       row_key: tuple[list[str], list[bool]], step: int) -> Iterator[Statement]:
    table = td.table
    by_name = {c.name: c for c in table.columns}
    key_cols, key_nullable = row_key
    set_values = [td.column_values(c) for c in set_cols]
    need = [i for i in range(td.row_count) if any(v[i] is not None for v in set_values)]
    if not need:
        return
    key_values = [td.column_values(c) for c in key_cols]
    key_enc = [column_encoder(by_name[c].type, caps) for c in key_cols]
    set_enc = [column_encoder(by_name[c].type, caps) for c in set_cols]
    q = caps.qualify(table.name)
    qk = [caps.quote_identifier(c) for c in key_cols]
    qs = [caps.quote_identifier(c) for c in set_cols]

    if caps.batched_update_from_values:
        # VALUES outside INSERT types its unknown literals as text; a first row of typed NULLs taken from the
        # table's own row type gives every VALUES column the target column's type without naming any type.
        dummy = ", ".join(f"(NULL::{q}).{c}" for c in qk + qs)
        assign = ", ".join(f"{c} = v.{c}" for c in qs)
        alias = ", ".join(qk + qs)
        cond = " AND ".join(
            f"t.{c} {caps.null_safe_equals if n else '='} v.{c}" for c, n in zip(qk, key_nullable, strict=True)
        )
        for b_start, b_stop in _batches(len(need), step):
            idx = need[b_start:b_stop]
            encs = key_enc + set_enc
            vals = key_values + set_values
            rows = [", ".join([e(v[i]) for e, v in zip(encs, vals, strict=True)]) for i in idx]
            sql = (f"UPDATE {q} AS t SET {assign} FROM (VALUES\n  ({dummy}),\n  (" + "),\n  (".join(rows)
                   + f")) AS v({alias}) WHERE {cond};")
            yield Statement(sql, "update", table.name, idx[0], len(idx))
        return

    if len(key_cols) == 1 and not key_nullable[0]:
        k, kv, ke = qk[0], key_values[0], key_enc[0]
        for b_start, b_stop in _batches(len(need), step):
            idx = need[b_start:b_stop]
            keys = [ke(kv[i]) for i in idx]
            assigns = []
            for c, e, v in zip(qs, set_enc, set_values, strict=True):
                whens = " ".join(f"WHEN {key} THEN {e(v[i])}" for key, i in zip(keys, idx, strict=True))
                assigns.append(f"{c} = CASE {k} {whens} END")
            sql = f"UPDATE {q} SET {', '.join(assigns)} WHERE {k} IN ({', '.join(keys)});"
            yield Statement(sql, "update", table.name, idx[0], len(idx))
        return

    for i in need:
        assign = ", ".join(f"{c} = {e(v[i])}" for c, e, v in zip(qs, set_enc, set_values, strict=True))
        cond = " AND ".join(
            f"{c} {caps.null_safe_equals if n else '='} {e(v[i])}"
            for c, n, e, v in zip(qk, key_nullable, key_enc, key_values, strict=True)
        )
        yield Statement(f"UPDATE {q} SET {assign} WHERE {cond};", "update", table.name, i, 1)


def _derived_updates(dataset: Dataset, caps: TargetDialect, step: int) -> Iterator[Statement]:
    """UPDATEs for ``dataset.updates`` (aggregates over child rows), rendered like the cycle-break ones: the
    key columns and set columns of each update as a table of rows, keyed by the primary key."""
    tables = {td.table.name: td.table for td in dataset.outline()}
    for update in dataset.updates:
        table = tables.get(update.table)
        if table is None or not update.row_count:
            continue
        td = TableData(table=table, columns=(*update.key_columns, *update.set_columns),
                       values=(*update.key_values, *update.set_values))
        key = (list(update.key_columns), [False] * len(update.key_columns))
        yield from _update_statements(td, caps, update.set_columns, key, step)


@dataclass(frozen=True)
class SequenceTarget:
    """A sequence the load moves past the keys it inserted: ``sequence`` is an SQL expression naming it (a string
    literal, or the dialect's ``serial_sequence_sql``), ``value`` the largest key, ``table`` the first table that
    uses it."""

    table: TableName
    sequence: str
    value: int


class SequenceTracker:
    """Follows the largest explicit key per sequence as chunks of rows pass (:meth:`see`), so a streamed sink knows
    where to move each sequence once the last chunk is out, without keeping the rows."""

    def __init__(self, caps: TargetDialect, schema: Schema) -> None:
        self.caps = caps
        self.schema = schema
        self._targets: dict[str, tuple[int, TableName]] = {}

    def see(self, td: TableData) -> None:
        """Take the keys of one chunk into account."""
        caps = self.caps
        if not caps.sequence_reset_sql or td.row_count == 0:
            return
        by_name = {c.name: c for c in td.table.columns}
        for name, values in zip(td.columns, td.values, strict=True):
            col = by_name[name]
            if not (col.autoincrement or col.identity):
                continue
            ints = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
            if not ints:
                continue
            top = max(ints)
            if top < 1:
                # setval() rejects values below MINVALUE (1 by default); keys all below 1 cannot collide anyway.
                continue
            if col.sequence:
                target = quote_text(col.sequence, caps)
            elif caps.serial_sequence_sql:
                owner = _sequence_owner(self.schema, td.table, name)
                target = caps.serial_sequence_sql.format(table=quote_text(caps.qualify(owner), caps),
                                                         column=quote_text(name, caps))
            else:
                continue
            known = self._targets.get(target)
            if known is None or known[0] < top:
                self._targets[target] = (top, known[1] if known is not None else td.table.name)

    def targets(self) -> list[SequenceTarget]:
        """The sequences seen so far with their largest key, in first-seen order."""
        return [SequenceTarget(table, target, top) for target, (top, table) in self._targets.items()]


def sequence_targets(dataset: Dataset, caps: TargetDialect) -> list[SequenceTarget]:
    """The sequences behind the serial/identity columns ``dataset`` writes explicit keys into, each with the largest
    key (several columns may share one sequence: the largest value wins), in first-seen order; empty when the
    dialect's numbering moves by itself."""
    tracker = SequenceTracker(caps, dataset.schema)
    for td in dataset.stream():
        tracker.see(td)
    return tracker.targets()


def _sequence_statements(tracker: SequenceTracker, caps: TargetDialect) -> Iterator[Statement]:
    for t in tracker.targets():
        assert caps.sequence_reset_sql is not None  # the tracker finds nothing otherwise
        yield Statement(caps.sequence_reset_sql.format(sequence=t.sequence, value=t.value), "sequence", t.table)


def _sequence_owner(schema: Schema, table: Table, column: str) -> TableName:
    """The table whose serial column owns the sequence behind ``column`` of ``table``: an INHERITS child's inherited
    serial column draws from its parent's sequence (``pg_get_serial_sequence`` names it for the parent only)."""
    for parent_name in table.inherits:
        try:
            parent = schema.table(parent_name)
        except KeyError:
            continue
        if column in parent.column_names and parent.column(column).autoincrement:
            return _sequence_owner(schema, parent, column)
    return table.name


#: Renders one table's rows: ``(table data, caps, columns inserted as NULL, rows per batch) -> statements``.
InsertRenderer = Callable[[TableData, TargetDialect, tuple[str, ...], int], Iterator[Statement]]


def _sections(dataset: Dataset, caps: TargetDialect, lp: _LoadPlan, step: int,
              transaction: bool, inserts: InsertRenderer | None = None,
              piece_rows: int | None = None) -> Iterator[tuple[str | None, Statement]]:
    """Yield ``(section comment or None, statement)`` in script order (``inserts`` replaces the INSERT renderer,
    e.g. with COPY blocks from :mod:`seeder.sinks.copy`).

    The rows come from :meth:`Dataset.stream` re-cut into pieces of ``piece_rows`` rows (default ``step``) counted
    from each table's first row (:func:`seeder.dataset.rebatch`), so the statements are the same however the engine
    cut the tables; statements number rows from the table's start."""
    render_rows = inserts or _insert_statements
    for i, s in enumerate(caps.session_settings):
        yield ("Session settings" if i == 0 else None), Statement(s, "setup")
    if transaction:
        yield ("Everything below is ONE transaction: an error anywhere leaves the database unchanged",
               Statement(caps.begin_transaction, "transaction"))
    path = dataset.schema.search_path
    if path and caps.search_path_sql:
        # the DDL file ran with this search_path: its trigger functions resolve unqualified names through it
        default = caps.read.default_schema
        schemas = ", ".join(caps.quote_identifier(name) for name in (
            *path, *([default] if default and default not in path else [])))
        yield None, Statement(caps.search_path_sql.format(schemas=schemas), "setup")
    first = True
    for s in lp.after_begin + lp.setup:
        yield ("Setup: suspend what the foreign-key cycles and options require" if first else None), s
        first = False
    checks_off = False
    totals = {td.table.name: td.row_count for td in dataset.outline()}
    sequences = SequenceTracker(caps, dataset.schema)
    # the columns the cycle-break UPDATEs need (keys and the FKs inserted as NULL), kept as their rows pass
    kept: dict[TableName, tuple[tuple[str, ...], list[list[Any]]]] = {}
    for name, cols in lp.null_columns.items():
        wanted = tuple(dict.fromkeys([*lp.row_keys[name][0], *cols]))
        kept[name] = (wanted, [[] for _ in wanted])
    current: TableName | None = None
    offset = 0  # rows of the current table in earlier chunks: statements number rows from the table's start
    for td in rebatch(dataset.stream(), piece_rows or step):
        name = td.table.name
        if name != current:
            current, offset = name, 0
        if td.row_count == 0:
            continue
        sequences.see(td)
        if name in kept:
            wanted, store = kept[name]
            for column, values in zip(wanted, store, strict=True):
                values.extend(td.column_values(column))
        section: str | None = None
        if offset == 0:
            section = f"{name}: {totals.get(name, td.row_count)} rows"
            suspend = name in lp.checks_off
            if suspend != checks_off and caps.fk_checks_off and caps.fk_checks_on:
                # Only the cycle-break tables go in unchecked; their FKs are verified in the teardown.
                if suspend:
                    yield (section + ", foreign key checks off (NOT NULL FK cycle; verified before COMMIT)",
                           Statement(caps.fk_checks_off, "setup", name))
                    section = None
                else:
                    yield None, Statement(caps.fk_checks_on, "teardown")
                checks_off = suspend
        for s in render_rows(td, caps, lp.null_columns.get(name, ()), step):
            if offset and s.first_row is not None:
                s = replace(s, first_row=s.first_row + offset)
            yield section, s
            section = None
        offset += td.row_count
    if checks_off and caps.fk_checks_on:
        yield None, Statement(caps.fk_checks_on, "teardown")
    first = True
    for outline in dataset.outline():
        cols = lp.null_columns.get(outline.table.name)
        if not cols:
            continue
        wanted, store = kept[outline.table.name]
        td = TableData(outline.table, wanted, tuple(store))
        for s in _update_statements(td, caps, cols, lp.row_keys[td.table.name], step):
            yield ("Cycle breaks: set the foreign keys inserted as NULL above" if first else None), s
            first = False
    first = True
    for s in _derived_updates(dataset, caps, step):
        yield ("Aggregates: set the values computed over child rows inserted above" if first else None), s
        first = False
    first = True
    teardown = list(lp.teardown)
    if caps.check_deferred_now:
        # Run deferred FK checks now: ALTER TABLE below fails on tables with pending deferred trigger events, and
        # an error must come before the non-transactional setval() calls.
        teardown.insert(0, Statement(caps.check_deferred_now, "teardown"))
    for s in teardown:
        yield ("Teardown: check deferred or unchecked foreign keys, restore what the setup suspended" if first
               else None), s
        first = False
    if caps.sequence_reset_sql:
        first = True
        for s in _sequence_statements(sequences, caps):
            yield ("Sequences: move serial/identity numbering past the inserted keys" if first else None), s
            first = False
    if transaction:
        yield f"Done. Auto-numbering: {caps.auto_key_note}", Statement(caps.commit_transaction, "transaction")


def _prepare(dataset: Dataset, dialect: str | TargetDialect, disable_triggers: bool,
             batch_rows: int | None) -> tuple[TargetDialect, _LoadPlan, int]:
    caps = get_dialect(dialect)
    if disable_triggers and not caps.script_disable_triggers:
        raise ConfigError(
            f"disabling triggers is not possible in a {caps.name} SQL script; use `seeder load`, which does it "
            f"through the connection"
        )
    if batch_rows is not None and (not isinstance(batch_rows, int) or batch_rows < 1):
        raise ConfigError(f"batch_rows must be a positive integer, got {batch_rows!r}")
    step = batch_rows or caps.max_rows_per_insert
    return caps, _plan_load(dataset, caps, disable_triggers), step


def iter_statements(dataset: Dataset, dialect: str | TargetDialect, *, disable_triggers: bool = False,
                    batch_rows: int | None = None, transaction: bool = True) -> Iterator[Statement]:
    """Yield the statements that load ``dataset`` into a ``dialect`` database, in execution order.

    Args:
        dataset: the generated data; tables are inserted in ``dataset.tables`` order.
        dialect: target dialect name or capabilities (``postgres``, ``mysql``, ``sqlite`` and their aliases).
        disable_triggers: disable user triggers for the load (dialects with ``disable_triggers_sql``: PostgreSQL).
        batch_rows: rows per INSERT/UPDATE statement; default the dialect's ``max_rows_per_insert``. Batches are
            also cut when a statement would exceed the dialect's ``max_statement_bytes``.
        transaction: include BEGIN/COMMIT (kind ``transaction``). With ``False`` the caller runs everything after
            the session settings inside its own transaction; statements that must follow BEGIN come first.

    Raises (at call time, before anything is yielded):
        ConfigError: unknown dialect, ``disable_triggers`` where a script cannot (MySQL, SQLite), bad
            ``batch_rows``.
        PlanError: a cycle break the dialect cannot carry out (see the module docstring).
    """
    caps, lp, step = _prepare(dataset, dialect, disable_triggers, batch_rows)
    return (s for _, s in _sections(dataset, caps, lp, step, transaction))


def _flat(text: Any) -> str:
    # A newline inside a header value or table name would end the comment and turn the rest into SQL.
    return " ".join(str(text).split())


def _comment(text: Any) -> str:
    return "-- " + _flat(text)


def write_sql(dataset: Dataset, out: TextIO, dialect: str | TargetDialect, *, disable_triggers: bool = False,
              header: Mapping[str, Any] | None = None, inserts: InsertRenderer | None = None,
              piece_rows: int | None = None) -> None:
    """Write ``dataset`` as one SQL script for ``dialect`` to the text stream ``out``.

    The script is :func:`iter_statements` (with a transaction) plus a header comment (generator, ``header`` items
    such as source and seed in the given order, dialect, row totals, how to run it) and section comments. Output is
    byte-identical for the same dataset and arguments (no timestamps, no set iteration).

    Args:
        dataset: the generated data.
        out: a text stream; the caller opens it with ``encoding="utf-8"`` (and ``newline="\\n"`` on Windows).
        dialect: target dialect name or capabilities.
        disable_triggers: PostgreSQL only (see :func:`iter_statements`).
        header: extra ``key: value`` lines for the header, e.g. ``{"source": "sakila.sql", "seed": "42"}``.
        inserts: renders each table's rows instead of multi-row INSERTs (the COPY sink passes its COPY blocks).
        piece_rows: rows per piece the renderer gets (default: the INSERT batch size; COPY: rows per block).

    Raises:
        ConfigError, PlanError: as :func:`iter_statements`, before anything is written.
    """
    caps, lp, step = _prepare(dataset, dialect, disable_triggers, None)
    from seeder import __version__

    lines = [_comment(f"Generated by seeder {__version__}: synthetic data, not real records.")]
    for key, value in (header or {}).items():
        lines.append(_comment(f"{key}: {value}"))
    outline = dataset.outline()
    total = sum(td.row_count for td in outline)
    lines.append(_comment(f"dialect: {caps.name}"))
    lines.append(_comment(f"rows: {total} in {len(outline)} tables"))
    lines.extend(f"--   {_flat(td.table.name)}: {td.row_count}" for td in outline)
    lines += [
        "--",
        _comment("The script is ONE transaction and stops at the first error when run like this:"),
        "--   " + caps.run_hint,
        _comment("On an error nothing is left behind; the tables must exist already (this script holds data only)."),
    ]
    out.write("\n".join(lines) + "\n")
    for section, stmt in _sections(dataset, caps, lp, step, True, inserts, piece_rows):
        if section is not None:
            out.write("\n" + _comment(section) + "\n")
        out.write(stmt.sql + "\n")
