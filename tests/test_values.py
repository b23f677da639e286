"""Tests of the local value generators (seeder.generate.values and the modules behind it)."""

from __future__ import annotations

import re
import time as _time
import uuid
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, get_args

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seeder.errors import GenerationError
from seeder.generate.checks.like import like_matches, parse_like
from seeder.generate.spec import ValueSpec
from seeder.generate.values import generate_values, semantic_kind, unique_capacity
from seeder.generate.values.integer_domain import IntRange, UniqueSequence
from seeder.schema import Column, ColumnType, Table, TableName, TypeKind
from seeder.semantic import split_identifier
from tests.engines import schema_path

_TYPE_KEYS = ("length", "precision", "scale", "unsigned", "values", "element")
HYPO = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def make_spec(name: str, kind: str, *, sql: str | None = None, table: str = "thing", nullable: bool = False,
              **kwargs: Any) -> ValueSpec:
    """A spec for column ``name`` of type ``kind``; type attributes and ValueSpec fields go in ``kwargs``."""
    type_kwargs = {k: kwargs.pop(k) for k in list(kwargs) if k in _TYPE_KEYS}
    ctype = ColumnType(kind, sql or kind, **type_kwargs)  # type: ignore[arg-type]
    column = Column(name, ctype, nullable=nullable)
    return ValueSpec(column=column, table=TableName("public", table), **kwargs)


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


# ---------------------------------------------------------------------------------------------------------------
# Every kind gives the documented Python type

EXPECTED_TYPES: dict[str, tuple[type, ...]] = {
    "smallint": (int,), "integer": (int,), "bigint": (int,), "decimal": (Decimal,), "money": (Decimal,),
    "float": (float,), "double": (float,), "char": (str,), "varchar": (str,), "text": (str,), "xml": (str,),
    "boolean": (bool,), "date": (date,), "time": (time,), "timestamp": (datetime,), "timestamptz": (datetime,),
    "interval": (timedelta,), "uuid": (uuid.UUID,), "json": (dict, list, str, int, float, bool),
    "jsonb": (dict, list, str, int, float, bool), "bytes": (bytes,), "inet": (str,), "cidr": (str,),
    "macaddr": (str,), "enum": (str,), "set": (str,), "array": (list,), "bit": (str,), "tsvector": (str,),
}
TYPE_ARGS: dict[str, dict[str, Any]] = {
    "char": {"length": 4}, "varchar": {"length": 30}, "decimal": {"precision": 8, "scale": 3},
    "enum": {"values": ("small", "medium", "large")}, "set": {"values": ("a", "b", "c")},
    "array": {"element": ColumnType("integer", "integer")}, "bit": {"length": 6}, "bytes": {"length": 12},
}


def test_expected_types_cover_every_type_kind() -> None:
    assert set(EXPECTED_TYPES) | {"other"} == set(get_args(TypeKind))


@pytest.mark.parametrize("kind", sorted(EXPECTED_TYPES))
@pytest.mark.parametrize("unique", [False, True])
def test_every_kind_produces_its_python_type(kind: str, unique: bool) -> None:
    spec = make_spec("value", kind, **TYPE_ARGS.get(kind, {}))
    n = min(3, unique_capacity(spec) or 3) if unique else 50
    values = generate_values(spec, n, rng(), unique=unique)
    assert len(values) == n
    for v in values:
        assert isinstance(v, EXPECTED_TYPES[kind]), (kind, v)
        assert not (kind in ("integer", "smallint", "bigint") and isinstance(v, bool))
    if unique:
        assert len({repr(v) for v in values}) == n


def test_timestamptz_is_aware_utc_and_timestamp_naive() -> None:
    aware = generate_values(make_spec("t", "timestamptz"), 20, rng())
    naive = generate_values(make_spec("t", "timestamp"), 20, rng())
    assert all(v.tzinfo is not None and v.utcoffset() == timedelta(0) for v in aware)
    assert all(v.tzinfo is None for v in naive)


def test_other_kind_gives_null_when_nullable_and_fails_otherwise() -> None:
    assert generate_values(make_spec("shape", "other", sql="mystery", nullable=True), 4, rng()) == [None] * 4
    with pytest.raises(GenerationError, match=r"public\.thing\.shape: type mystery is not supported by the value "
                                              r"generators; give the column a DEFAULT or make it nullable"):
        generate_values(make_spec("shape", "other", sql="mystery"), 4, rng())


