"""The region's counts of people kept by the database equal the people counted, whatever
happened.

Random sequences of ambassadors and educators registered (active or waiting for their
activation), accounts activated, suspended, erased (as the GDPR erasure does) or deleted
outright, genders declared or changed (also to values the figures do not know),
image-rights consents given, withdrawn and forgotten, educator roles granted, asked for,
approved and withdrawn, ambassador profiles and schools deleted outright (their rows
cascading), with the clock moving on between them; then the kept numbers equal those a
rebuild counts, and the region's people at the end of periods before, around and after
now equal the same counted from the people (``raw_registered``, the reference), as do
the region's whole key figures.
"""

from __future__ import annotations

import datetime
import itertools

import peewee
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from tremplin.auth import memberships
from tremplin.auth import service as accounts
from tremplin.auth.models import Account, AccountStatus, Role, RoleGrant
from tremplin.clock import today, travel
from tremplin.db import is_sqlite
from tremplin.errors import Conflict, Invalid, NotAllowed, NotFound
from tremplin.organisations.models import Organisation
from tremplin.people import image_rights
from tremplin.people.models import Ambassador
from tremplin.stats import registered
from tremplin.stats.figures import Period, key_figures, raw_registered
from tremplin.stats.models import PeopleTotals
from tremplin.territories.models import Territory

from .conftest import replay, sequences

# A row deleted outright that another still needs is refused by the database.
REFUSED = (Conflict, Invalid, NotAllowed, NotFound, peewee.IntegrityError)
NUMBERS = itertools.count()
GENDER = st.sampled_from((None, "female", "male", "other", "nonbinary"))
which = st.integers(min_value=0, max_value=30)
ACTIONS = st.one_of(
    st.tuples(st.just("ambassador"), GENDER, st.booleans()),
    st.tuples(st.just("educator"), GENDER, st.integers(0, 2), st.booleans()),
    st.tuples(st.just("join"), which, st.integers(0, 2), st.booleans()),
    st.tuples(st.just("approve"), which),
    st.tuples(st.just("leave"), which),
    st.tuples(st.just("status"), which, st.sampled_from(tuple(AccountStatus))),
    st.tuples(st.just("suspend"), which),
    st.tuples(st.just("gender"), which, GENDER),
    st.tuples(st.just("consent"), which, st.booleans()),
    st.tuples(st.just("forget"), which),
    st.tuples(st.just("erase"), which),
    st.tuples(st.just("drop account"), which),
    st.tuples(st.just("drop profile"), which),
    st.tuples(st.just("close school"), st.integers(0, 2)),
    st.tuples(st.just("travel"), st.integers(1, 40)),
)


class People:
    """Schools to join, and the accounts an example made."""

    def __init__(self, network):
        self.network = network
        self.schools: list[Organisation] = []
        self.accounts: list[int] = []

    def school(self, number: int) -> Organisation:
        while len(self.schools) <= number:
            self.schools.append(self.network.school(name=f"Collège {next(NUMBERS)}"))
        return self.schools[number]

    def account(self, number: int) -> Account | None:
        if not self.accounts:
            return None
        return Account.get_or_none(Account.id == self.accounts[number % len(self.accounts)])

    def do(self, action: tuple) -> None:
        """Try ``action``; a refusal is an outcome like any other."""
        try:
            done = self.network.run(self._do, *action)
        except REFUSED as refusal:
            event(f"{action[0]} refused: {type(refusal).__name__}")
        else:
            event(f"{action[0]} {'done' if done is not False else 'skipped'}")

    def _do(self, name: str, *args) -> bool:
        if name == "ambassador":
            gender, active = args
            ambassador = self.network.ambassador(
                status=AccountStatus.ACTIVE if active else AccountStatus.PENDING
            )
            Account.update(gender=gender).where(Account.id == ambassador.account_id).execute()
            self.accounts.append(ambassador.account_id)
            return True
        if name == "educator":
            gender, school, pending = args
            account = self.network.account(gender=gender)
            self._join(account, school, pending)
            self.accounts.append(account.id)
            return True
        if name == "close school":
            school = self.school(args[0])
            Organisation.delete().where(Organisation.id == school.id).execute()
            self.schools[args[0]] = self.network.school(name=f"Collège {next(NUMBERS)}")
            return True
        account = self.account(args[0])
        if account is None:
            return False
        ambassador = Ambassador.get_or_none(Ambassador.account == account.id)
        if name == "join":
            self._join(account, args[1], args[2])
        elif name == "approve":
            waiting = RoleGrant.select().where(RoleGrant.account == account.id, RoleGrant.waiting())
            for grant in waiting:
                accounts.grant(account, Role.EDUCATOR, organisation=grant.organisation)
        elif name == "leave":
            accounts.revoke(account, Role.EDUCATOR)
        elif name == "status":
            Account.update(status=args[1]).where(Account.id == account.id).execute()
        elif name == "suspend":
            accounts.suspend_account(account)
        elif name == "gender":
            accounts.update_details(account, {"gender": args[1]})
        elif name == "consent" and ambassador is not None:
            image_rights.decide(account, ambassador, args[1])
        elif name == "forget" and ambassador is not None:
            image_rights.erase(ambassador.id)
        elif name == "erase":
            accounts.erase_account(account)
        elif name == "drop account":
            Account.delete().where(Account.id == account.id).execute()
        elif name == "drop profile" and ambassador is not None:
            Ambassador.delete().where(Ambassador.id == ambassador.id).execute()
        else:
            return False
        return True

    def _join(self, account: Account, school: int, pending: bool) -> None:
        if pending:
            memberships.ask_to_join(account, Role.EDUCATOR, self.school(school))
        else:
            accounts.grant(account, Role.EDUCATOR, organisation=self.school(school))


