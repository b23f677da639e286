"""Value sources for booleans and the kinds with a fixed format: MySQL SETs, uuids, json, bytes, network
addresses, bit strings, xml and tsvectors.

Every source has ``capacity`` (distinct non-NULL values it can make, ``None`` when unbounded), ``random(n, rng)``
and ``unique(ranks, rng)``; unique values are a function of the rank, so ranks from separate calls never collide.
"""

from __future__ import annotations

import uuid
from typing import Any

import numpy as np

from seeder.generate.spec import ValueSpec
from seeder.generate.values import vocabulary as vocab
from seeder.generate.values.integer_domain import IntRange, UniqueSequence, scramble
from seeder.semantic import FLAG_TRUE_PROBABILITY


class BoolSource:
    """Booleans; TRUE with the semantic kind's probability (``active`` mostly TRUE, ``deleted`` mostly FALSE)."""

    def __init__(self, spec: ValueSpec, semantic: str | None) -> None:
        excluded = {bool(v) for v in spec.excluded if isinstance(v, (bool, int))}
        self.order = [v for v in (True, False) if v not in excluded]
        if not self.order:
            raise ValueError("both TRUE and FALSE are excluded")
        self.capacity: int | None = len(self.order)
        self.p_true = FLAG_TRUE_PROBABILITY.get(semantic or "", 0.5)

    def random(self, n: int, rng: np.random.Generator) -> list[Any]:
        if len(self.order) == 1:
            return [self.order[0]] * n
        return (rng.random(n) < self.p_true).tolist()

    def unique(self, ranks: np.ndarray, rng: np.random.Generator) -> list[Any]:
        return [self.order[r] for r in ranks.tolist()]


class SetSource:
    """MySQL SET: comma-joined subsets of the labels, in declaration order."""

    def __init__(self, spec: ValueSpec, semantic: str | None) -> None:
        self.labels = list(spec.column.type.values)
        self.excluded = {v for v in spec.excluded if isinstance(v, str)}
        total = 2 ** len(self.labels)
        # Ranks walk the label bit masks 1, 2, ..., total - 1 (singletons first), then 0 (the empty set).
        self.sequence = UniqueSequence(IntRange(0, total - 1), IntRange(1, total - 1),
                                       excluded=[m for v in self.excluded if (m := self._mask(v)) is not None])
        self.capacity: int | None = self.sequence.capacity
        if self.capacity <= 0:
            raise ValueError("every combination of the SET labels is excluded")

    def _mask(self, value: str) -> int | None:
        mask = 0
        for label in filter(None, value.split(",")):
            if label not in self.labels:
                return None
            mask |= 1 << self.labels.index(label)
        return mask

    def _text(self, masks: list[int]) -> list[str]:
        return [",".join(label for i, label in enumerate(self.labels) if mask >> i & 1) for mask in masks]

    def random(self, n: int, rng: np.random.Generator) -> list[Any]:
        if not self.labels:
            return [""] * n
        bits = rng.random((n, len(self.labels))) < 0.35
        weights = 1 << np.arange(len(self.labels), dtype=np.int64)
        masks = (bits.astype(np.int64) * weights).sum(axis=1)
        empty = masks == 0  # an empty set is legal but rare in real data: give those rows one label
        masks[empty] = 1 << rng.integers(0, len(self.labels), int(empty.sum()))
        values = self._text(masks.tolist())
        return self._avoid(values, rng)

    def _avoid(self, values: list[str], rng: np.random.Generator) -> list[str]:
        if not self.excluded:
            return values
        allowed = [v for v in self._text(list(range(2 ** min(len(self.labels), 16)))) if v not in self.excluded]
        if not allowed:
            raise ValueError("every combination of the SET labels is excluded")
        return [v if v not in self.excluded else allowed[int(rng.integers(0, len(allowed)))] for v in values]

    def unique(self, ranks: np.ndarray, rng: np.random.Generator) -> list[Any]:
        return self._text(self.sequence.values(ranks).tolist())


class UuidSource:
    """Version-4 UUIDs; unique ones carry a bijection of the rank in their last 48 bits."""

    capacity: int | None = None

    def __init__(self, spec: ValueSpec, semantic: str | None) -> None:
        pass

    def random(self, n: int, rng: np.random.Generator) -> list[Any]:
        return random_uuids(n, rng)

    def unique(self, ranks: np.ndarray, rng: np.random.Generator) -> list[Any]:
        return uuids_for_ranks(ranks, rng)