def test_special_text_formats() -> None:
    for v in generate_values(make_spec("b", "bit", length=7), 30, rng()):
        assert re.fullmatch(r"[01]{7}", v)
    for v in generate_values(make_spec("m", "macaddr"), 30, rng()):
        assert re.fullmatch(r"([0-9a-f]{2}:){5}[0-9a-f]{2}", v)
    for v in generate_values(make_spec("ip", "inet"), 30, rng()):
        assert all(0 <= int(p) <= 255 for p in v.split("."))
    for v in generate_values(make_spec("net", "cidr"), 30, rng(), unique=True):
        assert v.endswith(".0/24")
    for v in generate_values(make_spec("doc", "tsvector"), 30, rng()):
        assert re.fullmatch(r"'[a-z]+':\d+( '[a-z0-9]+':\d+)*", v)
    for v in generate_values(make_spec("s", "set", values=("x", "y", "z")), 50, rng()):
        labels = v.split(",")
        assert labels == sorted(labels, key="xyz".index) and set(labels) <= {"x", "y", "z"}
    for v in generate_values(make_spec("b", "bytes", length=12), 30, rng()):
        assert len(v) <= 12


# ---------------------------------------------------------------------------------------------------------------
# Bounds, precision, lengths


@HYPO
@given(lo=st.one_of(st.none(), st.integers(-40000, 40000)), hi=st.one_of(st.none(), st.integers(-40000, 40000)),
       lo_ex=st.booleans(), hi_ex=st.booleans(), kind=st.sampled_from(["smallint", "integer", "bigint"]),
       unique=st.booleans(), seed=st.integers(0, 1000))
def test_integer_bounds(lo: int | None, hi: int | None, lo_ex: bool, hi_ex: bool, kind: str, unique: bool,
                        seed: int) -> None:
    spec = make_spec("n", kind, lower=lo, upper=hi, lower_exclusive=lo_ex, upper_exclusive=hi_ex)
    eff_lo = None if lo is None else lo + lo_ex
    eff_hi = None if hi is None else hi - hi_ex
    if kind == "smallint":
        eff_lo = -(2**15) if eff_lo is None else max(eff_lo, -(2**15))
        eff_hi = 2**15 - 1 if eff_hi is None else min(eff_hi, 2**15 - 1)
    if eff_lo is not None and eff_hi is not None and eff_lo > eff_hi:
        with pytest.raises(GenerationError):
            generate_values(spec, 5, rng(seed))
        return
    n = 40
    if unique and eff_lo is not None and eff_hi is not None:
        n = min(n, eff_hi - eff_lo + 1)
    values = generate_values(spec, n, rng(seed), unique=unique)
    for v in values:
        assert type(v) is int
        assert eff_lo is None or v >= eff_lo
        assert eff_hi is None or v <= eff_hi
    if unique:
        assert len(set(values)) == n


@HYPO
@given(precision=st.integers(1, 12), data=st.data(), unique=st.booleans(), seed=st.integers(0, 100))
def test_decimal_precision_scale_and_bounds(precision: int, data: st.DataObject, unique: bool, seed: int) -> None:
    scale = data.draw(st.integers(0, precision))
    top = Decimal(10**precision - 1).scaleb(-scale)
    bound = st.one_of(st.none(), st.decimals(min_value=-top * 2, max_value=top * 2, places=scale + 1,
                                             allow_nan=False, allow_infinity=False))
    lo, hi = data.draw(bound), data.draw(bound)
    lo_ex, hi_ex = data.draw(st.booleans()), data.draw(st.booleans())
    spec = make_spec("amount", "decimal", precision=precision, scale=scale, lower=lo, upper=hi,
                     lower_exclusive=lo_ex, upper_exclusive=hi_ex)
    try:
        values = generate_values(spec, 30 if not unique else min(30, unique_capacity(spec) or 30), rng(seed),
                                 unique=unique)
    except GenerationError:
        step = Decimal(1).scaleb(-scale)
        low = max(-top, lo if lo is not None else -top)
        high = min(top, hi if hi is not None else top)
        grid_lo = (low / step).to_integral_value(rounding="ROUND_CEILING")
        grid_hi = (high / step).to_integral_value(rounding="ROUND_FLOOR")
        assert grid_hi - grid_lo <= 1  # only (nearly) empty ranges may fail
        return
    for v in values:
        assert isinstance(v, Decimal)
        assert -top <= v <= top
        assert v == v.quantize(Decimal(1).scaleb(-scale))
        if lo is not None:
            assert v > lo if lo_ex else v >= lo
        if hi is not None:
            assert v < hi if hi_ex else v <= hi
    if unique:
        assert len(set(values)) == len(values)


def test_numeric_5_2_stays_below_1000() -> None:
    values = generate_values(make_spec("replacement_cost", "decimal", precision=5, scale=2), 5000, rng())
    assert max(values) <= Decimal("999.99") and min(values) > 0
    assert all(v.as_tuple().exponent == -2 for v in values)


@HYPO
@given(lo=st.one_of(st.none(), st.dates(date(1900, 1, 1), date(2100, 1, 1))),
       hi=st.one_of(st.none(), st.dates(date(1900, 1, 1), date(2100, 1, 1))),
       lo_ex=st.booleans(), hi_ex=st.booleans(), unique=st.booleans(), seed=st.integers(0, 100))
