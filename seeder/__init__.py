"""seeder: fill relational databases with realistic, constraint-valid data.

The public Python API is :mod:`seeder.api`; the schema model is :mod:`seeder.schema`. For notebooks,
``seeder.generate(source, rows=..., seed=...)`` returns a :class:`seeder.notebook.Result` (imported on first use, so
``import seeder`` stays cheap).
"""

from seeder.errors import SeederError

__version__ = "0.1.0"
__all__ = ["Result", "SeederError", "__version__", "generate"]


def __getattr__(name: str) -> object:
    """Lazy attributes: ``generate`` (the callable ``seeder.generate`` package) and ``Result``."""
    if name == "generate":
        import importlib

        return importlib.import_module("seeder.generate")
    if name == "Result":
        from seeder.notebook import Result

        return Result
    raise AttributeError(f"module 'seeder' has no attribute {name!r}")
