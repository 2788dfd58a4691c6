"""Create the worldskills tables: competitions, skills, aspects, candidates, judges, links,
marks and their log, results and invitations."""

import datetime

import peewee


def up(migrator, db):
    # Migrations describe the tables as they were then: never import models.py here.
    def utcnow():
        return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)

    class Base(peewee.Model):
        class Meta:
            database = db

    class Account(peewee.Model):
        class Meta:
            database = db
            table_name = "account"

    class Organisation(peewee.Model):
        class Meta:
            database = db
            table_name = "organisation"

    class Territory(peewee.Model):
        class Meta:
            database = db
            table_name = "territory"

    class Ambassador(peewee.Model):
        class Meta:
            database = db
            table_name = "ambassador"

    class Competition(Base):
        name = peewee.CharField(max_length=200)
        level = peewee.CharField(max_length=20, index=True)
        edition = peewee.CharField(max_length=50)
        starts_on = peewee.DateField()
        ends_on = peewee.DateField()
        venues = peewee.TextField(default="")
        territory = peewee.ForeignKeyField(Territory, null=True, on_delete="SET NULL")
        selects_for = peewee.ForeignKeyField("self", null=True, on_delete="SET NULL", backref="+")
        results_published_at = peewee.DateTimeField(null=True)
        created_at = peewee.DateTimeField(default=utcnow)

        class Meta:
            table_name = "worldskills_competition"

    class Skill(Base):
        competition = peewee.ForeignKeyField(Competition, on_delete="CASCADE", backref="skills")
        number = peewee.IntegerField()
        name = peewee.CharField(max_length=200)
        team = peewee.BooleanField(default=False)
        max_age = peewee.IntegerField()
        rome_codes = peewee.CharField(max_length=100, default="")
        sector = peewee.CharField(max_length=100, null=True)
        locked_at = peewee.DateTimeField(null=True)
        locked_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")

        class Meta:
            table_name = "worldskills_skill"
            indexes = ((("competition", "number"), True), (("competition", "name"), True))

    class Aspect(Base):
        skill = peewee.ForeignKeyField(Skill, on_delete="CASCADE", backref="aspects")
        code = peewee.CharField(max_length=20)
        title = peewee.CharField(max_length=200)
        kind = peewee.CharField(max_length=20)
        max_mark = peewee.DecimalField(max_digits=6, decimal_places=2, auto_round=True)

        class Meta:
            table_name = "worldskills_aspect"
            indexes = ((("skill", "code"), True),)

    class Candidate(Base):
        competition = peewee.ForeignKeyField(Competition, on_delete="CASCADE", backref="+")
        skill = peewee.ForeignKeyField(Skill, on_delete="CASCADE", backref="candidates")
        first_name = peewee.CharField(max_length=100)
        last_name = peewee.CharField(max_length=100)
        identity = peewee.CharField(max_length=210)
        birth_date = peewee.DateField()
        email = peewee.CharField(max_length=254, null=True)
        gender = peewee.CharField(max_length=10, null=True)
        pathway = peewee.CharField(max_length=20)
        training_centre = peewee.ForeignKeyField(
            Organisation, null=True, on_delete="SET NULL", backref="+"
        )
        employer = peewee.ForeignKeyField(
            Organisation, null=True, on_delete="SET NULL", backref="+"
        )
        territory = peewee.ForeignKeyField(Territory, null=True, on_delete="SET NULL", backref="+")
        team = peewee.CharField(max_length=100, null=True)
        status = peewee.CharField(max_length=20, default="pending", index=True)
        refusal = peewee.CharField(max_length=500, null=True)
        consent_at = peewee.DateTimeField()
        guardian_name = peewee.CharField(max_length=200, null=True)
        guardian_consent_at = peewee.DateTimeField(null=True)
        registered_by = peewee.ForeignKeyField(
            Account, null=True, on_delete="SET NULL", backref="+"
        )
        checked_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
        checked_at = peewee.DateTimeField(null=True)
        selected_from = peewee.ForeignKeyField("self", null=True, on_delete="SET NULL", backref="+")
        created_at = peewee.DateTimeField(default=utcnow)

        class Meta:
            table_name = "worldskills_candidate"
            indexes = ((("skill", "identity", "birth_date"), True),)

    class Judge(Base):
        skill = peewee.ForeignKeyField(Skill, on_delete="CASCADE", backref="judges")
        account = peewee.ForeignKeyField(Account, on_delete="CASCADE", backref="+")
        role = peewee.CharField(max_length=20)

        class Meta:
            table_name = "worldskills_judge"
            indexes = ((("skill", "account"), True),)

    class Link(Base):
        judge = peewee.ForeignKeyField(Judge, on_delete="CASCADE", backref="links")
        candidate = peewee.ForeignKeyField(Candidate, on_delete="CASCADE", backref="+")
        nature = peewee.CharField(max_length=200)
        declared_at = peewee.DateTimeField(default=utcnow)

        class Meta:
            table_name = "worldskills_link"
            indexes = ((("judge", "candidate"), True),)

    class Score(Base):
        aspect = peewee.ForeignKeyField(Aspect, on_delete="CASCADE", backref="+")
        candidate = peewee.ForeignKeyField(Candidate, on_delete="CASCADE", backref="+")
        judge = peewee.ForeignKeyField(Judge, on_delete="CASCADE", backref="+")
        value = peewee.DecimalField(max_digits=6, decimal_places=2, auto_round=True)
        entered_at = peewee.DateTimeField(default=utcnow)

        class Meta:
            table_name = "worldskills_score"
            indexes = ((("aspect", "candidate", "judge"), True),)

    class MarkChange(Base):
        skill = peewee.ForeignKeyField(Skill, on_delete="CASCADE", backref="+")
        aspect = peewee.ForeignKeyField(Aspect, null=True, on_delete="CASCADE", backref="+")
        candidate = peewee.ForeignKeyField(Candidate, null=True, on_delete="CASCADE", backref="+")
        judge = peewee.ForeignKeyField(Judge, null=True, on_delete="SET NULL", backref="+")
        old_value = peewee.DecimalField(max_digits=6, decimal_places=2, null=True)
        new_value = peewee.DecimalField(max_digits=6, decimal_places=2, null=True)
        action = peewee.CharField(max_length=20)
        changed_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
        changed_at = peewee.DateTimeField(default=utcnow)

        class Meta:
            table_name = "worldskills_mark_change"

    class Result(Base):
        skill = peewee.ForeignKeyField(Skill, on_delete="CASCADE", backref="results")
        candidate = peewee.ForeignKeyField(Candidate, on_delete="CASCADE", unique=True, backref="+")
        competitor = peewee.CharField(max_length=120)
        marks = peewee.DecimalField(max_digits=7, decimal_places=2, auto_round=True)
        scale_score = peewee.DoubleField()
        rank = peewee.IntegerField()
        award = peewee.CharField(max_length=20, null=True)
        selected_at = peewee.DateTimeField(null=True)

        class Meta:
            table_name = "worldskills_result"

    class Invitation(Base):
        candidate = peewee.ForeignKeyField(Candidate, on_delete="CASCADE", unique=True, backref="+")
        token_hash = peewee.CharField(max_length=64, unique=True)
        sent_at = peewee.DateTimeField(default=utcnow)
        expires_at = peewee.DateTimeField()
        used_at = peewee.DateTimeField(null=True)
        ambassador = peewee.ForeignKeyField(
            Ambassador, null=True, on_delete="SET NULL", backref="+"
        )

        class Meta:
            table_name = "worldskills_invitation"

    db.create_tables(
        [Competition, Skill, Aspect, Candidate, Judge, Link, Score, MarkChange, Result, Invitation]
    )
