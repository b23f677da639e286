"""``seeder plan --write-config``: the plan's rules written into ``seeder.toml`` to review and edit.

The file is edited with tomlkit (a style-preserving TOML library), so the user's own settings, comments and layout
outside ``[rules]`` stay as they were; ``[rules]`` is replaced by one table per rule (``[rules."id"]``, its fields,
and a comment with the rule in words, why it holds and where it came from). Switched-off rules are written with
``enabled = false``. In a ``pyproject.toml`` the rules go under ``[tool.seeder.rules]``. Reading the file back
(:mod:`seeder.plan.rule_config`) gives the same rules.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomlkit

from seeder.atomic_write import write_file_atomically
from seeder.errors import ConfigError
from seeder.plan.model import Plan
from seeder.plan.rules import Pin, Rule


def _toml(value: Any) -> Any:
    """A rule field as TOML data: hops as ``"table.column"``, ``None`` dropped by the caller."""
    if isinstance(value, dict):
        if set(value) == {"table", "columns", "ref_table", "ref_columns"} and len(value["columns"]) == 1:
            return f"{value['table']}.{value['columns'][0]}"
        return {k: _toml(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_toml(v) for v in value]
    return value


def rule_table(rule: Rule) -> Any:
    """The ``[rules."id"]`` table of one rule, with its description as a comment."""
    table = tomlkit.table()
    table.add(tomlkit.comment(f"{rule.describe()} -- {rule.why} [{rule.origin}]"))
    for key, value in rule.settings().items():
        if value is None or value == [] or value == ():
            continue
        table.add(key, _toml(value))
    return table


def rules_document(plan: Plan, existing: str = "", *, pyproject: bool = False) -> str:
    """``existing`` TOML text with its rules section replaced by the rules of ``plan``.

    Pins stay in ``[columns]`` (where the user wrote them); every other active rule gets a table, switched-off
    ones ``enabled = false``.

    Raises:
        ConfigError: ``existing`` is not valid TOML.
    """
    try:
        doc = tomlkit.parse(existing) if existing.strip() else tomlkit.document()
    except tomlkit.exceptions.ParseError as err:
        raise ConfigError(f"cannot update the config file: not valid TOML: {err}") from None
    holder: Any = doc
    if pyproject:
        tool = doc.setdefault("tool", tomlkit.table(is_super_table=True))
        holder = tool.setdefault("seeder", tomlkit.table())
    if "rules" in holder:
        del holder["rules"]
    rules = tomlkit.table(is_super_table=True)
    for rule in plan.rules:
        if isinstance(rule, Pin):
            continue
        rules.add(rule.id, rule_table(rule))
    for rule_id in plan.rules.switched_off:
        off = tomlkit.table()
        off.add("enabled", False)
        rules.add(rule_id, off)
    holder.add("rules", rules)
    return tomlkit.dumps(doc)


def write_rules_config(plan: Plan, path: str | Path) -> int:
    """Write the rules of ``plan`` into the config file at ``path`` (created if missing, updated in place
    otherwise, atomically). Returns the number of rule tables written.

    Raises:
        ConfigError: the file exists but is not valid TOML.
    """
    p = Path(path)
    existing = p.read_text(encoding="utf-8") if p.is_file() else ""
    text = rules_document(plan, existing, pyproject=p.name == "pyproject.toml")
    write_file_atomically(p, lambda out: out.write(text))
    return sum(1 for r in plan.rules if not isinstance(r, Pin)) + len(plan.rules.switched_off)