def test_date_bounds(lo: date | None, hi: date | None, lo_ex: bool, hi_ex: bool, unique: bool, seed: int) -> None:
    spec = make_spec("d", "date", lower=lo, upper=hi, lower_exclusive=lo_ex, upper_exclusive=hi_ex)
    eff_lo = None if lo is None else lo.toordinal() + lo_ex
    eff_hi = None if hi is None else hi.toordinal() - hi_ex
    if eff_lo is not None and eff_hi is not None and eff_lo > eff_hi:
        with pytest.raises(GenerationError, match=r"public\.thing\.d"):
            generate_values(spec, 3, rng(seed))
        return
    n = 25 if eff_lo is None or eff_hi is None else min(25, eff_hi - eff_lo + 1)
    values = generate_values(spec, n, rng(seed), unique=unique)
    for v in values:
        assert type(v) is date
        assert eff_lo is None or v.toordinal() >= eff_lo
        assert eff_hi is None or v.toordinal() <= eff_hi
    if unique:
        assert len(set(values)) == n


@HYPO
@given(lo=st.one_of(st.none(), st.datetimes(datetime(1990, 1, 1), datetime(2040, 1, 1))),
       width=st.one_of(st.none(), st.timedeltas(timedelta(0), timedelta(days=400))),
       lo_ex=st.booleans(), hi_ex=st.booleans(), aware=st.booleans(), unique=st.booleans())
def test_timestamp_bounds(lo: datetime | None, width: timedelta | None, lo_ex: bool, hi_ex: bool, aware: bool,
                          unique: bool) -> None:
    hi = None if lo is None or width is None else lo + width
    tz = timezone(timedelta(hours=5)) if aware else None
    spec = make_spec("ts", "timestamptz" if aware else "timestamp",
                     lower=lo.replace(tzinfo=tz) if lo else None, upper=hi.replace(tzinfo=tz) if hi else None,
                     lower_exclusive=lo_ex, upper_exclusive=hi_ex)
    try:
        values = generate_values(spec, 20, rng(), unique=unique)
    except GenerationError:
        assert lo is not None and hi is not None and width is not None and width <= timedelta(seconds=20)
        return
    for v in values:
        if aware:
            assert v.tzinfo is not None
            v = v.astimezone(tz).replace(tzinfo=None)
        if lo is not None:
            assert v > lo if lo_ex else v >= lo
        if hi is not None:
            assert v < hi if hi_ex else v <= hi
        assert v.microsecond == 0
    if unique:
        assert len(set(values)) == len(values)


def test_time_and_interval_bounds() -> None:
    times = generate_values(make_spec("t", "time", lower=time(9, 0), upper=time(17, 30), upper_exclusive=True),
                            500, rng())
    assert all(time(9, 0) <= t < time(17, 30) for t in times)
    spans = generate_values(make_spec("i", "interval", lower=timedelta(hours=1), upper=timedelta(hours=2),
                                      lower_exclusive=True), 500, rng(), unique=True)
    assert all(timedelta(hours=1) < s <= timedelta(hours=2) for s in spans)
    assert len(set(spans)) == 500


def test_float_bounds_and_semantics() -> None:
    values = generate_values(make_spec("ratio", "double", lower=0.0, upper=1.0, lower_exclusive=True), 2000, rng())
    assert all(0.0 < v <= 1.0 for v in values)
    lats = generate_values(make_spec("latitude", "double"), 2000, rng())
    assert all(-90 <= v <= 90 for v in lats)
    assert min(lats) < -45 and max(lats) > 45


@pytest.mark.parametrize(("kind", "sql", "unsigned", "lo", "hi"), [
    ("smallint", "smallint", False, -(2**15), 2**15 - 1),
    ("smallint", "tinyint unsigned", True, 0, 255),
    ("smallint", "tinyint", False, 0, 127),
    ("integer", "mediumint unsigned", True, 0, 2**24 - 1),
    ("integer", "int unsigned", True, 0, 2**32 - 1),
    ("bigint", "bigint", False, -(2**63), 2**63 - 1),
])
def test_integer_type_ranges(kind: str, sql: str, unsigned: bool, lo: int, hi: int) -> None:
    wide = make_spec("n", kind, sql=sql, unsigned=unsigned, lower=-(2**70), upper=2**70)
    values = generate_values(wide, 3000, rng())
    assert all(lo <= v <= hi for v in values)
    at_top = make_spec("n", kind, sql=sql, unsigned=unsigned, lower=hi - 5)
    assert sorted(generate_values(at_top, 6, rng(), unique=True)) == list(range(hi - 5, hi + 1))


