"""Column profiles: what existing rows (a CSV file, a sample of a live database) look like, and how to generate like
them without copying them.

* :mod:`seeder.profiles.model`: the frozen profile objects (no I/O), kept next to the schema they describe;
* :mod:`seeder.profiles.learn`: profiles from sampled values;
* :mod:`seeder.profiles.content`: a content source that draws from the profiles and leaves the rest to another one;
* :mod:`seeder.profiles.fidelity`: per column, how far generated values are from the sample.

Samples are read by :mod:`seeder.readers.samples` (CSV files, or one query per table of a database) and
:mod:`seeder.readers.csv_source` (a CSV SOURCE's own rows).
"""
