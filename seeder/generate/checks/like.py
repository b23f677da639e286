"""SQL LIKE patterns: the one parser and matcher every part of seeder uses.

Syntax: ``%`` (any run of characters), ``_`` (exactly one character) and literal characters, with an escape
character that makes the next character literal: backslash by default (PostgreSQL's and MySQL's default;
``ESCAPE ''`` turns escaping off, ``ESCAPE '!'`` picks another one, see :func:`backslash_escaped`). T-SQL bracket
classes (``[0-9]``) are not LIKE syntax in PostgreSQL, MySQL or SQLite, which read them as literals, and so does
this module.

Matching is case sensitive (PostgreSQL); MySQL and SQLite compare case-insensitively under their default
collations, so a value that matches here matches there too. ``ILIKE`` is matched with ``case_insensitive``.
Value synthesis from parsed patterns lives in :mod:`seeder.generate.values.like_strings`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np


@dataclass(frozen=True)
class LikePattern:
    """A parsed LIKE pattern: ``tokens`` are ``("lit", text)``, ``("one", "")`` or ``("any", "")``; ``regex``
    matches exactly the strings the pattern matches (with ``fullmatch``)."""

    text: str
    tokens: tuple[tuple[str, str], ...]
    regex: re.Pattern[str]

    @property
    def fixed_length(self) -> int:
        """Characters every match has: literals plus one per ``_`` (the shortest match's length)."""
        return sum(len(v) if k == "lit" else 1 for k, v in self.tokens if k != "any")

    @property
    def has_any(self) -> bool:
        return any(k == "any" for k, _ in self.tokens)

    @property
    def underscores(self) -> int:
        return sum(1 for k, _ in self.tokens if k == "one")

    def instance(self, fill: str, one: str) -> str:
        """A matching string: every ``%`` replaced by ``fill``, every ``_`` by the single character ``one``."""
        return "".join(v if k == "lit" else one if k == "one" else fill for k, v in self.tokens)


@lru_cache(maxsize=1024)
def parse_like(pattern: str, escape: str | None = "\\") -> LikePattern:
    """Parse ``pattern`` (see the module docstring); ``escape`` ``None`` or ``""`` means no escape character. A
    trailing lone escape character is a literal."""
    tokens: list[tuple[str, str]] = []
    regex = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if escape and ch == escape and i + 1 < len(pattern):
            _append_literal(tokens, pattern[i + 1])
            regex.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        if ch == "%":
            if not tokens or tokens[-1][0] != "any":  # %% is the same as %
                tokens.append(("any", ""))
                regex.append(".*")
        elif ch == "_":
            tokens.append(("one", ""))
            regex.append(".")
        else:
            _append_literal(tokens, ch)
            regex.append(re.escape(ch))
        i += 1
    return LikePattern(pattern, tuple(tokens), re.compile("".join(regex), re.DOTALL))


def _append_literal(tokens: list[tuple[str, str]], ch: str) -> None:
    if tokens and tokens[-1][0] == "lit":
        tokens[-1] = ("lit", tokens[-1][1] + ch)
    else:
        tokens.append(("lit", ch))


@lru_cache(maxsize=1024)
def like_regex(pattern: str, escape: str | None = "\\", case_insensitive: bool = False) -> re.Pattern[str]:
    """The anchored-by-``fullmatch`` regex of a LIKE pattern (``case_insensitive`` for ILIKE)."""
    compiled = parse_like(pattern, escape).regex
    return re.compile(compiled.pattern, re.DOTALL | re.IGNORECASE) if case_insensitive else compiled


def like_matches(value: str, pattern: str, *, escape: str | None = "\\", case_insensitive: bool = False) -> bool:
    """Whether ``value`` matches the LIKE ``pattern``."""
    return like_regex(pattern, escape, case_insensitive).fullmatch(value) is not None


def _matching(pattern: str, values: list[str]) -> np.ndarray:
    regex = parse_like(pattern).regex
    return np.fromiter((regex.fullmatch(v) is not None for v in values), dtype=bool, count=len(values))


def match_mask(patterns: tuple[str, ...], values: np.ndarray) -> np.ndarray:
    """Boolean array: which ``values`` (object array of str) match every pattern of ``patterns``."""
    items = values.tolist()
    ok = np.ones(len(items), dtype=bool)
    for p in patterns:
        ok &= _matching(p, items)
    return ok


def any_match_mask(patterns: tuple[str, ...], values: np.ndarray) -> np.ndarray:
    """Boolean array: which ``values`` match at least one of ``patterns``."""
    items = values.tolist()
    hit = np.zeros(len(items), dtype=bool)
    for p in patterns:
        hit |= _matching(p, items)
    return hit


def backslash_escaped(pattern: str, escape: str | None) -> str:
    """``pattern`` written with escape character ``escape`` (``None``: none), rewritten to use backslash, the
    escape character the rest of seeder assumes."""
    if escape == "\\":
        return pattern
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if escape and ch == escape and i + 1 < len(pattern):
            out.append("\\" + pattern[i + 1])
            i += 2
            continue
        out.append("\\\\" if ch == "\\" else ch)
        i += 1
    return "".join(out)
