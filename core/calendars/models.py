"""Calendar invitations of interventions and private calendar feeds."""

import peewee

from ..auth.models import Account
from ..clock import now
from ..db import BaseModel
from ..interventions.models import Intervention


class Invitation(BaseModel):
    """The calendar invitation of an intervention: its sequence and the dates last sent.

    Every copy of an intervention's invitation shares one UID; each change sent after the
    first one carries a higher ``sequence``, so calendar apps replace the older version.
    """

    intervention = peewee.ForeignKeyField(
        Intervention, unique=True, on_delete="CASCADE", backref="invitations"
    )
    sequence = peewee.IntegerField(default=0)
    # What the last invitation said, to tell people what changed and skip empty updates.
    starts_at = peewee.DateTimeField()
    ends_at = peewee.DateTimeField()
    sent_at = peewee.DateTimeField(default=now)

    class Meta:
        table_name = "calendar_invitation"


class CalendarFeed(BaseModel):
    """A private address where a person's calendar app reads their interventions.

    The token is the only key: whoever knows the address reads the feed, so it can be
    revoked (and a new one made) at any time. A revoked address answers 404.
    """

    account = peewee.ForeignKeyField(Account, on_delete="CASCADE", backref="calendar_feeds")
    token = peewee.CharField(max_length=64, unique=True)
    created_at = peewee.DateTimeField(default=now)
    revoked_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "calendar_feed"
