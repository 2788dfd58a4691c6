"""Database connections of a served instance: pooled, reused, and clean when reused; and
the planner's statistics after a bulk load."""

from __future__ import annotations

import threading

import pytest
from flask import Blueprint, current_app, jsonify

from tremplin import create_app, hookimpl
from tremplin.app import runtime_of
from tremplin.db import analyze, is_sqlite
from tremplin.testing import minimal_region, wait_for

probe = Blueprint("pool_probe", __name__)


@probe.get("/connexion-brute")
def raw_connection():
    """Which driver connection served the request (after a query on it)."""
    database = runtime_of(current_app).database
    database.execute_sql("SELECT 1")
    return jsonify(connection=id(database.connection()))


@probe.get("/transaction-oubliee")
def forgotten_transaction():
    """Write inside a transaction the request never commits (a bug a pool must survive)."""
    database = runtime_of(current_app).database
    database.execute_sql("CREATE TABLE IF NOT EXISTS pool_probe (value INTEGER)")
    database.execute_sql("BEGIN")
    database.execute_sql("INSERT INTO pool_probe (value) VALUES (1)")
    return jsonify(written=True)


@probe.get("/lignes")
def rows():
    """How many rows the probe table holds, as this request's connection sees it."""
    database = runtime_of(current_app).database
    database.execute_sql("CREATE TABLE IF NOT EXISTS pool_probe (value INTEGER)")
    (count,) = database.execute_sql("SELECT COUNT(*) FROM pool_probe").fetchone()
    return jsonify(rows=count)


class ProbePlugin:
    @hookimpl
    def register_blueprints(self, app):
        return [probe]

    @hookimpl
    def startup(self, app):
        """Read the database while the app is built, as the charter plugin does."""
        runtime_of(app).database.execute_sql("SELECT 1")


@pytest.fixture
def pooled_app(tmp_path_factory, tremplin_database_url):
    app = create_app(
        str(minimal_region(tmp_path_factory.mktemp("region"))),
        overrides={"database_url": tremplin_database_url, "secret_key": "test-secret-key"},
        plugins=[ProbePlugin()],
        config={"TESTING": True},
        pooled=True,
    )
    yield app
    runtime_of(app).database.close_all()


def test_a_served_instance_reuses_its_connection_from_one_request_to_the_next(pooled_app):
    client = pooled_app.test_client()
    first = client.get("/connexion-brute").json["connection"]
    second = client.get("/connexion-brute").json["connection"]
    assert first == second
    assert runtime_of(pooled_app).database.is_closed()  # handed back between requests


def test_a_transaction_a_request_left_open_is_rolled_back_before_the_connection_is_reused(
    pooled_app,
):
    client = pooled_app.test_client()
    assert client.get("/lignes").json == {"rows": 0}
    assert client.get("/transaction-oubliee").json == {"written": True}
    assert client.get("/lignes").json == {"rows": 0}


def test_the_app_is_built_without_a_connection_left_for_forked_workers(pooled_app):
    database = runtime_of(pooled_app).database
    assert database._in_use == {}
    assert database._connections == []


def test_threads_of_a_worker_take_turns_with_its_connections(pooled_app):
    # gunicorn --threads, or a threaded server: a connection one thread handed back serves
    # the next thread's request (SQLite's connections are otherwise bound to their thread).
    client = pooled_app.test_client()
    answers = [client.get("/connexion-brute").json["connection"]]

    def request():
        answers.append(client.get("/connexion-brute").json["connection"])

    for _ in range(3):
        thread = threading.Thread(target=request)
        thread.start()
        thread.join()
    assert len(answers) == 4
    assert len(set(answers)) == 1  # one connection, taken in turn


def test_after_a_bulk_load_postgresql_vacuums_so_index_only_scans_skip_the_table(app):
    # The demo's generation ends with ``analyze(vacuum=True)``. Without the vacuum, on the
    # 1M network, each row an index-only scan of the key figures found was looked up in
    # its table too (18,803 "heap fetches" for the schools reached over a year). The test
    # asks the server whether the table was vacuumed: whether its pages became all-visible
    # also depends on the snapshots other sessions hold (an autovacuum's ANALYZE).
    database = runtime_of(app).database
    with database.connection_context():
        database.execute_sql("CREATE TABLE bulk_probe (value INTEGER)")
        try:
            database.execute_sql("INSERT INTO bulk_probe (value) VALUES (1), (2), (3)")
            analyze(database, vacuum=True)
            if is_sqlite(database):
                assert database.table_exists("sqlite_stat1")
            else:
                wait_for(lambda: _vacuumed(database, "bulk_probe"), 5, "the vacuum's statistics")
        finally:
            database.execute_sql("DROP TABLE bulk_probe")


def _vacuumed(database, table: str) -> bool:
    """Whether PostgreSQL's statistics say ``table`` was vacuumed by hand (they may take a
    moment to arrive before PostgreSQL 15: read them afresh)."""
    database.execute_sql("SELECT pg_stat_clear_snapshot()")
    (vacuumed,) = database.execute_sql(
        "SELECT last_vacuum IS NOT NULL FROM pg_stat_user_tables WHERE relname = %s", (table,)
    ).fetchone()
    return vacuumed
