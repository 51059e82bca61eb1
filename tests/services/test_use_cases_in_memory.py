"""The main use cases, run on the in-memory unit of work (tests/support/fakes.py): no database, no HTTP."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from boomerang.bootstrap import make_uow_factory
from boomerang.config import Settings
from boomerang.domain.errors import Conflict, DomainError
from boomerang.domain.inventory import Bucket
from boomerang.domain.products import BackupAction, Product, ReturnPreferences
from boomerang.domain.returns import Inspection, ReturnStatus, TakenAction
from boomerang.domain.tenants import FulfillmentCenter, Merchant, Principal, Role
from boomerang.domain.work_orders import WorkOrderStatus, WorkOrderType
from boomerang.services import processing, products, receiving, returns, work_orders
from boomerang.services.auth import SYSTEM
from boomerang.services.returns import LineRequest
from boomerang.services.unit_of_work import UnitOfWork
from tests.support.fakes import FakeUnitOfWork, fake_clock

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MERCHANT = Principal(Role.Merchant, credential_id="key_1", name="Acme", merchant_id="mer_1")
OPERATOR = Principal(
    Role.Operator, credential_id="op_1", name="Dock", operator_id="op_1", fulfillment_center_ids=frozenset({"fc_1"})
)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork(MERCHANT, fake_clock(NOW))
    uow.tenants.add(Merchant("mer_1", "Acme", NOW))
    uow.tenants.add(FulfillmentCenter("fc_1", "Reno", "US", NOW))
    uow.products.add(Product("prd_1", "mer_1", "MUG-1", "Mug", NOW, NOW))
    return uow


def _create(uow: FakeUnitOfWork, reference_id: str = "RMA-0001", quantity: int = 2) -> str:
    with uow.as_principal(MERCHANT):
        view = returns.create_return_and_commit(
            uow,
            reference_id=reference_id,
            fulfillment_center_id="fc_1",
            lines=[LineRequest(quantity, sku="MUG-1")],
            tracking_number=f"1Z{reference_id}",
        )
    return view.order.id


def _arrive_and_start(uow: FakeUnitOfWork, return_id: str) -> None:
    with uow.as_principal(OPERATOR):
        receiving.receive(uow, fulfillment_center_id="fc_1", scanned=uow.returns.get(return_id).tracking_number or "")
    with uow.as_principal(OPERATOR):
        processing.start_processing(uow, return_id=return_id)


def _inspect(uow: FakeUnitOfWork, return_id: str, inspection: Inspection) -> None:
    line_id = uow.returns.get(return_id).lines[0].id
    with uow.as_principal(OPERATOR):
        processing.record_inspection(uow, return_id=return_id, line_id=line_id, inspection=inspection)


def test_a_new_return_awaits_arrival_and_announces_itself(uow: FakeUnitOfWork) -> None:
    return_id = _create(uow)

    assert uow.committed
    assert uow.returns.get(return_id).status is ReturnStatus.AwaitingArrival
    assert [event.topic for event in uow.events] == ["return.created"]


def test_a_reference_id_is_used_once_per_merchant(uow: FakeUnitOfWork) -> None:
    _create(uow, "RMA-0001")

    with pytest.raises(Conflict) as refused:
        _create(uow, "RMA-0001")

    assert refused.value.code == "duplicate_reference_id"


def test_cancelling_a_return_raises_its_version(uow: FakeUnitOfWork) -> None:
    return_id = _create(uow)

    with uow.as_principal(MERCHANT):
        view = returns.cancel_return(uow, return_id=return_id)

    assert view.order.status is ReturnStatus.Cancelled
    assert view.order.version == 2


def test_a_scanned_tracking_number_marks_its_return_arrived(uow: FakeUnitOfWork) -> None:
    return_id = _create(uow)

    with uow.as_principal(OPERATOR):
        receipt = receiving.receive(uow, fulfillment_center_id="fc_1", scanned="1ZRMA-0001")

    assert receipt.order is not None and receipt.order.id == return_id
    assert uow.returns.get(return_id).status is ReturnStatus.Arrived


def test_completing_a_return_restocks_what_passed_inspection(uow: FakeUnitOfWork) -> None:
    return_id = _create(uow)
    _arrive_and_start(uow, return_id)
    _inspect(uow, return_id, Inspection(quantity_received=2))

    with uow.as_principal(OPERATOR):
        view = processing.complete_return(uow, return_id=return_id)

    assert view.order.status is ReturnStatus.Completed
    assert [(e.bucket, e.quantity) for e in uow.ledger.entries] == [(Bucket.Sellable, 2)]


def test_failed_inspection_sends_units_to_backup_action(uow: FakeUnitOfWork) -> None:
    with uow.as_principal(MERCHANT):
        products.put_preferences(
            uow,
            product_id="prd_1",
            preferences=ReturnPreferences(inspection_steps=("Box sealed",), backup_action=BackupAction.Quarantine),
        )
    return_id = _create(uow)
    _arrive_and_start(uow, return_id)
    _inspect(uow, return_id, Inspection(quantity_received=2, step_results=(False,)))

    with uow.as_principal(OPERATOR):
        processing.complete_return(uow, return_id=return_id)

    actions = uow.returns.get(return_id).lines[0].actions_taken
    assert [a.action for a in actions] == [TakenAction.Quarantine]
    assert [(e.bucket, e.quantity) for e in uow.ledger.entries] == [(Bucket.Quarantine, 2)]


def test_preferences_put_by_the_merchant_are_marked_configured(uow: FakeUnitOfWork) -> None:
    with uow.as_principal(MERCHANT):
        product = products.put_preferences(uow, product_id="prd_1", preferences=ReturnPreferences())

    assert product.preferences.preferences_configured
    assert uow.committed


def _quarantine_two(uow: FakeUnitOfWork) -> None:
    test_failed_inspection_sends_units_to_backup_action(uow)


def test_a_disposal_work_order_reserves_quarantined_units(uow: FakeUnitOfWork) -> None:
    _quarantine_two(uow)

    with uow.as_principal(MERCHANT):
        view = work_orders.create_work_order(
            uow,
            type=WorkOrderType.Disposal,
            fulfillment_center_id="fc_1",
            items=[work_orders.ItemRequest("prd_1", 2)],
            ship_to=None,
        )

    assert view.order.status is WorkOrderStatus.Open
    assert uow.work_orders.reserved("mer_1", ["prd_1"], "fc_1") == {("mer_1", "prd_1", "fc_1", None, None): 2}


def test_a_work_order_cannot_reserve_more_than_is_quarantined(uow: FakeUnitOfWork) -> None:
    _quarantine_two(uow)

    with uow.as_principal(MERCHANT), pytest.raises(DomainError):
        work_orders.create_work_order(
            uow,
            type=WorkOrderType.Disposal,
            fulfillment_center_id="fc_1",
            items=[work_orders.ItemRequest("prd_1", 3)],
            ship_to=None,
        )


def test_completing_a_disposal_work_order_disposes_of_its_units(uow: FakeUnitOfWork) -> None:
    test_a_disposal_work_order_reserves_quarantined_units(uow)
    work_order_id = next(iter(uow.work_orders.seen))

    with uow.as_principal(OPERATOR):
        view = work_orders.complete_work_order(uow, work_order_id=work_order_id)

    assert view.order.status is WorkOrderStatus.Completed
    assert uow.ledger.positions(Bucket.Quarantine, product_ids=["prd_1"]) == []


def _journey(uow_for: Callable[[Principal], UnitOfWork]) -> tuple[ReturnStatus, list[str], list[tuple[Bucket, int]]]:
    """Create, receive, inspect (a failed step) and complete one return; what each storage ends with."""
    with uow_for(SYSTEM) as uow:
        uow.tenants.add(Merchant("mer_1", "Acme", NOW))
        uow.tenants.add(FulfillmentCenter("fc_1", "Reno", "US", NOW))
        uow.commit()
    with uow_for(MERCHANT) as uow:
        preferences = ReturnPreferences(inspection_steps=("Box sealed",), backup_action=BackupAction.Quarantine)
        product = Product("prd_1", "mer_1", "MUG-1", "Mug", NOW, NOW)
        product.set_preferences(preferences, NOW)
        uow.products.add(product)
        uow.commit()
    with uow_for(MERCHANT) as uow:
        return_id = returns.create_return_and_commit(
            uow,
            reference_id="RMA-0001",
            fulfillment_center_id="fc_1",
            lines=[LineRequest(2, sku="MUG-1")],
            tracking_number="1ZRMA-0001",
        ).order.id
    with uow_for(OPERATOR) as uow:
        receiving.receive(uow, fulfillment_center_id="fc_1", scanned="1ZRMA-0001")
    with uow_for(OPERATOR) as uow:
        order = processing.start_processing(uow, return_id=return_id).order
    with uow_for(OPERATOR) as uow:
        inspection = Inspection(quantity_received=2, step_results=(False,))
        processing.record_inspection(uow, return_id=return_id, line_id=order.lines[0].id, inspection=inspection)
    with uow_for(OPERATOR) as uow:
        done = processing.complete_return(uow, return_id=return_id).order
    with uow_for(SYSTEM) as uow:
        positions = uow.ledger.positions(Bucket.Quarantine, product_ids=["prd_1"])
    actions = [a.action.value for a in done.lines[0].actions_taken]
    return done.status, actions, [(Bucket.Quarantine, p.quantity) for p in positions]


def test_the_in_memory_unit_of_work_ends_where_the_database_does(
    session_factory: sessionmaker[Session], settings: Settings
) -> None:
    fake = FakeUnitOfWork(SYSTEM, fake_clock(NOW))
    on_the_database = make_uow_factory(session_factory, settings, fake_clock(NOW))

    in_memory = _journey(fake.as_principal)

    assert in_memory == _journey(on_the_database)
    assert in_memory == (ReturnStatus.Completed, ["Quarantine"], [(Bucket.Quarantine, 2)])
