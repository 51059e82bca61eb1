"""Work orders without a database: allocation across lots, destinations, the status table."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from boomerang.domain.addresses import Address
from boomerang.domain.errors import InvalidTransition, ValidationFailed
from boomerang.domain.work_orders import (
    Availability,
    WorkOrder,
    WorkOrderItem,
    WorkOrderStatus,
    WorkOrderType,
    allocate,
    validate_destination,
)

NOW = datetime(2026, 11, 27, tzinfo=UTC)
LOTS = [
    Availability("B", date(2027, 5, 1), 2),
    Availability(None, None, 1),
    Availability("A", date(2027, 1, 1), 5),
]


def _order(kind: WorkOrderType = WorkOrderType.Disposal) -> WorkOrder:
    return WorkOrder.open(
        id="wo_1",
        merchant_id="m",
        fulfillment_center_id="fc",
        type=kind,
        created_at=NOW,
        created_by="merchant:m",
        items=[WorkOrderItem("i1", "p", 3, "A")],
    )


def test_unlotted_units_go_first_then_the_earliest_expiry() -> None:
    taken = allocate(4, None, LOTS, "items[0].quantity")
    assert [(lot.lot_number, n) for lot, n in taken] == [(None, 1), ("A", 3)]


def test_a_named_lot_is_the_only_source() -> None:
    assert [(lot.lot_number, n) for lot, n in allocate(2, "B", LOTS, "q")] == [("B", 2)]
    with pytest.raises(ValidationFailed) as error:
        allocate(3, "B", LOTS, "q")
    assert error.value.code == "insufficient_quarantine_stock"


# one lot number that arrived with two expiration dates: two buckets, never merged
TWO_EXPIRIES = [
    Availability("L-7", date(2027, 9, 1), 4),
    Availability("L-7", date(2027, 3, 1), 2),
]


def test_a_lot_with_two_expiries_is_taken_earliest_expiry_first() -> None:
    taken = allocate(3, "L-7", TWO_EXPIRIES, "q")
    assert [(lot.lot_number, lot.expiration_date, n) for lot, n in taken] == [
        ("L-7", date(2027, 3, 1), 2),
        ("L-7", date(2027, 9, 1), 1),
    ]


def test_a_named_expiry_is_the_only_source_within_its_lot() -> None:
    taken = allocate(4, "L-7", TWO_EXPIRIES, "q", date(2027, 9, 1))
    assert [(lot.expiration_date, n) for lot, n in taken] == [(date(2027, 9, 1), 4)]
    with pytest.raises(ValidationFailed) as error:
        allocate(3, "L-7", TWO_EXPIRIES, "q", date(2027, 3, 1))
    assert error.value.code == "insufficient_quarantine_stock"


def test_removals_ship_only_within_the_fc_country() -> None:
    home = Address("X", "1 St", "Reno", "89501", "US")
    validate_destination(WorkOrderType.B2CRemoval, home, "US")
    with pytest.raises(ValidationFailed) as error:
        validate_destination(WorkOrderType.B2BRemoval, Address("X", "1 St", "Leeds", "LS1", "GB"), "US")
    assert error.value.code == "removal_country_mismatch"
    with pytest.raises(ValidationFailed):
        validate_destination(WorkOrderType.Disposal, home, "US")


def test_completion_moves_units_from_quarantine_to_the_destination_bucket() -> None:
    order = _order(WorkOrderType.B2CRemoval)
    entries = order.complete("operator:o", NOW, ["e1", "e2"])
    assert order.status is WorkOrderStatus.Completed
    assert [(e.bucket.value, e.quantity, e.lot_number) for e in entries] == [
        ("Quarantine", -3, "A"),
        ("Shipped", 3, "A"),
    ]
    assert [e.topic for e in order.events] == ["work_order.completed"]


def test_only_open_work_orders_change_status() -> None:
    order = _order()
    order.cancel(NOW)
    with pytest.raises(InvalidTransition):
        order.complete("operator:o", NOW, ["e1", "e2"])
    with pytest.raises(InvalidTransition):
        order.cancel(NOW)


def test_completing_with_fewer_units_picked_moves_only_those_and_records_them() -> None:
    order = _order()
    entries = order.complete("operator:o", NOW, [f"led{n}" for n in range(2)], picked={"i1": 2})
    assert [(e.bucket.value, e.quantity) for e in entries] == [("Quarantine", -2), ("Disposed", 2)]
    assert order.items[0].quantity_picked == 2 and order.units == 2


def test_nothing_picked_moves_nothing() -> None:
    order = _order()
    assert order.complete("operator:o", NOW, ["a", "b"], picked={"i1": 0}) == []
    assert order.status is WorkOrderStatus.Completed


@pytest.mark.parametrize("picked", [{"i1": 4}, {"i1": -1}, {"other": 1}])
def test_picking_more_than_reserved_or_an_unknown_item_is_refused_and_changes_nothing(picked: dict[str, int]) -> None:
    order = _order()
    with pytest.raises(ValidationFailed):
        order.complete("operator:o", NOW, ["a", "b"], picked=picked)
    assert order.status is WorkOrderStatus.Open and order.items[0].quantity_picked is None
