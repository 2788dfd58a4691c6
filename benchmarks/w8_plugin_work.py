"""W8: the bundled plugins' heavy work, each against its own floor (issue 21, point 3).

Each module of ``benchmarks/plugin_work`` measures one plugin's heaviest task on a
database of its own (``Store.fresh``, filled with the data that task needs) and returns
its rows: a mecenat company's yearly ledger and receipt, checking a year of internship
schedules (stages), standardising a competition's marks (worldskills), the access export
of the busiest person (rgpd). ``--plugin-work-scale`` shrinks the data (the smoke test).
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from . import plugin_work
from .datasets import Store
from .measures import Options, Row, say


def modules() -> list[tuple[str, ModuleType]]:
    """``(plugin name, module)`` of every module of ``benchmarks/plugin_work``, by name."""
    found = sorted(pkgutil.iter_modules(plugin_work.__path__), key=lambda module: module.name)
    return [
        (info.name, importlib.import_module(f"{plugin_work.__name__}.{info.name}"))
        for info in found
    ]


def measure(store: Store, options: Options, name: str, module: ModuleType) -> list[Row]:
    """The rows of one plugin's heavy work (``module``) on ``store``'s kind of database."""
    say(f"W8 {store.kind}: {name}")
    return module.measure(store, options)