def test_special_numeric_types() -> None:
    years = generate_values(make_spec("y", "smallint", sql="year"), 500, rng())
    assert all(1901 <= y <= 2155 for y in years)
    assert generate_values(make_spec("y", "smallint", sql="year"), 2, rng(), unique=True) == [1901, 1902]
    thousands = generate_values(make_spec("n", "decimal", precision=2, scale=-3), 199, rng(), unique=True)
    assert all(v % 1000 == 0 and abs(v) <= 99000 for v in thousands) and len(set(thousands)) == 199
    years = generate_values(make_spec("release_year", "integer"), 3, rng(), unique=True)
    assert years == [1950, 1951, 1952]  # semantic kinds count up from their plausible range


def test_unique_strings_are_distinct_ignoring_case() -> None:
    for spec in (make_spec("first_name", "varchar", length=30), make_spec("misc", "text"),
                 make_spec("title", "varchar", length=100, table="film")):
        values = generate_values(spec, 3000, rng(), unique=True)
        assert len({v.casefold() for v in values}) == 3000


@HYPO
@given(max_length=st.integers(1, 40), min_length=st.integers(0, 6),
       name=st.sampled_from(["email", "first_name", "last_name", "name", "phone", "postal_code", "city", "title",
                             "description", "username", "country_code", "code", "state", "url", "misc"]),
       kind=st.sampled_from(["varchar", "char"]), unique=st.booleans(), seed=st.integers(0, 50))
def test_string_lengths(max_length: int, min_length: int, name: str, kind: str, unique: bool, seed: int) -> None:
    spec = make_spec(name, kind, length=max_length, min_length=min_length, table="customer")
    if min_length > max_length:
        with pytest.raises(GenerationError):
            generate_values(spec, 3, rng(seed))
        return
    cap = unique_capacity(spec)
    n = min(60, cap) if unique and cap is not None else 60
    values = generate_values(spec, n, rng(seed), unique=unique)
    assert all(isinstance(v, str) and min_length <= len(v) <= max_length for v in values)
    if unique:
        assert len(set(values)) == n


# ---------------------------------------------------------------------------------------------------------------
# Uniqueness across chunks, capacities

UNIQUE_SPECS = [
    make_spec("n", "integer"),
    make_spec("n", "smallint", lower=-3, upper=2000),
    make_spec("amount", "decimal", precision=6, scale=2),
    make_spec("ratio", "double"),
    make_spec("f", "float"),
    make_spec("d", "date"),
    make_spec("created_at", "timestamp"),
    make_spec("last_update", "timestamptz"),
    make_spec("t", "time"),
    make_spec("i", "interval"),
    make_spec("email", "varchar", length=50, table="customer"),
    make_spec("first_name", "varchar", length=45, table="customer"),
    make_spec("name", "text", table="customer"),
    make_spec("title", "text", table="film"),
    make_spec("name", "text", table="product"),
    make_spec("phone", "varchar", length=24),
    make_spec("postal_code", "varchar", length=10),
    make_spec("description", "varchar", length=40),
    make_spec("misc", "varchar", length=12),
    make_spec("code", "char", length=3),
    make_spec("country_code", "char", length=3),
    make_spec("token", "text"),
    make_spec("u", "uuid"),
    make_spec("ip", "inet"),
    make_spec("net", "cidr"),
    make_spec("mac", "macaddr"),
    make_spec("b", "bytes", length=4),
    make_spec("bits", "bit", length=12),
    make_spec("doc", "xml"),
    make_spec("j", "jsonb"),
    make_spec("v", "tsvector"),
    make_spec("tags", "array", element=ColumnType("varchar", "varchar(20)", length=20)),
    make_spec("code", "varchar", length=10, like=("AB-%",)),
    make_spec("code", "varchar", like=("___-____",)),
]


@pytest.mark.parametrize("spec", UNIQUE_SPECS, ids=lambda s: f"{s.column.name}:{s.column.type.kind}")
def test_unique_ranges_are_disjoint(spec: ValueSpec) -> None:
    first = generate_values(spec, 700, rng(1), unique=True, start=0)
    second = generate_values(spec, 700, rng(2), unique=True, start=700)
    key = repr if spec.column.type.kind in ("jsonb", "array") else (lambda v: v)
    a, b = {key(v) for v in first}, {key(v) for v in second}
    assert len(a) == 700 and len(b) == 700
    assert not a & b
    # the same range from another random state is still disjoint from the other range
    again = {key(v) for v in generate_values(spec, 300, rng(3), unique=True, start=400)}
    assert len(again) == 300 and not again & {key(v) for v in first[:400]}


def test_unique_within_a_big_chunk() -> None:
    for spec in (make_spec("email", "varchar", length=60), make_spec("code", "char", length=4),
                 make_spec("last_name", "varchar", length=20), make_spec("created_at", "timestamp")):
        values = generate_values(spec, 20000, rng(), unique=True)
        assert len(set(values)) == 20000


