"""The disposition decision table (DESIGN.md), one case per row and per interaction between rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from boomerang.domain.disposition import decide_disposition, decide_return, validate_inspection
from boomerang.domain.errors import Conflict, InvalidTransition, ValidationFailed
from boomerang.domain.products import Action, BackupAction, Category, Product, ReturnPreferences
from boomerang.domain.returns import (
    ActionReason,
    ActionTaken,
    Channel,
    Inspection,
    LineSpec,
    ReturnLine,
    ReturnOrder,
    ReturnType,
    TakenAction,
)

RECEIPT = date(2026, 11, 27)
NOW = datetime(2026, 11, 27, 10, tzinfo=UTC)
R, Q, D, M = TakenAction.Restock, TakenAction.Quarantine, TakenAction.Dispose, TakenAction.Missing


def product(**fields: Any) -> Product:
    prefs = fields.pop("prefs", {})
    return Product(
        id="prd_1",
        merchant_id="mch_1",
        sku="SKU-1",
        name="Thing",
        created_at=NOW,
        updated_at=NOW,
        preferences=ReturnPreferences(**prefs),
        **fields,
    )


GOOD_LOT = {"lot_number": "L-1", "expiration_date": RECEIPT + timedelta(days=400), "photo_ids": ("pho_1",)}
LOT = {"is_lot_tracked": True, "minimum_shelf_life_days": 90}


@dataclass
class Case:
    product: dict[str, Any]
    expected: tuple[TakenAction, ActionReason]
    inspection: dict[str, Any] = field(default_factory=dict)
    return_type: ReturnType = ReturnType.Regular
    override: Action | None = None


CASES = {
    # row 1
    "ineligible_category_is_disposed": Case({"category": Category.Food}, (D, ActionReason.IneligibleCategory)),
    "ineligible_wins_over_a_restock_override": Case(
        {"category": Category.Medicine}, (D, ActionReason.IneligibleCategory), override=Action.Restock
    ),
    "ineligible_wins_over_a_quarantine_preference": Case(
        {"category": Category.HazardousMaterials, "prefs": {"return_action": Action.Quarantine}},
        (D, ActionReason.IneligibleCategory),
    ),
    "ineligible_wins_over_a_failed_step": Case(
        {"category": Category.IntimateGoods, "prefs": {"inspection_steps": ("ok",)}},
        (D, ActionReason.IneligibleCategory),
        {"step_results": (False,)},
    ),
    # row 2
    "quarantine_preference": Case(
        {"prefs": {"return_action": Action.Quarantine}}, (Q, ActionReason.MerchantPreference)
    ),
    "dispose_preference": Case({"prefs": {"return_action": Action.Dispose}}, (D, ActionReason.MerchantPreference)),
    "rts_uses_the_rts_action": Case(
        {"prefs": {"return_action": Action.Restock, "rts_action": Action.Dispose}},
        (D, ActionReason.MerchantPreference),
        return_type=ReturnType.ReturnToSender,
    ),
    "rts_ignores_a_return_only_preference": Case(
        {"prefs": {"return_action": Action.Quarantine, "rts_action": Action.Restock}},
        (R, ActionReason.MerchantPreference),
        return_type=ReturnType.ReturnToSender,
    ),
    "override_beats_the_preference": Case(
        {"prefs": {"return_action": Action.Restock}}, (Q, ActionReason.MerchantPreference), override=Action.Quarantine
    ),
    "override_beats_the_rts_preference": Case(
        {"prefs": {"rts_action": Action.Quarantine}},
        (D, ActionReason.MerchantPreference),
        return_type=ReturnType.ReturnToSender,
        override=Action.Dispose,
    ),
    "restock_override_beats_a_quarantine_preference": Case(
        {"prefs": {"return_action": Action.Quarantine}}, (R, ActionReason.MerchantPreference), override=Action.Restock
    ),
    "quarantine_preference_skips_failed_inspection": Case(
        {"prefs": {"return_action": Action.Quarantine, "inspection_steps": ("a",)}},
        (Q, ActionReason.MerchantPreference),
        {"step_results": (False,)},
    ),
    "dispose_preference_skips_lot_checks": Case(
        {**LOT, "prefs": {"return_action": Action.Dispose}}, (D, ActionReason.MerchantPreference)
    ),
    # row 3
    "failed_step_goes_to_backup_quarantine": Case(
        {"prefs": {"inspection_steps": ("a", "b")}}, (Q, ActionReason.FailedInspection), {"step_results": (True, False)}
    ),
    "failed_step_goes_to_backup_dispose": Case(
        {"prefs": {"inspection_steps": ("a",), "backup_action": BackupAction.Dispose}},
        (D, ActionReason.FailedInspection),
        {"step_results": (False,)},
    ),
    "failed_step_wins_over_unclear_instructions": Case(
        {"prefs": {"inspection_steps": ("a",)}},
        (Q, ActionReason.FailedInspection),
        {"step_results": (False,), "instructions_unclear": True},
    ),
    "failed_step_wins_over_shelf_life": Case(
        {**LOT, "prefs": {"inspection_steps": ("a",)}},
        (Q, ActionReason.FailedInspection),
        {**GOOD_LOT, "step_results": (False,), "expiration_date": RECEIPT - timedelta(days=1)},
    ),
    # row 4
    "unclear_instructions_go_to_backup": Case(
        {"prefs": {"inspection_steps": ("a",), "backup_action": BackupAction.Dispose}},
        (D, ActionReason.UnclearInstructions),
        {"step_results": (True,), "instructions_unclear": True},
    ),
    "unclear_wins_over_unverified_lot": Case(
        LOT, (Q, ActionReason.UnclearInstructions), {"instructions_unclear": True}
    ),
    # row 5
    "expired_lot_goes_to_backup": Case(
        LOT, (Q, ActionReason.ShelfLife), {**GOOD_LOT, "expiration_date": RECEIPT - timedelta(days=1)}
    ),
    "lot_expiring_within_the_minimum_shelf_life_goes_to_backup": Case(
        LOT, (Q, ActionReason.ShelfLife), {**GOOD_LOT, "expiration_date": RECEIPT + timedelta(days=89)}
    ),
    "lot_at_exactly_the_minimum_shelf_life_is_restocked": Case(
        LOT, (R, ActionReason.MerchantPreference), {**GOOD_LOT, "expiration_date": RECEIPT + timedelta(days=90)}
    ),
    "lot_expiring_on_the_receipt_day_without_minimum_is_restocked": Case(
        {"is_lot_tracked": True}, (R, ActionReason.MerchantPreference), {**GOOD_LOT, "expiration_date": RECEIPT}
    ),
    "shelf_life_wins_over_a_missing_photo": Case(
        LOT, (Q, ActionReason.ShelfLife), {**GOOD_LOT, "expiration_date": RECEIPT, "photo_ids": ()}
    ),
    "shelf_life_is_ignored_for_products_without_lots": Case(
        {"minimum_shelf_life_days": 90}, (R, ActionReason.MerchantPreference)
    ),
    # row 6
    "lot_without_photo_is_unverified": Case(LOT, (Q, ActionReason.LotUnverified), {**GOOD_LOT, "photo_ids": ()}),
    "lot_without_number_is_unverified": Case(LOT, (Q, ActionReason.LotUnverified), {**GOOD_LOT, "lot_number": None}),
    "lot_without_expiry_is_unverified": Case(
        {**LOT, "prefs": {"backup_action": BackupAction.Dispose}},
        (D, ActionReason.LotUnverified),
        {**GOOD_LOT, "expiration_date": None},
    ),
    # row 7
    "default_preferences_restock": Case({}, (R, ActionReason.MerchantPreference)),
    "passed_steps_restock": Case(
        {"prefs": {"inspection_steps": ("a", "b", "c")}},
        (R, ActionReason.MerchantPreference),
        {"step_results": (True,) * 3},
    ),
    "verified_fresh_lot_restocks": Case(LOT, (R, ActionReason.MerchantPreference), GOOD_LOT),
    "kitted_and_sioc_products_follow_their_preference": Case(
        {"is_kitted": True, "is_sioc": True}, (R, ActionReason.MerchantPreference)
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_decision_table(case: Case) -> None:
    inspection = Inspection(quantity_received=2, **case.inspection)
    actions = decide_disposition(
        product=product(**case.product),
        return_type=case.return_type,
        override=case.override,
        quantity=2,
        inspection=inspection,
        receipt_date=RECEIPT,
    )
    assert [(a.action, a.action_reason, a.quantity_processed) for a in actions] == [(*case.expected, 2)]


def test_units_not_received_are_missing() -> None:
    actions = decide_disposition(
        product=product(),
        return_type=ReturnType.Regular,
        override=None,
        quantity=5,
        inspection=Inspection(quantity_received=3),
        receipt_date=RECEIPT,
    )
    assert actions == [
        ActionTaken(R, ActionReason.MerchantPreference, 3),
        ActionTaken(M, ActionReason.NotReceived, 2),
    ]


def test_nothing_received_is_all_missing_even_for_ineligible_products() -> None:
    actions = decide_disposition(
        product=product(category=Category.Food),
        return_type=ReturnType.Regular,
        override=None,
        quantity=2,
        inspection=Inspection(quantity_received=0),
        receipt_date=RECEIPT,
    )
    assert actions == [ActionTaken(M, ActionReason.NotReceived, 2)]


def test_restocked_lot_units_carry_their_lot_data_and_photos() -> None:
    (action,) = decide_disposition(
        product=product(**LOT),
        return_type=ReturnType.Regular,
        override=None,
        quantity=1,
        inspection=Inspection(quantity_received=1, **GOOD_LOT),
        receipt_date=RECEIPT,
    )
    assert (action.lot_number, action.expiration_date, action.photo_ids) == (
        "L-1",
        GOOD_LOT["expiration_date"],
        ("pho_1",),
    )


def _line(quantity: int = 2) -> ReturnLine:
    return ReturnLine(id="rl_1", product_id="prd_1", sku="SKU-1", name="Thing", quantity=quantity)


@pytest.mark.parametrize(
    ("fields", "product_fields", "bad_field"),
    [
        ({"quantity_received": 3}, {}, "quantity_received"),
        ({"quantity_received": -1}, {}, "quantity_received"),
        ({"quantity_received": 1, "step_results": (True,)}, {}, "step_results"),
        ({"quantity_received": 1}, {"prefs": {"inspection_steps": ("a", "b")}}, "step_results"),
        ({"quantity_received": 1, "lot_number": "L-1"}, {}, "lot_number"),
        ({"quantity_received": 1, "expiration_date": RECEIPT}, {}, "expiration_date"),
        ({"quantity_received": 1, "lot_number": " "}, LOT, "lot_number"),
        ({"quantity_received": 1, "photo_ids": ("p", "p")}, {}, "photo_ids"),
    ],
)
def test_an_inspection_that_does_not_fit_the_line_is_rejected(
    fields: dict[str, Any], product_fields: dict[str, Any], bad_field: str
) -> None:
    with pytest.raises(ValidationFailed) as error:
        validate_inspection(product(**product_fields), _line(), Inspection(**fields))
    assert bad_field in [d.field for d in error.value.details]


def test_an_inspection_within_bounds_is_accepted() -> None:
    validate_inspection(product(**LOT), _line(), Inspection(quantity_received=0))
    validate_inspection(product(**LOT), _line(), Inspection(quantity_received=2, **GOOD_LOT))


def _order() -> ReturnOrder:
    order = ReturnOrder.create(
        id="ret_1",
        merchant_id="mch_1",
        fulfillment_center_id="fc_1",
        reference_id="RMA-00001",
        return_type=ReturnType.Regular,
        channel=Channel.API,
        lines=[LineSpec("prd_1", "SKU-1", "Thing", 2)],
        line_ids=["rl_1"],
        actor="merchant:mch_1",
        now=NOW,
    )
    order.receive("operator:op", NOW)
    return order


def test_inspections_are_recorded_only_while_processing() -> None:
    order = _order()
    with pytest.raises(InvalidTransition):
        order.record_inspection("rl_1", Inspection(quantity_received=1))
    order.start_processing("operator:op", NOW)
    order.record_inspection("rl_1", Inspection(quantity_received=1))
    assert order.lines[0].quantity_received == 1
    assert [e.topic for e in order.events][-1] == "return.updated"


def test_completing_needs_an_inspection_on_every_line() -> None:
    order = _order()
    order.start_processing("operator:op", NOW)
    with pytest.raises(Conflict) as error:
        decide_return(order, {"prd_1": product()})
    assert error.value.code == "inspection_missing"


def test_a_return_not_processing_cannot_be_decided() -> None:
    with pytest.raises(InvalidTransition):
        decide_return(_order(), {"prd_1": product()})


def test_decisions_use_the_arrival_date_as_receipt_date() -> None:
    order = _order()
    order.arrived_date = datetime(2027, 3, 1, 23, tzinfo=UTC)
    order.start_processing("operator:op", NOW)
    expiry = date(2027, 3, 1) + timedelta(days=89)
    order.record_inspection("rl_1", Inspection(quantity_received=2, **{**GOOD_LOT, "expiration_date": expiry}))
    decisions = decide_return(order, {"prd_1": product(**LOT)})
    assert [(a.action, a.action_reason) for a in decisions["rl_1"]] == [(Q, ActionReason.ShelfLife)]
