"""Free-text search in the directory: every word, as the start of a word, through an index."""

from __future__ import annotations

import csv
import logging
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tremplin.auth.models import Account
from tremplin.db import database, is_sqlite
from tremplin.people import directory, service
from tremplin.people.models import Ambassador
from tremplin.text import masculine_form, normalise, with_masculine_forms

# French small words a query leaves out when it has others, as docs/ambassadors.md lists them.
SMALL_WORDS = {
    "a", "au", "aux", "avec", "d", "dans", "de", "des", "du", "en", "et", "l", "la", "le",
    "les", "ou", "par", "pour", "sur", "un", "une",
}  # fmt: skip

# What people may type that means something to FTS5 or to PostgreSQL's tsquery.
SYNTAX = [
    '"', "'", "*", ":*", "-", "+", "^", ":", "&", "|", "!", "(", ")", "{", "}", "[", "]",
    "<->", "\\", "%", "_", "\x00", "OR", "AND", "NOT", "NEAR", "NEAR(", "search_text:",
]  # fmt: skip
WORDS = [
    "soud", "SOUDEUSE", "électri", "ÉLECTRICIEN", "bâtiment", "h2902", "infirm", "trice",
    "braseu", "tôlière", "tig", "de", "du", "en",
]  # fmt: skip
# The appellations of the network's ROME codes, read apart from the code under test.
REFERENCE = Path(__file__).resolve().parents[3] / "core/people/data/rome_appellations.csv"
ROWS = [
    row
    for row in csv.reader(REFERENCE.read_text(encoding="utf-8").splitlines())
    if not row[0].startswith("#")
]
APPELLATIONS = {code: [row[1] for row in ROWS if row[0] == code] for code in ("H2913", "H2902")}
QUERIES = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(SYNTAX + WORDS + [" "]), max_size=8).map("".join),
    st.lists(st.sampled_from(SYNTAX + WORDS), max_size=6).map(" ".join),
)


def search(app, viewer: Account, q: str | None, **filters) -> list[int]:
    """Ids of the directory's answer to ``q``, in its order (one page of 100)."""
    with app.app_context():
        results = directory.search(viewer, directory.Filters(q=q, **filters), page_size=100)
    return [profile.id for profile in results.items]


@pytest.fixture
def teacher(people) -> Account:
    return people.educator()


@pytest.fixture
def network(people) -> dict[str, Ambassador]:
    """A few ambassadors with accents, a ROME code, a sector and punctuation."""
    return {
        "electrician": people.ambassador("Électricien du bâtiment", sector="Bâtiment"),
        "welder": people.ambassador("Soudeuse", rome_code="H2913", sector="Industrie"),
        "boilermaker": people.ambassador("Chaudronnier", rome_code="H2902"),
        "nurse": people.ambassador("Infirmier", sector="Santé"),
        "driver": people.ambassador("Conducteur/trice d'engins", sector="BTP"),
    }


def test_a_word_finds_the_occupations_it_starts_a_word_of(app, teacher, network):
    electrician = network["electrician"].id
    assert search(app, teacher, "électri") == [electrician]
    assert search(app, teacher, "bat") == [electrician]
    assert search(app, teacher, "h290") == [network["boilermaker"].id]
    assert search(app, teacher, "tricien") == []  # inside a word: not a start


def test_accents_and_case_are_ignored(app, teacher, network):
    answers = {
        q: search(app, teacher, q)
        for q in ("ELECTRICIEN", "électricien", "electricien", "ÉLECTRICIEN", "Électricien")
    }
    assert set(map(tuple, answers.values())) == {(network["electrician"].id,)}


def test_every_word_must_match(app, teacher, network):
    assert search(app, teacher, "electricien batiment") == [network["electrician"].id]
    assert search(app, teacher, "bât élec") == [network["electrician"].id]
    assert search(app, teacher, "electricien infirmier") == []


def test_nothing_matches(app, teacher, network):
    assert search(app, teacher, "astronaute") == []


def test_punctuation_separates_words_on_both_databases(app, teacher, network):
    driver = network["driver"].id
    assert search(app, teacher, "trice") == [driver]
    assert search(app, teacher, "engins") == [driver]
    assert search(app, teacher, "conducteur/trice") == [driver]
    assert search(app, teacher, "d'engins") == [driver]


def test_the_text_combines_with_the_other_filters(app, people, teacher, network):
    visitor = people.ambassador("Électricienne", intervention_types=["company_visit"], zones=["62"])
    both = sorted([network["electrician"].id, visitor.id])
    assert sorted(search(app, teacher, "electricien")) == both
    assert search(app, teacher, "electricien", intervention_type="company_visit") == [visitor.id]
    assert search(app, teacher, "electricien", territory="bef-59-dunkerque") == [
        network["electrician"].id
    ]


def test_an_edited_profile_is_found_by_its_new_occupation_only(app, people, teacher, network):
    welder = network["welder"]
    with app.app_context():
        service.update_profile(
            welder, {"occupation": "Boulangère", "rome_code": "D1102"}, people.admin()
        )

    assert search(app, teacher, "boulang") == [welder.id]
    assert welder.id not in search(app, teacher, "soudeuse")
    assert search(app, teacher, "d1102 industrie") == [welder.id]  # the sector did not change


