"""Postal addresses: where a label ships from, where a removal ships to."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Address:
    name: str
    line1: str
    city: str
    postal_code: str
    country: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)
