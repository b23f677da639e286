"""seeder: fill relational databases with realistic, constraint-valid data.

The public Python API is :mod:`seeder.api`; the schema model is :mod:`seeder.schema`.
"""

from seeder.errors import SeederError

__version__ = "0.1.0"
__all__ = ["SeederError", "__version__"]
