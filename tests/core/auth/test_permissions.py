"""Who may do what, where: role x resource x territory, decided on the server."""

import pytest

from tremplin.auth import permissions, sessions
from tremplin.auth import service as accounts
from tremplin.auth.models import Account, AccountStatus, Role, RoleGrant
from tremplin.organisations.models import Organisation
from tremplin.territories.models import Territory

PLACES = ("59", "basin of 59", "62")
# An account as a command or a test holds it, and as a request reads it with its session
# (whose answers are read once for the request).
READS = ("plain", "with its session")
ACTORS = ("admin", "referent of 59", "referent of 62", "educator in 59", "anonymous")

# What each actor covers as a referent (territory), and which schools they manage.
EXPECTED = {
    "admin": {"59": True, "basin of 59": True, "62": True},
    "referent of 59": {"59": True, "basin of 59": True, "62": False},
    "referent of 62": {"59": False, "basin of 59": False, "62": True},
    "educator in 59": {"59": False, "basin of 59": False, "62": False},
    "anonymous": {"59": False, "basin of 59": False, "62": False},
}
MANAGES = {
    "admin": {"59": True, "basin of 59": True, "62": True},
    "referent of 59": {"59": True, "basin of 59": True, "62": False},
    "referent of 62": {"59": False, "basin of 59": False, "62": True},
    "educator in 59": {"59": True, "basin of 59": False, "62": False},  # only their own school
    "anonymous": {"59": False, "basin of 59": False, "62": False},
}
SEARCHES = {
    "admin": True,
    "referent of 59": True,
    "referent of 62": True,
    "educator in 59": True,
    "anonymous": False,
}


@pytest.fixture
def world(app):
    """Territories 59 (with a basin inside) and 62, a school in each place, and the actors."""
    with app.app_context():
        region = Territory.create(code="32", name="Hauts-de-France", kind="region")
        places = {
            "59": Territory.create(code="59", name="Nord", kind="department", parent=region),
            "62": Territory.create(
                code="62", name="Pas-de-Calais", kind="department", parent=region
            ),
        }
        places["basin of 59"] = Territory.create(
            code="59-LE", name="Lille Est", kind="basin", parent=places["59"]
        )
        schools = {
            place: Organisation.create(
                name=f"Collège {place}", search_name=f"college {place}", kind="college",
                territory=territory,
            )
            for place, territory in places.items()
        }  # fmt: skip

        def actor(email, role=None, **scope):
            account = accounts.create_account(email, "A", "B", status=AccountStatus.ACTIVE)
            if role:
                accounts.grant(account, role, **scope)
            return account

        actors = {
            "admin": actor("admin@example.org", Role.ADMIN),
            "referent of 59": actor("r59@example.org", Role.REFERENT, territory=places["59"]),
            "referent of 62": actor("r62@example.org", Role.REFERENT, territory=places["62"]),
            "educator in 59": actor("prof@example.org", Role.EDUCATOR, organisation=schools["59"]),
            "anonymous": None,
        }
    return actors, places, schools


def as_read(account: Account | None, read: str) -> Account | None:
    """``account`` as it is held for ``read`` (needs an app context)."""
    if account is None or read == "plain":
        return account
    return sessions.account_of(account.id, account.token_nonce, sessions.start(account))


@pytest.mark.parametrize("read", READS)
@pytest.mark.parametrize("who", ACTORS)
@pytest.mark.parametrize("where", PLACES)
def test_referents_cover_their_territories_and_everything_inside(app, world, who, where, read):
    actors, places, _schools = world
    with app.app_context():
        actor = as_read(actors[who], read)
        # Asked twice: the second answer (from what the first read, for a session) is the same.
        for _ in range(2):
            assert permissions.covers_territory(actor, places[where].id) is EXPECTED[who][where]