class JsonSource:
    """Small JSON objects (dicts) with a few plausible keys."""

    capacity: int | None = None

    def __init__(self, spec: ValueSpec, semantic: str | None) -> None:
        pass

    def _objects(self, n: int, rng: np.random.Generator, ids: list[int] | None) -> list[Any]:
        words = vocab.pool("word")
        word = words[rng.integers(0, len(words), n)].tolist()
        tag_a = words[rng.integers(0, len(words), n)].tolist()
        tag_b = words[rng.integers(0, len(words), n)].tolist()
        score = rng.integers(0, 1000, n).tolist()
        active = (rng.random(n) < 0.7).tolist()
        keys = rng.random((n, 4)) < 0.6
        out = []
        for i in range(n):
            obj: dict[str, Any] = {} if ids is None else {"id": ids[i]}
            obj["name"] = word[i]
            if keys[i, 0]:
                obj["score"] = score[i]
            if keys[i, 1]:
                obj["active"] = active[i]
            if keys[i, 2]:
                obj["tags"] = [tag_a[i], tag_b[i]]
            if keys[i, 3]:
                obj["rating"] = round(score[i] / 200, 1)
            out.append(obj)
        return out

    def random(self, n: int, rng: np.random.Generator) -> list[Any]:
        return self._objects(n, rng, None)

    def unique(self, ranks: np.ndarray, rng: np.random.Generator) -> list[Any]:
        return self._objects(len(ranks), rng, [int(r) + 1 for r in ranks.tolist()])


class BytesSource:
    """Random bytes within the declared/allowed length; unique ones start with a scrambled rank prefix."""

    def __init__(self, spec: ValueSpec, semantic: str | None) -> None:
        ctype = spec.column.type
        declared = spec.length_limit
        sql = ctype.sql.lower().lstrip()
        fixed = declared is not None and sql.startswith(("binary", "char")) and "varying" not in sql
        self.max_len = declared if declared is not None else 64
        min_len = spec.min_length or 0
        if fixed:
            min_len = max(min_len, self.max_len)
        elif declared is None or declared > 64:
            self.max_len = min(self.max_len, 64)
            min_len = max(min_len, 16)
        self.min_len = min(min_len, self.max_len) if min_len <= self.max_len else min_len
        if self.min_len > self.max_len:
            raise ValueError(f"needs at least {self.min_len} bytes but allows at most {self.max_len}")
        self.prefix = min(8, self.max_len)
        self.capacity: int | None = 256**self.prefix if self.prefix < 4 else None

    def _fill(self, n: int, rng: np.random.Generator, low: int) -> tuple[np.ndarray, list[int]]:
        raw = rng.integers(0, 256, (n, self.max_len), dtype=np.uint8)
        lengths = rng.integers(low, self.max_len, n, endpoint=True).tolist()
        return raw, lengths

    def random(self, n: int, rng: np.random.Generator) -> list[Any]:
        raw, lengths = self._fill(n, rng, self.min_len)
        return [raw[i, :k].tobytes() for i, k in enumerate(lengths)]

    def unique(self, ranks: np.ndarray, rng: np.random.Generator) -> list[Any]:
        raw, lengths = self._fill(len(ranks), rng, max(self.min_len, self.prefix))
        out = []
        codes = scramble(ranks.tolist(), 256**self.prefix)  # distinct ranks -> distinct prefixes
        for i, (code, k) in enumerate(zip(codes, lengths, strict=True)):
            out.append(code.to_bytes(self.prefix, "big") + raw[i, self.prefix:k].tobytes())
        return out


class InetSource:
    """inet: IPv4 addresses (unique: 10.0.0.1 upwards); cidr: /24 networks (unique: 10.0.0.0/24 upwards)."""

    def __init__(self, spec: ValueSpec, semantic: str | None) -> None:
        self.cidr = spec.column.type.kind == "cidr"
        self.capacity: int | None = (2**24 - 0x0A0000) if self.cidr else 2**32 - 0x0A000001

    def random(self, n: int, rng: np.random.Generator) -> list[Any]:
        first = rng.integers(11, 224, n)
        first = np.where(first == 127, 128, first)
        rest = rng.integers(0, 256, (n, 3))
        if self.cidr:
            return [f"{a}.{b}.{c}.0/24" for a, (b, c, _) in zip(first.tolist(), rest.tolist(), strict=True)]
        last = rng.integers(1, 255, n)
        quads = zip(first.tolist(), rest.tolist(), last.tolist(), strict=True)
        return [f"{a}.{b}.{c}.{d}" for a, (b, c, _), d in quads]

    def unique(self, ranks: np.ndarray, rng: np.random.Generator) -> list[Any]:
        if self.cidr:
            return [ipv4_text((0x0A0000 + int(r)) << 8) + "/24" for r in ranks.tolist()]
        return [ipv4_text(0x0A000001 + int(r)) for r in ranks.tolist()]


class MacSource:
    """MAC addresses ``xx:xx:xx:xx:xx:xx``; unique ones are a bijection of the rank modulo 2**48."""

    capacity: int | None = None

    def __init__(self, spec: ValueSpec, semantic: str | None) -> None:
        pass

    @staticmethod
    def _text(values: list[int]) -> list[str]:
        out = []
        for v in values:
            h = f"{v:012x}"
            out.append(":".join(h[i:i + 2] for i in range(0, 12, 2)))
        return out

    def random(self, n: int, rng: np.random.Generator) -> list[Any]:
        return self._text(rng.integers(0, 2**48, n, dtype=np.int64).tolist())

    def unique(self, ranks: np.ndarray, rng: np.random.Generator) -> list[Any]:
        # scramble() is a bijection modulo 2**48, so distinct ranks give distinct addresses.
        return self._text(scramble(ranks.tolist(), 2**48))


