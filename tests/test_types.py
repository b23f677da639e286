"""Type facts (seeder.types): ranges by type and dialect, maximum lengths, whether a value fits, and that the value
generators, the CHECK analysis and the LLM validator all follow them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import numpy as np
import pytest

from seeder.errors import GenerationError
from seeder.generate.checks import derive_spec
from seeder.generate.spec import ValueSpec
from seeder.generate.values import generate_values, unique_capacity
from seeder.llm.validate import InvalidValue, convert_cell
from seeder.readers.ddl import read_ddl
from seeder.schema import Check, Column, ColumnType, Table, TableName
from seeder.types import integer_range, length_limit, type_name, value_problem, value_range

TINYINT = ColumnType("smallint", "TINYINT")


@pytest.mark.parametrize(("ctype", "dialect", "expected"), [
    (TINYINT, "mysql", (-128, 127)),
    (TINYINT, "tsql", (0, 255)),
    (TINYINT, "", (0, 127)),  # unknown dialect: what both accept
    (TINYINT, "sqlite", (0, 127)),
    (ColumnType("smallint", "TINYINT UNSIGNED", unsigned=True), "mysql", (0, 255)),
    (ColumnType("integer", "MEDIUMINT"), "mysql", (-(2**23), 2**23 - 1)),
    (ColumnType("integer", "MEDIUMINT UNSIGNED", unsigned=True), "mysql", (0, 2**24 - 1)),
    (ColumnType("smallint", "YEAR"), "mysql", (1901, 2155)),
    (ColumnType("smallint", "smallint"), "postgres", (-(2**15), 2**15 - 1)),
    (ColumnType("integer", "INT UNSIGNED", unsigned=True), "mysql", (0, 2**32 - 1)),
    (ColumnType("bigint", "BIGINT UNSIGNED", unsigned=True), "mysql", (0, 2**64 - 1)),
])
def test_integer_ranges(ctype: ColumnType, dialect: str, expected: tuple[int, int]) -> None:
    assert integer_range(ctype, dialect) == expected


def test_value_ranges_of_other_kinds() -> None:
    numeric = value_range(ColumnType("decimal", "numeric(65,30)", precision=65, scale=30))
    assert numeric[1] == Decimal("9" * 35 + "." + "9" * 30) and numeric[0] == numeric[1].copy_negate()  # exact
    assert value_range(ColumnType("decimal", "numeric(2,-3)", precision=2, scale=-3)) == (-99000, 99000)
    assert value_range(ColumnType("decimal", "DECIMAL(5,2) UNSIGNED", precision=5, scale=2, unsigned=True)) == \
        (0, Decimal("999.99"))
    assert value_range(ColumnType("decimal", "numeric")) == (None, None)
    assert value_range(ColumnType("timestamp", "TIMESTAMP"), "mysql") == (datetime(1970, 1, 2), datetime(2038, 1, 18))
    assert value_range(ColumnType("timestamp", "DATETIME"), "mysql") == (None, None)
    assert value_range(ColumnType("timestamp", "timestamp"), "postgres") == (None, None)
    assert value_range(ColumnType("boolean", "TINYINT(1)"), "mysql") == (None, None)  # a boolean, not a tinyint


def test_length_limit_and_type_name() -> None:
    assert length_limit(ColumnType("varchar", "varchar(10)", length=10)) == 10
    assert length_limit(ColumnType("varchar", "varchar(10)", length=10), 4) == 4
    assert length_limit(ColumnType("text", "text"), 30) == 30
    assert length_limit(ColumnType("text", "text")) is None
    assert type_name("public.geometry(POLYGON, 4326)") == ("geometry", "POLYGON, 4326")
    assert type_name("TINYINT(3) UNSIGNED") == ("tinyint unsigned", "3")


def test_value_problem_names_the_reason() -> None:
    assert value_problem(200, TINYINT, "mysql") == "out of range for TINYINT: 200 (allowed -128 to 127)"
    assert value_problem(127, TINYINT, "mysql") is None
    assert value_problem("x" * 11, ColumnType("varchar", "varchar(10)", length=10)) == \
        "too long: 11 characters, at most 10 allowed"
    assert value_problem(datetime(2040, 1, 1), ColumnType("timestamp", "TIMESTAMP"), "mysql").startswith(
        "out of range for TIMESTAMP: 2040-01-01 00:00:00")
    assert value_problem(1e39, ColumnType("float", "real")) is not None
    assert value_problem("text", TINYINT, "mysql") is None  # other types are the caller's conversion's business


def _spec(ctype: ColumnType, dialect: str, **checks: str) -> ValueSpec:
    table = Table(TableName(None, "t"), (Column("n", ctype, nullable=False),),
                  checks=tuple(Check(name, read_ddl(f"CREATE TABLE x (n int CHECK ({sql}))", "postgres").tables[0]
                                     .columns[0].checks[0].expression, sql) for name, sql in checks.items()))
    return derive_spec(table, table.column("n"), dialect=dialect)


@pytest.mark.parametrize(("ctype", "dialect"), [
    (TINYINT, "mysql"), (TINYINT, "tsql"), (ColumnType("smallint", "YEAR"), "mysql"),
    (ColumnType("integer", "MEDIUMINT UNSIGNED", unsigned=True), "mysql"),
])
def test_generator_and_validator_follow_the_same_range(ctype: ColumnType, dialect: str) -> None:
    """Every value the generator makes is accepted by the LLM validator, and the generator reaches both ends of the
    range the validator accepts."""
    spec = _spec(ctype, dialect)
    low, high = integer_range(ctype, dialect)
    random_values = generate_values(spec, 2000, np.random.default_rng(1))
    assert all(convert_cell(v, spec) == v for v in random_values)
    assert unique_capacity(spec) == high - low + 1
    top = _spec(ctype, dialect, top=f"n >= {high - 5}")
    assert sorted(generate_values(top, 6, np.random.default_rng(1), unique=True)) == list(range(high - 5, high + 1))
    bottom = _spec(ctype, dialect, bottom=f"n <= {low + 5}")
    assert sorted(generate_values(bottom, 6, np.random.default_rng(1), unique=True)) == list(range(low, low + 6))
    for outside in (low - 1, high + 1):
        with pytest.raises(InvalidValue, match="out of range"):
            convert_cell(outside, spec)


def test_check_bounds_beyond_the_type_are_clamped_or_contradictory() -> None:
    spec = _spec(TINYINT, "mysql", wide="n BETWEEN -1000 AND 1000")
    assert (spec.lower, spec.upper) == (-128, 127)
    with pytest.raises(GenerationError, match="above the TINYINT maximum 127"):
        _spec(TINYINT, "mysql", high="n >= 200")
    assert _spec(TINYINT, "tsql", high="n >= 200").lower == 200  # SQL Server's tinyint holds 200
