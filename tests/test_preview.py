"""``seeder preview``: the first rows of every table on the terminal, the same rows ``seeder generate`` writes."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from seeder import api
from seeder.cli import cli

SHOP = Path(__file__).resolve().parent.parent / "examples" / "shop.sql"


def test_preview_shows_the_shop_as_generate_makes_it() -> None:
    result = CliRunner().invoke(cli, ["preview", str(SHOP), "--rows", "5", "--seed", "4", "--width", "400"])
    assert result.exit_code == 0, result.output
    schema = api.read_schema(SHOP)
    data = api.generate(schema, api.build_plan(schema, 5), seed=4)
    lines = result.stdout.splitlines()
    for td in data.tables:
        title = lines.index(f"{td.table.name} ({min(5, td.row_count)} of {td.row_count} rows)")  # lines: 3 x 5
        header = lines[title + 2]  # after the table's top border
        assert [c.strip() for c in header.strip("┃").split("┃")] == list(td.columns)
    emails = data.table_data(schema.tables[1].name).column_values("email")
    assert all(e in result.stdout for e in emails)
    lines = [line for line in result.stdout.splitlines() if "@" in line]
    assert len(lines) == 5 and len({len(line) for line in lines}) == 1  # aligned: every row as wide as the others


def test_preview_of_chosen_tables_and_an_unknown_table() -> None:
    result = CliRunner().invoke(cli, ["preview", str(SHOP), "--table", "review", "-t", "order", "--width", "300"])
    assert result.exit_code == 0, result.output
    assert "review (5 of 5 rows)" in result.stdout and "order (5 of 5 rows)" in result.stdout
    assert "customer (" not in result.stdout
    result = CliRunner().invoke(cli, ["preview", str(SHOP), "--table", "reviews"])
    assert result.exit_code == 1 and result.stderr.strip() == "Error: no table 'reviews'; did you mean 'review'?"


def test_preview_of_csv_files_reports_fidelity(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text("id,kind\n" + "".join(f"{i},{'ab'[i % 2]}\n" for i in range(1, 31)),
                                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["preview", str(tmp_path / "t.csv"), "--rows", "3"])
    assert result.exit_code == 0, result.output
    assert "t (3 of 3 rows)" in result.stdout and "t.kind: TVD" in result.stderr
