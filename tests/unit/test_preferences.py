"""Return preferences: defaults, limits, configured flag, ineligible categories and advice."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from boomerang.domain.errors import ValidationFailed
from boomerang.domain.products import (
    INELIGIBLE_CATEGORIES,
    INSPECTION_LIMITATIONS,
    Action,
    BackupAction,
    Category,
    Product,
    ReturnPreferences,
)

NOW = datetime(2026, 11, 27, tzinfo=UTC)


def product(**fields: object) -> Product:
    return Product(id="prd_1", merchant_id="mch_1", sku="SKU-1", name="Mug", created_at=NOW, updated_at=NOW, **fields)  # type: ignore[arg-type]


def test_defaults_are_restock_restock_quarantine_no_steps_unconfigured() -> None:
    prefs = ReturnPreferences()
    assert prefs.return_action is Action.Restock
    assert prefs.rts_action is Action.Restock
    assert prefs.backup_action is BackupAction.Quarantine
    assert prefs.inspection_steps == ()
    assert prefs.preferences_configured is False


def test_a_new_product_uses_the_default_preferences() -> None:
    assert product().preferences == ReturnPreferences()


def test_backup_action_cannot_be_restock() -> None:
    assert {a.value for a in BackupAction} == {"Quarantine", "Dispose"}


@pytest.mark.parametrize("count", [0, 1, 2, 3])
def test_zero_to_three_steps_are_allowed(count: int) -> None:
    steps = tuple(f"step {i}" for i in range(count))
    assert ReturnPreferences(inspection_steps=steps).inspection_steps == steps


def test_four_steps_are_refused() -> None:
    with pytest.raises(ValidationFailed) as raised:
        ReturnPreferences(inspection_steps=("a", "b", "c", "d"))
    assert [d.field for d in raised.value.details] == ["inspection_steps"]


@pytest.mark.parametrize("length", [1, 200])
def test_steps_of_one_to_two_hundred_characters_are_allowed(length: int) -> None:
    assert ReturnPreferences(inspection_steps=("x" * length,)).inspection_steps == ("x" * length,)


@pytest.mark.parametrize("step", ["", "   ", "x" * 201])
def test_empty_blank_or_too_long_steps_are_refused_by_position(step: str) -> None:
    with pytest.raises(ValidationFailed) as raised:
        ReturnPreferences(inspection_steps=("fine", step))
    assert [d.field for d in raised.value.details] == ["inspection_steps[1]"]


def test_saving_preferences_marks_them_configured() -> None:
    item = product()
    item.set_preferences(ReturnPreferences(return_action=Action.Dispose), NOW)
    assert item.preferences.preferences_configured is True
    assert item.preferences.return_action is Action.Dispose


def test_every_category_but_general_is_ineligible() -> None:
    assert frozenset(Category) - {Category.General} == INELIGIBLE_CATEGORIES
    assert not product().is_ineligible
    assert all(product(category=c).is_ineligible for c in INELIGIBLE_CATEGORIES)


@pytest.mark.parametrize("flag", ["is_lot_tracked", "is_kitted", "is_sioc"])
def test_special_products_that_restock_get_advice_not_a_block(flag: str) -> None:
    item = product(**{flag: True})
    assert "restock_not_advised" in {a.code for a in item.advice()}
    item.set_preferences(ReturnPreferences(return_action=Action.Quarantine, rts_action=Action.Dispose), NOW)
    assert [a.code for a in item.advice()] == []


@pytest.mark.parametrize(
    ("return_action", "rts_action", "named"),
    [
        (Action.Restock, Action.Quarantine, "the return action is Restock"),
        (Action.Quarantine, Action.Restock, "the RTS action is Restock"),
        (Action.Restock, Action.Restock, "the return and RTS action is Restock"),
    ],
)
def test_advice_covers_the_return_and_the_rts_action(return_action: Action, rts_action: Action, named: str) -> None:
    item = product(is_lot_tracked=True)
    item.set_preferences(ReturnPreferences(return_action=return_action, rts_action=rts_action), NOW)
    (advice,) = item.advice()
    assert advice.code == "restock_not_advised"
    assert named in advice.message and "lot-tracked" in advice.message


def test_ordinary_products_that_restock_get_no_advice() -> None:
    item = product()
    item.set_preferences(ReturnPreferences(), NOW)
    assert item.advice() == []


def test_the_inspection_limitations_are_the_seven_things_the_warehouse_cannot_do() -> None:
    assert [limit.lower() for limit in INSPECTION_LIMITATIONS] == [
        "plug in electronic devices",
        "disassemble products",
        "re-kit un-kitted items",
        "scan serial numbers",
        "log data in external documents",
        "sort by lot numbers",
        "take standard product photos",
    ]


def test_unconfigured_products_are_flagged() -> None:
    assert [a.code for a in product().advice()] == ["preferences_not_configured"]
