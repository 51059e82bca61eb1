"""The station's use cases on a real database: the live decision is the completion's decision, a
completion is all or nothing, and stale pages and a second operator are told what happened."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from boomerang.bootstrap import make_uow_factory
from boomerang.config import Settings
from boomerang.domain.errors import Conflict, PreconditionFailed, ValidationFailed
from boomerang.domain.returns import ActionReason, ReturnStatus, TakenAction
from boomerang.domain.service_levels import TargetState
from boomerang.domain.tenants import Principal, Role
from boomerang.services import station
from boomerang.services.station import LineFacts
from boomerang.services.unit_of_work import UnitOfWork
from tests.api.dock import arrived, image_bytes, processing
from tests.support.builders import Api, FrozenClock, Operator


@pytest.fixture
def as_operator(session_factory: sessionmaker[Session], clock: FrozenClock, settings: Settings) -> Any:
    def uow(operator: Operator) -> UnitOfWork:
        principal = Principal(
            Role.Operator,
            "test",
            "Dock",
            operator_id=operator.id,
            fulfillment_center_ids=frozenset(operator.fulfillment_center_ids),
        )
        return make_uow_factory(session_factory, settings, clock)(principal)

    return uow


STEPS = {"return_action": "Restock", "backup_action": "Quarantine", "inspection_steps": ["Seal intact", "No stains"]}


def product_with(api: Api, merchant: Any, prefs: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    product = api.product(merchant, **fields)
    if prefs:
        url = f"/api/v1/products/{product['id']}/return-preferences"
        assert api.client.put(url, json=prefs, headers=merchant.headers).status_code == 200
    return product


def test_a_failed_step_previews_the_backup_action_before_the_other_step_is_answered(api: Api, as_operator) -> None:  # type: ignore[no-untyped-def]
    merchant, fc, operator = api.setup()
    order = processing(api, operator, api.return_order(merchant, fc["id"], [product_with(api, merchant, STEPS)]))
    line_id = order["inventory"][0]["id"]
    with as_operator(operator) as uow:
        pending = station.preview_line(
            uow, return_id=order["id"], line_id=line_id, facts=LineFacts(1, step_answers=(True, None))
        )
        failed = station.preview_line(
            uow, return_id=order["id"], line_id=line_id, facts=LineFacts(1, step_answers=(False, None))
        )
    assert pending.actions == () and pending.unanswered_steps == (2,)
    assert [(a.action, a.action_reason) for a in failed.actions] == [
        (TakenAction.Quarantine, ActionReason.FailedInspection)
    ]


def test_a_lot_expiring_inside_the_shelf_life_previews_the_backup_action(api: Api, as_operator, clock) -> None:  # type: ignore[no-untyped-def]
    merchant, fc, operator = api.setup()
    lot = product_with(api, merchant, {"backup_action": "Dispose"}, is_lot_tracked=True, minimum_shelf_life_days=90)
    order = processing(api, operator, api.return_order(merchant, fc["id"], [lot]))
    facts = LineFacts(1, lot_number="L-1", expiration_date=clock.now.date() + timedelta(days=30), photo_ids=("x",))
    with as_operator(operator) as uow:
        preview = station.preview_line(uow, return_id=order["id"], line_id=order["inventory"][0]["id"], facts=facts)
    assert [(a.action, a.action_reason) for a in preview.actions] == [(TakenAction.Dispose, ActionReason.ShelfLife)]


def test_facts_that_do_not_fit_the_line_are_problems_not_a_decision(api: Api, as_operator) -> None:  # type: ignore[no-untyped-def]
    merchant, fc, operator = api.setup()
    order = processing(api, operator, api.return_order(merchant, fc["id"]))
    with as_operator(operator) as uow:
        preview = station.preview_line(
            uow, return_id=order["id"], line_id=order["inventory"][0]["id"], facts=LineFacts(5)
        )
    assert preview.actions == () and [p.field for p in preview.problems] == ["quantity_received"]


def test_completion_records_what_the_preview_showed_and_the_new_photos(api: Api, as_operator, clock) -> None:  # type: ignore[no-untyped-def]
    merchant, fc, operator = api.setup()
    steps, lot = product_with(api, merchant, STEPS), product_with(api, merchant, is_lot_tracked=True)
    order = processing(api, operator, api.return_order(merchant, fc["id"], [steps, lot]))
    first, second = (line["id"] for line in order["inventory"])
    facts = {
        first: LineFacts(1, step_answers=(True, False)),
        second: LineFacts(1, lot_number="L-9", expiration_date=date(2030, 1, 1)),
    }
    with as_operator(operator) as uow:
        previews = {
            line: station.preview_line(uow, return_id=order["id"], line_id=line, facts=f) for line, f in facts.items()
        }
    with as_operator(operator) as uow:
        done = station.complete_from_station(
            uow, return_id=order["id"], version=order["version"], facts=facts, new_photos={second: [image_bytes()]}
        )
        assert done.status is ReturnStatus.Completed
    final = api.client.get(f"/api/v1/returns/{order['id']}", headers=merchant.headers).json()
    taken = {line["id"]: line["actions_taken"] for line in final["inventory"]}
    assert [(a["action"], a["action_reason"]) for a in taken[first]] == [
        (a.action.value, a.action_reason.value) for a in previews[first].actions
    ]
    # the preview had no photo yet (LotUnverified); the uploaded photo makes the lot verified: Restock
    assert previews[second].actions[0].action_reason is ActionReason.LotUnverified
    assert taken[second][0]["action"] == "Restock" and len(taken[second][0]["photo_ids"]) == 1


def test_an_unanswered_step_blocks_completion_and_nothing_is_written(api: Api, as_operator) -> None:  # type: ignore[no-untyped-def]
    merchant, fc, operator = api.setup()
    order = processing(api, operator, api.return_order(merchant, fc["id"], [product_with(api, merchant, STEPS)]))
    line_id = order["inventory"][0]["id"]
    with as_operator(operator) as uow, pytest.raises(ValidationFailed) as raised:
        station.complete_from_station(
            uow,
            return_id=order["id"],
            version=order["version"],
            facts={line_id: LineFacts(1, step_answers=(True, None))},
            new_photos={line_id: [image_bytes()]},
        )
    assert raised.value.code == "inspection_missing" and "answer step 2" in raised.value.details[0].message
    after = api.client.get(f"/api/v1/returns/{order['id']}", headers=merchant.headers).json()
    assert after["status"] == "Processing" and after["version"] == order["version"]
    assert after["inventory"][0]["quantity_received"] is None
    with as_operator(operator) as uow:
        assert station.return_to_process(uow, return_id=order["id"]).photo_ids == ()


def test_a_second_operator_is_told_who_completed_the_return_first(api: Api, as_operator) -> None:  # type: ignore[no-untyped-def]
    merchant, fc, operator = api.setup()
    colleague = api.operator(fc["id"])
    order = processing(api, operator, api.return_order(merchant, fc["id"]))
    facts = {order["inventory"][0]["id"]: LineFacts(1)}
    with as_operator(operator) as uow:
        station.complete_from_station(uow, return_id=order["id"], version=order["version"], facts=facts, new_photos={})
    with as_operator(colleague) as uow, pytest.raises(Conflict) as raised:
        station.complete_from_station(uow, return_id=order["id"], version=order["version"], facts=facts, new_photos={})
    assert raised.value.code == "already_completed" and f"operator:{operator.id}" in raised.value.message


def test_a_page_older_than_the_return_is_stale(api: Api, as_operator) -> None:  # type: ignore[no-untyped-def]
    merchant, fc, operator = api.setup()
    order = processing(api, operator, api.return_order(merchant, fc["id"]))
    line_id = order["inventory"][0]["id"]
    body = {"quantity_received": 0, "step_results": [], "instructions_unclear": False, "photo_ids": []}
    url = f"/api/v1/returns/{order['id']}/inventory/{line_id}/inspection"
    assert api.client.put(url, json=body, headers=operator.headers).status_code == 200
    with as_operator(operator) as uow, pytest.raises(PreconditionFailed):
        station.complete_from_station(
            uow, return_id=order["id"], version=order["version"], facts={line_id: LineFacts(1)}, new_photos={}
        )


def test_the_queue_lists_the_longest_waiting_first_with_business_day_age(api: Api, as_operator, clock) -> None:  # type: ignore[no-untyped-def]
    merchant, fc, operator = api.setup()
    old = arrived(api, operator, api.return_order(merchant, fc["id"]))
    clock.advance(days=12)
    new = arrived(api, operator, api.return_order(merchant, fc["id"]))
    api.return_order(merchant, fc["id"])  # still awaiting arrival: not in the queue
    with as_operator(operator) as uow:  # read models are read inside their unit of work, as pages do
        queue = station.processing_queue(uow, fulfillment_center_id=fc["id"])
        assert [(e.order.id, e.target) for e in queue] == [
            (old["id"], TargetState.NearTarget),
            (new["id"], TargetState.OnTrack),
        ]
        assert queue[0].age_business_days == 8
