"""The foreign-key graph as text for a README or a review (``seeder graph SOURCE --format mermaid|dot``).

One node per table (partitions and INHERITS children included, marked as such), one edge per foreign key from the
referencing table to the referenced one, labelled with the FK's columns. Edges that lie on an FK cycle are drawn
bold and red; the foreign keys the plan breaks a cycle at are dashed and labelled with how the load gets around
them; self-references are loops. Formats:

* ``mermaid``: a ``flowchart LR`` (GitHub and GitLab render it in Markdown); node ids are ``t0``, ``t1``, ...,
  labels are quoted with ``"`` written as ``#quot;`` (Mermaid's entity syntax);
* ``dot``: Graphviz ``digraph`` (``dot -Tsvg graph.dot``); names are quoted strings with ``"`` and ``\\`` escaped.
"""

from __future__ import annotations

from seeder.errors import ConfigError
from seeder.plan.model import Plan
from seeder.schema import ForeignKey, Schema, TableName
from seeder.summary import break_strategy

#: The formats :func:`render_graph` writes.
GRAPH_FORMATS: tuple[str, ...] = ("mermaid", "dot")


def _edges(schema: Schema, plan: Plan) -> list[tuple[TableName, TableName, ForeignKey, str]]:
    """``(child, parent, fk, kind)`` with kind ``plain``, ``cycle``, ``break`` or ``self``."""
    on_cycle = {name: i for i, cycle in enumerate(plan.cycles) for name in cycle}
    broken = {(b.table, b.foreign_key) for b in plan.cycle_breaks}
    out = []
    for t in schema.tables:
        for fk in t.foreign_keys:
            if fk.ref_table == t.name:
                kind = "self"
            elif (t.name, fk) in broken:
                kind = "break"
            elif t.name in on_cycle and on_cycle.get(fk.ref_table) == on_cycle[t.name]:
                kind = "cycle"
            else:
                kind = "plain"
            out.append((t.name, fk.ref_table, fk, kind))
    return out


def _break_note(plan: Plan, table: TableName, fk: ForeignKey) -> str:
    for b in plan.cycle_breaks:
        if b.table == table and b.foreign_key == fk:
            return f"cycle break: {break_strategy(b)}"
    return ""


def _node_note(schema: Schema, name: TableName) -> str:
    t = schema.table(name)
    if t.partition_of is not None:
        return f"partition of {t.partition_of}"
    if t.inherits:
        return f"inherits {', '.join(str(p) for p in t.inherits)}"
    return ""


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;")


def _dot_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_graph(schema: Schema, plan: Plan, format: str = "mermaid") -> str:
    """The FK graph of ``schema`` (cycles and ``plan``'s cycle breaks marked) as Mermaid or DOT text.

    Raises:
        ConfigError: ``format`` is not one of :data:`GRAPH_FORMATS`.
    """
    if format not in GRAPH_FORMATS:
        raise ConfigError(f"unknown graph format {format!r}: use one of {', '.join(GRAPH_FORMATS)}")
    edges = _edges(schema, plan)
    return _mermaid(schema, plan, edges) if format == "mermaid" else _dot(schema, plan, edges)


def _mermaid(schema: Schema, plan: Plan, edges: list[tuple[TableName, TableName, ForeignKey, str]]) -> str:
    ids = {t.name: f"t{i}" for i, t in enumerate(schema.tables)}
    lines = ["flowchart LR"]
    for t in schema.tables:
        note = _node_note(schema, t.name)
        label = f"{t.name}<br/><i>{note}</i>" if note else str(t.name)
        lines.append(f'    {ids[t.name]}["{_mermaid_text(label)}"]')
    styles: list[str] = []
    for number, (child, parent, fk, kind) in enumerate(edges):
        label = ", ".join(fk.columns)
        if kind == "break":
            label = f"{label} ({_break_note(plan, child, fk)})"
            arrow = "-.->"
        elif kind == "cycle":
            arrow = "==>"
        else:
            arrow = "-->"
        lines.append(f'    {ids[child]} {arrow}|"{_mermaid_text(label)}"| {ids[parent]}')
        if kind in ("cycle", "break"):
            styles.append(f"    linkStyle {number} stroke:#c0392b,stroke-width:2px")
    return "\n".join(lines + styles) + "\n"


def _dot(schema: Schema, plan: Plan, edges: list[tuple[TableName, TableName, ForeignKey, str]]) -> str:
    lines = ["digraph fk {", "    rankdir=LR;", '    node [shape=box, fontname="Helvetica"];']
    for t in schema.tables:
        note = _node_note(schema, t.name)
        attrs = ""
        if note:
            label = _dot_text(str(t.name) + "\n" + note)
            attrs = f" [label={label}, style=dashed]"
        lines.append(f"    {_dot_text(str(t.name))}{attrs};")
    for child, parent, fk, kind in edges:
        label = ", ".join(fk.columns)
        if kind == "break":
            label = f"{label} ({_break_note(plan, child, fk)})"
        attrs = [f"label={_dot_text(label)}"]
        if kind == "cycle":
            attrs += ["color=red", "penwidth=2"]
        elif kind == "break":
            attrs += ["color=red", "style=dashed"]
        lines.append(f"    {_dot_text(str(child))} -> {_dot_text(str(parent))} [{', '.join(attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
