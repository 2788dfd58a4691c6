"""At most one receipt in force per company and financial year: a partial unique index.

Two administrators issuing the same receipt at the same moment could both issue it. A year
issued twice that way keeps its first receipt; the later ones are marked cancelled.
"""


def up(migrator, db):
    db.execute_sql(
        "UPDATE mecenat_receipt SET status = 'cancelled' WHERE status = 'issued' AND id NOT IN"
        " (SELECT MIN(id) FROM mecenat_receipt WHERE status = 'issued'"
        " GROUP BY organisation_id, financial_year)"
    )
    db.execute_sql(
        "CREATE UNIQUE INDEX mecenat_receipt_one_in_force"
        " ON mecenat_receipt (organisation_id, financial_year) WHERE status = 'issued'"
    )
