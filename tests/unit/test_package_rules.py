"""One return per package, and only the merchant's own shipments: the two rules without a database."""

from __future__ import annotations

import pytest

from boomerang.domain.errors import Conflict, ValidationFailed
from boomerang.domain.return_rules import require_own_shipment, require_unused_tracking_number


def test_an_unused_tracking_number_is_fine() -> None:
    require_unused_tracking_number("1Z999", None)


def test_a_tracking_number_of_another_live_return_is_a_conflict() -> None:
    with pytest.raises(Conflict) as raised:
        require_unused_tracking_number("1Z999", "ret_other")
    assert raised.value.code == "duplicate_tracking_number"
    assert [d.field for d in raised.value.details] == ["tracking_number"]


def test_the_merchants_own_shipment_is_fine() -> None:
    require_own_shipment("shp_1", "mch_a", "mch_a")


@pytest.mark.parametrize("owner", [None, "mch_b"], ids=["unknown", "foreign"])
def test_unknown_and_foreign_shipments_get_one_answer(owner: str | None) -> None:
    with pytest.raises(ValidationFailed) as raised:
        require_own_shipment("shp_1", "mch_a", owner)
    error = raised.value
    assert (error.code, [d.field for d in error.details]) == ("unknown_shipment", ["original_shipment_id"])
    assert error.message == "original_shipment_id shp_1 is not one of your shipments"
