"""Recompute ``ambassador.search_text`` with the masculine forms of feminine words.

A "soudeuse" is then found by "soudeur", an "infirmière" by "infirmier" and the other
way round (``tremplin.text.masculine_form``). The full-text index follows through its
triggers (SQLite) or its expression (PostgreSQL).
"""

from tremplin.text import normalise, with_masculine_forms

BATCH = 2000


def up(migrator, db):
    rows = list(db.execute_sql("SELECT id, occupation, sector, rome_code FROM ambassador"))
    changes = []
    for identifier, *parts in rows:
        text = normalise(" ".join(part for part in parts if part))
        changes.append((with_masculine_forms(text)[:500], identifier))
    for start in range(0, len(changes), BATCH):
        db.cursor().executemany(
            f"UPDATE ambassador SET search_text = {db.param} WHERE id = {db.param}",
            changes[start : start + BATCH],
        )