def test_a_deleted_ambassador_is_gone(app, teacher, network):
    with app.app_context():
        Ambassador.delete_by_id(network["nurse"].id)
        Account.delete_by_id(network["welder"].account_id)  # the profile goes with the account

    assert search(app, teacher, "infirmier") == []
    # Only the boilermaker: H2902 has the appellation "Chaudronnier-soudeur".
    assert search(app, teacher, "soudeuse") == [network["boilermaker"].id]
    assert search(app, teacher, "electricien") == [network["electrician"].id]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # The boilermaker's code H2902 has the appellation "Chaudronnier-soudeur".
        ('"soudeuse"', ["welder", "boilermaker"]),
        ("soud*", ["welder", "boilermaker"]),
        ("-soudeuse", ["welder", "boilermaker"]),  # not a negation
        ("soudeuse OR infirmier", []),  # OR is a word, every word must match
        ("NEAR(soudeuse infirmier)", []),
        ("soudeuse:*", ["welder", "boilermaker"]),
        ("soudeuse & !infirmier", []),
        ("(soudeuse | infirmier)", []),
        ("search_text:soudeuse", []),
        ("'soudeuse'", ["welder", "boilermaker"]),
        ("soudeuse\x00", ["welder", "boilermaker"]),
        ("sou\x00deuse", []),  # a NUL separates two words: "deuse" starts none
        ("^\\%_", ["electrician", "welder", "boilermaker", "nurse", "driver"]),  # no word
        ("SOUDS", ["welder", "boilermaker"]),  # a plural, read in the singular: "soud"
    ],
)
def test_query_syntax_typed_in_the_box_is_only_punctuation(app, teacher, network, q, expected):
    assert sorted(search(app, teacher, q)) == sorted(network[name].id for name in expected)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=QUERIES)
def test_any_text_gives_the_ambassadors_having_every_word_as_a_word_start(app, teacher, network, q):
    """Each word, read in its singular masculine form as docs/ambassadors.md says ("souds"
    is read "soud"; small ones left out when there are others), starts a word of the
    profile or, from three letters on, a word of the appellations of its ROME code."""
    words = [masculine_form(word) for word in directory.WORD.findall(normalise(q))]
    words = [word for word in words if word not in SMALL_WORDS] or words
    texts = {
        ambassador.id: directory.WORD.findall(ambassador.search_text)
        for ambassador in network.values()
    }
    titles = {
        ambassador.id: {
            token
            for label in APPELLATIONS.get(ambassador.rome_code, [])
            for token in directory.WORD.findall(with_masculine_forms(normalise(label)))
        }
        - SMALL_WORDS
        for ambassador in network.values()
    }

    def found(ambassador_id: int, word: str) -> bool:
        tokens = texts[ambassador_id] + sorted(titles[ambassador_id]) * (len(word) >= 3)
        return any(token.startswith(word) for token in tokens)

    expected = {
        ambassador_id for ambassador_id in texts if all(found(ambassador_id, w) for w in words)
    }
    assert set(search(app, teacher, q)) == expected


def test_the_search_uses_the_full_text_index(app, network):
    with app.app_context():
        query, _place, _distance2 = directory.candidates(directory.Filters(q="électri bât"))
        sql, params = query.sql()
        with database.atomic():
            if is_sqlite(database):
                rows = database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
                plan = "\n".join(row[-1] for row in rows)
                index = "ambassador_fts"
            else:
                # With a few rows any plan is cheap, and the planner would rather walk from the
                # active accounts by nested loop; with 100,000 ambassadors it takes the GIN
                # index by itself. Forbidding both shows that the expressions match the index.
                database.execute_sql("SET LOCAL enable_seqscan = off")
                database.execute_sql("SET LOCAL enable_nestloop = off")
                rows = database.execute_sql(f"EXPLAIN {sql}", params).fetchall()
                plan = "\n".join(row[0] for row in rows)
                index = "ambassador_search_vector"
    assert index in plan, plan


def test_without_the_planner_s_statistics_sqlite_still_starts_from_the_ambassadors(app, network):
    # A database nobody ran ANALYZE on: SQLite used to walk every active account by the
    # status index and look for its ambassador, seconds at 10,000 (docs/performance.md).
    with app.app_context():
        if not is_sqlite(database):
            pytest.skip("PostgreSQL's autovacuum gathers statistics by itself")
        assert not database.table_exists("sqlite_stat1")
        query, _place, _distance2 = directory.candidates(
            directory.Filters(q="électri", territory="59", intervention_type="class_talk")
        )
        sql, params = query.sql()
        rows = database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    plan = [row[-1] for row in rows]
    assert "account_status" not in "\n".join(plan), plan
    assert plan[0].startswith("SEARCH t1 USING INTEGER PRIMARY KEY"), plan


def test_a_page_is_ordered_among_the_first_matches_read_once(app, teacher, network, caplog):
    # Written ``id IN (first matches)``, the page's statement let PostgreSQL, with its
    # statistics at 100,000 ambassadors, sort every ambassador in the directory's order and
    # look for the matches among them: 2 to 7 s a search, where finding the matches takes
    # 20 to 30 ms (docs/performance.md). The matches are now one materialised set, joined.
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        search(app, teacher, "électri", territory="59", intervention_type="class_talk")
    sql, params = next(
        record.msg for record in caplog.records if "total_matches" in str(record.msg)
    )
    with app.app_context():
        if is_sqlite(database):
            rows = database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
            plan, read_once = "\n".join(row[-1] for row in rows), "MATERIALIZE first_matches"
        else:
            rows = database.execute_sql(f"EXPLAIN {sql}", params).fetchall()
            plan, read_once = "\n".join(row[0] for row in rows), "CTE Scan on first_matches"
    assert read_once in plan, plan
