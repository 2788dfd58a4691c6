"""The territories area as a core plugin."""

from pathlib import Path

from ..hookkinds import hookimpl
from . import models, service, views


@hookimpl
def register_models():
    """The territory tree."""
    return [models.Territory]


@hookimpl
def register_migrations():
    """The territories area's migrations."""
    return [("territories", Path(__file__).parent / "migrations")]


@hookimpl
def register_blueprints(app):
    """The territories API."""
    return [views.api]


@hookimpl
def load_region_data(region):
    """Territories of ``data/territories.csv`` in the region folder."""
    path = region.path / service.DATA_FILE
    if not path.is_file():
        return None
    return service.load(service.read_rows(path))
