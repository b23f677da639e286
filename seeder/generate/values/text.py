"""String values: realistic text per semantic kind, fitted to length bounds, optionally unique by construction.

Random values come from the vocabulary pools (:mod:`seeder.generate.values.vocabulary`), composed with numpy
object-array operations (``first + " " + last``), then cut to ``max_length`` and padded to ``min_length``.

Unique values use one of two numberings, chosen from the spec alone so every chunk of a column uses the same one:

* **code** (``max_length <= 8``): first the distinct pool entries that satisfy the constraints, then fixed-alphabet
  codes (``A-Z0-9``, longest length first, scattered), skipping codes already used by pool entries or excluded.
* **suffix** (longer strings): rank ``k`` gives the ``k``-th distinct pool value when it is valid and does not end in
  a digit, otherwise a realistic word followed by the decimal ``k + 1``. A value's trailing digit run recovers ``k``,
  so no two ranks share a value even when words are cut to fit.
"""

from __future__ import annotations

import math
import string
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from seeder.domains import domain_names, domain_values
from seeder.generate.checks.like import any_match_mask, match_mask, parse_like
from seeder.generate.spec import ValueSpec
from seeder.generate.values import codes
from seeder.generate.values import vocabulary as vocab
from seeder.generate.values.fixed_formats import ipv4_text, random_uuids, uuids_for_ranks
from seeder.generate.values.integer_domain import coprime_multiplier, scramble
from seeder.generate.values.like_strings import like_capacity, synthesize, synthesize_unique
from seeder.generate.values.vocabulary import object_array

#: Unique strings at most this long are numbered as codes; longer ones get decimal suffixes.
CODE_MAX_LENGTH = 8
#: Capacities above this are reported as unbounded.
CAPACITY_LIMIT = 10**9
_ALNUM = string.ascii_uppercase + string.digits
_ALNUM_BYTES = np.frombuffer(_ALNUM.encode(), dtype=np.uint8)
_HEX_BYTES = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_LOWER_BYTES = np.frombuffer(string.ascii_lowercase.encode(), dtype=np.uint8)
_DIGIT_BYTES = np.frombuffer(string.digits.encode(), dtype=np.uint8)
_NUM = np.array([str(i) for i in range(10000)], dtype=object)
_NUM3 = np.array([f"{i:03d}" for i in range(1000)], dtype=object)
_NUM4 = np.array([f"{i:04d}" for i in range(10000)], dtype=object)

#: Kinds whose values are several words: a unique suffix is separated by a space.
_MULTIWORD = frozenset({
    None, "full_name", "title", "company", "street_address", "address2", "city", "description", "product", "label",
    "job_title", "category", "genre", "department", "media_type", "film_feature", "country", "state",
    "currency_name", "language",
})
_STRIP_BEFORE_SUFFIX = "0123456789 .,;:-/#"


class StringSource:
    """char/varchar/text: realistic strings per semantic kind, within the spec's lengths and patterns."""

    def __init__(self, spec: ValueSpec, semantic: str | None) -> None:
        self.rules = StringRules.from_spec(spec)
        self.semantic = semantic
        self.salt = spec.rank_salt
        self.capacity = string_capacity(semantic, self.rules)

    def random(self, n: int, rng: np.random.Generator) -> list[Any]:
        return random_strings(self.semantic, n, rng, self.rules).tolist()

    def unique(self, ranks: np.ndarray, rng: np.random.Generator) -> list[Any]:
        return unique_strings(self.semantic, ranks, rng, self.rules, salt=self.salt).tolist()


class StringError(ValueError):
    """Strings satisfying the constraints cannot be made; the caller names the column."""


@dataclass(frozen=True)
class StringRules:
    """The string constraints of a spec, normalised."""

    min_length: int
    max_length: int | None
    excluded: frozenset[str]
    like: tuple[str, ...]
    not_like: tuple[str, ...]
    fixed_width: bool  # char(n): prefer values using the full width for codes
    prefix: str = ""  # letters that start shaped codes (SKUs, account numbers): from the table's name

    @classmethod
    def from_spec(cls, spec: ValueSpec) -> StringRules:
        ctype = spec.column.type
        max_length = spec.length_limit
        min_length = max(spec.min_length or 0, 0)
        if max_length is not None and min_length > max_length:
            raise StringError(f"needs at least {min_length} characters but allows at most {max_length}")
        excluded = frozenset(v for v in spec.excluded if isinstance(v, str))
        return cls(min_length, max_length, excluded, tuple(spec.like), tuple(spec.not_like), ctype.kind == "char",
                   codes.code_prefix(spec.table.name, spec.column.name))

    def valid_mask(self, values: np.ndarray) -> np.ndarray:
        """Which values satisfy lengths, exclusions, LIKE and NOT LIKE."""
        lengths = np.fromiter(map(len, values.tolist()), dtype=np.int64, count=len(values))
        ok = lengths >= self.min_length
        if self.max_length is not None:
            ok &= lengths <= self.max_length
        if self.excluded:
            ok &= np.fromiter((v not in self.excluded for v in values.tolist()), dtype=bool, count=len(values))
        if self.like:
            ok &= match_mask(self.like, values)
        if self.not_like:
            ok &= ~any_match_mask(self.not_like, values)
        return ok


