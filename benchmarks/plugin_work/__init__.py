"""One module per bundled plugin's heavy work, each with ``measure(store, options)``.

See ``benchmarks/w8_plugin_work.py``.
"""
