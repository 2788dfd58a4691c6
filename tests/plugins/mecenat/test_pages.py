"""The region's pages as people use them: long lists in pages, a receipt issued or corrected
only once confirmed, a form with a mistake shown again with what was typed."""

from __future__ import annotations

from tremplin.plugins.mecenat import charters
from tremplin.plugins.mecenat.models import Receipt, ReceiptStatus
from tremplin.testing import csrf_token_from

from .conftest import CHARTER_FILE, sign_in


def post(client, page: str, url: str, data: dict):
    """Send a form of ``page`` with its CSRF token."""
    return client.post(url, data={**data, "csrf_token": csrf_token_from(client, page)})


def test_a_receipt_is_issued_only_once_confirmed_and_a_mistake_keeps_the_form(app, year):
    region = sign_in(app.test_client(), year.admin)
    form = {"organisation": year.company.id, "financial_year": "2025"}

    unconfirmed = post(region, "/mecenat/region", "/mecenat/recus", form)
    assert unconfirmed.status_code == 422
    assert "Cochez la case pour confirmer" in unconfirmed.text
    assert year.net.run(Receipt.select().count) == 0

    too_early = post(
        region,
        "/mecenat/region",
        "/mecenat/recus",
        {**form, "financial_year": "2026", "confirm": "yes"},
    )
    assert too_early.status_code == 409
    assert "pas encore clos" in too_early.text
    assert 'value="2026"' in too_early.text
    assert f'<option value="{year.company.id}" selected>' in too_early.text

    issued = post(region, "/mecenat/region", "/mecenat/recus", {**form, "confirm": "yes"})
    assert issued.status_code == 302
    assert year.net.run(Receipt.select().count) == 1


def test_a_receipt_is_corrected_only_once_confirmed_on_its_own_page(app, year):
    receipt = year.issue()
    region = sign_in(app.test_client(), year.admin)
    page = f"/mecenat/recus/{receipt.id}/corriger"
    assert page in region.get("/mecenat/region").text
    shown = region.get(page)
    assert shown.status_code == 200
    assert "42,69 €" in shown.text

    assert post(region, page, page, {}).status_code == 422
    assert year.net.run(lambda: Receipt.get_by_id(receipt.id).status) == ReceiptStatus.ISSUED

    assert post(region, page, page, {"confirm": "yes"}).status_code == 302
    assert year.net.run(lambda: Receipt.get_by_id(receipt.id).status) == ReceiptStatus.CANCELLED
    assert sign_in(app.test_client(), year.manager).get(page).status_code == 403


def test_the_region_lists_come_a_page_at_a_time(app, year):
    for closing_year in range(2000, 2025):  # 25 receipts of earlier years, cancelled
        year.net.run(
            Receipt.create,
            organisation=year.company.id,
            financial_year=closing_year,
            period_start=f"{closing_year}-01-01",
            period_end=f"{closing_year}-12-31",
            minutes=60,
            amount="10.00",
            status=ReceiptStatus.CANCELLED,
        )
    region = sign_in(app.test_client(), year.admin)

    first = region.get("/mecenat/region").text
    second = region.get("/mecenat/region?page_recus=2").text

    assert "Page 1 sur 2" in first
    assert "page_recus=2" in first
    assert "— 2024 —" in first
    assert "— 2000 —" not in first
    assert "— 2000 —" in second
    assert "— 2024 —" not in second


def test_a_charter_with_a_mistake_keeps_its_values_and_the_details_saved(app, year):
    year.net.run(charters.publish_text, CHARTER_FILE)
    partner = sign_in(app.test_client(), year.manager)
    home = f"/mecenat/partenaires/{year.company.id}"

    response = post(
        partner,
        home,
        f"{home}/charte",
        {"year": "2026", "employees": "-3", "hours": "20", "visits": "1", "internships": "0"},
    )

    assert response.status_code == 422
    assert 'value="-3"' in response.text
    assert "12 quai de l&#39;Escaut, 59300 Valenciennes" in response.text  # details as saved


def test_the_monthly_statement_names_its_months_in_french(app, year):
    page = sign_in(app.test_client(), year.manager).get(
        f"/mecenat/conventions/{year.convention.id}"
    )

    assert "<td>mars 2025</td>" in page.text
    assert "2025-03" not in page.text
