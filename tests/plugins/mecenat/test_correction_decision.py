"""Refusing a company's correction is final: the region confirms it on a page of its own;
approving stays one click."""

from __future__ import annotations

from tremplin.plugins.mecenat import ledger
from tremplin.plugins.mecenat.models import Correction
from tremplin.testing import csrf_token_from, sign_in


def proposed(year) -> Correction:
    return year.net.run(
        ledger.propose_correction,
        year.manager,
        year.convention.id,
        {"ambassador": year.ines.id, "day": "2025-06-20", "minutes": "30", "reason": "Oubli"},
    )


def test_refusing_a_correction_asks_for_a_confirmation_first(year):
    correction = proposed(year)
    region = sign_in(year.net.app.test_client(), year.admin)
    token = csrf_token_from(region, "/mecenat/region")
    action = f"/mecenat/corrections/{correction.id}"

    asked = region.post(action, data={"outcome": "refused", "csrf_token": token})
    assert asked.status_code == 200
    assert "Refuser une correction" in asked.text
    assert "30 minutes" in asked.text
    assert "Oubli" in asked.text
    assert 'name="confirm" value="yes"' in asked.text
    assert year.net.run(Correction.get_by_id, correction.id).status == "proposed"

    confirmed = region.post(
        action, data={"outcome": "refused", "confirm": "yes", "csrf_token": token}
    )
    assert confirmed.status_code == 302
    assert year.net.run(Correction.get_by_id, correction.id).status == "refused"


def test_approving_a_correction_needs_no_confirmation(year):
    correction = proposed(year)
    region = sign_in(year.net.app.test_client(), year.admin)
    token = csrf_token_from(region, "/mecenat/region")
    answer = region.post(
        f"/mecenat/corrections/{correction.id}", data={"outcome": "approved", "csrf_token": token}
    )
    assert answer.status_code == 302
    assert year.net.run(Correction.get_by_id, correction.id).status == "approved"


def test_the_confirmation_page_is_the_region_s_only(year):
    correction = proposed(year)
    company = sign_in(year.net.app.test_client(), year.manager)
    token = csrf_token_from(company, f"/mecenat/partenaires/{year.company.id}")
    answer = company.post(
        f"/mecenat/corrections/{correction.id}", data={"outcome": "refused", "csrf_token": token}
    )
    assert answer.status_code == 403
