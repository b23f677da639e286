"""Linked columns: records generated together within a row (:class:`~seeder.plan.rules.Linked`).

* ``address`` (and ``address:<prefix>``): country, state, city, postal code, phone and street of one country's
  record (:mod:`seeder.generate.values.places`), so a US ZIP code sits under a US state.
* ``person``: a first name of the row's gender (Faker's gendered name lists), a courtesy title of that gender.
* ``card``: a number with its type's prefix and a Luhn check digit (unique per row: the body is a bijection of the
  global row index), an expiry month 1..12 and a year a few years ahead.
* ``flags:<name>``: the mirror column repeats the primary one (``active`` = ``activebool``).

Each function fills ``values`` (column -> list) in place for the rows ``start .. start+n-1``; columns in ``keep``
(keys, pinned columns) are left alone, and a value that does not fit its column's declared length is not written.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np

from seeder.generate.values.codes import luhn_digit
from seeder.generate.values.integer_domain import scramble
from seeder.generate.values.places import COUNTRIES, country_weights, record
from seeder.plan.rules import Linked
from seeder.schema import Table
from seeder.types import CHARACTER_KINDS, INTEGER_KINDS, length_limit

Rng = Callable[[str], np.random.Generator]


def _fits(table: Table, column: str, value: Any) -> bool:
    col = table.column(column)
    if isinstance(value, str):
        if col.type.kind not in CHARACTER_KINDS and col.type.kind != "enum":
            return False
        limit = length_limit(col.type)
        return limit is None or len(value) <= limit
    return True


def _write(table: Table, values: dict[str, list[Any]], column: str, new: list[Any], keep: set[str]) -> None:
    """Write ``new`` over the column where each value fits (NULLs the plan decided stay NULL)."""
    if column in keep or column not in values:
        return
    old = values[column]
    values[column] = [o if o is None or not _fits(table, column, v) else v for o, v in zip(old, new, strict=True)]


def apply_address(table: Table, rule: Linked, values: dict[str, list[Any]], rng: Rng, keep: set[str]) -> None:
    roles = rule.role_map
    n = len(next(iter(values.values()))) if values else 0
    if not n:
        return
    r = rng(f"#linked:{rule.record}")
    weights = country_weights()
    if rule.locale is not None:
        weights = np.array([1.0 if c.locale == rule.locale else 0.0 for c in COUNTRIES])
    which = r.choice(len(COUNTRIES), size=n, p=weights / weights.sum())
    pick = r.integers(0, 1 << 30, n)
    out: dict[str, list[Any]] = {role: [None] * n for role in roles}
    for i in range(n):
        country = COUNTRIES[int(which[i])]
        rec = record(country.locale, int(pick[i]))
        row = {"country": country.name, "country_code": country.alpha2, **rec, "address2": rec["address2"] or None,
               "district": rec["state"]}
        for role in roles:
            value = row.get(role)
            if role == "country_code" and value is not None:
                limit = length_limit(table.column(roles[role]).type)
                value = country.alpha3 if limit is not None and limit == 3 else value
            out[role][i] = value
    for role, column in roles.items():
        _write(table, values, column, out[role], keep)


@cache
def _names(gender: str) -> np.ndarray:
    from faker import Faker

    provider = Faker("en_US").provider("faker.providers.person")
    table = provider.first_names_male if gender == "M" else provider.first_names_female
    names = list(table)
    weights = np.array([float(table[k]) for k in names]) if isinstance(table, dict) else np.ones(len(names))
    rng = np.random.default_rng(zlib.crc32(f"names:{gender}".encode()))
    drawn = rng.choice(len(names), size=3000, p=weights / weights.sum())
    arr = np.empty(3000, dtype=object)
    arr[:] = [names[i] for i in drawn.tolist()]
    return arr


def _fitting(names: np.ndarray, limit: int | None) -> np.ndarray:
    if limit is None:
        return names
    short = names[np.fromiter((len(v) <= limit for v in names.tolist()), dtype=bool, count=len(names))]
    return short if len(short) else names


def _gender_of(value: Any) -> str | None:
    if isinstance(value, str) and value:
        head = value.strip()[:1].upper()
        return head if head in ("M", "F") else None
    return None


_TITLES = {"M": ("Mr.",), "F": ("Ms.", "Mrs.", "Ms.")}


def apply_person(table: Table, rule: Linked, values: dict[str, list[Any]], rng: Rng, keep: set[str]) -> None:
    roles = rule.role_map
    first = roles.get("first_name")
    n = len(values[first]) if first in values else 0
    if not n:
        return
    r = rng("#linked:person")
    genders: list[str | None] = [None] * n
    if "gender" in roles and roles["gender"] in values:
        genders = [_gender_of(v) for v in values[roles["gender"]]]
    drawn = np.where(r.random(n) < 0.5, "M", "F")
    genders = [g if g is not None else str(d) for g, d in zip(genders, drawn.tolist(), strict=True)]
    if "gender" in roles and roles["gender"] not in keep:
        column = roles["gender"]
        labels = _gender_labels(table, column, values[column])
        if labels:
            values[column] = [None if old is None and table.column(column).nullable else labels[g]
                              for old, g in zip(values[column], genders, strict=True)]
    picks = r.integers(0, 1 << 30, n)
    limit = length_limit(table.column(first).type)
    pools = {g: _fitting(_names(g), limit) for g in ("M", "F")}
    names = [pools[g][int(p) % len(pools[g])] for g, p in zip(genders, picks.tolist(), strict=True)]
    _write(table, values, first, names, keep)
    if "title" in roles and roles["title"] in values:
        t = r.integers(0, 3, n)
        titles = [_TITLES[g][int(k) % len(_TITLES[g])] for g, k in zip(genders, t.tolist(), strict=True)]
        _write(table, values, roles["title"], titles, keep)


def _gender_labels(table: Table, column: str, current: list[Any]) -> dict[str, Any] | None:
    """How the column writes male and female: its enum labels, else the style of the values it holds."""
    col = table.column(column)
    labels = list(col.type.values) or sorted({v for v in current if isinstance(v, str)})
    male = next((v for v in labels if _gender_of(v) == "M"), None)
    female = next((v for v in labels if _gender_of(v) == "F"), None)
    if male is None or female is None:
        return None
    return {"M": male, "F": female}


#: Card types and their number prefixes and lengths (ISO/IEC 7812 issuer identification numbers).
CARD_TYPES: dict[str, tuple[str, int]] = {"visa": ("4", 16), "mastercard": ("51", 16), "master card": ("51", 16),
                                          "amex": ("37", 15), "american express": ("37", 15),
                                          "discover": ("6011", 16), "diners": ("36", 14), "jcb": ("35", 16),
                                          "maestro": ("6759", 16)}
_FALLBACK_PREFIXES = (("4", 16), ("51", 16), ("37", 15), ("6011", 16), ("36", 14), ("35", 16))


def card_prefix(card_type: str, known: list[str]) -> tuple[str, int]:
    """Prefix and length of card numbers of ``card_type``: the real ones for known brands, else a brand prefix
    given in order of the sorted labels ``known`` (so each label keeps one prefix)."""
    key = card_type.strip().lower()
    for brand, layout in CARD_TYPES.items():
        if key.startswith(brand) or brand in key.replace("-", " "):
            return layout
    index = sorted(set(known)).index(card_type) if card_type in known else 0
    return _FALLBACK_PREFIXES[index % len(_FALLBACK_PREFIXES)]


def apply_card(table: Table, rule: Linked, values: dict[str, list[Any]], rng: Rng, keep: set[str],
               start: int) -> None:
    roles = rule.role_map
    number = roles.get("number")
    n = len(values[number]) if number in values else 0
    if not n:
        return
    r = rng("#linked:card")
    type_col = roles.get("type")
    types = values[type_col] if type_col in values else ["Visa"] * n
    known = sorted({t for t in types if isinstance(t, str)})
    limit = length_limit(table.column(number).type)
    numbers: list[Any] = []
    for i, card_type in enumerate(types):
        prefix, length = card_prefix(card_type if isinstance(card_type, str) else "Visa", known)
        if limit is not None:
            length = min(length, limit)
        body_digits = length - len(prefix) - 1
        body = scramble([start + i], 10**body_digits)[0]
        digits = f"{prefix}{body:0{body_digits}d}"
        numbers.append(digits + str(luhn_digit(digits)))
    if number not in keep or number in _unique_ok(rule):
        values[number] = [None if old is None else new for old, new in zip(values[number], numbers, strict=True)]
    if roles.get("expiry_month") in values:
        _write(table, values, roles["expiry_month"], (r.integers(1, 13, n)).tolist(), keep)
    if roles.get("expiry_year") in values:
        _write(table, values, roles["expiry_year"], (r.integers(2025, 2031, n)).tolist(), keep)


def _unique_ok(rule: Linked) -> set[str]:
    """Card numbers stay unique after the rewrite (a bijection of the row index per prefix), so a unique number
    column may be rewritten."""
    return {rule.role_map["number"]}


def apply_flags(table: Table, rule: Linked, values: dict[str, list[Any]], keep: set[str]) -> None:
    roles = rule.role_map
    primary, mirror = roles.get("primary"), roles.get("mirror")
    if primary not in values or mirror not in values or mirror in keep:
        return
    as_int = table.column(mirror).type.kind in INTEGER_KINDS
    values[mirror] = [None if v is None else (int(bool(v)) if as_int else bool(v)) for v in values[primary]]


def apply_linked(table: Table, rule: Linked, values: dict[str, list[Any]], rng: Rng, keep: set[str],
                 start: int) -> None:
    """Apply one :class:`Linked` rule to the rows in ``values`` (see module docstring)."""
    record = rule.record.split(":")[0]
    if record == "address":
        apply_address(table, rule, values, rng, keep)
    elif record == "person":
        apply_person(table, rule, values, rng, keep)
    elif record == "card":
        apply_card(table, rule, values, rng, keep, start)
    elif record == "flags":
        apply_flags(table, rule, values, keep)
