"""Regular expressions in CHECKs: translate the SQL dialects' pattern languages to Python, and sample matching strings.

Translation (PostgreSQL ``~`` POSIX regexes and MySQL ``REGEXP``, SQL ``SIMILAR TO``, SQLite ``GLOB``) follows
PostgreSQL's "Pattern Matching" chapter for the common subset and raises
:class:`~seeder.generate.checks.sql_values.UnsupportedExpression` for the rest, so the evaluator answers "unknown"
instead of guessing. SQL LIKE has its own parser (:mod:`seeder.generate.checks.like`).

Sampling (:func:`sample_matching`, for CHECKs such as ``code ~ '^[a-z0-9_]{1,100}$'``) takes a compiled Python regex.
Its parse tree comes from the standard library's own regex parser (``re._parser`` from Python 3.11, ``sre_parse``
before): a private module, but the one ``re.compile`` itself uses, so every construct it accepts is parsed exactly as
it will be matched. The sampler walks the tree: literals are copied, character classes and ``.`` pick a character,
repeats pick a count, alternations pick a branch. Anchors and look-arounds are not synthesised; every sample is
checked with the compiled pattern, so those forms only lower the hit rate and never produce a wrong value.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy as np

from seeder.generate.checks.sql_values import UnsupportedExpression

try:  # Python >= 3.11
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _p  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

# --------------------------------------------------------------------------------------------------------------------
# Translating SQL pattern languages

_POSIX_CLASSES = {
    "alpha": "a-zA-Z", "digit": "0-9", "alnum": "a-zA-Z0-9", "upper": "A-Z", "lower": "a-z",
    "space": r"\s", "blank": r" \t", "punct": r"!-/:-@\[-`{-~", "xdigit": "0-9A-Fa-f", "word": r"\w",
}


@lru_cache(maxsize=1024)
def posix_regex(pattern: str, case_insensitive: bool = False) -> re.Pattern[str]:
    """Compile a PostgreSQL ``~`` (POSIX ARE) / MySQL REGEXP pattern to a Python regex used with ``search``.

    Handles the common subset: Python-compatible syntax plus ``[[:class:]]`` bracket classes and ``\\m``/``\\M``/
    ``\\y`` word boundaries. Anything Python's ``re`` rejects raises :class:`UnsupportedExpression`.
    """
    translated = re.sub(r"\[:([a-z]+):\]", lambda m: _POSIX_CLASSES.get(m.group(1), m.group(0)), pattern)
    if "[:" in translated:
        raise UnsupportedExpression(f"unsupported regex class in {pattern!r}")
    translated = re.sub(r"\\[mMy]", r"\\b", translated)
    try:
        return re.compile(translated, re.IGNORECASE if case_insensitive else 0)
    except re.error as err:
        raise UnsupportedExpression(f"unsupported regex {pattern!r}: {err}") from err


def _wildcards(pattern: str, token: Callable[[str], str], bracket: Callable[[str], str], *,
               escape: str | None = None, strict_brackets: bool = False) -> str:
    """Regex text for a wildcard pattern: ``escape`` makes the next character literal, ``[...]`` goes through
    ``bracket`` (its body), every other character through ``token``. An unterminated ``[`` is a literal, or an
    error with ``strict_brackets``."""
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if escape and ch == escape and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        if ch == "[":
            j = pattern.find("]", i + 2)
            if j >= 0:
                out.append(bracket(pattern[i + 1:j]))
                i = j + 1
                continue
            if strict_brackets:
                raise UnsupportedExpression(f"unterminated bracket in {pattern!r}")
        out.append(token(ch))
        i += 1
    return "".join(out)


@lru_cache(maxsize=256)
def similar_regex(pattern: str) -> re.Pattern[str]:
    """Compile a SQL ``SIMILAR TO`` pattern (``%``, ``_``, ``|``, ``*``, ``+``, ``?``, ``{m,n}``, ``()``, ``[]``)."""
    def token(ch: str) -> str:
        return ".*" if ch == "%" else "." if ch == "_" else ch if ch in "|*+?{}(),0123456789" else re.escape(ch)

    text = _wildcards(pattern, token, lambda body: f"[{body}]", escape="\\", strict_brackets=True)
    try:
        return re.compile(text, re.DOTALL)
    except re.error as err:
        raise UnsupportedExpression(f"unsupported SIMILAR TO pattern {pattern!r}") from err


@lru_cache(maxsize=256)
def glob_regex(pattern: str) -> re.Pattern[str]:
    """Compile a SQLite ``GLOB`` pattern (``*``, ``?``, ``[...]``, ``[^...]``; case sensitive)."""
    def bracket(body: str) -> str:
        return "[" + ("^" + body[1:] if body.startswith("^") else body).replace("\\", "\\\\") + "]"

    text = _wildcards(pattern, lambda ch: ".*" if ch == "*" else "." if ch == "?" else re.escape(ch), bracket)
    return re.compile(text, re.DOTALL)


# --------------------------------------------------------------------------------------------------------------------
# Sampling matching strings


#: Characters drawn for ``.``, negated classes and categories: plain ASCII that survives any quoting.
_PRINTABLE = string.ascii_letters + string.digits + "_-."
_CATEGORY_CHARS = {
    _c.CATEGORY_DIGIT: string.digits,
    _c.CATEGORY_NOT_DIGIT: string.ascii_letters,
    _c.CATEGORY_WORD: string.ascii_letters + string.digits + "_",
    _c.CATEGORY_NOT_WORD: "-.,:",
    _c.CATEGORY_SPACE: " ",
    _c.CATEGORY_NOT_SPACE: string.ascii_letters + string.digits,
}
#: Extra repetitions drawn beyond a repeat's minimum (unbounded repeats would otherwise make very long strings).
_EXTRA_REPEATS = 6
#: Samples tried per value before giving up.
ATTEMPTS = 60


class RegexUnsupported(ValueError):
    """The pattern uses a construct the sampler cannot produce (the caller falls back to random retries)."""


def _class_chars(items: list[tuple[Any, Any]]) -> str:
    """The characters a ``[...]`` class accepts, restricted to :data:`_PRINTABLE` plus what it names itself."""
    negate = False
    named: list[str] = []
    for op, arg in items:
        if op is _c.NEGATE:
            negate = True
        elif op is _c.LITERAL:
            named.append(chr(arg))
        elif op is _c.RANGE:
            lo, hi = arg
            named.extend(chr(c) for c in range(lo, min(hi, lo + 400) + 1))
        elif op is _c.CATEGORY:
            named.extend(_CATEGORY_CHARS.get(arg, ""))
        else:
            raise RegexUnsupported(f"character class item {op}")
    if not negate:
        return "".join(dict.fromkeys(named))
    banned = set(named)
    return "".join(ch for ch in _PRINTABLE if ch not in banned)


_INF = 10**9
_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT, *([_c.POSSESSIVE_REPEAT] if hasattr(_c, "POSSESSIVE_REPEAT") else []))
_ZERO_WIDTH = (_c.AT, _c.ASSERT, _c.ASSERT_NOT)


def _seq_bounds(items: Any) -> tuple[int, int]:
    lo = hi = 0
    for op, arg in items:
        a, b = _item_bounds(op, arg)
        lo, hi = lo + a, min(hi + b, _INF)
    return lo, hi


def _item_bounds(op: Any, arg: Any) -> tuple[int, int]:
    """Shortest and longest match of one item (``_INF`` for unbounded)."""
    if op in (_c.LITERAL, _c.NOT_LITERAL, _c.ANY, _c.IN):
        return 1, 1
    if op is _c.BRANCH:
        bounds = [_seq_bounds(b) for b in arg[1]]
        return min(b[0] for b in bounds), max(b[1] for b in bounds)
    if op is _c.SUBPATTERN:
        return _seq_bounds(arg[3])
    if op in _REPEATS:
        lo, hi, sub = arg
        a, b = _seq_bounds(sub)
        top = _INF if hi is _c.MAXREPEAT or b >= _INF else min(hi * b, _INF)
        return lo * a, top
    if op in _ZERO_WIDTH:
        return 0, 0
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _seq_bounds(arg)
    return 0, _INF  # back-references: unknown


class _Sampler:
    """Walks a parse tree, keeping each part's length inside a window so the whole can hit ``[lo, hi]``."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.groups: dict[int, str] = {}

    def pick(self, chars: str) -> str:
        if not chars:
            raise RegexUnsupported("empty character class")
        return chars[int(self.rng.integers(0, len(chars)))]

    def sequence(self, items: Any, lo: int, hi: int) -> str:
        items = list(items)
        bounds = [_item_bounds(op, arg) for op, arg in items]
        rest_lo = [0] * (len(items) + 1)
        rest_hi = [0] * (len(items) + 1)
        for k in range(len(items) - 1, -1, -1):
            rest_lo[k] = rest_lo[k + 1] + bounds[k][0]
            rest_hi[k] = min(rest_hi[k + 1] + bounds[k][1], _INF)
        out = []
        used = 0
        for k, (op, arg) in enumerate(items):
            w_lo = max(bounds[k][0], lo - used - rest_hi[k + 1])
            w_hi = min(bounds[k][1], hi - used - rest_lo[k + 1])
            if w_hi < w_lo:  # infeasible: take the item's own shortest form and let the check reject the result
                w_lo = w_hi = bounds[k][0]
            piece = self.item(op, arg, w_lo, w_hi)
            out.append(piece)
            used += len(piece)
        return "".join(out)

    def _count(self, lo: int, hi: int, each: tuple[int, int], w_lo: int, w_hi: int) -> int:
        """A repeat count whose total length can fall in ``[w_lo, w_hi]`` (each repetition ``each`` long)."""
        top = lo + _EXTRA_REPEATS if hi is _c.MAXREPEAT else hi
        a, b = each
        if a > 0:
            top = min(top, w_hi // a)
        bottom = lo
        if b > 0 and b < _INF:
            bottom = max(bottom, -(-w_lo // b))
        if w_lo > 0 and bottom < lo + 1 and top > lo + _EXTRA_REPEATS:
            top = max(bottom, min(top, bottom + _EXTRA_REPEATS))
        if top < bottom:
            return lo
        if top > bottom + _EXTRA_REPEATS and w_lo <= bottom * max(b, 1):
            top = bottom + _EXTRA_REPEATS  # unbounded: keep strings short unless a length is required
        return int(self.rng.integers(bottom, top + 1))

    def item(self, op: Any, arg: Any, lo: int, hi: int) -> str:
        if op is _c.LITERAL:
            return chr(arg)
        if op is _c.NOT_LITERAL:
            return self.pick(_PRINTABLE.replace(chr(arg), ""))
        if op is _c.ANY:
            return self.pick(string.ascii_lowercase + string.digits)
        if op is _c.IN:
            return self.pick(_class_chars(arg))
        if op is _c.BRANCH:
            branches = arg[1]
            fitting = [b for b in branches if _seq_bounds(b)[0] <= hi and _seq_bounds(b)[1] >= lo] or branches
            return self.sequence(fitting[int(self.rng.integers(0, len(fitting)))], lo, hi)
        if op is _c.SUBPATTERN:
            group, _add, _del, sub = arg
            out = self.sequence(sub, lo, hi)
            if group is not None:
                self.groups[group] = out
            return out
        if op in _REPEATS:
            r_lo, r_hi, sub = arg
            each = _seq_bounds(sub)
            count = self._count(r_lo, r_hi, each, lo, hi)
            out = []
            used = 0
            for k in range(count):
                left = count - k - 1  # repetitions still to come
                w_lo = max(each[0], lo - used - left * each[1])
                w_hi = min(each[1], hi - used - left * each[0])
                piece = self.sequence(sub, w_lo, max(w_lo, w_hi))
                out.append(piece)
                used += len(piece)
            return "".join(out)
        if op is _c.GROUPREF:
            return self.groups.get(arg, "")
        if op in _ZERO_WIDTH:
            return ""  # anchors and look-arounds: verified on the result
        if op is getattr(_c, "ATOMIC_GROUP", None):
            return self.sequence(arg, lo, hi)
        raise RegexUnsupported(f"regex construct {op}")


def sample_matching(pattern: re.Pattern[str], rng: np.random.Generator, *, min_length: int = 0,
                    max_length: int | None = None, fullmatch: bool = False) -> str | None:
    """One string that ``pattern`` matches (``search``, or ``fullmatch`` when asked) with a length within bounds.

    Each part of the pattern gets a length window that keeps the whole within the bounds where the pattern allows
    it (``char(15)`` values of a pattern with optional separators use them). Tries :data:`ATTEMPTS` samples and
    returns ``None`` when none fits. Raises :class:`RegexUnsupported` for constructs that cannot be sampled
    (conditionals, unknown opcodes).
    """
    try:
        tree = _p.parse(pattern.pattern, pattern.flags)
    except re.error as err:  # pragma: no cover - the pattern compiled, so it parses
        raise RegexUnsupported(str(err)) from err
    test = pattern.fullmatch if fullmatch else pattern.search
    hi = _INF if max_length is None else max_length
    for _attempt in range(ATTEMPTS):
        value = _Sampler(rng).sequence(tree, min_length, hi)
        if len(value) < min_length or (max_length is not None and len(value) > max_length):
            continue
        if test(value) is not None:
            return value
    return None
