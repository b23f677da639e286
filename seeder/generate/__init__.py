"""Generation: the engine (:mod:`seeder.generate.engine`) and the value generators it uses.

``seeder.generate(...)`` (calling this package) is the notebook API, :func:`seeder.notebook.generate`: the package
and the function share the name ``seeder.generate``, so the package is made callable.
"""

import sys
import types


class _CallablePackage(types.ModuleType):
    def __call__(self, *args: object, **kwargs: object) -> object:
        from seeder.notebook import generate

        return generate(*args, **kwargs)  # type: ignore[arg-type]


sys.modules[__name__].__class__ = _CallablePackage
