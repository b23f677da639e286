"""A regex fast path for the commonest ALTER TABLE form of schema dumps: adding a PK, UNIQUE or FK constraint.

pg_dump writes every primary key, unique constraint and foreign key as its own ``ALTER TABLE ONLY t ADD CONSTRAINT
n ...`` statement; in large dumps they outnumber everything else the reader parses (musicbrainz: ~1,400 of ~2,400).
Recognising the plain forms here, without sqlglot, halves the time spent on such files. Anything not matched
exactly (options, expressions, unusual spacing inside names) falls back to sqlglot, so the fast path never has to be
complete, only right about what it accepts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

_BARE = r"[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*"
_QUOTED = r'"(?:[^"]|"")+"|`(?:[^`]|``)+`'
_NAME = rf"(?:{_QUOTED}|{_BARE})"
_QNAME = rf"{_NAME}(?:\.{_NAME})?"
_NAMES = rf"{_NAME}(?:\s*,\s*{_NAME})*"
_ACTION = r"(?:CASCADE|RESTRICT|NO\s+ACTION|SET\s+NULL|SET\s+DEFAULT)"
_OPTION = (rf"ON\s+DELETE\s+{_ACTION}|ON\s+UPDATE\s+{_ACTION}|NOT\s+DEFERRABLE|DEFERRABLE|INITIALLY\s+DEFERRED"
           r"|INITIALLY\s+IMMEDIATE|MATCH\s+(?:FULL|SIMPLE|PARTIAL)|NOT\s+VALID")

# Keywords are matched case-insensitively through scoped (?i:...) groups only: IGNORECASE over the whole pattern made
# Python case-fold the names' \u0080-\uffff ranges at compile time (250 ms); the rest (100 ms) is paid on first use
# (_add_constraint), so DDL without ALTER TABLE never pays it.
_ADD_CONSTRAINT_PATTERN = (
    rf"(?i:ALTER\s+TABLE\s+(?:ONLY\s+)?)(?P<table>{_QNAME})(?i:\s+ADD\s+CONSTRAINT\s+)(?P<name>{_NAME})\s+"
    rf"(?:(?P<kind>(?i:PRIMARY\s+KEY|UNIQUE))\s*\((?P<key>{_NAMES})\)"
    rf"|(?i:FOREIGN\s+KEY)\s*\((?P<fk>{_NAMES})\)\s*(?i:REFERENCES)\s+(?P<ref>{_QNAME})\s*"
    rf"(?:\((?P<ref_cols>{_NAMES})\))?(?P<options>(?:\s+(?i:{_OPTION}))*))\s*$"
)


@cache
def _add_constraint() -> re.Pattern[str]:
    return re.compile(_ADD_CONSTRAINT_PATTERN)
_NAME_TOKEN = re.compile(_NAME)
_OPTION_TOKEN = re.compile(_OPTION, re.IGNORECASE)
# Words that would make the "names" above something else; such statements go to sqlglot.
_KEYWORDS = {"ONLY", "CONSTRAINT", "PRIMARY", "FOREIGN", "UNIQUE", "REFERENCES", "KEY", "CHECK", "NOT", "NULL"}


@dataclass(frozen=True)
class NamePart:
    """One identifier as written: its text without quotes and whether it was quoted."""

    text: str
    quoted: bool


@dataclass(frozen=True)
class SimpleConstraint:
    """A recognised ``ADD CONSTRAINT``: ``kind`` is ``"primary key"``, ``"unique"`` or ``"foreign key"``."""

    table: tuple[NamePart, ...]
    name: NamePart
    kind: str
    columns: tuple[NamePart, ...]
    ref_table: tuple[NamePart, ...] = ()
    ref_columns: tuple[NamePart, ...] | None = None
    options: tuple[str, ...] = ()


def _parts(text: str) -> tuple[NamePart, ...] | None:
    parts = []
    for token in _NAME_TOKEN.findall(text):
        if token[0] in '"`':
            parts.append(NamePart(token[1:-1].replace(token[0] * 2, token[0]), True))
        elif token.upper() in _KEYWORDS:
            return None
        else:
            parts.append(NamePart(token, False))
    return tuple(parts)


def match_add_constraint(text: str) -> SimpleConstraint | None:
    """Recognise ``ALTER TABLE [ONLY] t ADD CONSTRAINT n PRIMARY KEY|UNIQUE (cols)`` and
    ``... FOREIGN KEY (cols) REFERENCES t2 [(cols)] [ON DELETE/UPDATE action] [[NOT] DEFERRABLE] [INITIALLY ...]
    [MATCH ...] [NOT VALID]``; returns ``None`` for anything else."""
    m = _add_constraint().match(text)
    if m is None:
        return None
    table, name = _parts(m.group("table")), _parts(m.group("name"))
    if not table or not name:
        return None
    if m.group("kind"):
        columns = _parts(m.group("key"))
        if not columns:
            return None
        kind = "primary key" if m.group("kind").upper().startswith("PRIMARY") else "unique"
        return SimpleConstraint(table=table, name=name[0], kind=kind, columns=columns)
    columns, ref_table = _parts(m.group("fk")), _parts(m.group("ref"))
    ref_columns = _parts(m.group("ref_cols")) if m.group("ref_cols") else ()
    if not columns or not ref_table or ref_columns is None:
        return None
    options = tuple(" ".join(o.upper().split()) for o in _OPTION_TOKEN.findall(m.group("options") or ""))
    return SimpleConstraint(table=table, name=name[0], kind="foreign key", columns=columns, ref_table=ref_table,
                            ref_columns=ref_columns or None, options=options)