@pytest.mark.parametrize(("spec", "capacity"), [
    (make_spec("flag", "boolean"), 2),
    (make_spec("size", "enum", values=("S", "M", "L")), 3),
    (make_spec("size", "enum", values=("S", "M", "L"), excluded=("M",)), 2),
    (make_spec("n", "smallint", sql="tinyint unsigned", unsigned=True, lower=0, lower_exclusive=True), 255),
    (make_spec("n", "smallint"), 65536),
    (make_spec("n", "integer", lower=1, upper=10, excluded=(3, 4, 99)), 8),
    (make_spec("x", "varchar", length=5, choices=("a", "b", "c")), 3),
    (make_spec("x", "char", length=2), 36 * 36 + 36),
    (make_spec("bits", "bit", length=3), 8),
    (make_spec("s", "set", values=("a", "b")), 4),
    (make_spec("d", "date", lower=date(2020, 1, 1), upper=date(2020, 12, 31)), 366),
    (make_spec("t", "time"), 86400),
    (make_spec("p", "decimal", precision=3, scale=1, lower=0), 1000),
    (make_spec("c", "varchar", like=("X__",)), 26 * 26),
    (make_spec("one", "integer", fixed=7), 1),
])
def test_unique_capacity(spec: ValueSpec, capacity: int) -> None:
    assert unique_capacity(spec) == capacity
    values = generate_values(spec, capacity, rng(), unique=True)
    assert len({repr(v) for v in values}) == capacity
    with pytest.raises(GenerationError, match=rf"public\.thing\.{spec.column.name}: only {capacity} distinct"):
        generate_values(spec, capacity + 1, rng(), unique=True)


def test_unbounded_capacity_is_none() -> None:
    for spec in (make_spec("n", "integer"), make_spec("t", "text"), make_spec("u", "uuid"),
                 make_spec("e", "varchar", length=60, table="customer"), make_spec("ts", "timestamp")):
        assert unique_capacity(spec) is None


def test_unique_integers_count_from_one() -> None:
    assert generate_values(make_spec("n", "integer"), 5, rng(), unique=True, start=10) == [11, 12, 13, 14, 15]
    assert generate_values(make_spec("n", "integer", lower=100), 3, rng(), unique=True) == [100, 101, 102]


def test_unique_sequence_skips_exclusions_and_walks_every_value() -> None:
    seq = UniqueSequence(IntRange(-5, 20), IntRange(3, 9), scatter=True, excluded=[4, -5, 20, 100])
    assert seq.capacity == 26 - 3
    values = seq.values(np.arange(seq.capacity)).tolist()
    assert sorted(values) == [v for v in range(-5, 21) if v not in (4, -5, 20)]
    assert set(values[:6]) == {3, 5, 6, 7, 8, 9}  # the preferred window comes first


# ---------------------------------------------------------------------------------------------------------------
# Choices, exclusions, fixed values, LIKE


def test_choices_exclusions_and_coercion() -> None:
    values = generate_values(make_spec("rate", "decimal", precision=4, scale=2, choices=(1, 2.5, 7),
                                       excluded=(7,)), 200, rng())
    assert set(values) == {Decimal(1), Decimal("2.5")}
    assert all(isinstance(v, Decimal) for v in values)
    codes = generate_values(make_spec("gender", "char", length=1, choices=("M", "F", "XX")), 100, rng())
    assert set(codes) == {"M", "F"}  # 'XX' is too long for char(1)
    with pytest.raises(GenerationError, match="none of the allowed values"):
        generate_values(make_spec("n", "integer", choices=(1, 2), excluded=(1, 2)), 3, rng())


def test_excluded_values_are_avoided() -> None:
    values = generate_values(make_spec("n", "integer", lower=1, upper=4, excluded=(2, 3)), 500, rng())
    assert set(values) == {1, 4}
    names = generate_values(make_spec("status", "varchar", length=20, excluded=("active", "pending")), 500, rng())
    assert not {"active", "pending"} & set(names)
    with pytest.raises(GenerationError, match="excluded"):
        generate_values(make_spec("n", "integer", lower=1, upper=2, excluded=(1, 2)), 3, rng())
    ratings = generate_values(make_spec("rating", "integer", lower=1, upper=50, excluded=(1, 2, 3, 4, 5)), 300, rng())
    assert all(6 <= r <= 50 for r in ratings)  # the plausible 1..5 is excluded: the rest of the range is used


def test_fixed_value() -> None:
    assert generate_values(make_spec("n", "integer", fixed=1), 5, rng()) == [1] * 5
    assert generate_values(make_spec("p", "decimal", scale=2, fixed=3), 2, rng()) == [Decimal(3)] * 2
    with pytest.raises(GenerationError, match="only 1 distinct"):
        generate_values(make_spec("n", "integer", fixed=1), 2, rng(), unique=True)


