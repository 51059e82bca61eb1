"""Money: Decimal amounts with a currency, rounded half-up to the currency's minor unit."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from boomerang.domain.errors import ValidationFailed

MINOR_UNIT_DIGITS = {"USD": 2, "CAD": 2, "EUR": 2, "GBP": 2, "AUD": 2}


def _quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-MINOR_UNIT_DIGITS.get(currency, 2))


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if self.currency not in MINOR_UNIT_DIGITS:
            raise ValidationFailed(f"unsupported currency {self.currency!r}")
        object.__setattr__(self, "amount", Decimal(self.amount).quantize(_quantum(self.currency), ROUND_HALF_UP))

    @classmethod
    def parse(cls, amount: str | Decimal | int, currency: str) -> Money:
        try:
            value = Decimal(str(amount))
        except InvalidOperation:
            raise ValidationFailed(f"{amount!r} is not a decimal amount")
        if not value.is_finite():
            raise ValidationFailed(f"{amount!r} is not a decimal amount")
        return cls(value, currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    @classmethod
    def from_minor(cls, minor: int, currency: str) -> Money:
        return cls(Decimal(minor).scaleb(-MINOR_UNIT_DIGITS.get(currency, 2)), currency)

    @property
    def minor(self) -> int:
        return int(self.amount.scaleb(MINOR_UNIT_DIGITS.get(self.currency, 2)))

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise ValidationFailed("cannot add amounts in different currencies")
        return Money(self.amount + other.amount, self.currency)

    def __mul__(self, factor: int | Decimal) -> Money:
        return Money(self.amount * Decimal(factor), self.currency)

    def formatted(self) -> str:
        return f"{self.amount:f}"