_CACHE: dict[str, np.ndarray] = {}


def _derived(name: str) -> np.ndarray:
    if name not in _CACHE:
        if name == "cap_words":
            words = [w.capitalize() for w in vocab.distinct_pool("word").tolist() if w.isalpha()]
        elif name == "lower_words":
            words = [w for w in vocab.distinct_pool("word").tolist() if w.isalpha()]
        elif name == "first_distinct":
            words = vocab.distinct_pool("first_name").tolist()
        elif name == "last_distinct":
            words = vocab.distinct_pool("last_name").tolist()
        else:
            raise KeyError(name)
        _CACHE[name] = object_array(words)
    return _CACHE[name]


def _take(arr: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    return arr[rng.integers(0, len(arr), n)]


# ---------------------------------------------------------------------------------------------------------------
# Random realistic values per kind


def _pool_for(kind: str | None, max_length: int | None) -> str | None:
    """The plain vocabulary pool of a kind (for unique numbering and pool matching), if it has one."""
    short = max_length is not None
    if kind == "state":
        return "state_abbr" if short and max_length <= 3 else "state"
    if kind == "country_code":
        return "country_code3" if max_length == 3 else "country_code"
    if kind == "gender":
        return "gender_letter" if short and max_length < 4 else "gender_word"
    if kind == "color":
        return "hex_color" if max_length == 7 else "color_name"
    return {
        "first_name": "first_name", "last_name": "last_name", "city": "city", "street_address": "street_address",
        "address2": "secondary_address", "postal_code": "postal_code", "country": "country", "company": "company",
        "job_title": "job", "phone": "phone", "domain": "domain", "url": "url", "username": "user_name",
        "language": "language_name", "currency_code": "currency_code", "currency_name": "currency_name",
        "timezone": "timezone", "mime_type": "mime_type", "file_name": "file_name", "file_path": "file_path",
        "isbn": "isbn13", "genre": "genre", "category": "category", "status": "status", "department": "department",
        "media_type": "media_type", "film_feature": "film_feature", "courtesy_title": "courtesy_title",
        "name_suffix": "name_suffix", "tag": "tag", "credit_card_number": "credit_card_number",
        "card_provider": "credit_card_provider", "user_agent": "user_agent", "license_plate": "license_plate",
        "street_name": "street_name", "ip_string": "ipv4", "description": "sentence",
    }.get(kind or "")


def _words(n: int, rng: np.random.Generator, lo: int, hi: int, *, capitalize: bool) -> np.ndarray:
    pool = _derived("cap_words" if capitalize else "lower_words")
    counts = rng.integers(lo, hi + 1, n)
    out = _take(pool, n, rng)
    for extra in range(1, hi):
        more = counts > extra
        if more.any():
            out[more] = out[more] + " " + _take(pool, int(more.sum()), rng)
    return out


def _codes(n: int, rng: np.random.Generator, length: int, alphabet: np.ndarray = _ALNUM_BYTES) -> np.ndarray:
    if length <= 0:
        return np.full(n, "", dtype=object)
    mat = alphabet[rng.integers(0, len(alphabet), (n, length))]
    return mat.view(f"S{length}").ravel().astype(f"U{length}").astype(object)


def _emails(n: int, rng: np.random.Generator) -> np.ndarray:
    first = _take(vocab.ascii_lower_pool("first_name"), n, rng)
    last = _take(vocab.ascii_lower_pool("last_name"), n, rng)
    style = rng.integers(0, 4, n)
    local = np.where(style == 0, first + "." + last, first + last)
    initial = np.fromiter((f[:1] for f in first.tolist()), dtype=object, count=n)
    local = np.where(style == 2, initial + last, local)
    local = np.where(style == 3, first + "_" + last, local)
    numbered = rng.random(n) < 0.35
    local[numbered] = local[numbered] + _take(_NUM[1:100], int(numbered.sum()), rng)
    domains = np.where(rng.random(n) < 0.6, _take(vocab.pool("free_email_domain"), n, rng),
                       _take(vocab.pool("domain"), n, rng))
    return local + "@" + domains


def _fit_emails(values: np.ndarray, max_length: int | None) -> np.ndarray:
    """Shorten e-mails longer than ``max_length`` by cutting the local part (and the domain to ``ex.io`` if need
    be), so they stay addresses instead of being cut mid-domain."""
    if max_length is None:
        return values
    out = values.copy()
    for i in np.flatnonzero(np.fromiter(map(len, values.tolist()), dtype=np.int64, count=len(values)) > max_length):
        local, _, domain = out[i].partition("@")
        if len(domain) + 2 > max_length:
            domain = "ex.io"
        local = local[: max(1, max_length - len(domain) - 1)].rstrip("._") or "x"
        out[i] = f"{local}@{domain}"
    return out


def _phones(n: int, rng: np.random.Generator, max_length: int | None) -> np.ndarray:
    """North American numbers in one format per column (the widest that fits), not Faker's mix of formats."""
    area = _take(_NUM3[200:1000], n, rng)
    mid = _take(_NUM3[200:1000], n, rng)
    tail = _take(_NUM4, n, rng)
    if max_length is None or max_length >= 14:
        return "(" + area + ") " + mid + "-" + tail
    if max_length >= 12:
        return area + "-" + mid + "-" + tail
    return area + mid + tail


def _hex(n: int, rng: np.random.Generator, length: int) -> np.ndarray:
    return _codes(n, rng, length, _HEX_BYTES)


def _uuids(n: int, rng: np.random.Generator) -> np.ndarray:
    return object_array([str(u) for u in random_uuids(n, rng)])


def _macs(n: int, rng: np.random.Generator) -> np.ndarray:
    raw = rng.integers(0, 256, (n, 6))
    return object_array([":".join(f"{b:02x}" for b in row) for row in raw.tolist()])


def _full_names(n: int, rng: np.random.Generator) -> np.ndarray:
    return _take(vocab.pool("first_name"), n, rng) + " " + _take(vocab.pool("last_name"), n, rng)


def _products(n: int, rng: np.random.Generator) -> np.ndarray:
    adjective = _take(vocab.pool("product_adjective"), n, rng)
    material = _take(vocab.pool("product_material"), n, rng)
    noun = _take(vocab.pool("product_noun"), n, rng)
    return np.where(rng.random(n) < 0.5, adjective + " " + material + " " + noun, adjective + " " + noun)


def _sentences(n: int, rng: np.random.Generator, max_length: int | None) -> np.ndarray:
    if max_length is None or max_length >= 400:
        counts = rng.integers(1, 4, n)
        out = vocab.sample("sentence", n, rng)
        for extra in (1, 2):
            more = counts > extra
            out[more] = out[more] + " " + vocab.sample("sentence", int(more.sum()), rng)
        return out
    fitting = vocab.fitting_pool("sentence", max_length)
    if len(fitting) >= 20:
        return _take(fitting, n, rng)
    return _words(n, rng, 1, 4, capitalize=False)


def _plain_text(n: int, rng: np.random.Generator, rules: StringRules) -> np.ndarray:
    max_length = rules.max_length
    if max_length is not None and (max_length <= 5 or (rules.fixed_width and max_length <= 10)):
        length = max(max_length, rules.min_length) if rules.fixed_width else None
        if length is not None:
            return _codes(n, rng, length)
        lengths = rng.integers(max(1, rules.min_length), max_length + 1, n)
        full = _codes(n, rng, max_length)
        return object_array([s[:k] for s, k in zip(full.tolist(), lengths.tolist(), strict=True)])
    return _words(n, rng, 1, 4, capitalize=False)


def realistic(kind: str | None, n: int, rng: np.random.Generator, rules: StringRules) -> np.ndarray:
    """``n`` random values of semantic ``kind`` (object array of str), before length fitting."""
    max_length = rules.max_length
    if kind == "email":
        return _fit_emails(_emails(n, rng), max_length)
    if kind == "full_name":
        return _full_names(n, rng)
    if kind == "phone":
        return _phones(n, rng, max_length)
    if kind == "title":
        return _words(n, rng, 1, 3, capitalize=True)
    if kind == "label":
        return _words(n, rng, 1, 2, capitalize=True)
    if kind == "description":
        return _sentences(n, rng, max_length)
    if kind == "product":
        return _products(n, rng)
    if kind == "slug":
        return object_array([w.replace(" ", "-") for w in _words(n, rng, 2, 4, capitalize=False).tolist()])
    if kind == "code":
        layout = _code_layout(rules)
        if layout is not None:
            return codes.random_codes(rules.prefix, layout[1], n, rng)
        return _codes(n, rng, min(max_length or 8, 8))
    domain = _domain_kind(kind)
    if domain is not None:
        return _take(_domain_array(domain, max_length), n, rng)
    if kind == "hex_token":
        return _hex(n, rng, min(max_length or 40, 40))
    if kind == "uuid_string":
        return _uuids(n, rng)
    if kind == "mac_string":
        return _macs(n, rng)
    if kind == "postal_code" and max_length is not None and max_length < 5:
        return _codes(n, rng, max_length, _DIGIT_BYTES)
    pool_name = _pool_for(kind, max_length)
    if pool_name is not None:
        return vocab.sample(pool_name, n, rng, max_length=max_length)
    return _plain_text(n, rng, rules)


def fit_lengths(values: np.ndarray, rules: StringRules, rng: np.random.Generator) -> np.ndarray:
    """Cut values longer than ``max_length`` (at the limit, trailing blanks removed) and pad short ones with
    random lower-case letters up to ``min_length``; returns a new object array."""
    lengths = np.fromiter(map(len, values.tolist()), dtype=np.int64, count=len(values))
    out = values.copy()
    if rules.max_length is not None:
        long = np.flatnonzero(lengths > rules.max_length)
        if len(long):
            cut = [v[: rules.max_length].rstrip() or v[: rules.max_length] for v in out[long].tolist()]
            out[long] = cut
            lengths[long] = [len(v) for v in cut]
    short = np.flatnonzero(lengths < rules.min_length)
    if len(short):
        pads = _codes(len(short), rng, rules.min_length, _LOWER_BYTES).tolist()
        out[short] = [v + pad[: rules.min_length - len(v)] for v, pad in zip(out[short].tolist(), pads, strict=True)]
    return out


def random_strings(kind: str | None, n: int, rng: np.random.Generator, rules: StringRules) -> np.ndarray:
    """``n`` random strings of ``kind`` satisfying ``rules`` (object array). Raises :class:`StringError`."""
    if rules.like:
        return _random_like(kind, n, rng, rules)
    values = fit_lengths(realistic(kind, n, rng, rules), rules, rng)
    return _repair(values, rules, lambda m: fit_lengths(realistic(kind, m, rng, rules), rules, rng), rng)


def _repair(values: np.ndarray, rules: StringRules, regenerate: Callable[[int], np.ndarray],
            rng: np.random.Generator | None = None) -> np.ndarray:
    """Redraw values that break ``rules``; after a few rounds fall back to plain codes (``K7QZ2``), which avoid
    most NOT LIKE patterns (blanks, lower case, punctuation)."""
    if not (rules.excluded or rules.not_like or rules.like):
        return values
    for attempt in range(16):
        bad = np.flatnonzero(~rules.valid_mask(values))
        if not len(bad):
            return values
        if attempt >= 8 and rng is not None and not rules.like:
            length = max(rules.min_length, min(rules.max_length or 8, 8))
            values[bad] = _codes(len(bad), rng, length)
        else:
            values[bad] = regenerate(len(bad))
    raise StringError("could not find values that avoid the excluded values and NOT LIKE patterns")


def _fill_words(kind: str | None, rules: StringRules, rng: np.random.Generator) -> np.ndarray:
    """Words to put in a LIKE pattern's ``%``: realistic values of the kind without blanks at the ends."""
    sample = realistic(kind, 256, rng, StringRules(0, None, frozenset(), (), (), False))
    return object_array([v.strip() for v in sample.tolist()])


def _random_like(kind: str | None, n: int, rng: np.random.Generator, rules: StringRules) -> np.ndarray:
    # Prefer realistic values that already match (names starting with 'A' for LIKE 'A%').
    pool_name = _pool_for(kind, rules.max_length)
    if pool_name is not None:
        candidates = vocab.distinct_pool(pool_name)
        matching = candidates[rules.valid_mask(candidates)]
        if len(matching) >= 3:
            return _take(matching, n, rng)
    values = fit_lengths(realistic(kind, n, rng, rules), rules, rng)
    ok = rules.valid_mask(values)
    if ok.mean() < 0.5:
        values[:] = _synth(kind, n, rng, rules)
    else:
        bad = np.flatnonzero(~ok)
        values[bad] = _synth(kind, len(bad), rng, rules)
    return _repair(values, rules, lambda m: _synth(kind, m, rng, rules))


def _words_for(kind: str | None, others: list[str], rules: StringRules, rng: np.random.Generator) -> np.ndarray:
    """Fill words for one LIKE pattern that already match the ``others`` (so ``'%@%'`` and ``'%.com'`` combine
    into ``'@word.com'``): each other pattern is synthesised around the next one's words."""
    if not others:
        return _fill_words(kind, rules, rng)
    inner = _words_for(kind, others[1:], rules, rng)
    return synthesize(others[0], 256, rng, inner, min_length=0, max_length=None)


def _synth_like(kind: str | None, rng: np.random.Generator, rules: StringRules,
                make: Callable[[str, np.ndarray], np.ndarray], failure: str) -> np.ndarray:
    """Try each LIKE pattern as the one to synthesise around (the others supply its words) until every pattern
    matches; ``make(pattern, words)`` draws the values, ``failure`` starts the error when none works."""
    errors = []
    for i, pattern in enumerate(rules.like):
        try:
            words = _words_for(kind, [p for j, p in enumerate(rules.like) if j != i], rules, rng)
            values = make(pattern, words)
        except ValueError as exc:
            errors.append(str(exc))
            continue
        if match_mask(rules.like, values).all():
            return values
    detail = "; ".join(errors) or f"no generated value matches all of {', '.join(repr(p) for p in rules.like)}"
    raise StringError(f"{failure} ({detail})")


def _synth(kind: str | None, n: int, rng: np.random.Generator, rules: StringRules) -> np.ndarray:
    def make(pattern: str, words: np.ndarray) -> np.ndarray:
        return synthesize(pattern, n, rng, words, min_length=rules.min_length, max_length=rules.max_length)

    try:
        return _synth_like(kind, rng, rules, make, "cannot generate strings for LIKE patterns")
    except StringError as exc:
        raise StringError(f"{exc}; relax the constraint") from None


# ---------------------------------------------------------------------------------------------------------------
# Unique values


class CodeDomain:
    """Every string over ``alphabet`` with length in ``[min_length, max_length]``, numbered injectively.

    Longest codes come first; inside one length, ranks are scattered by an affine bijection so consecutive rows do
    not look sequential. :meth:`rank_of` inverts the numbering (to skip values already used or excluded).
    """

    def __init__(self, min_length: int, max_length: int, alphabet_bytes: np.ndarray = _ALNUM_BYTES) -> None:
        self.alphabet = alphabet_bytes
        self.alphabet_text = alphabet_bytes.tobytes().decode()
        base = len(alphabet_bytes)
        # The empty string is left out unless nothing else fits: Oracle stores '' as NULL.
        lengths = list(range(max_length, max(min_length, 1) - 1, -1)) if max_length > 0 else [0]
        self.classes: list[tuple[int, int, int, int, int]] = []  # (length, size, first rank, mult, offset)
        first = 0
        for length in lengths:
            size = base**length
            if size <= 2:
                mult, offset = 1, 0
            else:
                # beyond 3e9 a small multiplier keeps ``rank * mult`` inside numpy's int64
                mult = coprime_multiplier(size, None if size <= 3_000_000_000 else 1_000_003)
                offset = size // 3
            self.classes.append((length, size, first, mult, offset))
            first += size
        self.size = first

    def rank_of(self, value: str) -> int | None:
        base = len(self.alphabet_text)
        for length, size, first, mult, offset in self.classes:
            if len(value) != length:
                continue
            code = 0
            for ch in reversed(value):
                digit = self.alphabet_text.find(ch)
                if digit < 0:
                    return None
                code = code * base + digit
            return first + ((code - offset) * pow(mult, -1, size)) % size if size > 1 else first
        return None

    def strings(self, ranks: np.ndarray) -> np.ndarray:
        out = np.empty(len(ranks), dtype=object)
        base = len(self.alphabet)
        for length, size, first, mult, offset in self.classes:
            mask = (ranks >= first) & (ranks < first + size)
            if not mask.any():
                continue
            if length == 0:
                out[mask] = ""
                continue
            code = ((ranks[mask] - first) * mult + offset) % size
            mat = np.empty((len(code), length), dtype=np.uint8)
            for pos in range(length):  # least significant digit first, as rank_of reads it
                code, digit = np.divmod(code, base)
                mat[:, pos] = self.alphabet[digit]
            out[mask] = mat.view(f"S{length}").ravel().astype(f"U{length}").astype(object)
        return out


def _scheme(kind: str | None, rules: StringRules) -> str:
    if rules.like:
        return "like"
    limit, least = rules.max_length, rules.min_length
    # each fixed format only where its values also meet the minimum length (ZIP codes are 5 characters, ...)
    if kind == "email" and (limit is None or limit >= 9):
        return "email"
    if kind == "uuid_string" and (limit is None or limit >= 36) and least <= 36:
        return "uuid"
    if kind == "ip_string" and (limit is None or limit >= 15) and least <= 8:
        return "ip"
    if kind == "hex_token" and (limit is None or limit >= 16):
        return "hex"
    if kind == "phone" and (limit is None or limit >= 10) and least <= 10:
        return "phone"
    if kind == "postal_code" and (limit is None or limit >= 5) and least <= 5:
        return "postal"
    if kind == "code" and _code_layout(rules) is not None:
        return "shaped"
    if limit is not None and limit <= CODE_MAX_LENGTH:
        return "code"
    return "suffix"


def _code_layout(rules: StringRules) -> tuple[int, int] | None:
    return codes.code_layout(rules.prefix, rules.min_length, rules.max_length, rules.fixed_width)


@lru_cache(maxsize=256)
def _shaped_skip(rules: StringRules) -> np.ndarray:
    """Ranks of shaped codes that are excluded (existing rows), adjusted for a ``searchsorted`` skip: rank ``k``
    becomes ``k + searchsorted(skip, k, "right")``."""
    layout = _code_layout(rules)
    if layout is None or not rules.excluded:
        return np.empty(0, dtype=np.int64)
    taken = codes.taken_ranks(rules.prefix, layout[1], rules.excluded)
    return taken - np.arange(len(taken), dtype=np.int64)


#: Kinds whose values come from :mod:`seeder.domains` (``city`` takes real place names from there too).
_DOMAIN_KINDS = frozenset(domain_names())


def _domain_kind(kind: str | None) -> str | None:
    return "real_city" if kind == "city" else kind if kind in _DOMAIN_KINDS else None


@lru_cache(maxsize=256)
def _domain_array(domain: str, max_length: int | None) -> np.ndarray:
    """The values of ``domain`` that fit ``max_length`` (all of them when none fits), in the domain's order."""
    values = domain_values(domain)
    fitting = [v for v in values if max_length is None or len(v) <= max_length]
    return object_array(fitting or list(values))


@lru_cache(maxsize=256)
def _code_setup(kind: str | None, rules: StringRules) -> tuple[np.ndarray, CodeDomain, np.ndarray]:
    """Valid plain pool entries, the code domain, and the adjusted skip array for the code stage."""
    pool_name = _pool_for(kind, rules.max_length)
    plain = np.empty(0, dtype=object)
    if pool_name is not None:
        candidates = vocab.distinct_pool(pool_name)
        plain = candidates[rules.valid_mask(candidates)]
    domain = CodeDomain(rules.min_length, rules.max_length or 0)
    taken = {r for v in [*plain.tolist(), *rules.excluded] if (r := domain.rank_of(v)) is not None}
    skip = np.asarray(sorted(taken), dtype=np.int64)
    return plain, domain, skip - np.arange(len(skip), dtype=np.int64)


def string_capacity(kind: str | None, rules: StringRules) -> int | None:
    """How many distinct values :func:`unique_strings` can produce, or ``None`` when above :data:`CAPACITY_LIMIT`."""
    scheme = _scheme(kind, rules)
    if scheme == "like":
        caps = [like_capacity(p, rules.min_length, rules.max_length) for p in rules.like]
        known = [c for c in caps if c is not None]
        cap = max(known) + len(_like_plain(kind, rules)) if len(known) == len(caps) else None
    elif scheme == "email":
        cap = None if rules.max_length is None else 10 ** max(0, rules.max_length - 7) - 1
    elif scheme == "code":
        plain, domain, skip = _code_setup(kind, rules)
        cap = len(plain) + domain.size - len(skip)
    elif scheme == "shaped":
        layout = _code_layout(rules)
        cap = 10 ** layout[1] - len(_shaped_skip(rules)) if layout else 0
    elif scheme == "suffix":
        cap = None if rules.max_length is None else 10 ** max(0, rules.max_length) - 1
    elif scheme == "postal":
        cap = _ZIP5 if rules.max_length is not None and rules.max_length < 10 else None
    else:
        cap = None
    return None if cap is None or cap > CAPACITY_LIMIT else cap


def _enumerate_plain(kind: str | None, rules: StringRules) -> tuple[int, Callable[[np.ndarray], np.ndarray]]:
    """Size and rank -> value function of the distinct realistic values of ``kind`` (rank order fixed)."""
    if kind == "full_name":
        first, last = _derived("first_distinct"), _derived("last_distinct")
        f, m = len(first), len(last)

        def full(ks: np.ndarray) -> np.ndarray:
            i = ks % f
            j = (ks // f + 7 * i) % m  # for each first name, a bijection over last names
            return first[i] + " " + last[j]
        return f * m, full
    if kind in ("title", "label"):
        words = _derived("cap_words")
        w = len(words)

        def pair(ks: np.ndarray) -> np.ndarray:
            i = ks % w
            j = (ks // w + 7 * i) % w
            return words[i] + " " + words[j]
        return w * w, pair
    if kind == "product":
        adjective, material, noun = (vocab.pool(p) for p in ("product_adjective", "product_material",
                                                                "product_noun"))
        a, m, q = len(adjective), len(material), len(noun)

        def product(ks: np.ndarray) -> np.ndarray:
            i, rest = ks % a, ks // a
            j, rest = rest % m, rest // m
            return adjective[i] + " " + material[j] + " " + noun[(rest + i + j) % q]
        return a * m * q, product
    domain = _domain_kind(kind)
    if domain is not None:
        listed = _domain_array(domain, rules.max_length)
        return len(listed), lambda ks: listed[ks]
    pool_name = _pool_for(kind, rules.max_length)
    plain = vocab.distinct_pool(pool_name) if pool_name is not None else _derived("lower_words")
    return len(plain), lambda ks: plain[ks]


def _decorate(bases: list[str], ranks: list[int], sep: str, rules: StringRules) -> list[str]:
    out = []
    for base, rank in zip(bases, ranks, strict=True):
        digits = str(rank + 1)
        room = None if rules.max_length is None else rules.max_length - len(digits) - len(sep)
        if room is not None and room + len(sep) < 0:
            raise StringError(f"only {rules.max_length} characters allowed, too few for {rank + 1} distinct values")
        value = None
        for word in (base, "", "x", "y"):
            if room is not None:
                word = word[: max(room, 0)]
            word = word.rstrip(_STRIP_BEFORE_SUFFIX)
            need = rules.min_length - len(word) - len(sep) - len(digits)
            if need > 0:
                word += "x" * need
            candidate = word + sep + digits if word else digits
            if candidate not in rules.excluded and not (
                    rules.not_like and any_match_mask(rules.not_like, object_array([candidate]))[0]):
                value = candidate
                break
        if value is None:
            raise StringError(f"value {base!r} and its alternatives are excluded")
        out.append(value)
    return out


def unique_strings(kind: str | None, ranks: np.ndarray, rng: np.random.Generator, rules: StringRules, *,
                   salt: int = 0) -> np.ndarray:
    """Distinct strings for ``ranks`` (int64 array of distinct ranks): equal ranks give equal values in any call
    with the same ``salt``, different ranks different values. ``salt`` (:attr:`ValueSpec.rank_salt`) reorders the
    numbered values (plain words, short codes) so that another seed gives others. Raises :class:`StringError` when
    a rank is beyond the capacity."""
    capacity = string_capacity(kind, rules)
    if capacity is not None and len(ranks) and int(ranks.max()) >= capacity:
        raise StringError(f"at most {capacity} distinct values satisfy the column's type and constraints")
    scheme = _scheme(kind, rules)
    if scheme == "like":
        values = _unique_like(kind, ranks, rng, rules)
    elif scheme == "email":
        values = _unique_emails(ranks, rng, rules)
    elif scheme == "uuid":
        values = object_array([str(u) for u in uuids_for_ranks(ranks, rng)])
    elif scheme == "ip":
        values = object_array([ipv4_text(0x0A000001 + int(r)) for r in ranks.tolist()])
    elif scheme == "hex":
        values = _unique_hex(ranks, rng, rules)
    elif scheme == "phone":
        values = _unique_phones(ranks, rules)
    elif scheme == "postal":
        values = _unique_postal_codes(ranks)
    elif scheme == "shaped":
        layout = _code_layout(rules)
        assert layout is not None
        skip = _shaped_skip(rules)
        values = codes.unique_codes(rules.prefix, layout[1], ranks + np.searchsorted(skip, ranks, side="right"))
    elif scheme == "code":
        plain, domain, skip = _code_setup(kind, rules)
        values = np.empty(len(ranks), dtype=object)
        in_plain = ranks < len(plain)
        values[in_plain] = plain[salted_order(ranks[in_plain], len(plain), salt)]
        code_ranks = salted_order(ranks[~in_plain] - len(plain), domain.size - len(skip), salt)
        code_ranks = code_ranks + np.searchsorted(skip, code_ranks, side="right")
        values[~in_plain] = domain.strings(code_ranks)
    else:
        values = _unique_suffixed(kind, ranks, rng, rules, salt)
    bad = ~rules.valid_mask(values)
    if bad.any():
        raise StringError(f"generated value {values[bad][0]!r} breaks a constraint; relax the constraint")
    return values


def salted_order(ranks: np.ndarray, size: int, salt: int) -> np.ndarray:
    """``ranks`` (each below ``size``) through the bijection of ``0 .. size-1`` that ``salt`` chooses
    (``r -> (r * m + salt) mod size``, ``m`` coprime with ``size``); ``salt`` 0 leaves them as they are."""
    if not salt or size <= 1 or not len(ranks):
        return ranks
    m = (salt * 2654435761) % size or 1  # Knuth's multiplicative constant spreads nearby salts
    while math.gcd(m, size) != 1:
        m += 1
    offset = salt % size
    return np.asarray([(r * m + offset) % size for r in ranks.tolist()], dtype=np.int64)


def _unique_suffixed(kind: str | None, ranks: np.ndarray, rng: np.random.Generator, rules: StringRules,
                     salt: int = 0) -> np.ndarray:
    size, plain_of = _enumerate_plain(kind, rules)
    values = np.empty(len(ranks), dtype=object)
    in_plain = np.flatnonzero(ranks < size)
    decorate = np.flatnonzero(ranks >= size)
    if len(in_plain):
        plain = plain_of(salted_order(ranks[in_plain], size, salt))
        ok = rules.valid_mask(plain) & ~np.fromiter((v[-1:].isdigit() for v in plain.tolist()), dtype=bool,
                                                    count=len(plain))
        values[in_plain[ok]] = plain[ok]
        decorate = np.concatenate([decorate, in_plain[~ok]])
    if len(decorate):
        loose = StringRules(0, None, frozenset(), (), (), rules.fixed_width)
        bases = realistic(kind, len(decorate), rng, loose).tolist()
        sep = " " if kind in _MULTIWORD else ""
        values[decorate] = _decorate(bases, ranks[decorate].tolist(), sep, rules)
    return values


def _unique_emails(ranks: np.ndarray, rng: np.random.Generator, rules: StringRules) -> np.ndarray:
    n = len(ranks)
    first = _take(vocab.ascii_lower_pool("first_name"), n, rng).tolist()
    last = _take(vocab.ascii_lower_pool("last_name"), n, rng).tolist()
    domains = _take(vocab.pool("free_email_domain"), n, rng).tolist()
    out = []
    for f, la, d, r in zip(first, last, domains, ranks.tolist(), strict=True):
        digits = str(r + 1)
        name = f"{f}.{la}"
        if rules.max_length is not None:
            if rules.max_length - len(digits) - 1 - len(d) < min(4, len(name)):
                d = "ex.com"  # keep a few letters of the name rather than the real-looking domain
            name = name[: max(0, rules.max_length - len(digits) - 1 - len(d))].rstrip(".")
        value = f"{name}{digits}@{d}"
        if len(value) < rules.min_length:
            value = f"{name}{'x' * (rules.min_length - len(value))}{digits}@{d}"
        out.append(value)
    return object_array(out)


_AREA_CODES = 800  # North American area codes 200-999
_ZIP5 = 100_000


def _unique_phones(ranks: np.ndarray, rules: StringRules) -> np.ndarray:
    """Phone numbers numbered by rank: area code 200-999 and seven digits, formatted to fit ``max_length``."""
    limit = rules.max_length if rules.max_length is not None else 14
    out = []
    for number in scramble(ranks.tolist(), _AREA_CODES * 10**7):
        area, rest = divmod(number, 10**7)
        mid, tail = divmod(rest, 10**4)
        if limit >= 14:
            out.append(f"({area + 200}) {mid:03d}-{tail:04d}")
        elif limit >= 12:
            out.append(f"{area + 200}-{mid:03d}-{tail:04d}")
        else:
            out.append(f"{area + 200}{mid:03d}{tail:04d}")
    return object_array(out)


def _unique_postal_codes(ranks: np.ndarray) -> np.ndarray:
    """Five-digit ZIP codes for the first 100,000 ranks, then ZIP+4 codes (which differ in length)."""
    values = ranks.tolist()
    short = [r for r in values if r < _ZIP5]
    zips = iter(scramble(short, _ZIP5))
    longs = iter(scramble([r - _ZIP5 for r in values if r >= _ZIP5], 10**9))
    out = []
    for r in values:
        if r < _ZIP5:
            out.append(f"{next(zips):05d}")
        else:
            code = next(longs)
            out.append(f"{code // 10**4:05d}-{code % 10**4:04d}")
    return object_array(out)


def _unique_hex(ranks: np.ndarray, rng: np.random.Generator, rules: StringRules) -> np.ndarray:
    length = max(16, min(rules.max_length or 40, 40), rules.min_length)
    scrambled = scramble(ranks.tolist(), 2**64)
    tails = _hex(len(ranks), rng, length - 16).tolist()
    return object_array([f"{s:016x}{t}" for s, t in zip(scrambled, tails, strict=True)])


@lru_cache(maxsize=256)
def _like_plain(kind: str | None, rules: StringRules) -> np.ndarray:
    """Distinct pool values matching the LIKE patterns, used before synthesised ones (``Alfred`` for ``'A%'``).

    Only when every pattern has a ``%``: synthesised values then contain the rank's digits, and these pool values
    are digit-free, so the two never meet."""
    pool_name = _pool_for(kind, rules.max_length)
    if pool_name is None or not all(parse_like(p).has_any for p in rules.like):
        return np.empty(0, dtype=object)
    candidates = vocab.distinct_pool(pool_name)
    digit_free = np.fromiter((not any(c.isdigit() for c in v) for v in candidates.tolist()), dtype=bool,
                             count=len(candidates))
    return candidates[digit_free & rules.valid_mask(candidates)]


def _unique_like(kind: str | None, ranks: np.ndarray, rng: np.random.Generator, rules: StringRules) -> np.ndarray:
    plain = _like_plain(kind, rules)
    if len(plain):
        values = np.empty(len(ranks), dtype=object)
        in_plain = ranks < len(plain)
        values[in_plain] = plain[ranks[in_plain]]
        if not in_plain.all():
            values[~in_plain] = _synth_unique(kind, ranks[~in_plain] - len(plain), rng, rules)
        return values
    return _synth_unique(kind, ranks, rng, rules)


def _synth_unique(kind: str | None, ranks: np.ndarray, rng: np.random.Generator, rules: StringRules) -> np.ndarray:
    def make(pattern: str, words: np.ndarray) -> np.ndarray:
        return synthesize_unique(pattern, ranks, rng, words, min_length=rules.min_length, max_length=rules.max_length)

    return _synth_like(kind, rng, rules, make, "cannot generate distinct strings for LIKE patterns")
