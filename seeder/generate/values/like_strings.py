"""Strings that match SQL LIKE patterns: random ones, and distinct ones numbered by rank.

Synthesis puts fixed characters where the pattern has literals, draws ``_`` from an alphabet guessed from the
literals (digits for ``___-____``, upper-case letters for ``A__``) and fills the last ``%`` with a word. Unique
synthesis makes every value distinct by construction: the ``%`` fill ends with the decimal rank, or, for patterns
without ``%``, the ``_`` positions spell the rank in the alphabet's base. Patterns are parsed by
:func:`seeder.generate.checks.like.parse_like`.
"""

from __future__ import annotations

import re
import string

import numpy as np

from seeder.generate.checks.like import LikePattern, parse_like
from seeder.generate.values.integer_domain import scramble
from seeder.generate.values.vocabulary import object_array

_DIGITS = string.digits
_UPPER = string.ascii_uppercase
_LOWER = string.ascii_lowercase


def alphabet(p: LikePattern) -> str:
    """Characters used for ``_``: guessed from the pattern's literal characters."""
    literal = "".join(v for k, v in p.tokens if k == "lit")
    letters = [c for c in literal if c.isalpha()]
    if not letters:
        return _DIGITS
    if all(c.isupper() for c in letters):
        return _UPPER
    return _LOWER


def like_capacity(pattern: str, min_length: int, max_length: int | None) -> int | None:
    """How many distinct values :func:`synthesize_unique` can make for ``pattern``; ``None`` when unbounded."""
    p = parse_like(pattern)
    if not p.has_any:
        if not (min_length <= p.fixed_length <= (max_length if max_length is not None else p.fixed_length)):
            return 0
        return len(alphabet(p)) ** p.underscores
    if max_length is None:
        return None
    digits = max_length - p.fixed_length
    if digits <= 0:
        return 0
    return 10**digits - 1


def _clean_words(words: np.ndarray) -> np.ndarray:
    """Fill words without digits (unique fills end with the rank's digits, which must be recognisable)."""
    return object_array([re.sub(r"\d", "", w) for w in words.tolist()])


def synthesize(pattern: str, n: int, rng: np.random.Generator, words: np.ndarray, *,
               min_length: int, max_length: int | None) -> np.ndarray:
    """``n`` random strings matching ``pattern`` with lengths in ``[min_length, max_length]``.

    ``words`` (object array of str) fill the last ``%``; other ``%`` stay empty. Raises ``ValueError`` when no
    string of an allowed length matches.
    """
    p = parse_like(pattern)
    fixed = p.fixed_length
    if max_length is not None and fixed > max_length:
        raise ValueError(f"LIKE '{pattern}' needs at least {fixed} characters, more than the {max_length} allowed")
    if not p.has_any and fixed < min_length:
        raise ValueError(f"LIKE '{pattern}' matches only {fixed}-character strings, fewer than {min_length}")
    chars = np.array(list(alphabet(p)), dtype=object)
    last_any = max((i for i, (k, _) in enumerate(p.tokens) if k == "any"), default=-1)
    budget = None if max_length is None else max_length - fixed
    out = np.full(n, "", dtype=object)
    for i, (kind, text) in enumerate(p.tokens):
        if kind == "lit":
            out = out + text
        elif kind == "one":
            out = out + chars[rng.integers(0, len(chars), n)]
        elif i == last_any:
            fill = words[rng.integers(0, len(words), n)]
            fill = _fit_fill(fill, budget, max(0, min_length - fixed), rng)
            out = out + fill
    return out


def _fit_fill(fill: np.ndarray, budget: int | None, need: int, rng: np.random.Generator) -> np.ndarray:
    values = fill.tolist()
    if budget is not None:
        values = [v[:budget] for v in values]
    if need:
        pad = "".join(rng.choice(list(_LOWER), need))
        values = [v if len(v) >= need else v + pad[: need - len(v)] for v in values]
    return object_array(values)


def synthesize_unique(pattern: str, ranks: np.ndarray, rng: np.random.Generator, words: np.ndarray, *,
                      min_length: int, max_length: int | None) -> np.ndarray:
    """Distinct strings matching ``pattern``, one per rank (int64 array); equal ranks give equal strings, different
    ranks different ones, whatever ``rng`` is.

    With a ``%`` the pattern's other wildcards get constant fills and the last ``%`` gets ``word + str(rank + 1)``
    (words stripped of digits), so the rank can be read back from a fixed-length prefix and suffix. Without ``%``
    the ``_`` positions spell the rank (scattered by an affine bijection) in the pattern's alphabet. Raises
    ``ValueError`` when a rank is beyond :func:`like_capacity`.
    """
    p = parse_like(pattern)
    capacity = like_capacity(pattern, min_length, max_length)
    if capacity is not None and len(ranks) and int(ranks.max()) >= capacity:
        raise ValueError(f"LIKE '{pattern}' allows only {capacity} distinct values of the allowed length")
    chars = alphabet(p)
    n = len(ranks)
    if not p.has_any:
        return _spell_ranks(p, ranks, chars)
    last_any = max(i for i, (k, _) in enumerate(p.tokens) if k == "any")
    prefix = "".join(_constant_fill(k, v, chars) for k, v in p.tokens[:last_any])
    suffix = "".join(_constant_fill(k, v, chars) for k, v in p.tokens[last_any + 1:])
    digits = [str(int(r) + 1) for r in ranks.tolist()]
    fill_words = _clean_words(words[rng.integers(0, len(words), n)]).tolist()
    values = []
    for word, num in zip(fill_words, digits, strict=True):
        room = None if max_length is None else max_length - len(prefix) - len(suffix) - len(num)
        if room is not None:
            word = word[:max(room, 0)]
        short = min_length - len(prefix) - len(suffix) - len(num) - len(word)
        if short > 0:
            word += "x" * short
        values.append(prefix + word + num + suffix)
    return object_array(values)


def _constant_fill(kind: str, text: str, chars: str) -> str:
    if kind == "lit":
        return text
    if kind == "one":
        return chars[0]
    return ""


def _spell_ranks(p: LikePattern, ranks: np.ndarray, chars: str) -> np.ndarray:
    base = len(chars)
    m = p.underscores
    size = base**m
    codes = scramble([int(r) for r in ranks.tolist()], size)
    values = []
    for code in codes:
        spelled = []
        for _ in range(m):
            code, digit = divmod(code, base)
            spelled.append(chars[digit])
        it = iter(spelled)
        values.append("".join(v if k == "lit" else next(it) for k, v in p.tokens))
    return object_array(values)
