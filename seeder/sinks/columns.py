"""Column-at-a-time text encoders for the COPY and CSV sinks: the same text as their per-value formatters
(:func:`seeder.sinks.csv.column_formatter`, :func:`seeder.sinks.copy.copy_formatter`), several times faster.

A sink spends most of its time turning values into text. Per value, the formatters dispatch on the Python type and
escape every string; per column, the common cases take C-level paths instead:

* integer columns holding only ``int``: ``map(int.__repr__, ...)``;
* text columns: one regular-expression search over the whole column (joined by a separator that needs no escaping)
  tells whether any value needs escaping or quoting at all; usually none does, and the values are used as they are;
* booleans, UUIDs, decimals, timestamps with a UTC offset: one direct call per value, no dispatch.

Anything unusual in a column (a NULL in a fast integer path, a non-finite decimal, a value of an unexpected type)
sends that column through the per-value formatter, so the output is always byte-identical to it (tested in
``tests/test_sinks_fast.py`` with hypothesis).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID

from seeder import types
from seeder.schema import ColumnType

#: ``values -> texts`` (``None`` for NULL) of one column, equal to mapping the column's per-value formatter.
ColumnTexts = Callable[[Sequence[Any]], list[Any]]

_INT = int.__repr__
_UTC = timezone.utc
_LETTER = re.compile("[A-Za-z]")
#: The separator the whole-column checks join values with: it needs no escaping in COPY or CSV (a value holding
#: it makes the check fail, which only sends the column down the exact per-value path).
_SEP = "\x01"
_COPY_SPECIAL = re.compile("[\\\\\t\n\r\x00]")
# quoted: a comma, quote, CR or LF anywhere (whitespace at either end and a value that is exactly \. are checked
# by csv_texts)
_CSV_SPECIAL = re.compile('[,"\r\n\x00]')


def _per_value(formatter: Callable[[Any], Any]) -> ColumnTexts:
    return lambda values: list(map(formatter, values))


def column_texts(col_type: ColumnType, formatter: Callable[[Any], Any], *, plain: bool = False) -> ColumnTexts:
    """The fast column encoder for ``col_type``, falling back to ``formatter`` (the per-value text function of
    :func:`seeder.sinks.csv.column_formatter` for that type) wherever a fast path does not apply. ``plain``: the
    formatter writes a ``str`` value as itself minus U+0000 (true of the sinks' ``value_text``)."""
    kind = col_type.kind
    if kind in types.INTEGER_KINDS:
        return _integers(formatter)
    if kind == "boolean":
        return _booleans(formatter)
    if kind == "uuid":
        return _typed(UUID, str, formatter)
    if kind in ("decimal", "numeric"):
        return _decimals(formatter)
    if kind == "timestamptz":
        return _instants(formatter)
    if plain:
        return _strings(formatter)
    return _per_value(formatter)


def _strings(formatter: Callable[[Any], Any]) -> ColumnTexts:
    def texts(values: Sequence[Any]) -> list[Any]:
        if set(map(type, values)) <= {str, type(None)}:
            present = [v for v in values if v is not None]
            if "\x00" not in _SEP.join(present):
                return list(values)
        return list(map(formatter, values))
    return texts


def _integers(formatter: Callable[[Any], Any]) -> ColumnTexts:
    def texts(values: Sequence[Any]) -> list[Any]:
        if set(map(type, values)) <= {int}:
            return list(map(_INT, values))
        return list(map(formatter, values))
    return texts


def _booleans(formatter: Callable[[Any], Any]) -> ColumnTexts:
    words = {True: "true", False: "false", None: None}

    def texts(values: Sequence[Any]) -> list[Any]:
        if set(map(type, values)) <= {bool, type(None)}:
            return list(map(words.__getitem__, values))
        return list(map(formatter, values))
    return texts


def _typed(cls: type, to_text: Callable[[Any], str], formatter: Callable[[Any], Any]) -> ColumnTexts:
    def texts(values: Sequence[Any]) -> list[Any]:
        if set(map(type, values)) <= {cls}:
            return list(map(to_text, values))
        return list(map(formatter, values))
    return texts


def _decimals(formatter: Callable[[Any], Any]) -> ColumnTexts:
    def texts(values: Sequence[Any]) -> list[Any]:
        if set(map(type, values)) <= {Decimal}:
            # str() is positional, and equal to format(v, "f"), whenever it has no exponent
            out = list(map(str, values))
            # NaN and infinities (letters) are the formatter's to refuse
            if _LETTER.search(_SEP.join(out)) is None:
                return out
        return list(map(formatter, values))
    return texts


def _instants(formatter: Callable[[Any], Any]) -> ColumnTexts:
    def texts(values: Sequence[Any]) -> list[Any]:
        if not (set(map(type, values)) <= {datetime} and all(v.tzinfo is _UTC for v in values)):
            return list(map(formatter, values))
        # isoformat(" ") of a UTC datetime is its date's text, a space, its time's text and "+00:00"; dates repeat
        # a lot in generated data, so their text is computed once per slice.
        dates: dict[Any, str] = {}
        times: dict[Any, str] = {}  # whole seconds repeat too; microseconds practically never do
        out = []
        for v in values:
            d = v.date()
            ds = dates.get(d)
            if ds is None:
                ds = dates[d] = d.isoformat() + " "
            t = v.time()
            if v.microsecond:
                out.append(ds + t.isoformat() + "+00:00")
                continue
            ts = times.get(t)
            if ts is None:
                ts = times[t] = t.isoformat() + "+00:00"
            out.append(ds + ts)
        return out
    return texts


def strings_need(special: re.Pattern[str], texts: Sequence[Any]) -> bool:
    """True when some non-NULL text of ``texts`` matches ``special`` (checked once over the joined column)."""
    present = [t for t in texts if t is not None]
    return bool(present) and special.search(_SEP.join(present)) is not None


def copy_texts(texts: list[Any], escape: Callable[[str], str], null: str) -> list[str]:
    """COPY fields from column texts: ``None`` -> ``null``; strings escaped only when the column needs it."""
    if strings_need(_COPY_SPECIAL, texts):
        return [null if t is None else escape(t) for t in texts]
    if None in texts:
        return [null if t is None else t for t in texts]
    return texts


def _edge_space(texts: Sequence[Any]) -> bool:
    # str.strip and the csv sink's ^\s / \s$ agree: both use str.isspace's notion of whitespace
    return any(t is not None and t.strip() != t for t in texts)


def csv_texts(texts: list[Any], field: Callable[[str | None], str]) -> list[str]:
    """CSV fields from column texts: quoted only when the column needs it (``None`` -> empty unquoted field)."""
    if "" in texts or "\\." in texts or strings_need(_CSV_SPECIAL, texts) or _edge_space(texts):
        return list(map(field, texts))
    if None in texts:
        return ["" if t is None else t for t in texts]
    return texts


__all__ = ["ColumnTexts", "column_texts", "copy_texts", "csv_texts", "strings_need"]
