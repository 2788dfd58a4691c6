"""The web shell as a core plugin."""

from flask import url_for

from ..hookkinds import hookimpl
from ..i18n import _
from . import errors, views
from .navigation import Group, Link


@hookimpl
def register_blueprints(app):
    """The home page, the accessibility statement and the error pages."""
    return [views.blueprint, errors.blueprint]


@hookimpl
def menu_links(user):
    """The dashboard, for signed-in users."""
    if user is None:
        return []
    return [Link(label=_("My dashboard"), href=url_for("web.dashboard"), group=Group.MAIN)]
