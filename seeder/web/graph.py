"""The foreign-key dependency graph as a layered SVG, drawn on the server (no client-side library, works offline).

Tables are placed in columns by topological generation (:attr:`seeder.plan.model.Plan.generations`: a table's
parents are in earlier columns), one box per table with its row count; an arrow runs from each referenced table to
the table that references it. Cycle-broken foreign keys are dashed, self-references drawn as a loop. Every label is
XML-escaped, so table names cannot inject markup.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from seeder.plan.model import Plan
from seeder.schema import Schema, TableName

BOX_W, BOX_H = 170, 38
GAP_X, GAP_Y = 70, 18
MARGIN = 12


def _label(name: TableName) -> str:
    text = str(name)
    return text if len(text) <= 22 else text[:21] + "…"


def dependency_svg(schema: Schema, plan: Plan) -> str:
    """An ``<svg>`` element drawing ``plan``'s tables and foreign keys (see the module docstring)."""
    where: dict[TableName, tuple[int, int]] = {}
    columns = [list(g) for g in plan.generations]
    for x, generation in enumerate(columns):
        for y, name in enumerate(generation):
            where[name] = (MARGIN + x * (BOX_W + GAP_X), MARGIN + y * (BOX_H + GAP_Y))
    width = MARGIN * 2 + max(len(columns), 1) * (BOX_W + GAP_X) - GAP_X
    height = MARGIN * 2 + max((len(g) for g in columns), default=1) * (BOX_H + GAP_Y) - GAP_Y
    broken = {(b.table, b.foreign_key) for b in plan.cycle_breaks}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="graph" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="foreign-key dependency graph">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
             'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>']
    for table in schema.tables:
        if table.name not in where:
            continue
        cx, cy = where[table.name]
        for fk in table.foreign_keys:
            title = escape(f"{table.name}({', '.join(fk.columns)}) -> {fk.ref_table}")
            dash = ' stroke-dasharray="5,4"' if (table.name, fk) in broken else ""
            if fk.ref_table == table.name:
                parts.append(f'<path class="edge" d="M {cx + BOX_W - 30} {cy} c 0 -14 26 -14 26 0" fill="none" '
                             f'stroke="#555" marker-end="url(#arrow)"{dash}><title>{title}</title></path>')
                continue
            if fk.ref_table not in where:
                continue
            px, py = where[fk.ref_table]
            x1, y1, x2, y2 = px + BOX_W, py + BOX_H / 2, cx, cy + BOX_H / 2
            if px >= cx:  # a cycle-broken FK points backwards: route it under the boxes
                x1, x2 = px + BOX_W / 2, cx + BOX_W / 2
            parts.append(f'<line class="edge" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#555" '
                         f'marker-end="url(#arrow)"{dash}><title>{title}</title></line>')
    for name, (x, y) in where.items():
        rows = plan.rows(name)
        parts.append(f'<g class="node" data-table={quoteattr(str(name))}>'
                     f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="#eef4fb" stroke="#3b6ea8"/>'
                     f'<text x="{x + 8}" y="{y + 16}" font-size="13" font-family="sans-serif">'
                     f'{escape(_label(name))}</text>'
                     f'<text x="{x + 8}" y="{y + 31}" font-size="11" fill="#555" font-family="sans-serif">'
                     f'{rows} rows</text><title>{escape(str(name))}</title></g>')
    parts.append("</svg>")
    return "".join(parts)
