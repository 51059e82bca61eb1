"""The process form's fields, per line, and turning what was typed into LineFacts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from boomerang.domain.products import Product
from boomerang.domain.returns import ReturnLine
from boomerang.services.station import LineFacts

MAX_TEXT = 1000


def name(kind: str, line_id: str, step: int | None = None) -> str:
    """Field names: `qty-<line>`, `step-<line>-<n>`, `unclear-<line>`, `lot-<line>`, `expiry-<line>`, …"""
    return f"{kind}-{line_id}" if step is None else f"{kind}-{line_id}-{step}"


@dataclass
class LineForm:
    """What the operator typed for one line, kept as text so a form shown again shows it unchanged."""

    quantity: str
    steps: list[str]
    unclear: bool = False
    lot: str = ""
    expiry: str = ""
    note: str = ""
    photo_ids: list[str] = field(default_factory=list)
    # why the last submission was refused, for this line; and which fields cannot be read at all
    errors: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)

    @classmethod
    def initial(cls, line: ReturnLine, product: Product) -> LineForm:
        return cls(quantity=str(line.quantity), steps=["" for _ in product.preferences.inspection_steps])

    @classmethod
    def read(cls, form: Mapping[str, Any], line: ReturnLine, product: Product) -> LineForm:
        def text(key: str) -> str:
            value = form.get(name(key, line.id))
            return value.strip()[:MAX_TEXT] if isinstance(value, str) else ""

        getlist = getattr(form, "getlist", None)
        photo_ids = getlist(name("photo_ids", line.id)) if getlist else []
        return cls(
            quantity=text("qty"),
            steps=[
                str(form.get(name("step", line.id, n)) or "") for n in range(len(product.preferences.inspection_steps))
            ],
            unclear=bool(form.get(name("unclear", line.id))),
            lot=text("lot"),
            expiry=text("expiry"),
            note=text("note"),
            photo_ids=[p for p in photo_ids if isinstance(p, str) and p][:20],
        )

    def facts(self, line: ReturnLine, product: Product) -> LineFacts | None:
        """The facts, or None with `unreadable` saying which field cannot be read."""
        self.unreadable = []
        try:
            quantity = int(self.quantity)
        except ValueError:
            self.unreadable.append(f"Quantity received is a whole number from 0 to {line.quantity}.")
            quantity = -1
        expiry: date | None = None
        if self.expiry:
            try:
                expiry = date.fromisoformat(self.expiry)
            except ValueError:
                self.unreadable.append("Expiration date is a date like 2027-06-30.")
        if self.unreadable:
            return None
        answers = tuple({"pass": True, "fail": False}.get(s) for s in self.steps)
        return LineFacts(
            quantity_received=quantity,
            step_answers=answers,
            instructions_unclear=self.unclear,
            lot_number=(self.lot or None) if product.is_lot_tracked else None,
            expiration_date=expiry if product.is_lot_tracked else None,
            photo_ids=tuple(self.photo_ids),
            condition_note=self.note or None,
        )