@pytest.mark.parametrize("read", READS)
@pytest.mark.parametrize("who", ACTORS)
@pytest.mark.parametrize("where", PLACES)
def test_who_manages_the_school_of_each_place(app, world, who, where, read):
    actors, _places, schools = world
    with app.app_context():
        actor = as_read(actors[who], read)
        for _ in range(2):
            allowed = permissions.can_manage_organisation(actor, schools[where])
            assert allowed is MANAGES[who][where]


@pytest.mark.parametrize("read", READS)
@pytest.mark.parametrize("who", ACTORS)
def test_who_searches_the_directory(app, world, who, read):
    actors, _places, _schools = world
    with app.app_context():
        assert permissions.can_search_directory(as_read(actors[who], read)) is SEARCHES[who]


def test_a_session_reads_its_schools_and_territories_once_and_again_next_request(app, world):
    actors, places, schools = world
    with app.app_context():
        referent = as_read(actors["referent of 59"], "with its session")
        teacher = as_read(actors["educator in 59"], "with its session")
        covered = {places["59"].id, places["basin of 59"].id}
        assert permissions.covered_territories(referent) == covered
        assert permissions.organisations_of(teacher, Role.EDUCATOR) == {schools["59"].id}
        # What a caller does with an answer does not change the next one.
        permissions.covered_territories(referent).clear()
        permissions.organisations_of(teacher, Role.EDUCATOR).clear()
        assert permissions.covered_territories(referent) == covered
        assert permissions.organisations_of(teacher, Role.EDUCATOR) == {schools["59"].id}

        RoleGrant.update(pending=True).execute()  # every role waits for approval again
        # The same request goes on with what it read; the next request reads them again.
        assert permissions.organisations_of(teacher, Role.EDUCATOR) == {schools["59"].id}
        assert permissions.covered_territories(referent) == covered
        next_request = as_read(actors["referent of 59"], "with its session")
        assert permissions.covered_territories(next_request) == set()
        next_request = as_read(actors["educator in 59"], "with its session")
        assert permissions.organisations_of(next_request, Role.EDUCATOR) == set()


def test_covered_territories_is_everything_for_an_admin_and_a_set_for_others(app, world):
    actors, places, _schools = world
    with app.app_context():
        assert permissions.covered_territories(actors["admin"]) is None
        assert permissions.covered_territories(actors["referent of 59"]) == {
            places["59"].id,
            places["basin of 59"].id,
        }
        assert permissions.covered_territories(actors["educator in 59"]) == set()
        assert permissions.covered_territories(None) == set()


def test_ancestors_go_up_to_the_region(app, world):
    _actors, places, _schools = world
    with app.app_context():
        chain = permissions.ancestors(places["basin of 59"].id)
        names = [Territory.get_by_id(id_).code for id_ in chain]
    assert names == ["59-LE", "59", "32"]


def test_ancestors_of_nothing_or_of_an_unknown_territory_are_empty(app, world):
    with app.app_context():
        assert permissions.ancestors(None) == []
        assert permissions.ancestors(999_999) == []


def test_ancestors_stop_at_a_cycle_written_by_hand_in_the_territory_table(app, world):
    _actors, places, _schools = world
    basin = places["basin of 59"]
    with app.app_context():
        region = Territory.get(Territory.code == "32")
        Territory.update(parent=basin.id).where(Territory.id == region.id).execute()
        chain = permissions.ancestors(basin.id)
        names = [Territory.get_by_id(id_).code for id_ in chain]
    assert names == ["59-LE", "59", "32"]


@pytest.mark.parametrize("status", [AccountStatus.SUSPENDED, AccountStatus.DELETED])
def test_a_suspended_or_deleted_account_loses_every_permission(app, world, status):
    actors, places, schools = world
    with app.app_context():
        for who in ("admin", "referent of 59", "educator in 59"):
            Account.update(status=status).where(Account.id == actors[who].id).execute()
            account = Account.get_by_id(actors[who].id)
            assert not permissions.covers_territory(account, places["59"].id)
            assert not permissions.can_manage_organisation(account, schools["59"])
            assert not permissions.can_search_directory(account)
