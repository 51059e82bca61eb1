"""What a return's merchant should know before the package arrives: warnings, never blocks.

Each warning restates a rule that lives elsewhere (the decision table, the dangerous-goods label rule,
the product's preferences) for one line of one return; nothing here decides anything new.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from boomerang.domain.disposition import expected_line
from boomerang.domain.labels import ships_as_dangerous_goods
from boomerang.domain.products import Product
from boomerang.domain.returns import ReturnLine, ReturnOrder, TakenAction


class WarningCode(StrEnum):
    ineligible_category = "ineligible_category"
    restock_not_advised = "restock_not_advised"
    dangerous_goods_prepaid_only = "dangerous_goods_prepaid_only"
    preferences_not_configured = "preferences_not_configured"


@dataclass(frozen=True)
class ReturnWarning:
    code: WarningCode
    message: str
    line_id: str


def line_warnings(order: ReturnOrder, line: ReturnLine, product: Product) -> list[ReturnWarning]:
    """The warnings of one line, in the order of `WarningCode`."""
    warnings: list[ReturnWarning] = []

    def warn(code: WarningCode, message: str) -> None:
        warnings.append(ReturnWarning(code, message, line.id))

    if product.is_ineligible:
        warn(
            WarningCode.ineligible_category,
            f"{line.sku} is in the ineligible category {product.category}: its units will be disposed on receipt",
        )
    # The action that applies to this line (override, else the RTS or return action) leads to Restock.
    if product.restock_risks and expected_line(order, line, product).action is TakenAction.Restock:
        warn(
            WarningCode.restock_not_advised,
            f"{line.sku} is {' and '.join(product.restock_risks)}: restocking is not advised, "
            "use Quarantine or Dispose",
        )
    if ships_as_dangerous_goods(product):
        warn(
            WarningCode.dangerous_goods_prepaid_only,
            f"{line.sku} is dangerous goods: the return ships only on a Prepaid label",
        )
    if not product.preferences.preferences_configured:
        warn(
            WarningCode.preferences_not_configured,
            f"{line.sku} has no saved return preferences: the defaults apply",
        )
    return warnings


def return_warnings(order: ReturnOrder, products: Mapping[str, Product]) -> list[ReturnWarning]:
    """Every line's warnings, line by line; `products` holds (at least) the products of the lines."""
    return [
        warning
        for line in order.lines
        if line.product_id in products
        for warning in line_warnings(order, line, products[line.product_id])
    ]
