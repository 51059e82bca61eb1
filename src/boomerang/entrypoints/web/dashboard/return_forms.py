"""The New return form: what the browser sends, turned into the create_return command."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData

from boomerang.domain.errors import DomainError, FieldError, ValidationFailed
from boomerang.domain.returns import MAX_LINE_QUANTITY, Channel, RequestedAction, ReturnOrder
from boomerang.services.read_models.catalog import advice_for_skus, fulfillment_centers
from boomerang.services.returns import LineRequest
from boomerang.services.unit_of_work import UnitOfWork

LINE_ROWS = 5
# The product picker's search (dashboard/returns.py), asked by app.js as the merchant types.
PICKER_SEARCH_URL = "/returns/product-search"
_LINE_FIELD = re.compile(r"inventory\[(\d+)\]")
# More than any detail of a return may hold: the domain refuses an over-long detail (return_rules.py), the
# page does not cut it to fit.
KEPT_CHARACTERS = 1000


@dataclass
class LineRow:
    sku: str = ""
    quantity: str = "1"
    override: str = "Default"


@dataclass
class NewReturnForm:
    fulfillment_center_id: str = ""
    reference_id: str = ""
    customer_name: str = ""
    store_order_id: str = ""
    tracking_number: str = ""
    lines: list[LineRow] = field(default_factory=list)

    @classmethod
    def empty(cls) -> NewReturnForm:
        return cls(lines=[LineRow() for _ in range(LINE_ROWS)])

    @classmethod
    def of(cls, order: ReturnOrder) -> NewReturnForm:
        """The form filled with a return's values (the edit page), with blank rows to add lines."""
        rows = [LineRow(line.sku, str(line.quantity), line.requested_action.value) for line in order.lines]
        return cls(
            order.fulfillment_center_id,
            order.reference_id,
            order.customer_name or "",
            order.store_order_id or "",
            order.tracking_number or "",
            (rows + [LineRow() for _ in range(LINE_ROWS)])[: max(LINE_ROWS, len(rows))],
        )

    def changes(self) -> dict[str, str | None]:
        """The header fields as edit_return takes them."""
        return {
            "reference_id": self.reference_id,
            "customer_name": self.customer_name or None,
            "store_order_id": self.store_order_id or None,
            "tracking_number": self.tracking_number or None,
        }

    @classmethod
    def parse(cls, form: FormData) -> NewReturnForm:
        def text(key: str, limit: int = 200) -> str:
            return str(form.get(key) or "").strip()[:limit]

        rows = max(LINE_ROWS, min(int(text("line_rows", 3) or 0) if text("line_rows", 3).isdigit() else 0, 50))
        lines = [
            LineRow(text(f"sku_{i}", 100), text(f"quantity_{i}", 20) or "1", text(f"override_{i}", 20) or "Default")
            for i in range(rows)
        ]
        return cls(
            text("fulfillment_center_id"),
            text("reference_id", 60),
            text("customer_name", KEPT_CHARACTERS),
            text("store_order_id", KEPT_CHARACTERS),
            text("tracking_number", KEPT_CHARACTERS),
            lines,
        )

    def error_messages(self, error: DomainError) -> list[str]:
        """The error's details as the page shows them: a line the service names by its position among
        the filled lines (`inventory[1]`) is named by its label on the page (`Product 3`)."""
        filled = [i for i, row in enumerate(self.lines) if row.sku]
        messages = []
        for detail in error.details:
            match = _LINE_FIELD.fullmatch(detail.field)
            if match and int(match.group(1)) < len(filled):
                row = filled[int(match.group(1))]
                hint = " (type part of its SKU, name or barcode and pick it from the list)"
                messages.append(f"Product {row + 1}: {detail.message}{hint if 'unknown' in detail.message else ''}")
            else:
                messages.append(f"{detail.field}: {detail.message}")
        return messages or [error.message]

    def command(self) -> dict[str, Any]:
        """Keyword arguments of create_return; a bad quantity or override is a field error."""
        errors: list[FieldError] = []
        requests = []
        for i, row in enumerate(self.lines):
            if not row.sku:
                continue
            if not row.quantity.isdigit() or not 1 <= int(row.quantity) <= MAX_LINE_QUANTITY:
                errors.append(FieldError(f"line {i + 1} quantity", f"a whole number from 1 to {MAX_LINE_QUANTITY}"))
                continue
            if row.override not in RequestedAction.__members__:
                errors.append(FieldError(f"line {i + 1} action", "choose one of the listed actions"))
                continue
            requests.append(LineRequest(int(row.quantity), sku=row.sku, requested_action=RequestedAction(row.override)))
        if not requests and not errors:
            errors.append(FieldError("lines", "add at least one product"))
        if errors:
            raise ValidationFailed("some lines are not valid", details=errors)
        return {
            "reference_id": self.reference_id,
            "fulfillment_center_id": self.fulfillment_center_id,
            "lines": requests,
            "channel": Channel.Dashboard,
            "customer_name": self.customer_name or None,
            "store_order_id": self.store_order_id or None,
            "tracking_number": self.tracking_number or None,
        }


def form_choices(uow: UnitOfWork, form: NewReturnForm) -> dict[str, Any]:
    """FCs, actions and the advice for the products already on the form's lines, for the New return and
    Edit return pages. Not the catalog: the picker searches it as the merchant types (PICKER_SEARCH_URL)."""
    return {
        "fcs": fulfillment_centers(uow),
        "advice": advice_for_skus(uow, skus=[line.sku for line in form.lines]),
        "actions": list(RequestedAction),
        "picker_url": PICKER_SEARCH_URL,
        "max_quantity": MAX_LINE_QUANTITY,
        "form": form,
    }
