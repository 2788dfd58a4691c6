"""Tremplin: a plugin-based framework for regional career-orientation networks.

The public API for plugin authors is ``hookimpl`` (mark hook implementations) and
``create_app`` (build an instance).
"""

__version__ = "0.1.0"

from . import validation
from .hookkinds import hookimpl

# Before any schema is defined: marshmallow fields copy their messages when they are built.
validation.install()


def create_app(*args, **kwargs):
    """Build the Flask app of a region; see ``tremplin.app.create_app``."""
    from .app import create_app as _create_app

    return _create_app(*args, **kwargs)


__all__ = ["__version__", "create_app", "hookimpl"]
