"""Read installed Django models (``apps.get_models()``, ``_meta``) into the schema model, for one connection.

Each concrete, managed model becomes the DDL reader's drafts (see :mod:`seeder.readers.model_drafts`), so type
mapping, CHECK placement and FK resolution are the DDL reader's:

* columns: ``field.db_type(connection)`` parsed by the DDL type parser, ``null``, primary keys, ``unique``,
  ``field.db_check(connection)`` (e.g. ``"stock" >= 0`` for positive integers); a few fields whose database type
  says less than the field (SQLite stores ``DecimalField`` as bare ``decimal``, ``UUIDField`` as ``char(32)``,
  ``JSONField`` as ``text``, ``DurationField`` as ``bigint``) are read by what the field holds, since every value
  goes back through the field (see :mod:`seeder.contrib.django.seeding`);
* auto fields: identity (PostgreSQL), ``AUTO_INCREMENT`` (MySQL), the rowid alias (SQLite);
* values the application accepts, as CHECKs the generator honours (the database does not have them): ``choices``
  (``IN``), ``MinValueValidator``/``MaxValueValidator`` (comparisons), ``MinLengthValidator``/
  ``MaxLengthValidator`` (``length()``), ``RegexValidator`` (a regular-expression match), ``auto_now_add <=
  auto_now``;
* ``unique_together``, ``Meta.constraints`` (``UniqueConstraint`` with fields, conditions and expressions,
  ``CheckConstraint`` with Q objects): their SQL is compiled by Django's schema editor for the connection and read
  by the DDL reader's statement reader (exactly the text ``migrate`` runs);
* FKs and one-to-one fields (Django creates them ``DEFERRABLE INITIALLY DEFERRED`` where the database can defer),
  auto-created and explicit ``through`` tables of many-to-many fields (ordinary models to Django), multi-table
  inheritance (the child's primary key is its one-to-one FK to the parent, so both rows share the key);
* models that are not seeded (content types, permissions, an app left out) but have rows: their existing rows are
  the targets of the FKs that need them (``CHECK (col IN (existing keys))``), and a fixture names them by natural key
  (``["app_label", "model"]`` for a content type) so ``loaddata`` finds them in whatever database it loads into;
* generic relations: a ``GenericForeignKey``'s object id gets an FK (for generation only) to one seeded model (one
  that declares a ``GenericRelation`` to it, else the first seeded model with a compatible key), and its content
  type column that model's content type, taken from the database (``ContentType.objects.get_for_model``).

Never seeded: proxy and unmanaged models, swapped-out models, content types, permissions and sessions (unless their
app is asked for by name), and tables that need rows of a model that is neither seeded nor has rows (a note says
which). The database must be migrated: content types and the rows of models that are not seeded are read from it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlglot import exp

from seeder.errors import SchemaReadError
from seeder.readers.ddl_drafts import CheckDraft, ColumnDraft, DraftSchema, ForeignKeyDraft, TableDraft, UniqueDraft
from seeder.readers.model_drafts import new_draft, parse_expression, parse_type, sql_literal
from seeder.schema import Schema, TableName

#: Django's ``connection.vendor`` -> sqlglot dialect name.
VENDOR_DIALECTS = {"postgresql": "postgres", "sqlite": "sqlite", "mysql": "mysql"}
#: Left out unless named with ``--app``: rows Django itself manages (``app_label`` or ``app_label.model_name``).
FRAMEWORK_MODELS = ("contenttypes", "sessions", "auth.permission")
CONTENT_TYPE_LABEL = "contenttypes.contenttype"
#: At most this many existing rows of a model that is not seeded serve as FK targets.
EXISTING_TARGETS_MAX = 10_000
#: Types read by what the field holds rather than by its column type (see the module docstring).
_FIELD_TYPES = {"UUIDField": "uuid", "DurationField": "interval", "GenericIPAddressField": "inet",
                "IPAddressField": "inet"}


class UnsupportedModel(SchemaReadError):
    """A model (field) seeder cannot read; the message names ``app.Model.field``."""


@dataclass(frozen=True)
class ModelTable:
    """How one seeded table maps back to Django (a :class:`seeder.sinks.fixture.FixtureModel`).

    Attributes:
        label: ``app_label.model_name`` (what a fixture's ``"model"`` says).
        fields: column -> field name (``author_id`` -> ``author``), as fixtures name fields.
        natural_keys: column -> referenced value -> natural key (``loaddata`` resolves it in its database).
    """

    label: str
    fields: dict[str, str]
    natural_keys: dict[str, dict[Any, list[str]]] = field(default_factory=dict)


@dataclass(frozen=True)
class DjangoSchema:
    """The schema model of the seeded models, how each table maps back to its model, and notes for the user."""

    schema: Schema
    tables: dict[TableName, ModelTable]
    models: dict[TableName, Any]
    notes: tuple[str, ...] = ()


def dialect_for(connection: Any) -> str:
    """The sqlglot dialect of a Django connection; :class:`UnsupportedModel` for other vendors."""
    try:
        return VENDOR_DIALECTS[connection.vendor]
    except KeyError:
        raise UnsupportedModel(f"database vendor {connection.vendor!r} is not supported "
                               f"(supported: {', '.join(VENDOR_DIALECTS)})") from None


def select_models(app_labels: Sequence[str] = (), exclude: Sequence[str] = (),
                  connection: Any = None) -> tuple[list[Any], list[str]]:
    """The models to seed, in ``apps.get_models`` order, and notes about what was left out.

    A model whose non-nullable FK needs a model that is left out is seeded when that model has rows in the database
    of ``connection`` (they become the FK's targets), else left out too, with a note.

    Args:
        app_labels: only these apps (``--app``); naming a framework app (``contenttypes``, ``sessions``) asks for it.
        exclude: ``app_label`` or ``app_label.ModelName`` (case-insensitive) to leave out (``--exclude``).

    Raises:
        UnsupportedModel: an unknown app label or model in ``app_labels``/``exclude``.
    """
    from django.apps import apps

    asked = {a.lower() for a in app_labels}
    known_apps = {c.label.lower() for c in apps.get_app_configs()}
    for label in [*asked, *(e.lower().split(".")[0] for e in exclude)]:
        if label not in known_apps:
            raise UnsupportedModel(f"no installed app with label {label!r}")
    excluded = {e.lower() for e in exclude}
    for name in excluded:
        if "." in name and not any(m._meta.label_lower == name for m in apps.get_models(include_auto_created=True)):
            raise UnsupportedModel(f"no installed model {name!r}")
    framework = {f for f in FRAMEWORK_MODELS if f.split(".")[0] not in asked}
    chosen = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        label = meta.label_lower
        if meta.proxy or not meta.managed or meta.swapped:
            continue
        owner = meta.auto_created._meta if meta.auto_created else meta  # an auto-created M2M table's owner
        if asked and owner.app_label not in asked:
            continue
        if {label, meta.app_label, owner.label_lower} & (excluded | framework):
            continue
        chosen.append(model)
    return _with_required_parents(chosen, excluded | framework, connection)


def _has_rows(model: Any, connection: Any) -> bool:
    if connection is None:
        return False
    try:
        return bool(model._base_manager.db_manager(connection.alias).exists())
    except Exception:  # e.g. the table does not exist (not migrated)
        return False


def _with_required_parents(models: list[Any], left_out: set[str],
                           connection: Any) -> tuple[list[Any], list[str]]:
    """Add the models that non-nullable FKs need; drop models whose needed parents are left out and empty."""
    from django.apps import apps

    notes: list[str] = []
    chosen = {m._meta.label_lower: m for m in models}
    changed = True
    while changed:
        changed = False
        for model in list(chosen.values()):
            for f in model._meta.local_concrete_fields:
                if not f.is_relation or f.related_model is None or f.null:
                    continue
                target = f.related_model
                label = target._meta.label_lower
                if label in chosen or label == CONTENT_TYPE_LABEL:
                    continue
                if label in left_out or target._meta.app_label in left_out:
                    if _has_rows(target, connection):
                        continue  # its existing rows are the targets
                    del chosen[model._meta.label_lower]
                    notes.append(f"{model._meta.label} is not seeded: its field {f.name} needs rows of "
                                 f"{target._meta.label}, which is not seeded and has none")
                else:
                    chosen[label] = target
                    notes.append(f"{target._meta.label} is seeded too: {model._meta.label}.{f.name} needs its rows")
                changed = True
                break
    order = {m: i for i, m in enumerate(apps.get_models(include_auto_created=True))}
    return sorted(chosen.values(), key=lambda m: order.get(m, len(order))), notes


def read_models(models: Iterable[Any], connection: Any) -> DjangoSchema:
    """Read ``models`` (concrete, managed Django models) into the schema model as ``connection`` creates them.

    Raises:
        UnsupportedModel: a field or constraint seeder cannot read; one line naming ``app.Model.field``.
    """
    models = list(models)
    reader = _ModelReader(new_draft(dialect_for(connection)), connection, models)
    for model in models:
        reader.add(model)
    return reader.finish()


class _ModelReader:
    def __init__(self, draft: DraftSchema, connection: Any, models: list[Any]) -> None:
        self.draft = draft
        self.connection = connection
        self.models = models
        self.tables: dict[TableName, ModelTable] = {}
        self.by_table: dict[TableName, Any] = {}
        self.notes: list[str] = []
        self.aware: set[tuple[TableName, str]] = set()
        self.seeded = {m._meta.label_lower for m in models}
        self.editor = connection.schema_editor(collect_sql=True)
        from django.conf import settings

        self.use_tz = bool(settings.USE_TZ)  # only its SQL compilers are used, not entered

    def finish(self) -> DjangoSchema:
        from seeder.readers.ddl_finish import finish

        schema = finish(self.draft, source=f"Django models ({self.connection.alias})")
        schema = self._aware_timestamps(schema)
        for table in schema.tables:
            for column in table.columns:
                if column.type.kind == "other" and not column.nullable and column.default is None:
                    model = self.tables[table.name]
                    name = f"{self.by_table[table.name]._meta.label}.{model.fields.get(column.name, column.name)}"
                    raise UnsupportedModel(f"{name}: seeder cannot generate values of database type "
                                           f"{column.type.sql}; leave the model out (--exclude {model.label}) or "
                                           "make the field nullable")
        return DjangoSchema(schema, self.tables, self.by_table, tuple(self.notes))

    def _aware_timestamps(self, schema: Schema) -> Schema:
        """``DateTimeField``\\ s hold aware values under ``USE_TZ`` whatever their column type: a dialect whose
        ``timestamptz`` reads as naive (MySQL's ``datetime(6)``) gets them back as ``timestamptz``."""
        if not self.aware:
            return schema
        tables = []
        for table in schema.tables:
            columns = tuple(replace(c, type=replace(c.type, kind="timestamptz"))
                            if (table.name, c.name) in self.aware and c.type.kind == "timestamp" else c
                            for c in table.columns)
            tables.append(replace(table, columns=columns))
        return replace(schema, tables=tuple(tables))

    # ------------------------------------------------------------------------------------------------ a model

    def add(self, model: Any) -> None:
        meta = model._meta
        name = TableName(None, meta.db_table)
        table = TableDraft(name=name, line=0, comment=str(meta.db_table_comment or "") or None)
        fields: dict[str, str] = {}
        natural: dict[str, dict[Any, list[str]]] = {}
        for f in meta.local_concrete_fields:
            where = f"{meta.label}.{f.name}"
            column = self._column(model, f, where)
            table.columns.append(column)
            fields[f.column] = f.name
            if f.primary_key:
                table.primary_key = (f.column,)
            if f.unique and not f.primary_key:
                table.uniques.append(UniqueDraft(columns=(f.column,)))
            if f.is_relation and f.related_model is not None:
                self._relation(table, model, f, natural)
        for together in meta.unique_together:
            table.uniques.append(UniqueDraft(columns=tuple(meta.get_field(n).column for n in together)))
        self._timestamps(table, meta)
        self.draft.add_table(table)
        for constraint in meta.constraints:
            self._constraint(model, constraint)
        self._generic_relations(table, model, natural)
        self.tables[name] = ModelTable(label=meta.label_lower, fields=fields, natural_keys=natural)
        self.by_table[name] = model

    def _column(self, model: Any, f: Any, where: str) -> ColumnDraft:
        internal = f.get_internal_type()
        db_type = f.db_type(self.connection)
        if db_type is None:
            raise UnsupportedModel(f"{where}: field type {internal} has no database column type")
        if internal == "DecimalField":
            type_text = f"decimal({f.max_digits}, {f.decimal_places})"
        elif internal == "JSONField":
            type_text = db_type if db_type.lower() in ("json", "jsonb") else "json"  # not SQLite's "text"
        elif internal == "DateTimeField" and self.use_tz:
            type_text = "timestamptz"  # aware values, as Django holds them with USE_TZ (whatever the column type)
            self.aware.add((TableName(None, model._meta.db_table), f.column))
        else:
            type_text = _FIELD_TYPES.get(internal, db_type)
        column = ColumnDraft(name=f.column, data_type=parse_type(type_text, self.draft, where), nullable=f.null,
                             declared_integer=db_type.strip().lower() == "integer")
        if internal in _AUTO_FIELDS:  # how the backend numbers it, in the words of its column suffix
            suffix = (f.db_type_suffix(self.connection) or "").upper()
            if "IDENTITY" in suffix:  # PostgreSQL (Django 4.1+): GENERATED BY DEFAULT AS IDENTITY
                column.identity = "always" if "ALWAYS" in suffix else "by_default"
            elif "AUTO_INCREMENT" in suffix or "AUTOINCREMENT" in suffix:  # MySQL; SQLite's rowid alias
                column.autoincrement = True
        column.comment = str(getattr(f, "db_comment", None) or f.help_text or "") or None
        if f.is_relation:
            return column
        check = f.db_check(self.connection)
        if check:
            column.checks.append(CheckDraft(None, parse_expression(check, self.draft, f"{where} CHECK")))
        column.checks.extend(CheckDraft(None, e) for e in self._value_rules(f, where))
        return column

    def _value_rules(self, f: Any, where: str) -> list[exp.Expression]:
        """CHECK expressions for what the application accepts: choices and bounding validators."""
        from django.core import validators as v

        col = exp.column(exp.to_identifier(f.column, quoted=True))
        rules: list[exp.Expression] = []
        if f.choices:
            values = [value for value, _label in f.flatchoices if value not in (None, "")]
            if values:
                rules.append(exp.In(this=col.copy(), expressions=[_literal(x, where) for x in values]))
        # IntegerField adds the backend's own range as validators: the column type says that already
        backend_range: tuple[Any, ...] = ()
        if f.get_internal_type() in _INTEGER_FIELDS:
            backend_range = tuple(self.connection.ops.integer_field_range(f.get_internal_type()))
        for validator in f.validators:
            limit = getattr(validator, "limit_value", None)
            if limit is not None and not callable(limit) and limit in backend_range:
                continue
            if callable(limit) or (limit is None and not isinstance(validator, v.RegexValidator)):
                continue
            if isinstance(validator, v.MinValueValidator):
                rules.append(exp.GTE(this=col.copy(), expression=_literal(limit, where)))
            elif isinstance(validator, v.MaxValueValidator):
                rules.append(exp.LTE(this=col.copy(), expression=_literal(limit, where)))
            elif isinstance(validator, v.MinLengthValidator):
                rules.append(exp.GTE(this=exp.Length(this=col.copy()), expression=exp.Literal.number(limit)))
            elif isinstance(validator, v.MaxLengthValidator):
                rules.append(exp.LTE(this=exp.Length(this=col.copy()), expression=exp.Literal.number(limit)))
            elif type(validator) is v.RegexValidator and not validator.inverse_match and not validator.flags:
                rules.append(exp.RegexpLike(this=col.copy(), expression=exp.Literal.string(validator.regex.pattern)))
        return rules

    def _timestamps(self, table: TableDraft, meta: Any) -> None:
        added = [f for f in meta.local_concrete_fields if getattr(f, "auto_now_add", False)]
        updated = [f for f in meta.local_concrete_fields if getattr(f, "auto_now", False)]
        for first in added:
            for last in updated:  # a row is modified after it is created
                table.checks.append(CheckDraft(None, exp.LTE(
                    this=exp.column(exp.to_identifier(first.column, quoted=True)),
                    expression=exp.column(exp.to_identifier(last.column, quoted=True)))))

    # --------------------------------------------------------------------------------------------- relations

    def _relation(self, table: TableDraft, model: Any, f: Any, natural: dict[str, dict[Any, list[str]]]) -> None:
        target = f.related_model
        label = target._meta.label_lower
        col = exp.column(exp.to_identifier(f.column, quoted=True))
        if label in self.seeded:
            table.foreign_keys.append(ForeignKeyDraft(
                columns=(f.column,), ref_table=TableName(None, target._meta.db_table),
                ref_columns=(f.target_field.column,),
                deferrable=bool(self.connection.features.can_defer_constraint_checks),
                initially_deferred=bool(self.connection.features.can_defer_constraint_checks)))
            return
        if self._is_generic_content_type(model, f):
            return  # pinned to the target model's content type by _generic_relations
        keys = self._existing_keys(target, f)
        if not keys:  # only nullable FKs get here (see _with_required_parents)
            table.checks.append(CheckDraft(None, exp.Is(this=col, expression=exp.Null())))
            self.notes.append(f"{model._meta.label}.{f.name} is left NULL: {target._meta.label} is not seeded "
                              "and has no rows")
            return
        table.checks.append(CheckDraft(None, exp.In(this=col, expressions=[_literal(k, f.name) for k in keys])))
        if hasattr(target, "natural_key"):
            natural[f.column] = self._natural_keys(target, f)

    def _existing_keys(self, target: Any, f: Any) -> list[Any]:
        """Existing values of the column ``f`` references, in key order (at most :data:`EXISTING_TARGETS_MAX`)."""
        manager = target._base_manager.db_manager(self.connection.alias)
        try:
            return list(manager.order_by(f.target_field.attname).values_list(f.target_field.attname, flat=True)
                        [:EXISTING_TARGETS_MAX])
        except Exception as err:  # no table: not migrated
            raise UnsupportedModel(f"{f.model._meta.label}.{f.name}: cannot read the rows of "
                                   f"{target._meta.label} it needs ({type(err).__name__}); run migrate first") \
                from None

    def _natural_keys(self, target: Any, f: Any) -> dict[Any, list[Any]]:
        """Referenced value -> ``natural_key()`` of the existing rows of ``target`` (fixtures name them so, and
        ``loaddata`` finds them in whatever database it loads into)."""
        manager = target._base_manager.db_manager(self.connection.alias)
        attname = f.target_field.attname
        return {getattr(obj, attname): list(obj.natural_key()) for obj in manager.all()[:EXISTING_TARGETS_MAX]}

    def _content_type_id(self, model: Any) -> int:
        from django.contrib.contenttypes.models import ContentType

        return int(ContentType.objects.db_manager(self.connection.alias).get_for_model(
            model, for_concrete_model=False).pk)

    @staticmethod
    def _generic_fks(model: Any) -> list[Any]:
        from django.contrib.contenttypes.fields import GenericForeignKey

        return [f for f in model._meta.private_fields if isinstance(f, GenericForeignKey)]

    def _is_generic_content_type(self, model: Any, f: Any) -> bool:
        return any(g.ct_field == f.name for g in self._generic_fks(model)) if _has_contenttypes() else False

    def _generic_relations(self, table: TableDraft, model: Any, natural: dict[str, dict[Any, list[str]]]) -> None:
        if not _has_contenttypes():
            return
        from django.contrib.contenttypes.fields import GenericRelation

        for generic in self._generic_fks(model):
            ct_field = model._meta.get_field(generic.ct_field)
            id_field = model._meta.get_field(generic.fk_field)
            declared = [m for m in self.models for f in m._meta.private_fields
                        if isinstance(f, GenericRelation) and f.related_model is model]
            id_kind = _kind_family(id_field.get_internal_type())
            candidates = declared + [m for m in self.models if m is not model and m not in declared
                                     and not m._meta.auto_created]
            target = next((m for m in candidates if _kind_family(m._meta.pk.get_internal_type()) == id_kind), None)
            where = f"{model._meta.label}.{generic.name}"
            if target is None:
                raise UnsupportedModel(f"{where}: no seeded model has a key {id_field.name} can hold")
            ct_col = exp.column(exp.to_identifier(ct_field.column, quoted=True))
            try:
                number = self._content_type_id(target)
            except Exception as err:  # no content type table: not migrated
                raise UnsupportedModel(f"{where}: cannot read the content type of {target._meta.label} "
                                       f"({type(err).__name__}); run migrate first") from None
            table.checks.append(CheckDraft(None, exp.EQ(this=ct_col, expression=exp.Literal.number(number))))
            # With the content type fixed, unique(content_type, object_id, ...) holds exactly when the other
            # columns are unique: say so, so the generator builds those by construction (taggit's TaggedItem).
            key = self.draft.names.key(ct_field.column)
            table.uniques[:] = [
                UniqueDraft(columns=tuple(c for c in u.columns if self.draft.names.key(c) != key), name=u.name,
                            expressions=u.expressions, where=u.where)
                if key in {self.draft.names.key(c) for c in u.columns} and len(u.columns) + len(u.expressions) > 1
                else u for u in table.uniques]
            table.foreign_keys.append(ForeignKeyDraft(
                columns=(id_field.column,), ref_table=TableName(None, target._meta.db_table),
                ref_columns=(target._meta.pk.column,)))
            self.notes.append(f"{where} points at {target._meta.label} rows")
            natural.setdefault(ct_field.column, self._natural_keys(ct_field.related_model, ct_field))

    # -------------------------------------------------------------------------------------------- constraints

    def _constraint(self, model: Any, constraint: Any) -> None:
        """Meta.constraints through the SQL Django's schema editor compiles, read by the DDL statement reader."""
        from django.db import models as m

        from seeder.readers.ddl_statements import StatementReader

        where = f"{model._meta.label} constraint {constraint.name}"
        if not isinstance(constraint, (m.UniqueConstraint, m.CheckConstraint)):
            return  # e.g. PostgreSQL ExclusionConstraint: not generated for (a note would repeat per model)
        try:
            sql = str(constraint.create_sql(model, self.editor))
        except Exception as err:  # Django compiles user expressions here
            raise UnsupportedModel(f"{where}: cannot compile its SQL: {err}") from None
        if not sql.strip():
            return  # the constraint does not exist on this database (e.g. a condition the backend cannot index)
        try:
            StatementReader(self.draft, where).read(0, sql)
        except SchemaReadError as err:
            raise UnsupportedModel(f"{where}: {err}") from None


_AUTO_FIELDS = {"AutoField", "BigAutoField", "SmallAutoField"}
_INTEGER_FIELDS = {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField",
                   "SmallIntegerField", "PositiveIntegerField", "PositiveBigIntegerField",
                   "PositiveSmallIntegerField"}


def _kind_family(internal_type: str) -> str:
    return "integer" if internal_type in _INTEGER_FIELDS else "text" if internal_type in (
        "CharField", "TextField", "SlugField") else internal_type


def _has_contenttypes() -> bool:
    from django.apps import apps

    return apps.is_installed("django.contrib.contenttypes")


def _literal(value: Any, where: str) -> exp.Expression:
    literal = sql_literal(value)
    if literal is None:
        raise UnsupportedModel(f"{where}: cannot express the value {value!r} of a choice or validator in SQL")
    return literal