def test_like_parse_and_match() -> None:
    p = parse_like(r"a\%b_%")
    assert [k for k, _ in p.tokens] == ["lit", "one", "any"] and p.fixed_length == 4
    assert like_matches("a%bx tail", r"a\%b_%") and not like_matches("axbx", r"a\%b_%")
    assert like_matches("{Trailers,Commentaries}", "%Trailers%")


@pytest.mark.parametrize("unique", [False, True])
def test_like_patterns_are_matched(unique: bool) -> None:
    starts_a = generate_values(make_spec("first_name", "varchar", length=20, like=("A%",)), 300, rng(),
                               unique=unique)
    assert all(v.startswith("A") and len(v) <= 20 for v in starts_a)
    phones = generate_values(make_spec("x", "varchar", length=8, like=("___-____",)), 300, rng(), unique=unique)
    assert all(re.fullmatch(r"\d{3}-\d{4}", v) for v in phones)
    both = generate_values(make_spec("x", "text", like=("%@%", "%.com")), 100, rng(), unique=unique)
    assert all("@" in v and v.endswith(".com") for v in both)
    if not unique:
        assert len({v[0] for v in starts_a}) == 1 and len(set(starts_a)) > 5  # real names, not one value


@HYPO
@given(patterns=st.lists(st.text(alphabet="aB1-%_ ", min_size=1, max_size=6), min_size=1, max_size=2),
       max_length=st.one_of(st.none(), st.integers(1, 12)), min_length=st.integers(0, 4), unique=st.booleans(),
       name=st.sampled_from(["first_name", "misc", "email"]))
def test_like_fuzz(patterns: list[str], max_length: int | None, min_length: int, unique: bool, name: str) -> None:
    spec = make_spec(name, "varchar" if max_length else "text", length=max_length, min_length=min_length,
                     like=tuple(patterns))
    try:
        cap = unique_capacity(spec)
        n = min(30, cap) if unique and cap is not None else 30
        values = generate_values(spec, n, rng(), unique=unique)
    except GenerationError as exc:
        assert str(exc).startswith("public.thing.")
        if len(patterns) == 1 and max_length is None and min_length == 0:
            raise AssertionError(f"a single LIKE pattern without length limits must work: {exc}") from exc
        return
    for v in values:
        assert all(like_matches(v, p) for p in patterns), (patterns, v)
        assert min_length <= len(v) <= (max_length or len(v))
    if unique:
        assert len(set(values)) == len(values)


def test_not_like_and_impossible_like() -> None:
    values = generate_values(make_spec("x", "varchar", length=40, not_like=("% %",)), 300, rng())
    assert all(" " not in v for v in values)
    with pytest.raises(GenerationError, match=r"public\.thing\.x: cannot generate strings for LIKE"):
        generate_values(make_spec("x", "varchar", length=3, like=("_____",)), 3, rng())
    with pytest.raises(GenerationError, match="LIKE"):
        generate_values(make_spec("x", "varchar", length=10, like=("a%", "b%")), 3, rng())


# ---------------------------------------------------------------------------------------------------------------
# NULLs and determinism


def test_null_fraction_only_on_nullable_columns() -> None:
    values = generate_values(make_spec("city", "text", nullable=True, null_fraction=0.3), 4000, rng())
    share = sum(v is None for v in values) / len(values)
    assert 0.25 < share < 0.35
    not_null = generate_values(make_spec("city", "text", null_fraction=0.3), 4000, rng())
    assert None not in not_null
    assert None not in generate_values(make_spec("city", "text", nullable=True), 1000, rng())


def test_unique_values_with_nulls_stay_distinct() -> None:
    values = generate_values(make_spec("code", "char", length=2, nullable=True, null_fraction=0.5), 1000, rng(),
                             unique=True)
    present = [v for v in values if v is not None]
    assert len(set(present)) == len(present) and len(present) < 700


@pytest.mark.parametrize("spec", [*UNIQUE_SPECS, make_spec("name", "text", table="customer", nullable=True,
                                                          null_fraction=0.2)],
                         ids=lambda s: f"{s.column.name}:{s.column.type.kind}")
def test_same_seed_same_values(spec: ValueSpec) -> None:
    for unique in (False, True):
        a = generate_values(spec, 200, rng(7), unique=unique, start=3)
        b = generate_values(spec, 200, rng(7), unique=unique, start=3)
        c = generate_values(spec, 200, rng(8), unique=unique, start=3)
        assert repr(a) == repr(b)
        if not unique and spec.column.type.kind not in ("boolean",):
            assert repr(a) != repr(c)


# ---------------------------------------------------------------------------------------------------------------
# Realism and semantic kinds on real schemas


