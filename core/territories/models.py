"""The territory tree."""

from enum import StrEnum

import peewee

from ..db import BaseModel


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

    def __str__(self) -> str:
        return self.name
