"""Two people acting at the same moment, on real separate connections (SQLite or PostgreSQL).

Both threads read the request as still open, then meet at a barrier just before their
transaction: without the guarded ``UPDATE ... WHERE status = old`` and the ambassador's row
lock, both would win.
"""

from __future__ import annotations

import threading

from tremplin.errors import Conflict
from tremplin.interventions import service
from tremplin.interventions.models import Intervention, Status
from tremplin.people.models import Ambassador
from tremplin.runtime import current
from tremplin.testing import in_days


def race(app, monkeypatch, *actions):
    """Run each ``action()`` in its own thread and app context, together; return outcomes."""
    barrier = threading.Barrier(len(actions), timeout=10)
    lock = service.lock_ambassador

    def lock_together(ambassador_id):
        barrier.wait()
        lock(ambassador_id)

    monkeypatch.setattr(service, "lock_ambassador", lock_together)
    outcomes = [None] * len(actions)

    def run(index, action):
        with app.app_context():
            try:
                action()
                outcomes[index] = "won"
            except Conflict:
                outcomes[index] = "conflict"
            finally:
                current().database.close()

    threads = [
        threading.Thread(target=run, args=(index, action)) for index, action in enumerate(actions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


def test_two_simultaneous_answers_to_one_request_cannot_both_win(network, monkeypatch):
    ambassador = network.ambassador()
    account = network.run(lambda: Ambassador.get_by_id(ambassador.id).account)
    request = network.request(network.educator(), ambassador)

    outcomes = race(
        network.app,
        monkeypatch,
        lambda: service.accept(account, request.id, {}),
        lambda: service.decline(account, request.id, {"reason": "dates"}),
    )

    assert outcomes == ["conflict", "won"]
    assert network.get(request.id).status in (Status.SCHEDULED, Status.DECLINED)


def test_two_simultaneous_acceptances_cannot_both_take_the_last_place_of_the_month(
    network, monkeypatch
):
    ambassador = network.ambassador(monthly_capacity=1)
    account = network.run(lambda: Ambassador.get_by_id(ambassador.id).account)
    educator = network.educator()
    first = network.request(educator, ambassador, slots=[in_days(40, hour=9)])
    second = network.request(educator, ambassador, slots=[in_days(40, hour=14)])

    outcomes = race(
        network.app,
        monkeypatch,
        lambda: service.accept(account, first.id, {}),
        lambda: service.accept(account, second.id, {}),
    )

    assert outcomes == ["conflict", "won"]
    statuses = network.run(
        lambda: sorted(row.status for row in Intervention.select(Intervention.status))
    )
    assert statuses == [Status.REQUESTED, Status.SCHEDULED]
