"""Templates compiled once per test process, for every test app that reads them alike.

Each app has a Jinja environment of its own, and so compiles each template it renders
again: in a suite that builds an app per test, a fifth of a page test's time. Jinja's
bytecode cache lets environments share what they compiled: a template is known by its
name and file and checked against its source, so an edited template is compiled again.
Environments share a cache only when they compile alike (same syntax, extensions,
autoescaping and finalizer): an app whose plugin adds an extension gets a cache of its own.
"""

from __future__ import annotations

from types import CodeType
from typing import Any

import jinja2
from flask import Flask


class CompiledTemplates(jinja2.BytecodeCache):
    """A Jinja bytecode cache in memory: the code compiled from each template's source."""

    def __init__(self) -> None:
        self._compiled: dict[str, tuple[str, CodeType]] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Give ``bucket`` the code kept for its template, if compiled from the same source."""
        kept = self._compiled.get(bucket.key)
        if kept is not None and kept[0] == bucket.checksum:
            bucket.code = kept[1]

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep the code just compiled for ``bucket``'s template."""
        if bucket.code is not None:
            self._compiled[bucket.key] = (bucket.checksum, bucket.code)


_caches: dict[tuple, CompiledTemplates] = {}


def share_compiled_templates(app: Flask) -> None:
    """Have ``app`` reuse the templates compiled by the apps before it that compile alike
    (call it once the app is built: its plugins may add extensions)."""
    environment = app.jinja_env
    environment.bytecode_cache = _caches.setdefault(_compiles_as(environment), CompiledTemplates())


def _compiles_as(environment: jinja2.Environment) -> tuple:
    """What makes ``environment`` compile a template's source into different code."""
    return (
        tuple(sorted(environment.extensions)),
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
        environment.optimized,
        environment.is_async,
        _function(environment.autoescape),
        _function(environment.finalize),
    )


def _function(value: Any) -> Any:
    """A bound method as its function: each app's ``select_jinja_autoescape`` is the same."""
    return getattr(value, "__func__", value)