def _ddl_columns(path: Path, pattern: str) -> dict[tuple[str, str], str]:
    """(table, column) -> type word, read with a regex from a real DDL file (independent of the DDL reader)."""
    columns: dict[tuple[str, str], str] = {}
    table = None
    for line in path.read_text().splitlines():
        start = re.match(r"CREATE TABLE [`\"]?(?:public\.)?(\w+)", line)
        if start:
            table = start.group(1)
            continue
        if line.startswith(")"):
            table = None
        if table:
            m = re.match(pattern, line)
            if m:
                columns[(table, m.group(1))] = m.group(2).lower()
    return columns


_KIND_OF_TYPE = {
    "int": "integer", "integer": "integer", "smallint": "smallint", "numeric": "decimal", "nvarchar": "varchar",
    "text": "text", "datetime": "timestamp", "timestamp": "timestamptz", "date": "date", "boolean": "boolean",
    "character": "varchar", "bytea": "bytes", "tsvector": "tsvector", "text[]": "array", "public": "other",
}


def _real_kind(table: str, column: str, type_word: str) -> str | None:
    kind = _KIND_OF_TYPE[type_word]
    ctype = ColumnType(kind, type_word, element=ColumnType("text", "text") if kind == "array" else None)  # type: ignore[arg-type]
    return semantic_kind(TableName(None, table), Column(column, ctype))


CHINOOK_EXPECTED = {
    ("Customer", "Email"): "email", ("Customer", "FirstName"): "first_name", ("Customer", "LastName"): "last_name",
    ("Customer", "Company"): "company", ("Customer", "Address"): "street_address", ("Customer", "City"): "city",
    ("Customer", "State"): "state", ("Customer", "Country"): "country", ("Customer", "PostalCode"): "postal_code",
    ("Customer", "Phone"): "phone", ("Customer", "Fax"): "phone", ("Customer", "SupportRepId"): None,
    ("Employee", "Title"): "job_title", ("Employee", "BirthDate"): "birth_date", ("Employee", "HireDate"): "hire_date",
    ("Employee", "ReportsTo"): None, ("Invoice", "BillingCity"): "city", ("Invoice", "BillingAddress"):
    "street_address", ("Invoice", "BillingPostalCode"): "postal_code", ("Invoice", "BillingCountry"): "country",
    ("Invoice", "Total"): "price", ("InvoiceLine", "UnitPrice"): "price", ("InvoiceLine", "Quantity"): "quantity",
    ("Album", "Title"): "title", ("Artist", "Name"): "full_name", ("Genre", "Name"): "genre",
    ("MediaType", "Name"): "media_type", ("Playlist", "Name"): "title", ("Track", "Name"): "title",
    ("Track", "Composer"): "full_name", ("Track", "Milliseconds"): "milliseconds", ("Track", "Bytes"): "bytes",
    ("Track", "UnitPrice"): "price",
}
PAGILA_EXPECTED = {
    ("customer", "first_name"): "first_name", ("customer", "email"): "email", ("customer", "activebool"):
    "active_flag", ("customer", "active"): "active_flag", ("customer", "create_date"): "created",
    ("customer", "last_update"): "updated", ("actor", "last_name"): "last_name", ("address", "address"):
    "street_address", ("address", "address2"): "address2", ("address", "district"): "state",
    ("address", "postal_code"): "postal_code", ("address", "phone"): "phone", ("city", "city"): "city",
    ("country", "country"): "country", ("category", "name"): "category", ("language", "name"): "language",
    ("film", "title"): "title", ("film", "description"): "description", ("film", "rental_rate"): "price",
    ("film", "length"): "minutes", ("film", "replacement_cost"): "price", ("film", "rental_duration"): "days",
    ("film", "special_features"): "film_feature", ("payment", "amount"): "price", ("staff", "username"): "username",
    ("staff", "password"): "hex_token", ("staff", "picture"): None, ("rental", "rental_date"): None,
    ("film", "fulltext"): None,
}


def test_semantic_kinds_on_chinook_pascal_case() -> None:
    columns = _ddl_columns(schema_path("chinook/mysql.sql"), r"\s+`(\w+)` (\w+)")
    for (table, column), expected in CHINOOK_EXPECTED.items():
        assert (table, column) in columns, (table, column)
        assert _real_kind(table, column, columns[(table, column)]) == expected, (table, column)


def test_semantic_kinds_on_pagila_snake_case() -> None:
    columns = _ddl_columns(schema_path("pagila/postgres.sql"), r"\s+(\w+) ((?:\w+\[\])|\w+)")
    for (table, column), expected in PAGILA_EXPECTED.items():
        assert (table, column) in columns, (table, column)
        assert _real_kind(table, column, columns[(table, column)]) == expected, (table, column)


