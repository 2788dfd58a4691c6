"""The territory tree."""

from enum import StrEnum

import peewee

from ..db import BaseModel
from ..text import normalise


class TerritoryKind(StrEnum):
    """Levels of the territory tree, from the widest."""

    REGION = "region"
    ACADEMY = "academy"
    DEPARTMENT = "department"
    # A part of a department with its own referent (the Nord has two), grouping basins.
    AREA = "area"
    BASIN = "basin"
    COMMUNE = "commune"


class Territory(BaseModel):
    """A place the network is organised by: code, name, kind, parent, optional position."""

    code = peewee.CharField(max_length=50, unique=True)
    name = peewee.CharField(max_length=200)
    kind = peewee.CharField(max_length=20, index=True)
    parent = peewee.ForeignKeyField(
        "self", null=True, backref="children", on_delete="RESTRICT", index=True
    )
    latitude = peewee.FloatField(null=True)
    longitude = peewee.FloatField(null=True)
    # The name without accents or case, to sort by: "Évreux" before "Vernon" on SQLite and on
    # PostgreSQL whatever its collation (a byte order puts "É" after "V").
    sort_name = peewee.CharField(max_length=200, default="", index=True)

    def save(self, *args, **kwargs):
        """Save, keeping ``sort_name`` in step with ``name``."""
        self.sort_name = sort_key(self.name)
        return super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.name


def sort_key(name: str) -> str:
    """What territories are sorted by: ``name`` without accents nor case."""
    return normalise(name)[:200]
