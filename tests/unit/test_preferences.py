"""Return preferences: defaults, limits, configured flag, ineligible categories and advice."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from boomerang.domain.errors import ValidationFailed
from boomerang.domain.products import (
    INELIGIBLE_CATEGORIES,
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
    item.set_preferences(ReturnPreferences(return_action=Action.Quarantine), NOW)
    assert [a.code for a in item.advice()] == []


def test_unconfigured_products_are_flagged() -> None:
    assert [a.code for a in product().advice()] == ["preferences_not_configured"]
