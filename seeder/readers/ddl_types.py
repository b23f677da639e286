"""Map sqlglot ``DataType`` nodes to the schema model's :class:`~seeder.schema.ColumnType`.

Only built-in types are handled here; user-defined types (PostgreSQL enums and domains) are looked up by the
caller, which gets their name from :func:`user_type_name`. How a dialect's spellings differ from sqlglot's generic
reading (MySQL ``TINYINT(1)``, T-SQL ``BIT``, Oracle ``NUMBER(p)`` and ``DATE``, ...) is the ``read.types`` entry of
the dialect in the registry (:mod:`seeder.dialects`); types sqlglot misreads are corrected by the reader
work-arounds (:mod:`seeder.readers.ddl_workarounds`). Facts used here: PostgreSQL ``serial``/``bigserial``/
``smallserial`` are ``integer``/``bigint``/``smallint`` plus a sequence default ("Serial Types"); ``name`` is a
63-byte identifier string; ``citext`` is case-insensitive text; ``(MAX)`` lengths are unbounded; T-SQL
``ROWVERSION`` is a server-set binary(8); Oracle ``RAW(n)`` is binary and ``CLOB``/``NCLOB`` text.
"""

from __future__ import annotations

from sqlglot import exp

from seeder.dialects import Dialect
from seeder.readers.ddl_workarounds import workarounds_for
from seeder.schema import ColumnType, TypeKind

_T = exp.DataType.Type


def _kinds(kind: TypeKind, *names: str) -> dict[str, TypeKind]:
    # By member name, so that a sqlglot release that drops a member does not break the import.
    return {name: kind for name in names}


_KIND_BY_DTYPE: dict[str, TypeKind] = {
    **_kinds("smallint", "SMALLINT", "TINYINT", "USMALLINT", "UTINYINT", "SMALLSERIAL", "YEAR"),
    **_kinds("integer", "INT", "MEDIUMINT", "UINT", "UMEDIUMINT", "SERIAL"),
    **_kinds("bigint", "BIGINT", "UBIGINT", "BIGSERIAL"),
    **_kinds("decimal", "DECIMAL", "UDECIMAL", "BIGDECIMAL", "DECIMAL32", "DECIMAL64", "DECIMAL128", "DECIMAL256"),
    **_kinds("float", "FLOAT"),
    **_kinds("double", "DOUBLE", "UDOUBLE"),
    **_kinds("money", "MONEY", "SMALLMONEY"),
    **_kinds("char", "CHAR", "NCHAR", "BPCHAR"),
    **_kinds("varchar", "VARCHAR", "NVARCHAR", "NAME"),
    **_kinds("text", "TEXT", "TINYTEXT", "MEDIUMTEXT", "LONGTEXT"),
    **_kinds("boolean", "BOOLEAN"),
    **_kinds("date", "DATE", "DATE32"),
    **_kinds("time", "TIME", "TIMETZ"),
    **_kinds("timestamp", "TIMESTAMP", "DATETIME", "DATETIME2", "SMALLDATETIME", "TIMESTAMPNTZ", "DATETIME64"),
    **_kinds("timestamptz", "TIMESTAMPTZ", "TIMESTAMPLTZ"),
    **_kinds("interval", "INTERVAL"),
    **_kinds("uuid", "UUID"),
    **_kinds("json", "JSON"),
    **_kinds("jsonb", "JSONB"),
    **_kinds("bytes", "BINARY", "VARBINARY", "BLOB", "TINYBLOB", "MEDIUMBLOB", "LONGBLOB", "IMAGE"),
    **_kinds("inet", "INET"),
    **_kinds("xml", "XML"),
    **_kinds("bit", "BIT"),
}

# Extension and PostgreSQL types sqlglot keeps as user-defined names, by lower-case unqualified name.
_KIND_BY_USER_NAME: dict[str, TypeKind] = {
    "cidr": "cidr", "macaddr": "macaddr", "macaddr8": "macaddr", "tsvector": "tsvector", "citext": "text",
    "varbit": "bit", "bit varying": "bit", "char": "char",  # "char" (quoted): PostgreSQL's one-byte type
    "raw": "bytes", "long raw": "bytes", "nclob": "text", "xmltype": "xml", "binary_float": "float",  # Oracle
    "sysname": "varchar",  # T-SQL: nvarchar(128)
}
_USER_TYPE_LENGTH = {"sysname": 128}

# Integer kinds for Oracle NUMBER(p, 0), by the largest precision each holds in full (smallint: 4 digits, 9999).
_INTEGER_BY_PRECISION: tuple[tuple[int, TypeKind], ...] = (
    (4, "smallint"), (9, "integer"), (18, "bigint"),
)

_SERIAL_BASE = {"SERIAL": "INT", "BIGSERIAL": "BIGINT", "SMALLSERIAL": "SMALLINT"}
_UNSIGNED = {"USMALLINT", "UTINYINT", "UINT", "UMEDIUMINT", "UBIGINT", "UDECIMAL", "UDOUBLE"}
_LENGTH_KINDS = {"char", "varchar", "bit", "bytes"}


def _member(data_type: exp.DataType) -> str:
    """The ``DataType.Type`` member name; ``INTERVAL`` for ``interval hour to minute`` (whose ``this`` is an
    ``exp.Interval``), ``""`` for nodes like ``ObjectIdentifier`` (``oid``, ``regclass``) that carry plain text."""
    if isinstance(data_type.this, exp.DataType.Type):
        return data_type.this.name
    return "INTERVAL" if isinstance(data_type.this, exp.Interval) else ""


