"""Two operators acting on the same return at the same moment: one wins, the other gets 409.

Real threads, each request in its own connection and transaction, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.api.dock import inspect, processing, scan, shipment
from tests.support.builders import Api
from tests.support.concurrency import at_once

# A live server, other processes or connections that must meet.
pytestmark = pytest.mark.several_connections

ROUNDS = 3


def test_two_operators_completing_the_same_return_one_wins_and_the_ledger_has_one_set(api: Api) -> None:
    merchant, fc, first = api.setup()
    second = api.operator(fc["id"])
    for _ in range(ROUNDS):
        products = [api.product(merchant), api.product(merchant, return_preferences={"return_action": "Quarantine"})]
        order = processing(api, first, api.return_order(merchant, fc["id"], products))
        for line in order["inventory"]:
            assert inspect(api, first, order["id"], line["id"]).status_code == 200
        url = f"/api/v1/returns/{order['id']}/complete"
        responses = at_once(
            [lambda who=who, url=url: api.client.post(url, headers=who.headers) for who in (first, second)]
        )
        assert Counter(r.status_code for r in responses) == {200: 1, 409: 1}
        loser = next(r for r in responses if r.status_code == 409)
        assert loser.json()["error"]["code"] == "invalid_transition"
        ledger = api.client.get(f"/api/v1/inventory/ledger?return_id={order['id']}", headers=merchant.headers).json()
        assert sorted((e["bucket"], e["quantity"]) for e in ledger["items"]) == [("Quarantine", 1), ("Sellable", 1)]
        history = api.client.get(f"/api/v1/returns/{order['id']}", headers=merchant.headers).json()["status_history"]
        assert [h["status"] for h in history].count("Completed") == 1


def test_two_operators_scanning_the_same_return_one_receives_and_it_is_charged_once(api: Api) -> None:
    merchant, fc, first = api.setup()
    second = api.operator(fc["id"])
    for _ in range(ROUNDS):
        order = api.return_order(merchant, fc["id"])
        responses = at_once(
            [lambda who=who, ref=order["reference_id"]: scan(api, who, fc["id"], ref) for who in (first, second)]
        )
        assert Counter(r.status_code for r in responses) == {201: 1, 409: 1}
        assert next(r for r in responses if r.status_code == 409).json()["error"]["code"] == "already_arrived"
        body = api.client.get(f"/api/v1/returns/{order['id']}", headers=merchant.headers).json()
        assert len(body["transactions"]) == 1
        assert [h["status"] for h in body["status_history"]] == ["AwaitingArrival", "Arrived"]


def test_two_scans_of_the_same_shipment_build_one_return(api: Api) -> None:
    merchant, fc, first = api.setup()
    second = api.operator(fc["id"])
    product = api.product(merchant)
    for _ in range(ROUNDS):
        sent = shipment(api, merchant, fc["id"], [product])
        tracking = sent["tracking_number"]
        responses = at_once(
            [lambda who=who, tracking=tracking: scan(api, who, fc["id"], tracking) for who in (first, second)]
        )
        assert sorted(r.status_code for r in responses) == [201, 409]
        assert next(r for r in responses if r.status_code == 201).json()["outcome"] == "regular_created"
        listed = api.client.get(f"/api/v1/returns?original_shipment_id={sent['id']}", headers=merchant.headers).json()
        assert len(listed["items"]) == 1
