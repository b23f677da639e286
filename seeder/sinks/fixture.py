"""Django fixture sink: the dataset as a JSON fixture for ``manage.py loaddata``.

The file is one JSON list of ``{"model": "app_label.model", "pk": ..., "fields": {...}}`` objects, tables in dataset
(topological) order so parents are saved before children. Shape and value conventions follow Django's ``json``
serializer (``django/core/serializers/python.py`` and ``json.py``, ``DjangoJSONEncoder``, Django 4.2-5.2):

* ``pk`` is the primary-key value for a single-column key (that column is then left out of ``fields``); ``null`` for
  composite keys or tables without a key (every column goes in ``fields``, Django assigns the pk).
* A single-column FK column is written under its Django field name, the column name without a trailing ``_id``
  (``author_id`` -> ``author``), with the referenced key value, as Django's natural-key-free serializer does.
  Multi-column FK columns keep their column names (Django has no composite foreign keys).
* Values: ``Decimal`` -> string in positional notation; ``date``/``time``/``datetime`` -> ISO 8601 (Django's encoder
  truncates to milliseconds; seeder keeps all six digits, which Django's ``to_python`` parses, so nothing is lost);
  ``timedelta`` -> Django's ``duration_string`` (``"[D ]HH:MM:SS[.ffffff]"``, what ``DurationField`` writes);
  ``UUID`` -> string; ``bytes`` -> base64 (``BinaryField.value_to_string``); json/jsonb -> the document itself
  (``JSONField``), keys sorted; arrays -> JSON text of the element values (what ``ArrayField.value_to_string``
  writes and ``ArrayField.to_python`` reads); everything else -> number/bool/string.
* Text follows the NUL policy of :mod:`seeder.sinks.literals`: U+0000 is removed (PostgreSQL text cannot hold it).

FK cycles (``dataset.plan.cycle_breaks``): the final values are written directly. ``loaddata`` runs in one
transaction and, on PostgreSQL and SQLite, Django's constraints are ``DEFERRABLE INITIALLY DEFERRED`` and checked
by ``check_constraints`` at the end of the load (``django/core/management/commands/loaddata.py``), so forward
references inside the file are accepted. MySQL InnoDB checks immediately; Django disables its checks during
``loaddata`` with ``disable_constraint_checking``, so it loads there as well.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import timedelta
from typing import Any, Protocol, TextIO

from seeder import types
from seeder.dataset import Dataset, TableData
from seeder.errors import ConfigError, GenerationError
from seeder.schema import ColumnType, Table, TableName
from seeder.sinks.jsonl import canonical_json
from seeder.sinks.literals import json_compatible, strip_nul

# Django's default db_table is "<app_label>_<model_name lower case>"; an app label is a Python identifier.
_DJANGO_TABLE = re.compile(r"^([A-Za-z_][A-Za-z0-9]*)_(\w+)$")


class FixtureModel(Protocol):
    """What a reader that knows the Django models says about one table, instead of naming rules.

    Attributes:
        label: the model label, ``app_label.model_name``.
        fields: column -> field name (columns not listed keep their name).
        natural_keys: column -> value -> the natural key written instead (e.g. content types as
            ``["app_label", "model"]``, which ``loaddata`` resolves in the database it loads into).
    """

    @property
    def label(self) -> str: ...

    @property
    def fields(self) -> Mapping[str, str]: ...

    @property
    def natural_keys(self) -> Mapping[str, Mapping[Any, list[Any]]]: ...


def model_label(table: Table, app_label: str | None = None) -> str:
    """The ``app_label.model_name`` Django label for ``table``.

    Args:
        table: the table; only its unqualified name is used.
        app_label: the Django app that holds every model. When given, the model name is the table name with a
            leading ``<app_label>_`` removed (Django's default ``db_table`` naming), else the whole table name.
            When ``None``, the table name must look like Django's default ``<app>_<model>`` naming and is split at
            its first underscore.

    Raises:
        ConfigError: ``app_label`` is ``None`` and the table name has no ``<app>_`` prefix.
    """
    name = strip_nul(table.name.name)
    if app_label is not None:
        prefix = app_label + "_"
        model = name[len(prefix):] if name.lower().startswith(prefix.lower()) and len(name) > len(prefix) else name
        return f"{app_label}.{model.lower()}"
    m = _DJANGO_TABLE.match(name)
    if m is None:
        raise ConfigError(f"table {table.name} does not follow Django's <app>_<model> naming: "
                          "give the app label (--fixture-app)")
    return f"{m.group(1)}.{m.group(2).lower()}"


def duration_string(value: timedelta) -> str:
    """Django's ``duration_string`` format (``django.utils.duration``): ``[D ]HH:MM:SS[.ffffff]`` from the
    normalised ``timedelta`` fields (days omitted when 0, negative durations as negative days plus a positive
    time, e.g. ``-1 23:59:59``), which ``parse_duration`` reads back exactly."""
    minutes, secs = divmod(value.seconds, 60)
    hours, minutes = divmod(minutes, 60)
    text = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    if value.days:
        text = f"{value.days} " + text
    if value.microseconds:
        text += f".{value.microseconds:06d}"
    return text


def _scalar(value: Any) -> Any:
    if isinstance(value, timedelta):
        return duration_string(value)
    return json_compatible(value)


def _array_text(value: Any) -> Any:
    if value is None:
        return None
    return json.dumps(json_compatible(value), ensure_ascii=False, allow_nan=False)


def _converter(col_type: ColumnType | None) -> Callable[[Any], Any]:
    if col_type is not None and col_type.kind in types.JSON_KINDS:
        return canonical_json
    if col_type is not None and col_type.kind == "array":
        return _array_text
    return _scalar


def _field_names(td: TableData) -> dict[str, str]:
    """Column -> Django field name: single-column FK columns lose a trailing ``_id``."""
    names = {c: strip_nul(c) for c in td.columns}
    for fk in td.table.foreign_keys:
        if len(fk.columns) == 1 and fk.columns[0] in names:
            col = names[fk.columns[0]]
            if col.endswith("_id") and len(col) > 3:
                names[fk.columns[0]] = col[:-3]
    return names


def _natural(keys: Mapping[Any, list[Any]]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else keys[value]


def _objects(td: TableData, app_label: str | None, model: FixtureModel | None = None) -> Iterator[dict[str, Any]]:
    label = model.label if model is not None else model_label(td.table, app_label)
    by_name = {c.name: c for c in td.table.columns}
    pk_cols = td.table.primary_key.columns if td.table.primary_key else ()
    pk_index = td.columns.index(pk_cols[0]) if len(pk_cols) == 1 and pk_cols[0] in td.columns else None
    names = {c: model.fields.get(c, c) for c in td.columns} if model is not None else _field_names(td)
    natural = model.natural_keys if model is not None else {}
    fields = [(i, names[c], _natural(natural[c]) if c in natural else
               _converter(by_name[c].type if c in by_name else None))
              for i, c in enumerate(td.columns) if i != pk_index]
    pk_type = by_name[td.columns[pk_index]].type if pk_index is not None and td.columns[pk_index] in by_name else None
    pk_conv = _converter(pk_type)
    for row in td.rows():
        pk = pk_conv(row[pk_index]) if pk_index is not None else None
        yield {"model": label, "pk": pk, "fields": {name: conv(row[i]) for i, name, conv in fields}}


def write_fixture(dataset: Dataset, out: TextIO, *, app_label: str | None = None,
                  models: Mapping[TableName, FixtureModel] | None = None) -> None:
    """Write ``dataset`` to ``out`` as a Django JSON fixture (see the module docstring for the format).

    Args:
        dataset: the generated data; tables are written in its (topological) order.
        out: a text stream; receives one JSON list, one object per line, UTF-8 characters unescaped.
        app_label: the Django app label of every model (see :func:`model_label`); ``None``: taken from table names.
        models: per table, its model label and field names as a reader of the Django models knows them (tables
            listed here ignore ``app_label`` and the naming rules).

    Raises:
        ConfigError: no ``app_label`` and a table name without Django's ``<app>_<model>`` form.
        GenerationError: a float value is not finite (JSON has no NaN/Infinity).
    """
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
    out.write("[")
    first = True
    for td in dataset.final_tables():
        model = models.get(td.table.name) if models is not None else None
        for index, obj in enumerate(_objects(td, app_label, model)):
            try:
                text = encode(obj)
            except ValueError as err:
                raise GenerationError(f"table {td.table.name}, row {index + 1}: value is not valid JSON ({err})") \
                    from None
            out.write(("\n" if first else ",\n") + text)
            first = False
    out.write("\n]\n")
