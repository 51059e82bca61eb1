"""Ports: the repositories of receiving, as the use cases see them."""

from __future__ import annotations

import builtins
from collections.abc import Collection
from datetime import datetime
from typing import Any, Protocol

from boomerang.domain.queries import Page
from boomerang.domain.returns import ReturnOrder
from boomerang.domain.shipments import Shipment, UnidentifiedPackage


class Receipts(Protocol):
    """What arrived at the dock: receipts, and the returns a scan or tracking number matches."""

    def returns_matching_scan(self, fc_id: str, scanned: str, *, children: bool = True) -> list[ReturnOrder]:
        """Returns at `fc_id` (cancelled included) whose reference or a tracking number is `scanned`."""

    def live_returns_for_shipment(self, shipment: Shipment) -> list[ReturnOrder]:
        """Non-cancelled returns of the shipment's own merchant that name it (another merchant's never match)."""

    def returns_by_tracking_any_merchant(self, tracking_number: str) -> list[ReturnOrder]:
        """For carrier events (an integration sees across merchants): returns with this tracking number."""

    def add_receipt(self, **values: Any) -> None: ...

    def receipts_by(self, actor: str, fc_id: str, since: datetime, limit: int) -> list[Any]:
        """One actor's latest scans at one FC (newest first), with the reference of the return each found."""


class Shipments(Protocol):
    """Shipments as the caller may see them: a merchant its own, an operator those of its FCs."""

    def add(self, shipment: Shipment) -> None: ...

    def get(self, shipment_id: str, *, for_update: bool = False) -> Shipment: ...

    def merchant_of(self, shipment_id: str) -> str | None:
        """Whose shipment this is, if it exists (unscoped: callers compare it with their own merchant)."""

    def list(self, tracking_number: str | None, cursor: str | None, limit: int) -> Page[Shipment]: ...

    def at_fc_by_tracking(self, fc_id: str, tracking_number: str) -> builtins.list[Shipment]:
        """Shipments sent from `fc_id` with this tracking number, newest first."""

    def mark_return_to_sender(self, tracking_number: str) -> int:
        """Flag every shipment with this tracking number as RTS-scanned; how many there were."""

    def add_carrier_scan(self, **values: Any) -> None: ...

    def has_rts_scan(self, tracking_number: str) -> bool: ...


class UnidentifiedPackages(Protocol):
    """Packages that arrived with nothing to match them, until resolved."""

    def add_unidentified(self, package: UnidentifiedPackage) -> None: ...

    def get_unidentified(self, package_id: str, *, for_update: bool = False) -> UnidentifiedPackage: ...

    def list_unidentified(
        self, fc_id: str | None, resolved: bool | None, cursor: str | None, limit: int
    ) -> Page[UnidentifiedPackage]: ...

    def open_unidentified(self, fc_id: str, limit: int) -> list[UnidentifiedPackage]:
        """Unresolved packages at `fc_id` the caller may see, the oldest first."""

    def resolve_unidentified(self, package: UnidentifiedPackage) -> None: ...

    def set_unidentified_photos(self, package_id: str, photo_ids: list[str]) -> None: ...

    def set_unidentified_note(self, package_id: str, note: str | None) -> None: ...


class Photos(Protocol):
    """Photo records of returns and unidentified packages (the files are in the photo storage)."""

    def add_photo(self, **values: Any) -> None: ...

    def get_photo(self, photo_id: str) -> Any:
        """A photo row, if the caller is its merchant or an operator of its FC."""

    def photo_ids_for_return(self, return_id: str) -> set[str]:
        """Every photo uploaded to a return (whether or not a line names it yet)."""

    def photo_ids_of_return(self, return_id: str, photo_ids: list[str]) -> set[str]: ...

    def storage_keys_of(self, photo_ids: Collection[str]) -> set[str]: ...
