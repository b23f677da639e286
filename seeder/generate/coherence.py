"""Row coherence: columns of one row that describe the same thing should agree.

Column-wise generation draws each column independently, so a customer called "Michael Davis" could get the email
``charles.cain1@yahoo.com``. This pass rewrites the local part of email addresses from the row's own first and last
name (keeping the distinguishing number and the domain), and does so only when the result still fits the column and
keeps a unique email column unique; otherwise the values are left as drawn.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from seeder.schema import Table
from seeder.semantic import semantic_kind
from seeder.types import length_limit

_EMAIL = re.compile(r"^[^@]*?(\d*)@(.+)$")


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", ascii_text.lower())


def harmonise_emails(table: Table, values: dict[str, list[Any]], fixed: set[str], unique: set[str]) -> None:
    """Rewrite ``email``-like columns from the row's first/last name columns, in place (see module docstring).

    Args:
        table: the table.
        values: column -> values (all written columns).
        fixed: columns that must not change (keys, FKs). A fixed email column is rewritten only if it is unique
            by construction (listed in ``unique``) and stays unique.
        unique: columns that carry a UNIQUE constraint on their own.
    """
    kinds = {c.name: semantic_kind(table, c) for c in table.columns if c.name in values}
    first = next((c for c, k in kinds.items() if k == "first_name"), None)
    last = next((c for c, k in kinds.items() if k == "last_name"), None)
    if first is None or last is None:
        return
    for col in (c for c, k in kinds.items() if k == "email"):
        if col in fixed and col not in unique:
            continue
        limit = length_limit(table.column(col).type)
        old = values[col]
        new: list[Any] = []
        for i, email in enumerate(old):
            f, last_name = values[first][i], values[last][i]
            m = _EMAIL.match(email) if isinstance(email, str) else None
            if m is None or not isinstance(f, str) or not isinstance(last_name, str):
                new.append(email)
                continue
            candidate = f"{_slug(f)}.{_slug(last_name)}{m.group(1)}@{m.group(2)}"
            new.append(candidate if limit is None or len(candidate) <= limit else email)
        if col in unique:
            present = [v.lower() for v in new if isinstance(v, str)]
            if len(set(present)) != len(present):
                continue
        values[col] = new
