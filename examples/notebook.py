# %% [markdown]
# # seeder in a notebook
#
# One call from a schema (a DDL file, CSV files, a description, a SQLAlchemy model) to rows you can look at,
# write and load. Run it as a script (`python examples/notebook.py`) or cell by cell in Jupyter or VS Code
# (the `# %%` markers). Everything happens in a temporary folder; no server and no API key are needed.

# %%
import csv
import sqlite3
import tempfile
from pathlib import Path

import seeder

HERE = Path(__file__).resolve().parent if "__file__" in globals() else Path("examples").resolve()
work = Path(tempfile.mkdtemp(prefix="seeder-notebook-"))

# %% [markdown]
# ## From a DDL file: rows as dicts, and the same seed gives the same rows

# %%
shop = seeder.generate(HERE / "shop.sql", rows=20, seed=1)
print(shop)
print(shop.tables["customer"][0])
assert seeder.generate(HERE / "shop.sql", rows=20, seed=1).tables == shop.tables

# %% [markdown]
# ## As pandas DataFrames (where pandas is installed)

# %%
try:
    frames = shop.to_pandas()
    print(frames["order"].groupby("status").size())
except seeder.SeederError as err:  # pandas is not installed
    print(err)

# %% [markdown]
# ## Write it out: an SQL script, CSV files, a Django fixture, or load it into a database

# %%
script = shop.to_sql(work / "shop-data.sql", "sqlite")
files = shop.to_csv(work / "csv")
fixture = shop.to_fixture(work / "fixture.json", app_label="shop")
report = shop.load(f"sqlite:///{work / 'shop.db'}", create_schema=True)
print(f"{script.name}, {len(files)} CSV files, {fixture.name}; loaded {sum(report.tables.values())} rows")
with sqlite3.connect(work / "shop.db") as db:
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    print("orders per status:", db.execute('SELECT status, count(*) FROM "order" GROUP BY 1').fetchall())

# %% [markdown]
# ## From CSV files: a schema is inferred, and new rows follow the files' distributions without copying them

# %%
(work / "sales").mkdir()
with open(work / "sales" / "sales.csv", "w", newline="") as f:
    writer = csv.writer(f)
    writer.writerow(["sale_id", "region", "amount", "sold_on"])
    for i in range(1, 201):
        writer.writerow([i, ["north", "north", "north", "south"][i % 4], f"{10 + (i * 37) % 90}.50",
                         f"2024-0{1 + i % 9}-1{i % 10}"])
sales = seeder.generate(work / "sales", rows=200, seed=2)
print(sales.schema.tables[0].column("amount").type.sql, sales.schema.tables[0].primary_key.columns)
for line in sales.fidelity():
    print(line.line())
assert all(line.distance < 0.2 for line in sales.fidelity())

# %% [markdown]
# ## From a SQLAlchemy model

# %%
import sqlalchemy as sa  # noqa: E402

metadata = sa.MetaData()
sa.Table("author", metadata, sa.Column("id", sa.Integer, primary_key=True),
         sa.Column("email", sa.String(120), unique=True, nullable=False))
sa.Table("post", metadata, sa.Column("id", sa.Integer, primary_key=True),
         sa.Column("author_id", sa.ForeignKey("author.id"), nullable=False), sa.Column("title", sa.String(80)))
blog = seeder.generate(metadata, rows=5, seed=3)
print(blog.tables["post"][:2])
print("done:", work)
