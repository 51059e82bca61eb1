"""The return status table: every allowed transition works, every other one is refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from boomerang.domain.errors import Conflict, InvalidTransition, ValidationFailed
from boomerang.domain.returns import (
    TRANSITIONS,
    ActionReason,
    ActionTaken,
    Channel,
    LineSpec,
    ReturnOrder,
    ReturnStatus,
    ReturnType,
    TakenAction,
)

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
EVENTS = ["cancel", "receive", "start_processing", "complete"]
ALLOWED = {
    (ReturnStatus.AwaitingArrival, "cancel"): ReturnStatus.Cancelled,
    (ReturnStatus.AwaitingArrival, "receive"): ReturnStatus.Arrived,
    (ReturnStatus.Arrived, "start_processing"): ReturnStatus.Processing,
    (ReturnStatus.Processing, "complete"): ReturnStatus.Completed,
}
DATE_FIELD = {
    ReturnStatus.Arrived: "arrived_date",
    ReturnStatus.Processing: "processing_date",
    ReturnStatus.Completed: "completed_date",
    ReturnStatus.Cancelled: "cancelled_date",
}
# How to bring a new return to each status through the table itself.
PATH = {
    ReturnStatus.AwaitingArrival: [],
    ReturnStatus.Arrived: ["receive"],
    ReturnStatus.Processing: ["receive", "start_processing"],
    ReturnStatus.Completed: ["receive", "start_processing", "complete"],
    ReturnStatus.Cancelled: ["cancel"],
}


def new_return(**overrides: object) -> ReturnOrder:
    values: dict[str, object] = {
        "id": "ret_1",
        "merchant_id": "mch_1",
        "fulfillment_center_id": "fc_1",
        "reference_id": "RMA-00001",
        "return_type": ReturnType.Regular,
        "channel": Channel.API,
        "lines": [LineSpec("prd_1", "SKU-1", "Mug", 2)],
        "line_ids": ["rl_1"],
        "actor": "merchant:mch_1",
        "now": NOW,
    }
    values.update(overrides)
    return ReturnOrder.create(**values)  # type: ignore[arg-type]


def fire(order: ReturnOrder, event: str) -> None:
    if event == "complete":
        decision = [ActionTaken(TakenAction.Restock, ActionReason.MerchantPreference, 2)]
        order.complete("operator:op_1", NOW, {line.id: decision for line in order.lines})
    else:
        getattr(order, event)("someone", NOW)


def in_status(status: ReturnStatus) -> ReturnOrder:
    order = new_return()
    for event in PATH[status]:
        fire(order, event)
    assert order.status is status
    return order


def test_table_is_exactly_the_documented_machine() -> None:
    assert {(None, "create"): ReturnStatus.AwaitingArrival, **ALLOWED} == TRANSITIONS


def test_a_new_return_awaits_arrival_with_one_history_entry() -> None:
    order = new_return()
    assert order.status is ReturnStatus.AwaitingArrival
    assert order.awaiting_arrival_date == NOW
    assert [(h.status, h.actor) for h in order.status_history] == [(ReturnStatus.AwaitingArrival, "merchant:mch_1")]
    assert [e.topic for e in order.events] == ["return.created"]


@pytest.mark.parametrize(("start", "event"), list(ALLOWED))
def test_allowed_transition_moves_status_stamps_date_and_appends_history(start: ReturnStatus, event: str) -> None:
    order = in_status(start)
    history_before = len(order.status_history)
    fire(order, event)
    target = ALLOWED[(start, event)]
    assert order.status is target
    assert getattr(order, DATE_FIELD[target]) == NOW
    assert len(order.status_history) == history_before + 1
    assert order.status_history[-1].status is target


FORBIDDEN = [(s, e) for s in ReturnStatus for e in EVENTS if (s, e) not in ALLOWED]


@pytest.mark.parametrize(("start", "event"), FORBIDDEN)
def test_forbidden_transition_raises_and_changes_nothing(start: ReturnStatus, event: str) -> None:
    order = in_status(start)
    history_before = list(order.status_history)
    with pytest.raises(Conflict) as raised:
        fire(order, event)
    if event == "receive" and start in (ReturnStatus.Arrived, ReturnStatus.Processing, ReturnStatus.Completed):
        assert raised.value.code == "already_arrived"
    else:
        assert isinstance(raised.value, InvalidTransition)
        assert raised.value.code == "invalid_transition"
    assert order.status is start
    assert order.status_history == history_before


def test_every_status_and_event_pair_is_covered() -> None:
    assert len(FORBIDDEN) + len(ALLOWED) == len(ReturnStatus) * len(EVENTS)


@pytest.mark.parametrize("status", [s for s in ReturnStatus if s is not ReturnStatus.AwaitingArrival])
def test_editing_is_refused_after_awaiting_arrival(status: ReturnStatus) -> None:
    order = in_status(status)
    with pytest.raises(Conflict) as raised:
        order.edit({"customer_name": "Ann"}, None, [])
    assert raised.value.code == "return_not_editable"
    assert order.customer_name is None


def test_editing_while_awaiting_arrival_changes_details_and_lines() -> None:
    order = new_return()
    order.edit({"customer_name": "Ann"}, [LineSpec("prd_2", "SKU-2", "Cup", 3)], ["rl_2"])
    assert order.customer_name == "Ann"
    assert [(line.id, line.quantity) for line in order.lines] == [("rl_2", 3)]


def test_lines_must_be_present_positive_and_distinct() -> None:
    with pytest.raises(ValidationFailed) as raised:
        new_return(lines=[], line_ids=[])
    assert raised.value.details[0].field == "inventory"
    lines = [LineSpec("prd_1", "A", "A", 0), LineSpec("prd_1", "A", "A", 1)]
    with pytest.raises(ValidationFailed) as raised:
        new_return(lines=lines, line_ids=["rl_1", "rl_2"])
    assert {d.field for d in raised.value.details} == {"inventory[0].quantity", "inventory[1]"}
