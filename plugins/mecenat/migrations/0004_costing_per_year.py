"""``mecenat_costing.year``: an employee's cost is entered per calendar year of the
convention (a salary raised in its second year values that year's hours). A cost entered
before applies from the convention's first year, as it did."""

import peewee


def up(migrator, db):
    migrator.migrate(migrator.add_column("mecenat_costing", "year", peewee.IntegerField(default=0)))
    rows = db.execute_sql(
        "SELECT c.id, v.starts_on FROM mecenat_costing c"
        " JOIN mecenat_convention v ON v.id = c.convention_id"
    )
    for identifier, starts_on in list(rows):
        db.execute_sql(
            f"UPDATE mecenat_costing SET year = {db.param} WHERE id = {db.param}",
            (int(str(starts_on)[:4]), identifier),
        )
    [old] = [
        index.name
        for index in db.get_indexes("mecenat_costing")
        if index.unique and index.columns == ["convention_id", "ambassador_id"]
    ]
    migrator.migrate(
        migrator.drop_index("mecenat_costing", old),
        migrator.add_index("mecenat_costing", ("convention_id", "ambassador_id", "year"), True),
    )
