"""The use cases pages call for a return's outlook: domain objects, not API dicts."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from boomerang.bootstrap import make_uow_factory
from boomerang.domain.disposition import ExpectedDisposition
from boomerang.domain.return_warnings import ReturnWarning, WarningCode
from boomerang.domain.returns import ActionReason, TakenAction
from boomerang.domain.tenants import Principal, Role
from boomerang.services import returns
from tests.support.builders import Api, FrozenClock


def test_warnings_and_expectations_are_domain_objects(
    api: Api, session_factory: sessionmaker[Session], clock: FrozenClock
) -> None:
    merchant, fc, _ = api.setup()
    food = api.product(merchant, category="Food", return_preferences={})
    kit = api.product(merchant, is_kitted=True, return_preferences={})
    order = api.return_order(merchant, fc["id"], [food, kit])
    food_line, kit_line = (line["id"] for line in order["inventory"])
    principal = Principal(Role.Merchant, "test", "test", merchant_id=merchant.id)
    with make_uow_factory(session_factory, clock=clock)(principal) as uow:
        warnings = returns.warnings_of(uow, return_id=order["id"])
        expected = returns.expected_dispositions(uow, return_id=order["id"])
    assert [(w.code, w.line_id) for w in warnings] == [
        (WarningCode.ineligible_category, food_line),
        (WarningCode.restock_not_advised, kit_line),
    ]
    assert all(isinstance(w, ReturnWarning) and w.message for w in warnings)
    assert expected == {
        food_line: ExpectedDisposition(TakenAction.Dispose, ActionReason.IneligibleCategory),
        kit_line: ExpectedDisposition(TakenAction.Restock, ActionReason.MerchantPreference),
    }
