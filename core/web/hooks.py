"""The web shell as a core plugin."""

from ..hookspecs import hookimpl
from . import views


@hookimpl
def register_blueprints(app):
    """The home page, the accessibility statement, ``/healthz`` and ``/-/`` pages."""
    return [views.blueprint]