def is_serial(data_type: exp.DataType) -> bool:
    """True for PostgreSQL ``serial``/``bigserial``/``smallserial`` (an integer column numbered by a sequence)."""
    return _member(data_type) in _SERIAL_BASE


def user_type_name(data_type: exp.DataType) -> tuple[exp.Identifier | None, exp.Identifier] | None:
    """For a user-defined type, its ``(schema identifier or None, name identifier)``; ``None`` for built-ins."""
    if data_type.this != _T.USERDEFINED:
        return None
    kind = data_type.args.get("kind")
    if isinstance(kind, exp.Identifier):
        return None, kind
    if isinstance(kind, exp.Dot) and isinstance(kind.expression, exp.Identifier):
        schema = kind.this if isinstance(kind.this, exp.Identifier) else None
        return schema, kind.expression
    if isinstance(kind, str):
        return None, exp.to_identifier(kind)
    return None


def _int_params(data_type: exp.DataType) -> list[int | None]:
    values: list[int | None] = []
    for param in data_type.expressions:
        node = param.this if isinstance(param, exp.DataTypeParam) else param
        values.append(int(node.name) if isinstance(node, exp.Literal) and node.name.isdigit() else None)
    return values


def _integer_number(params: list[int | None], sql: str) -> ColumnType:
    """Oracle ``NUMBER(p[, s])`` (``TypeRules.number_is_integer``): the narrowest integer kind for scale 0."""
    precision = params[0] if params else None
    scale = params[1] if len(params) > 1 else (0 if params else None)
    if scale == 0:
        for digits, kind in _INTEGER_BY_PRECISION:
            if precision is not None and precision <= digits:
                return ColumnType(kind=kind, sql=sql)
        return ColumnType(kind="decimal", sql=sql, precision=precision or 38, scale=0)
    return ColumnType(kind="decimal", sql=sql, precision=precision, scale=scale)


def map_type(data_type: exp.DataType, dialect: Dialect) -> ColumnType:
    """Map a built-in sqlglot ``DataType`` (as parsed in ``dialect``) to a :class:`ColumnType`.

    ``sql`` is the type rendered by sqlglot in the dialect (serial types render as their integer base type, since
    ``serial`` is not a type a value can be cast to). Unknown and user-defined types map to kind ``"other"`` unless
    they are well-known extension types (``cidr``, ``macaddr``, ``tsvector``, ``citext``, ``varbit``). Arrays map to
    ``kind="array"`` with ``element`` mapped the same way. The dialect's ``read.types`` rules
    (:class:`~seeder.dialects.rules.TypeRules`) and the reader work-arounds for types sqlglot misreads apply.
    """
    name = dialect.sqlglot_dialect
    rules = dialect.read.types
    member = _member(data_type)
    if member in _SERIAL_BASE:
        base = exp.DataType.build(_SERIAL_BASE[member])
        return ColumnType(kind=_KIND_BY_DTYPE[member], sql=base.sql(name, copy=False))
    sql = data_type.sql(name, copy=False)  # rendering only; the node is not kept in the model
    if member == "ARRAY":
        element = data_type.expressions[0] if data_type.expressions else None
        element_type = map_type(element, dialect) if isinstance(element, exp.DataType) else None
        return ColumnType(kind="array", sql=sql, element=element_type)
    if member in ("ENUM", "ENUM8", "ENUM16", "SET"):
        labels = tuple(e.name for e in data_type.expressions if isinstance(e, exp.Literal))
        return ColumnType(kind="set" if member == "SET" else "enum", sql=sql, values=labels)
    if member == "USERDEFINED":
        user = user_type_name(data_type)
        user_name = user[1].name.lower() if user else ""
        user_kind = _KIND_BY_USER_NAME.get(user_name, "other")
        length = _int_params(data_type)[0] if user_kind in _LENGTH_KINDS and data_type.expressions else None
        if user_kind == "char":
            length = 1
        return ColumnType(kind=user_kind, sql=sql, length=_USER_TYPE_LENGTH.get(user_name, length))
    params = _int_params(data_type)
    for boolean_member, boolean_params in rules.boolean_types:
        if member == boolean_member and (boolean_params is None or tuple(params) == boolean_params):
            return ColumnType(kind="boolean", sql=sql)
    misread = workarounds_for(name).misread_type(member)
    if misread is not None:
        return misread
    if member == "ROWVERSION":  # T-SQL rowversion/timestamp: a server-set binary(8)
        return ColumnType(kind="bytes", sql=sql, length=8)
    if rules.number_is_integer and member == "DECIMAL":
        return _integer_number(params, sql)
    kind = _KIND_BY_DTYPE.get(member, "other")
    if rules.date_has_time and member == "DATE":
        kind = "timestamp"
    if rules.naive_timestamptz and kind == "timestamptz":
        kind = "timestamp"
    if member == "FLOAT" and rules.float_single_max_bits is not None and not (
            params and params[0] is not None and params[0] <= rules.float_single_max_bits):
        kind = "double"
    length = precision = scale = None
    if kind in _LENGTH_KINDS and params:
        length = params[0]
    elif kind == "decimal" and params:
        precision = params[0]
        scale = params[1] if len(params) > 1 else 0
    elif kind == "varchar" and member == "NAME":
        length = 63
    elif member in rules.length_one_when_unsized:
        length = 1  # CHAR and BIT without a length mean length 1
    elif kind == "decimal" and rules.decimal_default is not None:
        precision, scale = rules.decimal_default
    return ColumnType(kind=kind, sql=sql, length=length, precision=precision, scale=scale,
                      unsigned=member in _UNSIGNED)
