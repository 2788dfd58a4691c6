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

from . import plugin_work
from .datasets import Store
from .measures import Options, Row, say


def measure(store: Store, options: Options) -> list[Row]:
    """The rows of every plugin's heavy work on ``store``'s database kind."""
    rows: list[Row] = []
    for module_info in sorted(pkgutil.iter_modules(plugin_work.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{plugin_work.__name__}.{module_info.name}")
        say(f"W8 {store.kind}: {module_info.name}")
        rows.extend(module.measure(store, options))
    return rows
