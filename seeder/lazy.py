"""Modules imported on first use, so that light commands (``seeder --help``) do not pay for heavy ones.

``seeder --help`` used to import the whole engine (numpy, Faker, sqlglot, networkx, SQLAlchemy: about a second on
the development machine) before printing a line. The CLI modules refer to :mod:`seeder.api` through
:func:`lazy_module` instead: the name is bound at import time, the module is imported the first time one of its
attributes is read. ``tests/test_startup.py`` checks which modules ``seeder --help`` imports.
"""

from __future__ import annotations

import importlib
import types
from typing import Any


class LazyModule(types.ModuleType):
    """A stand-in for the module called ``name``: attribute reads import it (once) and read from it.

    Writes go to the real module too, so ``monkeypatch.setattr(proxy, "f", ...)`` patches what every user sees.
    """

    def __init__(self, name: str) -> None:
        super().__init__(name)
        object.__setattr__(self, "_seeder_real", None)

    def _seeder_load(self) -> types.ModuleType:
        real = object.__getattribute__(self, "_seeder_real")
        if real is None:
            real = importlib.import_module(self.__name__)
            object.__setattr__(self, "_seeder_real", real)
        return real

    def __getattr__(self, attr: str) -> Any:
        # Only called for names the stand-in itself lacks, i.e. everything but the ModuleType basics.
        return getattr(self._seeder_load(), attr)

    def __setattr__(self, attr: str, value: Any) -> None:
        setattr(self._seeder_load(), attr, value)

    def __delattr__(self, attr: str) -> None:
        delattr(self._seeder_load(), attr)


def lazy_module(name: str) -> Any:
    """A :class:`LazyModule` for the module ``name`` (a dotted name such as ``"seeder.api"``); nothing is imported
    until an attribute is read. Import errors surface at that first read."""
    return LazyModule(name)


__all__ = ["LazyModule", "lazy_module"]
