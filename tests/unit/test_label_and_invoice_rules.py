"""Labels and invoices without a database: rate choice, purchase rules, periods, the rate table."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from boomerang.adapters.carriers.table import provider_for, tracking_number
from boomerang.domain.billing import TransactionType
from boomerang.domain.errors import ValidationFailed
from boomerang.domain.invoices import Period, build_invoice, quarantine_fee_key
from boomerang.domain.labels import (
    LabelType,
    Rate,
    choose_rate,
    holds_dangerous_goods,
    require_purchasable,
    ships_as_dangerous_goods,
)
from boomerang.domain.money import Money
from boomerang.domain.products import Category, Product

RATES = [Rate("UPS", "Ground", Money(Decimal("9.00"), "USD")), Rate("USPS", "Ground", Money(Decimal("7.00"), "USD"))]


def test_optimized_picks_the_cheapest_rate() -> None:
    assert choose_rate(RATES, LabelType.Optimized, None, None).carrier == "USPS"


def test_carrier_specific_needs_a_matching_rate() -> None:
    assert choose_rate(RATES, LabelType.CarrierSpecific, "ups", "ground").carrier == "UPS"
    with pytest.raises(ValidationFailed) as error:
        choose_rate(RATES, LabelType.CarrierSpecific, "FedEx", "Ground")
    assert error.value.code == "no_rate_available"


def test_purchases_are_domestic_and_free_of_dangerous_goods() -> None:
    require_purchasable(origin_country="US", fc_country="US", has_dangerous_goods=False)
    for origin, dg, code in (("CA", False, "label_country_mismatch"), ("US", True, "dangerous_goods_requires_prepaid")):
        with pytest.raises(ValidationFailed) as error:
            require_purchasable(origin_country=origin, fc_country="US", has_dangerous_goods=dg)
        assert error.value.code == code


def _product(**fields: object) -> Product:
    now = datetime(2026, 11, 27, tzinfo=UTC)
    return Product(id="prd_1", merchant_id="m", sku="S", name="N", created_at=now, updated_at=now, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "dangerous"),
    [
        ({}, False),
        ({"is_dangerous_goods": True}, True),
        ({"category": Category.HazardousMaterials}, True),  # hazardous by category even when not flagged
        ({"category": Category.HazardousMaterials, "is_dangerous_goods": True}, True),
        ({"category": Category.Food}, False),  # ineligible, but not dangerous to ship
    ],
)
def test_dangerous_goods_are_the_flag_or_the_hazardous_materials_category(
    fields: dict[str, object], dangerous: bool
) -> None:
    assert ships_as_dangerous_goods(_product(**fields)) is dangerous


def test_one_dangerous_product_makes_the_whole_package_prepaid_only() -> None:
    assert holds_dangerous_goods([_product(), _product(category=Category.HazardousMaterials)])
    assert not holds_dangerous_goods([_product(), _product(category=Category.Medicine)])
    assert not holds_dangerous_goods([])


def test_built_in_table_rates_every_shipped_country_in_any_currency() -> None:
    provider = provider_for(None)
    for country in ("US", "CA", "GB", "DE"):
        rates = provider.rates(origin_country=country, destination_country=country, currency="USD")
        assert len(rates) >= 3 and all(r.cost.currency == "USD" and r.cost.amount > 0 for r in rates)
    assert provider.rates(origin_country="US", destination_country="CA", currency="USD") == []


def test_tracking_numbers_follow_the_carriers_format() -> None:
    assert tracking_number("UPS").startswith("1Z") and len(tracking_number("UPS")) == 18
    assert len(tracking_number("USPS")) == 22 and tracking_number("RoyalMail").endswith("GB")


def test_a_period_is_a_utc_calendar_month() -> None:
    december = Period.parse("2026-12")
    assert (december.start, december.end) == (datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
    for bad in ("2026-00", "2026-13", "26-01", "2026-1"):
        with pytest.raises(ValidationFailed):
            Period.parse(bad)


def test_invoice_lines_follow_the_transaction_types_and_sum_to_the_total() -> None:
    invoice = build_invoice(
        "m",
        Period(2026, 11),
        "USD",
        [(TransactionType.DisposalFee, 2, Decimal("0.70")), (TransactionType.ReturnProcessingFee, 3, Decimal("9.00"))],
    )
    assert [line.transaction_type for line in invoice.lines] == [
        TransactionType.ReturnProcessingFee,
        TransactionType.DisposalFee,
    ]
    assert invoice.total == Money(Decimal("9.70"), "USD")


def test_quarantine_fee_keys_fit_their_column_whatever_the_lot() -> None:
    key = quarantine_fee_key(date(2026, 11, 27), "mch_" + "X" * 26, "prd_" + "Y" * 26, "fc_" + "Z" * 26, "L" * 100)
    assert len(key) <= 200
    assert key != quarantine_fee_key(date(2026, 11, 27), "m", "p", "f", None)