def kept() -> dict[tuple[str, str], int]:
    """The numbers kept, but zeros (a number's row is made by its first change)."""
    rows = PeopleTotals.select().where(PeopleTotals.total != 0).tuples()
    return {(figure, gender): total for figure, gender, total in rows}


def ends() -> list[datetime.datetime]:
    """The stored ends of periods ending 40 and 7 days ago, yesterday, today, and later."""
    days = [today() + datetime.timedelta(days=shift) for shift in (-40, -7, -1, 0, 30)]
    return [Period(day, day).bounds()[1] for day in days]


def assert_people_are_exact(network) -> None:
    with network.app.app_context():
        numbers = kept()
        database = network.app.extensions["tremplin"].runtime.database
        with database.atomic() as transaction:
            counted = registered.rebuild()
            transaction.rollback()
        assert numbers == {key: total for key, total in counted.items() if total}
        for high in ends():
            assert registered.counts(high) == raw_registered(None, high), high
        region = Territory.get(Territory.parent.is_null())
        first = today().replace(day=1)
        year = Period(first - datetime.timedelta(days=334), first + datetime.timedelta(days=40))
        assert key_figures(region, year) == key_figures(region, year, False)


@sequences(20)
@given(actions=st.lists(ACTIONS, min_size=3, max_size=20))
def test_the_people_kept_equal_the_people_counted_after_any_sequence(network, actions):
    people = People(network)
    people.do(("ambassador", "female", True))
    people.do(("educator", None, 0, False))
    with travel(replay(actions, people.do)):
        assert_people_are_exact(network)


def test_a_rebuild_recounts_what_was_written_behind_the_triggers(network, run_cli):
    ambassador = network.ambassador()
    network.educator()
    with network.app.app_context():
        database = network.app.extensions["tremplin"].runtime.database
        database.execute_sql("UPDATE stats_people_totals SET total = 7")
        assert kept()[("educators", "")] == 7
    result = run_cli(network.app, "stats", "rebuild")
    assert result.exit_code == 0, result.output
    with network.app.app_context():
        numbers = kept()
        assert numbers[("educators", "")] == 1
        assert numbers[("ambassadors", "unknown")] == 1
        assert ("consenting", "") not in numbers
        image_rights.decide(network.account_of(ambassador), ambassador, True)
        assert kept()[("consenting", "")] == 1
    assert_people_are_exact(network)


def test_the_migration_counts_the_people_already_there(network, run_cli):
    network.ambassador()
    network.account(gender="female")
    network.educator(gender="male")
    with network.app.app_context():
        database = network.app.extensions["tremplin"].runtime.database
        triggers = [
            "stats_people_account_changed",
            "stats_people_account_deleted",
            "stats_people_ambassador_added",
            "stats_people_ambassador_moved",
            "stats_people_ambassador_deleted",
            "stats_people_image_rights_decided",
            "stats_people_image_rights_forgotten",
            "stats_people_role_granted",
            "stats_people_role_changed",
            "stats_people_role_withdrawn",
        ]
        for trigger in triggers:
            if is_sqlite(database):
                database.execute_sql(f"DROP TRIGGER {trigger}")
            else:
                database.execute_sql(f"DROP FUNCTION {trigger}() CASCADE")
        for index in (
            "stats_ambassador_created_at",
            "stats_image_rights_decided_at",
            "stats_role_grant_created_at",
        ):
            database.execute_sql(f"DROP INDEX {index}")
        database.drop_tables([PeopleTotals])
        database.execute_sql(
            "DELETE FROM tremplin_migration"
            " WHERE component = 'stats' AND name = '0003_people_totals'"
        )
    result = run_cli(network.app, "db", "upgrade")
    assert result.exit_code == 0, result.output
    assert "stats/0003_people_totals" in result.output
    with network.app.app_context():
        numbers = kept()
        assert numbers[("ambassadors", "unknown")] == 1
        assert numbers[("educators", "")] == 1
    assert_people_are_exact(network)


def suspended(database) -> int:
    """How many of the triggers keeping the numbers PostgreSQL has disabled."""
    (count,) = database.execute_sql(
        "SELECT COUNT(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
        " WHERE c.relnamespace = current_schema()::regnamespace"
        " AND starts_with(t.tgname, 'stats_people_') AND t.tgenabled = 'D'"
    ).fetchone()
    return count


def failing_load(network, database) -> None:
    """A bulk load that fails after writing an ambassador."""
    with database.atomic(), registered.bulk_load():
        network.ambassador(gender="female")
        raise RuntimeError("the load fails")


def test_a_bulk_load_counts_its_people_once_written_and_the_triggers_keep_them_again(network):
    # The demo's generation writes its people in one transaction: on PostgreSQL, the
    # triggers each updating one row there made a million people take hours.
    network.ambassador(gender="male")
    with network.app.app_context():
        database = network.app.extensions["tremplin"].runtime.database
        with database.atomic(), registered.bulk_load():
            if not is_sqlite(database):
                assert suspended(database) == 10
            network.ambassador(gender="female")
            network.ambassador(gender="female")
            network.educator(gender="other")
        assert kept()[("ambassadors", "female")] == 2
        assert kept()[("educators", "")] == 1
        if not is_sqlite(database):
            assert suspended(database) == 0
    assert_people_are_exact(network)
    with network.app.app_context():
        with pytest.raises(RuntimeError):
            failing_load(network, database)
        if not is_sqlite(database):
            assert suspended(database) == 0
        assert kept()[("ambassadors", "female")] == 2
    network.ambassador(gender="female")  # kept by the triggers again
    with network.app.app_context():
        assert kept()[("ambassadors", "female")] == 3
    assert_people_are_exact(network)
