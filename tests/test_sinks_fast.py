"""The column-at-a-time COPY and CSV encoders (seeder/sinks/columns.py) write exactly what the per-value formatters
write, for every kind of column and every value the fast paths might get wrong (NULLs, bools among ints, NaN
decimals, naive timestamps, text that needs escaping or quoting)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from seeder.schema import ColumnType
from seeder.sinks.copy import copy_column, copy_formatter
from seeder.sinks.csv import column_formatter, csv_column, csv_field

TEXT = st.text(alphabet=st.sampled_from(list("ab ,\"\\\t\n\r\x00\x01.é\u2028")), max_size=6)
KINDS = {
    "bigint": st.one_of(st.integers(-(2**63), 2**63 - 1), st.booleans(), st.none()),
    "integer": st.integers(-(2**31), 2**31 - 1),
    "boolean": st.one_of(st.booleans(), st.none()),
    "uuid": st.one_of(st.uuids(), st.none()),
    "decimal": st.one_of(st.decimals(allow_nan=False, allow_infinity=False, places=2), st.none()),
    "timestamptz": st.one_of(
        st.datetimes(timezones=st.just(timezone.utc)), st.datetimes(), st.none(),
        st.datetimes(timezones=st.just(timezone(timedelta(hours=3))))),
    "text": st.one_of(TEXT, st.none()),
    "varchar": TEXT,
}


def _column(kind: str) -> ColumnType:
    return ColumnType(kind, kind, precision=10 if kind == "decimal" else None, scale=2 if kind == "decimal" else None)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(KINDS)).flatmap(lambda k: st.tuples(st.just(k), st.lists(KINDS[k], max_size=8))))
def test_fast_columns_equal_the_per_value_formatters(case: tuple[str, list[object]]) -> None:
    kind, values = case
    col = _column(kind)
    assert copy_column(col)(values) == list(map(copy_formatter(col), values))
    base = column_formatter(col)
    assert csv_column(col)(values) == [csv_field(base(v)) for v in values]


def test_fast_paths_cover_the_edges() -> None:
    text = _column("text")
    cases = [["a", "b"], ["", "x"], [" a", "b"], ["a ", "b"], ["\\.", "x"], ["a\\.", "b"], ["a\x01 b"], [None, "a"],
             ["a\x00b"], ["\u2028a"]]
    for values in cases:
        assert csv_column(text)(values) == [csv_field(column_formatter(text)(v)) for v in values], values
        assert copy_column(text)(values) == list(map(copy_formatter(text), values)), values
    dec = _column("decimal")
    assert copy_column(dec)([Decimal("1.50"), Decimal("1E+3")]) == ["1.50", "1000"]
    ts = _column("timestamptz")
    naive = [datetime(2024, 1, 2, 3, 4, 5), datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)]
    assert copy_column(ts)(naive) == list(map(copy_formatter(ts), naive))
    ids = [uuid.UUID(int=7), None]
    assert copy_column(_column("uuid"))(ids) == ["00000000-0000-0000-0000-000000000007", "\\N"]


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXT | st.text(max_size=5), max_size=6))
def test_quote_strings_equals_quote_string_in_every_dialect(texts: list[str]) -> None:
    from seeder.dialects import get_dialect

    for name in ("postgres", "mysql", "sqlite"):
        caps = get_dialect(name)
        assert caps.quote_strings(texts) == list(map(caps.quote_string, texts)), name


def test_sql_text_columns_with_nulls_take_the_column_path() -> None:
    from seeder.dialects import get_dialect
    from seeder.sinks.literals import column_encoder, encode_values

    col = _column("text")
    for name in ("postgres", "mysql", "sqlite"):
        enc = column_encoder(col, get_dialect(name))
        values = ["a", None, "it's", "b\r\n\\", None]
        assert encode_values(values, col, enc) == list(map(enc, values))
