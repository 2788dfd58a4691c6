"""Create the intervention, slot, reach, feedback, event and event slot tables."""

import datetime

import peewee


def up(migrator, db):
    class Territory(peewee.Model):
        class Meta:
            database = db
            table_name = "territory"

    class Organisation(peewee.Model):
        class Meta:
            database = db
            table_name = "organisation"

    class Account(peewee.Model):
        class Meta:
            database = db
            table_name = "account"

    class Ambassador(peewee.Model):
        class Meta:
            database = db
            table_name = "ambassador"

    class Event(peewee.Model):
        title = peewee.CharField(max_length=200)
        intervention_type = peewee.CharField(max_length=30)
        mode = peewee.CharField(max_length=20)
        organisation = peewee.ForeignKeyField(Organisation, on_delete="RESTRICT")
        territory = peewee.ForeignKeyField(Territory, null=True, on_delete="SET NULL")
        place = peewee.CharField(max_length=300, default="")
        description = peewee.TextField(default="")
        audience_level = peewee.CharField(max_length=30, null=True)
        expected_public = peewee.IntegerField(null=True)
        starts_at = peewee.DateTimeField(index=True)
        ends_at = peewee.DateTimeField()
        created_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
        created_at = peewee.DateTimeField(default=datetime.datetime.utcnow)
        cancelled_at = peewee.DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "event"

    class EventSlot(peewee.Model):
        event = peewee.ForeignKeyField(Event, on_delete="CASCADE")
        starts_at = peewee.DateTimeField()
        ends_at = peewee.DateTimeField()
        label = peewee.CharField(max_length=200, default="")
        places = peewee.IntegerField(default=1)

        class Meta:
            database = db
            table_name = "event_slot"

    class Intervention(peewee.Model):
        intervention_type = peewee.CharField(max_length=30, index=True)
        mode = peewee.CharField(max_length=20)
        status = peewee.CharField(max_length=20, default="requested", index=True)
        organisation = peewee.ForeignKeyField(Organisation, on_delete="RESTRICT")
        territory = peewee.ForeignKeyField(Territory, null=True, on_delete="SET NULL", index=True)
        requested_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
        ambassador = peewee.ForeignKeyField(Ambassador, null=True, on_delete="SET NULL")
        event_slot = peewee.ForeignKeyField(EventSlot, null=True, on_delete="SET NULL")
        topic = peewee.CharField(max_length=200, default="")
        message = peewee.TextField(default="")
        audience_level = peewee.CharField(max_length=30)
        group_size = peewee.IntegerField()
        accompanying_adults = peewee.IntegerField(null=True)
        duration_minutes = peewee.IntegerField()
        starts_at = peewee.DateTimeField(index=True)
        created_at = peewee.DateTimeField(default=datetime.datetime.utcnow)
        assigned_at = peewee.DateTimeField(null=True)
        answered_at = peewee.DateTimeField(null=True)
        scheduled_at = peewee.DateTimeField(null=True)
        completed_at = peewee.DateTimeField(null=True)
        decline_reason = peewee.CharField(max_length=30, null=True)
        decline_message = peewee.TextField(default="")
        cancelled_at = peewee.DateTimeField(null=True)
        cancelled_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
        cancel_reason = peewee.TextField(default="")
        pupils_reached = peewee.IntegerField(null=True)

        class Meta:
            database = db
            table_name = "intervention"
            indexes = (
                (("ambassador", "status", "starts_at"), False),
                (("territory", "status"), False),
                (("organisation", "status"), False),
            )

    class Slot(peewee.Model):
        intervention = peewee.ForeignKeyField(Intervention, on_delete="CASCADE")
        starts_at = peewee.DateTimeField()
        proposed_by = peewee.CharField(max_length=20, default="school")

        class Meta:
            database = db
            table_name = "intervention_slot"

    class Reach(peewee.Model):
        intervention = peewee.ForeignKeyField(Intervention, on_delete="CASCADE")
        audience_level = peewee.CharField(max_length=30)
        pupils = peewee.IntegerField()

        class Meta:
            database = db
            table_name = "intervention_reach"
            indexes = ((("intervention", "audience_level"), True),)

    class Feedback(peewee.Model):
        intervention = peewee.ForeignKeyField(Intervention, on_delete="CASCADE")
        side = peewee.CharField(max_length=20)
        author = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
        rating = peewee.IntegerField()
        comment = peewee.TextField(default="")
        created_at = peewee.DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            database = db
            table_name = "intervention_feedback"
            indexes = ((("intervention", "side"), True),)

    db.create_tables([Event, EventSlot, Intervention, Slot, Reach, Feedback])