def test_run_together_names_are_segmented() -> None:
    assert split_identifier("BillingPostalCode") == ("billing", "postal", "code")
    assert split_identifier("addressline1") == ("address", "line", "1")
    assert split_identifier("modifieddate") == ("modified", "date")
    assert split_identifier("IPAddress") == ("ip", "address")
    assert split_identifier("emailpromotion") == ("emailpromotion",)
    person = TableName("person", "person")
    assert semantic_kind(person, Column("emailpromotion", ColumnType("integer", "integer"))) is None
    assert semantic_kind(person, Column("firstname", ColumnType("varchar", "varchar(50)", length=50))) == "first_name"
    assert semantic_kind(person, Column("modifieddate", ColumnType("timestamp", "timestamp"))) == "updated"
    table = Table(TableName(None, "employees"), ())
    assert semantic_kind(table, Column("title", ColumnType("text", "text"))) == "job_title"
    assert semantic_kind(table, Column("title_of_courtesy", ColumnType("text", "text"))) == "courtesy_title"
    assert semantic_kind(TableName(None, "suppliers"), Column("company_name", ColumnType("text", "text"))) == "company"
    assert semantic_kind(TableName(None, "customer"), Column("email", ColumnType("integer", "int"))) is None
    assert semantic_kind(person, Column("countryregioncode", ColumnType("varchar", "varchar(3)"))) == "country_code"
    assert semantic_kind(TableName("person", "countryregion"), Column("name", ColumnType("text", "text"))) == \
        "country"
    assert semantic_kind(TableName(None, "charges"), Column("amount_cents", ColumnType("bigint", "bigint"))) == \
        "cents"
    assert semantic_kind(TableName(None, "taxes"), Column("vat_rate", ColumnType("double", "double"))) == "percent"


def test_realistic_values() -> None:
    emails = generate_values(make_spec("email", "varchar", length=60, table="customer"), 300, rng())
    assert all(re.fullmatch(r"[a-z._0-9]+@[a-z0-9.-]+\.[a-z]+", e) for e in emails)
    names = generate_values(make_spec("name", "text", table="actor"), 300, rng())
    assert all(re.fullmatch(r"[A-Z][a-z']+ [A-Z][a-zA-Z']+", v) for v in names)
    prices = generate_values(make_spec("unit_price", "decimal", precision=10, scale=2), 2000, rng())
    assert all(Decimal("0.99") <= p < 1000 for p in prices)
    assert sorted(prices)[1000] < 100  # log-uniform: cheap items are common
    qty = generate_values(make_spec("quantity", "integer"), 500, rng())
    assert all(1 <= q <= 20 for q in qty)
    births = generate_values(make_spec("birth_date", "date"), 500, rng())
    assert all(date(1940, 1, 1) <= b <= date(2007, 12, 31) for b in births)
    stamps = generate_values(make_spec("created_at", "timestamp"), 500, rng())
    assert all(datetime(2015, 1, 1) <= s <= datetime(2026, 1, 1) for s in stamps)
    flags = generate_values(make_spec("is_active", "boolean"), 1000, rng())
    assert 0.75 < sum(flags) / 1000 < 0.95
    active = generate_values(make_spec("active", "integer"), 300, rng())
    assert set(active) == {0, 1}
    features = generate_values(make_spec("special_features", "array", element=ColumnType("text", "text")), 200,
                               rng())
    assert all(1 <= len(f) <= 4 and len(set(f)) == len(f) for f in features)
    assert {x for f in features for x in f} == {"Trailers", "Commentaries", "Deleted Scenes", "Behind the Scenes"}
    codes = generate_values(make_spec("country_code", "char", length=2), 200, rng())
    assert all(re.fullmatch(r"[A-Z]{2}", c) for c in codes)


def test_temporal_values_do_not_depend_on_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = make_spec("last_update", "timestamptz")
    before = generate_values(spec, 50, rng())

    class FrozenDatetime(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
            return datetime(2099, 1, 1, tzinfo=tz)

    monkeypatch.setattr("seeder.generate.values.numeric_temporal.datetime", FrozenDatetime)
    assert generate_values(spec, 50, rng()) == before


@pytest.mark.slow
def test_throughput() -> None:
    specs = [make_spec("email", "varchar", length=60), make_spec("first_name", "text"),
             make_spec("price", "decimal", precision=10, scale=2), make_spec("created_at", "timestamp"),
             make_spec("misc", "varchar", length=50)]
    for unique in (False, True):
        for spec in specs:
            generate_values(spec, 10, rng(), unique=unique)
            began = _time.perf_counter()
            generate_values(spec, 100_000, rng(), unique=unique)
            rate = 100_000 / (_time.perf_counter() - began)
            assert rate > 100_000, (spec.column.name, unique, rate)


def test_random_codes_longer_than_int64() -> None:
    """A code column of char(23) asks for 20-digit bodies, past numpy's int64 integers (hypothesis found it)."""
    import numpy as np

    from seeder.generate.values.codes import random_codes

    codes = random_codes("PR", 20, 200, np.random.default_rng(3))
    assert all(len(c) == 23 and c[2:].isdigit() for c in codes)  # prefix, 20 digits, a Luhn check digit
    assert len(set(codes)) > 190
