"""Money is Decimal with the currency's minor digits, half-up; ids are opaque and sortable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from boomerang.domain.errors import ValidationFailed
from boomerang.domain.ids import new_id, new_secret
from boomerang.domain.money import Money


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("3", "3.00"), ("3.005", "3.01"), ("3.004", "3.00"), ("-1.005", "-1.01"), ("0", "0.00"), (2, "2.00")],
)
def test_amounts_round_half_up_to_two_digits(amount: str | int, expected: str) -> None:
    assert Money.parse(amount, "USD").formatted() == expected


@pytest.mark.parametrize("amount", ["abc", "NaN", "Infinity", ""])
def test_non_decimal_amounts_are_refused(amount: str) -> None:
    with pytest.raises(ValidationFailed):
        Money.parse(amount, "USD")


def test_unknown_currency_is_refused() -> None:
    with pytest.raises(ValidationFailed):
        Money(Decimal(1), "XYZ")


def test_arithmetic_keeps_decimal_and_currency() -> None:
    total = Money.parse("0.10", "EUR") + Money.parse("0.20", "EUR")
    assert total == Money(Decimal("0.30"), "EUR")
    assert (Money.parse("0.05", "USD") * 3).formatted() == "0.15"
    assert Money.from_minor(1234, "GBP").formatted() == "12.34"
    assert Money.parse("12.34", "GBP").minor == 1234
    assert Money.zero("CAD").formatted() == "0.00"


def test_adding_different_currencies_is_refused() -> None:
    with pytest.raises(ValidationFailed):
        Money.parse("1", "USD") + Money.parse("1", "EUR")


def test_ids_carry_their_prefix_and_sort_by_creation() -> None:
    ids = [new_id("ret") for _ in range(500)]
    assert all(i.startswith("ret_") and len(i) == 30 for i in ids)
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_ids_at_a_given_time_sort_by_that_time() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    earlier, later = new_id("ret", start), new_id("ret", start + timedelta(milliseconds=1))
    assert earlier < later


def test_secrets_are_random_and_prefixed() -> None:
    a, b = new_secret("bkm"), new_secret("bkm")
    assert a != b and a.startswith("bkm_") and len(a) > 30
