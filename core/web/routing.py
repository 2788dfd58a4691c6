"""The app's URL rules, whose URL builders are compiled when first used.

Werkzeug compiles two Python functions per rule as the rule is added (to build its URL,
with and without unknown arguments): most of the time it takes to make an app, for
hundreds of rules of which a request builds a handful. A served app is made once, but the
suite makes one per test. The rules here compile each builder the first time a URL of the
rule is built (``url_for``), the same function as Werkzeug's; matching a request is
unchanged. It overrides ``Rule._compile_builder``, private but unchanged since Werkzeug
2.2: ``tests/core/web/test_app_making.py`` builds every URL of every plugin both ways.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from werkzeug.routing import Rule


class LazyBuilderRule(Rule):
    """A Werkzeug ``Rule`` compiling its URL builders on first use."""

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        compiled: list[Callable[..., tuple[str, str]]] = []
        compile_now = super()._compile_builder

        def build(rule: Rule, *args: Any, **kwargs: Any) -> tuple[str, str]:
            if not compiled:
                compiled.append(compile_now(append_unknown).__get__(rule, None))
            return compiled[0](*args, **kwargs)

        return build
