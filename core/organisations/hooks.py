"""The organisations area as a core plugin."""

from pathlib import Path

from ..hookkinds import hookimpl
from . import importing, models, views


@hookimpl
def register_models():
    """Organisations."""
    return [models.Organisation]


@hookimpl
def register_migrations():
    """The organisations area's migrations."""
    return [("organisations", Path(__file__).parent / "migrations")]


@hookimpl
def register_blueprints(app):
    """The organisation pages and API."""
    return [views.blueprint, views.api]


@hookimpl
def register_importers():
    """``tremplin import organisations FILE``."""
    return [importing.importer()]


@hookimpl
def load_region_data(region):
    """Organisations of ``data/organisations.csv`` in the region folder, if it has one."""
    path = region.path / importing.DATA_FILE
    if not path.is_file():
        return None
    return importing.load_file(path)


@hookimpl
def menu_links(user):
    """The list of organisations, for those who may see it."""
    return views.menu_links(user)
