"""Codes shaped like codes: a letter prefix, digits and a Luhn check digit (``PR48213`` + check ``6``).

SKUs, account, product and tracking numbers are identifiers people read: letters from what they identify, a number,
and a check digit (the Luhn mod-10 scheme of card numbers, ISO/IEC 7812-1), instead of words or random letters.
Unique codes are a bijection of the rank onto the digit space (:func:`~.integer_domain.scramble`), so ranks never
collide and consecutive ranks do not look sequential.
"""

from __future__ import annotations

import numpy as np

from seeder.generate.values.integer_domain import scramble, unscramble
from seeder.generate.values.vocabulary import object_array

#: Longest code made (longer columns get codes of this length).
CODE_LENGTH = 10
#: Fewest digits a shaped code needs (below that the plain code scheme is used).
MIN_DIGITS = 3


def luhn_digit(digits: str) -> int:
    """The Luhn check digit to append to ``digits`` (a string of 0-9)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:  # doubled: the rightmost digit before the check digit
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def luhn_valid(number: str) -> bool:
    """Whether the digits of ``number`` (spaces and dashes ignored) pass the Luhn check."""
    digits = "".join(ch for ch in number if ch.isdigit())
    return bool(digits) and luhn_digit(digits[:-1]) == int(digits[-1])


def code_layout(prefix: str, min_length: int, max_length: int | None, fixed_width: bool) -> tuple[int, int] | None:
    """``(total length, digit count)`` of shaped codes for the column's lengths, or ``None`` when too short."""
    length = max_length if fixed_width and max_length is not None else min(max_length or CODE_LENGTH, CODE_LENGTH)
    length = max(length, min_length)
    if max_length is not None and length > max_length:
        return None
    digits = length - len(prefix) - 1
    return (length, digits) if digits >= MIN_DIGITS else None


def _format(prefix: str, numbers: list[int], digits: int) -> np.ndarray:
    out = []
    for number in numbers:
        body = f"{number:0{digits}d}"
        out.append(f"{prefix}{body}{luhn_digit(body)}")
    return object_array(out)


def unique_codes(prefix: str, digits: int, ranks: np.ndarray) -> np.ndarray:
    """Distinct codes for distinct ranks (ranks below ``10**digits``)."""
    return _format(prefix, scramble(ranks.tolist(), 10**digits), digits)


def taken_ranks(prefix: str, digits: int, values: frozenset[str] | set[str]) -> np.ndarray:
    """Sorted ranks whose codes are among ``values`` (codes already used: existing rows, excluded values), for
    :func:`unique_codes` callers to skip."""
    bodies = []
    for v in values:
        body = v[len(prefix):-1]
        if v.startswith(prefix) and len(body) == digits and body.isdigit() and v[-1:] == str(luhn_digit(body)):
            bodies.append(int(body))
    return np.asarray(sorted(unscramble(bodies, 10**digits)), dtype=np.int64)


def random_codes(prefix: str, digits: int, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` random codes (repeats possible). Bodies of more than 18 digits are drawn in two parts: numpy's integers
    stop at int64 (about 9.2e18), and a ``char(22)`` code column asks for 20 digits."""
    if digits <= 18:
        return _format(prefix, rng.integers(0, 10**digits, n).tolist(), digits)
    high = rng.integers(0, 10 ** (digits - 18), n).tolist()
    low = rng.integers(0, 10**18, n).tolist()
    return _format(prefix, [h * 10**18 + lo for h, lo in zip(high, low, strict=True)], digits)


def code_prefix(table_name: str, column_name: str) -> str:
    """Two capital letters naming what a code identifies: the table's first letters (``product`` -> ``PR``)."""
    letters = [ch for ch in table_name.upper() if "A" <= ch <= "Z"]
    if len(letters) < 2:
        letters = [ch for ch in (table_name + column_name).upper() if "A" <= ch <= "Z"] + ["X", "X"]
    return "".join(letters[:2])
