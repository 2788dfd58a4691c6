"""Deleting an account erases the ambassador profile's personal parts, keeps the figures."""

from tremplin.auth import service as accounts
from tremplin.people.models import Ambassador, AmbassadorZone
from tremplin.testing import sign_in


def test_hook_erase_personal_data_clears_the_ambassador_profile(app, people):
    with app.app_context():
        ambassador = people.ambassador(
            "Charpentière",
            presentation="Je m'appelle Inès, j'habite à Douai.",
            sector="Bâtiment",
        )
        accounts.erase_account(ambassador.account)
        erased = Ambassador.get_by_id(ambassador.id)
        zones = AmbassadorZone.select().where(AmbassadorZone.ambassador == ambassador.id).count()
    assert erased.presentation == ""
    assert erased.organisation_name is None
    assert erased.latitude is None
    assert zones == 0
    assert (erased.occupation, erased.sector) == ("Charpentière", "Bâtiment")


def test_an_erased_ambassador_is_not_found_in_the_directory(app, people, client):

    with app.app_context():
        ambassador = people.ambassador("Charpentière")
        educator = people.educator()
        accounts.erase_account(ambassador.account)
    sign_in(client, educator)
    results = client.get("/api/v1/ambassadors/?q=charpentiere").json
    assert ambassador.id not in [hit["id"] for hit in results]