class BitSource:
    """Bit strings of the declared length (``bit(n)``; 1 when unspecified); unique ones spell the rank."""

    def __init__(self, spec: ValueSpec, semantic: str | None) -> None:
        self.length = max(spec.column.type.length or 1, 1)
        self.capacity: int | None = 2**self.length if self.length < 62 else None

    def random(self, n: int, rng: np.random.Generator) -> list[Any]:
        mat = np.where(rng.random((n, self.length)) < 0.5, ord("0"), ord("1")).astype(np.uint8)
        return mat.view(f"S{self.length}").ravel().astype(f"U{self.length}").tolist()

    def unique(self, ranks: np.ndarray, rng: np.random.Generator) -> list[Any]:
        return [format(int(r), f"0{self.length}b") for r in ranks.tolist()]


class XmlSource:
    """Small XML documents ``<item id="..."><name>word</name></item>``; unique ones use the rank as id."""

    capacity: int | None = None

    def __init__(self, spec: ValueSpec, semantic: str | None) -> None:
        pass

    def _docs(self, ids: list[int], rng: np.random.Generator) -> list[str]:
        words = vocab.pool("word")
        names = words[rng.integers(0, len(words), len(ids))].tolist()
        return [f'<item id="{i}"><name>{w}</name></item>' for i, w in zip(ids, names, strict=True)]

    def random(self, n: int, rng: np.random.Generator) -> list[Any]:
        return self._docs(rng.integers(1, 100000, n).tolist(), rng)

    def unique(self, ranks: np.ndarray, rng: np.random.Generator) -> list[Any]:
        return self._docs([int(r) + 1 for r in ranks.tolist()], rng)


class TsvectorSource:
    """tsvector text (``'word':1 'other':2``); unique ones add a lexeme naming the rank."""

    capacity: int | None = None

    def __init__(self, spec: ValueSpec, semantic: str | None) -> None:
        pass

    def _vectors(self, n: int, rng: np.random.Generator, ranks: list[int] | None) -> list[str]:
        words = vocab.pool("word")
        counts = rng.integers(2, 7, n).tolist()
        picks = words[rng.integers(0, len(words), (n, 6))].tolist()
        out = []
        for i in range(n):
            lexemes = sorted({w.lower() for w in picks[i][: counts[i]] if w.isalpha()})
            if ranks is not None:
                lexemes.insert(0, f"r{ranks[i] + 1}")
            out.append(" ".join(f"'{w}':{pos}" for pos, w in enumerate(lexemes, start=1)))
        return out

    def random(self, n: int, rng: np.random.Generator) -> list[Any]:
        return self._vectors(n, rng, None)

    def unique(self, ranks: np.ndarray, rng: np.random.Generator) -> list[Any]:
        return self._vectors(len(ranks), rng, ranks.tolist())


def _version4(raw: np.ndarray) -> list[uuid.UUID]:
    """UUIDs from an ``(n, 16)`` uint8 array of random bytes, with the version-4 and variant bits set."""
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    halves = np.ascontiguousarray(raw).view(">u8").reshape(-1, 2)  # each row: two big-endian 64-bit halves
    return [uuid_of(hi << 64 | lo) for hi, lo in zip(halves[:, 0].tolist(), halves[:, 1].tolist(), strict=True)]


_new_uuid = object.__new__
_set = object.__setattr__
_UNKNOWN = uuid.SafeUUID.unknown  # an enum member: read once (attribute access on the enum is slow)


def uuid_of(value: int) -> uuid.UUID:
    """``uuid.UUID(int=value)`` without its argument checks (a 128-bit value is always valid here): building the
    UUID objects was the slowest step of a uuid column. The object is the one the constructor makes (same slots:
    ``int`` and ``is_safe``), so it compares, hashes, prints and pickles the same."""
    u = _new_uuid(uuid.UUID)
    _set(u, "int", value)
    _set(u, "is_safe", _UNKNOWN)
    return u


def random_uuids(n: int, rng: np.random.Generator) -> list[uuid.UUID]:
    """``n`` random version-4 UUIDs from ``rng``."""
    return _version4(rng.integers(0, 256, (n, 16), dtype=np.uint8))


def uuids_for_ranks(ranks: np.ndarray, rng: np.random.Generator) -> list[uuid.UUID]:
    """Version-4-shaped UUIDs, distinct per rank: random bytes with the last 48 bits a bijection of the rank."""
    raw = rng.integers(0, 256, (len(ranks), 16), dtype=np.uint8)
    node = np.array(scramble(ranks.tolist(), 2**48), dtype=np.uint64)
    for i in range(6):
        raw[:, 15 - i] = ((node >> np.uint64(8 * i)) & np.uint64(0xFF)).astype(np.uint8)
    return _version4(raw)


def ipv4_text(value: int) -> str:
    """Dotted-quad text of a 32-bit integer."""
    return f"{value >> 24 & 255}.{value >> 16 & 255}.{value >> 8 & 255}.{value & 255}"
