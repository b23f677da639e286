"""The CSV source kind: a ``.csv`` file or a folder of them, one table per file (see :mod:`seeder.readers.sources`).

The schema is inferred by :mod:`seeder.readers.csv_infer`; the rows of the files are examples, learnt as column
profiles (:mod:`seeder.profiles`) that generation follows without copying rows. The source's notes list what was
inferred that a reader of the plan should check: proposed foreign keys and the CHECKs taken from the data.
"""

from __future__ import annotations

from pathlib import Path

from seeder.errors import SchemaReadError
from seeder.readers.sources import SchemaSource, SourceOptions


def _files(source: str) -> list[Path]:
    path = Path(source)
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
    return [path]


#: Other files a folder of CSV files may hold (notes about the data) without stopping being one.
_COMPANIONS = frozenset({".txt", ".md"})


def claims(source: str) -> bool:
    """A path ending in ``.csv``, or a folder whose files are ``.csv`` files (at least one) and perhaps notes
    (``.txt``, ``.md``); a folder with other files (a project, a migrations folder) is left to other kinds."""
    if source.lower().endswith(".csv"):
        return True
    path = Path(source)
    if not path.is_dir():
        return False
    suffixes = {p.suffix.lower() for p in path.iterdir() if p.is_file() and not p.name.startswith(".")}
    return ".csv" in suffixes and suffixes <= {".csv"} | _COMPANIONS


def read(source: str, options: SourceOptions) -> SchemaSource:
    """Infer the schema of the CSV file(s) at ``source`` and learn their column profiles.

    Raises:
        SchemaReadError: a file is missing, unreadable, empty or malformed (file and line named), or two files give
            the same table name.
    """
    from seeder.profiles.learn import profile_table
    from seeder.readers.csv_infer import ddl, infer_table, propose_foreign_keys, table_name
    from seeder.readers.ddl import read_ddl
    from seeder.readers.samples import read_csv_file

    files = _files(source)
    if not files[0].is_file():
        raise SchemaReadError("file not found", path=source)
    tables = []
    for path in files:
        name = table_name(path)
        if any(t.name == name for t in tables):
            raise SchemaReadError(f"two files give the table name {name!r}", path=str(path))
        header, data = read_csv_file(path)
        tables.append(infer_table(name, path, header, data))
    propose_foreign_keys(tables)
    text = ddl(tables)
    schema = read_ddl(text, "postgres", path=source)
    profiles = {}
    notes = []
    for inferred in tables:
        table = next(t for t in schema.tables if t.name.name == inferred.name)
        profiles[table.name] = profile_table(table, inferred.rows)
        for column, ref_table, ref_column in inferred.foreign_keys:
            notes.append(f"proposed foreign key {inferred.name}.{column} -> {ref_table}.{ref_column} "
                         f"(same name, every value found)")
        notes += [f"CHECK from the data: {inferred.name}: {c.sql}" for c in table.checks]
        notes += [f"CHECK from the data: {inferred.name}: {c.sql}" for col in table.columns for c in col.checks]
    origin = Path(source).name or source
    return SchemaSource(schema=schema, text=text, kind="csv", origin=origin, notes=tuple(notes),
                        profiles=profiles)
