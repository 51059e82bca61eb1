"""Before the package arrives: the expected action (the decision table, flawless arrival) and the warnings."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import UTC, date, datetime
from typing import Any

import pytest

from boomerang.domain import disposition
from boomerang.domain.disposition import ExpectedDisposition, decide_disposition, expected_disposition
from boomerang.domain.products import Action, Category, Product, ReturnPreferences
from boomerang.domain.return_warnings import ReturnWarning, WarningCode, line_warnings, return_warnings
from boomerang.domain.returns import (
    ActionReason,
    Channel,
    Inspection,
    LineSpec,
    RequestedAction,
    ReturnOrder,
    ReturnType,
    TakenAction,
)

NOW = datetime(2026, 11, 27, 10, tzinfo=UTC)
CONFIGURED = {"preferences_configured": True}


def product(id: str = "prd_1", **fields: Any) -> Product:
    prefs = {**CONFIGURED, **fields.pop("prefs", {})}
    return Product(
        id=id,
        merchant_id="mch_1",
        sku=f"SKU-{id}",
        name="Thing",
        created_at=NOW,
        updated_at=NOW,
        preferences=ReturnPreferences(**prefs),
        **fields,
    )


def order(
    *products: Product,
    return_type: ReturnType = ReturnType.Regular,
    requested: RequestedAction = RequestedAction.Default,
) -> ReturnOrder:
    return ReturnOrder.create(
        id="ret_1",
        merchant_id="mch_1",
        fulfillment_center_id="fc_1",
        reference_id="RMA-00001",
        return_type=return_type,
        channel=Channel.API,
        lines=[LineSpec(p.id, p.sku, p.name, 2, requested) for p in products],
        line_ids=[f"rl_{p.id}" for p in products],
        actor="merchant:mch_1",
        now=NOW,
    )


def codes(order_: ReturnOrder, *products: Product) -> list[str]:
    return [w.code.value for w in return_warnings(order_, {p.id: p for p in products})]


# --- expected action -----------------------------------------------------------------------------


def test_ineligible_category_is_expected_to_be_disposed_from_creation_on() -> None:
    item = product(category=Category.Medicine, prefs={"return_action": Action.Restock})
    assert expected_disposition(item, ReturnType.Regular, None) == ExpectedDisposition(
        TakenAction.Dispose, ActionReason.IneligibleCategory
    )


@pytest.mark.parametrize(
    ("prefs", "return_type", "override", "expected"),
    [
        ({}, ReturnType.Regular, None, TakenAction.Restock),
        ({"return_action": Action.Quarantine}, ReturnType.Regular, None, TakenAction.Quarantine),
        ({"rts_action": Action.Dispose}, ReturnType.ReturnToSender, None, TakenAction.Dispose),
        ({"rts_action": Action.Dispose}, ReturnType.Regular, None, TakenAction.Restock),
        ({"return_action": Action.Restock}, ReturnType.Regular, Action.Quarantine, TakenAction.Quarantine),
        ({"inspection_steps": ("Sealed", "Clean")}, ReturnType.Regular, None, TakenAction.Restock),
    ],
)
def test_expected_action_is_the_merchants_choice_when_everything_passes(
    prefs: dict[str, Any], return_type: ReturnType, override: Action | None, expected: TakenAction
) -> None:
    assert expected_disposition(product(prefs=prefs), return_type, override) == ExpectedDisposition(
        expected, ActionReason.MerchantPreference
    )


def test_a_lot_tracked_product_is_expected_to_restock_with_fresh_documented_lots() -> None:
    item = product(is_lot_tracked=True, minimum_shelf_life_days=3650)
    assert expected_disposition(item, ReturnType.Regular, None).action is TakenAction.Restock


GRID = list(
    itertools.product(
        [Category.General, Category.Food],
        [False, True],  # lot-tracked
        [(), ("a", "b")],  # inspection steps
        list(Action),  # return action
        list(Action),  # RTS action
        list(ReturnType),
        [None, *Action],  # override
    )
)


@pytest.mark.parametrize(("category", "lot", "steps", "ret", "rts", "kind", "override"), GRID)
def test_expected_action_is_what_completion_decides_for_a_flawless_arrival(
    category: Category, lot: bool, steps: tuple[str, ...], ret: Action, rts: Action, kind: ReturnType, override: Any
) -> None:
    item = product(
        category=category,
        is_lot_tracked=lot,
        minimum_shelf_life_days=90,
        prefs={"inspection_steps": steps, "return_action": ret, "rts_action": rts},
    )
    flawless = Inspection(
        quantity_received=3,
        step_results=(True,) * len(steps),
        lot_number="L-1" if lot else None,
        expiration_date=date(2030, 1, 1) if lot else None,
        photo_ids=("pho_1",) if lot else (),
    )
    (decided,) = decide_disposition(
        product=item,
        return_type=kind,
        override=override,
        quantity=3,
        inspection=flawless,
        receipt_date=date(2026, 11, 27),
    )
    expected = expected_disposition(item, kind, override)
    assert (expected.action, expected.reason) == (decided.action, decided.action_reason)


def test_expected_action_comes_from_the_decision_table_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    # Change the table's answer and the expectation follows: nothing re-implements the rules.
    monkeypatch.setattr(disposition, "_decide_received", lambda *_: (TakenAction.Quarantine, ActionReason.ShelfLife))
    assert expected_disposition(product(), ReturnType.Regular, None) == ExpectedDisposition(
        TakenAction.Quarantine, ActionReason.ShelfLife
    )


# --- warnings ------------------------------------------------------------------------------------


def test_an_ordinary_configured_product_has_no_warnings() -> None:
    item = product()
    assert codes(order(item), item) == []


def test_an_ineligible_category_warns_that_units_will_be_disposed() -> None:
    item = product(category=Category.Food, is_lot_tracked=True)
    (warning,) = return_warnings(order(item), {item.id: item})
    assert warning == ReturnWarning(WarningCode.ineligible_category, warning.message, "rl_prd_1")
    assert "disposed on receipt" in warning.message  # and no restock warning: these units are never restocked


@pytest.mark.parametrize("flag", ["is_lot_tracked", "is_kitted", "is_sioc"])
def test_a_special_product_that_restocks_is_not_advised(flag: str) -> None:
    item = product(**{flag: True})
    assert codes(order(item), item) == ["restock_not_advised"]


@pytest.mark.parametrize(
    ("return_type", "prefs", "warned"),
    [
        (ReturnType.Regular, {"return_action": Action.Restock, "rts_action": Action.Dispose}, True),
        (ReturnType.Regular, {"return_action": Action.Quarantine, "rts_action": Action.Restock}, False),
        (ReturnType.ReturnToSender, {"return_action": Action.Quarantine, "rts_action": Action.Restock}, True),
        (ReturnType.ReturnToSender, {"return_action": Action.Restock, "rts_action": Action.Dispose}, False),
    ],
)
def test_restock_advice_follows_the_action_that_applies_to_the_return_type(
    return_type: ReturnType, prefs: dict[str, Any], warned: bool
) -> None:
    item = product(is_kitted=True, prefs=prefs)
    assert ("restock_not_advised" in codes(order(item, return_type=return_type), item)) is warned


def test_an_override_away_from_restock_silences_the_restock_advice() -> None:
    item = product(is_lot_tracked=True)
    assert codes(order(item, requested=RequestedAction.Quarantine), item) == []
    assert codes(order(item, requested=RequestedAction.Restock), item) == ["restock_not_advised"]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"is_dangerous_goods": True}, ["dangerous_goods_prepaid_only"]),
        ({"category": Category.HazardousMaterials}, ["ineligible_category", "dangerous_goods_prepaid_only"]),
    ],
)
def test_dangerous_goods_warn_that_only_prepaid_labels_fit(fields: dict[str, Any], expected: list[str]) -> None:
    item = product(**fields)
    assert codes(order(item), item) == expected


def test_unconfigured_preferences_warn_that_defaults_apply() -> None:
    item = dataclasses.replace(product(), preferences=ReturnPreferences())
    assert codes(order(item), item) == ["preferences_not_configured"]


def test_warnings_name_their_line_in_line_order() -> None:
    plain, hazmat, kit = product("a"), product("b", is_dangerous_goods=True), product("c", is_kitted=True)
    both = order(plain, hazmat, kit)
    warnings = return_warnings(both, {p.id: p for p in (plain, hazmat, kit)})
    assert [(w.line_id, w.code.value) for w in warnings] == [
        ("rl_b", "dangerous_goods_prepaid_only"),
        ("rl_c", "restock_not_advised"),
    ]
    assert warnings == line_warnings(both, both.lines[1], hazmat) + line_warnings(both, both.lines[2], kit)


def test_a_warning_is_a_value() -> None:
    warning = ReturnWarning(WarningCode.restock_not_advised, "m", "rl_1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        warning.code = WarningCode.ineligible_category  # type: ignore[misc]
    assert warning == ReturnWarning(WarningCode.restock_not_advised, "m", "rl_1")
